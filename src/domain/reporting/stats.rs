//! Reports: the state of a campaign's ledger — totals by status, completion and on-time rates,
//! overdue and long-term counts — now, or **as of** any past instant. An as-of report is
//! computed from the audit trail alone (the last snapshot of every measure, milestone and
//! problem at or before the instant), so it gives the same answer next year as it gave on the
//! day. docs/reports.md defines every figure.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::enums::MeasureStatus;
use entity::{measure, milestone, problem};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::Value;
use uuid::Uuid;

use crate::domain::access::Access;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::{clock, ledger::measures, ledger::milestones, ledger::problems, org::units, Ledger};

/// What a report covers.
#[derive(Debug, Clone, Default)]
pub struct StatsFilter {
    pub campaign_id: Option<Uuid>,
    /// A unit and its subunits: measures they lead or cooperate on.
    pub unit_id: Option<Uuid>,
}

/// The figures of docs/reports.md.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerStats {
    /// Measures not cancelled.
    pub total: i64,
    pub pending: i64,
    pub in_progress: i64,
    pub submitted: i64,
    pub closed: i64,
    pub long_term: i64,
    pub cancelled: i64,
    pub closed_on_time: i64,
    pub closed_late: i64,
    pub overdue: i64,
    /// Measures (not cancelled) that relapsed (反弹: reopened after closing) at least once.
    pub relapsed: i64,
    /// closed / total, in basis points; None without measures.
    pub completion_rate_bp: Option<i64>,
    /// closed on time / closed, in basis points; None before anything is closed.
    pub on_time_rate_bp: Option<i64>,
    /// The instant the figures describe and the last audit event at or before it.
    pub as_of: DateTime<Utc>,
    pub audit_seq: i64,
}

/// A measure with what the figures need.
pub struct Facts {
    pub row: measure::Model,
    pub cooperating: Vec<Uuid>,
}

/// The measures (already filtered) and milestones a report is computed from, at an instant.
pub struct Snapshot {
    pub facts: Vec<Facts>,
    /// By measure ([`milestones::of`] reads one measure's).
    pub milestones: HashMap<Uuid, Vec<milestone::Model>>,
    /// The problems of the measures (as they stood at the instant), by id.
    pub problems: HashMap<Uuid, problem::Model>,
    pub as_of: DateTime<Utc>,
    pub audit_seq: i64,
}

/// The ledger now, or as of an instant (from the audit trail).
pub async fn snapshot(
    ledger: &Ledger,
    access: &Access,
    filter: &StatsFilter,
    as_of: Option<DateTime<Utc>>,
) -> DomainResult<Snapshot> {
    match as_of {
        Some(t) => replay(ledger, access, filter, t).await,
        None => current(ledger, access, filter).await,
    }
}

/// The figures of a snapshot.
pub fn stats(s: &Snapshot) -> LedgerStats {
    compute(&s.facts, &s.milestones, s.as_of, s.audit_seq)
}

/// What the figures may be grouped by (统计维度).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// The problem's category (问题类别).
    Category,
    /// Where the problem came from.
    Source,
    Severity,
    /// 立即整改, 限期整改, 逐步解决.
    RectificationKind,
    /// The measure's 分管领导 / 责任领导.
    ResponsibleLeader,
    /// The measure's 牵头单位.
    LeadUnit,
}

/// A group of the figures: its key (an enum value, a category, or an id; empty for measures
/// without one) and the figures of its measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub key: String,
    pub stats: LedgerStats,
}

/// The key of a measure in `dimension`, from its row and its problem.
fn key_of(dimension: Dimension, f: &Facts, problem: Option<&problem::Model>) -> String {
    let enum_name = |v: serde_json::Value| v.as_str().map(str::to_owned).unwrap_or_default();
    match dimension {
        Dimension::Category => problem.map(|p| p.category.clone()).unwrap_or_default(),
        Dimension::Source => problem
            .map(|p| enum_name(serde_json::json!(p.source)))
            .unwrap_or_default(),
        Dimension::Severity => problem
            .map(|p| enum_name(serde_json::json!(p.severity)))
            .unwrap_or_default(),
        Dimension::RectificationKind => problem
            .map(|p| enum_name(serde_json::json!(p.rectification_kind)))
            .unwrap_or_default(),
        Dimension::ResponsibleLeader => f.row.responsible_leader_id.map(|id| id.to_string()).unwrap_or_default(),
        Dimension::LeadUnit => f.row.lead_unit_id.to_string(),
    }
}

