//! Reporting rhythms (日报 / 周报 / 半月报 / 月报): when a campaign's measures owe a progress
//! report. A campaign sets one rhythm for all its measures, or one per unit (a unit's applies to
//! the measures it or a unit below it leads; the nearest setting wins), from the day it is set:
//! periods that ended before are not owed, so setting or changing a rhythm never makes the past
//! late. A report names the period it covers ([`period_for_report`]); a period is **missed**
//! when no report of it was filed by its last day (its due day). docs/reports.md has the rules.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use entity::enums::MeasureStatus;
use entity::{campaign, measure, problem, progress_report, unit};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::access::{Operation, Target};
use crate::domain::clock;
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::org::calendar::WorkCalendar;
use crate::domain::{store, Ledger};

/// How often a report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RhythmKind {
    /// 日报: every working day (the working-day calendar).
    Daily,
    /// 周报: weeks ending on a given weekday.
    Weekly,
    /// 半月报: the 1st to the 15th, the 16th to the month's last day.
    HalfMonthly,
    /// 月报: calendar months.
    Monthly,
}

/// One rhythm: its kind and, for WEEKLY, the weekday a week's report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rhythm {
    pub kind: RhythmKind,
    /// WEEKLY only: 1 (Monday) to 7 (Sunday), the last day of each week.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<u32>,
}

/// The days one report covers; it is due on `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Longest stretch of periods computed at once (ten years of days).
const MAX_SPAN_DAYS: i64 = 3660;

fn last_day_of_month(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).map_or(day, |first| first - Duration::days(1))
}

fn day_of_month(day: NaiveDate, d: u32) -> NaiveDate {
    day.with_day(d).unwrap_or(day)
}

impl Rhythm {
    /// A rhythm as given: WEEKLY needs a weekday 1–7, the others take none.
    pub fn check(&self, field: &str) -> DomainResult<()> {
        match (self.kind, self.weekday) {
            (RhythmKind::Weekly, Some(1..=7)) => Ok(()),
            (RhythmKind::Weekly, _) => Err(DomainError::invalid(
                field,
                format!("{field}: a WEEKLY rhythm needs weekday 1 (Monday) to 7 (Sunday)"),
            )),
            (_, Some(_)) => Err(DomainError::invalid(
                field,
                format!("{field}: weekday is for WEEKLY rhythms only"),
            )),
            (_, None) => Ok(()),
        }
    }

    /// The period a day belongs to. A rest day belongs to the last working day before it under
    /// DAILY (a report written on Saturday covers Friday).
    pub fn period_of(&self, day: NaiveDate, calendar: &WorkCalendar) -> Period {
        match self.kind {
            RhythmKind::Daily => {
                let worked = (0..31)
                    .map(|back| day - Duration::days(back))
                    .find(|d| calendar.is_working_day(*d))
                    .unwrap_or(day);
                Period {
                    from: worked,
                    to: worked,
                }
            }
            RhythmKind::Weekly => {
                let due = i64::from(self.weekday.unwrap_or(7).clamp(1, 7));
                let today = i64::from(day.weekday().number_from_monday());
                let to = day + Duration::days((due - today).rem_euclid(7));
                Period {
                    from: to - Duration::days(6),
                    to,
                }
            }
            RhythmKind::HalfMonthly if day.day() <= 15 => Period {
                from: day_of_month(day, 1),
                to: day_of_month(day, 15),
            },
            RhythmKind::HalfMonthly => Period {
                from: day_of_month(day, 16),
                to: last_day_of_month(day),
            },
            RhythmKind::Monthly => Period {
                from: day_of_month(day, 1),
                to: last_day_of_month(day),
            },
        }
    }

    /// The periods whose due day is after `after` and not after `until`, in order (at most ten
    /// years of them: an older `after` is moved up).
    pub fn due_between(&self, after: NaiveDate, until: NaiveDate, calendar: &WorkCalendar) -> Vec<Period> {
        let after = after.max(until - Duration::days(MAX_SPAN_DAYS));
        let mut out = Vec::new();
        if self.kind == RhythmKind::Daily {
            let mut day = after + Duration::days(1);
            while day <= until {
                if calendar.is_working_day(day) {
                    out.push(Period { from: day, to: day });
                }
                day += Duration::days(1);
            }
            return out;
        }
        let mut period = self.period_of(after + Duration::days(1), calendar);
        while period.to <= until {
            out.push(period);
            period = self.period_of(period.to + Duration::days(1), calendar);
        }
        out
    }
}

/// A unit's own rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitRhythm {
    pub unit_id: Uuid,
    pub rhythm: Rhythm,
}

