//! 考核 (scoring): 加分/减分 items of a unit in a campaign — the item, its basis, its evidence and
//! the points — proposed by a supervisor of the unit and approved or refused (with a reason) by
//! a supervisor of the whole tree other than the proposer. A unit's ranking score is the
//! computed score plus the approved items (`reporting::ranking`).
//!
//! An item is decided once, and the decision stamps `decided_at`, so the table answers "as of
//! an instant" by itself: approved by then. A figure published as of an instant stays the same
//! when asked again as of that instant.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::enums::{AdjustmentKind, AdjustmentStatus};
use entity::score_adjustment as adj;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter};
use uuid::Uuid;

use super::access::{Access, Operation, Target};
use super::context::RequestContext;
use super::error::{DomainError, DomainResult};
use super::page::{keyset_page, Page, PageRequest};
use super::store::{self, Versioned};
use super::text::{limits, Text};
use super::{ledger::campaigns, org::units, Ledger};

pub const ENTITY: &str = adj::Model::ENTITY;

/// The most points one item moves: 100 (hundredths: 10 000).
pub const MAX_POINTS_CENTI: i32 = 10_000;

#[derive(Debug, Clone)]
pub struct NewAdjustment {
    pub campaign_id: Uuid,
    pub unit_id: Uuid,
    pub kind: AdjustmentKind,
    /// Points, 0.01–100.
    pub points: f64,
    pub item: String,
    pub basis: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Default)]
