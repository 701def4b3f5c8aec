//! Milestones (时间节点): dated steps of a measure. A step not done by its due date makes the
//! measure overdue; a LONG_TERM measure, which has no binding deadline, is judged by them.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::MeasureStatus;
use entity::{measure, milestone};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::access::Operation;
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ledger::measures::status_name;
use crate::domain::text::{limits, Text};
use crate::domain::{ledger::measures, store, Ledger};

/// At most this many milestones per measure.
pub const MAX_PER_MEASURE: u64 = 50;

/// Milestones grouped by their measure.
pub fn by_measure(steps: impl IntoIterator<Item = milestone::Model>) -> HashMap<Uuid, Vec<milestone::Model>> {
    let mut grouped: HashMap<Uuid, Vec<milestone::Model>> = HashMap::new();
    for step in steps {
        grouped.entry(step.measure_id).or_default().push(step);
    }
    grouped
}

/// The milestones of one measure in a grouping made by [`by_measure`].
pub fn of(grouped: &HashMap<Uuid, Vec<milestone::Model>>, measure_id: Uuid) -> &[milestone::Model] {
    grouped.get(&measure_id).map(Vec::as_slice).unwrap_or_default()
}

pub async fn of_measures<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<milestone::Model>> {
    Ok(milestone::Entity::find()
        .filter(milestone::Column::MeasureId.is_in(ids.to_vec()))
        .order_by_asc(milestone::Column::DueOn)
        .order_by_asc(milestone::Column::Id)
        .all(db)
        .await?)
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<milestone::Model>> {
    Ok(milestone::Entity::find_by_id(id).one(db).await?)
}

/// Milestones belong to measures still being worked on.
fn check_workable(m: &measure::Model, verb: &str) -> DomainResult<()> {
    if matches!(m.status, MeasureStatus::Closed | MeasureStatus::Cancelled) {
        return Err(DomainError::invalid(
            "measureId",
            format!(
                "cannot {verb} a milestone of a measure that is {}",
                status_name(m.status)
            ),
        ));
    }
    Ok(())
}

/// Adds a milestone to a measure (EDITOR on one of its units). Its due date may not be after
/// the measure's deadline, except for a LONG_TERM measure, whose steps run past it.
#[tracing::instrument(skip_all, fields(measure_id = %measure_id))]
pub async fn add(
    ledger: &Ledger,
    ctx: &RequestContext,
    measure_id: Uuid,
    title: &str,
    due_on: NaiveDate,
) -> DomainResult<milestone::Model> {
    let title = Text::parse("title", title, limits::TITLE)?.into_inner();
    let w = ledger.write(ctx).await?;
    let m = measures::get(w.tx(), measure_id)
        .await?
        .ok_or_else(|| DomainError::invalid("measureId", format!("measure {measure_id} does not exist")))?;
    measures::require(w.tx(), ctx, Operation::EditLedger, &m).await?;
    check_workable(&m, "add")?;
    if due_on > m.deadline && m.status != MeasureStatus::LongTerm {
        return Err(DomainError::invalid(
            "dueOn",
            format!(
                "dueOn ({due_on}) must not be after the measure's deadline ({})",
                m.deadline
            ),
        ));
    }
    let count = milestone::Entity::find()
        .filter(milestone::Column::MeasureId.eq(measure_id))
        .count(w.tx())
        .await?;
    if count >= MAX_PER_MEASURE {
        return Err(DomainError::invalid(
            "measureId",
            format!("a measure has at most {MAX_PER_MEASURE} milestones"),
        ));
    }
    let now = ledger.now();
    let row = milestone::Model {
        id: Uuid::now_v7(),
        measure_id,
        title,
        due_on,
        done_on: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.create("milestone.create", row, None).await?;
    w.commit().await?;
    Ok(saved)
}

/// Marks a milestone done on `done_on` (default today; not in the future).
#[tracing::instrument(skip_all, fields(milestone_id = %id))]
pub async fn complete(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    done_on: Option<NaiveDate>,
) -> DomainResult<milestone::Model> {
    let today = ledger.today();
    let done_on = done_on.unwrap_or(today);
    crate::domain::not_future("doneOn", done_on, today)?;
    let w = ledger.write(ctx).await?;
    let current: milestone::Model = w.load(id).await?;
    let m = measures::get(w.tx(), current.measure_id)
        .await?
        .ok_or_else(|| DomainError::not_found("Measure", current.measure_id))?;
    measures::require(w.tx(), ctx, Operation::ReportWork, &m).await?;
    store::check_current(&current, expected_version)?;
    check_workable(&m, "complete")?;
    if let Some(done) = current.done_on {
        return Err(DomainError::invalid("id", format!("this milestone was done on {done}")));
    }
    if done_on < m.created_at.date_naive() - chrono::Duration::days(366) {
        return Err(DomainError::invalid(
            "doneOn",
            "doneOn is more than a year before the measure was recorded",
        ));
    }
    let mut next = current.clone();
    next.done_on = Some(done_on);
    let saved = w.save("milestone.complete", current, next, None, None).await?;
    w.commit().await?;
    Ok(saved)
}
