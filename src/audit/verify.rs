//! Walking the chain from the first event to the head and naming the first broken link.

use entity::{audit_event, audit_head};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement};

use super::{canonical::GENESIS_HASH, expected_hash, Head};
use super::{AuditError, AuditResult};

/// Events read per query while verifying; bounded memory whatever the trail's length.
const BATCH: u64 = 1000;

/// A printed (seq, hash) pair the trail must still lead to.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// True when every link holds, the head matches the last event and the checkpoint (if
    /// any) is on the chain.
    pub ok: bool,
    pub checked_events: i64,
    /// The first `seq` whose event is missing, altered or mislinked; for a head that does not
    /// match the trail, the seq after the last good event.
    pub first_broken_seq: Option<i64>,
    pub head: Head,
    /// Whether the checkpoint given was found on the chain; `None` without a checkpoint.
    pub checkpoint_ok: Option<bool>,
}

pub async fn read_head<C: ConnectionTrait>(db: &C) -> AuditResult<Head> {
    let head = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| AuditError::Corrupt("the audit_head row is missing".to_owned()))?;
    Ok(Head {
        seq: head.seq,
        hash: head.hash,
    })
}

/// The first event beyond the head as it stands now, read with the head in one statement: a
/// writer advances the head and inserts its event in one transaction, so a committed event is
/// never past the head, and one that is was put there behind the server's back.
async fn first_event_past_the_head<C: ConnectionTrait>(db: &C) -> AuditResult<Option<i64>> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT MIN(e.seq) AS seq FROM audit_event e, audit_head h WHERE h.id = 1 AND e.seq > h.seq",
        ))
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<Option<i64>>("", "seq")?,
        None => None,
    })
}

#[tracing::instrument(skip_all)]
pub async fn verify<C: ConnectionTrait>(db: &C, checkpoint: Option<&Checkpoint>) -> AuditResult<Verification> {
    let head = read_head(db).await?;
    let mut expected_seq = 1i64;
    let mut prev_hash = hex::encode(GENESIS_HASH);
    let mut checked = 0i64;
    let mut broken = None;
    let mut checkpoint_ok = checkpoint.map(|_| false);
    'batches: loop {
        // Only up to the head read above: events committed while verifying are not judged.
        let events = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gte(expected_seq))
            .filter(audit_event::Column::Seq.lte(head.seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(BATCH)
            .all(db)
            .await?;
        let last_batch = (events.len() as u64) < BATCH;
        for event in events {
            let intact = event.seq == expected_seq
                && event.prev_hash == prev_hash
                && expected_hash(&event).as_deref() == Some(event.hash.as_str());
            if !intact {
                broken = Some(expected_seq);
                break 'batches;
            }
            if let Some(cp) = checkpoint {
                if cp.seq == event.seq {
                    checkpoint_ok = Some(cp.hash.eq_ignore_ascii_case(&event.hash));
                }
            }
            checked += 1;
            expected_seq += 1;
            prev_hash = event.hash;
        }
        if last_batch {
            break;
        }
    }
    if broken.is_none() {
        broken = first_event_past_the_head(db).await?;
    }
    if broken.is_none() && (head.seq != expected_seq - 1 || head.hash != prev_hash) {
        // The events are intact but the head disagrees with them: a deleted tail (head ahead),
        // events past the head, or a head hash that is not the last event's.
        let last = expected_seq - 1;
        broken = Some(if head.seq > last {
            expected_seq
        } else if head.seq < last {
            head.seq + 1
        } else {
            last.max(1)
        });
    }
    Ok(Verification {
        ok: broken.is_none() && checkpoint_ok != Some(false),
        checked_events: checked,
        first_broken_seq: broken,
        head,
        checkpoint_ok,
    })
}
