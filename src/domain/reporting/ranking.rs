//! Unit ranking (排名): units scored by how their measures stand, ranked, the lowest flagged for
//! a talk (排后约谈). Now or as of an instant, like the other reports; docs/reports.md has the
//! formula and its default weights.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::enums::MeasureStatus;
use uuid::Uuid;

use crate::domain::access::Access;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::reporting::stats::{self, StatsFilter};
use crate::domain::{clock, intake, ledger::milestones, ledger::overdue, org::units, supervision, Ledger};

/// How the score weighs each part; every part is a share between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// closed / measures.
    pub completion: f64,
    /// closed on time / (closed + overdue).
    pub timeliness: f64,
    /// The unit's latest satisfaction rate; left out (and the others reweighed) without a survey.
    pub satisfaction: f64,
    /// Points off per overdue measure.
    pub overdue_penalty: f64,
    /// Points off per supervision action received (督办).
    pub supervision_penalty: f64,
    /// Points off per measure that relapsed (反弹: reopened after it was closed).
    pub relapse_penalty: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            completion: 0.4,
            timeliness: 0.4,
            satisfaction: 0.2,
            overdue_penalty: 2.0,
            supervision_penalty: 1.0,
            relapse_penalty: 3.0,
        }
    }
}

impl Weights {
    fn check(&self) -> DomainResult<()> {
        let parts = [self.completion, self.timeliness, self.satisfaction];
        let penalties = [self.overdue_penalty, self.supervision_penalty, self.relapse_penalty];
        if parts
            .iter()
            .chain(penalties.iter())
            .any(|w| !w.is_finite() || *w < 0.0 || *w > 100.0)
        {
            return Err(DomainError::invalid("weights", "weights must be between 0 and 100"));
        }
        if parts.iter().sum::<f64>() <= 0.0 {
            return Err(DomainError::invalid(
                "weights",
                "at least one of completion, timeliness and satisfaction must weigh more than 0",
            ));
        }
        Ok(())
    }
}

/// One unit's line of the ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRank {
    pub unit_id: Uuid,
    pub total: i64,
    pub closed: i64,
    pub closed_on_time: i64,
    pub closed_late: i64,
    pub overdue: i64,
    pub long_term: i64,
    pub supervision_received: i64,
    /// Measures that relapsed (反弹) at least once.
    pub relapsed: i64,
    pub satisfaction_rate_bp: Option<i64>,
    /// Rounded to 0.01.
    pub score: f64,
    /// 1 is best; equal scores share a rank (1, 2, 2, 4).
    pub rank: i64,
    /// Among the lowest `bottom` (ties included): to be talked to (排后约谈).
    pub flagged: bool,
}

pub struct Ranking {
    pub rows: Vec<UnitRank>,
    pub as_of: DateTime<Utc>,
    pub audit_seq: i64,
}

/// The score of a unit, from its counts (see docs/reports.md).
pub fn score(r: &UnitRank, w: &Weights) -> f64 {
    let completion = if r.total > 0 {
        r.closed as f64 / r.total as f64
    } else {
        0.0
    };
    let judged = r.closed + r.overdue;
    let timeliness = if judged > 0 {
        r.closed_on_time as f64 / judged as f64
    } else {
        1.0
    };
    let mut parts = vec![(w.completion, completion), (w.timeliness, timeliness)];
    if let Some(bp) = r.satisfaction_rate_bp {
        parts.push((w.satisfaction, bp as f64 / 10_000.0));
    }
    let weight: f64 = parts.iter().map(|(w, _)| w).sum();
    let base = if weight > 0.0 {
        100.0 * parts.iter().map(|(w, x)| w * x).sum::<f64>() / weight
    } else {
        0.0
    };
    let raw = base
        - w.overdue_penalty * r.overdue as f64
        - w.supervision_penalty * r.supervision_received as f64
        - w.relapse_penalty * r.relapsed as f64;
    (raw * 100.0).round() / 100.0
}

