//! Webhooks: with `--webhook-url` and `--webhook-secret`, every audit event is POSTed as JSON to
//! the URL, signed with HMAC-SHA256 of the body under the secret. Each event gets an outbox row
//! in the same transaction as the change (`store::Write::record_change`); this deliverer sends
//! the pending rows after commit, retries a failed one with exponential backoff (1 s, 2 s, 4 s
//! … at most an hour), and records every attempt's outcome on the row. A crash between commit
//! and delivery loses nothing: the row is still pending when the server starts again. Delivery
//! is at least once (a crash after the POST and before the row is updated sends it again):
//! receivers deduplicate by `X-Taizhang-Delivery` (the event's seq).
//!
//! Plain `http://` only: the offices' intranets terminate TLS at a proxy if at all.

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::{audit_event, webhook_outbox as outbox};
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::domain::Ledger;

/// Most rows sent per round.
const BATCH: u64 = 50;

/// The longest wait between two attempts.
const MAX_BACKOFF_SECS: i64 = 3600;

/// Where and how to deliver.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub target: Target,
    pub secret: String,
    /// How often pending rows are looked for.
    pub poll: Duration,
    /// How long one POST may take, connection included.
    pub timeout: Duration,
}

impl WebhookConfig {
    /// From the URL and the secret (at least 16 characters).
    pub fn new(url: &str, secret: &str) -> Result<Self, String> {
        if secret.chars().count() < 16 {
            return Err("--webhook-secret must be at least 16 characters".to_owned());
        }
        Ok(Self {
            target: Target::parse(url)?,
            secret: secret.to_owned(),
            poll: Duration::from_millis(250),
            timeout: Duration::from_secs(10),
        })
    }
}

/// An `http://host[:port]/path` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl Target {
    pub fn parse(url: &str) -> Result<Self, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("--webhook-url must start with http:// (got `{url}`)"))?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| format!("--webhook-url has a bad port: `{p}`"))?,
            ),
            None => (authority, 80),
        };
        if host.is_empty() || path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("--webhook-url is not a usable http:// URL: `{url}`"));
        }
        Ok(Self {
            host: host.to_owned(),
            port,
            path: path.to_owned(),
        })
    }
}

/// The hex HMAC-SHA256 of `body` under `secret`: the `X-Taizhang-Signature: sha256=<hex>`
/// header a receiver recomputes.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        // HMAC takes keys of any length; this cannot happen.
        return String::new();
    };
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// The wait after the `attempts`-th failed attempt: 1 s, 2 s, 4 s, … at most an hour.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(12);
    chrono::Duration::seconds((1_i64 << exponent).min(MAX_BACKOFF_SECS))
}

/// The JSON body of an event: what happened, to what, by whom, when, and the event's hash (so
/// a receiver can check it against `verifyCheckpoint`); details are read from the API.
pub fn payload(event: &audit_event::Model) -> serde_json::Value {
    serde_json::json!({
        "seq": event.seq,
        "action": event.action,
        "entityType": event.entity_type,
        "entityId": event.entity_id,
        "occurredAt": event.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "actor": {"id": event.actor_id, "displayName": event.actor_name},
        "reason": event.reason,
        "hash": event.hash,
    })
}

/// Delivers pending rows until the process ends.
pub async fn run(ledger: Ledger, config: WebhookConfig) {
    tracing::info!(host = %config.target.host, port = config.target.port, "webhook deliverer started");
    loop {
        match deliver_due(&ledger, &config).await {
            Ok(n) if n > 0 => tracing::debug!(delivered = n, "webhook round"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "webhook round failed"),
        }
        tokio::time::sleep(config.poll).await;
    }
}

/// One round: every row due now, oldest seq first, POSTed once. Returns how many succeeded.
pub async fn deliver_due(ledger: &Ledger, config: &WebhookConfig) -> Result<usize, DbErr> {
    let now = ledger.now();
    let due = outbox::Entity::find()
        .filter(outbox::Column::DeliveredAt.is_null())
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox::Column::Seq)
        .limit(BATCH)
        .all(&ledger.db)
        .await?;
    let mut delivered = 0;
    for row in due {
        let seq = row.seq;
        let outcome = match audit_event::Entity::find_by_id(seq).one(&ledger.db).await? {
            Some(event) => {
                let body = serde_json::to_vec(&payload(&event)).unwrap_or_default();
                post(config, &event, &body).await
            }
            // Cannot happen while the trail is append-only; kept pending with its backoff.
            None => Err(format!("audit event {seq} is missing from the trail")),
        };
        if outcome.as_ref().is_ok_and(|s| (200..300).contains(s)) {
            delivered += 1;
        }
        // A failed update leaves the row pending: it is sent again (at least once), and the
        // rest of the round goes on.
        if let Err(e) = record_attempt(ledger, row, outcome, ledger.now()).await {
            tracing::warn!(seq, error = %e, "webhook attempt not recorded");
        }
    }
    Ok(delivered)
}

