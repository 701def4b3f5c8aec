//! Units (单位): the organisation tree.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::unit as db;

use super::audit::{history, AuditEvent};
use super::connection::{connection, page_request, parse_id, parse_opt_id, uuid_cursor, Conn};
use super::enums::UnitKind;
use super::error::{GqlResult, IntoGql};
use super::loaders::ChildrenOf;
use super::measure::{Measure, MeasureUnitRole};
use super::person::Person;
use super::scalars::DateTime;
use super::{ledger, loader, opt_id, request};
use crate::domain::{ledger::measures, org::people, org::units};

/// An organisation node: committee, department, division, township, branch, office.
pub struct Unit(pub db::Model);

impl Unit {
    /// The unit of a link through the request's DataLoader; None for no id or one the reader may not see.
    pub async fn link(ctx: &Context<'_>, id: impl Into<Option<uuid::Uuid>>) -> GqlResult<Option<Self>> {
        match id.into() {
            Some(id) => Ok(super::loader(ctx)
                .load_one(super::loaders::UnitKey(id))
                .await?
                .map(Self)),
            None => Ok(None),
        }
    }
}

#[Object]
impl Unit {
    /// Unique id (UUIDv7).
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Optimistic-concurrency version; pass it as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Full name, e.g. 县水利局.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Short code, unique, e.g. `QS-SLJ`.
    async fn short_code(&self) -> &str {
        &self.0.short_code
    }
    async fn kind(&self) -> UnitKind {
        self.0.kind.into()
    }
    /// Position among siblings.
    async fn sort_order(&self) -> i32 {
        self.0.sort_order
    }
    /// The group the unit is ranked in (县直部门, 乡镇, …); null: its measures count for the
    /// nearest unit above it that has one (a 股室 for its department).
    async fn ranking_category(&self) -> Option<&str> {
        self.0.ranking_category.as_deref()
    }
    /// Archived units stay in history but take no new work.
    async fn archived(&self) -> bool {
        self.0.archived
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// The unit above this one; null for a root.
    async fn parent(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        match self.0.parent_id {
            Some(id) => Unit::link(ctx, id).await,
            None => Ok(None),
        }
    }
    /// Head of the unit (一把手, 第一责任人).
    async fn head(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        Person::link(ctx, self.0.head_id).await
    }
    /// Active subunits, in sort order.
    async fn children(&self, ctx: &Context<'_>) -> GqlResult<Vec<Unit>> {
        let rows = loader(ctx).load_one(ChildrenOf(self.0.id)).await?.unwrap_or_default();
        Ok(rows.into_iter().map(Unit).collect())
    }
    /// People of this unit (and of its subunits with `includeSubunits`).
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_subunits: bool,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Person>> {
        let filter = people::PersonFilter {
            unit_id: Some(self.0.id),
            include_subunits,
            archived: Some(false),
            search: None,
        };
        let page = people::list(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            Default::default(),
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |p| uuid_cursor(&p.id), Person))
    }
    /// Measures this unit leads or cooperates on, by deadline.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn measures(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] role: MeasureUnitRole,
        #[graphql(default = false)] include_subunits: bool,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Measure>> {
        let filter = measures::MeasureFilter {
            unit_id: Some(self.0.id),
            unit_role: role.into(),
            include_subunits,
            ..Default::default()
        };
        let page = measures::list(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            Default::default(),
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |m| uuid_cursor(&m.id), Measure))
    }
    /// Audit events of this unit, newest first.
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

