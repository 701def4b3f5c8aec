//! Public commitments (公开承诺, 承诺制): a unit and its head pledge something by a date, in
//! public, and the pledge is tracked until it is kept. Commitments are public: anyone reads
//! them; a unit's EDITOR records and fulfils its own.

use chrono::NaiveDate;
use entity::commitment;
use entity::enums::CommitmentStatus;
use sea_orm::{ColumnTrait, Condition, EntityTrait, Order, QueryFilter};
use uuid::Uuid;

use crate::domain::access::{Operation, Target};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::page::{keyset_page, Page, PageRequest};
use crate::domain::text::{limits, Text};
use crate::domain::{ledger::campaigns, org::people, org::units, store, Ledger};

#[derive(Debug, Clone)]
pub struct NewCommitment {
    pub campaign_id: Uuid,
    pub unit_id: Uuid,
    pub person_id: Option<Uuid>,
    pub content: String,
    pub due_on: NaiveDate,
}

/// Records a pledge of a unit (EDITOR on the unit); the person, if named, must belong to it.
#[tracing::instrument(skip_all, fields(unit_id = %input.unit_id))]
pub async fn make(ledger: &Ledger, ctx: &RequestContext, input: NewCommitment) -> DomainResult<commitment::Model> {
    ctx.access
        .require(Operation::EditLedger, Target::Units(&[input.unit_id], "the unit"))?;
    let content = Text::parse("content", &input.content, limits::LONG_TEXT)?.into_inner();
    let w = ledger.write(ctx).await?;
    let campaign = campaigns::get(w.tx(), input.campaign_id)
        .await?
        .ok_or_else(|| DomainError::invalid("campaignId", format!("campaign {} does not exist", input.campaign_id)))?;
    if input.due_on < campaign.starts_on {
        return Err(DomainError::invalid(
            "dueOn",
            format!("dueOn must not be before the campaign starts ({})", campaign.starts_on),
        ));
    }
    units::active(w.tx(), input.unit_id, "unitId").await?;
    if let Some(person) = input.person_id {
        let p = people::active(w.tx(), person, "personId").await?;
        if p.unit_id != input.unit_id {
            return Err(DomainError::invalid(
                "personId",
                format!("personId: {} is not a person of this unit", p.name),
            ));
        }
    }
    let now = ledger.now();
    let row = commitment::Model {
        id: Uuid::now_v7(),
        campaign_id: input.campaign_id,
        unit_id: input.unit_id,
        person_id: input.person_id,
        content,
        due_on: input.due_on,
        status: CommitmentStatus::Pledged,
        fulfilled_on: None,
        fulfilment_note: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.create("commitment.create", row, None).await?;
    w.commit().await?;
    Ok(saved)
}

/// Marks a pledge kept, with a note on how (default date today; not in the future).
#[tracing::instrument(skip_all, fields(commitment_id = %id))]
pub async fn fulfil(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    note: &str,
    fulfilled_on: Option<NaiveDate>,
) -> DomainResult<commitment::Model> {
    let note = Text::parse("note", note, limits::LONG_TEXT)?.into_inner();
    let today = ledger.today();
    let fulfilled_on = fulfilled_on.unwrap_or(today);
    crate::domain::not_future("fulfilledOn", fulfilled_on, today)?;
    let w = ledger.write(ctx).await?;
    let current: commitment::Model = w.load(id).await?;
    ctx.access
        .require(Operation::EditLedger, Target::Units(&[current.unit_id], "the unit"))?;
    store::check_current(&current, expected_version)?;
    if current.status == CommitmentStatus::Fulfilled {
        return Err(DomainError::invalid("id", "this commitment is already fulfilled"));
    }
    let mut next = current.clone();
    next.status = CommitmentStatus::Fulfilled;
    next.fulfilled_on = Some(fulfilled_on);
    next.fulfilment_note = Some(note);
    let saved = w.save("commitment.fulfil", current, next, None, None).await?;
    w.commit().await?;
    Ok(saved)
}

/// Past its date and not kept.
pub fn is_overdue(c: &commitment::Model, today: NaiveDate) -> bool {
    c.status == CommitmentStatus::Pledged && c.due_on < today
}

#[derive(Debug, Clone, Default)]
pub struct CommitmentFilter {
    pub campaign_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub include_subunits: bool,
    pub status: Option<CommitmentStatus>,
    pub overdue: Option<bool>,
}

/// Commitments by due date (public).
pub async fn list(
    ledger: &Ledger,
    filter: &CommitmentFilter,
    page: PageRequest,
) -> DomainResult<Page<commitment::Model>> {
    let mut cond = Condition::all();
    if let Some(c) = filter.campaign_id {
        cond = cond.add(commitment::Column::CampaignId.eq(c));
    }
    if let Some(unit) = filter.unit_id {
        let ids = units::unit_or_subtree(&ledger.db, unit, filter.include_subunits).await?;
        cond = cond.add(commitment::Column::UnitId.is_in(ids));
    }
    if let Some(status) = filter.status {
        cond = cond.add(commitment::Column::Status.eq(status));
    }
    if let Some(overdue) = filter.overdue {
        let late = Condition::all()
            .add(commitment::Column::Status.eq(CommitmentStatus::Pledged))
            .add(commitment::Column::DueOn.lt(ledger.today()));
        cond = cond.add(if overdue { late } else { late.not() });
    }
    keyset_page(
        &ledger.db,
        commitment::Entity::find().filter(cond),
        commitment::Column::DueOn,
        commitment::Column::Id,
        Order::Asc,
        page,
    )
    .await
}

pub async fn get<C: sea_orm::ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<commitment::Model>> {
    Ok(commitment::Entity::find_by_id(id).one(db).await?)
}
