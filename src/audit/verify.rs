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

/// Walks the chain up to the head as it stands when the walk starts, then checks that the head
/// agrees with the last event and that no event lies past it.
#[tracing::instrument(skip_all)]
pub async fn verify<C: ConnectionTrait>(db: &C, checkpoint: Option<&Checkpoint>) -> AuditResult<Verification> {
    let head = read_head(db).await?;
    let mut walk = Walk::new(checkpoint);
    let mut broken = walk.through(db, head.seq).await?;
    if broken.is_none() {
        broken = first_event_past_the_head(db).await?;
    }
    if broken.is_none() {
        broken = walk.disagreement_with(&head);
    }
    Ok(Verification {
        ok: broken.is_none() && walk.checkpoint_ok != Some(false),
        checked_events: walk.checked,
        first_broken_seq: broken,
        head,
        checkpoint_ok: walk.checkpoint_ok,
    })
}

/// How far a walk along the chain has come.
struct Walk<'a> {
    checkpoint: Option<&'a Checkpoint>,
    /// The seq the next event must carry.
    expected_seq: i64,
    /// The hash the next event must name as its previous one.
    prev_hash: String,
    checked: i64,
    /// Whether the checkpoint was met with its hash; `Some(false)` until it is met.
    checkpoint_ok: Option<bool>,
}

impl<'a> Walk<'a> {
    fn new(checkpoint: Option<&'a Checkpoint>) -> Self {
        Self {
            checkpoint,
            expected_seq: 1,
            prev_hash: hex::encode(GENESIS_HASH),
            checked: 0,
            checkpoint_ok: checkpoint.map(|_| false),
        }
    }

    /// Walks the events up to `head_seq` a batch at a time; the first seq that breaks the
    /// chain, if one does.
    async fn through<C: ConnectionTrait>(&mut self, db: &C, head_seq: i64) -> AuditResult<Option<i64>> {
        loop {
            // Only up to the head read before: events committed while verifying are not judged.
            let events = audit_event::Entity::find()
                .filter(audit_event::Column::Seq.gte(self.expected_seq))
                .filter(audit_event::Column::Seq.lte(head_seq))
                .order_by_asc(audit_event::Column::Seq)
                .limit(BATCH)
                .all(db)
                .await?;
            let last_batch = (events.len() as u64) < BATCH;
            for event in events {
                if !self.follow(event) {
                    return Ok(Some(self.expected_seq));
                }
            }
            if last_batch {
                return Ok(None);
            }
        }
    }

    /// Steps onto the event if it is the next link, intact; false (and no step) if not.
    fn follow(&mut self, event: audit_event::Model) -> bool {
        let intact = event.seq == self.expected_seq
            && event.prev_hash == self.prev_hash
            && expected_hash(&event).as_deref() == Some(event.hash.as_str());
        if !intact {
            return false;
        }
        if let Some(cp) = self.checkpoint {
            if cp.seq == event.seq {
                self.checkpoint_ok = Some(cp.hash.eq_ignore_ascii_case(&event.hash));
            }
        }
        self.checked += 1;
        self.expected_seq += 1;
        self.prev_hash = event.hash;
        true
    }

    /// After an intact walk, the seq to name if the head disagrees with the events: a deleted
    /// tail (head ahead), events past the head, or a head hash that is not the last event's.
    fn disagreement_with(&self, head: &Head) -> Option<i64> {
        let last = self.expected_seq - 1;
        if head.seq == last && head.hash == self.prev_hash {
            return None;
        }
        Some(if head.seq > last {
            self.expected_seq
        } else if head.seq < last {
            head.seq + 1
        } else {
            last.max(1)
        })
    }
}