/// Filter of `units`.
#[derive(InputObject, Default)]
pub struct UnitFilter {
    /// Direct children of this unit.
    pub parent_id: Option<ID>,
    /// Only units without a parent.
    #[graphql(default = false)]
    pub roots_only: bool,
    pub kind: Option<UnitKind>,
    /// Archived units or active ones; active ones when omitted.
    #[graphql(default = false)]
    pub archived: bool,
    /// Case-insensitive substring of the name or short code.
    pub search: Option<String>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
#[graphql(remote = "units::UnitOrder")]
pub enum UnitOrderBy {
    #[default]
    SortOrder,
    NameAsc,
    NameDesc,
    CreatedAtAsc,
    CreatedAtDesc,
}

#[derive(Default)]
pub struct UnitQuery;

#[Object]
impl UnitQuery {
    /// Units, filtered and paginated (page size default 20, at most 100).
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn units(
        &self,
        ctx: &Context<'_>,
        filter: Option<UnitFilter>,
        order_by: Option<UnitOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Unit>> {
        let f = filter.unwrap_or_default();
        let filter = units::UnitFilter {
            parent_id: parse_opt_id("filter.parentId", f.parent_id.as_ref())?,
            roots_only: f.roots_only,
            kind: f.kind.map(Into::into),
            archived: Some(f.archived),
            search: f.search,
        };
        let page = units::list(
            ledger(ctx),
            &filter,
            order_by.unwrap_or_default().into(),
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |u| uuid_cursor(&u.id), Unit))
    }
}

#[derive(InputObject)]
pub struct CreateUnitInput {
    /// Full name, 1–200 characters.
    pub name: String,
    /// Unique short code: 1–32 of letters, digits, `-`, `_`, `.`.
    pub short_code: String,
    pub kind: UnitKind,
    /// The unit above; omit for a root.
    pub parent_id: Option<ID>,
    pub sort_order: Option<i32>,
    /// The group the unit is ranked in, 1–50 characters (县直部门, 乡镇, …).
    pub ranking_category: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateUnitInput {
    pub id: ID,
    /// The version you read; a different current version answers CONFLICT.
    pub expected_version: i32,
    pub name: Option<String>,
    pub short_code: Option<String>,
    pub kind: Option<UnitKind>,
    /// New parent; null makes the unit a root. Cycles are refused.
    pub parent_id: async_graphql::MaybeUndefined<ID>,
    /// Head of the unit: a person of this unit; null clears it.
    pub head_id: async_graphql::MaybeUndefined<ID>,
    pub sort_order: Option<i32>,
    /// The group the unit is ranked in; null removes it (the unit then counts for the one
    /// above it).
    pub ranking_category: async_graphql::MaybeUndefined<String>,
}

#[derive(InputObject)]
pub struct ArchiveUnitInput {
    pub id: ID,
    pub expected_version: i32,
    pub reason: Option<String>,
}

/// The unit as saved.
#[derive(SimpleObject)]
pub struct UnitPayload {
    pub unit: Unit,
}

#[derive(Default)]
pub struct UnitMutation;

#[Object]
impl UnitMutation {
    /// Creates a unit under `parentId` (or a root).
    async fn create_unit(&self, ctx: &Context<'_>, input: CreateUnitInput) -> GqlResult<UnitPayload> {
        let new = units::NewUnit {
            name: input.name,
            short_code: input.short_code,
            kind: input.kind.into(),
            parent_id: parse_opt_id("parentId", input.parent_id.as_ref())?,
            sort_order: input.sort_order,
            ranking_category: input.ranking_category,
        };
        let model = units::create(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(UnitPayload { unit: Unit(model) })
    }

    /// Changes a unit's fields; only the fields given change.
    async fn update_unit(&self, ctx: &Context<'_>, input: UpdateUnitInput) -> GqlResult<UnitPayload> {
        let id = parse_id("id", &input.id)?;
        let changes = units::UnitPatch {
            name: input.name,
            short_code: input.short_code,
            kind: input.kind.map(Into::into),
            parent_id: opt_id("parentId", input.parent_id)?,
            head_id: opt_id("headId", input.head_id)?,
            sort_order: input.sort_order,
            ranking_category: match input.ranking_category {
                async_graphql::MaybeUndefined::Undefined => None,
                async_graphql::MaybeUndefined::Null => Some(None),
                async_graphql::MaybeUndefined::Value(c) => Some(Some(c)),
            },
        };
        let model = units::update(ledger(ctx), request(ctx), id, input.expected_version, changes)
            .await
            .gql(ctx)?;
        Ok(UnitPayload { unit: Unit(model) })
    }

    /// Archives a unit (units are never deleted). Refused while it has active subunits.
    async fn archive_unit(&self, ctx: &Context<'_>, input: ArchiveUnitInput) -> GqlResult<UnitPayload> {
        let id = parse_id("id", &input.id)?;
        let model = units::archive(ledger(ctx), request(ctx), id, input.expected_version, input.reason)
            .await
            .gql(ctx)?;
        Ok(UnitPayload { unit: Unit(model) })
    }
}
