//! Prometheus metrics, kept in the process and written in the text exposition format at
//! `GET /metrics` (`http::metrics`): requests by operation and status with their latency,
//! chain appends (a write's commit) with their latency, failed logins. The gauges (audit head,
//! database pool) are read when scraped. No crate: a handful of atomics and one map whose
//! size is capped, so that no client can grow it (an operation name it makes up beyond the cap
//! is counted as `other`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Distinct (operation, status) series kept; more are counted under `other`.
const MAX_SERIES: usize = 256;
/// The longest operation name kept as a label.
const MAX_NAME: usize = 64;

#[derive(Debug, Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                self.buckets[i] += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }

    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {}", self.buckets[i]);
        }
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}", self.count);
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

static REQUESTS: LazyLock<Mutex<BTreeMap<(String, u16), Histogram>>> = LazyLock::new(Default::default);
static APPENDS: LazyLock<Mutex<Histogram>> = LazyLock::new(Default::default);
static LOGIN_FAILURES: AtomicU64 = AtomicU64::new(0);

/// An operation name as a label: GraphQL names and route patterns only (letters, digits, `_`,
/// `/`, `{`, `}`, `.`, `-`), at most [`MAX_NAME`] characters; anything else is `other`.
pub fn operation_label(name: &str) -> String {
    let fits = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '{' | '}' | '.' | '-'));
    if fits {
        name.to_owned()
    } else {
        "other".to_owned()
    }
}

/// One request answered.
pub fn observe_request(operation: &str, status: u16, seconds: f64) {
    let Ok(mut map) = REQUESTS.lock() else { return };
    let mut key = (operation_label(operation), status);
    if !map.contains_key(&key) && map.len() >= MAX_SERIES {
        key.0 = "other".to_owned();
    }
    map.entry(key).or_default().observe(seconds);
}

/// One write committed with its events: the time from taking the chain head to the commit.
pub fn observe_append(seconds: f64) {
    if let Ok(mut h) = APPENDS.lock() {
        h.observe(seconds);
    }
}

pub fn count_login_failure() {
    LOGIN_FAILURES.fetch_add(1, Ordering::Relaxed);
}

/// Gauges read at scrape time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gauges {
    pub audit_head_seq: i64,
    pub pool_connections: u32,
    pub pool_idle: u32,
    pub pool_max: u32,
}

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Every metric in the Prometheus text format (version 0.0.4).
pub fn render(gauges: Gauges) -> String {
    let mut out = String::new();
    out.push_str("# HELP taizhang_http_requests_total Requests answered, by operation (GraphQL operation name or route) and status.\n");
    out.push_str("# TYPE taizhang_http_requests_total counter\n");
    let requests = REQUESTS
        .lock()
        .map(|m| m.iter().map(|(k, h)| (k.clone(), h.count)).collect::<Vec<_>>());
    for ((op, status), count) in requests.unwrap_or_default() {
        let _ = writeln!(
            out,
            "taizhang_http_requests_total{{operation=\"{}\",status=\"{status}\"}} {count}",
            escape(&op)
        );
    }
    out.push_str("# HELP taizhang_http_request_duration_seconds Time to answer a request, by operation and status.\n");
    out.push_str("# TYPE taizhang_http_request_duration_seconds histogram\n");
    if let Ok(map) = REQUESTS.lock() {
        for ((op, status), h) in map.iter() {
            let labels = format!("operation=\"{}\",status=\"{status}\"", escape(op));
            h.write(&mut out, "taizhang_http_request_duration_seconds", &labels);
        }
    }
    out.push_str("# HELP taizhang_audit_append_duration_seconds Time a write holds the chain head, from taking it to the commit of its events.\n");
    out.push_str("# TYPE taizhang_audit_append_duration_seconds histogram\n");
    if let Ok(h) = APPENDS.lock() {
        h.write(&mut out, "taizhang_audit_append_duration_seconds", "");
    }
    out.push_str("# HELP taizhang_login_failures_total Failed logins since the process started.\n");
    out.push_str("# TYPE taizhang_login_failures_total counter\n");
    let _ = writeln!(
        out,
        "taizhang_login_failures_total {}",
        LOGIN_FAILURES.load(Ordering::Relaxed)
    );
    let gauge = |out: &mut String, name: &str, help: &str, value: String| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
    };
    gauge(
        &mut out,
        "taizhang_audit_head_seq",
        "The seq of the newest event of the audit trail.",
        gauges.audit_head_seq.to_string(),
    );
    gauge(
        &mut out,
        "taizhang_db_pool_connections",
        "Database connections open in the pool.",
        gauges.pool_connections.to_string(),
    );
    gauge(
        &mut out,
        "taizhang_db_pool_idle_connections",
        "Open database connections not in use.",
        gauges.pool_idle.to_string(),
    );
    gauge(
        &mut out,
        "taizhang_db_pool_max_connections",
        "The pool's limit.",
        gauges.pool_max.to_string(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_up_operation_names_do_not_become_labels() {
        assert_eq!(operation_label("LedgerPage"), "LedgerPage");
        assert_eq!(operation_label("/evidence/{id}"), "/evidence/{id}");
        assert_eq!(operation_label("a\"b"), "other");
        assert_eq!(operation_label(&"x".repeat(65)), "other");
        assert_eq!(operation_label(""), "other");
    }

    #[test]
    fn a_histogram_counts_each_observation_in_every_bucket_above_it() {
        let mut h = Histogram::default();
        h.observe(0.02);
        h.observe(3.0);
        assert_eq!(h.buckets[0], 0);
        assert_eq!(h.buckets[2], 1); // le 0.025
        assert_eq!(h.buckets[9], 2); // le 5
        assert_eq!(h.count, 2);
        let mut out = String::new();
        h.write(&mut out, "t", "");
        assert!(out.contains("t_bucket{le=\"+Inf\"} 2\n"), "{out}");
        assert!(out.contains("t_count 2\n"), "{out}");
    }
}
