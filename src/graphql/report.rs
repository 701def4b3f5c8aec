//! Reports: the state of a ledger now or as of a past instant (docs/reports.md).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};

use super::connection::{parse_id, parse_opt_id};
use super::error::{GqlResult, IntoGql};
use super::scalars::{BigInt, DateTime};
use super::{ledger, request};
use crate::domain::reporting::ranking::{self, Weights};
use crate::domain::reporting::stats;

#[derive(InputObject, Default)]
pub struct LedgerStatsFilter {
    pub campaign_id: Option<ID>,
    /// A unit and all units below it: the measures they lead or cooperate on.
    pub unit_id: Option<ID>,
}

/// Figures of a ledger at an instant; see docs/reports.md for each definition.
#[derive(SimpleObject)]
pub struct LedgerStats {
    /// Measures not cancelled.
    pub total: i64,
    pub pending: i64,
    pub in_progress: i64,
    pub submitted: i64,
    /// Closed out (销号).
    pub closed: i64,
    pub long_term: i64,
    pub cancelled: i64,
    pub closed_on_time: i64,
    pub closed_late: i64,
    pub overdue: i64,
    /// Measures that relapsed (反弹: reopened after closing) at least once.
    pub relapsed: i64,
    /// closed / total (0–1, rounded down to 0.0001); null without measures.
    pub completion_rate: Option<f64>,
    /// closed on time / closed; null before anything is closed.
    pub on_time_rate: Option<f64>,
    /// The instant the figures describe.
    pub as_of: DateTime,
    /// The last audit event at or before that instant: the checkpoint they stand on.
    pub audit_seq: BigInt,
}

/// What the reports cost in the complexity limit (20 000 by default): they grow with the whole
/// ledger in scope, or with the whole trail when replayed, not with a page.
pub mod cost {
    use crate::domain::reporting::stats;

    /// One pass over every measure in scope (live figures).
    pub const AGGREGATE: usize = 50;
    /// One replay of the audit trail up to an instant (`asOf`, each point of a trend).
    pub const REPLAY: usize = 300;

    pub fn stats(as_of: bool, child_complexity: usize) -> usize {
        child_complexity.saturating_add(if as_of { REPLAY } else { AGGREGATE })
    }

    /// A replay per point: a 62-point trend is as dear as 62 `ledgerStats(asOf:)`.
    pub fn trend(interval: super::TrendInterval, from: chrono::NaiveDate, to: chrono::NaiveDate) -> usize {
        let points = stats::period_ends(interval.into(), from, to).len().max(1);
        points.saturating_mul(REPLAY)
    }
}

fn share(bp: Option<i64>) -> Option<f64> {
    bp.map(|b| b as f64 / 10_000.0)
}

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// Totals by status, completion and on-time rates, overdue and long-term counts of the
    /// measures in the caller's scope; with `asOf`, as they were then, from the audit trail.
    #[graphql(complexity = "cost::stats(as_of.is_some(), child_complexity)")]
    async fn ledger_stats(
        &self,
        ctx: &Context<'_>,
        filter: Option<LedgerStatsFilter>,
        as_of: Option<DateTime>,
    ) -> GqlResult<LedgerStats> {
        let f = filter.unwrap_or_default();
        let filter = stats::StatsFilter {
            campaign_id: parse_opt_id("filter.campaignId", f.campaign_id.as_ref())?,
            unit_id: parse_opt_id("filter.unitId", f.unit_id.as_ref())?,
        };
        let access = &request(ctx).access;
        let snapshot = stats::snapshot(ledger(ctx), access, &filter, as_of.map(|t| t.0))
            .await
            .gql(ctx)?;
        Ok(to_graphql(stats::stats(&snapshot)))
    }
}

/// What `ledgerStatsBy` groups by (统计维度).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "stats::Dimension")]
pub enum StatsDimension {
    /// The problem's category (问题类别).
    Category,
    /// The problem's source.
    Source,
    /// The problem's severity.
    Severity,
    /// 立即整改 / 限期整改 / 逐步解决.
    RectificationKind,
    /// The measure's responsible leader (分管领导).
    ResponsibleLeader,
    /// The measure's lead unit (牵头单位).
    LeadUnit,
}

