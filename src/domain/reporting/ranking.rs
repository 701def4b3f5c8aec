//! Unit ranking (排名): units scored by how their measures stand, ranked within their ranking
//! category (县直部门, 乡镇, …), the lowest of each flagged for a talk (排后约谈) that
//! [`issue_talks`] turns into supervision actions. A unit without a category counts for the
//! nearest unit above it that has one (a 股室 for its department). Now or as of an instant, like
//! the other reports; docs/reports.md has the formula and its default weights, which a campaign
//! may replace ([`set_weights`]).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::enums::{MeasureStatus, SupervisionKind};
use entity::{campaign, supervision_action as sa, unit};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::access::{Access, Operation, Target};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ledger::receipts;
use crate::domain::ledger::rhythms::{self, Rhythms};
use crate::domain::reporting::stats::{self, StatsFilter};
use crate::domain::{
    accountability, clock, intake, ledger::campaigns, ledger::milestones, ledger::overdue, scoring, store, supervision,
    Ledger,
};

/// How the score weighs each part; every part is a share between 0 and 1. Stored with a
/// campaign as JSON (camelCase; a missing part takes its default).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
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
    /// Points off per progress report not filed by its due day (the campaign's reporting
    /// rhythm; see `ledger::rhythms`).
    pub missed_report_penalty: f64,
    /// Points off per assignment not acknowledged (签收) within the campaign's time limit.
    pub late_acknowledgement_penalty: f64,
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
            missed_report_penalty: 0.5,
            late_acknowledgement_penalty: 1.0,
        }
    }
}

impl Weights {
    /// The weights a campaign's rankings use: its own, or the defaults.
    pub fn of(c: &campaign::Model) -> Self {
        c.ranking_weights
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default()
    }

