//! 催办: a supervisor presses a unit, with a note and a new time, for one of three things it
//! owes — the acknowledgement (签收) of an assignment, the work and reports of a measure, or the
//! answer to a supervision action. An urging is never changed, and it changes nothing it urges:
//! the new time is the urging's own (shown to the unit in its inbox); a late 签收 or answer
//! stays late, a deadline moves only by an extension, so figures as of a past instant stay as
//! they were.

use chrono::NaiveDate;
use entity::enums::MeasureStatus;
use entity::{measure, receipt, urging};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::access::{Operation, Target};
use super::context::RequestContext;
use super::error::{DomainError, DomainResult};
use super::ledger::{measures, problems, receipts};
use super::text::{limits, Text};
use super::{supervision, Ledger};

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

/// Who is pressed and about which campaign, and why not when nothing is owed any more (told
/// only to a caller with the right to urge).
struct Pressed {
    unit_id: Uuid,
    campaign_id: Option<Uuid>,
    refusal: Option<DomainError>,
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
    if let Some(refusal) = pressed.refusal {
        return Err(refusal);
    }
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
            Ok(Pressed {
                unit_id: r.unit_id,
                campaign_id: r.campaign_id,
                refusal: owed_receipt(&r).err(),
            })
        }
        Urged::Measure(id) => {
            let m = measures::get(db, id)
                .await?
                .ok_or_else(|| DomainError::not_found(measures::ENTITY, id))?;
            let campaign_id = problems::get(db, m.problem_id).await?.map(|p| p.campaign_id);
            Ok(Pressed {
                unit_id: m.lead_unit_id,
                campaign_id,
                refusal: open_measure(&m).err(),
            })
        }
        Urged::Action(id) => {
            let a = supervision::get(db, id)
                .await?
                .ok_or_else(|| DomainError::not_found(supervision::ENTITY, id))?;
            let refusal = a.responded_at.is_some().then(|| {
                DomainError::invalid(
                    "supervisionActionId",
                    "this supervision action has already been answered",
                )
            });
            let campaign_id = match a.problem_id {
                Some(p) => problems::get(db, p).await?.map(|p| p.campaign_id),
                None => None,
            };
            Ok(Pressed {
                unit_id: a.target_unit_id,
                campaign_id,
                refusal,
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

/// A measure is urged while its work is to be done: pending or in progress (not once
/// submitted for verification, closed, long-term or cancelled).
fn open_measure(m: &measure::Model) -> DomainResult<()> {
    if !matches!(m.status, MeasureStatus::Pending | MeasureStatus::InProgress) {
        return Err(DomainError::invalid(
            "measureId",
            "this measure is not being worked on (submitted, closed or cancelled): there is nothing to urge",
        ));
    }
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