/// Ranks the lead units of a campaign's measures in the caller's scope.
pub async fn unit_ranking(
    ledger: &Ledger,
    access: &Access,
    campaign_id: Uuid,
    as_of: Option<DateTime<Utc>>,
    weights: Weights,
    bottom: usize,
) -> DomainResult<Ranking> {
    check_arguments(&weights, bottom)?;
    let filter = StatsFilter {
        campaign_id: Some(campaign_id),
        unit_id: None,
    };
    let snapshot = stats::snapshot(ledger, access, &filter, as_of).await?;
    rank_snapshot(ledger, &snapshot, campaign_id, weights, bottom, None).await
}

/// The weights and the number of units flagged, checked before any work.
pub fn check_arguments(weights: &Weights, bottom: usize) -> DomainResult<()> {
    weights.check()?;
    if bottom > 1000 {
        return Err(DomainError::invalid("bottom", "bottom must be between 0 and 1000"));
    }
    Ok(())
}

/// Where units with equal scores are listed: by (sort order, short code), from the unit table
/// unless given (a bulletin gives them as they stood at its instant).
pub type UnitOrder = HashMap<Uuid, (i32, String)>;

/// Ranks the lead units of a snapshot of one campaign's measures (see [`unit_ranking`]), with
/// arguments that passed [`check_arguments`].
pub async fn rank_snapshot(
    ledger: &Ledger,
    snapshot: &stats::Snapshot,
    campaign_id: Uuid,
    weights: Weights,
    bottom: usize,
    order: Option<&UnitOrder>,
) -> DomainResult<Ranking> {
    let instant = snapshot.as_of;
    let mut by_unit = count_measures_by_unit(snapshot);
    let unit_ids: Vec<Uuid> = by_unit.keys().copied().collect();
    count_supervision_received(ledger, campaign_id, &unit_ids, instant, &mut by_unit).await?;
    add_latest_satisfaction(ledger, campaign_id, &unit_ids, instant, &mut by_unit).await?;
    let today_order;
    let names: &UnitOrder = match order {
        Some(given) => given,
        None => {
            today_order = unit_order_today(ledger, &unit_ids).await?;
            &today_order
        }
    };
    let mut rows = scored_best_first(by_unit, &weights, names);
    assign_ranks(&mut rows);
    flag_the_lowest(&mut rows, bottom);
    Ok(Ranking {
        rows,
        as_of: instant,
        audit_seq: snapshot.audit_seq,
    })
}

impl UnitRank {
    /// A unit's line before any of its measures is counted.
    fn empty(unit_id: Uuid) -> Self {
        Self {
            unit_id,
            total: 0,
            closed: 0,
            closed_on_time: 0,
            closed_late: 0,
            overdue: 0,
            long_term: 0,
            supervision_received: 0,
            relapsed: 0,
            satisfaction_rate_bp: None,
            score: 0.0,
            rank: 0,
            flagged: false,
        }
    }
}

/// Each lead unit's counts of its measures in the snapshot, cancelled ones left out.
fn count_measures_by_unit(snapshot: &stats::Snapshot) -> HashMap<Uuid, UnitRank> {
    let today = clock::date_of(snapshot.as_of);
    let mut by_unit: HashMap<Uuid, UnitRank> = HashMap::new();
    for f in &snapshot.facts {
        let m = &f.row;
        if m.status == MeasureStatus::Cancelled {
            continue;
        }
        let r = by_unit
            .entry(m.lead_unit_id)
            .or_insert_with(|| UnitRank::empty(m.lead_unit_id));
        r.total += 1;
        if m.relapse_count > 0 {
            r.relapsed += 1;
        }
        match m.status {
            MeasureStatus::Closed if m.closed_on.is_some_and(|c| c <= m.deadline) => {
                r.closed += 1;
                r.closed_on_time += 1;
            }
            MeasureStatus::Closed => {
                r.closed += 1;
                r.closed_late += 1;
            }
            MeasureStatus::LongTerm => r.long_term += 1,
            _ => {}
        }
        if overdue::is_overdue(m, milestones::of(&snapshot.milestones, m.id), today) {
            r.overdue += 1;
        }
    }
    by_unit
}

/// Counts the supervision each unit received about the campaign (or about nothing in
/// particular) by the instant; actions are never changed after they are issued, so the table
/// is as good as the trail.
async fn count_supervision_received(
    ledger: &Ledger,
    campaign_id: Uuid,
    unit_ids: &[Uuid],
    instant: DateTime<Utc>,
    by_unit: &mut HashMap<Uuid, UnitRank>,
) -> DomainResult<()> {
    for a in supervision::about_campaign(&ledger.db, campaign_id, Some(unit_ids), None, instant).await? {
        if let Some(r) = by_unit.get_mut(&a.target_unit_id) {
            r.supervision_received += 1;
        }
    }
    Ok(())
}

