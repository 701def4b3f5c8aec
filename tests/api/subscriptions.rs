//! Subscriptions over graphql-transport-ws (`/graphql/ws`): sent after commit, filtered by the
//! subscriber's rights at delivery, ended when the token is revoked, guarded like HTTP, and on
//! PostgreSQL delivered across two server instances on one database (LISTEN/NOTIFY).

use std::time::Duration;

use futures_util::{SinkExt, Stream, StreamExt};
use serde_json::{json, Value};

use crate::helpers::{step, version, Fixture, TestApp};
use crate::on_both_engines;

/// A graphql-transport-ws connection, acknowledged.
async fn connect(
    address: &str,
    token: Option<&str>,
) -> impl Stream<Item = Result<awc::ws::Frame, awc::error::WsProtocolError>>
       + futures_util::Sink<awc::ws::Message, Error = awc::error::WsProtocolError>
       + Unpin {
    let url = format!("{}/graphql/ws", address.replacen("http", "ws", 1));
    let (_, mut socket) = awc::Client::new()
        .ws(url)
        .protocols(["graphql-transport-ws"])
        .connect()
        .await
        .expect("websocket upgrade");
    let payload = match token {
        Some(t) => json!({"Authorization": format!("Bearer {t}")}),
        None => json!({}),
    };
    send(&mut socket, json!({"type": "connection_init", "payload": payload})).await;
    let ack = receive(&mut socket, Duration::from_secs(10))
        .await
        .expect("an answer to connection_init");
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    socket
}

async fn send<S: futures_util::Sink<awc::ws::Message> + Unpin>(socket: &mut S, message: Value) {
    let _ = socket.send(awc::ws::Message::Text(message.to_string().into())).await;
}

/// The next protocol message within `wait`, answering pings; None on timeout or close.
async fn receive<S>(socket: &mut S, wait: Duration) -> Option<Value>
where
    S: Stream<Item = Result<awc::ws::Frame, awc::error::WsProtocolError>>
        + futures_util::Sink<awc::ws::Message>
        + Unpin,
{
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next()).await.ok()??.ok()?;
        match frame {
            awc::ws::Frame::Text(text) => {
                let message: Value = serde_json::from_slice(&text).ok()?;
                if message["type"] == "ping" {
                    send(socket, json!({"type": "pong"})).await;
                    continue;
                }
                return Some(message);
            }
            awc::ws::Frame::Ping(bytes) => {
                let _ = socket.send(awc::ws::Message::Pong(bytes)).await;
            }
            awc::ws::Frame::Close(_) => return None,
            _ => {}
        }
    }
}

async fn subscribe<S: futures_util::Sink<awc::ws::Message> + Unpin>(
    socket: &mut S,
    id: &str,
    query: &str,
    variables: Value,
) {
    send(
        socket,
        json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}}),
    )
    .await;
}

/// The code of the error a message carries: a refusal before execution (`error`) or a
/// resolver's error in `next`.
fn error_code(message: &Value) -> Option<&str> {
    let errors = match message["type"].as_str()? {
        "error" => &message["payload"],
        _ => &message["payload"]["errors"],
    };
    errors[0]["extensions"]["code"].as_str()
}

const MEASURE_CHANGED: &str = "subscription($id: ID!) { measureChanged(id: $id) { id status version } }";
const LEDGER_CHANGED: &str =
    "subscription($c: ID!) { ledgerChanged(campaignId: $c) { seq action entityType measure { id status } } }";