pub struct AdjustmentFilter {
    pub campaign_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub include_subunits: bool,
    pub status: Option<AdjustmentStatus>,
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<adj::Model>> {
    Ok(adj::Entity::find_by_id(id).one(db).await?)
}

/// Points as hundredths: 0.01–100, at most two decimals.
fn points_centi(points: f64) -> DomainResult<i32> {
    let centi = (points * 100.0).round();
    if !points.is_finite()
        || centi < 1.0
        || centi > f64::from(MAX_POINTS_CENTI)
        || (points * 100.0 - centi).abs() > 1e-6
    {
        return Err(DomainError::invalid(
            "points",
            "points must be between 0.01 and 100, with at most two decimals",
        ));
    }
    Ok(centi as i32)
}

/// The item's signed effect on the score, in points.
pub fn signed_points(row: &adj::Model) -> f64 {
    let points = f64::from(row.points_centi) / 100.0;
    match row.kind {
        AdjustmentKind::Bonus => points,
        AdjustmentKind::Deduction => -points,
    }
}

/// Proposes an item (SUPERVISOR on the unit). Audited as `score_adjustment.propose`.
#[tracing::instrument(skip_all, fields(campaign_id = %input.campaign_id, unit_id = %input.unit_id))]
pub async fn propose(ledger: &Ledger, ctx: &RequestContext, input: NewAdjustment) -> DomainResult<adj::Model> {
    let points_centi = points_centi(input.points)?;
    let item = Text::parse("item", &input.item, limits::TITLE)?.into_inner();
    let basis = Text::parse("basis", &input.basis, limits::REASON)?.into_inner();
    let evidence = Text::parse("evidence", &input.evidence, limits::REASON)?.into_inner();
    ctx.access
        .require(Operation::Supervise, Target::Units(&[input.unit_id], "the unit scored"))?;
    let w = ledger.write(ctx).await?;
    units::active(w.tx(), input.unit_id, "unitId").await?;
    campaigns::get(w.tx(), input.campaign_id).await?.ok_or_else(|| {
        DomainError::invalid(
            "campaignId",
            format!("campaignId: campaign {} does not exist", input.campaign_id),
        )
    })?;
    let now = w.now();
    let row = adj::Model {
        id: Uuid::now_v7(),
        campaign_id: input.campaign_id,
        unit_id: input.unit_id,
        kind: input.kind,
        points_centi,
        item,
        basis,
        evidence,
        proposed_by: ctx.actor.id.clone(),
        proposer_name: ctx.actor.display_name.clone(),
        status: AdjustmentStatus::Proposed,
        decided_by: None,
        decider_name: None,
        decided_at: None,
        decision_note: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.create("score_adjustment.propose", row, None).await?;
    w.commit().await?;
    Ok(saved)
}

/// Approves or refuses a proposed item (SUPERVISOR on the whole tree, not the proposer); a
/// refusal needs a note. Audited as `score_adjustment.approve` / `score_adjustment.refuse`.
#[tracing::instrument(skip_all, fields(adjustment_id = %id))]
pub async fn decide(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    approve: bool,
    note: Option<&str>,
) -> DomainResult<adj::Model> {
    let note = Text::parse_optional("note", note, limits::REASON)?.map(Text::into_inner);
    if !approve && note.is_none() {
        return Err(DomainError::invalid("note", "a refusal needs a note saying why"));
    }
    ctx.access.require(Operation::Supervise, Target::WholeTree)?;
    let w = ledger.write(ctx).await?;
    let current: adj::Model = get(w.tx(), id)
        .await?
        .ok_or_else(|| DomainError::not_found(ENTITY, id))?;
    store::check_current(&current, expected_version)?;
    may_decide(ctx, &current)?;
    let (status, action) = if approve {
        (AdjustmentStatus::Approved, "score_adjustment.approve")
    } else {
        (AdjustmentStatus::Refused, "score_adjustment.refuse")
    };
    let next = adj::Model {
        status,
        decided_by: Some(ctx.actor.id.clone()),
        decider_name: Some(ctx.actor.display_name.clone()),
        decided_at: Some(w.now()),
        decision_note: note.clone(),
        ..current.clone()
    };
    let saved = w.save(action, current, next, note.as_deref(), None).await?;
    w.commit().await?;
    Ok(saved)
}

/// Whether the request may decide `row` now: SUPERVISOR on the whole tree, the item still
/// proposed, and the request not its proposer. [`decide`] checks this;
/// `ScoreAdjustment.viewerCanDecide` asks it.
pub fn may_decide(ctx: &RequestContext, row: &adj::Model) -> DomainResult<()> {
    ctx.access.require(Operation::Supervise, Target::WholeTree)?;
    if row.status != AdjustmentStatus::Proposed {
        return Err(DomainError::invalid("id", "this item has already been decided"));
    }
    if row.proposed_by == ctx.actor.id {
        return Err(DomainError::Forbidden(
            "an item is decided by someone other than its proposer".to_owned(),
        ));
    }
    Ok(())
}

async fn condition(ledger: &Ledger, access: &Access, filter: &AdjustmentFilter) -> DomainResult<Condition> {
    access.require_login("score adjustments")?;
    let mut cond = Condition::all().add(access.unit_owned_condition(adj::Column::UnitId));
    if let Some(c) = filter.campaign_id {
        cond = cond.add(adj::Column::CampaignId.eq(c));
    }
    if let Some(unit) = filter.unit_id {
        let ids = units::unit_or_subtree(&ledger.db, unit, filter.include_subunits).await?;
        cond = cond.add(adj::Column::UnitId.is_in(ids));
    }
    if let Some(status) = filter.status {
        cond = cond.add(adj::Column::Status.eq(status));
    }
    Ok(cond)
}

/// Items of the units in the reader's scope, newest first.
pub async fn list(
    ledger: &Ledger,
    access: &Access,
    filter: &AdjustmentFilter,
    page: PageRequest,
) -> DomainResult<Page<adj::Model>> {
    let cond = condition(ledger, access, filter).await?;
    keyset_page(
        &ledger.db,
        adj::Entity::find().filter(cond),
        adj::Column::CreatedAt,
        adj::Column::Id,
        Order::Desc,
        page,
    )
    .await
}

/// The approved items of the campaign by `t` that the reader may see, by unit.
pub async fn approved_at<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    campaign_id: Uuid,
    t: DateTime<Utc>,
) -> DomainResult<HashMap<Uuid, Vec<adj::Model>>> {
    let rows = adj::Entity::find()
        .filter(access.unit_owned_condition(adj::Column::UnitId))
        .filter(adj::Column::CampaignId.eq(campaign_id))
        .filter(adj::Column::Status.eq(AdjustmentStatus::Approved))
        .filter(adj::Column::DecidedAt.lte(t))
        .all(db)
        .await?;
    let mut by_unit: HashMap<Uuid, Vec<adj::Model>> = HashMap::new();
    for row in rows {
        by_unit.entry(row.unit_id).or_default().push(row);
    }
    Ok(by_unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_hundredths_between_one_hundredth_and_one_hundred() {
        assert_eq!(points_centi(2.5).ok(), Some(250));
        assert_eq!(points_centi(0.01).ok(), Some(1));
        assert_eq!(points_centi(100.0).ok(), Some(10_000));
        for bad in [0.0, -1.0, 100.01, 0.005, 1.234, f64::NAN, f64::INFINITY] {
            assert!(points_centi(bad).is_err(), "{bad}");
        }
    }
}
