//! Deadline extensions (延期申请): "只能提前，不能推后". Moving a deadline earlier takes effect at
//! once; moving it later is a request that someone other than the requester approves or
//! rejects. Only an approved extension changes `deadline`; `original_deadline` never changes.

use chrono::NaiveDate;
use entity::deadline_extension as ext;
use entity::enums::{ExtensionStatus, MeasureStatus};
use entity::measure;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::audit::Change;
use crate::domain::access::Operation;
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ledger::measures::save_row_change;
use crate::domain::ledger::measures::status_name;
use crate::domain::ledger::overdue::OPEN_STATUSES;
use crate::domain::snapshot::snapshot;
use crate::domain::text::{limits, Text};
use crate::domain::{ledger::problems, store, Ledger};

pub const ENTITY: &str = "DeadlineExtension";

/// What a request did: the extension row and the measure as it is now.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub extension: ext::Model,
    pub measure: measure::Model,
}

fn open_status(m: &measure::Model, verb: &'static str) -> DomainResult<()> {
    if OPEN_STATUSES.contains(&m.status) || m.status == MeasureStatus::LongTerm {
        return Ok(());
    }
    Err(DomainError::InvalidTransition {
        verb,
        status: status_name(m.status),
        allowed: vec![],
    })
}

/// Writes the measure's new deadline and its event.
async fn move_deadline(
    w: &store::Write<'_>,
    current: &measure::Model,
    deadline: NaiveDate,
    postponed: bool,
    reason: &str,
) -> DomainResult<measure::Model> {
    let mut next = current.clone();
    next.deadline = deadline;
    if postponed {
        next.extension_count += 1;
    }
    save_row_change(w, "measure.change_deadline", current, next, Some(reason)).await
}

/// A new deadline that differs from the current one and is not before the problem was found.
async fn check_requested(w: &store::Write<'_>, current: &measure::Model, new_deadline: NaiveDate) -> DomainResult<()> {
    if new_deadline == current.deadline {
        return Err(DomainError::invalid(
            "newDeadline",
            "newDeadline is the current deadline",
        ));
    }
    let found_on = problems::get(w.tx(), current.problem_id).await?.map(|p| p.found_on);
    if found_on.is_some_and(|found| new_deadline < found) {
        return Err(DomainError::invalid(
            "newDeadline",
            "newDeadline must not be before the problem's found date",
        ));
    }
    Ok(())
}

/// The request of measure `measure_id` waiting for a decision, if any (there is at most one).
pub async fn pending_of<C: ConnectionTrait>(db: &C, measure_id: Uuid) -> DomainResult<Option<ext::Model>> {
    Ok(ext::Entity::find()
        .filter(ext::Column::MeasureId.eq(measure_id))
        .filter(ext::Column::Status.eq(ExtensionStatus::Pending))
        .one(db)
        .await?)
}

/// Whether `ctx` may ask for a new deadline of `current` now, whatever the date asked: EDITOR
/// on its units, the measure open, no other request waiting. [`request`] checks the same;
/// the measure's `allowedActions` asks this.
pub async fn may_request<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    current: &measure::Model,
) -> DomainResult<()> {
    crate::domain::ledger::measures::require(db, ctx, Operation::EditLedger, current).await?;
    requestable(db, current).await
}

async fn requestable<C: ConnectionTrait>(db: &C, current: &measure::Model) -> DomainResult<()> {
    open_status(current, "requestDeadlineExtension")?;
    if pending_of(db, current.id).await?.is_some() {
        return Err(DomainError::invalid(
            "measureId",
            "this measure already has an extension request waiting for a decision",
        ));
    }
    Ok(())
}

/// Whether `ctx` may decide `request` on `measure` now: still waiting, not the caller's own
/// (a request is decided by someone other than the requester), SUPERVISOR on the measure's
/// units, the measure open. [`decide`] checks the same; `allowedActions` asks this.
pub async fn may_decide<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    request: &ext::Model,
    measure: &measure::Model,
) -> DomainResult<()> {
    if request.status != ExtensionStatus::Pending {
        return Err(DomainError::invalid(
            "id",
            "this extension request has already been decided",
        ));
    }
    if request.requested_by == ctx.actor.id {
        return Err(DomainError::Forbidden(
            "an extension request must be decided by someone other than the requester".to_owned(),
        ));
    }
    crate::domain::ledger::measures::require(db, ctx, Operation::Supervise, measure).await?;
    open_status(measure, "decideDeadlineExtension")
}