/// The figures of the measures of one group.
pub struct LedgerStatsGroup {
    dimension: StatsDimension,
    group: stats::Group,
}

#[Object]
impl LedgerStatsGroup {
    /// The group's value: the enum value (`HIGH`, `FORUM`), the category, or the id of the
    /// leader or unit; empty for measures without one (a measure with no leader named).
    async fn key(&self) -> &str {
        &self.group.key
    }
    /// The group's name in Chinese: the enum's label, the category, the person's or the unit's
    /// name; 未指定 for the empty key.
    async fn label(&self, ctx: &Context<'_>) -> GqlResult<String> {
        let key = self.group.key.as_str();
        if key.is_empty() {
            return Ok("未指定".to_owned());
        }
        let id = uuid::Uuid::parse_str(key).ok();
        let label = match (self.dimension, id) {
            (StatsDimension::ResponsibleLeader, Some(id)) => super::loader(ctx)
                .load_one(super::loaders::PersonKey(id))
                .await?
                .map(|p| p.name),
            (StatsDimension::LeadUnit, Some(id)) => super::loader(ctx)
                .load_one(super::loaders::UnitKey(id))
                .await?
                .map(|u| u.name),
            (StatsDimension::Category, _) => None,
            (dimension, _) => value_label(dimension, serde_json::json!(key)).map(str::to_owned),
        };
        Ok(label.unwrap_or_else(|| key.to_owned()))
    }
    async fn stats(&self) -> LedgerStats {
        to_graphql(self.group.stats.clone())
    }
}

/// The Chinese label of an enum value of the problem's `dimension`.
fn value_label(dimension: StatsDimension, value: serde_json::Value) -> Option<&'static str> {
    use crate::domain::labels::Labelled;
    use entity::enums as e;
    Some(match dimension {
        StatsDimension::Source => serde_json::from_value::<e::ProblemSource>(value).ok()?.label(),
        StatsDimension::Severity => serde_json::from_value::<e::Severity>(value).ok()?.label(),
        StatsDimension::RectificationKind => serde_json::from_value::<e::RectificationKind>(value).ok()?.label(),
        _ => return None,
    })
}

#[derive(Default)]
pub struct StatsByQuery;

#[Object]
impl StatsByQuery {
    /// `ledgerStats` grouped by a dimension (category, source, severity, rectification kind,
    /// responsible leader or lead unit), live or as of an instant, over the measures in the
    /// caller's scope: the largest group first; the groups add up to `ledgerStats`.
    #[graphql(complexity = "cost::stats(as_of.is_some(), child_complexity)")]
    async fn ledger_stats_by(
        &self,
        ctx: &Context<'_>,
        dimension: StatsDimension,
        filter: Option<LedgerStatsFilter>,
        as_of: Option<DateTime>,
    ) -> GqlResult<Vec<LedgerStatsGroup>> {
        let f = filter.unwrap_or_default();
        let filter = stats::StatsFilter {
            campaign_id: parse_opt_id("filter.campaignId", f.campaign_id.as_ref())?,
            unit_id: parse_opt_id("filter.unitId", f.unit_id.as_ref())?,
        };
        let snapshot = stats::snapshot(ledger(ctx), &request(ctx).access, &filter, as_of.map(|t| t.0))
            .await
            .gql(ctx)?;
        Ok(stats::stats_by(&snapshot, dimension.into())
            .into_iter()
            .map(|group| LedgerStatsGroup { dimension, group })
            .collect())
    }
}