/// Writes an attempt's outcome on the row: delivered, or the next attempt after the backoff.
async fn record_attempt(
    ledger: &Ledger,
    row: outbox::Model,
    outcome: Result<u16, String>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let attempts = row.attempts.saturating_add(1);
    let mut next = row.into_active_model();
    next.attempts = sea_orm::Set(attempts);
    next.last_attempt_at = sea_orm::Set(Some(at));
    match outcome {
        Ok(status) if (200..300).contains(&status) => {
            next.last_status = sea_orm::Set(Some(i32::from(status)));
            next.last_error = sea_orm::Set(None);
            next.delivered_at = sea_orm::Set(Some(at));
        }
        Ok(status) => {
            next.last_status = sea_orm::Set(Some(i32::from(status)));
            next.last_error = sea_orm::Set(Some(format!("HTTP {status}")));
            next.next_attempt_at = sea_orm::Set(at + backoff(attempts));
        }
        Err(e) => {
            next.last_status = sea_orm::Set(None);
            next.last_error = sea_orm::Set(Some(e));
            next.next_attempt_at = sea_orm::Set(at + backoff(attempts));
        }
    }
    let _turn = ledger.write_turn().await;
    next.update(&ledger.db).await?;
    Ok(())
}

/// POSTs one event; the response's status, or why there was none.
async fn post(config: &WebhookConfig, event: &audit_event::Model, body: &[u8]) -> Result<u16, String> {
    let t = &config.target;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: taizhang\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nX-Taizhang-Event: {action}\r\nX-Taizhang-Delivery: {seq}\r\nX-Taizhang-Signature: sha256={sig}\r\nConnection: close\r\n\r\n",
        path = t.path,
        host = t.host,
        port = t.port,
        len = body.len(),
        action = event.action,
        seq = event.seq,
        sig = sign(config.secret.as_bytes(), body),
    );
    let exchange = async {
        let mut stream = TcpStream::connect((t.host.as_str(), t.port))
            .await
            .map_err(|e| format!("connect: {e}"))?;
        stream
            .write_all(head.as_bytes())
            .await
            .map_err(|e| format!("send: {e}"))?;
        stream.write_all(body).await.map_err(|e| format!("send: {e}"))?;
        read_status(&mut stream).await
    };
    tokio::time::timeout(config.timeout, exchange)
        .await
        .map_err(|_| format!("no answer within {} s", config.timeout.as_secs()))?
}

/// The status code of the response's first line (`HTTP/1.1 200 OK`).
async fn read_status(stream: &mut TcpStream) -> Result<u16, String> {
    let mut seen = Vec::new();
    let mut chunk = [0_u8; 512];
    while !seen.windows(2).any(|w| w == b"\r\n") && seen.len() < 4096 {
        let n = stream.read(&mut chunk).await.map_err(|e| format!("receive: {e}"))?;
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&chunk[..n]);
    }
    status_of(&seen).ok_or_else(|| "the answer is not HTTP".to_owned())
}

fn status_of(response: &[u8]) -> Option<u16> {
    let line = response.split(|b| *b == b'\r').next()?;
    let text = std::str::from_utf8(line).ok()?;
    let mut parts = text.split(' ');
    parts.next().filter(|v| v.starts_with("HTTP/1."))?;
    parts.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_rfc_4231_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let secs: Vec<i64> = [1, 2, 3, 4, 12, 13, 40].map(|a| backoff(a).num_seconds()).to_vec();
        assert_eq!(secs, [1, 2, 4, 8, 2048, 3600, 3600]);
    }

    #[test]
    fn only_plain_http_urls_are_taken() {
        assert_eq!(
            Target::parse("http://10.1.2.3:8088/hooks/taizhang").unwrap(),
            Target {
                host: "10.1.2.3".to_owned(),
                port: 8088,
                path: "/hooks/taizhang".to_owned()
            }
        );
        assert_eq!(Target::parse("http://oa.local").unwrap().port, 80);
        for bad in [
            "https://x/",
            "ftp://x",
            "http://:80/",
            "http://x:99999/",
            "http://x/a b",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
        assert!(WebhookConfig::new("http://x/", "short").is_err());
    }

    #[test]
    fn the_status_is_read_from_the_first_line() {
        assert_eq!(status_of(b"HTTP/1.1 204 No Content\r\n\r\n"), Some(204));
        assert_eq!(status_of(b"HTTP/1.0 500 Oops\r\n"), Some(500));
        assert_eq!(status_of(b"SSH-2.0-OpenSSH\r\n"), None);
    }
}
