//! The feed of committed changes, for subscriptions: one task per server reads each event
//! appended to the trail once, after its change has committed, works out which measure,
//! problem and campaign it concerns, and broadcasts it to the subscribers of this process
//! (who then read what they are allowed to see).
//!
//! The task wakes when the trail grows: on SQLite (one process) a commit signals it
//! ([`Feed::poke`]); on PostgreSQL every instance LISTENs to `taizhang_audit`, which a trigger
//! NOTIFYs on each insert and PostgreSQL delivers only at commit (migration 27), so changes made
//! through any instance reach the subscribers of all of them. It also looks every
//! [`POLL`] in case a signal was lost (a listener reconnecting). Events are read by seq, and a
//! seq is taken under the chain head's lock held until commit, so seq order is commit order and
//! reading past the last seq seen never skips one.

use std::sync::Arc;
use std::time::Duration;

use entity::audit_event;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use tokio::sync::{broadcast, Notify};
use uuid::Uuid;

use super::error::DomainResult;
use super::ledger::{measures, problems};
use super::Ledger;

/// How often the task looks for new events without a signal.
pub const POLL: Duration = Duration::from_secs(2);
/// Events read per round.
const BATCH: u64 = 500;
/// Events a slow subscriber may fall behind by before it skips the oldest.
const CAPACITY: usize = 1024;
/// The PostgreSQL channel the trigger notifies.
pub const CHANNEL: &str = "taizhang_audit";

/// One committed event, with what it concerns.
#[derive(Debug, Clone)]
pub struct Appended {
    pub seq: i64,
    pub hash: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Uuid,
    /// The measure the event changed, or whose record (evidence, progress, verification,
    /// extension, milestone) it wrote.
    pub measure_id: Option<Uuid>,
    pub problem_id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
}

/// The broadcast of [`Appended`] events and the signal that wakes the task.
#[derive(Debug, Clone)]
pub struct Feed {
    sender: broadcast::Sender<Arc<Appended>>,
    wake: Arc<Notify>,
}

impl Default for Feed {
    fn default() -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        Self {
            sender,
            wake: Arc::new(Notify::new()),
        }
    }
}

impl Feed {
    /// Tells the task the trail may have grown (after a commit).
    pub fn poke(&self) {
        self.wake.notify_one();
    }

    /// A new subscriber: events committed from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Appended>> {
        self.sender.subscribe()
    }
}

/// A key of a row snapshot that names a UUID.
fn uuid_in(snapshot: Option<&Value>, key: &str) -> Option<Uuid> {
    snapshot?.get(key)?.as_str().and_then(|s| Uuid::parse_str(s).ok())
}

/// What `event` concerns: its measure, problem and campaign.
async fn describe(ledger: &Ledger, event: audit_event::Model) -> DomainResult<Appended> {
    let snapshot = event.after.as_ref().or(event.before.as_ref());
    let measure_id = match event.entity_type.as_str() {
        measures::ENTITY => Some(event.entity_id),
        _ => uuid_in(snapshot, "measure_id"),
    };
    let mut problem_id = match event.entity_type.as_str() {
        "Problem" => Some(event.entity_id),
        _ => uuid_in(snapshot, "problem_id"),
    };
    if problem_id.is_none() {
        if let Some(m) = measure_id {
            problem_id = measures::get(&ledger.db, m).await?.map(|m| m.problem_id);
        }
    }
    let mut campaign_id = match event.entity_type.as_str() {
        "Campaign" => Some(event.entity_id),
        _ => uuid_in(snapshot, "campaign_id"),
    };
    if campaign_id.is_none() {
        if let Some(p) = problem_id {
            campaign_id = problems::get(&ledger.db, p).await?.map(|p| p.campaign_id);
        }
    }
    Ok(Appended {
        seq: event.seq,
        hash: event.hash,
        action: event.action,
        entity_type: event.entity_type,
        entity_id: event.entity_id,
        measure_id,
        problem_id,
        campaign_id,
    })
}

/// Broadcasts the events after `last`; the new last seq.
async fn publish_after(ledger: &Ledger, last: i64) -> DomainResult<i64> {
    let mut last = last;
    loop {
        let events = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gt(last))
            .order_by_asc(audit_event::Column::Seq)
            .limit(BATCH)
            .all(&ledger.db)
            .await?;
        let full = events.len() as u64 == BATCH;
        for event in events {
            last = event.seq;
            let appended = describe(ledger, event).await?;
            // No subscriber is not an error.
            let _ = ledger.feed.sender.send(Arc::new(appended));
        }
        if !full {
            return Ok(last);
        }
    }
}

async fn head_seq(ledger: &Ledger) -> DomainResult<i64> {
    Ok(audit_event::Entity::find()
        .order_by_desc(audit_event::Column::Seq)
        .one(&ledger.db)
        .await?
        .map_or(0, |e| e.seq))
}

/// Runs the feed for this server until the process ends.
pub async fn run(ledger: Ledger) {
    let mut last = loop {
        match head_seq(&ledger).await {
            Ok(seq) => break seq,
            Err(e) => {
                tracing::warn!(error = %e, "feed: cannot read the audit head; retrying");
                tokio::time::sleep(POLL).await;
            }
        }
    };
    let mut listener = listen(&ledger).await;
    loop {
        wait(&ledger, &mut listener).await;
        match publish_after(&ledger, last).await {
            Ok(seq) => last = seq,
            Err(e) => tracing::warn!(error = %e, "feed: cannot read new events; retrying"),
        }
    }
}

type Listener = Option<sea_orm::sqlx::postgres::PgListener>;

/// On PostgreSQL, a listener on [`CHANNEL`]; None on SQLite or when it cannot connect (the
/// feed then polls).
async fn listen(ledger: &Ledger) -> Listener {
    if ledger.db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return None;
    }
    let pool = ledger.db.get_postgres_connection_pool();
    match sea_orm::sqlx::postgres::PgListener::connect_with(pool).await {
        Ok(mut listener) => match listener.listen(CHANNEL).await {
            Ok(()) => Some(listener),
            Err(e) => {
                tracing::warn!(error = %e, "feed: cannot LISTEN; polling every {:?}", POLL);
                None
            }
        },
        Err(e) => {
            tracing::warn!(error = %e, "feed: cannot connect a listener; polling every {:?}", POLL);
            None
        }
    }
}

/// Until a commit signals, PostgreSQL notifies, or [`POLL`] passes.
async fn wait(ledger: &Ledger, listener: &mut Listener) {
    let poked = ledger.feed.wake.notified();
    match listener {
        Some(l) => {
            tokio::select! {
                () = poked => {}
                received = l.recv() => {
                    if let Err(e) = received {
                        // PgListener reconnects on the next recv; the poll covers the gap.
                        tracing::warn!(error = %e, "feed: listener lost its connection");
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                }
                () = tokio::time::sleep(POLL) => {}
            }
        }
        None => {
            tokio::select! {
                () = poked => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }
}
