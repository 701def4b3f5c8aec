//! The working-day calendar (工作日): Monday to Friday are working days, except the public
//! holidays listed here (放假), and some weekend days are worked in exchange (调休上班). The
//! State Council announces both each year; administrators load them with `setCalendarDays`.
//! Countdowns in working days (`workingDaysRemaining`, `dueWithinWorkingDays`) use it.

use std::collections::{BTreeMap, HashSet};
use std::ops::Bound::{Excluded, Included};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use entity::calendar_day;
use entity::enums::DayKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::audit::Change;
use crate::domain::access::{Operation, Target};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::snapshot::snapshot;
use crate::domain::text::{limits, Text};
use crate::domain::{store, Ledger};

/// At most this many days in one `setCalendarDays` (a year and a bit).
pub const MAX_DAYS_PER_CALL: usize = 400;
/// Longest span for counting or listing calendar days (ten years).
pub const MAX_SPAN_DAYS: i64 = 3660;

/// The listed days, to decide whether a date is a working day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    days: BTreeMap<NaiveDate, DayKind>,
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Monday-to-Friday days in (from, to].
fn weekdays_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let days = (to - from).num_days();
    if days <= 0 {
        return 0;
    }
    let mut count = days / 7 * 5;
    let mut day = from + Duration::days(days / 7 * 7);
    while day < to {
        day += Duration::days(1);
        if !is_weekend(day) {
            count += 1;
        }
    }
    count
}

impl WorkCalendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Self {
        Self {
            days: days.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.days.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !is_weekend(day),
        }
    }

    /// Working days in (from, to]: the days after `from` up to and including `to`; 0 when `to`
    /// is not after `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to <= from {
            return 0;
        }
        let mut count = weekdays_between(from, to);
        for (day, kind) in self.days.range((Excluded(from), Included(to))) {
            match (kind, is_weekend(*day)) {
                (DayKind::Holiday, false) => count -= 1,
                (DayKind::Workday, true) => count += 1,
                _ => {}
            }
        }
        count
    }

    /// Whether the official calendar of `year` is loaded: at least one of its days is listed
    /// (every announced year has its 元旦 and 春节). Without it, the year's figures follow the
    /// week alone and are approximate.
    pub fn covers_year(&self, year: i32) -> bool {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return false;
        };
        self.days.range(first..=last).next().is_some()
    }

    /// Whether [`WorkCalendar::working_days_between`] for (from, to] counts a day of a year
    /// whose calendar is not loaded.
    pub fn approximate_between(&self, from: NaiveDate, to: NaiveDate) -> bool {
        if to <= from {
            return false;
        }
        let first = (from + Duration::days(1)).year();
        (first..=to.year()).any(|year| !self.covers_year(year))
    }

    /// The `n`-th working day after `from` (`from` itself for 0).
    pub fn nth_working_day_after(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

/// The whole calendar (a few dozen rows a year).
pub async fn load<C: ConnectionTrait>(db: &C) -> DomainResult<WorkCalendar> {
    let rows = calendar_day::Entity::find().all(db).await?;
    Ok(WorkCalendar::new(rows.into_iter().map(|r| (r.day, r.kind))))
}

fn check_span(from: NaiveDate, to: NaiveDate) -> DomainResult<()> {
    if to < from {
        return Err(DomainError::invalid("to", "to must not be before from"));
    }
    if (to - from).num_days() > MAX_SPAN_DAYS {
        return Err(DomainError::invalid(
            "to",
            format!("from and to may be at most {MAX_SPAN_DAYS} days apart"),
        ));
    }
    Ok(())
}

/// The listed days in [from, to], by date.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    from: NaiveDate,
    to: NaiveDate,
) -> DomainResult<Vec<calendar_day::Model>> {
    check_span(from, to)?;
    Ok(calendar_day::Entity::find()
        .filter(calendar_day::Column::Day.between(from, to))
        .order_by_asc(calendar_day::Column::Day)
        .all(db)
        .await?)
}

/// At most this many years in one `calendarCoverage`.
pub const MAX_COVERAGE_YEARS: i32 = 50;