/// How a ranking weighs its parts (defaults in docs/reports.md).
#[derive(InputObject)]
pub struct RankingWeightsInput {
    #[graphql(default = 0.4)]
    pub completion: f64,
    #[graphql(default = 0.4)]
    pub timeliness: f64,
    #[graphql(default = 0.2)]
    pub satisfaction: f64,
    #[graphql(default = 2.0)]
    pub overdue_penalty: f64,
    #[graphql(default = 1.0)]
    pub supervision_penalty: f64,
    /// Points off per measure that relapsed (反弹).
    #[graphql(default = 3.0)]
    pub relapse_penalty: f64,
    /// Points off per progress report not filed by its due day (`setReportRhythm`).
    #[graphql(default = 0.5)]
    pub missed_report_penalty: f64,
    /// Points off per assignment not acknowledged (签收) in time (`acknowledgeWithinDays`).
    #[graphql(default = 1.0)]
    pub late_acknowledgement_penalty: f64,
}

impl RankingWeightsInput {
    pub fn into_domain(self) -> Weights {
        Weights {
            completion: self.completion,
            timeliness: self.timeliness,
            satisfaction: self.satisfaction,
            overdue_penalty: self.overdue_penalty,
            supervision_penalty: self.supervision_penalty,
            relapse_penalty: self.relapse_penalty,
            missed_report_penalty: self.missed_report_penalty,
            late_acknowledgement_penalty: self.late_acknowledgement_penalty,
        }
    }
}

/// The weights a campaign's rankings and bulletins use.
#[derive(SimpleObject)]
pub struct RankingWeights {
    pub completion: f64,
    pub timeliness: f64,
    pub satisfaction: f64,
    pub overdue_penalty: f64,
    pub supervision_penalty: f64,
    pub relapse_penalty: f64,
    pub missed_report_penalty: f64,
    pub late_acknowledgement_penalty: f64,
}

impl From<Weights> for RankingWeights {
    fn from(w: Weights) -> Self {
        Self {
            completion: w.completion,
            timeliness: w.timeliness,
            satisfaction: w.satisfaction,
            overdue_penalty: w.overdue_penalty,
            supervision_penalty: w.supervision_penalty,
            relapse_penalty: w.relapse_penalty,
            missed_report_penalty: w.missed_report_penalty,
            late_acknowledgement_penalty: w.late_acknowledgement_penalty,
        }
    }
}

/// One unit's line of the ranking.
#[derive(SimpleObject)]
pub struct UnitRankRow {
    /// The unit's ranking category (县直部门, 乡镇, …); null for units ranked without one.
    pub category: Option<String>,
    /// 1 is best within the category; equal scores share a rank.
    pub rank: i64,
    /// How many units the category ranks.
    pub ranked_in_category: i64,
    /// The ranked unit: it leads the measures, or they are led by units below it that have no
    /// ranking category of their own (a department's 股室).
    pub unit: Option<super::unit::Unit>,
    /// What the unit is ranked by: `computedScore + adjustment`, rounded to 0.01.
    pub score: f64,
    /// The score from the figures (docs/reports.md), rounded to 0.01.
    pub computed_score: f64,
    /// The approved 加分 (positive) and 减分 (negative) items of the campaign (考核) by the
    /// instant, summed.
    pub adjustment: f64,
    /// Measures it leads, not cancelled.
    pub total: i64,
    pub closed: i64,
    pub closed_on_time: i64,
    pub closed_late: i64,
    pub overdue: i64,
    pub long_term: i64,
    /// Supervision actions (督办) received about this campaign.
    pub supervision_received: i64,
    /// Measures that relapsed (反弹) at least once.
    pub relapsed: i64,
    /// Progress reports of its measures not filed by their due day (the campaign's reporting
    /// rhythm, `setReportRhythm`), due before the instant's day.
    pub missed_reports: i64,
    /// Its assignments (签收) not acknowledged within the campaign's `acknowledgeWithinDays`,
    /// due before the instant's day (`lateAcknowledgements` lists them).
    pub late_acknowledgements: i64,
    /// Its latest survey's rate; null without one.
    pub satisfaction_rate: Option<f64>,
    /// Among the lowest `bottom` of its category (ties included): to be talked to (排后约谈;
    /// `issueRankingTalks` issues the talks).
    pub flagged_for_talk: bool,
    /// Under a 一票否决 (ONE_VOTE_VETO accountability) in force: ranked after every unit of its
    /// category without one, whatever its score, and flagged.
    pub vetoed: bool,
}

