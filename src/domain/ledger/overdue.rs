//! When a measure is overdue (逾期): the one rule, in its Rust form ([`overdue_since`], for rows
//! in memory: fields, reports, replayed snapshots) and its SQL form
//! ([`overdue_measure_condition`], for list filters), side by side so that they change together.
//! `tests/api/measures.rs` checks that the `overdue` filter and the `overdue` field agree.
//! Overdue is derived, never stored.

use chrono::NaiveDate;
use entity::enums::MeasureStatus;
use entity::{measure, milestone};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition, ExprTrait};

/// Statuses in which a measure still counts against its deadline.
pub const OPEN_STATUSES: [MeasureStatus; 3] = [
    MeasureStatus::Pending,
    MeasureStatus::InProgress,
    MeasureStatus::Submitted,
];

/// What a measure missed first: its deadline, or a milestone (时间节点) due before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missed<'a> {
    Deadline(NaiveDate),
    Milestone(&'a milestone::Model),
}

impl Missed<'_> {
    /// The day it was due: the measure is overdue since then.
    pub fn due_on(&self) -> NaiveDate {
        match self {
            Missed::Deadline(d) => *d,
            Missed::Milestone(m) => m.due_on,
        }
    }
}

/// The first date a measure missed, if it is overdue on `today`: its deadline, when that has
/// passed and the measure is still open, or the due date of its earliest milestone not done in
/// time. A LONG_TERM measure is judged by its milestones alone. Overdue is derived, never
/// stored.
pub fn overdue_since(m: &measure::Model, milestones: &[milestone::Model], today: NaiveDate) -> Option<NaiveDate> {
    first_missed(m, milestones, today).map(|missed| missed.due_on())
}

/// What made the measure overdue on `today` (see [`overdue_since`]): the earliest milestone
/// missed when it fell due before the deadline (or the deadline has not passed), else the
/// deadline. A milestone due on the deadline itself is not named apart from it.
pub fn first_missed<'a>(
    m: &measure::Model,
    milestones: &'a [milestone::Model],
    today: NaiveDate,
) -> Option<Missed<'a>> {
    let open = OPEN_STATUSES.contains(&m.status);
    let judged = open || m.status == MeasureStatus::LongTerm;
    let deadline = (open && m.deadline < today).then_some(m.deadline);
    let milestone = milestones
        .iter()
        .filter(|x| judged && x.measure_id == m.id && is_missed(x, today))
        .min_by_key(|x| (x.due_on, x.id));
    match (deadline, milestone) {
        (Some(d), Some(x)) if x.due_on < d => Some(Missed::Milestone(x)),
        (Some(d), _) => Some(Missed::Deadline(d)),
        (None, x) => x.map(Missed::Milestone),
    }
}

pub fn is_overdue(m: &measure::Model, milestones: &[milestone::Model], today: NaiveDate) -> bool {
    overdue_since(m, milestones, today).is_some()
}

/// Whether a milestone was missed by `today`: due before it and not done.
pub fn is_missed(step: &milestone::Model, today: NaiveDate) -> bool {
    step.done_on.is_none() && step.due_on < today
}

/// Measures overdue on `today` (the SQL form of [`overdue_since`]): deadline passed and still
/// open, or open or LONG_TERM with a milestone past due and not done.
pub fn overdue_measure_condition(today: NaiveDate) -> Condition {
    let status = || Expr::col((measure::Entity, measure::Column::Status));
    let judged: Vec<MeasureStatus> = OPEN_STATUSES.iter().copied().chain([MeasureStatus::LongTerm]).collect();
    let missed_milestone = Query::select()
        .column(milestone::Column::MeasureId)
        .from(milestone::Entity)
        .and_where(milestone::Column::DoneOn.is_null())
        .and_where(milestone::Column::DueOn.lt(today))
        .to_owned();
    Condition::any()
        .add(
            Condition::all()
                .add(Expr::col((measure::Entity, measure::Column::Deadline)).lt(today))
                .add(status().is_in(OPEN_STATUSES.iter().copied())),
        )
        .add(
            Condition::all()
                .add(status().is_in(judged))
                .add(Expr::col((measure::Entity, measure::Column::Id)).in_subquery(missed_milestone)),
        )
}