/// The figures of a snapshot grouped by `dimension`, the largest group first (then by key).
/// Every measure is in exactly one group, so the groups add up to [`stats`].
pub fn stats_by(s: &Snapshot, dimension: Dimension) -> Vec<Group> {
    let mut groups: std::collections::BTreeMap<String, Vec<&Facts>> = std::collections::BTreeMap::new();
    for f in &s.facts {
        let key = key_of(dimension, f, s.problems.get(&f.row.problem_id));
        groups.entry(key).or_default().push(f);
    }
    let mut out: Vec<Group> = groups
        .into_iter()
        .map(|(key, facts)| Group {
            key,
            stats: compute_refs(&facts, &s.milestones, s.as_of, s.audit_seq),
        })
        .collect();
    out.sort_by(|a, b| b.stats.total.cmp(&a.stats.total).then_with(|| a.key.cmp(&b.key)));
    out
}

fn rate(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| part * 10_000 / whole)
}

fn compute(
    facts: &[Facts],
    steps: &HashMap<Uuid, Vec<milestone::Model>>,
    as_of: DateTime<Utc>,
    audit_seq: i64,
) -> LedgerStats {
    let refs: Vec<&Facts> = facts.iter().collect();
    compute_refs(&refs, steps, as_of, audit_seq)
}

fn compute_refs(
    facts: &[&Facts],
    steps: &HashMap<Uuid, Vec<milestone::Model>>,
    as_of: DateTime<Utc>,
    audit_seq: i64,
) -> LedgerStats {
    let today = clock::date_of(as_of);
    let mut s = LedgerStats {
        as_of,
        audit_seq,
        ..LedgerStats::default()
    };
    for f in facts {
        let m = &f.row;
        match m.status {
            MeasureStatus::Pending => s.pending += 1,
            MeasureStatus::InProgress => s.in_progress += 1,
            MeasureStatus::Submitted => s.submitted += 1,
            MeasureStatus::Closed => s.closed += 1,
            MeasureStatus::LongTerm => s.long_term += 1,
            MeasureStatus::Cancelled => s.cancelled += 1,
        }
        if m.status == MeasureStatus::Cancelled {
            continue;
        }
        s.total += 1;
        if m.relapse_count > 0 {
            s.relapsed += 1;
        }
        if m.status == MeasureStatus::Closed {
            if m.closed_on.is_some_and(|c| c <= m.deadline) {
                s.closed_on_time += 1;
            } else {
                s.closed_late += 1;
            }
        }
        if crate::domain::ledger::overdue::is_overdue(m, milestones::of(steps, m.id), today) {
            s.overdue += 1;
        }
    }
    s.completion_rate_bp = rate(s.closed, s.total);
    s.on_time_rate_bp = rate(s.closed_on_time, s.closed);
    s
}

/// Keeps the measures the filter and the caller's rights cover.
async fn select(
    ledger: &Ledger,
    access: &Access,
    filter: &StatsFilter,
    facts: Vec<Facts>,
    problems_by_id: &HashMap<Uuid, problem::Model>,
) -> DomainResult<Vec<Facts>> {
    access
        .read_scope()
        .ok_or_else(|| DomainError::Unauthenticated("log in first: reports are not public".to_owned()))?;
    let unit_set: Option<HashSet<Uuid>> = match filter.unit_id {
        Some(unit) => Some(units::subtree_ids(&ledger.db, unit).await?.into_iter().collect()),
        None => None,
    };
    Ok(facts
        .into_iter()
        .filter(|f| {
            let problem = problems_by_id.get(&f.row.problem_id);
            let in_campaign = filter
                .campaign_id
                .is_none_or(|c| problem.is_some_and(|p| p.campaign_id == c));
            let live_problem = problem.is_some_and(|p| !p.archived);
            let mut units = std::iter::once(&f.row.lead_unit_id).chain(f.cooperating.iter());
            let in_units = unit_set.as_ref().is_none_or(|set| units.any(|u| set.contains(u)));
            let visible = access.scope_covers_measure(&f.row, &f.cooperating);
            in_campaign && live_problem && in_units && visible
        })
        .collect())
}