#[derive(SimpleObject)]
pub struct UnitRanking {
    pub rows: Vec<UnitRankRow>,
    pub as_of: DateTime,
    pub audit_seq: BigInt,
}

#[derive(Default)]
pub struct RankingQuery;

#[Object]
impl RankingQuery {
    /// The units of a campaign's measures (in the caller's scope), scored and ranked within
    /// their ranking category, now or as of an instant; the lowest `bottom` (default 3) of each
    /// category are flagged for a talk. Without `weights`, the campaign's (`setRankingWeights`;
    /// as they stood at `asOf`).
    #[graphql(complexity = "cost::stats(as_of.is_some(), child_complexity)")]
    async fn unit_ranking(
        &self,
        ctx: &Context<'_>,
        campaign_id: ID,
        as_of: Option<DateTime>,
        #[graphql(default = 3)] bottom: i32,
        weights: Option<RankingWeightsInput>,
    ) -> GqlResult<UnitRanking> {
        let campaign = parse_id("campaignId", &campaign_id)?;
        let bottom =
            usize::try_from(bottom).map_err(|_| super::error::bad_input("bottom", "bottom must not be negative"))?;
        let weights = weights.map(RankingWeightsInput::into_domain);
        let ranking = crate::domain::reporting::ranking::unit_ranking(
            ledger(ctx),
            &request(ctx).access,
            campaign,
            as_of.map(|t| t.0),
            weights,
            bottom,
        )
        .await
        .gql(ctx)?;
        let units = super::loader(ctx)
            .load_many(ranking.rows.iter().map(|r| super::loaders::UnitKey(r.unit_id)))
            .await?;
        Ok(UnitRanking {
            rows: ranking
                .rows
                .into_iter()
                .map(|r| UnitRankRow {
                    category: r.category,
                    rank: r.rank,
                    ranked_in_category: r.ranked_in_category,
                    unit: units
                        .get(&super::loaders::UnitKey(r.unit_id))
                        .cloned()
                        .map(super::unit::Unit),
                    score: r.score,
                    computed_score: r.computed_score,
                    adjustment: r.adjustment,
                    total: r.total,
                    closed: r.closed,
                    closed_on_time: r.closed_on_time,
                    closed_late: r.closed_late,
                    overdue: r.overdue,
                    long_term: r.long_term,
                    supervision_received: r.supervision_received,
                    relapsed: r.relapsed,
                    missed_reports: r.missed_reports,
                    late_acknowledgements: r.late_acknowledgements,
                    satisfaction_rate: share(r.satisfaction_rate_bp),
                    flagged_for_talk: r.flagged,
                    vetoed: r.vetoed,
                })
                .collect(),
            as_of: DateTime(ranking.as_of),
            audit_seq: BigInt(ranking.audit_seq),
        })
    }
}

#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum TrendInterval {
    Day,
    /// Ending on Sundays.
    Week,
    /// Ending on the 15th and the last day of each month (半月通报).
    HalfMonth,
    Month,
}

impl From<TrendInterval> for stats::Interval {
    fn from(interval: TrendInterval) -> Self {
        match interval {
            TrendInterval::Day => Self::Day,
            TrendInterval::Week => Self::Week,
            TrendInterval::HalfMonth => Self::HalfMonth,
            TrendInterval::Month => Self::Month,
        }
    }
}

/// The figures at the end of one period.
#[derive(SimpleObject)]
pub struct TrendPoint {
    /// The last day of the period (China Standard Time).
    pub period_end: super::scalars::Date,
    pub stats: LedgerStats,
}

fn to_graphql(s: crate::domain::reporting::stats::LedgerStats) -> LedgerStats {
    LedgerStats {
        total: s.total,
        pending: s.pending,
        in_progress: s.in_progress,
        submitted: s.submitted,
        closed: s.closed,
        long_term: s.long_term,
        cancelled: s.cancelled,
        closed_on_time: s.closed_on_time,
        closed_late: s.closed_late,
        overdue: s.overdue,
        relapsed: s.relapsed,
        completion_rate: share(s.completion_rate_bp),
        on_time_rate: share(s.on_time_rate_bp),
        as_of: DateTime(s.as_of),
        audit_seq: BigInt(s.audit_seq),
    }
}

