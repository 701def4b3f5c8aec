//! Webhooks: every audit event is POSTed, signed, from an outbox row written with the change;
//! a failed delivery is retried after its backoff, a rolled-back change sends nothing, the log
//! is for administrators, and killing the server between commit and delivery loses no event.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use taizhang::webhook::{sign, WebhookConfig};

use crate::helpers::{spawn_app_with, Engine, TestApp};

const SECRET: &str = "青山县督查室-webhook-key-2026";
const LOG: &str = "query($p: Boolean! = false) { webhookDeliveries(pendingOnly: $p, first: 200) { configured pendingCount items { seq action attempts lastStatus lastError deliveredAt nextAttemptAt } } }";

/// One POST as the receiver saw it.
#[derive(Debug, Clone)]
struct Delivery {
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Delivery {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// An HTTP endpoint on loopback that records what it gets and answers with the statuses given,
/// then 200.
struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Delivery>>>,
}

impl Receiver {
    fn start(statuses: Vec<u16>) -> Self {
        Self::on(std::net::TcpListener::bind("127.0.0.1:0").unwrap(), statuses)
    }

    fn on(listener: std::net::TcpListener, statuses: Vec<u16>) -> Self {
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let seen = got.clone();
        let mut statuses: VecDeque<u16> = statuses.into();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let Some(delivery) = read_request(&stream) else {
                    continue;
                };
                seen.lock().unwrap().push(delivery);
                let status = statuses.pop_front().unwrap_or(200);
                let mut stream = stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        Self { port, got }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/taizhang", self.port)
    }

    fn of_action(&self, action: &str) -> Vec<Delivery> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .filter(|d| d.json()["action"] == action)
            .cloned()
            .collect()
    }
}

fn read_request(stream: &std::net::TcpStream) -> Option<Delivery> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut headers = HashMap::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(':')?;
        headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
    }
    let len: usize = headers.get("content-length")?.parse().ok()?;
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Delivery { headers, body })
}

/// Waits (at most 20 s) until `done` holds.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..400 {
        if done() {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}

async fn app_posting_to(engine: Engine, receiver: &Receiver) -> TestApp {
    let mut config = WebhookConfig::new(&receiver.url(), SECRET).unwrap();
    config.poll = Duration::from_millis(50);
    config.timeout = Duration::from_secs(5);
    spawn_app_with(engine, move |c| c.webhook = Some(config)).await
}

fn check_signed(d: &Delivery) {
    let expected = format!("sha256={}", sign(SECRET.as_bytes(), &d.body));
    assert_eq!(
        d.headers.get("x-taizhang-signature"),
        Some(&expected),
        "{:?}",
        d.headers
    );
    let seq = d.json()["seq"].as_i64().unwrap();
    assert_eq!(d.headers.get("x-taizhang-delivery"), Some(&seq.to_string()));
}

async fn each_event_is_posted_signed_and_retried_after_a_failure(engine: Engine) {
    // The first two POSTs fail (HTTP 500), then every one succeeds.
    let receiver = Receiver::start(vec![500, 500]);
    let app = app_posting_to(engine, &receiver).await;
    let unit = app.create_unit("县乡村振兴局", "QS-XCZX", "DEPARTMENT", None).await;
    // Only changes made through the server are queued (the test's root account was made
    // beside it): the unit's event is the first POST, refused.
    until("the unit's event arrives", || {
        !receiver.of_action("unit.create").is_empty()
    })
    .await;
    let first = &receiver.of_action("unit.create")[0];
    check_signed(first);
    let body = first.json();
    assert_eq!(
        (body["entityType"].as_str(), body["entityId"].as_str()),
        (Some("Unit"), Some(unit.as_str()))
    );
    assert_eq!(
        first.headers.get("x-taizhang-event").map(String::as_str),
        Some("unit.create")
    );
    let head = app.ok("{ auditHead { seq hash } }", json!({})).await["auditHead"].clone();
    assert_eq!(
        body["hash"], head["hash"],
        "the event's hash, to check against the trail"
    );

    // The refused attempts are in the log; after the backoff (the test clock moves) they succeed.
    let log = app.ok(LOG, json!({"p": true})).await["webhookDeliveries"].clone();
    assert_eq!(log["configured"], true);
    assert!(log["pendingCount"].as_u64().unwrap() >= 1, "{log}");
    let failed = &log["items"][log["items"].as_array().unwrap().len() - 1];
    assert_eq!(
        (failed["lastStatus"].as_i64(), failed["lastError"].as_str()),
        (Some(500), Some("HTTP 500")),
        "{log}"
    );
    let mut pending = 1;
    for _ in 0..200 {
        pending = app.ok(LOG, json!({})).await["webhookDeliveries"]["pendingCount"]
            .as_u64()
            .unwrap();
        if pending == 0 {
            break;
        }
        app.clock.advance(chrono::Duration::seconds(5));
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(pending, 0);
    assert_eq!(
        receiver.of_action("unit.create").len(),
        3,
        "refused twice, then delivered"
    );
    let log = app.ok(LOG, json!({})).await["webhookDeliveries"].clone();
    let retried = log["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (retried["attempts"].as_i64(), retried["lastStatus"].as_i64()),
        (Some(3), Some(200)),
        "{log}"
    );
    assert!(retried["nextAttemptAt"].is_null() && !retried["deliveredAt"].is_null());

    // A refused change writes no event, so nothing is queued or sent.
    let before = log["items"].as_array().unwrap().len();
    let refused = app
        .err(
            "mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id } } }",
            json!({"i": {"name": " ", "shortCode": "QS-X", "kind": "DEPARTMENT"}}),
        )
        .await;
    assert_eq!(refused.code, "BAD_USER_INPUT");
    let after = app.ok(LOG, json!({})).await["webhookDeliveries"]["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(after, before);

    // The log is for administrators.
    let viewer = app.account("viewer", "查看", Some(("VIEWER", None)), None).await;
    assert_eq!(app.err_as(&viewer, LOG, json!({})).await.code, "FORBIDDEN");
    assert_eq!(app.err_anonymous(LOG, json!({})).await.code, "UNAUTHENTICATED");
}

/// A port nothing listens on (bound, then released).
fn dead_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the server binary on the test's database, posting to `url`; returns it and its address.
fn serve(app: &TestApp, url: &str) -> (std::process::Child, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &app.database_url])
        .args(["--webhook-url", url, "--webhook-secret", SECRET])
        .env("RUST_LOG", "info")
        .env("TAIZHANG_LOG_FORMAT", "text")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn the server");
    // The log (on standard error) names the address bound.
    let stdout = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on http://").nth(1) {
                let _ = tx.send(rest.split('/').next().unwrap_or_default().to_owned());
            }
        }
    });
    let address = rx.recv_timeout(Duration::from_secs(60)).expect("the server's address");
    (child, format!("http://{address}/graphql"))
}