    fn check(&self) -> DomainResult<()> {
        let parts = [self.completion, self.timeliness, self.satisfaction];
        let penalties = [
            self.overdue_penalty,
            self.supervision_penalty,
            self.relapse_penalty,
            self.missed_report_penalty,
            self.late_acknowledgement_penalty,
        ];
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
    /// The ranked unit: the lead unit of the measures, or the nearest unit above it with a
    /// ranking category.
    pub unit_id: Uuid,
    /// Its ranking category; none: ranked with the other units without one.
    pub category: Option<String>,
    pub total: i64,
    pub closed: i64,
    pub closed_on_time: i64,
    pub closed_late: i64,
    pub overdue: i64,
    pub long_term: i64,
    pub supervision_received: i64,
    /// Measures that relapsed (反弹) at least once.
    pub relapsed: i64,
    /// Progress reports of its measures not filed by their due day (reporting rhythm).
    pub missed_reports: i64,
    /// Its assignments (签收) not acknowledged within the campaign's time limit by the instant.
    pub late_acknowledgements: i64,
    pub satisfaction_rate_bp: Option<i64>,
    /// From the figures (see [`score`]), rounded to 0.01.
    pub computed_score: f64,
    /// The approved 加分 and 减分 items (考核) by the instant, summed: points.
    pub adjustment: f64,
    /// `computed_score + adjustment`, rounded to 0.01: what the unit is ranked by.
    pub score: f64,
    /// 1 is best within the category; equal scores share a rank (1, 2, 2, 4).
    pub rank: i64,
    /// How many units the category ranks.
    pub ranked_in_category: i64,
    /// Among the lowest `bottom` of its category (ties included), or vetoed: to be talked to
    /// (排后约谈).
    pub flagged: bool,
    /// Under a 一票否决 in force at the instant: ranked after every unit of its category
    /// without one.
    pub vetoed: bool,
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
        - w.relapse_penalty * r.relapsed as f64
        - w.missed_report_penalty * r.missed_reports as f64
        - w.late_acknowledgement_penalty * r.late_acknowledgements as f64;
    (raw * 100.0).round() / 100.0
}

/// Ranks the units of a campaign's measures in the caller's scope, with the given weights or
/// the campaign's (as they stood at `as_of`).
pub async fn unit_ranking(
    ledger: &Ledger,
    access: &Access,
    campaign_id: Uuid,
    as_of: Option<DateTime<Utc>>,
    weights: Option<Weights>,
    bottom: usize,
) -> DomainResult<Ranking> {
    check_arguments(weights.as_ref().unwrap_or(&Weights::default()), bottom)?;
    let filter = StatsFilter {
        campaign_id: Some(campaign_id),
        unit_id: None,
    };
    let snapshot = stats::snapshot(ledger, access, &filter, as_of).await?;
    let (tree, campaign) = match as_of {
        Some(t) => tree_and_campaign_at(ledger, campaign_id, t).await?,
        None => (units_now(ledger).await?, campaigns::get(&ledger.db, campaign_id).await?),
    };
    let rules = Rules::of(campaign_id, campaign.as_ref(), weights);
    rank_snapshot(ledger, access, &snapshot, &rules, bottom, &tree).await
}

/// Sets the weights a campaign's rankings and bulletins use (None: the documented defaults).
/// Campaign settings: SUPERVISOR on the whole tree. An audited update of the campaign.
#[tracing::instrument(skip_all, fields(campaign_id = %campaign_id))]
pub async fn set_weights(
    ledger: &Ledger,
    ctx: &RequestContext,
    campaign_id: Uuid,
    expected_version: i32,
    weights: Option<Weights>,
) -> DomainResult<campaign::Model> {
    ctx.access.require(Operation::ManageCampaigns, Target::WholeTree)?;
    if let Some(w) = &weights {
        w.check()?;
    }
    let json = weights
        .map(|w| serde_json::to_string(&w))
        .transpose()
        .map_err(|e| DomainError::Internal(format!("ranking weights: {e}")))?;
    let w = ledger.write(ctx).await?;
    let current: campaign::Model = store::load_current(w.tx(), campaign_id, expected_version).await?;
    let next = campaign::Model {
        ranking_weights: json,
        ..current.clone()
    };
    let saved = w
        .save("campaign.set_ranking_weights", current, next, None, None)
        .await?;
    w.commit().await?;
    Ok(saved)
}

/// What [`issue_talks`] is asked: the campaign, how many lowest units of each category, and
/// the talk's text and date (a standard text when none is given).
#[derive(Debug, Clone)]
pub struct TalkRequest {
    pub campaign_id: Uuid,
    pub bottom: usize,
    pub response_due: Option<chrono::NaiveDate>,
    pub content: Option<String>,
}

/// 排后约谈 as a record, not only a flag: one TALK supervision action (督办) to each unit the
/// campaign's live ranking flags (in the caller's scope), all in one change. Passed over: a
/// unit that still has an unanswered TALK (summoned already), an archived one, and one outside
/// the caller's SUPERVISOR scope.
#[tracing::instrument(skip_all, fields(campaign_id = %request.campaign_id))]
pub async fn issue_talks(ledger: &Ledger, ctx: &RequestContext, request: TalkRequest) -> DomainResult<Vec<sa::Model>> {
    ctx.access.require(Operation::Supervise, Target::Anywhere)?;
    check_talk(ledger, &request)?;
    let campaign = campaigns::get(&ledger.db, request.campaign_id).await?.ok_or_else(|| {
        DomainError::invalid("campaignId", format!("campaign {} does not exist", request.campaign_id))
    })?;
    let ranking = unit_ranking(ledger, &ctx.access, campaign.id, None, None, request.bottom).await?;
    let tree = units_now(ledger).await?;
    let w = ledger.write(ctx).await?;
    let summoned = supervision::unanswered_targets(w.tx(), SupervisionKind::Talk).await?;
    let mut issued = Vec::new();
    let summonable = |r: &&UnitRank| {
        r.flagged
            && !summoned.contains(&r.unit_id)
            && tree.get(&r.unit_id).is_some_and(|u| !u.archived)
            && ctx
                .access
                .require(Operation::Supervise, Target::Units(&[r.unit_id], "the unit"))
                .is_ok()
    };
    for r in ranking.rows.iter().filter(summonable) {
        let content = request
            .content
            .clone()
            .unwrap_or_else(|| talk_text(&campaign, r, &tree));
        let talk = supervision::NewSupervision {
            kind: SupervisionKind::Talk,
            target_unit_id: r.unit_id,
            // Filed under the unit's first-due measure of the campaign: that ties the talk to
            // this campaign (an action about nothing in particular counts in every campaign).
            measure_id: first_measure(w.tx(), campaign.id, r.unit_id).await?,
            problem_id: None,
            content,
            response_due: request.response_due,
        };
        issued.push(supervision::issue_in(&w, talk).await?);
    }
    w.commit().await?;
    Ok(issued)
}

/// The first-due measure of the campaign led by `unit` or a unit below it.
async fn first_measure<C: sea_orm::ConnectionTrait>(
    db: &C,
    campaign_id: Uuid,
    unit: Uuid,
) -> DomainResult<Option<Uuid>> {
    use sea_orm::sea_query::Query;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let subtree = crate::domain::org::units::subtree_ids(db, unit).await?;
    let of_campaign = Query::select()
        .column(entity::problem::Column::Id)
        .from(entity::problem::Entity)
        .and_where(entity::problem::Column::CampaignId.eq(campaign_id))
        .to_owned();
    Ok(entity::measure::Entity::find()
        .filter(entity::measure::Column::LeadUnitId.is_in(subtree))
        .filter(entity::measure::Column::ProblemId.in_subquery(of_campaign))
        .order_by_asc(entity::measure::Column::Deadline)
        .order_by_asc(entity::measure::Column::Id)
        .one(db)
        .await?
        .map(|m| m.id))
}

/// What can be refused before the ranking is computed: the date, the text, `bottom`.
fn check_talk(ledger: &Ledger, request: &TalkRequest) -> DomainResult<()> {
    let today = ledger.today();
    if request.response_due.is_some_and(|due| due < today) {
        return Err(DomainError::invalid(
            "responseDue",
            format!("responseDue must not be before today ({today})"),
        ));
    }
    if let Some(content) = &request.content {
        crate::domain::text::Text::parse("content", content, crate::domain::text::limits::LONG_TEXT)?;
    }
    check_arguments(&Weights::default(), request.bottom)
}

/// The standard text of a ranking talk.
fn talk_text(campaign: &campaign::Model, r: &UnitRank, tree: &UnitTree) -> String {
    let category = r.category.as_deref().unwrap_or("未分类单位");
    let unit = tree.get(&r.unit_id).map(|u| u.name.as_str()).unwrap_or_default();
    format!(
        "{}单位排名中，{unit}在{category}中列第{}名（共{}个单位，得分{:.2}），排名靠后。请单位主要负责同志到督查组说明整改情况，并提出改进措施。",
        campaign.name, r.rank, r.ranked_in_category, r.score
    )
}

/// Units as they stand: the tree a live ranking rolls measures up in.
pub async fn units_now(ledger: &Ledger) -> DomainResult<UnitTree> {
    use sea_orm::EntityTrait;
    Ok(unit::Entity::find()
        .all(&ledger.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

/// The unit tree and the campaign as they stood at `t`, from the audit trail.
async fn tree_and_campaign_at(
    ledger: &Ledger,
    campaign_id: Uuid,
    t: DateTime<Utc>,
) -> DomainResult<(UnitTree, Option<campaign::Model>)> {
    let (mut at, _) = stats::replay_entities(ledger, t, &["Unit", "Campaign"]).await?;
    let mut take = |kind: &str| at.remove(kind).unwrap_or_default();
    let tree: UnitTree = stats::models(take("Unit"), "unit")?;
    let mut campaigns: HashMap<Uuid, campaign::Model> = stats::models(take("Campaign"), "campaign")?;
    Ok((tree, campaigns.remove(&campaign_id)))
}

/// The weights and the number of units flagged, checked before any work.
pub fn check_arguments(weights: &Weights, bottom: usize) -> DomainResult<()> {
    weights.check()?;
    if bottom > 1000 {
        return Err(DomainError::invalid("bottom", "bottom must be between 0 and 1000"));
    }
    Ok(())
}

/// Units by id, as they stand now or stood at a ranking's instant: their parents, categories
/// and order.
pub type UnitTree = HashMap<Uuid, unit::Model>;

/// The unit a unit's measures are ranked under: itself when it has a ranking category, else
/// the nearest unit above it that has one, else itself.
pub fn ranked_unit(tree: &UnitTree, unit: Uuid) -> Uuid {
    let mut cursor = Some(unit);
    for _ in 0..10_000 {
        let Some(u) = cursor.and_then(|id| tree.get(&id)) else {
            break;
        };
        if u.ranking_category.is_some() {
            return u.id;
        }
        cursor = u.parent_id;
    }
    unit
}

/// What a campaign's ranking is computed under, as the campaign stood at the instant: its
/// weights (or those asked for) and its reporting rhythms.
#[derive(Debug, Clone)]
pub struct Rules {
    pub campaign_id: Uuid,
    pub weights: Weights,
    pub rhythms: Option<Rhythms>,
    pub ends_on: Option<chrono::NaiveDate>,
}

impl Rules {
    /// The rules of `campaign` (none: the defaults and no rhythm), with `weights` if given.
    pub fn of(campaign_id: Uuid, campaign: Option<&campaign::Model>, weights: Option<Weights>) -> Self {
        Self {
            campaign_id,
            weights: weights.unwrap_or_else(|| campaign.map(Weights::of).unwrap_or_default()),
            rhythms: campaign.and_then(Rhythms::of),
            ends_on: campaign.and_then(|c| c.ends_on),
        }
    }
}

/// Ranks the units of a snapshot of one campaign's measures (see [`unit_ranking`]), with
/// arguments that passed [`check_arguments`], in `tree` (the units as of the snapshot).
pub async fn rank_snapshot(
    ledger: &Ledger,
    access: &Access,
    snapshot: &stats::Snapshot,
    rules: &Rules,
    bottom: usize,
    tree: &UnitTree,
) -> DomainResult<Ranking> {
    let instant = snapshot.as_of;
    let weights = rules.weights;
    let mut by_unit = count_measures_by_unit(snapshot, tree);
    count_missed_reports(ledger, rules, snapshot, tree, &mut by_unit).await?;
    count_late_acknowledgements(ledger, access, (rules.campaign_id, snapshot.as_of), tree, &mut by_unit).await?;
    let unit_ids: Vec<Uuid> = by_unit.keys().copied().collect();
    let at = (rules.campaign_id, instant);
    count_supervision_received(ledger, access, at, tree, &mut by_unit).await?;
    add_latest_satisfaction(ledger, access, at, &unit_ids, &mut by_unit).await?;
    mark_vetoed(ledger, access, at, tree, &mut by_unit).await?;
    add_adjustments(ledger, access, at, tree, &mut by_unit).await?;
    let mut rows = scored_best_first(by_unit, &weights, tree);
    for category in rows.chunk_by_mut(|a, b| a.category == b.category) {
        assign_ranks(category);
        flag_the_lowest(category, bottom);
    }
    Ok(Ranking {
        rows,
        as_of: instant,
        audit_seq: snapshot.audit_seq,
    })
}

impl UnitRank {
    /// A unit's line before any of its measures is counted.
    fn empty(unit_id: Uuid, category: Option<String>) -> Self {
        Self {
            unit_id,
            category,
            total: 0,
            closed: 0,
            closed_on_time: 0,
            closed_late: 0,
            overdue: 0,
            long_term: 0,
            supervision_received: 0,
            relapsed: 0,
            missed_reports: 0,
            late_acknowledgements: 0,
            satisfaction_rate_bp: None,
            computed_score: 0.0,
            adjustment: 0.0,
            score: 0.0,
            rank: 0,
            ranked_in_category: 0,
            flagged: false,
            vetoed: false,
        }
    }
}

/// Each ranked unit's counts of the measures it or the units it stands for lead in the
/// snapshot, cancelled ones left out.
fn count_measures_by_unit(snapshot: &stats::Snapshot, tree: &UnitTree) -> HashMap<Uuid, UnitRank> {
    let today = clock::date_of(snapshot.as_of);
    let mut by_unit: HashMap<Uuid, UnitRank> = HashMap::new();
    for f in &snapshot.facts {
        let m = &f.row;
        if m.status == MeasureStatus::Cancelled {
            continue;
        }
        let ranked = ranked_unit(tree, m.lead_unit_id);
        let r = by_unit
            .entry(ranked)
            .or_insert_with(|| UnitRank::empty(ranked, tree.get(&ranked).and_then(|u| u.ranking_category.clone())));
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

/// Counts, for each ranked unit, the progress reports of the snapshot's measures it or the
/// units it stands for lead that fell due by the instant (`rhythms::judged_until`) and were not
/// filed by their due day (as the reports stood at the instant).
async fn count_missed_reports(
    ledger: &Ledger,
    rules: &Rules,
    snapshot: &stats::Snapshot,
    tree: &UnitTree,
    by_unit: &mut HashMap<Uuid, UnitRank>,
) -> DomainResult<()> {
    let Some(rhythms) = &rules.rhythms else {
        return Ok(());
    };
    let book = rhythms::report_book(&ledger.db, rules.campaign_id, snapshot.as_of).await?;
    let calendar = crate::domain::org::calendar::load(&ledger.db).await?;
    let dues = rhythms::Dues {
        rhythms,
        ends_on: rules.ends_on,
        tree,
        calendar: &calendar,
        book: &book,
    };
    let until = rhythms::judged_until(snapshot.as_of);
    for f in snapshot
        .facts
        .iter()
        .filter(|f| f.row.status != MeasureStatus::Cancelled)
    {
        let missed = dues.missed_by(&f.row, rhythms.since, until).len() as i64;
        if let Some(r) = by_unit.get_mut(&ranked_unit(tree, f.row.lead_unit_id)) {
            r.missed_reports += missed;
        }
    }
    Ok(())
}

/// Counts, for each ranked unit, the assignments it or the units it stands for did not
/// acknowledge (签收) by their due day, as judged at the instant (`receipts::is_late`): only
/// the receipts of units the reader reads, as `supervisionReceived` counts only the actions it
/// may list.
async fn count_late_acknowledgements(
    ledger: &Ledger,
    access: &Access,
    (campaign_id, instant): (Uuid, DateTime<Utc>),
    tree: &UnitTree,
    by_unit: &mut HashMap<Uuid, UnitRank>,
) -> DomainResult<()> {
    let until = rhythms::judged_until(instant);
    let late = receipts::late_in_campaign(&ledger.db, campaign_id, until, instant).await?;
    for r in late.iter().filter(|r| access.reads_unit(r.unit_id)) {
        if let Some(row) = by_unit.get_mut(&ranked_unit(tree, r.unit_id)) {
            row.late_acknowledgements += 1;
        }
    }
    Ok(())
}

/// Counts the supervision each ranked unit (or a unit it stands for) received about the
/// campaign (or about nothing in particular) by the instant; actions are never changed after
/// they are issued, so the table is as good as the trail.
async fn count_supervision_received(
    ledger: &Ledger,
    access: &Access,
    (campaign_id, instant): (Uuid, DateTime<Utc>),
    tree: &UnitTree,
    by_unit: &mut HashMap<Uuid, UnitRank>,
) -> DomainResult<()> {
    let actions = supervision::about_campaign(&ledger.db, campaign_id, None, None, instant).await?;
    // Only actions the reader may see (`supervisionActions` shows the same ones).
    for a in actions.iter().filter(|a| access.reads_unit(a.target_unit_id)) {
        if let Some(r) = by_unit.get_mut(&ranked_unit(tree, a.target_unit_id)) {
            r.supervision_received += 1;
        }
    }
    Ok(())
}

/// Marks the ranked units under a 一票否决 of the campaign in force at the instant (of the unit
/// itself or of a unit it stands for), as the reader sees the decisions.
async fn mark_vetoed(
    ledger: &Ledger,
    access: &Access,
    (campaign_id, instant): (Uuid, DateTime<Utc>),
    tree: &UnitTree,
    by_unit: &mut HashMap<Uuid, UnitRank>,
) -> DomainResult<()> {
    for unit in accountability::vetoed_units(&ledger.db, access, campaign_id, instant).await? {
        if let Some(r) = by_unit.get_mut(&ranked_unit(tree, unit)) {
            r.vetoed = true;
        }
    }
    Ok(())
}

/// Adds to each ranked unit the approved 加分/减分 items (考核) of the campaign by the instant,
/// its own and those of the units it stands for, as the reader sees them.
async fn add_adjustments(
    ledger: &Ledger,
    access: &Access,
    (campaign_id, instant): (Uuid, DateTime<Utc>),
    tree: &UnitTree,
    by_unit: &mut HashMap<Uuid, UnitRank>,
) -> DomainResult<()> {
    for (unit, items) in scoring::approved_at(&ledger.db, access, campaign_id, instant).await? {
        if let Some(r) = by_unit.get_mut(&ranked_unit(tree, unit)) {
            r.adjustment += items.iter().map(scoring::signed_points).sum::<f64>();
        }
    }
    Ok(())
}

/// Gives each ranked unit the rate of its own latest survey in the campaign recorded by the
/// instant (a department's survey, not its 股室's).
async fn add_latest_satisfaction(
    ledger: &Ledger,
    access: &Access,
    (campaign_id, instant): (Uuid, DateTime<Utc>),
    unit_ids: &[Uuid],
    by_unit: &mut HashMap<Uuid, UnitRank>,
) -> DomainResult<()> {
    let latest = intake::latest_surveys(&ledger.db, campaign_id, Some(unit_ids), instant).await?;
    // Only results the reader may see (`satisfactionSurveys` shows the same ones).
    let readable = latest
        .iter()
        .filter(|(unit, s)| access.reads_disclosed_or_unit_owned(**unit, s.disclosure));
    for (unit, s) in readable {
        if let Some(r) = by_unit.get_mut(unit) {
            r.satisfaction_rate_bp = Some(i64::from(intake::rate_bp(s)));
        }
    }
    Ok(())
}

/// Where a unit is listed among equals: the tree's order, then its short code.
fn order_of(tree: &UnitTree, id: Uuid) -> Option<(i32, &str)> {
    tree.get(&id).map(|u| (u.sort_order, u.short_code.as_str()))
}

/// The lines by category (in the order of each category's first unit; units without one
/// last), then the vetoed after the others (一票否决), then highest score first, equal scores in
/// the units' order.
fn scored_best_first(by_unit: HashMap<Uuid, UnitRank>, weights: &Weights, tree: &UnitTree) -> Vec<UnitRank> {
    let mut first_of: HashMap<Option<String>, Option<(i32, &str)>> = HashMap::new();
    for r in by_unit.values() {
        let order = order_of(tree, r.unit_id);
        let first = first_of.entry(r.category.clone()).or_insert(order);
        *first = (*first).min(order);
    }
    let mut rows: Vec<UnitRank> = by_unit
        .into_values()
        .map(|mut r| {
            r.computed_score = score(&r, weights);
            r.adjustment = (r.adjustment * 100.0).round() / 100.0;
            r.score = ((r.computed_score + r.adjustment) * 100.0).round() / 100.0;
            r
        })
        .collect();
    let group = |r: &UnitRank| (r.category.is_none(), first_of.get(&r.category).copied().flatten());
    rows.sort_by(|a, b| {
        group(a)
            .cmp(&group(b))
            .then(a.vetoed.cmp(&b.vetoed))
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| order_of(tree, a.unit_id).cmp(&order_of(tree, b.unit_id)))
    });
    rows
}

/// Numbers lines sorted best first; equal scores share a rank (1, 2, 2, 4), but a vetoed line
/// never shares one with a line that is not.
fn assign_ranks(rows: &mut [UnitRank]) {
    let mut rank = 0;
    let ranked = rows.len() as i64;
    for i in 0..rows.len() {
        rows[i].ranked_in_category = ranked;
        if i == 0 || rows[i].score != rows[i - 1].score || rows[i].vetoed != rows[i - 1].vetoed {
            rank = i as i64 + 1;
        }
        rows[i].rank = rank;
    }
}

/// Flags the lowest `bottom` lines of a category for a talk, with every line tied with the
/// last of them; never all of a category (at most all but one: a unit ranked alone is not
/// summoned for being last of one, and when every line ties with the best nobody is flagged).
/// A vetoed line (they sort last) is flagged whatever its place, and `bottom` counts among the
/// others: a veto does not spare the worst of the rest its talk.
fn flag_the_lowest(rows: &mut [UnitRank], bottom: usize) {
    let first_vetoed = rows.iter().position(|r| r.vetoed).unwrap_or(rows.len());
    let (plain, vetoed) = rows.split_at_mut(first_vetoed);
    for r in vetoed.iter_mut() {
        r.flagged = true;
    }
    for r in plain.iter_mut() {
        r.flagged = false;
    }
    let bottom = bottom.min(plain.len().saturating_sub(1));
    if bottom > 0 {
        let cut = plain[plain.len() - bottom].rank;
        if cut == plain[0].rank {
            // Everyone ties with the best: nobody ranks low.
            return;
        }
        for r in plain {
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
            category: None,
            total,
            closed,
            closed_on_time: on_time,
            closed_late: closed - on_time,
            overdue,
            long_term: 0,
            supervision_received: supervision,
            relapsed: 0,
            missed_reports: 0,
            late_acknowledgements: 0,
            satisfaction_rate_bp: sat,
            computed_score: 0.0,
            adjustment: 0.0,
            score: 0.0,
            rank: 0,
            ranked_in_category: 0,
            flagged: false,
            vetoed: false,
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

    #[test]
    fn a_vetoed_unit_ranks_after_the_others_whatever_its_score_and_the_worst_other_is_still_flagged() {
        // A 100, B 75 (one of two closed), C 100 but vetoed; bottom 1.
        let line = |total, closed, vetoed| UnitRank {
            unit_id: Uuid::now_v7(),
            vetoed,
            ..row(total, closed, closed, 0, 0, None)
        };
        let lines = [line(1, 1, false), line(2, 1, false), line(1, 1, true)];
        let ids: Vec<Uuid> = lines.iter().map(|r| r.unit_id).collect();
        let by_unit: HashMap<Uuid, UnitRank> = lines.into_iter().map(|r| (r.unit_id, r)).collect();
        let mut rows = scored_best_first(by_unit, &Weights::default(), &UnitTree::new());
        assign_ranks(&mut rows);
        flag_the_lowest(&mut rows, 1);
        let got: Vec<(Uuid, f64, i64, bool)> = rows.iter().map(|r| (r.unit_id, r.score, r.rank, r.flagged)).collect();
        assert_eq!(
            got,
            [
                (ids[0], 100.0, 1, false),
                (ids[1], 75.0, 2, true),
                (ids[2], 100.0, 3, true)
            ]
        );
    }
}