async fn measure_of(app: &TestApp, f: &Fixture, code: &str, unit: &str) -> String {
    let problem = app.create_problem(f, code, unit, "HIGH").await;
    app.create_measure(f, &problem, unit, &[], "2026-12-31").await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn start(app: &TestApp, id: &str) {
    let input = json!({"id": id, "expectedVersion": version(app, id).await});
    step(app, None, "startMeasure", "MeasureTransitionInput", input).await;
}

async fn changes_reach_the_readers_of_what_changed_and_nobody_else(app: TestApp) {
    let f = app.fixture().await;
    let water = measure_of(&app, &f, "S-001", &f.water_division).await;
    let school = measure_of(&app, &f, "S-002", &f.education).await;
    let liaison = app
        .account("liaison", "水利联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let teacher = app
        .account("teacher", "教育联络员", Some(("EDITOR", Some(&f.education))), None)
        .await;

    let mut water_socket = connect(&app.address, Some(&liaison)).await;
    subscribe(&mut water_socket, "m", MEASURE_CHANGED, json!({"id": water})).await;
    subscribe(&mut water_socket, "l", LEDGER_CHANGED, json!({"c": f.campaign})).await;
    let mut school_socket = connect(&app.address, Some(&teacher)).await;
    subscribe(&mut school_socket, "l", LEDGER_CHANGED, json!({"c": f.campaign})).await;
    // The teacher cannot read the water measure: subscribing to it is NOT_FOUND.
    subscribe(&mut school_socket, "m", MEASURE_CHANGED, json!({"id": water})).await;
    let refused = receive(&mut school_socket, Duration::from_secs(10)).await.unwrap();
    assert_eq!(refused["id"], "m", "{refused}");
    assert_eq!(error_code(&refused), Some("NOT_FOUND"), "{refused}");
    let done = receive(&mut school_socket, Duration::from_secs(10)).await.unwrap();
    assert_eq!(
        (&done["id"], &done["type"]),
        (&json!("m"), &json!("complete")),
        "{done}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;

    start(&app, &water).await;
    let mut got = Vec::new();
    for _ in 0..2 {
        got.push(
            receive(&mut water_socket, Duration::from_secs(10))
                .await
                .expect("the change arrives"),
        );
    }
    let changed = got.iter().find(|m| m["id"] == "m").unwrap_or_else(|| panic!("{got:?}"));
    assert_eq!(changed["type"], "next");
    assert_eq!(
        changed["payload"]["data"]["measureChanged"]["status"], "IN_PROGRESS",
        "{changed}"
    );
    let ledger = got.iter().find(|m| m["id"] == "l").unwrap();
    assert_eq!(
        ledger["payload"]["data"]["ledgerChanged"]["action"], "measure.start",
        "{ledger}"
    );
    assert_eq!(
        ledger["payload"]["data"]["ledgerChanged"]["measure"]["id"],
        water.as_str()
    );
    // Nothing of it reaches the teacher; her own unit's change does.
    assert!(
        receive(&mut school_socket, Duration::from_millis(1500)).await.is_none(),
        "the teacher hears nothing of the water measure"
    );
    start(&app, &school).await;
    let own = receive(&mut school_socket, Duration::from_secs(10))
        .await
        .expect("her unit's change");
    assert_eq!(
        own["payload"]["data"]["ledgerChanged"]["measure"]["id"],
        school.as_str(),
        "{own}"
    );
    // A change that rolls back (a stale version) sends nothing.
    let stale = json!({"i": {"id": water, "expectedVersion": 1, "reason": "x"}});
    app.err(
        "mutation($i: MeasureReasonInput!) { cancelMeasure(input: $i) { measure { id } } }",
        stale,
    )
    .await;
    assert!(
        receive(&mut water_socket, Duration::from_millis(1500)).await.is_none(),
        "nothing was committed"
    );
}

async fn a_revoked_token_ends_the_subscription(app: TestApp) {
    let f = app.fixture().await;
    let water = measure_of(&app, &f, "S-010", &f.water_division).await;
    let liaison = app
        .account("liaison", "水利联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let mut socket = connect(&app.address, Some(&liaison)).await;
    subscribe(&mut socket, "m", MEASURE_CHANGED, json!({"id": water})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.ok_as(&liaison, "mutation { logout { revoked } }", json!({})).await;
    start(&app, &water).await;
    let ended = receive(&mut socket, Duration::from_secs(10)).await.expect("an answer");
    assert_eq!(error_code(&ended), Some("UNAUTHENTICATED"), "{ended}");
    // …and then it is complete: nothing more is sent on it.
    let after = receive(&mut socket, Duration::from_secs(2)).await;
    assert!(after.as_ref().is_none_or(|m| m["type"] == "complete"), "{after:?}");
    // A revoked token cannot open a connection either.
    let url = format!("{}/graphql/ws", app.address.replacen("http", "ws", 1));
    let (_, mut again) = awc::Client::new()
        .ws(url)
        .protocols(["graphql-transport-ws"])
        .connect()
        .await
        .unwrap();
    send(
        &mut again,
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {liaison}")}}),
    )
    .await;
    let answer = receive(&mut again, Duration::from_secs(10)).await;
    assert!(
        answer.as_ref().is_none_or(|a| a["type"] != "connection_ack"),
        "{answer:?}"
    );
}

async fn the_public_follows_the_audit_head_and_the_socket_is_guarded(app: TestApp) {
    let mut socket = connect(&app.address, None).await;
    subscribe(
        &mut socket,
        "h",
        "subscription { auditHeadAdvanced { seq hash } }",
        json!({}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.create_unit("县审计局", "QS-SJJ", "DEPARTMENT", None).await;
    let head = app.ok("{ auditHead { seq hash } }", json!({})).await["auditHead"].clone();
    let mut last = Value::Null;
    while let Some(m) = receive(&mut socket, Duration::from_secs(10)).await {
        last = m["payload"]["data"]["auditHeadAdvanced"].clone();
        if last["seq"] == head["seq"] {
            break;
        }
    }
    assert_eq!(last, head, "the head as committed");
    // Hostile documents get the HTTP refusals, and the server stays up.
    let deep = format!(
        "subscription {{ auditHeadAdvanced {{ seq }} }} query q($v: [Int] = {}1{}) {{ auditHead {{ seq }} }}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    subscribe(&mut socket, "deep", &deep, json!({})).await;
    let refused = receive(&mut socket, Duration::from_secs(10)).await.expect("a refusal");
    assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{refused}");
    let done = receive(&mut socket, Duration::from_secs(10)).await.unwrap();
    assert_eq!(done["type"], "complete", "{done}");
    subscribe(&mut socket, "w", "mutation { logout { revoked } }", json!({})).await;
    let refused = receive(&mut socket, Duration::from_secs(10)).await.expect("a refusal");
    let text = refused.to_string();
    assert!(text.contains("POST"), "{refused}");
    app.ok("{ auditHead { seq } }", json!({})).await;
}

/// A second server on the same database: what one instance commits reaches the subscribers
/// of the other (PostgreSQL's NOTIFY; SQLite runs one process, so this is PostgreSQL's test).
async fn a_change_through_one_instance_reaches_the_subscribers_of_another(app: TestApp) {
    let f = app.fixture().await;
    let water = measure_of(&app, &f, "S-020", &f.water_division).await;
    let db = taizhang::db::connect(&app.database_url, 4).await.unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let config = taizhang::startup::AppConfig {
        workers: 1,
        clock: app.clock.clone(),
        ..Default::default()
    };
    let second = taizhang::startup::Application::build(db, listener, config).unwrap();
    let address = format!("http://127.0.0.1:{}", second.port);
    actix_web::rt::spawn(second.server);
    let mut socket = connect(&address, Some(&app.root_token())).await;
    subscribe(&mut socket, "m", MEASURE_CHANGED, json!({"id": water})).await;
    // The signal itself: PostgreSQL notifies taizhang_audit with the new seq at commit.
    let pool = sea_orm::sqlx::PgPool::connect(&app.database_url).await.unwrap();
    let mut raw = sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await.unwrap();
    raw.listen("taizhang_audit").await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    start(&app, &water).await;
    let notified = tokio::time::timeout(Duration::from_secs(10), raw.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(notified.payload(), app.head_seq().await.to_string());
    let changed = receive(&mut socket, Duration::from_secs(10))
        .await
        .expect("the change reaches the other instance");
    assert_eq!(
        changed["payload"]["data"]["measureChanged"]["status"], "IN_PROGRESS",
        "{changed}"
    );
}

on_both_engines!(
    changes_reach_the_readers_of_what_changed_and_nobody_else,
    a_revoked_token_ends_the_subscription,
    the_public_follows_the_audit_head_and_the_socket_is_guarded,
);

mod postgres_instances {
    #[actix_web::test]
    #[ignore = "needs PostgreSQL: set TAIZHANG_TEST_POSTGRES_URL and pass --ignored"]
    async fn a_change_through_one_instance_reaches_the_subscribers_of_another() {
        let app = crate::helpers::spawn_app(crate::helpers::Engine::Postgres).await;
        super::a_change_through_one_instance_reaches_the_subscribers_of_another(app).await;
    }
}
