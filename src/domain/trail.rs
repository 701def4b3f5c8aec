//! Reading the audit trail with the reader's rights: one object's history, the whole trail,
//! its head and its verification. The trail itself (recording, hashing, verifying) is
//! `crate::audit`; this room decides who may read what of it, through [`Access::require_read`].

use uuid::Uuid;

pub use crate::audit::query::{AuditFilter, EventPage};
pub use crate::audit::{Checkpoint, Head, Verification};
use entity::audit_event;

use super::access::{Access, Read};
use super::error::DomainResult;
use super::Ledger;

/// The events of one object, newest first: for accounts ([`Read::History`]).
pub async fn history(
    ledger: &Ledger,
    access: &Access,
    entity_id: Uuid,
    first: Option<i64>,
    after_seq: Option<i64>,
) -> DomainResult<EventPage> {
    access.require_read(Read::History)?;
    let filter = AuditFilter {
        entity_id: Some(entity_id),
        ..Default::default()
    };
    Ok(crate::audit::query::list(&ledger.db, &filter, true, first, after_seq, None).await?)
}

/// Events of the whole trail matching `filter`: it holds snapshots of everything, so only for
/// readers of the whole tree ([`Read::AuditTrail`]).
pub async fn events(
    ledger: &Ledger,
    access: &Access,
    filter: &AuditFilter,
    newest_first: bool,
    first: Option<i64>,
    after_seq: Option<i64>,
    offset: Option<u64>,
) -> DomainResult<EventPage> {
    access.require_read(Read::AuditTrail)?;
    Ok(crate::audit::query::list(&ledger.db, filter, newest_first, first, after_seq, offset).await?)
}

/// One event by its seq, for readers of the whole trail; `None` for anyone else.
pub async fn event(ledger: &Ledger, access: &Access, seq: i64) -> DomainResult<Option<audit_event::Model>> {
    if !access.may_read(Read::AuditTrail) {
        return Ok(None);
    }
    Ok(crate::audit::query::get(&ledger.db, seq).await?)
}

/// The chain's head (seq, hash): public, it is printed on bulletins.
pub async fn head(ledger: &Ledger) -> DomainResult<Head> {
    Ok(crate::audit::read_head(&ledger.db).await?)
}

/// Walks the whole chain, checking `checkpoint` on the way: for readers of the whole trail.
pub async fn verify(ledger: &Ledger, access: &Access, checkpoint: Option<&Checkpoint>) -> DomainResult<Verification> {
    access.require_read(Read::AuditTrail)?;
    Ok(crate::audit::verify(&ledger.db, checkpoint).await?)
}

/// Whether the trail still leads to a printed checkpoint: public, anyone holding a bulletin
/// may check it. The answer is only yes or no, so it shows nothing of the trail.
pub async fn checkpoint_holds(ledger: &Ledger, checkpoint: &Checkpoint) -> DomainResult<bool> {
    let v = crate::audit::verify(&ledger.db, Some(checkpoint)).await?;
    Ok(v.ok && v.checkpoint_ok == Some(true))
}
