//! 回头看 without a reopen: a supervisor looks at a closed measure again and records that the
//! rectification holds (or that it does not; then `reopenMeasure` reopens it, with a new
//! deadline, and counts the relapse). The record names who looked, when, and what was found.

use entity::enums::MeasureStatus;
use entity::{look_back, measure};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::access::Operation;
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ledger::measures::{self, status_name};
use crate::domain::text::{limits, Text};
use crate::domain::Ledger;

pub const ENTITY: &str = "LookBack";

/// Records a look-back at a CLOSED measure (SUPERVISOR on one of its units).
#[tracing::instrument(skip_all, fields(measure_id = %measure_id))]
pub async fn record(
    ledger: &Ledger,
    ctx: &RequestContext,
    measure_id: Uuid,
    found_in_order: bool,
    note: Option<&str>,
) -> DomainResult<look_back::Model> {
    let note = Text::parse_optional("note", note, limits::LONG_TEXT)?.map(Text::into_inner);
    ctx.access.require_login("recording a look-back")?;
    let w = ledger.write(ctx).await?;
    let m: measure::Model = measures::get(w.tx(), measure_id)
        .await?
        .ok_or_else(|| DomainError::invalid("measureId", format!("measureId: measure {measure_id} does not exist")))?;
    measures::require(w.tx(), ctx, Operation::Supervise, &m).await?;
    if m.status != MeasureStatus::Closed {
        return Err(DomainError::invalid(
            "measureId",
            format!(
                "measureId: only a CLOSED measure is looked back on (回头看); this one is {}",
                status_name(m.status)
            ),
        ));
    }
    let row = look_back::Model {
        id: Uuid::now_v7(),
        measure_id,
        looked_on: w.today(),
        found_in_order,
        note,
        reviewer_id: ctx.actor.id.clone(),
        reviewer_name: ctx.actor.display_name.clone(),
        created_at: w.now(),
    };
    let saved = w.insert_record(ENTITY, "look_back.create", row).await?;
    w.commit().await?;
    Ok(saved)
}

/// The look-backs of some measures, newest first.
pub async fn of_measures<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<look_back::Model>> {
    Ok(look_back::Entity::find()
        .filter(look_back::Column::MeasureId.is_in(ids.to_vec()))
        .order_by_desc(look_back::Column::CreatedAt)
        .order_by_desc(look_back::Column::Id)
        .all(db)
        .await?)
}
