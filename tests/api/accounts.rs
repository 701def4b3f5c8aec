use std::io::Write;

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};
use taizhang::domain::access::Role;
use taizhang::domain::accounts::{self, NewAccount};
use taizhang::domain::context::RequestContext;
use taizhang::domain::{accounts::grants, Ledger};

use crate::helpers::TestApp;
use crate::on_both_engines;

const LOGIN: &str = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token expiresAt account { id username displayName } } }";
const PASSWORD: &str = "青山县水利局2026";

fn ledger(app: &TestApp) -> Ledger {
    Ledger::new(app.db.clone(), app.clock.clone())
}

async fn create_account(app: &TestApp, username: &str, display_name: &str) -> String {
    let new = NewAccount {
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        person_id: None,
        password: PASSWORD.to_owned(),
    };
    let ctx = RequestContext::system(Some("test".to_owned()));
    let account = accounts::create(&ledger(app), &ctx, new).await.unwrap();
    // A supervisor of the whole county: enough to create campaigns in these tests.
    grants::grant(&ledger(app), &ctx, account.id, Role::Supervisor, None)
        .await
        .unwrap();
    account.id.to_string()
}

async fn login(app: &TestApp, username: &str, password: &str) -> Value {
    app.post(LOGIN, json!({"u": username, "p": password})).await
}

async fn token(app: &TestApp, username: &str) -> String {
    let body = login(app, username, PASSWORD).await;
    body["data"]["login"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("login failed: {body}"))
        .to_owned()
}

async fn a_login_token_attributes_changes_to_the_account_and_is_stored_only_hashed(app: TestApp) {
    let id = create_account(&app, "wang.jianguo", "王建国").await;
    let body = login(&app, "Wang.JianGuo", PASSWORD).await;
    let login = &body["data"]["login"];
    assert_eq!(login["account"]["id"], id.as_str());
    assert_eq!(login["expiresAt"], "2026-06-30T14:00:00.000000Z", "12 hours by default");
    let token = login["token"].as_str().unwrap();
    assert!(token.len() >= 43, "32 random bytes");
    let (status, me) = app.post_as(token, "{ me { username displayName } }", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(
        me["data"]["me"],
        json!({"username": "wang.jianguo", "displayName": "王建国"})
    );
    let (_, created) = app
        .post_as(token, "mutation { createCampaign(input: {name: \"作风建设专项\", startsOn: \"2026-06-01\"}) { campaign { history { edges { node { actor { id displayName } } } } } } }", json!({}))
        .await;
    let actor = &created["data"]["createCampaign"]["campaign"]["history"]["edges"][0]["node"]["actor"];
    assert_eq!(actor, &json!({"id": id, "displayName": "王建国"}));
    let anonymous = app.ok_anonymous("{ me { username } }", json!({})).await;
    assert!(anonymous["me"].is_null());
    // The token itself is nowhere in the database, and no snapshot holds a password hash.
    let backend = app.db.get_database_backend();
    let stored: Vec<String> = app
        .db
        .query_all_raw(Statement::from_string(backend, "SELECT token_hash FROM access_token"))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get("", "token_hash").unwrap())
        .collect();
    assert!(!stored.iter().any(|s| s == token));
    assert!(stored.contains(&accounts::token_hash(token)));
    let events = app
        .ok(
            "{ auditEvents(filter: {entityType: \"Account\"}) { edges { node { action after } } } }",
            json!({}),
        )
        .await;
    let event = &events["auditEvents"]["edges"][0]["node"];
    assert_eq!(event["action"], "account.create");
    assert!(event["after"].get("password_hash").is_none(), "{event}");
    assert!(!event.to_string().contains("argon2"), "{event}");
}

async fn a_wrong_password_and_an_unknown_user_get_the_same_answer(app: TestApp) {
    create_account(&app, "li.ming", "李明").await;
    let wrong = login(&app, "li.ming", "not the password").await;
    let unknown = login(&app, "nobody.here", "not the password").await;
    assert_eq!(wrong["errors"][0]["message"], unknown["errors"][0]["message"]);
    assert_eq!(wrong["errors"][0]["extensions"], json!({"code": "UNAUTHENTICATED"}));
    assert_eq!(unknown["errors"][0]["extensions"], json!({"code": "UNAUTHENTICATED"}));
    assert_eq!(wrong["errors"][0]["message"], "invalid username or password");
}

