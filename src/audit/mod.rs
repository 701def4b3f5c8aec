//! The audit trail (审计日志, 留痕): append events in the caller's transaction, read them back,
//! and verify the hash chain. DESIGN §5 and docs/audit.md describe the rules.

//!
//! A leaf below the domain: it imports nothing of it. Writers pass an [`Attribution`] (who and
//! in which request); errors are [`AuditError`].

pub mod canonical;
mod error;
pub mod query;
mod record;
mod replay;
mod verify;

pub use error::{AuditError, AuditResult};
pub use record::{record, Attribution, Change, Head};
pub use replay::replay;
pub use verify::{read_head, verify, Checkpoint, Verification};

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// The one format of instants in the hashed object: RFC 3339, UTC, exactly six fractional
/// digits (`2026-11-22T01:47:32.123456Z`).
pub fn format_instant(instant: &DateTime<Utc>) -> String {
    instant.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Every field of an event but its hash, as a JSON object: what the hash covers.
pub fn hashed_object_of(event: &entity::audit_event::Model) -> Value {
    json!({
        "seq": event.seq,
        "occurredAt": format_instant(&event.occurred_at),
        "actorId": event.actor_id,
        "actorName": event.actor_name,
        "action": event.action,
        "entityType": event.entity_type,
        "entityId": event.entity_id.hyphenated().to_string(),
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "requestId": event.request_id,
        "prevHash": event.prev_hash,
    })
}

/// The hash a stored event should carry, given the hex of the previous hash it names.
pub fn expected_hash(event: &entity::audit_event::Model) -> Option<String> {
    let prev = decode_hash(&event.prev_hash)?;
    let canonical = canonical::canonical_bytes(&hashed_object_of(event));
    Some(hex::encode(canonical::chain_hash(&prev, &canonical)))
}

pub fn decode_hash(hex_hash: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(hex_hash, &mut out).ok()?;
    Some(out)
}
