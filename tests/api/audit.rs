use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{tamper, Engine, TestApp};
use crate::on_both_engines;

const HISTORY: &str = "query($id: ID!) { node(id: $id) { ... on Unit { history { totalCount edges { node { seq action entityType entityId actor { id displayName } before after reason requestId prevHash hash occurredAt } } } } } }";

async fn history_shows_who_changed_what_with_before_and_after(app: TestApp) {
    let f = app.fixture().await;
    app.ok(
        "mutation($id: ID!) { updateUnit(input: {id: $id, expectedVersion: 1, name: \"青山县水务局\"}) { unit { id } } }",
        json!({"id": f.water}),
    )
    .await;
    let data = app.ok(HISTORY, json!({"id": f.water})).await;
    let history = &data["node"]["history"];
    assert_eq!(history["totalCount"], 2);
    let update = &history["edges"][0]["node"];
    let create = &history["edges"][1]["node"];
    assert_eq!(
        (update["action"].as_str(), create["action"].as_str()),
        (Some("unit.update"), Some("unit.create"))
    );
    assert_eq!(update["entityType"], "Unit");
    assert_eq!(update["entityId"], f.water.as_str());
    let root = app.ok("{ me { id } }", json!({})).await["me"]["id"].clone();
    assert_eq!(update["actor"], json!({"id": root, "displayName": "系统管理员"}));
    assert!(create["before"].is_null());
    assert_eq!(create["after"]["name"], "县水利局");
    assert_eq!(update["before"]["name"], "县水利局");
    assert_eq!(update["after"]["name"], "青山县水务局");
    assert_eq!(
        (
            update["before"]["version"].as_i64(),
            update["after"]["version"].as_i64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(
        update["before"], create["after"],
        "history chains: each before is the previous after"
    );
    assert!(update["requestId"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(update["seq"].as_i64() > create["seq"].as_i64());
    let hash = update["hash"].as_str().unwrap();
    assert!(hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(update["occurredAt"].as_str().unwrap().ends_with('Z'));
    // The trail is filtered by entity type, action and actor.
    let filtered = app
        .ok("{ a: auditEvents(filter: {entityType: \"Person\"}) { totalCount } b: auditEvents(filter: {action: \"unit.update\"}) { totalCount edges { node { entityId } } } c: auditEvents(filter: {actorId: \"nobody\"}) { totalCount } }", json!({}))
        .await;
    assert_eq!(filtered["a"]["totalCount"], 3);
    assert_eq!(filtered["b"]["totalCount"], 1);
    assert_eq!(filtered["c"]["totalCount"], 0);
    let timed = app
        .ok("{ before: auditEvents(filter: {occurredTo: \"2000-01-01T00:00:00Z\"}) { totalCount } all: auditEvents(filter: {occurredFrom: \"2000-01-01T00:00:00Z\"}) { totalCount } }", json!({}))
        .await;
    assert_eq!(timed["before"]["totalCount"], 0);
    assert_eq!(timed["all"]["totalCount"].as_i64(), Some(app.head_seq().await));
}

async fn the_chain_links_every_event_to_the_previous_one(app: TestApp) {
    app.fixture().await;
    let data = app
        .ok("{ auditEvents(orderBy: SEQ_ASC, first: 100) { totalCount edges { node { seq prevHash hash } } } auditHead { seq hash } verifyAudit { ok checkedEvents firstBrokenSeq headSeq headHash } }", json!({}))
        .await;
    let events = data["auditEvents"]["edges"].as_array().unwrap();
    assert_eq!(events[0]["node"]["prevHash"], "0".repeat(64));
    for (i, pair) in events.windows(2).enumerate() {
        assert_eq!(pair[0]["node"]["seq"].as_i64(), Some(i as i64 + 1));
        assert_eq!(pair[1]["node"]["prevHash"], pair[0]["node"]["hash"]);
    }
    let last = &events[events.len() - 1]["node"];
    assert_eq!(data["auditHead"]["seq"], last["seq"]);
    assert_eq!(data["auditHead"]["hash"], last["hash"]);
    let v = &data["verifyAudit"];
    assert_eq!(v["ok"], true);
    assert!(v["firstBrokenSeq"].is_null());
    assert_eq!(v["checkedEvents"], data["auditHead"]["seq"]);
    let checkpoint = app
        .ok(
            "query($c: AuditCheckpointInput) { verifyAudit(checkpoint: $c) { ok checkpointOk } }",
            json!({"c": {"seq": events[2]["node"]["seq"], "hash": events[2]["node"]["hash"]}}),
        )
        .await;
    assert_eq!(checkpoint["verifyAudit"], json!({"ok": true, "checkpointOk": true}));
    let wrong = app
        .ok(
            "query($c: AuditCheckpointInput) { verifyAudit(checkpoint: $c) { ok checkpointOk } }",
            json!({"c": {"seq": 3, "hash": "ab".repeat(32)}}),
        )
        .await;
    assert_eq!(wrong["verifyAudit"], json!({"ok": false, "checkpointOk": false}));
}

async fn the_database_refuses_to_update_or_delete_audit_events(app: TestApp) {
    app.fixture().await;
    let head = app.head_seq().await;
    for sql in [
        "UPDATE audit_event SET reason = 'changed' WHERE seq = 1",
        "DELETE FROM audit_event WHERE seq = 1",
    ] {
        let err = app.db.execute_unprepared(sql).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    if app.engine == Engine::Postgres {
        let err = app
            .db
            .execute_unprepared("TRUNCATE audit_event")
            .await
            .expect_err("truncate");
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    let v = app.ok("{ verifyAudit { ok checkedEvents } }", json!({})).await;
    assert_eq!(v["verifyAudit"], json!({"ok": true, "checkedEvents": head}));
}

/// Runs a command off the test's runtime: database connections opened on this runtime are
/// driven by it, so blocking it while the server answers the command would stall them.
async fn run(mut command: std::process::Command) -> std::process::Output {
    actix_web::rt::task::spawn_blocking(move || command.output().expect("run command"))
        .await
        .expect("command thread")
}

async fn audit_verify_cli(app: &TestApp) -> (bool, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_taizhang"));
    command
        .args(["audit", "verify", "--database-url", &app.database_url])
        .env("RUST_LOG", "warn");
    let output = run(command).await;
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// `audit verify` checks a SQLite copy that is read-only and not in WAL mode (a backup on
/// read-only media) without writing to it.
#[actix_web::test]
async fn audit_verify_reads_a_read_only_copy_in_rollback_journal_mode() {
    use sea_orm::ConnectionTrait;
    let app = crate::helpers::spawn_app(crate::helpers::Engine::Sqlite).await;
    app.fixture().await;
    let head = app.head_seq().await;
    let copy = std::env::temp_dir().join(format!("taizhang-ro-{}.db", uuid::Uuid::now_v7().simple()));
    app.db
        .execute_unprepared(&format!("VACUUM INTO '{}'", copy.display()))
        .await
        .unwrap();
    {
        let c = sea_orm::Database::connect(format!("sqlite://{}", copy.display()))
            .await
            .unwrap();
        c.execute_unprepared("PRAGMA journal_mode=DELETE").await.unwrap();
        c.close().await.unwrap();
    }
    let before = std::fs::read(&copy).unwrap();
    let url = format!("sqlite://{}?mode=ro", copy.display());
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_taizhang"));
    command
        .args(["audit", "verify", "--database-url", &url])
        .env("RUST_LOG", "warn");
    let output = run(command).await;
    let out = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{out}");
    assert!(out.contains(&format!("intact: {head} events")), "{out}");
    assert_eq!(std::fs::read(&copy).unwrap(), before, "the copy is unchanged");
    assert!(!copy.with_extension("db-wal").exists(), "no WAL file was made");
    std::fs::remove_file(&copy).ok();
}

/// `db backup` copies the live SQLite database while the server runs and verifies the copy;
/// `db restore` refuses a broken backup and a database in use, and puts a good one in place.
#[actix_web::test]
async fn a_backup_taken_while_serving_restores_to_the_same_trail() {
    let app = crate::helpers::spawn_app(crate::helpers::Engine::Sqlite).await;
    app.fixture().await;
    let head = app.ok("{ auditHead { seq hash } }", json!({})).await["auditHead"].clone();
    let dir = std::env::temp_dir().join(format!("taizhang-backup-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("backup.db");
    let backup_file = copy.display().to_string();
    // `taizhang db <verb> <flag> <file> [--force] --database-url <url>`: (success, stdout + stderr).
    let db = |verb: &'static str, file: String, force: bool, url: String| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_taizhang"));
        let flag = if verb == "backup" { "--to" } else { "--from" };
        command.args(["db", verb, flag, &file]).env("RUST_LOG", "warn");
        if force {
            command.arg("--force");
        }
        command.args(["--database-url", &url]);
        async move {
            let out = run(command).await;
            let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
            (out.status.success(), text)
        }
    };
    let (ok, text) = db("backup", backup_file.clone(), false, app.database_url.clone()).await;
    assert!(ok, "{text}");
    let expected = format!("head seq {} hash {}", head["seq"], head["hash"].as_str().unwrap());
    assert!(text.contains("verified") && text.contains(&expected), "{text}");
    // The server goes on writing; a second backup to the same file is refused.
    app.create_unit("县审计局", "QS-SJJ", "DEPARTMENT", None).await;
    let (ok, text) = db("backup", backup_file.clone(), false, app.database_url.clone()).await;
    assert!(!ok && text.contains("exists already"), "{text}");
    // Restoring over the running server's database is refused.
    let (ok, text) = db("restore", backup_file.clone(), true, app.database_url.clone()).await;
    assert!(!ok && text.contains("in use"), "{text}");
    // Into a fresh place: the same trail as at the backup.
    let target = dir.join("restored.db");
    let url = format!("sqlite://{}?mode=rwc", target.display());
    let (ok, text) = db("restore", backup_file.clone(), false, url.clone()).await;
    assert!(ok && text.contains(&expected), "{text}");
    let (ok, text) = db("restore", backup_file.clone(), false, url).await;
    assert!(!ok && text.contains("--force"), "{text}");
    // A tampered backup is not restored.
    {
        use sea_orm::ConnectionTrait;
        let c = sea_orm::Database::connect(format!("sqlite://{}", copy.display()))
            .await
            .unwrap();
        c.execute_unprepared("DROP TRIGGER audit_event_no_update")
            .await
            .unwrap();
        c.execute_unprepared("UPDATE audit_event SET reason = '改过的' WHERE seq = 2")
            .await
            .unwrap();
        c.close().await.ok();
    }
    let bad_target = dir.join("bad.db");
    let bad_url = format!("sqlite://{}?mode=rwc", bad_target.display());
    let (ok, text) = db("restore", backup_file, false, bad_url).await;
    assert!(!ok && text.contains("BROKEN at seq 2"), "{text}");
    assert!(!bad_target.exists(), "nothing restored");
    std::fs::remove_dir_all(&dir).ok();
}

async fn an_edited_event_is_found_by_verify_audit_and_the_cli(app: TestApp) {
    app.fixture().await;
    // A checkpoint printed on a bulletin: anyone can check it, without logging in.
    let printed = app.ok("{ auditHead { seq hash } }", json!({})).await["auditHead"].clone();
    let check = "query($s: BigInt!, $h: String!) { verifyCheckpoint(seq: $s, hash: $h) }";
    let vars = json!({"s": printed["seq"], "h": printed["hash"]});
    assert_eq!(app.ok_anonymous(check, vars.clone()).await["verifyCheckpoint"], true);
    let forged = json!({"s": printed["seq"], "h": "ab".repeat(32)});
    assert_eq!(app.ok_anonymous(check, forged).await["verifyCheckpoint"], false);
    let (intact, out) = audit_verify_cli(&app).await;
    assert!(intact, "{out}");
    assert!(out.contains("intact"), "{out}");
    tamper(&app, "UPDATE audit_event SET reason = '改过的' WHERE seq = 3").await;
    let v = app
        .ok("{ verifyAudit { ok firstBrokenSeq checkedEvents } }", json!({}))
        .await;
    assert_eq!(
        v["verifyAudit"],
        json!({"ok": false, "firstBrokenSeq": 3, "checkedEvents": 2})
    );
    assert_eq!(
        app.ok_anonymous(check, vars).await["verifyCheckpoint"],
        false,
        "the trail no longer leads to the printed checkpoint"
    );
    let (intact, out) = audit_verify_cli(&app).await;
    assert!(!intact, "exit code is non-zero after tampering: {out}");
    assert!(out.contains("BROKEN"), "{out}");
    assert!(out.contains("seq 3"), "{out}");
}

async fn a_deleted_last_event_is_found(app: TestApp) {
    app.fixture().await;
    let head = app.head_seq().await;
    tamper(&app, &format!("DELETE FROM audit_event WHERE seq = {head}")).await;
    let v = app.ok("{ verifyAudit { ok firstBrokenSeq } }", json!({})).await;
    assert_eq!(v["verifyAudit"], json!({"ok": false, "firstBrokenSeq": head}));
}

async fn a_refused_change_leaves_no_event_and_no_gap(app: TestApp) {
    let f = app.fixture().await;
    let before = app.head_seq().await;
    // Valid input up to the last reference check, which fails inside the transaction.
    let err = app
        .err(
            "mutation($u: ID!, $p: ID!) { createPerson(input: {name: \"张三\", unitId: $u}) { person { id } } x: createPerson(input: {name: \"\", unitId: $p}) { person { id } } }",
            json!({"u": f.water, "p": f.water}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("name"));
    // The first mutation of the document was accepted: exactly one event more, then a valid chain.
    assert_eq!(app.head_seq().await, before + 1);
    let v = app.ok("{ verifyAudit { ok checkedEvents } }", json!({})).await;
    assert_eq!(v["verifyAudit"]["ok"], true);
    assert_eq!(v["verifyAudit"]["checkedEvents"].as_i64(), Some(before + 1));
}

/// Verifying while others write judges the trail up to the head it read, never a false alarm.
async fn verifying_during_writes_reports_no_false_breaks(app: TestApp) {
    let f = app.fixture().await;
    let names: Vec<String> = (0..40).map(|i| format!("联络员{i}")).collect();
    let writes = names.iter().map(|name| app.create_person(name, &f.water));
    let checks = (0..10).map(|_| app.ok("{ verifyAudit { ok firstBrokenSeq } }", json!({})));
    let (_, results) = futures_util::future::join(
        futures_util::future::join_all(writes),
        futures_util::future::join_all(checks),
    )
    .await;
    for r in results {
        assert_eq!(r["verifyAudit"], json!({"ok": true, "firstBrokenSeq": null}));
    }
}

/// `taizhang db grants`: a rule for every table the migrations made, the trail append-only,
/// a table without a rule refused, and nothing for SQLite.
async fn the_app_role_grants_cover_every_table_and_keep_the_trail_append_only(app: TestApp) {
    use taizhang::db::grants;
    if app.engine == Engine::Sqlite {
        let refused = grants::statements(&app.db, "taizhang_app").await.unwrap_err();
        assert!(refused.contains("PostgreSQL"), "{refused}");
        return;
    }
    let sql = grants::statements(&app.db, "taizhang_app").await.unwrap();
    assert!(
        sql.contains(&"GRANT SELECT, INSERT ON audit_event TO taizhang_app;".to_owned()),
        "{sql:?}"
    );
    assert_eq!(
        sql.last().map(String::as_str),
        Some("REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM taizhang_app;")
    );
    let tables = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        ))
        .await
        .unwrap();
    assert!(tables.len() >= 25);
    for row in tables {
        let table: String = row.try_get("", "table_name").unwrap();
        assert!(
            sql.iter()
                .any(|s| s.ends_with(&format!(" ON {table} TO taizhang_app;"))),
            "{table}"
        );
    }
    assert!(grants::statements(&app.db, "app; DROP TABLE unit").await.is_err());
    app.db
        .execute_unprepared("CREATE TABLE forgotten (id int)")
        .await
        .unwrap();
    let unknown = grants::statements(&app.db, "taizhang_app").await.unwrap_err();
    assert!(unknown.contains("forgotten"), "{unknown}");
}

on_both_engines!(
    the_app_role_grants_cover_every_table_and_keep_the_trail_append_only,
    verifying_during_writes_reports_no_false_breaks,
    history_shows_who_changed_what_with_before_and_after,
    the_chain_links_every_event_to_the_previous_one,
    the_database_refuses_to_update_or_delete_audit_events,
    an_edited_event_is_found_by_verify_audit_and_the_cli,
    a_deleted_last_event_is_found,
    a_refused_change_leaves_no_event_and_no_gap,
    an_independent_verifier_in_python_agrees_with_the_server,
    database_errors_are_internal_and_leak_nothing,
    an_event_that_does_not_extend_the_head_is_refused_by_the_database,
    an_event_slipped_past_the_head_is_a_break,
);

/// A copy of the last event one seq further on, linked to it: what a role with INSERT on the
/// trail (the server's own) could add without moving the head.
const PAST_THE_HEAD: &str = "INSERT INTO audit_event (seq, occurred_at, actor_id, actor_name, action, entity_type, \
     entity_id, before, after, reason, request_id, prev_hash, hash) \
     SELECT seq + 1, occurred_at, actor_id, actor_name, action, entity_type, entity_id, before, after, reason, \
     request_id, hash, hash FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event)";

async fn an_event_that_does_not_extend_the_head_is_refused_by_the_database(app: TestApp) {
    app.fixture().await;
    let head = app.head_seq().await;
    let err = app
        .db
        .execute_unprepared(PAST_THE_HEAD)
        .await
        .expect_err("insert past the head");
    assert!(err.to_string().contains("must extend the chain head"), "{err}");
    // The server's own appends still go through, and the chain is whole.
    app.create_unit("县审计局", "sjj", "DEPARTMENT", None).await;
    let v = app.ok("{ verifyAudit { ok checkedEvents } }", json!({})).await;
    assert_eq!(v["verifyAudit"], json!({"ok": true, "checkedEvents": head + 1}));
}

async fn an_event_slipped_past_the_head_is_a_break(app: TestApp) {
    app.fixture().await;
    let head = app.head_seq().await;
    // The table's owner can switch the trigger off; verification must still see the row.
    let disable = match app.engine {
        Engine::Sqlite => "DROP TRIGGER audit_event_extends_head",
        Engine::Postgres => "ALTER TABLE audit_event DISABLE TRIGGER audit_event_extends_head",
    };
    app.db
        .execute_unprepared(disable)
        .await
        .expect("disable the insert trigger");
    app.db
        .execute_unprepared(PAST_THE_HEAD)
        .await
        .expect("insert past the head");
    let v = app
        .ok("{ verifyAudit { ok firstBrokenSeq checkedEvents headSeq } }", json!({}))
        .await;
    assert_eq!(
        v["verifyAudit"],
        json!({"ok": false, "firstBrokenSeq": head + 1, "checkedEvents": head, "headSeq": head})
    );
    let (intact, out) = audit_verify_cli(&app).await;
    assert!(!intact, "{out}");
    assert!(out.contains(&format!("BROKEN at seq {}", head + 1)), "{out}");
    // The independent verifier reads the whole trail too, not only up to the head.
    let url = app.url("/graphql");
    let (code, out) = python_verifier(Some(&app.root_token()), &[&url]).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(&format!("broken at seq {}", head + 1)), "{out}");
}

async fn python_verifier(token: Option<&str>, args: &[&str]) -> (Option<i32>, String) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/verify_audit_export.py");
    let mut command = std::process::Command::new("python3");
    command.arg(script).args(args);
    if let Some(token) = token {
        command.env("TAIZHANG_TOKEN", token);
    }
    let output = run(command).await;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

/// The recipe in docs/audit.md, implemented again in another language, agrees with the server.
async fn an_independent_verifier_in_python_agrees_with_the_server(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    app.create_measure(&f, &problem, &f.water, &[&f.education, &f.county], "2026-07-31")
        .await;
    let url = app.url("/graphql");
    let head = app.head_seq().await;
    let (code, out) = python_verifier(None, &[&url]).await;
    assert_eq!(code, Some(2), "anonymous readers may not read the trail: {out}");
    assert!(out.contains("log in first"), "{out}");
    let token = app.root_token();
    let (code, out) = python_verifier(Some(&token), &[&url]).await;
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(&format!("ok: {head} events")), "{out}");
    tamper(&app, "UPDATE audit_event SET actor_name = 'someone else' WHERE seq = 5").await;
    let (code, out) = python_verifier(Some(&token), &[&url]).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("broken at seq 5"), "{out}");
}

/// A database failure reaches the client as INTERNAL with a request id, and nothing more.
async fn database_errors_are_internal_and_leak_nothing(app: TestApp) {
    app.fixture().await;
    app.db
        .execute_unprepared("ALTER TABLE campaign RENAME TO campaign_moved_away")
        .await
        .expect("rename");
    let body = app.post("{ campaigns { totalCount } }", json!({})).await;
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL", "{body}");
    let request_id = error["extensions"]["requestId"].as_str().unwrap_or_default();
    assert!(!request_id.is_empty(), "{body}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains(request_id), "{message}");
    for leak in ["campaign", "table", "relation", "select", "sqlx", "database"] {
        assert!(!message.to_lowercase().contains(leak), "leaks {leak}: {body}");
    }
    let keys: Vec<&String> = error["extensions"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["code", "requestId"], "{body}");
    // A failure inside a data loader (a nested link) is INTERNAL too, not the client's fault.
    app.db
        .execute_unprepared("ALTER TABLE unit RENAME COLUMN short_code TO short_code_moved")
        .await
        .expect("rename");
    let body = app
        .post("{ people { edges { node { unit { shortCode } } } } }", json!({}))
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL", "{body}");
    // …with the request id to quote, like every other INTERNAL error.
    assert!(body["errors"][0]["extensions"]["requestId"].is_string(), "{body}");
}
