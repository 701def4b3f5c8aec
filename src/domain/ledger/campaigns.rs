//! Campaigns (活动, 专项, 批次): name, phase and dates.

use chrono::NaiveDate;
use entity::{campaign, enums::CampaignPhase};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter};
use uuid::Uuid;

use super::receipts::check_within_days;
use crate::domain::access::{Operation, Target};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::page::{keyset_page, text_match, Page, PageRequest};
use crate::domain::text::{limits, Text};
use crate::domain::{store, Ledger};

pub const ENTITY: &str = "Campaign";

#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub name: String,
    pub description: Option<String>,
    pub phase: Option<CampaignPhase>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// Basis points; 9500 (95 %) when omitted.
    pub satisfaction_threshold_bp: Option<i32>,
    pub close_out: CloseOutRules,
    /// Working days a unit has to acknowledge (签收) an assignment, 1–30; none: no time limit.
    pub acknowledge_within_days: Option<i32>,
}

/// How a campaign's measures are closed out (销号); both off unless set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CloseOutRules {
    /// The verifier's person must belong to an INSPECTION_GROUP unit (督查组).
    pub verified_by_inspection_group: bool,
    /// Measures of IMMEDIATE problems (立行立改) may be submitted without an evidence file.
    pub evidence_optional_for_immediate: bool,
}

impl CloseOutRules {
    pub fn of(c: &campaign::Model) -> Self {
        Self {
            verified_by_inspection_group: c.verified_by_inspection_group,
            evidence_optional_for_immediate: c.evidence_optional_for_immediate,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CampaignPatch {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub phase: Option<CampaignPhase>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<Option<NaiveDate>>,
    pub satisfaction_threshold_bp: Option<i32>,
    pub verified_by_inspection_group: Option<bool>,
    pub evidence_optional_for_immediate: Option<bool>,
    /// Some(None) lifts the time limit for 签收.
    pub acknowledge_within_days: Option<Option<i32>>,
}

/// The default satisfaction target: 95 % (满意和基本满意率不低于95%).
pub const DEFAULT_THRESHOLD_BP: i32 = 9500;

fn check_threshold(bp: i32) -> DomainResult<i32> {
    if !(1..=10_000).contains(&bp) {
        return Err(DomainError::invalid(
            "satisfactionThreshold",
            "satisfactionThreshold must be above 0 and at most 1 (e.g. 0.95)",
        ));
    }
    Ok(bp)
}

#[derive(Debug, Clone, Default)]
pub struct CampaignFilter {
    pub phase: Option<CampaignPhase>,
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CampaignOrder {
    #[default]
    StartsOnDesc,
    StartsOnAsc,
    NameAsc,
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<campaign::Model>> {
    Ok(campaign::Entity::find_by_id(id).one(db).await?)
}

pub async fn by_ids<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<campaign::Model>> {
    Ok(campaign::Entity::find()
        .filter(campaign::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

pub async fn list(
    ledger: &Ledger,
    filter: &CampaignFilter,
    order: CampaignOrder,
    page: PageRequest,
) -> DomainResult<Page<campaign::Model>> {
    let mut cond = Condition::all();
    if let Some(phase) = filter.phase {
        cond = cond.add(campaign::Column::Phase.eq(phase));
    }
    if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        cond = cond.add(text_match(
            &[campaign::Column::Name, campaign::Column::Description],
            search,
        ));
    }
    let (sort, dir) = match order {
        CampaignOrder::StartsOnDesc => (campaign::Column::StartsOn, Order::Desc),
        CampaignOrder::StartsOnAsc => (campaign::Column::StartsOn, Order::Asc),
        CampaignOrder::NameAsc => (campaign::Column::Name, Order::Asc),
    };
    keyset_page(
        &ledger.db,
        campaign::Entity::find().filter(cond),
        sort,
        campaign::Column::Id,
        dir,
        page,
    )
    .await
}

fn check_dates(starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> DomainResult<()> {
    match ends_on {
        Some(end) if end < starts_on => Err(DomainError::invalid(
            "endsOn",
            format!("endsOn ({end}) must not be before startsOn ({starts_on})"),
        )),
        _ => Ok(()),
    }
}

#[tracing::instrument(skip_all)]
pub async fn create(ledger: &Ledger, ctx: &RequestContext, input: NewCampaign) -> DomainResult<campaign::Model> {
    let name = Text::parse("name", &input.name, limits::NAME)?.into_inner();
    let description =
        Text::parse_optional("description", input.description.as_deref(), limits::LONG_TEXT)?.map(Text::into_inner);
    check_dates(input.starts_on, input.ends_on)?;
    let acknowledge_within_days = input.acknowledge_within_days.map(check_within_days).transpose()?;
    ctx.access.require(Operation::ManageCampaigns, Target::WholeTree)?;
    let w = ledger.write(ctx).await?;
    let now = ledger.now();
    let model = campaign::Model {
        id: Uuid::now_v7(),
        name,
        description,
        phase: input.phase.unwrap_or(CampaignPhase::Mobilization),
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        satisfaction_threshold_bp: check_threshold(input.satisfaction_threshold_bp.unwrap_or(DEFAULT_THRESHOLD_BP))?,
        verified_by_inspection_group: input.close_out.verified_by_inspection_group,
        evidence_optional_for_immediate: input.close_out.evidence_optional_for_immediate,
        ranking_weights: None,
        report_rhythm: None,
        acknowledge_within_days,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.create("campaign.create", model, None).await?;
    w.commit().await?;
    Ok(saved)
}

#[tracing::instrument(skip_all, fields(campaign_id = %id))]
pub async fn update(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    patch: CampaignPatch,
) -> DomainResult<campaign::Model> {
    ctx.access.require(Operation::ManageCampaigns, Target::WholeTree)?;
    let w = ledger.write(ctx).await?;
    let current: campaign::Model = store::load_current(w.tx(), id, expected_version).await?;
    let mut next = current.clone();
    if let Some(name) = patch.name {
        next.name = Text::parse("name", &name, limits::NAME)?.into_inner();
    }
    if let Some(description) = patch.description {
        next.description =
            Text::parse_optional("description", description.as_deref(), limits::LONG_TEXT)?.map(Text::into_inner);
    }
    if let Some(phase) = patch.phase {
        next.phase = phase;
    }
    if let Some(starts_on) = patch.starts_on {
        next.starts_on = starts_on;
    }
    if let Some(ends_on) = patch.ends_on {
        next.ends_on = ends_on;
    }
    if let Some(bp) = patch.satisfaction_threshold_bp {
        next.satisfaction_threshold_bp = check_threshold(bp)?;
    }
    next.verified_by_inspection_group = patch
        .verified_by_inspection_group
        .unwrap_or(next.verified_by_inspection_group);
    next.evidence_optional_for_immediate = patch
        .evidence_optional_for_immediate
        .unwrap_or(next.evidence_optional_for_immediate);
    if let Some(days) = patch.acknowledge_within_days {
        next.acknowledge_within_days = days.map(check_within_days).transpose()?;
    }
    check_dates(next.starts_on, next.ends_on)?;
    let saved = w.save("campaign.update", current, next, None, None).await?;
    w.commit().await?;
    Ok(saved)
}
