//! 考核 加分/减分 items over GraphQL: proposed, approved or refused, counted in the ranking.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::score_adjustment as db;

use super::audit::{history, AuditEvent};
use super::campaign::Campaign;
use super::connection::{connection, page_request, parse_id, parse_opt_id, uuid_cursor, Conn};
use super::error::{GqlResult, IntoGql};
use super::scalars::DateTime;
use super::unit::Unit;
use super::{ledger, request};
use crate::domain::scoring as domain;

/// A 加分 or 减分 item of a unit's ranking score in a campaign (考核): the item, its basis and
/// evidence, the points, who proposed it, and who approved or refused it.
pub struct ScoreAdjustment(pub db::Model);

#[Object]
impl ScoreAdjustment {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Changes with the decision; `decideScoreAdjustment` expects it.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn campaign(&self, ctx: &Context<'_>) -> GqlResult<Option<Campaign>> {
        Campaign::link(ctx, self.0.campaign_id).await
    }
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.unit_id).await
    }
    async fn kind(&self) -> AdjustmentKind {
        self.0.kind.into()
    }
    /// The points, always positive (0.01–100); `kind` gives the sign.
    async fn points(&self) -> f64 {
        f64::from(self.0.points_centi) / 100.0
    }
    /// The effect on the score: positive for BONUS, negative for DEDUCTION.
    async fn signed_points(&self) -> f64 {
        domain::signed_points(&self.0)
    }
    /// 考核事项.
    async fn item(&self) -> &str {
        &self.0.item
    }
    /// 依据: the rule or fact the points rest on.
    async fn basis(&self) -> &str {
        &self.0.basis
    }
    /// 佐证材料.
    async fn evidence(&self) -> &str {
        &self.0.evidence
    }
    async fn proposer_name(&self) -> &str {
        &self.0.proposer_name
    }
    async fn proposed_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn status(&self) -> AdjustmentStatus {
        self.0.status.into()
    }
    async fn decider_name(&self) -> Option<&str> {
        self.0.decider_name.as_deref()
    }
    /// From this instant an approved item counts in rankings.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(DateTime)
    }
    /// The decider's note; always given with a refusal.
    async fn decision_note(&self) -> Option<&str> {
        self.0.decision_note.as_deref()
    }
    /// Whether `decideScoreAdjustment` would accept a decision of this item from the viewer now
    /// (SUPERVISOR on the whole tree, still proposed, not its proposer): the check the mutation
    /// makes.
    async fn viewer_can_decide(&self, ctx: &Context<'_>) -> bool {
        domain::may_decide(request(ctx), &self.0).is_ok()
    }
    /// Audit events of this item, newest first.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Conn<AuditEvent>> {
        history(ctx, self.0.id, first, after).await
    }
}

/// 加分 or 减分.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::AdjustmentKind")]
pub enum AdjustmentKind {
    /// 加分.
    Bonus,
    /// 减分.
    Deduction,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::AdjustmentStatus")]
pub enum AdjustmentStatus {
    /// Waiting for a decision; does not count yet.
    Proposed,
    /// Counts in rankings from its `decidedAt`.
    Approved,
    /// Does not count.
    Refused,
}

#[derive(InputObject, Default)]
pub struct ScoreAdjustmentFilter {
    pub campaign_id: Option<ID>,
    pub unit_id: Option<ID>,
    /// With `unitId`: its subunits' items too.
    #[graphql(default = false)]
    pub include_subunits: bool,
    pub status: Option<AdjustmentStatus>,
}

#[derive(Default)]
pub struct ScoringQuery;

#[Object]
impl ScoringQuery {
    /// 加分/减分 items of the units in the reader's scope, newest first.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn score_adjustments(
        &self,
        ctx: &Context<'_>,
        filter: Option<ScoreAdjustmentFilter>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<ScoreAdjustment>> {
        let f = filter.unwrap_or_default();
        let filter = domain::AdjustmentFilter {
            campaign_id: parse_opt_id("filter.campaignId", f.campaign_id.as_ref())?,
            unit_id: parse_opt_id("filter.unitId", f.unit_id.as_ref())?,
            include_subunits: f.include_subunits,
            status: f.status.map(Into::into),
        };
        let page = domain::list(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |a| uuid_cursor(&a.id), ScoreAdjustment))
    }
}

#[derive(InputObject)]
pub struct ProposeScoreAdjustmentInput {
    pub campaign_id: ID,
    /// The unit scored (its ranked unit takes the points: a 股室's go to its department).
    pub unit_id: ID,
    pub kind: AdjustmentKind,
    /// 0.01–100, at most two decimals.
    pub points: f64,
    /// 考核事项, 1–200 characters.
    pub item: String,
    /// 依据, 1–1000 characters.
    pub basis: String,
    /// 佐证材料, 1–1000 characters.
    pub evidence: String,
}

#[derive(InputObject)]
pub struct DecideScoreAdjustmentInput {
    pub id: ID,
    pub expected_version: i32,
    /// true: approve (it counts from now); false: refuse.
    pub approve: bool,
    /// Required to refuse, 1–1000 characters.
    pub note: Option<String>,
}

#[derive(SimpleObject)]
pub struct ScoreAdjustmentPayload {
    pub score_adjustment: ScoreAdjustment,
}

#[derive(Default)]
pub struct ScoringMutation;

#[Object]
impl ScoringMutation {
    /// Proposes a 加分 or 减分 item (SUPERVISOR on the unit); it counts once approved.
    async fn propose_score_adjustment(
        &self,
        ctx: &Context<'_>,
        input: ProposeScoreAdjustmentInput,
    ) -> GqlResult<ScoreAdjustmentPayload> {
        let new = domain::NewAdjustment {
            campaign_id: parse_id("campaignId", &input.campaign_id)?,
            unit_id: parse_id("unitId", &input.unit_id)?,
            kind: input.kind.into(),
            points: input.points,
            item: input.item,
            basis: input.basis,
            evidence: input.evidence,
        };
        let row = domain::propose(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(ScoreAdjustmentPayload {
            score_adjustment: ScoreAdjustment(row),
        })
    }

    /// Approves or refuses a proposed item (SUPERVISOR on the whole tree, not its proposer).
    async fn decide_score_adjustment(
        &self,
        ctx: &Context<'_>,
        input: DecideScoreAdjustmentInput,
    ) -> GqlResult<ScoreAdjustmentPayload> {
        let id = parse_id("id", &input.id)?;
        let row = domain::decide(
            ledger(ctx),
            request(ctx),
            id,
            input.expected_version,
            input.approve,
            input.note.as_deref(),
        )
        .await
        .gql(ctx)?;
        Ok(ScoreAdjustmentPayload {
            score_adjustment: ScoreAdjustment(row),
        })
    }
}
