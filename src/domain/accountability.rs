//! Accountability (问责): who was held accountable, how (约谈, 通报批评, 诫勉谈话, 责令检查,
//! 组织处理, 纪律处分, 一票否决), on what basis (a problem, a measure, a supervision action or a
//! bulletin of the campaign), by which body and document (文号), on which day — "打板子也得能找到
//! 人". Recorded and revoked (撤销, with a reason) by the 纪委's DISCIPLINE role within its scope;
//! never deleted. A 一票否决 in force ranks its unit last of its category (`reporting::ranking`);
//! bulletins name the records of their period (`reporting::bulletins`).
//!
//! A record changes once at most (its revocation, which stamps `revoked_at`), so the table
//! answers "as of an instant" by itself: created by then and not revoked by then.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use entity::accountability as acc;
use entity::enums::AccountabilityKind;
use entity::{bulletin, supervision_action as sa};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::access::{Access, Operation, Target};
use super::context::RequestContext;
use super::error::{DomainError, DomainResult};
use super::page::{keyset_page, Page, PageRequest};
use super::store::{self, Versioned};
use super::text::{limits, Text};
use super::{ledger::campaigns, ledger::measures, ledger::problems, org::people, org::units, Ledger};

pub const ENTITY: &str = acc::Model::ENTITY;

/// The longest document number (文号) kept.
pub const DOCUMENT_NUMBER_MAX: usize = 100;

/// Who is held accountable: a unit, or a person (recorded under the person's unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Unit(Uuid),
    Person(Uuid),
}

/// What the decision rests on; at least one is named, all of the same campaign.
#[derive(Debug, Clone, Default)]
pub struct Basis {
    pub problem_id: Option<Uuid>,
    pub measure_id: Option<Uuid>,
    pub supervision_action_id: Option<Uuid>,
    pub bulletin_id: Option<Uuid>,
}

#[derive(Debug, Clone)]
pub struct NewAccountability {
    pub campaign_id: Uuid,
    pub kind: AccountabilityKind,
    pub subject: Subject,
    pub basis: Basis,
    pub facts: String,
    pub deciding_body: String,
    pub document_number: String,
    pub decided_on: NaiveDate,
}