async fn failed_logins_are_limited_per_username_and_per_address(app: TestApp) {
    create_account(&app, "li.ming", "李明").await;
    create_account(&app, "zhao.hua", "赵华").await;
    for _ in 0..5 {
        let body = login(&app, "li.ming", "guessing wrong").await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
    let limited = login(&app, "li.ming", PASSWORD).await;
    assert_eq!(limited["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{limited}");
    assert_eq!(limited["errors"][0]["extensions"]["retryAfterSeconds"], 60);
    // The limit is on li.ming from this address: another user from the same address (as every
    // user behind one proxy is) still logs in.
    let other = login(&app, "zhao.hua", PASSWORD).await;
    assert!(other["data"]["login"]["token"].is_string(), "{other}");
    app.clock.advance(chrono::Duration::seconds(61));
    let again = login(&app, "li.ming", PASSWORD).await;
    assert!(again["data"]["login"]["token"].is_string(), "{again}");
    // Success forgives the earlier failures: one more typo is not a lock-out.
    let typo = login(&app, "li.ming", "guessing wrong").await;
    assert_eq!(typo["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert!(login(&app, "li.ming", PASSWORD).await["data"]["login"]["token"].is_string());
}

/// A login sent through the proxy on 127.0.0.1 for the client `client`.
async fn login_from(app: &TestApp, client: &str, username: &str, password: &str) -> Value {
    let mut response = app
        .client()
        .post(app.url("/graphql"))
        .insert_header(("X-Forwarded-For", client))
        .send_json(&json!({"query": LOGIN, "variables": {"u": username, "p": password}}))
        .await
        .expect("request");
    response.json::<Value>().await.expect("json body")
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or("")
}

async fn without_a_trusted_proxy_the_header_is_ignored(app: TestApp) {
    create_account(&app, "li.ming", "李明").await;
    for i in 0..5 {
        let body = login_from(&app, &format!("198.51.100.{i}"), "li.ming", "guess").await;
        assert_eq!(code(&body), "UNAUTHENTICATED");
    }
    // Every attempt came from 127.0.0.1 whatever the header said.
    assert_eq!(
        code(&login_from(&app, "203.0.113.1", "li.ming", PASSWORD).await),
        "RATE_LIMITED"
    );
}

async fn tokens_expire_and_logout_revokes_them(app: TestApp) {
    create_account(&app, "li.ming", "李明").await;
    let first = token(&app, "li.ming").await;
    let second = token(&app, "li.ming").await;
    let (status, body) = app.post_as(&first, "mutation { logout { revoked } }", json!({})).await;
    assert_eq!((status, &body["data"]["logout"]["revoked"]), (200, &json!(true)));
    let (status, body) = app.post_as(&first, "{ me { username } }", json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let (status, _) = app.post_as(&second, "{ me { username } }", json!({})).await;
    assert_eq!(status, 200, "logout revokes only the token used");
    app.clock
        .advance(chrono::Duration::hours(12) + chrono::Duration::seconds(1));
    let (status, _) = app.post_as(&second, "{ me { username } }", json!({})).await;
    assert_eq!(status, 401, "expired after 12 hours");
    let anonymous = app.err_anonymous("mutation { logout { revoked } }", json!({})).await;
    assert_eq!(anonymous.code, "UNAUTHENTICATED");
}

async fn a_disabled_account_can_neither_log_in_nor_use_its_tokens(app: TestApp) {
    let id = create_account(&app, "li.ming", "李明").await;
    let token = token(&app, "li.ming").await;
    accounts::set_disabled(&ledger(&app), &RequestContext::system(None), id.parse().unwrap(), true)
        .await
        .unwrap();
    let (status, _) = app.post_as(&token, "{ me { username } }", json!({})).await;
    assert_eq!(status, 401);
    let body = login(&app, "li.ming", PASSWORD).await;
    assert_eq!(body["errors"][0]["message"], "invalid username or password");
}

async fn changing_the_password_revokes_the_other_tokens(app: TestApp) {
    create_account(&app, "li.ming", "李明").await;
    let current = token(&app, "li.ming").await;
    let other = token(&app, "li.ming").await;
    let change = "mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) { account { version } } }";
    let (_, wrong) = app
        .post_as(
            &current,
            change,
            json!({"c": "not it at all", "n": "新密码足够长了吧1234"}),
        )
        .await;
    assert_eq!(
        wrong["errors"][0]["extensions"],
        json!({"code": "BAD_USER_INPUT", "field": "currentPassword"})
    );
    let (_, short) = app
        .post_as(&current, change, json!({"c": PASSWORD, "n": "short"}))
        .await;
    assert_eq!(short["errors"][0]["extensions"]["field"], "newPassword");
    let (_, ok) = app
        .post_as(&current, change, json!({"c": PASSWORD, "n": "新密码足够长了吧1234"}))
        .await;
    assert_eq!(ok["data"]["changePassword"]["account"]["version"], 2, "{ok}");
    assert_eq!(app.post_as(&other, "{ me { username } }", json!({})).await.0, 401);
    assert_eq!(app.post_as(&current, "{ me { username } }", json!({})).await.0, 200);
    assert!(login(&app, "li.ming", PASSWORD).await["errors"].is_array());
    assert!(login(&app, "li.ming", "新密码足够长了吧1234").await["data"]["login"].is_object());
    let events = app.ok("{ auditEvents(filter: {action: \"account.change_password\"}) { totalCount edges { node { before after } } } }", json!({})).await;
    assert_eq!(events["auditEvents"]["totalCount"], 1);
    assert!(!events.to_string().contains("argon2"));
}

async fn bad_account_input_is_refused(app: TestApp) {
    let ledger = ledger(&app);
    let ctx = RequestContext::system(None);
    let new = |username: &str, password: &str| NewAccount {
        username: username.to_owned(),
        display_name: "张三".to_owned(),
        person_id: None,
        password: password.to_owned(),
    };
    for (input, field) in [
        (new("ab", PASSWORD), "username"),
        (new("has space", PASSWORD), "username"),
        (new("zhang.san", "short"), "password"),
    ] {
        match accounts::create(&ledger, &ctx, input).await {
            Err(taizhang::domain::error::DomainError::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected a bad {field}, got {other:?}"),
        }
    }
    accounts::create(&ledger, &ctx, new("zhang.san", PASSWORD))
        .await
        .unwrap();
    assert!(
        accounts::create(&ledger, &ctx, new("Zhang.San", PASSWORD))
            .await
            .is_err(),
        "usernames are case-insensitive"
    );
}

async fn the_cli_creates_an_account_from_a_password_on_stdin(app: TestApp) {
    let url = app.database_url.clone();
    let output = actix_web::rt::task::spawn_blocking(move || {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_taizhang"))
            .args([
                "account",
                "create",
                "--username",
                "admin",
                "--display-name",
                "管理员",
                "--database-url",
                &url,
            ])
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{PASSWORD}\n").as_bytes())
            .expect("write");
        child.wait_with_output().expect("wait")
    })
    .await
    .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("account admin created"));
    token(&app, "admin").await;
}

/// A burst of parallel guesses gets no more tries than the limit.
async fn parallel_guesses_do_not_slip_past_the_limit(app: TestApp) {
    create_account(&app, "li.ming", "李明").await;
    let attempts = (0..12).map(|_| login(&app, "li.ming", "guessing in parallel"));
    let results = futures_util::future::join_all(attempts).await;
    let codes: Vec<&str> = results
        .iter()
        .map(|r| r["errors"][0]["extensions"]["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "UNAUTHENTICATED").count(),
        5,
        "{codes:?}"
    );
    assert_eq!(codes.iter().filter(|c| **c == "RATE_LIMITED").count(), 7, "{codes:?}");
}

on_both_engines!(
    without_a_trusted_proxy_the_header_is_ignored,
    parallel_guesses_do_not_slip_past_the_limit,
    a_login_token_attributes_changes_to_the_account_and_is_stored_only_hashed,
    a_wrong_password_and_an_unknown_user_get_the_same_answer,
    failed_logins_are_limited_per_username_and_per_address,
    tokens_expire_and_logout_revokes_them,
    a_disabled_account_can_neither_log_in_nor_use_its_tokens,
    changing_the_password_revokes_the_other_tokens,
    bad_account_input_is_refused,
    the_cli_creates_an_account_from_a_password_on_stdin,
);

/// The server behind a reverse proxy on 127.0.0.1 that it trusts (`--trusted-proxies`).
mod proxied {
    use sea_orm::{ConnectionTrait, Statement};

    use super::{code, create_account, login_from, PASSWORD};
    use crate::helpers::TestApp;

    async fn spawn_behind_a_proxy(engine: crate::helpers::Engine) -> TestApp {
        crate::helpers::spawn_app_with(engine, behind_a_proxy).await
    }

    fn behind_a_proxy(config: &mut taizhang::startup::AppConfig) {
        config.trusted_proxies = taizhang::http::client::TrustedProxies::parse("127.0.0.1, ::1").unwrap();
    }

    async fn behind_a_trusted_proxy_each_client_address_is_limited_alone(app: TestApp) {
        create_account(&app, "li.ming", "李明").await;
        // A stranger guessing li.ming's password from 198.51.100.7 locks out only that address.
        for _ in 0..5 {
            assert_eq!(
                code(&login_from(&app, "198.51.100.7", "li.ming", "guess").await),
                "UNAUTHENTICATED"
            );
        }
        assert_eq!(
            code(&login_from(&app, "198.51.100.7", "li.ming", PASSWORD).await),
            "RATE_LIMITED"
        );
        let own = login_from(&app, "203.0.113.20", "li.ming", PASSWORD).await;
        assert!(
            own["data"]["login"]["token"].is_string(),
            "li.ming from his own desk: {own}"
        );
        // A forged entry left of the proxy's is not believed: the stranger stays limited.
        let forged = login_from(&app, "203.0.113.20, 198.51.100.7", "li.ming", PASSWORD).await;
        assert_eq!(code(&forged), "RATE_LIMITED", "{forged}");
        // Nor when the proxy adds its own header line after the client's forged one.
        let mut response = app
            .client()
            .post(app.url("/graphql"))
            .append_header(("X-Forwarded-For", "203.0.113.20"))
            .append_header(("X-Forwarded-For", "198.51.100.7"))
            .send_json(&serde_json::json!({"query": super::LOGIN, "variables": {"u": "li.ming", "p": PASSWORD}}))
            .await
            .unwrap();
        let two_lines: serde_json::Value = response.json().await.unwrap();
        assert_eq!(code(&two_lines), "RATE_LIMITED", "{two_lines}");
        // Each further failure doubles the wait: 60 s, then 120 s.
        app.clock.advance(chrono::Duration::seconds(61));
        assert_eq!(
            code(&login_from(&app, "198.51.100.7", "li.ming", "guess").await),
            "UNAUTHENTICATED"
        );
        let doubled = login_from(&app, "198.51.100.7", "li.ming", PASSWORD).await;
        assert_eq!(
            doubled["errors"][0]["extensions"]["retryAfterSeconds"], 120,
            "{doubled}"
        );
        // An address guessing across usernames is limited for all of them after 20 failures.
        for i in 0..20 {
            let body = login_from(&app, "192.0.2.50", &format!("user{i}"), "guess").await;
            assert_eq!(code(&body), "UNAUTHENTICATED", "failure {i}");
        }
        let sprayed = login_from(&app, "192.0.2.50", "li.ming", PASSWORD).await;
        assert_eq!(code(&sprayed), "RATE_LIMITED", "{sprayed}");
        // Failures older than the window are pruned.
        app.clock.advance(chrono::Duration::minutes(31));
        assert!(login_from(&app, "198.51.100.7", "li.ming", PASSWORD).await["data"]["login"]["token"].is_string());
        let kept = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM login_failure",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        assert_eq!(kept, 0, "old failures are pruned and the last attempt succeeded");
    }

    crate::on_both_engines!(
        spawn = spawn_behind_a_proxy;
        behind_a_trusted_proxy_each_client_address_is_limited_alone,
    );
}
