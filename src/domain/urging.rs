//! 催办: a supervisor presses a unit, with a note and a new time, for one of three things it
//! owes — the acknowledgement (签收) of an assignment, the work and reports of a measure, or the
//! answer to a supervision action. An urging is never changed. Urging an action also moves the
//! action's answer date to the new time (recorded as its own change); urging a receipt or a
//! measure leaves their dates alone (a late 签收 stays late, a deadline moves only by an
//! extension).

use chrono::NaiveDate;
use entity::{measure, receipt, supervision_action as sa, urging};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::access::{Operation, Target};
use super::context::RequestContext;
use super::error::{DomainError, DomainResult};
use super::ledger::overdue::OPEN_STATUSES;
use super::ledger::{measures, problems, receipts};
use super::snapshot::snapshot;
use super::text::{limits, Text};
use super::{store, supervision, Ledger};
use crate::audit::Change;

pub const ENTITY: &str = "Urging";

/// What is urged: exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urged {
    Receipt(Uuid),
    Measure(Uuid),
    Action(Uuid),
}

impl Urged {
    /// The one target given, or which field is wrong.
    pub fn of(receipt: Option<Uuid>, measure: Option<Uuid>, action: Option<Uuid>) -> DomainResult<Self> {
        match (receipt, measure, action) {
            (Some(id), None, None) => Ok(Self::Receipt(id)),
            (None, Some(id), None) => Ok(Self::Measure(id)),
            (None, None, Some(id)) => Ok(Self::Action(id)),
            _ => Err(DomainError::invalid(
                "receiptId",
                "give exactly one of receiptId, measureId and supervisionActionId",
            )),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewUrging {
    pub urged: Urged,
    pub note: String,
    /// The new time: the day the unit is to act by, not before today.
    pub respond_by: NaiveDate,
}

/// Who is pressed and about which campaign.
struct Pressed {
    unit_id: Uuid,
    campaign_id: Option<Uuid>,
    /// The action whose answer date moves.
    action: Option<sa::Model>,
}

/// 催办: SUPERVISOR over the pressed unit; the thing urged must still be owed.
#[tracing::instrument(skip_all)]
pub async fn urge(ledger: &Ledger, ctx: &RequestContext, input: NewUrging) -> DomainResult<urging::Model> {
    let note = Text::parse("note", &input.note, limits::LONG_TEXT)?.into_inner();
    let today = ledger.today();
    if input.respond_by < today {
        return Err(DomainError::invalid(
            "respondBy",
            format!("respondBy must not be before today ({today})"),
        ));
    }
    let w = ledger.write(ctx).await?;
    let pressed = pressed(w.tx(), input.urged).await?;
    ctx.access.require(
        Operation::Supervise,
        Target::Units(&[pressed.unit_id], "the unit being urged"),
    )?;
    let (receipt_id, measure_id, supervision_action_id) = match input.urged {
        Urged::Receipt(id) => (Some(id), None, None),
        Urged::Measure(id) => (None, Some(id), None),
        Urged::Action(id) => (None, None, Some(id)),
    };
    let row = urging::Model {
        id: Uuid::now_v7(),
        campaign_id: pressed.campaign_id,
        receipt_id,
        measure_id,
        supervision_action_id,
        unit_id: pressed.unit_id,
        note,
        respond_by: input.respond_by,
        urged_by: ctx.actor.id.clone(),
        urger_name: ctx.actor.display_name.clone(),
        created_at: w.now(),
    };
    let saved = w.insert_record(ENTITY, "urging.create", row).await?;
    if let Some(action) = pressed.action {
        reschedule(&w, action, input.respond_by).await?;
    }
    w.commit().await?;
    Ok(saved)
}

/// The pressed unit of what is urged, refused when nothing is owed any more.
async fn pressed<C: ConnectionTrait>(db: &C, urged: Urged) -> DomainResult<Pressed> {
    match urged {
        Urged::Receipt(id) => {
            let r = receipts::get(db, id)
                .await?
                .ok_or_else(|| DomainError::not_found(receipts::ENTITY, id))?;
            owed_receipt(&r)?;
            Ok(Pressed {
                unit_id: r.unit_id,
                campaign_id: r.campaign_id,
                action: None,
            })
        }
        Urged::Measure(id) => {
            let m = measures::get(db, id)
                .await?
                .ok_or_else(|| DomainError::not_found(measures::ENTITY, id))?;
            open_measure(&m)?;
            let campaign_id = problems::get(db, m.problem_id).await?.map(|p| p.campaign_id);
            Ok(Pressed {
                unit_id: m.lead_unit_id,
                campaign_id,
                action: None,
            })
        }
        Urged::Action(id) => {
            let a = supervision::get(db, id)
                .await?
                .ok_or_else(|| DomainError::not_found(supervision::ENTITY, id))?;
            if a.responded_at.is_some() {
                return Err(DomainError::invalid(
                    "supervisionActionId",
                    "this supervision action has already been answered",
                ));
            }
            let campaign_id = match a.problem_id {
                Some(p) => problems::get(db, p).await?.map(|p| p.campaign_id),
                None => None,
            };
            Ok(Pressed {
                unit_id: a.target_unit_id,
                campaign_id,
                action: Some(a),
            })
        }
    }
}

fn owed_receipt(r: &receipt::Model) -> DomainResult<()> {
    if r.acknowledged_at.is_some() {
        return Err(DomainError::invalid(
            "receiptId",
            "this assignment has already been acknowledged",
        ));
    }
    if r.withdrawn_at.is_some() {
        return Err(DomainError::invalid(
            "receiptId",
            "this assignment was withdrawn: the unit is no longer assigned",
        ));
    }
    Ok(())
}

fn open_measure(m: &measure::Model) -> DomainResult<()> {
    if !OPEN_STATUSES.contains(&m.status) {
        return Err(DomainError::invalid(
            "measureId",
            "this measure is no longer open: there is nothing to urge",
        ));
    }
    Ok(())
}

/// Moves an action's answer date to the urging's new time, as its own audited change.
async fn reschedule(w: &store::Write<'_>, current: sa::Model, respond_by: NaiveDate) -> DomainResult<()> {
    let mut next = current.clone();
    next.response_due = Some(respond_by);
    let saved = sa::Entity::update(next.into_active_model().reset_all())
        .validate()?
        .filter(sa::Column::RespondedAt.is_null())
        .exec(w.tx())
        .await?;
    let change = Change {
        action: "supervision.reschedule",
        entity_type: supervision::ENTITY,
        entity_id: current.id,
        before: Some(snapshot(&current)?),
        after: Some(snapshot(&saved)?),
        reason: Some("催办"),
    };
    w.record_change(change).await?;
    Ok(())
}

/// The urgings about what is given, newest first.
pub async fn about<C: ConnectionTrait>(db: &C, urged: Urged) -> DomainResult<Vec<urging::Model>> {
    let column_is = match urged {
        Urged::Receipt(id) => urging::Column::ReceiptId.eq(id),
        Urged::Measure(id) => urging::Column::MeasureId.eq(id),
        Urged::Action(id) => urging::Column::SupervisionActionId.eq(id),
    };
    Ok(urging::Entity::find()
        .filter(column_is)
        .order_by_desc(urging::Column::CreatedAt)
        .order_by_desc(urging::Column::Id)
        .all(db)
        .await?)
}
