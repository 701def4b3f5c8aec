//! Replaying the trail: every entity of some types as it stood at an instant, from the `after`
//! snapshots of the events up to it. As-of reports (`asOf`) are computed from this.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::audit_event;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use uuid::Uuid;

use super::AuditResult;

/// Events read per statement.
const REPLAY_BATCH: u64 = 5_000;

/// Entities of the given types as they stood at `as_of`: the last audit snapshot of each one at
/// or before the instant (none for one removed by then), by type and id; and the seq of the
/// last event of any kind at or before the instant (0 before the first).
pub async fn replay<C: ConnectionTrait>(
    db: &C,
    as_of: DateTime<Utc>,
    kinds: &[&str],
) -> AuditResult<(HashMap<String, HashMap<Uuid, Value>>, i64)> {
    let mut last_seq = 0_i64;
    let mut at: HashMap<String, HashMap<Uuid, Value>> =
        kinds.iter().map(|k| ((*k).to_owned(), HashMap::new())).collect();
    loop {
        let batch: Vec<(i64, String, Uuid, Option<Value>)> = audit_event::Entity::find()
            .select_only()
            .column(audit_event::Column::Seq)
            .column(audit_event::Column::EntityType)
            .column(audit_event::Column::EntityId)
            .column(audit_event::Column::After)
            .filter(audit_event::Column::Seq.gt(last_seq))
            .filter(audit_event::Column::OccurredAt.lte(as_of))
            .filter(audit_event::Column::EntityType.is_in(kinds.iter().copied()))
            .order_by_asc(audit_event::Column::Seq)
            .limit(REPLAY_BATCH)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = batch.last() else { break };
        last_seq = last.0;
        let done = (batch.len() as u64) < REPLAY_BATCH;
        for (_, kind, id, after) in batch {
            let Some(map) = at.get_mut(&kind) else { continue };
            match after {
                Some(v) => {
                    map.insert(id, v);
                }
                None => {
                    map.remove(&id);
                }
            }
        }
        if done {
            break;
        }
    }
    // The seq the figures stand on: the last event of any kind at or before the instant.
    let audit_seq: Option<i64> = audit_event::Entity::find()
        .select_only()
        .column(audit_event::Column::Seq)
        .filter(audit_event::Column::OccurredAt.lte(as_of))
        .order_by_desc(audit_event::Column::Seq)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok((at, audit_seq.unwrap_or(0)))
}