/// Whether a year's official calendar is loaded, and what it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCoverage {
    pub year: i32,
    pub loaded: bool,
    pub holidays: usize,
    pub workdays: usize,
}

/// The coverage of the years `from_year` to `to_year`: which have a calendar loaded.
pub async fn coverage<C: ConnectionTrait>(db: &C, from_year: i32, to_year: i32) -> DomainResult<Vec<YearCoverage>> {
    if !(1900..=9999).contains(&from_year) {
        return Err(DomainError::invalid(
            "fromYear",
            "fromYear must be between 1900 and 9999",
        ));
    }
    if to_year < from_year || to_year - from_year >= MAX_COVERAGE_YEARS {
        return Err(DomainError::invalid(
            "toYear",
            format!("toYear must be from fromYear to {MAX_COVERAGE_YEARS} years later"),
        ));
    }
    let calendar = load(db).await?;
    Ok((from_year..=to_year)
        .map(|year| {
            let kinds: Vec<DayKind> = calendar
                .days
                .iter()
                .filter(|(d, _)| d.year() == year)
                .map(|(_, k)| *k)
                .collect();
            YearCoverage {
                year,
                loaded: calendar.covers_year(year),
                holidays: kinds.iter().filter(|k| **k == DayKind::Holiday).count(),
                workdays: kinds.iter().filter(|k| **k == DayKind::Workday).count(),
            }
        })
        .collect())
}

/// One day to list.
#[derive(Debug, Clone)]
pub struct DayInput {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// Each listed day once, a WORKDAY only on a weekend, names checked.
fn check_days(days: Vec<DayInput>) -> DomainResult<Vec<(NaiveDate, DayKind, String)>> {
    let mut seen = HashSet::new();
    let mut checked = Vec::with_capacity(days.len());
    for (i, d) in days.into_iter().enumerate() {
        let field = format!("days.{i}");
        if !seen.insert(d.day) {
            return Err(DomainError::invalid(
                format!("{field}.date"),
                format!("{field}.date: {} is listed twice", d.day),
            ));
        }
        if d.kind == DayKind::Workday && !is_weekend(d.day) {
            return Err(DomainError::invalid(
                format!("{field}.kind"),
                format!(
                    "{field}.kind: {} is a {}; only a Saturday or Sunday can be an adjusted working day (调休上班)",
                    d.day,
                    d.day.weekday()
                ),
            ));
        }
        let name = Text::parse(&format!("{field}.name"), &d.name, limits::PERSON_NAME)?.into_inner();
        checked.push((d.day, d.kind, name));
    }
    Ok(checked)
}

/// Writes one listed day: changes the row of that date, or creates it.
async fn set_day(
    w: &store::Write<'_>,
    day: NaiveDate,
    kind: DayKind,
    name: String,
) -> DomainResult<calendar_day::Model> {
    let existing = calendar_day::Entity::find()
        .filter(calendar_day::Column::Day.eq(day))
        .one(w.tx())
        .await?;
    match existing {
        Some(current) => {
            let mut next = current.clone();
            next.kind = kind;
            next.name = name;
            w.save("calendar_day.update", current, next, None, None).await
        }
        None => {
            let now = w.now();
            let row = calendar_day::Model {
                id: Uuid::now_v7(),
                day,
                kind,
                name,
                version: 1,
                created_at: now,
                updated_at: now,
            };
            w.create("calendar_day.create", row, None).await
        }
    }
}

/// Adds or changes listed days, all or none. A WORKDAY must fall on a weekend: it is a
/// weekend day worked in exchange for a holiday (调休上班).
#[tracing::instrument(skip_all, fields(days = days.len()))]
pub async fn set_days(
    ledger: &Ledger,
    ctx: &RequestContext,
    days: Vec<DayInput>,
) -> DomainResult<Vec<calendar_day::Model>> {
    ctx.access.require(Operation::ManageCalendar, Target::WholeTree)?;
    if days.is_empty() || days.len() > MAX_DAYS_PER_CALL {
        return Err(DomainError::invalid(
            "days",
            format!("days must list 1 to {MAX_DAYS_PER_CALL} days"),
        ));
    }
    let checked = check_days(days)?;
    let w = ledger.write(ctx).await?;
    let mut saved = Vec::with_capacity(checked.len());
    for (day, kind, name) in checked {
        saved.push(set_day(&w, day, kind, name).await?);
    }
    w.commit().await?;
    saved.sort_by_key(|d| d.day);
    Ok(saved)
}

/// Removes a listed day (it then follows the week again); the audit event keeps what it was.
#[tracing::instrument(skip_all, fields(day = %day))]
pub async fn remove_day(
    ledger: &Ledger,
    ctx: &RequestContext,
    day: NaiveDate,
    reason: &str,
) -> DomainResult<calendar_day::Model> {
    ctx.access.require(Operation::ManageCalendar, Target::WholeTree)?;
    let reason = Text::parse("reason", reason, limits::REASON)?.into_inner();
    let w = ledger.write(ctx).await?;
    let row = calendar_day::Entity::find()
        .filter(calendar_day::Column::Day.eq(day))
        .one(w.tx())
        .await?
        .ok_or_else(|| DomainError::invalid("date", format!("{day} is not listed in the calendar")))?;
    calendar_day::Entity::delete_by_id(row.id).exec(w.tx()).await?;
    let change = Change {
        action: "calendar_day.remove",
        entity_type: "CalendarDay",
        entity_id: row.id,
        before: Some(snapshot(&row)?),
        after: None,
        reason: Some(&reason),
    };
    w.record_change(change).await?;
    w.commit().await?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default()
    }