/// A campaign's reporting rhythms, stored with it as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rhythms {
    /// The day the rhythms were set: periods due before it are not owed.
    pub since: NaiveDate,
    /// For the measures of every unit without its own.
    #[serde(default)]
    pub default: Option<Rhythm>,
    #[serde(default)]
    pub units: Vec<UnitRhythm>,
}

/// At most this many units with a rhythm of their own.
pub const MAX_UNIT_RHYTHMS: usize = 1000;

impl Rhythms {
    /// The campaign's rhythms; none when it sets none (or its JSON cannot be read).
    pub fn of(c: &campaign::Model) -> Option<Self> {
        c.report_rhythm
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    }

    /// The rhythm of the measures `unit` leads: the nearest unit's own, going up the tree, else
    /// the campaign's default.
    pub fn for_unit(&self, tree: &HashMap<Uuid, unit::Model>, unit: Uuid) -> Option<Rhythm> {
        let mut cursor = Some(unit);
        for _ in 0..64 {
            let Some(id) = cursor else { break };
            if let Some(own) = self.units.iter().find(|u| u.unit_id == id) {
                return Some(own.rhythm);
            }
            cursor = tree.get(&id).and_then(|u| u.parent_id);
        }
        self.default
    }
}

/// What `setReportRhythm` is given: a default, units' own, or neither (no rhythm).
#[derive(Debug, Clone, Default)]
pub struct RhythmSetting {
    pub default: Option<Rhythm>,
    pub units: Vec<UnitRhythm>,
}

