//! Browser sessions: `POST /session` sets an HttpOnly, SameSite=Strict cookie (the token never
//! in the body), a cookie-authenticated write needs `X-Requested-With: taizhang` and a
//! same-origin `Origin` (CSRF), bearer tokens keep working and win over a cookie, and
//! `DELETE /session` revokes the session and clears the cookie. Also: every response carries
//! `x-request-id`, and each request writes one access-log line with it.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Value};

use crate::helpers::{TestApp, PASSWORD};
use crate::on_both_engines;

/// Logs in through `/session`: (status, Set-Cookie, body).
async fn session_login(app: &TestApp, username: &str, password: &str) -> (u16, String, Value) {
    let mut response = app
        .client()
        .post(app.url("/session"))
        .send_json(&json!({"username": username, "password": password}))
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (response.status().as_u16(), cookie, body)
}

/// The `name=value` pair of a Set-Cookie header.
fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

/// A GraphQL POST with the cookie and the given extra headers: (status, body).
async fn post_with_cookie(app: &TestApp, cookie: &str, headers: &[(&str, &str)], query: &str) -> (u16, Value) {
    let mut request = app
        .client()
        .post(app.url("/graphql"))
        .insert_header(("Cookie", cookie.to_owned()));
    for (name, value) in headers {
        request = request.insert_header((*name, *value));
    }
    let mut response = request.send_json(&json!({"query": query})).await.unwrap();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (response.status().as_u16(), body)
}

const CONSOLE: (&str, &str) = ("X-Requested-With", "taizhang");