/// Gives each unit the rate of its latest survey in the campaign recorded by the instant.
async fn add_latest_satisfaction(
    ledger: &Ledger,
    campaign_id: Uuid,
    unit_ids: &[Uuid],
    instant: DateTime<Utc>,
    by_unit: &mut HashMap<Uuid, UnitRank>,
) -> DomainResult<()> {
    let latest = intake::latest_surveys(&ledger.db, campaign_id, Some(unit_ids), instant).await?;
    for (unit, s) in &latest {
        if let Some(r) = by_unit.get_mut(unit) {
            r.satisfaction_rate_bp = Some(i64::from(intake::rate_bp(s)));
        }
    }
    Ok(())
}

/// The units' order for ties as the unit table holds it now.
async fn unit_order_today(ledger: &Ledger, unit_ids: &[Uuid]) -> DomainResult<UnitOrder> {
    Ok(units::by_ids(&ledger.db, unit_ids)
        .await?
        .into_iter()
        .map(|u| (u.id, (u.sort_order, u.short_code)))
        .collect())
}

/// The lines scored, highest score first, equal scores in the units' order.
fn scored_best_first(by_unit: HashMap<Uuid, UnitRank>, weights: &Weights, names: &UnitOrder) -> Vec<UnitRank> {
    let mut rows: Vec<UnitRank> = by_unit
        .into_values()
        .map(|mut r| {
            r.score = score(&r, weights);
            r
        })
        .collect();
    rows.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| names.get(&a.unit_id).cmp(&names.get(&b.unit_id)))
    });
    rows
}

/// Numbers lines sorted best first; equal scores share a rank (1, 2, 2, 4).
fn assign_ranks(rows: &mut [UnitRank]) {
    let mut rank = 0;
    for i in 0..rows.len() {
        if i == 0 || rows[i].score != rows[i - 1].score {
            rank = i as i64 + 1;
        }
        rows[i].rank = rank;
    }
}

/// Flags the lowest `bottom` lines for a talk, with every line tied with the last of them.
fn flag_the_lowest(rows: &mut [UnitRank], bottom: usize) {
    if bottom > 0 && !rows.is_empty() {
        let cut = rows[rows.len().saturating_sub(bottom)].rank;
        for r in rows {
            r.flagged = r.rank >= cut;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(total: i64, closed: i64, on_time: i64, overdue: i64, supervision: i64, sat: Option<i64>) -> UnitRank {
        UnitRank {
            unit_id: Uuid::nil(),
            total,
            closed,
            closed_on_time: on_time,
            closed_late: closed - on_time,
            overdue,
            long_term: 0,
            supervision_received: supervision,
            relapsed: 0,
            satisfaction_rate_bp: sat,
            score: 0.0,
            rank: 0,
            flagged: false,
        }
    }

    #[test]
    fn the_score_follows_the_documented_formula() {
        let w = Weights::default();
        // 4 measures, 2 closed on time, 1 overdue, 1 supervision, satisfaction 96 %:
        // 100 × (0.4 × 0.5 + 0.4 × 2/3 + 0.2 × 0.96) / 1.0 − 2 − 1 = 65.867 − 3 = 62.87.
        assert_eq!(score(&row(4, 2, 2, 1, 1, Some(9600)), &w), 62.87);
        // Without a survey the other two parts share the weight: 100 × (0.4 × 1 + 0.4 × 1) / 0.8.
        assert_eq!(score(&row(2, 2, 2, 0, 0, None), &w), 100.0);
        // A relapsed measure costs 3 points by default: 反弹 counts against the unit.
        let relapsed = UnitRank {
            relapsed: 1,
            ..row(2, 2, 2, 0, 0, None)
        };
        assert_eq!(score(&relapsed, &w), 97.0);
        assert!(Weights { completion: -1.0, ..w }.check().is_err());
        assert!(Weights {
            completion: 0.0,
            timeliness: 0.0,
            satisfaction: 0.0,
            ..w
        }
        .check()
        .is_err());
    }
}
