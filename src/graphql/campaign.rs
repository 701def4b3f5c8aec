//! Campaigns (活动, 专项, 批次).

use async_graphql::{Context, Enum, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use entity::campaign as db;

use super::audit::{history, AuditEvent};
use super::connection::{connection, page_request, parse_id, uuid_cursor, Conn};
use super::enums::CampaignPhase;
use super::error::{GqlResult, IntoGql};
use super::problem::{Problem, ProblemFilter, ProblemOrderBy};
use super::scalars::{Date, DateTime};
use super::{ledger, patch, request};
use crate::domain::{ledger::campaigns, ledger::problems};

/// A campaign, e.g. 深入学习实践科学发展观活动（第一批）.
pub struct Campaign(pub db::Model);

impl Campaign {
    /// The campaign of a link through the request's DataLoader; None for no id or one the reader may not see.
    pub async fn link(ctx: &Context<'_>, id: impl Into<Option<uuid::Uuid>>) -> GqlResult<Option<Self>> {
        match id.into() {
            Some(id) => Ok(super::loader(ctx)
                .load_one(super::loaders::CampaignKey(id))
                .await?
                .map(Self)),
            None => Ok(None),
        }
    }
}

#[Object]
impl Campaign {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn phase(&self) -> CampaignPhase {
        self.0.phase.into()
    }
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// The share of satisfied + basically satisfied participants a survey must reach (0.95).
    async fn satisfaction_threshold(&self) -> f64 {
        f64::from(self.0.satisfaction_threshold_bp) / 10_000.0
    }
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// 销号 needs a verifier whose person belongs to an INSPECTION_GROUP unit (督查组).
    async fn verified_by_inspection_group(&self) -> bool {
        self.0.verified_by_inspection_group
    }
    /// Measures of IMMEDIATE problems (立行立改) may be submitted without an evidence file.
    async fn evidence_optional_for_immediate(&self) -> bool {
        self.0.evidence_optional_for_immediate
    }
    /// Working days a unit has to acknowledge (签收) an assignment; null: no time limit.
    async fn acknowledge_within_days(&self) -> Option<i32> {
        self.0.acknowledge_within_days
    }
    /// The weights its rankings and bulletins use (`setRankingWeights`; the documented
    /// defaults unless set).
    async fn ranking_weights(&self) -> super::report::RankingWeights {
        crate::domain::reporting::ranking::Weights::of(&self.0).into()
    }
    /// When its progress reports are due (`setReportRhythm`); null: never.
    async fn report_rhythm(&self) -> Option<super::rhythm::ReportRhythm> {
        crate::domain::ledger::rhythms::Rhythms::of(&self.0).map(super::rhythm::ReportRhythm)
    }
    /// Whether `rankingWeights` were set for this campaign rather than left at the defaults.
    async fn ranking_weights_set(&self) -> bool {
        self.0.ranking_weights.is_some()
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// The campaign's problem list (问题清单); `filter.campaignId` is this campaign.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn problems(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProblemFilter>,
        order_by: Option<ProblemOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Problem>> {
        let mut filter = filter.unwrap_or_default().into_domain()?;
        filter.campaign_id = Some(self.0.id);
        let page = problems::list(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            order_by.unwrap_or_default().into(),
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |p| uuid_cursor(&p.id), Problem))
    }
    /// Audit events of this campaign, newest first.
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

#[derive(InputObject, Default)]
pub struct CampaignFilter {
    pub phase: Option<CampaignPhase>,
    /// Case-insensitive substring of the name or description.
    pub search: Option<String>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
#[graphql(remote = "campaigns::CampaignOrder")]
pub enum CampaignOrderBy {
    #[default]
    StartsOnDesc,
    StartsOnAsc,
    NameAsc,
}

#[derive(Default)]
pub struct CampaignQuery;

#[Object]
impl CampaignQuery {
    /// Campaigns, newest first by default.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn campaigns(
        &self,
        ctx: &Context<'_>,
        filter: Option<CampaignFilter>,
        order_by: Option<CampaignOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Campaign>> {
        let f = filter.unwrap_or_default();
        let filter = campaigns::CampaignFilter {
            phase: f.phase.map(Into::into),
            search: f.search,
        };
        let page = campaigns::list(
            ledger(ctx),
            &filter,
            order_by.unwrap_or_default().into(),
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |c| uuid_cursor(&c.id), Campaign))
    }
}

#[derive(InputObject)]
pub struct CreateCampaignInput {
    pub name: String,
    pub description: Option<String>,
    /// MOBILIZATION when omitted.
    pub phase: Option<CampaignPhase>,
    pub starts_on: Date,
    /// Not before `startsOn`.
    pub ends_on: Option<Date>,
    /// The share of satisfied + basically satisfied participants a survey must reach,
    /// 0 < x ≤ 1; 0.95 when omitted.
    pub satisfaction_threshold: Option<f64>,
    /// 销号 needs a verifier whose person belongs to an INSPECTION_GROUP unit; false when omitted.
    pub verified_by_inspection_group: Option<bool>,
    /// Measures of IMMEDIATE problems may be submitted without an evidence file; false when
    /// omitted.
    pub evidence_optional_for_immediate: Option<bool>,
    /// Working days (1–30) a unit has to acknowledge (签收) an assignment; no limit when omitted.
    pub acknowledge_within_days: Option<i32>,
}

#[derive(InputObject)]
pub struct UpdateCampaignInput {
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    pub phase: Option<CampaignPhase>,
    pub starts_on: Option<Date>,
    pub ends_on: MaybeUndefined<Date>,
    pub satisfaction_threshold: Option<f64>,
    pub verified_by_inspection_group: Option<bool>,
    pub evidence_optional_for_immediate: Option<bool>,
    /// 1–30 working days; null lifts the time limit for 签收.
    pub acknowledge_within_days: MaybeUndefined<i32>,
}

/// A share as basis points (0.95 → 9500); NaN and infinities become out-of-range values.
fn basis_points(share: f64) -> i32 {
    if share.is_finite() {
        (share * 10_000.0).round().clamp(-1.0, 100_000.0) as i32
    } else {
        -1
    }
}

#[derive(SimpleObject)]
pub struct CampaignPayload {
    pub campaign: Campaign,
}

#[derive(Default)]
pub struct CampaignMutation;

#[Object]
impl CampaignMutation {
    async fn create_campaign(&self, ctx: &Context<'_>, input: CreateCampaignInput) -> GqlResult<CampaignPayload> {
        let new = campaigns::NewCampaign {
            name: input.name,
            description: input.description,
            phase: input.phase.map(Into::into),
            starts_on: input.starts_on.0,
            ends_on: input.ends_on.map(|d| d.0),
            satisfaction_threshold_bp: input.satisfaction_threshold.map(basis_points),
            close_out: campaigns::CloseOutRules {
                verified_by_inspection_group: input.verified_by_inspection_group.unwrap_or(false),
                evidence_optional_for_immediate: input.evidence_optional_for_immediate.unwrap_or(false),
            },
            acknowledge_within_days: input.acknowledge_within_days,
        };
        let model = campaigns::create(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(CampaignPayload {
            campaign: Campaign(model),
        })
    }

    async fn update_campaign(&self, ctx: &Context<'_>, input: UpdateCampaignInput) -> GqlResult<CampaignPayload> {
        let id = parse_id("id", &input.id)?;
        let changes = campaigns::CampaignPatch {
            name: input.name,
            description: patch(input.description),
            phase: input.phase.map(Into::into),
            starts_on: input.starts_on.map(|d| d.0),
            ends_on: patch(input.ends_on).map(|d| d.map(|d| d.0)),
            satisfaction_threshold_bp: input.satisfaction_threshold.map(basis_points),
            verified_by_inspection_group: input.verified_by_inspection_group,
            evidence_optional_for_immediate: input.evidence_optional_for_immediate,
            acknowledge_within_days: patch(input.acknowledge_within_days),
        };
        let model = campaigns::update(ledger(ctx), request(ctx), id, input.expected_version, changes)
            .await
            .gql(ctx)?;
        Ok(CampaignPayload {
            campaign: Campaign(model),
        })
    }
}