#[derive(Default)]
pub struct TrendQuery;

#[Object]
impl TrendQuery {
    /// The campaign's figures at the end of each period from `from` to `to` (at most 62 points;
    /// a period still running ends now), each as `ledgerStats(asOf:)` gives them.
    #[graphql(complexity = "cost::trend(interval, from.0, to.0)")]
    async fn trend(
        &self,
        ctx: &Context<'_>,
        campaign_id: ID,
        interval: TrendInterval,
        from: super::scalars::Date,
        to: super::scalars::Date,
        unit_id: Option<ID>,
    ) -> GqlResult<Vec<TrendPoint>> {
        let filter = stats::StatsFilter {
            campaign_id: Some(parse_id("campaignId", &campaign_id)?),
            unit_id: parse_opt_id("unitId", unit_id.as_ref())?,
        };
        let points = stats::trend(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            interval.into(),
            from.0,
            to.0,
        )
        .await
        .gql(ctx)?;
        Ok(points
            .into_iter()
            .map(|p| TrendPoint {
                period_end: super::scalars::Date(p.period_end),
                stats: to_graphql(p.stats),
            })
            .collect())
    }

    /// Open and long-term measures in the caller's scope due from today to `days` days ahead
    /// (倒计时), soonest first; at most 100.
    #[graphql(complexity = "super::connection::page_cost(Some(100), child_complexity)")]
    async fn due_soon(
        &self,
        ctx: &Context<'_>,
        days: i32,
        campaign_id: Option<ID>,
    ) -> GqlResult<Vec<super::measure::Measure>> {
        use crate::domain::ledger::measures::MAX_DUE_WITHIN_DAYS;
        if !(0..=MAX_DUE_WITHIN_DAYS).contains(&days) {
            return Err(super::error::bad_input(
                "days",
                format!("days must be between 0 and {MAX_DUE_WITHIN_DAYS}"),
            ));
        }
        let filter = crate::domain::ledger::measures::MeasureFilter {
            campaign_id: parse_opt_id("campaignId", campaign_id.as_ref())?,
            due_within_days: Some(days),
            ..Default::default()
        };
        let page = crate::domain::ledger::measures::list(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            crate::domain::ledger::measures::MeasureOrder::DeadlineAsc,
            crate::domain::page::PageRequest {
                first: Some(100),
                after: None,
                offset: None,
            },
        )
        .await
        .gql(ctx)?;
        Ok(page.items.into_iter().map(super::measure::Measure).collect())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    /// Whether the served schema, with its complexity limit at `limit`, refuses `query` as too
    /// complex (over an empty in-memory ledger, where a query let through finds nothing).
    fn too_complex(query: &str, limit: usize) -> bool {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let db = crate::db::connect("sqlite::memory:", 1).await.unwrap();
            crate::db::migrate(&db).await.unwrap();
            let ledger = crate::domain::Ledger::new(db, std::sync::Arc::new(crate::domain::clock::SystemClock));
            let limits = crate::graphql::Limits {
                complexity: limit,
                ..Default::default()
            };
            let response = crate::graphql::build_schema(ledger, limits).execute(query).await;
            response.errors.iter().any(|e| e.message.contains("too complex"))
        })
    }

    #[test]
    fn reports_are_priced_by_their_work() {
        let live = "{ ledgerStats { total } }";
        let as_of = "{ ledgerStats(asOf: \"2026-06-01T00:00:00Z\") { total } }";
        let ranking = "{ unitRanking(campaignId: \"x\", asOf: \"2026-06-01T00:00:00Z\") { asOf } }";
        assert!(too_complex(live, 50) && !too_complex(live, 51));
        assert!(too_complex(as_of, 300) && !too_complex(as_of, 301));
        assert!(too_complex(ranking, 300) && !too_complex(ranking, 301));
        // 62 daily points (Jan 1 to Mar 3): 62 replays.
        let trend =
            "{ trend(campaignId: \"x\", interval: DAY, from: \"2026-01-01\", to: \"2026-03-03\") { stats { total } } }";
        assert!(too_complex(trend, 62 * 300 - 1) && !too_complex(trend, 62 * 300));
        let half = "{ trend(campaignId: \"x\", interval: HALF_MONTH, from: \"2026-01-01\", to: \"2026-03-03\") { stats { total } } }";
        assert!(too_complex(half, 5 * 300 - 1) && !too_complex(half, 5 * 300));
        // Aggregates over the whole table: 50 and what one row costs.
        let counts = "{ supervisionCounts { total } }";
        assert!(too_complex(counts, 50) && !too_complex(counts, 51));
        let feedback = "{ feedbackCounts { count } }";
        assert!(too_complex(feedback, 50) && !too_complex(feedback, 51));
        // A list of at most 100 measures: 100 times one measure (here one field).
        let due = "{ dueSoon(days: 7) { id } }";
        assert!(too_complex(due, 99) && !too_complex(due, 100));
        // A bulletin: two replays, plus its payload (two fields).
        let bulletin = "mutation { generateBulletin(input: {campaignId: \"x\", period: {from: \"2026-06-01\", to: \"2026-06-15\"}}) { bulletin { id } } }";
        assert!(too_complex(bulletin, 601) && !too_complex(bulletin, 602));
    }
}

