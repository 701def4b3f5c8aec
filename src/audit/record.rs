//! Appending to the chain. Called by domain services inside their write transaction, after
//! the change itself, so the change and its event commit or roll back together.

use chrono::{DateTime, Utc};
use entity::audit_event;
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel, Statement};
use serde_json::Value;
use uuid::Uuid;

use super::{expected_hash, AuditError, AuditResult};

/// Who made a change and in which request: the actor's id and display name as they were then
/// (a snapshot, so a later rename does not rewrite history) and the request id.
#[derive(Debug, Clone, Copy)]
pub struct Attribution<'a> {
    pub actor_id: &'a str,
    pub actor_name: &'a str,
    pub request_id: Option<&'a str>,
}

/// One change of one entity.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Uuid,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: Option<&'a str>,
}

/// The chain's head: the last `seq` and its hash (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

/// Appends one event: advances `audit_head` (taking its row lock on PostgreSQL; SQLite
/// callers hold the write lock from an IMMEDIATE transaction), inserts the event and stores
/// the new hash in the head. Returns the event's `seq`.
pub async fn record<C: ConnectionTrait>(
    tx: &C,
    by: Attribution<'_>,
    occurred_at: DateTime<Utc>,
    change: Change<'_>,
) -> AuditResult<i64> {
    let backend = tx.get_database_backend();
    let row = tx
        .query_one_raw(Statement::from_string(
            backend,
            "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
        ))
        .await?
        .ok_or_else(|| AuditError::Corrupt("the audit_head row is missing".to_owned()))?;
    let seq: i64 = row.try_get("", "seq")?;
    let prev_hash: String = row.try_get("", "hash")?;
    let mut event = audit_event::Model {
        seq,
        occurred_at,
        actor_id: by.actor_id.to_owned(),
        actor_name: by.actor_name.to_owned(),
        action: change.action.to_owned(),
        entity_type: change.entity_type.to_owned(),
        entity_id: change.entity_id,
        before: change.before,
        after: change.after,
        reason: change.reason.map(str::to_owned),
        request_id: by.request_id.map(str::to_owned),
        prev_hash,
        hash: String::new(),
    };
    event.hash = expected_hash(&event)
        .ok_or_else(|| AuditError::Corrupt(format!("the head hash is not 32-byte hex at seq {}", seq - 1)))?;
    let hash = event.hash.clone();
    let event = event.into_active_model();
    audit_event::Entity::insert(event).exec_without_returning(tx).await?;
    tx.execute_raw(Statement::from_sql_and_values(
        backend,
        match backend {
            sea_orm::DbBackend::Postgres => "UPDATE audit_head SET hash = $1 WHERE id = 1",
            _ => "UPDATE audit_head SET hash = ? WHERE id = 1",
        },
        [hash.into()],
    ))
    .await?;
    Ok(seq)
}
