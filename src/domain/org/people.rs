//! People (人员) of units: the heads, responsible leaders and responsible persons.

use entity::person;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter};
use uuid::Uuid;

use crate::domain::access::{Access, Operation, Target};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::page::{keyset_page, text_match, Page, PageRequest};
use crate::domain::text::{limits, Text};
use crate::domain::{org::units, store, Ledger};

pub const ENTITY: &str = "Person";

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub unit_id: Uuid,
    pub position: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PersonPatch {
    pub name: Option<String>,
    pub unit_id: Option<Uuid>,
    pub position: Option<Option<String>>,
    pub contact: Option<Option<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub unit_id: Option<Uuid>,
    pub include_subunits: bool,
    pub archived: Option<bool>,
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PersonOrder {
    #[default]
    NameAsc,
    NameDesc,
    CreatedAtAsc,
    CreatedAtDesc,
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<person::Model>> {
    Ok(person::Entity::find_by_id(id).one(db).await?)
}

/// A person who exists and is not archived, referenced from `field`.
pub async fn active<C: ConnectionTrait>(db: &C, id: Uuid, field: &str) -> DomainResult<person::Model> {
    match get(db, id).await? {
        Some(p) if !p.archived => Ok(p),
        Some(p) => Err(DomainError::invalid(
            field,
            format!("{field}: person {} is archived", p.name),
        )),
        None => Err(DomainError::invalid(
            field,
            format!("{field}: person {id} does not exist"),
        )),
    }
}

pub async fn by_ids<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<person::Model>> {
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

pub async fn list(
    ledger: &Ledger,
    access: &Access,
    filter: &PersonFilter,
    order: PersonOrder,
    page: PageRequest,
) -> DomainResult<Page<person::Model>> {
    access.require_login("the list of people")?;
    // The rights come first and are ANDed with every filter below.
    let mut cond = Condition::all().add(access.person_condition());
    if let Some(unit) = filter.unit_id {
        let ids = units::unit_or_subtree(&ledger.db, unit, filter.include_subunits).await?;
        cond = cond.add(person::Column::UnitId.is_in(ids));
    }
    if let Some(archived) = filter.archived {
        cond = cond.add(person::Column::Archived.eq(archived));
    }
    if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        cond = cond.add(text_match(&[person::Column::Name, person::Column::Position], search));
    }
    let (sort, dir) = match order {
        PersonOrder::NameAsc => (person::Column::Name, Order::Asc),
        PersonOrder::NameDesc => (person::Column::Name, Order::Desc),
        PersonOrder::CreatedAtAsc => (person::Column::CreatedAt, Order::Asc),
        PersonOrder::CreatedAtDesc => (person::Column::CreatedAt, Order::Desc),
    };
    keyset_page(
        &ledger.db,
        person::Entity::find().filter(cond),
        sort,
        person::Column::Id,
        dir,
        page,
    )
    .await
}

fn optional(field: &str, value: Option<&str>, max: usize) -> DomainResult<Option<String>> {
    Ok(Text::parse_optional(field, value, max)?.map(Text::into_inner))
}

#[tracing::instrument(skip_all)]
pub async fn create(ledger: &Ledger, ctx: &RequestContext, input: NewPerson) -> DomainResult<person::Model> {
    let name = Text::parse("name", &input.name, limits::PERSON_NAME)?.into_inner();
    let position = optional("position", input.position.as_deref(), limits::POSITION)?;
    let contact = optional("contact", input.contact.as_deref(), limits::CONTACT)?;
    ctx.access.require(
        Operation::EditPeople,
        Target::Units(&[input.unit_id], "the person's unit"),
    )?;
    let w = ledger.write(ctx).await?;
    units::active(w.tx(), input.unit_id, "unitId").await?;
    let now = ledger.now();
    let model = person::Model {
        id: Uuid::now_v7(),
        name,
        unit_id: input.unit_id,
        position,
        contact,
        archived: false,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.create("person.create", model, None).await?;
    w.commit().await?;
    Ok(saved)
}

#[tracing::instrument(skip_all, fields(person_id = %id))]
pub async fn update(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    patch: PersonPatch,
) -> DomainResult<person::Model> {
    let w = ledger.write(ctx).await?;
    let current: person::Model = w.load(id).await?;
    ctx.access.require(
        Operation::EditPeople,
        Target::Units(&[current.unit_id], "the person's unit"),
    )?;
    store::check_current(&current, expected_version)?;
    let mut next = current.clone();
    if let Some(name) = patch.name {
        next.name = Text::parse("name", &name, limits::PERSON_NAME)?.into_inner();
    }
    if let Some(unit) = patch.unit_id {
        ctx.access
            .require(Operation::EditPeople, Target::Units(&[unit], "the new unit"))?;
        units::active(w.tx(), unit, "unitId").await?;
        if unit != current.unit_id {
            ensure_not_head(w.tx(), id, "unitId").await?;
        }
        next.unit_id = unit;
    }
    if let Some(position) = patch.position {
        next.position = optional("position", position.as_deref(), limits::POSITION)?;
    }
    if let Some(contact) = patch.contact {
        next.contact = optional("contact", contact.as_deref(), limits::CONTACT)?;
    }
    let saved = w.save("person.update", current, next, None, None).await?;
    w.commit().await?;
    Ok(saved)
}

#[tracing::instrument(skip_all, fields(person_id = %id))]
pub async fn archive(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    reason: Option<String>,
) -> DomainResult<person::Model> {
    let reason = optional("reason", reason.as_deref(), limits::REASON)?;
    let w = ledger.write(ctx).await?;
    let current: person::Model = w.load(id).await?;
    ctx.access.require(
        Operation::EditPeople,
        Target::Units(&[current.unit_id], "the person's unit"),
    )?;
    store::check_current(&current, expected_version)?;
    ensure_not_head(w.tx(), id, "id").await?;
    let saved = w.archive(current, reason.as_deref()).await?;
    w.commit().await?;
    Ok(saved)
}

/// The head of a unit must stay a person of that unit: moving or archiving them first needs
/// a new head (or none) on the unit.
async fn ensure_not_head<C: ConnectionTrait>(db: &C, id: Uuid, field: &str) -> DomainResult<()> {
    let headed = entity::unit::Entity::find()
        .filter(entity::unit::Column::HeadId.eq(id))
        .one(db)
        .await?;
    match headed {
        Some(unit) => Err(DomainError::invalid(
            field,
            format!("this person is the head of {}; change the unit's head first", unit.name),
        )),
        None => Ok(()),
    }
}