async fn current(ledger: &Ledger, access: &Access, filter: &StatsFilter) -> DomainResult<Snapshot> {
    let head = crate::audit::read_head(&ledger.db).await?;
    let now = ledger.now();
    let mut query = measure::Entity::find();
    if let Some(c) = filter.campaign_id {
        let ids: Vec<Uuid> = problem::Entity::find()
            .filter(problem::Column::CampaignId.eq(c))
            .select_only()
            .column(problem::Column::Id)
            .into_tuple()
            .all(&ledger.db)
            .await?;
        query = query.filter(measure::Column::ProblemId.is_in(ids));
    }
    let rows = query.all(&ledger.db).await?;
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let mut coop: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in ids.chunks(5_000) {
        for (m, u) in measures::cooperating_units_of(&ledger.db, chunk).await? {
            coop.entry(m).or_default().push(u);
        }
    }
    let mut steps = Vec::new();
    for chunk in ids.chunks(5_000) {
        steps.extend(milestones::of_measures(&ledger.db, chunk).await?);
    }
    let problem_ids: Vec<Uuid> = rows
        .iter()
        .map(|m| m.problem_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut problems_by_id = HashMap::new();
    for chunk in problem_ids.chunks(5_000) {
        for p in problems::by_ids(&ledger.db, chunk).await? {
            problems_by_id.insert(p.id, p);
        }
    }
    let facts = rows
        .into_iter()
        .map(|row| Facts {
            cooperating: coop.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect();
    let facts = select(ledger, access, filter, facts, &problems_by_id).await?;
    Ok(Snapshot {
        facts,
        milestones: milestones::by_measure(steps),
        problems: problems_by_id,
        as_of: now,
        audit_seq: head.seq,
    })
}

/// The ledger as it was at `as_of`, from the audit trail alone.
async fn replay(
    ledger: &Ledger,
    access: &Access,
    filter: &StatsFilter,
    as_of: DateTime<Utc>,
) -> DomainResult<Snapshot> {
    access
        .read_scope()
        .ok_or_else(|| DomainError::Unauthenticated("log in first: reports are not public".to_owned()))?;
    let (mut at, audit_seq) = replay_entities(ledger, as_of, &["Measure", "Milestone", "Problem"]).await?;
    let mut take = |kind: &str| at.remove(kind).unwrap_or_default();
    let (measures_at, steps_at, problems_at) = (take("Measure"), take("Milestone"), take("Problem"));
    let facts = measures_at
        .into_values()
        .map(parse_facts)
        .collect::<DomainResult<Vec<_>>>()?;
    let steps = milestones::by_measure(models::<milestone::Model>(steps_at, "milestone")?.into_values());
    let problems_by_id = models::<problem::Model>(problems_at, "problem")?;
    let facts = select(ledger, access, filter, facts, &problems_by_id).await?;
    Ok(Snapshot {
        facts,
        milestones: steps,
        problems: problems_by_id,
        as_of,
        audit_seq,
    })
}

/// Audit snapshots read back as rows (`what` names the kind in the error).
pub fn models<M: serde::de::DeserializeOwned>(at: HashMap<Uuid, Value>, what: &str) -> DomainResult<HashMap<Uuid, M>> {
    at.into_iter()
        .map(|(id, v)| {
            serde_json::from_value::<M>(v)
                .map(|m| (id, m))
                .map_err(|e| DomainError::Internal(format!("a {what} snapshot does not parse: {e}")))
        })
        .collect()
}

/// A measure's audit snapshot with its cooperating units.
pub fn parse_facts(v: Value) -> DomainResult<Facts> {
    let cooperating = v
        .get("cooperating_unit_ids")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(|i| i.as_str())
                .filter_map(|s| Uuid::parse_str(s).ok())
                .collect()
        })
        .unwrap_or_default();
    let row: measure::Model = serde_json::from_value(v)
        .map_err(|e| DomainError::Internal(format!("a measure snapshot does not parse: {e}")))?;
    Ok(Facts { row, cooperating })
}

/// Entities of the given types as they stood at `as_of`, by type and id, and the seq the
/// figures stand on (see [`crate::audit::replay`]). An instant in the future is refused
/// (`asOf`): the trail cannot tell it yet.
pub async fn replay_entities(
    ledger: &Ledger,
    as_of: DateTime<Utc>,
    kinds: &[&str],
) -> DomainResult<(HashMap<String, HashMap<Uuid, Value>>, i64)> {
    if as_of > ledger.now() {
        return Err(DomainError::invalid("asOf", "asOf must not be in the future"));
    }
    Ok(crate::audit::replay(&ledger.db, as_of, kinds).await?)
}

/// The length of a trend's periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Day,
    Week,
    /// Ending on the 15th and on the last day of each month (半月通报).
    HalfMonth,
    Month,
}