#[derive(Debug, Clone, Default)]
pub struct AccountabilityFilter {
    pub campaign_id: Option<Uuid>,
    /// Records of this unit (with `include_subunits`, of its subtree too), persons' included.
    pub unit_id: Option<Uuid>,
    pub include_subunits: bool,
    pub person_id: Option<Uuid>,
    pub kind: Option<AccountabilityKind>,
    /// true: not revoked; false: revoked.
    pub in_force: Option<bool>,
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<acc::Model>> {
    Ok(acc::Entity::find_by_id(id).one(db).await?)
}

/// Records a decision (DISCIPLINE on the subject's unit). Audited as `accountability.record`.
#[tracing::instrument(skip_all, fields(campaign_id = %input.campaign_id))]
pub async fn record(ledger: &Ledger, ctx: &RequestContext, input: NewAccountability) -> DomainResult<acc::Model> {
    let texts = check_input(ledger, &input)?;
    let w = ledger.write(ctx).await?;
    let unit_id = subject_unit(w.tx(), input.subject).await?;
    may_hold_accountable(&ctx.access, unit_id)?;
    campaigns::get(w.tx(), input.campaign_id).await?.ok_or_else(|| {
        DomainError::invalid(
            "campaignId",
            format!("campaignId: campaign {} does not exist", input.campaign_id),
        )
    })?;
    check_basis(w.tx(), input.campaign_id, &input.basis).await?;
    let now = w.now();
    let row = acc::Model {
        id: Uuid::now_v7(),
        campaign_id: input.campaign_id,
        kind: input.kind,
        subject_unit_id: unit_id,
        subject_person_id: match input.subject {
            Subject::Person(p) => Some(p),
            Subject::Unit(_) => None,
        },
        problem_id: input.basis.problem_id,
        measure_id: input.basis.measure_id,
        supervision_action_id: input.basis.supervision_action_id,
        bulletin_id: input.basis.bulletin_id,
        facts: texts.facts,
        deciding_body: texts.deciding_body,
        document_number: texts.document_number,
        decided_on: input.decided_on,
        recorded_by: ctx.actor.id.clone(),
        recorder_name: ctx.actor.display_name.clone(),
        revoked_at: None,
        revoker_name: None,
        revoke_reason: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.create("accountability.record", row, None).await?;
    w.commit().await?;
    Ok(saved)
}

/// Whether the request may record or revoke accountability of (a person of) `unit`:
/// DISCIPLINE on it.
pub fn may_hold_accountable(access: &Access, unit: Uuid) -> DomainResult<()> {
    access.require(
        Operation::HoldAccountable,
        Target::Units(&[unit], "the unit held accountable"),
    )
}

/// The validated texts of a new record.
struct Texts {
    facts: String,
    deciding_body: String,
    document_number: String,
}

/// What can be refused before anything is read: the texts, the date, the subject's form, the
/// basis named.
fn check_input(ledger: &Ledger, input: &NewAccountability) -> DomainResult<Texts> {
    let texts = Texts {
        facts: Text::parse("facts", &input.facts, limits::LONG_TEXT)?.into_inner(),
        deciding_body: Text::parse("decidingBody", &input.deciding_body, limits::NAME)?.into_inner(),
        document_number: Text::parse("documentNumber", &input.document_number, DOCUMENT_NUMBER_MAX)?.into_inner(),
    };
    let today = ledger.today();
    if input.decided_on > today {
        return Err(DomainError::invalid(
            "decidedOn",
            format!("decidedOn must not be after today ({today}): record a decision once it is taken"),
        ));
    }
    if input.kind == AccountabilityKind::OneVoteVeto && matches!(input.subject, Subject::Person(_)) {
        return Err(DomainError::invalid(
            "subjectPersonId",
            "a 一票否决 (ONE_VOTE_VETO) is of a unit: give subjectUnitId",
        ));
    }
    let b = &input.basis;
    if b.problem_id.is_none() && b.measure_id.is_none() && b.supervision_action_id.is_none() && b.bulletin_id.is_none()
    {
        return Err(DomainError::invalid(
            "problemId",
            "name the basis of the decision: problemId, measureId, supervisionActionId or bulletinId",
        ));
    }
    Ok(texts)
}

/// The unit a record is filed under: the unit itself (not archived), or the person's unit.
async fn subject_unit<C: ConnectionTrait>(db: &C, subject: Subject) -> DomainResult<Uuid> {
    match subject {
        Subject::Unit(id) => Ok(units::active(db, id, "subjectUnitId").await?.id),
        Subject::Person(id) => people::get(db, id).await?.map(|p| p.unit_id).ok_or_else(|| {
            DomainError::invalid(
                "subjectPersonId",
                format!("subjectPersonId: person {id} does not exist"),
            )
        }),
    }
}

/// Refuses `field` unless `ok`: the basis it names is a record of the campaign.
fn in_campaign(field: &str, ok: bool) -> DomainResult<()> {
    if ok {
        return Ok(());
    }
    Err(DomainError::invalid(
        field,
        format!("{field} does not name a record of campaignId"),
    ))
}

/// Every basis named exists and belongs to the campaign (a measure also to the problem named).
async fn check_basis<C: ConnectionTrait>(db: &C, campaign_id: Uuid, basis: &Basis) -> DomainResult<()> {
    if let Some(id) = basis.problem_id {
        let problem = problems::get(db, id).await?;
        in_campaign("problemId", problem.is_some_and(|p| p.campaign_id == campaign_id))?;
    }
    if let Some(id) = basis.measure_id {
        let measure = measures::get(db, id).await?;
        let problem = match &measure {
            Some(m) => problems::get(db, m.problem_id).await?,
            None => None,
        };
        in_campaign("measureId", problem.is_some_and(|p| p.campaign_id == campaign_id))?;
        if basis
            .problem_id
            .is_some_and(|p| measure.is_some_and(|m| m.problem_id != p))
        {
            return Err(DomainError::invalid(
                "measureId",
                "measureId is not a measure of problemId",
            ));
        }
    }
    if let Some(id) = basis.supervision_action_id {
        let action = sa::Entity::find_by_id(id).one(db).await?;
        let problem = match action.as_ref().and_then(|a| a.problem_id) {
            Some(p) => problems::get(db, p).await?.map(|p| p.campaign_id == campaign_id),
            // An action about nothing in particular counts in every campaign, as in rankings.
            None => action.as_ref().map(|_| true),
        };
        in_campaign("supervisionActionId", problem == Some(true))?;
    }
    if let Some(id) = basis.bulletin_id {
        let b = bulletin::Entity::find_by_id(id).one(db).await?;
        in_campaign("bulletinId", b.is_some_and(|b| b.campaign_id == campaign_id))?;
    }
    Ok(())
}

/// Revokes a decision (撤销), with a reason (DISCIPLINE on the subject's unit). The row keeps
/// what was decided; `revokedAt` says since when it no longer stands. Audited as
/// `accountability.revoke`.
#[tracing::instrument(skip_all, fields(accountability_id = %id))]
pub async fn revoke(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    reason: &str,
) -> DomainResult<acc::Model> {
    let reason = Text::parse("reason", reason, limits::REASON)?.into_inner();
    let w = ledger.write(ctx).await?;
    let current: acc::Model = get(w.tx(), id)
        .await?
        .ok_or_else(|| DomainError::not_found(ENTITY, id))?;
    may_revoke(&ctx.access, &current)?;
    store::check_current(&current, expected_version)?;
    let next = acc::Model {
        revoked_at: Some(w.now()),
        revoker_name: Some(ctx.actor.display_name.clone()),
        revoke_reason: Some(reason.clone()),
        ..current.clone()
    };
    let saved = w
        .save("accountability.revoke", current, next, Some(&reason), None)
        .await?;
    w.commit().await?;
    Ok(saved)
}

/// Whether the request may revoke `row` now: DISCIPLINE on its unit, and still in force.
/// [`revoke`] checks this; `Accountability.viewerCanRevoke` asks it.
pub fn may_revoke(access: &Access, row: &acc::Model) -> DomainResult<()> {
    may_hold_accountable(access, row.subject_unit_id)?;
    if row.revoked_at.is_some() {
        return Err(DomainError::invalid("id", "this decision has already been revoked"));
    }
    Ok(())
}

async fn condition(ledger: &Ledger, access: &Access, filter: &AccountabilityFilter) -> DomainResult<Condition> {
    access.require_login("accountability")?;
    // The rights first, ANDed with every filter.
    let mut cond = Condition::all().add(access.accountability_condition());
    if let Some(c) = filter.campaign_id {
        cond = cond.add(acc::Column::CampaignId.eq(c));
    }
    if let Some(unit) = filter.unit_id {
        let ids = units::unit_or_subtree(&ledger.db, unit, filter.include_subunits).await?;
        cond = cond.add(acc::Column::SubjectUnitId.is_in(ids));
    }
    if let Some(p) = filter.person_id {
        cond = cond.add(acc::Column::SubjectPersonId.eq(p));
    }
    if let Some(kind) = filter.kind {
        cond = cond.add(acc::Column::Kind.eq(kind));
    }
    if let Some(in_force) = filter.in_force {
        cond = cond.add(if in_force {
            acc::Column::RevokedAt.is_null()
        } else {
            acc::Column::RevokedAt.is_not_null()
        });
    }
    Ok(cond)
}

/// Records, newest first.
pub async fn list(
    ledger: &Ledger,
    access: &Access,
    filter: &AccountabilityFilter,
    page: PageRequest,
) -> DomainResult<Page<acc::Model>> {
    let cond = condition(ledger, access, filter).await?;
    keyset_page(
        &ledger.db,
        acc::Entity::find().filter(cond),
        acc::Column::CreatedAt,
        acc::Column::Id,
        Order::Desc,
        page,
    )
    .await
}

/// Whether a record stood at `t`: recorded by then and not revoked by then.
pub fn in_force_at(row: &acc::Model, t: DateTime<Utc>) -> bool {
    row.created_at <= t && row.revoked_at.is_none_or(|r| r > t)
}

/// The campaign's records as they stood at `t` that the reader may see, recorded within
/// `[from, t]` (from the first when `from` is None), oldest decision first.
pub async fn of_campaign_at<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    campaign_id: Uuid,
    from: Option<DateTime<Utc>>,
    t: DateTime<Utc>,
) -> DomainResult<Vec<acc::Model>> {
    let mut query = acc::Entity::find()
        .filter(access.accountability_condition())
        .filter(acc::Column::CampaignId.eq(campaign_id))
        .filter(acc::Column::CreatedAt.lte(t));
    if let Some(from) = from {
        query = query.filter(acc::Column::CreatedAt.gte(from));
    }
    let rows = query
        .order_by_asc(acc::Column::DecidedOn)
        .order_by_asc(acc::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter(|r| in_force_at(r, t)).collect())
}

/// The units under a 一票否决 of the campaign in force at `t`, as the reader sees them.
pub async fn vetoed_units<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    campaign_id: Uuid,
    t: DateTime<Utc>,
) -> DomainResult<HashSet<Uuid>> {
    Ok(of_campaign_at(db, access, campaign_id, None, t)
        .await?
        .into_iter()
        .filter(|r| r.kind == AccountabilityKind::OneVoteVeto)
        .map(|r| r.subject_unit_id)
        .collect())
}
