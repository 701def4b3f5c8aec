//! Units (单位): the organisation tree. Units are archived, never deleted; the tree has no
//! cycles.

use entity::{enums::UnitKind, person, unit};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, Statement};
use uuid::Uuid;

use crate::domain::access::{Operation, Target};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::page::{keyset_page, text_match, Page, PageRequest};
use crate::domain::store;
use crate::domain::text::{limits, Code, Text};
use crate::domain::Ledger;

pub const ENTITY: &str = "Unit";
const CODE_TAKEN: store::UniqueField<'static> = Some(("shortCode", "shortCode is already used by another unit"));

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub name: String,
    pub short_code: String,
    pub kind: UnitKind,
    pub parent_id: Option<Uuid>,
    pub sort_order: Option<i32>,
    /// The group it is ranked in (县直部门, 乡镇, …); none: ranked with the nearest unit above
    /// it that has one.
    pub ranking_category: Option<String>,
}

/// Fields to change; `None` leaves a field alone, `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct UnitPatch {
    pub name: Option<String>,
    pub short_code: Option<String>,
    pub kind: Option<UnitKind>,
    pub parent_id: Option<Option<Uuid>>,
    pub head_id: Option<Option<Uuid>>,
    pub sort_order: Option<i32>,
    pub ranking_category: Option<Option<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    pub parent_id: Option<Uuid>,
    /// Only units without a parent.
    pub roots_only: bool,
    pub kind: Option<UnitKind>,
    pub archived: Option<bool>,
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnitOrder {
    #[default]
    SortOrder,
    NameAsc,
    NameDesc,
    CreatedAtAsc,
    CreatedAtDesc,
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<unit::Model>> {
    Ok(unit::Entity::find_by_id(id).one(db).await?)
}

/// A unit that exists and is not archived, for use as a reference from `field`.
pub async fn active<C: ConnectionTrait>(db: &C, id: Uuid, field: &str) -> DomainResult<unit::Model> {
    match get(db, id).await? {
        Some(u) if !u.archived => Ok(u),
        Some(u) => Err(DomainError::invalid(
            field,
            format!("{field}: unit {} ({}) is archived", u.name, u.id),
        )),
        None => Err(DomainError::invalid(
            field,
            format!("{field}: unit {id} does not exist"),
        )),
    }
}

pub async fn by_ids<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<unit::Model>> {
    Ok(unit::Entity::find()
        .filter(unit::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

pub async fn children_of<C: ConnectionTrait>(db: &C, parent_ids: &[Uuid]) -> DomainResult<Vec<unit::Model>> {
    Ok(unit::Entity::find()
        .filter(unit::Column::ParentId.is_in(parent_ids.to_vec()))
        .filter(unit::Column::Archived.eq(false))
        .all(db)
        .await?)
}

/// The ids of `root` and all its descendants (one recursive query).
pub async fn subtree_ids<C: ConnectionTrait>(db: &C, root: Uuid) -> DomainResult<Vec<Uuid>> {
    let backend = db.get_database_backend();
    let placeholder = if backend == sea_orm::DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    // UNION (not UNION ALL) stops even if a cycle ever slipped in.
    let sql = format!(
        "WITH RECURSIVE sub(id) AS (SELECT id FROM unit WHERE id = {placeholder} \
         UNION SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id) SELECT id FROM sub"
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [root.into()]))
        .await?;
    rows.iter()
        .map(|row| row.try_get::<Uuid>("", "id").map_err(DomainError::from))
        .collect()
}

/// `unit` alone, or `unit` and all its descendants: what a list filter `unitId` /
/// `includeSubunits` covers.
pub async fn unit_or_subtree<C: ConnectionTrait>(
    db: &C,
    unit: Uuid,
    include_subunits: bool,
) -> DomainResult<Vec<Uuid>> {
    if include_subunits {
        subtree_ids(db, unit).await
    } else {
        Ok(vec![unit])
    }
}

pub async fn list(
    ledger: &Ledger,
    filter: &UnitFilter,
    order: UnitOrder,
    page: PageRequest,
) -> DomainResult<Page<unit::Model>> {
    let mut cond = Condition::all();
    if let Some(parent) = filter.parent_id {
        cond = cond.add(unit::Column::ParentId.eq(parent));
    }
    if filter.roots_only {
        cond = cond.add(unit::Column::ParentId.is_null());
    }
    if let Some(kind) = filter.kind {
        cond = cond.add(unit::Column::Kind.eq(kind));
    }
    if let Some(archived) = filter.archived {
        cond = cond.add(unit::Column::Archived.eq(archived));
    }
    if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        cond = cond.add(text_match(&[unit::Column::Name, unit::Column::ShortCode], search));
    }
    let (sort, dir) = match order {
        UnitOrder::SortOrder => (unit::Column::SortOrder, Order::Asc),
        UnitOrder::NameAsc => (unit::Column::Name, Order::Asc),
        UnitOrder::NameDesc => (unit::Column::Name, Order::Desc),
        UnitOrder::CreatedAtAsc => (unit::Column::CreatedAt, Order::Asc),
        UnitOrder::CreatedAtDesc => (unit::Column::CreatedAt, Order::Desc),
    };
    keyset_page(
        &ledger.db,
        unit::Entity::find().filter(cond),
        sort,
        unit::Column::Id,
        dir,
        page,
    )
    .await
}

async fn ensure_code_free<C: ConnectionTrait>(db: &C, code: &str, except: Option<Uuid>) -> DomainResult<()> {
    let mut query = unit::Entity::find().filter(unit::Column::ShortCode.eq(code));
    if let Some(id) = except {
        query = query.filter(unit::Column::Id.ne(id));
    }
    if query.count(db).await? > 0 {
        return Err(DomainError::invalid(
            "shortCode",
            format!("shortCode {code} is already used by another unit"),
        ));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(short_code = %input.short_code))]
pub async fn create(ledger: &Ledger, ctx: &RequestContext, input: NewUnit) -> DomainResult<unit::Model> {
    let name = Text::parse("name", &input.name, limits::NAME)?;
    let code = Code::parse("shortCode", &input.short_code)?;
    ctx.access
        .require(Operation::ManageUnits, parent_target(&input.parent_id))?;
    let w = ledger.write(ctx).await?;
    if let Some(parent) = input.parent_id {
        active(w.tx(), parent, "parentId").await?;
    }
    ensure_code_free(w.tx(), code.as_str(), None).await?;
    let now = ledger.now();
    let model = unit::Model {
        id: Uuid::now_v7(),
        name: name.into_inner(),
        short_code: code.into_inner(),
        kind: input.kind,
        parent_id: input.parent_id,
        head_id: None,
        sort_order: input.sort_order.unwrap_or(0),
        ranking_category: category(input.ranking_category.as_deref())?,
        archived: false,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.create("unit.create", model, CODE_TAKEN).await?;
    w.commit().await?;
    Ok(saved)
}

#[tracing::instrument(skip_all, fields(unit_id = %id))]
pub async fn update(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    patch: UnitPatch,
) -> DomainResult<unit::Model> {
    let w = ledger.write(ctx).await?;
    let current: unit::Model = w.load(id).await?;
    ctx.access
        .require(Operation::ManageUnits, Target::Units(&[id], "the unit"))?;
    store::check_current(&current, expected_version)?;
    let mut next = current.clone();
    if let Some(name) = patch.name {
        next.name = Text::parse("name", &name, limits::NAME)?.into_inner();
    }
    if let Some(code) = patch.short_code {
        let code = Code::parse("shortCode", &code)?;
        ensure_code_free(w.tx(), code.as_str(), Some(id)).await?;
        next.short_code = code.into_inner();
    }
    if let Some(kind) = patch.kind {
        next.kind = kind;
    }
    if let Some(parent) = patch.parent_id {
        if parent != current.parent_id {
            ctx.access
                .require(Operation::ManageUnits, parent_target(&current.parent_id))?;
            ctx.access.require(Operation::ManageUnits, parent_target(&parent))?;
        }
        if let Some(parent) = parent {
            active(w.tx(), parent, "parentId").await?;
            ensure_no_cycle(w.tx(), id, parent).await?;
        }
        next.parent_id = parent;
    }
    if let Some(head) = patch.head_id {
        if let Some(head) = head {
            ensure_head(w.tx(), id, head).await?;
        }
        next.head_id = head;
    }
    if let Some(sort_order) = patch.sort_order {
        next.sort_order = sort_order;
    }
    if let Some(c) = patch.ranking_category {
        next.ranking_category = category(c.as_deref())?;
    }
    let saved = w.save("unit.update", current, next, None, CODE_TAKEN).await?;
    w.commit().await?;
    Ok(saved)
}

#[tracing::instrument(skip_all, fields(unit_id = %id))]
pub async fn archive(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    reason: Option<String>,
) -> DomainResult<unit::Model> {
    let reason = Text::parse_optional("reason", reason.as_deref(), limits::REASON)?.map(Text::into_inner);
    let w = ledger.write(ctx).await?;
    let current: unit::Model = w.load(id).await?;
    ctx.access
        .require(Operation::ManageUnits, Target::Units(&[id], "the unit"))?;
    store::check_current(&current, expected_version)?;
    let active_children = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(id))
        .filter(unit::Column::Archived.eq(false))
        .count(w.tx())
        .await?;
    if active_children > 0 {
        return Err(DomainError::invalid(
            "id",
            format!(
                "unit {} has {active_children} active subunits; archive or move them first",
                current.name
            ),
        ));
    }
    let saved = w.archive(current, reason.as_deref()).await?;
    w.commit().await?;
    Ok(saved)
}

/// A ranking category, checked: 1–50 characters, or none.
fn category(c: Option<&str>) -> DomainResult<Option<String>> {
    Ok(Text::parse_optional("rankingCategory", c, limits::CATEGORY)?.map(Text::into_inner))
}

/// A unit's parent as the place a change needs rights on: a top-level unit needs them on the
/// whole tree.
fn parent_target(parent: &Option<Uuid>) -> Target<'_> {
    match parent {
        Some(p) => Target::Units(std::slice::from_ref(p), "the parent unit"),
        None => Target::WholeTree,
    }
}

/// Refuses to make `parent` (or any of its ancestors) a child of `id`.
async fn ensure_no_cycle<C: ConnectionTrait>(db: &C, id: Uuid, parent: Uuid) -> DomainResult<()> {
    let mut cursor = Some(parent);
    let mut steps = 0;
    while let Some(current) = cursor {
        if current == id {
            return Err(DomainError::invalid(
                "parentId",
                "parentId would make the unit its own ancestor (a cycle in the unit tree)",
            ));
        }
        steps += 1;
        if steps > 10_000 {
            return Err(DomainError::Internal("unit tree deeper than 10000 levels".to_owned()));
        }
        cursor = get(db, current).await?.and_then(|u| u.parent_id);
    }
    Ok(())
}

async fn ensure_head<C: ConnectionTrait>(db: &C, unit_id: Uuid, head: Uuid) -> DomainResult<()> {
    match person::Entity::find_by_id(head).one(db).await? {
        None => Err(DomainError::invalid(
            "headId",
            format!("headId: person {head} does not exist"),
        )),
        Some(p) if p.archived => Err(DomainError::invalid(
            "headId",
            format!("headId: person {} is archived", p.name),
        )),
        Some(p) if p.unit_id != unit_id => Err(DomainError::invalid(
            "headId",
            format!("headId: {} is not a person of this unit", p.name),
        )),
        Some(_) => Ok(()),
    }
}