/// Most points one trend may have.
pub const MAX_TREND_POINTS: usize = 62;

/// The last day of each period from `from` to `to` (a week ends on Sunday); the last period
/// may end after `to`, and is then cut at `to`.
pub fn period_ends(interval: Interval, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Vec<chrono::NaiveDate> {
    use chrono::{Datelike, Duration, NaiveDate};
    let month_end = |d: NaiveDate| {
        let (y, m) = if d.month() == 12 {
            (d.year() + 1, 1)
        } else {
            (d.year(), d.month() + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1).map_or(d, |first| first - Duration::days(1))
    };
    let mut ends = Vec::new();
    let mut day = from;
    while day <= to && ends.len() <= MAX_TREND_POINTS {
        let end = match interval {
            Interval::Day => day,
            Interval::Week => day + Duration::days(i64::from(6 - day.weekday().num_days_from_monday())),
            Interval::HalfMonth if day.day() <= 15 => day.with_day(15).unwrap_or(day),
            Interval::HalfMonth | Interval::Month => month_end(day),
        };
        let end = end.min(to);
        ends.push(end);
        day = end + Duration::days(1);
    }
    ends
}

/// One point of a trend: the figures at the end of a period.
pub struct TrendPoint {
    pub period_end: chrono::NaiveDate,
    pub stats: LedgerStats,
}

/// The figures at the end of each period (the last instant of that day, China Standard Time),
/// each computed exactly as `ledgerStats(asOf:)` would; periods ending after now stop at now.
pub async fn trend(
    ledger: &Ledger,
    access: &Access,
    filter: &StatsFilter,
    interval: Interval,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> DomainResult<Vec<TrendPoint>> {
    if to < from {
        return Err(DomainError::invalid("to", "to must not be before from"));
    }
    let today = ledger.today();
    if from > today {
        return Err(DomainError::invalid("from", "from must not be after today"));
    }
    let ends = period_ends(interval, from, to.min(today));
    if ends.len() > MAX_TREND_POINTS {
        return Err(DomainError::invalid(
            "to",
            format!("a trend has at most {MAX_TREND_POINTS} points; use a longer interval or a shorter span"),
        ));
    }
    let now = ledger.now();
    let mut points = Vec::with_capacity(ends.len());
    for end in ends {
        let instant = clock::end_of_day(end).min(now);
        let snapshot = snapshot(ledger, access, filter, Some(instant)).await?;
        points.push(TrendPoint {
            period_end: end,
            stats: stats(&snapshot),
        });
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default()
    }

    #[test]
    fn periods_end_where_the_calendar_says() {
        assert_eq!(
            period_ends(Interval::Day, d(6, 29), d(7, 1)),
            vec![d(6, 29), d(6, 30), d(7, 1)]
        );
        // 2026-06-10 is a Wednesday: its week ends on Sunday the 14th.
        assert_eq!(
            period_ends(Interval::Week, d(6, 10), d(6, 25)),
            vec![d(6, 14), d(6, 21), d(6, 25)]
        );
        assert_eq!(
            period_ends(Interval::HalfMonth, d(1, 20), d(3, 15)),
            vec![d(1, 31), d(2, 15), d(2, 28), d(3, 15)]
        );
        assert_eq!(
            period_ends(Interval::Month, d(11, 5), d(12, 31)),
            vec![d(11, 30), d(12, 31)]
        );
    }
}
