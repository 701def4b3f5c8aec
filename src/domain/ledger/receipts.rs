//! 签收: a unit confirms it received an assignment. Every lead and cooperating unit of a measure
//! and the unit a supervision action is addressed to gets a receipt in the change that assigns
//! it, due within the campaign's `acknowledge_within_days` working days (none: no limit); a unit
//! taken off a measure has its receipt withdrawn in the change that takes it off. A receipt is
//! **late** when its due day passed without an acknowledgement (or with a later one) while the
//! unit was still assigned; late receipts are listed, counted in the ranking and named in
//! bulletins. A receipt's instants answer as of any moment by themselves.

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::ReceiptRole;
use entity::{campaign, receipt};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::access::{Operation, Target};
use crate::domain::clock;
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::text::{limits, Text};
use crate::domain::{store, Ledger};

pub const ENTITY: &str = "Receipt";

/// The longest time limit a campaign may give for 签收, in working days.
pub const MAX_WITHIN_DAYS: i32 = 30;

/// A campaign's time limit for 签收, checked: 1 to 30 working days.
pub fn check_within_days(days: i32) -> DomainResult<i32> {
    if !(1..=MAX_WITHIN_DAYS).contains(&days) {
        return Err(DomainError::invalid(
            "acknowledgeWithinDays",
            format!("acknowledgeWithinDays must be between 1 and {MAX_WITHIN_DAYS} working days"),
        ));
    }
    Ok(days)
}

/// What was assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assigned {
    Measure(Uuid),
    Action(Uuid),
}

/// The last day to acknowledge an assignment made today: the campaign's limit in working days.
async fn due_on(w: &store::Write<'_>, campaign_id: Option<Uuid>) -> DomainResult<Option<NaiveDate>> {
    let Some(id) = campaign_id else {
        return Ok(None);
    };
    let days = campaign::Entity::find_by_id(id)
        .one(w.tx())
        .await?
        .and_then(|c| c.acknowledge_within_days);
    let Some(days) = days.and_then(|d| u32::try_from(d).ok()) else {
        return Ok(None);
    };
    let calendar = crate::domain::org::calendar::load(w.tx()).await?;
    Ok(Some(calendar.nth_working_day_after(w.today(), days)))
}