impl RhythmSetting {
    fn check(&self) -> DomainResult<()> {
        if let Some(d) = &self.default {
            d.check("default")?;
        }
        if self.units.len() > MAX_UNIT_RHYTHMS {
            return Err(DomainError::invalid(
                "units",
                format!("units: at most {MAX_UNIT_RHYTHMS} units may have their own rhythm"),
            ));
        }
        for (i, u) in self.units.iter().enumerate() {
            u.rhythm.check(&format!("units.{i}.rhythm"))?;
            if self.units[..i].iter().any(|v| v.unit_id == u.unit_id) {
                return Err(DomainError::invalid(
                    format!("units.{i}.unitId"),
                    format!("units.{i}.unitId: unit {} is listed twice", u.unit_id),
                ));
            }
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.default.is_none() && self.units.is_empty()
    }
}

/// Sets when a campaign's progress reports are due, from today (campaign settings: SUPERVISOR
/// on the whole tree); neither a default nor a unit's own clears the rhythm. An audited update
/// of the campaign.
#[tracing::instrument(skip_all, fields(campaign_id = %campaign_id))]
pub async fn set(
    ledger: &Ledger,
    ctx: &RequestContext,
    campaign_id: Uuid,
    expected_version: i32,
    setting: RhythmSetting,
) -> DomainResult<campaign::Model> {
    ctx.access.require(Operation::ManageCampaigns, Target::WholeTree)?;
    setting.check()?;
    let w = ledger.write(ctx).await?;
    for (i, u) in setting.units.iter().enumerate() {
        crate::domain::org::units::active(w.tx(), u.unit_id, &format!("units.{i}.unitId")).await?;
    }
    let current: campaign::Model = store::load_current(w.tx(), campaign_id, expected_version).await?;
    let json = if setting.is_empty() {
        None
    } else {
        let rhythms = Rhythms {
            since: w.today(),
            default: setting.default,
            units: setting.units,
        };
        Some(serde_json::to_string(&rhythms).map_err(|e| DomainError::Internal(format!("report rhythm: {e}")))?)
    };
    let next = campaign::Model {
        report_rhythm: json,
        ..current.clone()
    };
    let saved = w.save("campaign.set_report_rhythm", current, next, None, None).await?;
    w.commit().await?;
    Ok(saved)
}

/// The units' parents, to find the nearest unit with a rhythm of its own.
pub async fn unit_tree<C: ConnectionTrait>(db: &C) -> DomainResult<HashMap<Uuid, unit::Model>> {
    Ok(unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

/// The period a new report of `m` covers: the one holding `day` (today when none is given)
/// under the rhythm of the measure's campaign and lead unit; none under no rhythm. A period
/// that has not begun cannot be reported on, nor one when no rhythm applies.
pub async fn period_for_report<C: ConnectionTrait>(
    db: &C,
    m: &measure::Model,
    day: Option<NaiveDate>,
    today: NaiveDate,
) -> DomainResult<Option<Period>> {
    let rhythm = rhythm_of_measure(db, m).await?;
    let Some(rhythm) = rhythm else {
        return match day {
            Some(_) => Err(DomainError::invalid(
                "period",
                "period: no reporting rhythm applies to this measure (setReportRhythm)",
            )),
            None => Ok(None),
        };
    };
    let calendar = crate::domain::org::calendar::load(db).await?;
    let period = rhythm.period_of(day.unwrap_or(today), &calendar);
    if period.from > today {
        return Err(DomainError::invalid(
            "period",
            format!("period: the period {} to {} has not begun", period.from, period.to),
        ));
    }
    Ok(Some(period))
}

/// The rhythm a measure reports under now.
async fn rhythm_of_measure<C: ConnectionTrait>(db: &C, m: &measure::Model) -> DomainResult<Option<Rhythm>> {
    let Some(p) = problem::Entity::find_by_id(m.problem_id).one(db).await? else {
        return Ok(None);
    };
    let Some(c) = campaign::Entity::find_by_id(p.campaign_id).one(db).await? else {
        return Ok(None);
    };
    let Some(rhythms) = Rhythms::of(&c) else {
        return Ok(None);
    };
    if rhythms.units.is_empty() {
        return Ok(rhythms.default);
    }
    Ok(rhythms.for_unit(&unit_tree(db).await?, m.lead_unit_id))
}

/// The last due day judged at instant `t`: a report due on a day is missed once that whole day
/// has passed, so the day before `t`'s, or `t`'s own at its last instant.
pub fn judged_until(t: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    let day = clock::date_of(t);
    if t >= clock::end_of_day(day) {
        day
    } else {
        day - Duration::days(1)
    }
}

/// Whether a measure owes a report for `p`: it was recorded before the period's due day, work
/// on it had started by then (a PENDING measure reports nothing yet: 签收 is what it owes), and it
/// was still being worked on at the period's end (not yet submitted, closed or cancelled).
pub fn owes(m: &measure::Model, p: Period) -> bool {
    if clock::date_of(m.created_at) >= p.to || m.started_on.is_none_or(|s| s > p.to) {
        return false;
    }
    let left_on = match m.status {
        MeasureStatus::Pending | MeasureStatus::InProgress | MeasureStatus::LongTerm => None,
        MeasureStatus::Submitted => m.submitted_on,
        MeasureStatus::Closed => m.submitted_on.or(m.closed_on),
        MeasureStatus::Cancelled => Some(clock::date_of(m.updated_at)),
    };
    left_on.is_none_or(|left| left > p.to)
}

/// For each measure, the day each of its periods was first reported (by period's last day).
#[derive(Debug, Clone, Default)]
pub struct ReportBook(HashMap<Uuid, HashMap<NaiveDate, NaiveDate>>);

impl ReportBook {
    /// When the report of `p` first came in, if it has.
    pub fn filed_on(&self, measure: Uuid, p: Period) -> Option<NaiveDate> {
        self.0.get(&measure).and_then(|by| by.get(&p.to)).copied()
    }

    fn add(&mut self, r: &progress_report::Model) {
        if let Some(to) = r.period_to {
            let first = self
                .0
                .entry(r.measure_id)
                .or_default()
                .entry(to)
                .or_insert(r.reported_on);
            *first = (*first).min(r.reported_on);
        }
    }
}

/// The reports of a campaign's measures that name a period, recorded by `until`.
pub async fn report_book<C: ConnectionTrait>(
    db: &C,
    campaign_id: Uuid,
    until: chrono::DateTime<chrono::Utc>,
) -> DomainResult<ReportBook> {
    let problems = Query::select()
        .column(problem::Column::Id)
        .from(problem::Entity)
        .and_where(problem::Column::CampaignId.eq(campaign_id))
        .to_owned();
    let of_campaign = Query::select()
        .column(measure::Column::Id)
        .from(measure::Entity)
        .and_where(measure::Column::ProblemId.in_subquery(problems))
        .to_owned();
    let rows = progress_report::Entity::find()
        .filter(progress_report::Column::MeasureId.in_subquery(of_campaign))
        .filter(progress_report::Column::PeriodTo.is_not_null())
        .filter(progress_report::Column::CreatedAt.lte(until))
        .all(db)
        .await?;
    let mut book = ReportBook::default();
    for r in &rows {
        book.add(r);
    }
    Ok(book)
}

/// A report that was not filed by its due day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissedReport {
    pub measure_id: Uuid,
    pub lead_unit_id: Uuid,
    pub period: Period,
    /// When it came in late, if it has.
    pub filed_on: Option<NaiveDate>,
}

/// What deciding whether a report was missed needs: the campaign's rhythms and end, the unit
/// tree, the working-day calendar and the reports filed.
pub struct Dues<'a> {
    pub rhythms: &'a Rhythms,
    pub ends_on: Option<NaiveDate>,
    pub tree: &'a HashMap<Uuid, unit::Model>,
    pub calendar: &'a WorkCalendar,
    pub book: &'a ReportBook,
}

impl Dues<'_> {
    /// The reports of `m` due after `after` and by `until` (within the rhythm's life and the
    /// campaign's) that were not filed by their due day, oldest first.
    pub fn missed_by(&self, m: &measure::Model, after: NaiveDate, until: NaiveDate) -> Vec<MissedReport> {
        let Some(rhythm) = self.rhythms.for_unit(self.tree, m.lead_unit_id) else {
            return Vec::new();
        };
        let after = after.max(self.rhythms.since - Duration::days(1));
        let until = self.ends_on.map_or(until, |end| until.min(end));
        if until <= after {
            return Vec::new();
        }
        rhythm
            .due_between(after, until, self.calendar)
            .into_iter()
            .filter(|p| owes(m, *p))
            .filter_map(|p| {
                let filed_on = self.book.filed_on(m.id, p);
                let on_time = filed_on.is_some_and(|d| d <= p.to);
                (!on_time).then_some(MissedReport {
                    measure_id: m.id,
                    lead_unit_id: m.lead_unit_id,
                    period: p,
                    filed_on,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rhythm(kind: RhythmKind, weekday: Option<u32>) -> Rhythm {
        Rhythm { kind, weekday }
    }

    #[test]
    fn half_monthly_periods_end_on_the_15th_and_the_last_day_of_the_month() {
        let cal = WorkCalendar::default();
        let half = rhythm(RhythmKind::HalfMonthly, None);
        assert_eq!(
            half.period_of(d(2026, 2, 15), &cal),
            Period {
                from: d(2026, 2, 1),
                to: d(2026, 2, 15)
            }
        );
        assert_eq!(
            half.period_of(d(2026, 2, 16), &cal),
            Period {
                from: d(2026, 2, 16),
                to: d(2026, 2, 28)
            }
        );
        assert_eq!(half.period_of(d(2028, 2, 20), &cal).to, d(2028, 2, 29));
        let due: Vec<NaiveDate> = half
            .due_between(d(2026, 1, 15), d(2026, 3, 15), &cal)
            .iter()
            .map(|p| p.to)
            .collect();
        assert_eq!(due, [d(2026, 1, 31), d(2026, 2, 15), d(2026, 2, 28), d(2026, 3, 15)]);
    }

    #[test]
    fn weekly_periods_end_on_their_weekday_and_daily_ones_skip_rest_days() {
        let cal = WorkCalendar::new([(d(2026, 10, 1), entity::enums::DayKind::Holiday)]);
        // 2026-12-02 is a Wednesday; a Friday (5) week runs Saturday to Friday.
        let friday = rhythm(RhythmKind::Weekly, Some(5));
        assert_eq!(
            friday.period_of(d(2026, 12, 2), &cal),
            Period {
                from: d(2026, 11, 28),
                to: d(2026, 12, 4)
            }
        );
        assert_eq!(friday.period_of(d(2026, 12, 4), &cal).to, d(2026, 12, 4));
        assert_eq!(friday.period_of(d(2026, 12, 5), &cal).to, d(2026, 12, 11));
        let daily = rhythm(RhythmKind::Daily, None);
        // Saturday's report covers Friday; the holiday is not due.
        assert_eq!(daily.period_of(d(2026, 12, 5), &cal).to, d(2026, 12, 4));
        let due: Vec<NaiveDate> = daily
            .due_between(d(2026, 9, 29), d(2026, 10, 5), &cal)
            .iter()
            .map(|p| p.to)
            .collect();
        assert_eq!(due, [d(2026, 9, 30), d(2026, 10, 2), d(2026, 10, 5)]);
        let monthly = rhythm(RhythmKind::Monthly, None);
        assert_eq!(
            monthly.period_of(d(2026, 12, 2), &cal),
            Period {
                from: d(2026, 12, 1),
                to: d(2026, 12, 31)
            }
        );
    }

    #[test]
    fn a_weekday_is_required_for_weekly_rhythms_and_refused_for_the_others() {
        assert!(rhythm(RhythmKind::Weekly, None).check("default").is_err());
        assert!(rhythm(RhythmKind::Weekly, Some(8)).check("default").is_err());
        assert!(rhythm(RhythmKind::Weekly, Some(1)).check("default").is_ok());
        assert!(rhythm(RhythmKind::Monthly, Some(1)).check("default").is_err());
        let twice = RhythmSetting {
            default: None,
            units: vec![
                UnitRhythm {
                    unit_id: Uuid::nil(),
                    rhythm: rhythm(RhythmKind::Daily, None),
                },
                UnitRhythm {
                    unit_id: Uuid::nil(),
                    rhythm: rhythm(RhythmKind::Daily, None),
                },
            ],
        };
        assert!(twice.check().is_err());
    }
}
