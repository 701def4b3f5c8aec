//! What an operator watches: `/livez`, `/readyz` (the database answers and no migration is
//! pending) and Prometheus `/metrics` (requests by operation and status, chain appends, failed
//! logins, the audit head, the pool).

use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::on_both_engines;

async fn get(app: &TestApp, path: &str) -> (u16, String) {
    let mut response = app.client().get(app.url(path)).send().await.unwrap();
    let body = response.body().limit(4 << 20).await.unwrap();
    (response.status().as_u16(), String::from_utf8_lossy(&body).into_owned())
}

/// The value of the metric line that starts with `series` (name and labels).
fn value(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

async fn live_ready_and_not_ready_while_a_migration_is_pending(app: TestApp) {
    use migration::MigratorTrait;
    assert_eq!(get(&app, "/livez").await.0, 200);
    let (status, body) = get(&app, "/readyz").await;
    assert_eq!(
        (status, serde_json::from_str::<Value>(&body).unwrap()),
        (200, json!({"status": "ready"}))
    );
    // An instance whose database lacks the newest migration takes no traffic.
    migration::Migrator::down(&app.db, Some(1)).await.unwrap();
    let (status, body) = get(&app, "/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"status": "migrations pending", "pending": 1})
    );
    assert_eq!(get(&app, "/livez").await.0, 200, "alive all the same");
    migration::Migrator::up(&app.db, None).await.unwrap();
    assert_eq!(get(&app, "/readyz").await.0, 200);
}

async fn metrics_count_requests_appends_and_failed_logins(app: TestApp) {
    let (_, before) = get(&app, "/metrics").await;
    let ledger_page = "taizhang_http_requests_total{operation=\"OperatorLedgerPage\",status=\"200\"}";
    let was = value(&before, ledger_page).unwrap_or(0.0);
    for _ in 0..3 {
        app.ok(
            "query OperatorLedgerPage { measures(first: 5) { totalCount } }",
            json!({}),
        )
        .await;
    }
    app.create_unit("县审计局", "QS-SJJ", "DEPARTMENT", None).await;
    let login = "mutation { login(input: {username: \"nobody.here\", password: \"错误的密码123456\"}) { token } }";
    app.err_anonymous(login, json!({})).await;
    // A made-up operation name is counted, never written out as a label.
    let odd = json!({"query": "query A { auditHead { seq } }", "operationName": "<script>alert(1)</script>"});
    app.client().post(app.url("/graphql")).send_json(&odd).await.unwrap();
    assert_eq!(get(&app, "/healthz").await.0, 200);
    let (status, metrics) = get(&app, "/metrics").await;
    assert_eq!(status, 200);
    assert_eq!(value(&metrics, ledger_page), Some(was + 3.0), "{metrics}");
    assert!(metrics.contains(
        "taizhang_http_request_duration_seconds_bucket{operation=\"OperatorLedgerPage\",status=\"200\",le=\"+Inf\"}"
    ));
    assert!(
        value(&metrics, "taizhang_audit_append_duration_seconds_count").unwrap() >= 1.0,
        "{metrics}"
    );
    assert!(value(&metrics, "taizhang_login_failures_total").unwrap() >= 1.0);
    assert_eq!(
        value(&metrics, "taizhang_audit_head_seq"),
        Some(app.head_seq().await as f64)
    );
    assert!(value(&metrics, "taizhang_db_pool_max_connections").unwrap() >= 1.0);
    assert!(
        value(
            &metrics,
            "taizhang_http_requests_total{operation=\"/healthz\",status=\"200\"}"
        )
        .is_some_and(|n| n >= 1.0),
        "a route without a GraphQL operation is counted by its pattern: {metrics}"
    );
    assert!(!metrics.contains("<script>"), "no label from a client's text");
    for line in metrics.lines().filter(|l| !l.starts_with('#')) {
        let number = line.rsplit(' ').next().unwrap();
        assert!(number.parse::<f64>().is_ok(), "a sample per line: {line}");
    }
}

on_both_engines!(
    live_ready_and_not_ready_while_a_migration_is_pending,
    metrics_count_requests_appends_and_failed_logins,
);
