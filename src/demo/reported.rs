//! 半月报 in the demo: on the campaign's first day the 整改办 sets the half-monthly rhythm (the
//! 15th and the month's last day), and every measure being worked on reports on each due day
//! from its start until it is submitted. A few do not: the measures of every seventh problem
//! (the 3rd, 10th, …) miss the last half month that has ended, and those of the 6th, 13th, …
//! file it a day late, naming the period they are late for. Steps of the timeline.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{morning, Demo};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ledger::rhythms::{self, Rhythm, RhythmKind, RhythmSetting};
use crate::domain::org::calendar::WorkCalendar;
use crate::domain::{ledger::campaigns, Ledger};

/// The demo's rhythm: 半月报.
const HALF_MONTHLY: Rhythm = Rhythm {
    kind: RhythmKind::HalfMonthly,
    weekday: None,
};

/// How a measure's report of one half month goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Filing {
    /// On the due day.
    OnTime,
    /// The day after, naming the period.
    Late,
}

/// Sets the rhythm, half an hour into the campaign's first day.
pub(super) fn rhythm_step(start: NaiveDate) -> DateTime<Utc> {
    morning(start) + Duration::minutes(30)
}

pub(super) async fn set_rhythm(then: &Ledger, demo: &Demo<'_>) -> DomainResult<()> {
    let campaign = campaigns::get(&then.db, demo.campaign_id)
        .await?
        .ok_or_else(|| DomainError::Internal("demo: the campaign is missing".to_owned()))?;
    let setting = RhythmSetting {
        default: Some(HALF_MONTHLY),
        units: Vec::new(),
    };
    rhythms::set(then, &demo.system, campaign.id, campaign.version, setting).await?;
    Ok(())
}

/// The half-month reports of problem `problem`'s measure worked on from `started` until
/// `submitted` (none: still being worked on), for the periods due after it started (the report
/// that starts a measure covers its own period) and before `today`: (instant, due day, filing).
pub(super) fn steps(
    today: NaiveDate,
    problem: usize,
    started: DateTime<Utc>,
    submitted: Option<DateTime<Utc>>,
    started_by_report: bool,
) -> Vec<(DateTime<Utc>, NaiveDate, Filing)> {
    let calendar = WorkCalendar::default();
    let start_day = crate::domain::clock::date_of(started);
    let last_due = today - Duration::days(1);
    let due_days: Vec<NaiveDate> = HALF_MONTHLY
        .due_between(start_day - Duration::days(1), last_due, &calendar)
        .into_iter()
        .map(|p| p.to)
        .collect();
    let latest = HALF_MONTHLY
        .due_between(last_due - Duration::days(31), last_due, &calendar)
        .last()
        .map(|p| p.to);
    let covered_by_start = started_by_report.then(|| HALF_MONTHLY.period_of(start_day, &calendar).to);
    let mut out = Vec::new();
    for due in due_days {
        // 16:00 on the due day, or just after the start when it started later that day.
        let at = (morning(due) + Duration::hours(7)).max(started + Duration::minutes(10));
        if Some(due) == covered_by_start || submitted.is_some_and(|s| at >= s) {
            continue;
        }
        match (Some(due) == latest, problem % 7) {
            (true, 2) => {}
            (true, 5) => out.push((at + Duration::days(1), due, Filing::Late)),
            _ => out.push((at, due, Filing::OnTime)),
        }
    }
    out
}
