//! The webhook outbox as administrators read it (the delivery log): each audit event queued for
//! the configured URL, how many attempts it took, the last answer, and whether it arrived. The
//! deliverer itself is `crate::webhook`; the rows are written with their events by
//! `store::Write::record_change`.

use entity::webhook_outbox as outbox;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::access::{Access, Operation, Target};
use super::error::DomainResult;
use super::Ledger;

/// The newest rows of the log, and how many are still pending.
#[derive(Debug, Clone)]
pub struct Deliveries {
    /// Whether this server writes the outbox (webhooks configured).
    pub configured: bool,
    pub pending: u64,
    /// Newest first.
    pub rows: Vec<outbox::Model>,
}

/// The delivery log: ADMIN on the whole tree.
pub async fn deliveries(ledger: &Ledger, access: &Access, pending_only: bool, first: u64) -> DomainResult<Deliveries> {
    access.require(Operation::ManageAccounts, Target::WholeTree)?;
    let pending = outbox::Entity::find()
        .filter(outbox::Column::DeliveredAt.is_null())
        .count(&ledger.db)
        .await?;
    let mut rows = outbox::Entity::find();
    if pending_only {
        rows = rows.filter(outbox::Column::DeliveredAt.is_null());
    }
    let rows = rows
        .order_by_desc(outbox::Column::Seq)
        .limit(first)
        .all(&ledger.db)
        .await?;
    Ok(Deliveries {
        configured: ledger.outbox,
        pending,
        rows,
    })
}
