//! OpenTelemetry: with `--otlp-endpoint`, the server exports its spans over OTLP/HTTP to the
//! collector, and a request that carries a W3C `traceparent` continues that trace.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpResponse, HttpServer};

/// Kills the server process when the test ends, pass or fail.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[actix_web::test]
async fn spans_go_to_the_collector_and_a_traceparent_is_continued() {
    // A collector that keeps every body it is sent.
    let received: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = received.clone();
    let collector = HttpServer::new(move || {
        let sink = sink.clone();
        App::new().route(
            "/v1/traces",
            web::post().to(move |body: web::Bytes| {
                let sink = sink.clone();
                async move {
                    sink.lock().unwrap().push(String::from_utf8_lossy(&body).into_owned());
                    HttpResponse::Ok().content_type("application/json").body("{}")
                }
            }),
        )
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let collector_port = collector.addrs()[0].port();
    actix_web::rt::spawn(collector.run());

    let db = std::env::temp_dir().join(format!("taizhang-otlp-{}.db", uuid::Uuid::now_v7().simple()));
    let port = free_port();
    let _server = Child(
        std::process::Command::new(env!("CARGO_BIN_EXE_taizhang"))
            .args(["--database-url", &format!("sqlite://{}?mode=rwc", db.display())])
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .args(["--otlp-endpoint", &format!("http://127.0.0.1:{collector_port}")])
            .env("OTEL_BSP_SCHEDULE_DELAY", "200")
            .env("RUST_LOG", "warn")
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let client = awc::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let mut ready = false;
    for _ in 0..100 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "the server started");
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let response = client
        .post(format!("{base}/graphql"))
        .insert_header(("traceparent", format!("00-{trace}-00f067aa0ba902b7-01")))
        .send_json(&serde_json::json!({"query": "{ auditHead { seq } }"}))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut exported = String::new();
    for _ in 0..100 {
        exported = received.lock().unwrap().join("\n");
        // The request's span ends last and may come in a later batch than its children.
        if exported.contains(trace) && exported.contains("POST /graphql") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        exported.contains(trace),
        "the request's span continues the caller's trace: {exported}"
    );
    assert!(exported.contains("taizhang"), "the service is named: {exported}");
    assert!(
        exported.contains("POST /graphql"),
        "the request span is named by route: {exported}"
    );
    std::fs::remove_file(&db).ok();
}