/// Gives each of `units` a receipt of the assignment, in the caller's change.
pub async fn assign(
    w: &store::Write<'_>,
    campaign_id: Option<Uuid>,
    what: Assigned,
    units: &[(Uuid, ReceiptRole)],
) -> DomainResult<()> {
    let due = due_on(w, campaign_id).await?;
    let now = w.now();
    for (unit, role) in units {
        let (measure_id, supervision_action_id) = match what {
            Assigned::Measure(id) => (Some(id), None),
            Assigned::Action(id) => (None, Some(id)),
        };
        let row = receipt::Model {
            id: Uuid::now_v7(),
            campaign_id,
            measure_id,
            supervision_action_id,
            unit_id: *unit,
            role: *role,
            assigned_at: now,
            due_on: due,
            acknowledged_at: None,
            acknowledged_by: None,
            acknowledger_name: None,
            note: None,
            withdrawn_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        w.create("receipt.create", row, None).await?;
    }
    Ok(())
}

/// The units a measure assigns: its lead, then its cooperating units.
pub fn measure_units(lead: Uuid, cooperating: &[Uuid]) -> Vec<(Uuid, ReceiptRole)> {
    std::iter::once((lead, ReceiptRole::Lead))
        .chain(cooperating.iter().map(|c| (*c, ReceiptRole::Cooperating)))
        .collect()
}

/// Keeps a measure's receipts in step with its units after a change of them: a unit newly
/// assigned (or in a new role) gets a receipt, one no longer assigned has its receipt withdrawn
/// (no units: every standing receipt is withdrawn, as when the measure is cancelled).
pub async fn reassign_measure(
    w: &store::Write<'_>,
    campaign_id: Option<Uuid>,
    measure_id: Uuid,
    units: &[(Uuid, ReceiptRole)],
) -> DomainResult<()> {
    let standing = receipt::Entity::find()
        .filter(receipt::Column::MeasureId.eq(measure_id))
        .filter(receipt::Column::WithdrawnAt.is_null())
        .all(w.tx())
        .await?;
    for r in standing.iter().filter(|r| !units.contains(&(r.unit_id, r.role))) {
        let next = receipt::Model {
            withdrawn_at: Some(w.now()),
            ..r.clone()
        };
        w.save("receipt.withdraw", r.clone(), next, None, None).await?;
    }
    let new: Vec<(Uuid, ReceiptRole)> = units
        .iter()
        .filter(|u| !standing.iter().any(|r| (r.unit_id, r.role) == **u))
        .copied()
        .collect();
    assign(w, campaign_id, Assigned::Measure(measure_id), &new).await
}

/// 签收: the unit's liaison (EDITOR on the receipt's unit) acknowledges an assignment, with an
/// optional note. Once only; not after the unit was taken off it.
#[tracing::instrument(skip_all, fields(receipt_id = %id))]
pub async fn acknowledge(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    note: Option<&str>,
) -> DomainResult<receipt::Model> {
    let note = Text::parse_optional("note", note, limits::LONG_TEXT)?.map(Text::into_inner);
    let w = ledger.write(ctx).await?;
    let current: receipt::Model = w.load(id).await?;
    ctx.access.require(
        Operation::EditLedger,
        Target::Units(&[current.unit_id], "the unit the assignment is addressed to"),
    )?;
    store::check_current(&current, expected_version)?;
    if current.acknowledged_at.is_some() {
        return Err(DomainError::invalid(
            "id",
            "this assignment has already been acknowledged",
        ));
    }
    if current.withdrawn_at.is_some() {
        return Err(DomainError::invalid(
            "id",
            "this assignment was withdrawn: the unit is no longer assigned",
        ));
    }
    let next = receipt::Model {
        acknowledged_at: Some(w.now()),
        acknowledged_by: Some(ctx.actor.id.clone()),
        acknowledger_name: Some(ctx.actor.display_name.clone()),
        note,
        ..current.clone()
    };
    let saved = w.save("receipt.acknowledge", current, next, None, None).await?;
    w.commit().await?;
    Ok(saved)
}

/// Whether `access` may acknowledge the receipt now: still owed, and EDITOR on its unit (the
/// rule of [`acknowledge`], for the console's 签收 button).
pub fn may_acknowledge(access: &crate::domain::access::Access, r: &receipt::Model) -> bool {
    r.acknowledged_at.is_none()
        && r.withdrawn_at.is_none()
        && access
            .require(Operation::EditLedger, Target::Units(&[r.unit_id], "the unit"))
            .is_ok()
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<receipt::Model>> {
    Ok(receipt::Entity::find_by_id(id).one(db).await?)
}

/// The receipts of measures, oldest first.
pub async fn of_measures<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<receipt::Model>> {
    Ok(receipt::Entity::find()
        .filter(receipt::Column::MeasureId.is_in(ids.to_vec()))
        .order_by_asc(receipt::Column::CreatedAt)
        .order_by_asc(receipt::Column::Id)
        .all(db)
        .await?)
}

/// The receipts of supervision actions.
pub async fn of_actions<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<receipt::Model>> {
    Ok(receipt::Entity::find()
        .filter(receipt::Column::SupervisionActionId.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

/// Whether a receipt was late: due by `until_due`, recorded by `seen_by`, and neither
/// acknowledged nor withdrawn by the end of its due day (as seen at `seen_by`).
pub fn is_late(r: &receipt::Model, until_due: NaiveDate, seen_by: DateTime<Utc>) -> bool {
    let Some(due) = r.due_on.filter(|d| *d <= until_due) else {
        return false;
    };
    let deadline = clock::end_of_day(due).min(seen_by);
    let done_by = |at: Option<DateTime<Utc>>| at.is_some_and(|t| t <= deadline);
    r.created_at <= seen_by && !done_by(r.acknowledged_at) && !done_by(r.withdrawn_at)
}

/// The receipts of a campaign that were late (see [`is_late`]), oldest due first.
pub async fn late_in_campaign<C: ConnectionTrait>(
    db: &C,
    campaign_id: Uuid,
    until_due: NaiveDate,
    seen_by: DateTime<Utc>,
) -> DomainResult<Vec<receipt::Model>> {
    let rows = receipt::Entity::find()
        .filter(receipt::Column::CampaignId.eq(campaign_id))
        .filter(receipt::Column::DueOn.lte(until_due))
        .filter(receipt::Column::CreatedAt.lte(seen_by))
        .order_by_asc(receipt::Column::DueOn)
        .order_by_asc(receipt::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter(|r| is_late(r, until_due, seen_by)).collect())
}

/// Whether an action's receipt stands in the way of answering it: it has one, not yet
/// acknowledged (actions issued before 签收 existed have none).
pub async fn unacknowledged_action<C: ConnectionTrait>(db: &C, action_id: Uuid) -> DomainResult<bool> {
    Ok(receipt::Entity::find()
        .filter(receipt::Column::SupervisionActionId.eq(action_id))
        .filter(receipt::Column::AcknowledgedAt.is_null())
        .one(db)
        .await?
        .is_some())
}