#[derive(InputObject)]
pub struct SetRankingWeightsInput {
    pub campaign_id: ID,
    pub expected_version: i32,
    /// Null: back to the documented defaults.
    pub weights: Option<RankingWeightsInput>,
}

#[derive(InputObject)]
pub struct IssueRankingTalksInput {
    pub campaign_id: ID,
    /// How many of the lowest units of each category are talked to (ties included).
    #[graphql(default = 3)]
    pub bottom: i32,
    /// By when each unit's principal answers; not before today.
    pub response_due: Option<super::scalars::Date>,
    /// The talk's text; a standard text naming the campaign, the category, the rank and the
    /// score when null.
    pub content: Option<String>,
}

#[derive(SimpleObject)]
pub struct IssueRankingTalksPayload {
    /// The talks issued, in ranking order; units that still have an unanswered talk are
    /// passed over.
    pub supervision_actions: Vec<super::supervision::SupervisionAction>,
}

#[derive(Default)]
pub struct RankingMutation;

#[Object]
impl RankingMutation {
    /// Sets the weights a campaign's rankings and bulletins use (SUPERVISOR on the whole tree).
    async fn set_ranking_weights(
        &self,
        ctx: &Context<'_>,
        input: SetRankingWeightsInput,
    ) -> GqlResult<super::campaign::CampaignPayload> {
        let id = parse_id("campaignId", &input.campaign_id)?;
        let weights = input.weights.map(RankingWeightsInput::into_domain);
        let row = ranking::set_weights(ledger(ctx), request(ctx), id, input.expected_version, weights)
            .await
            .gql(ctx)?;
        Ok(super::campaign::CampaignPayload {
            campaign: super::campaign::Campaign(row),
        })
    }

    /// 排后约谈: issues a TALK supervision action to each unit the campaign's ranking flags
    /// now (the lowest `bottom` of each category, in the caller's scope), in one change.
    async fn issue_ranking_talks(
        &self,
        ctx: &Context<'_>,
        input: IssueRankingTalksInput,
    ) -> GqlResult<IssueRankingTalksPayload> {
        let talk = ranking::TalkRequest {
            campaign_id: parse_id("campaignId", &input.campaign_id)?,
            bottom: usize::try_from(input.bottom)
                .map_err(|_| super::error::bad_input("bottom", "bottom must not be negative"))?,
            response_due: input.response_due.map(|d| d.0),
            content: input.content,
        };
        let rows = ranking::issue_talks(ledger(ctx), request(ctx), talk).await.gql(ctx)?;
        Ok(IssueRankingTalksPayload {
            supervision_actions: rows.into_iter().map(super::supervision::SupervisionAction).collect(),
        })
    }
}