/// The request's row: approved at once when the deadline moves earlier (只能提前 needs nobody's
/// approval), pending otherwise.
fn request_row(w: &store::Write<'_>, current: &measure::Model, new_deadline: NaiveDate, reason: String) -> ext::Model {
    let earlier = new_deadline < current.deadline;
    let (now, actor) = (w.now(), &w.ctx().actor);
    ext::Model {
        id: Uuid::now_v7(),
        measure_id: current.id,
        previous_deadline: current.deadline,
        requested_deadline: new_deadline,
        reason,
        // 只能提前: an earlier deadline needs nobody's approval.
        status: if earlier {
            ExtensionStatus::Approved
        } else {
            ExtensionStatus::Pending
        },
        requested_by: actor.id.clone(),
        requester_name: actor.display_name.clone(),
        requested_at: now,
        decided_by: earlier.then(|| actor.id.clone()),
        decider_name: earlier.then(|| actor.display_name.clone()),
        decided_at: earlier.then_some(now),
        decision_comment: None,
    }
}

#[tracing::instrument(skip_all, fields(measure_id = %measure_id))]
pub async fn request(
    ledger: &Ledger,
    ctx: &RequestContext,
    measure_id: Uuid,
    expected_version: i32,
    new_deadline: NaiveDate,
    reason: &str,
) -> DomainResult<Outcome> {
    let reason = Text::parse("reason", reason, limits::REASON)?.into_inner();
    let w = ledger.write(ctx).await?;
    let current: measure::Model = w.load(measure_id).await?;
    crate::domain::ledger::measures::require(w.tx(), ctx, Operation::EditLedger, &current).await?;
    store::check_current(&current, expected_version)?;
    requestable(w.tx(), &current).await?;
    check_requested(&w, &current, new_deadline).await?;
    let earlier = new_deadline < current.deadline;
    let row = request_row(&w, &current, new_deadline, reason.clone());
    let extension = w.insert_record(ENTITY, "deadline_extension.create", row).await?;
    let measure = if earlier {
        move_deadline(&w, &current, new_deadline, false, &reason).await?
    } else {
        current
    };
    w.commit().await?;
    Ok(Outcome { extension, measure })
}

/// Writes the decision on `current` (guarded: still pending) and its event.
async fn record_decision(
    w: &store::Write<'_>,
    current: &ext::Model,
    approve: bool,
    comment: Option<String>,
) -> DomainResult<ext::Model> {
    let actor = &w.ctx().actor;
    let mut next = current.clone();
    next.status = if approve {
        ExtensionStatus::Approved
    } else {
        ExtensionStatus::Rejected
    };
    next.decided_by = Some(actor.id.clone());
    next.decider_name = Some(actor.display_name.clone());
    next.decided_at = Some(w.now());
    next.decision_comment = comment;
    let saved = ext::Entity::update(next.clone().into_active_model().reset_all())
        .validate()?
        .filter(ext::Column::Status.eq(ExtensionStatus::Pending))
        .exec(w.tx())
        .await?;
    let change = Change {
        action: if approve {
            "deadline_extension.approve"
        } else {
            "deadline_extension.reject"
        },
        entity_type: ENTITY,
        entity_id: current.id,
        before: Some(snapshot(current)?),
        after: Some(snapshot(&saved)?),
        reason: saved.decision_comment.as_deref(),
    };
    w.record_change(change).await?;
    Ok(saved)
}

#[tracing::instrument(skip_all, fields(extension_id = %id))]
pub async fn decide(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    approve: bool,
    comment: Option<&str>,
) -> DomainResult<Outcome> {
    let comment = Text::parse_optional("comment", comment, limits::LONG_TEXT)?.map(Text::into_inner);
    let w = ledger.write(ctx).await?;
    let current = ext::Entity::find_by_id(id)
        .one(w.tx())
        .await?
        .ok_or_else(|| DomainError::not_found(ENTITY, id))?;
    let measure = measure::Entity::find_by_id(current.measure_id)
        .one(w.tx())
        .await?
        .ok_or_else(|| DomainError::not_found(crate::domain::ledger::measures::ENTITY, current.measure_id))?;
    may_decide(w.tx(), ctx, &current, &measure).await?;
    let saved = record_decision(&w, &current, approve, comment).await?;
    let measure = if approve {
        move_deadline(&w, &measure, current.requested_deadline, true, &current.reason).await?
    } else {
        measure
    };
    w.commit().await?;
    Ok(Outcome {
        extension: saved,
        measure,
    })
}

pub async fn of_measures<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<ext::Model>> {
    Ok(ext::Entity::find()
        .filter(ext::Column::MeasureId.is_in(ids.to_vec()))
        .order_by_desc(ext::Column::RequestedAt)
        .order_by_desc(ext::Column::Id)
        .all(db)
        .await?)
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<ext::Model>> {
    Ok(ext::Entity::find_by_id(id).one(db).await?)
}