    /// Around the 2026 Mid-Autumn Festival and National Day, as the State Council set them:
    /// 9月20日（周日）上班, 9月25日–27日放假, 10月1日–7日放假, 10月10日（周六）上班.
    fn autumn_2026() -> WorkCalendar {
        let mut days = vec![(d(9, 20), DayKind::Workday), (d(10, 10), DayKind::Workday)];
        days.extend((25..=27).map(|x| (d(9, x), DayKind::Holiday)));
        days.extend((1..=7).map(|x| (d(10, x), DayKind::Holiday)));
        WorkCalendar::new(days)
    }

    #[test]
    fn plain_weeks_count_monday_to_friday() {
        let empty = WorkCalendar::default();
        // Thu 24 Sep → Mon 12 Oct: 25, 28–30, 1–2, 5–9, 12.
        assert_eq!(empty.working_days_between(d(9, 24), d(10, 12)), 12);
        assert_eq!(empty.working_days_between(d(9, 24), d(9, 24)), 0);
        assert_eq!(empty.working_days_between(d(9, 26), d(9, 27)), 0, "a weekend");
        assert_eq!(empty.working_days_between(d(9, 4), d(9, 25)), 15, "three full weeks");
    }

    #[test]
    fn holidays_and_adjusted_saturdays_count_as_announced() {
        let cal = autumn_2026();
        // 28, 29, 30 Sep; 8, 9, 10 (Saturday worked), 12 Oct.
        assert_eq!(cal.working_days_between(d(9, 24), d(10, 12)), 7);
        // 20 Sep (Sunday worked), 21–24 Sep.
        assert_eq!(cal.working_days_between(d(9, 18), d(9, 24)), 5);
        assert!(!cal.is_working_day(d(10, 1)) && cal.is_working_day(d(10, 10)));
        assert_eq!(cal.nth_working_day_after(d(9, 24), 3), d(9, 30));
        assert_eq!(cal.nth_working_day_after(d(9, 24), 4), d(10, 8));
        assert_eq!(cal.nth_working_day_after(d(9, 24), 6), d(10, 10));
        assert_eq!(cal.nth_working_day_after(d(9, 24), 0), d(9, 24));
    }

    #[test]
    fn counts_into_a_year_without_a_calendar_are_approximate() {
        let cal = autumn_2026();
        assert!(cal.covers_year(2026) && !cal.covers_year(2027));
        assert!(!cal.approximate_between(d(9, 24), d(12, 31)));
        let new_year = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default();
        assert!(cal.approximate_between(d(12, 31), new_year), "元旦 2027 is not loaded");
        assert!(
            !cal.approximate_between(d(12, 31), d(12, 31)),
            "an empty span counts nothing"
        );
    }
}