/// A change committed by a server killed (SIGKILL) before it could deliver the event is
/// delivered by the next server.
async fn killing_the_server_between_commit_and_delivery_loses_no_event(engine: Engine) {
    let app = spawn_app_with(engine, |_| {}).await;
    // The first server posts to a dead port: the event stays in its outbox.
    let (mut first, graphql) = serve(&app, &format!("http://127.0.0.1:{}/hook", dead_port()));
    let client = awc::Client::default();
    let token = login_admin(&app, &client, &graphql).await;
    let created: Value = client
        .post(&graphql)
        .bearer_auth(&token)
        .send_json(&json!({"query": "mutation { createUnit(input: {name: \"县数据局\", shortCode: \"QS-SJJ\", kind: DEPARTMENT}) { unit { id } } }"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let unit = created["data"]["createUnit"]["unit"]["id"]
        .as_str()
        .expect("created")
        .to_owned();
    first.kill().expect("SIGKILL");
    first.wait().ok();
    // Nothing arrived: it is pending in the outbox.
    let pending = app.ok(LOG, json!({"p": true})).await["webhookDeliveries"]["items"].clone();
    assert!(
        pending.as_array().unwrap().iter().any(|i| i["action"] == "unit.create"),
        "{pending}"
    );

    // The next server delivers it.
    let receiver = Receiver::start(vec![]);
    let (mut second, _) = serve(&app, &receiver.url());
    until("the killed server's event arrives", || {
        !receiver.of_action("unit.create").is_empty()
    })
    .await;
    let got = receiver.of_action("unit.create");
    check_signed(&got[0]);
    assert_eq!(got[0].json()["entityId"], unit.as_str());
    second.kill().ok();
    second.wait().ok();
}

/// An administrator of the spawned server: created through the CLI, logged in over HTTP.
async fn login_admin(app: &TestApp, client: &awc::Client, graphql: &str) -> String {
    let url = app.database_url.clone();
    let status = actix_web::rt::task::spawn_blocking(move || {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_taizhang"))
            .args([
                "account",
                "create",
                "--admin",
                "--username",
                "hook-admin",
                "--display-name",
                "管理员",
                "--database-url",
                &url,
            ])
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"correct horse battery staple\n")
            .expect("write");
        child.wait().expect("wait")
    })
    .await
    .unwrap();
    assert!(status.success());
    let login: Value = client
        .post(graphql)
        .send_json(&json!({"query": "mutation { login(input: {username: \"hook-admin\", password: \"correct horse battery staple\"}) { token } }"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["data"]["login"]["token"].as_str().expect("a token").to_owned()
}

mod sqlite {
    use crate::helpers::Engine;

    #[actix_web::test]
    async fn each_event_is_posted_signed_and_retried_after_a_failure() {
        super::each_event_is_posted_signed_and_retried_after_a_failure(Engine::Sqlite).await;
    }

    #[actix_web::test]
    async fn killing_the_server_between_commit_and_delivery_loses_no_event() {
        super::killing_the_server_between_commit_and_delivery_loses_no_event(Engine::Sqlite).await;
    }
}

mod postgres {
    use crate::helpers::Engine;

    #[actix_web::test]
    #[ignore = "needs PostgreSQL: set TAIZHANG_TEST_POSTGRES_URL and pass --ignored"]
    async fn each_event_is_posted_signed_and_retried_after_a_failure() {
        super::each_event_is_posted_signed_and_retried_after_a_failure(Engine::Postgres).await;
    }

    #[actix_web::test]
    #[ignore = "needs PostgreSQL: set TAIZHANG_TEST_POSTGRES_URL and pass --ignored"]
    async fn killing_the_server_between_commit_and_delivery_loses_no_event() {
        super::killing_the_server_between_commit_and_delivery_loses_no_event(Engine::Postgres).await;
    }
}