async fn a_console_session_lives_in_an_http_only_cookie(app: TestApp) {
    app.account("liaison", "县水利局联络员", Some(("EDITOR", None)), None)
        .await;
    let (status, set_cookie, body) = session_login(&app, "liaison", PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    for attribute in ["taizhang_session=", "HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(set_cookie.contains(attribute), "{attribute} in {set_cookie}");
    }
    let cookie = pair(&set_cookie);
    let token = cookie.split_once('=').unwrap().1;
    assert!(token.len() > 20, "{cookie}");
    assert!(
        !body.to_string().contains(token),
        "the token stays out of the body: {body}"
    );
    assert_eq!(body["account"]["username"], "liaison");

    // Reads and writes with the cookie and the console's header.
    let (status, me) = post_with_cookie(&app, &cookie, &[CONSOLE], "{ me { username } }").await;
    assert_eq!(
        (status, &me["data"]["me"]["username"]),
        (200, &json!("liaison")),
        "{me}"
    );
    let (_, changed) = post_with_cookie(
        &app,
        &cookie,
        &[CONSOLE],
        &format!("mutation {{ changePassword(input: {{currentPassword: \"{PASSWORD}\", newPassword: \"新的密码2026abc\"}}) {{ account {{ username }} }} }}"),
    )
    .await;
    assert!(changed.get("errors").is_none(), "{changed}");
    // A GET query needs no header: it cannot change anything.
    let mut got = app
        .client()
        .get(app.url("/graphql?query=%7B%20me%20%7B%20username%20%7D%20%7D"))
        .insert_header(("Cookie", cookie.clone()))
        .insert_header(("Accept", "application/json"))
        .send()
        .await
        .unwrap();
    let got: Value = got.json().await.unwrap();
    assert_eq!(got["data"]["me"]["username"], "liaison", "{got}");

    // Logging out revokes the session and clears the cookie.
    let mut out = app
        .client()
        .delete(app.url("/session"))
        .insert_header(("Cookie", cookie.clone()))
        .insert_header(CONSOLE)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 200);
    let cleared = out.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(
        cleared.starts_with("taizhang_session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    let _ = out.body().await;
    let (status, after) = post_with_cookie(&app, &cookie, &[CONSOLE], "{ me { username } }").await;
    assert_eq!(status, 401, "{after}");
    assert_eq!(after["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}

async fn a_cookie_write_without_the_console_header_or_from_another_site_is_refused(app: TestApp) {
    app.account("admin2", "管理员", Some(("ADMIN", None)), None).await;
    let (_, set_cookie, _) = session_login(&app, "admin2", PASSWORD).await;
    let cookie = pair(&set_cookie);
    let head = app.head_seq().await;
    let create =
        "mutation { createUnit(input: {name: \"伪造请求局\", shortCode: \"CSRF\", kind: DEPARTMENT}) { unit { id } } }";
    // A form posted from another site (the browser would not even send a SameSite=Strict
    // cookie; if it did, the missing header stops it).
    let (status, body) = post_with_cookie(&app, &cookie, &[], create).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("x-requested-with"),
        "{body}"
    );
    // The header, but a page of another origin.
    let (status, body) = post_with_cookie(&app, &cookie, &[CONSOLE, ("Origin", "http://evil.example")], create).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(app.head_seq().await, head, "nothing was written");
    // The same origin, with the header: written.
    let host = app.url("").trim_start_matches("http://").to_owned();
    let origin = format!("http://{host}");
    let (status, body) = post_with_cookie(&app, &cookie, &[CONSOLE, ("Origin", &origin)], create).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["createUnit"]["unit"]["id"].is_string(), "{body}");
}

async fn bearer_tokens_keep_working_and_win_over_a_cookie(app: TestApp) {
    let editor = app.account("editor", "联络员", Some(("EDITOR", None)), None).await;
    app.account("viewer", "查阅员", Some(("VIEWER", None)), None).await;
    let (_, set_cookie, _) = session_login(&app, "viewer", PASSWORD).await;
    let mut response = app
        .client()
        .post(app.url("/graphql"))
        .insert_header(("Authorization", format!("Bearer {editor}")))
        .insert_header(("Cookie", pair(&set_cookie)))
        .send_json(&json!({"query": "{ me { username } }"}))
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["me"]["username"], "editor", "{body}");
    // Wrong passwords and malformed bodies get the API's errors, and no cookie.
    let (status, set_cookie, body) = session_login(&app, "viewer", "错误的密码").await;
    assert_eq!((status, set_cookie.as_str()), (401, ""), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let mut bad = app
        .client()
        .post(app.url("/session"))
        .send_body("username=viewer")
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let bad: Value = bad.json().await.unwrap();
    assert_eq!(bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

/// The access-log lines of this process (target `taizhang::access`), as JSON.
fn access_log() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        use tracing_subscriber::layer::SubscriberExt;
        use tracing_subscriber::Layer;
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let layer = tracing_subscriber::fmt::layer()
            .json()
            .with_writer(move || Capture(sink.clone()))
            .with_filter(
                tracing_subscriber::filter::Targets::new().with_target("taizhang::access", tracing::Level::INFO),
            );
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
            .expect("no other subscriber in the test process");
        buffer
    })
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logged(request_id: &str) -> Vec<Value> {
    let bytes = access_log().lock().unwrap().clone();
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["fields"]["request_id"] == request_id)
        .collect()
}

#[actix_web::test]
async fn every_response_carries_its_request_id_and_one_access_log_line() {
    access_log();
    let app = crate::helpers::spawn_app(crate::helpers::Engine::Sqlite).await;
    let token = app.account("liaison", "联络员", Some(("EDITOR", None)), None).await;
    let me = app.ok_as(&token, "{ me { id } }", json!({})).await["me"]["id"].clone();
    let mut ids = Vec::new();
    for (path, status, account) in [
        ("/graphql", 200, me.as_str().unwrap()),
        ("/healthz", 200, "-"),
        ("/assets/no-such-file.js", 404, "-"),
    ] {
        let response = if path == "/graphql" {
            app.client()
                .post(app.url(path))
                .insert_header(("Authorization", format!("Bearer {token}")))
                .send_json(&json!({"query": "{ me { username } }"}))
                .await
                .unwrap()
        } else {
            app.client().get(app.url(path)).send().await.unwrap()
        };
        assert_eq!(response.status().as_u16(), status, "{path}");
        let id = response
            .headers()
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{path}: {id}");
        let lines = logged(&id);
        assert_eq!(lines.len(), 1, "{path}: {lines:?}");
        let f = &lines[0]["fields"];
        assert_eq!(f["path"], path);
        assert_eq!(f["status"], status);
        assert_eq!(f["account"], account, "{path}");
        assert!(
            f["method"].is_string() && f["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0),
            "{f}"
        );
        ids.push(id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 3, "one id per request");
    // An error response (a body past its limit) carries one too.
    let huge = json!({"query": format!("{{ auditHead {{ seq }} }} # {}", "x".repeat(300 * 1024))});
    let response = app.client().post(app.url("/graphql")).send_json(&huge).await.unwrap();
    assert_eq!(response.status(), 413);
    let id = response
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(logged(&id)[0]["fields"]["status"], 413);
}

on_both_engines!(
    a_console_session_lives_in_an_http_only_cookie,
    a_cookie_write_without_the_console_header_or_from_another_site_is_refused,
    bearer_tokens_keep_working_and_win_over_a_cookie,
);
