//! People of units.

use async_graphql::{Context, Enum, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use entity::person as db;

use super::audit::{history, AuditEvent};
use super::connection::{connection, page_request, parse_id, parse_opt_id, uuid_cursor, Conn};
use super::error::{GqlResult, IntoGql};
use super::measure::Measure;
use super::scalars::DateTime;
use super::unit::Unit;
use super::{ledger, patch, request};
use crate::domain::{ledger::measures, org::people};

/// A person: head of a unit, responsible leader (分管领导) or responsible person (责任人).
pub struct Person(pub db::Model);

impl Person {
    /// The person of a link through the request's DataLoader; None for no id or one the reader may not see.
    pub async fn link(ctx: &Context<'_>, id: impl Into<Option<uuid::Uuid>>) -> GqlResult<Option<Self>> {
        match id.into() {
            Some(id) => Ok(super::loader(ctx)
                .load_one(super::loaders::PersonKey(id))
                .await?
                .map(Self)),
            None => Ok(None),
        }
    }
}

#[Object]
impl Person {
    /// Unique id (UUIDv7).
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Position or title, e.g. 副局长.
    async fn position(&self) -> Option<&str> {
        self.0.position.as_deref()
    }
    /// Contact details: personal, so null unless the person's unit is in the reader's scope
    /// (never shown to anonymous readers).
    async fn contact(&self, ctx: &Context<'_>) -> Option<&str> {
        if request(ctx).access.reads_personal_details(&self.0) {
            self.0.contact.as_deref()
        } else {
            None
        }
    }
    async fn archived(&self) -> bool {
        self.0.archived
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// The unit the person belongs to.
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.unit_id).await
    }
    /// Measures this person is directly responsible for, by deadline.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn measures(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        offset: Option<i32>,
    ) -> GqlResult<Conn<Measure>> {
        let filter = measures::MeasureFilter {
            responsible_person_id: Some(self.0.id),
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
    /// Audit events of this person, newest first.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Conn<AuditEvent>> {
        request(ctx).access.require_person_history(&self.0).gql(ctx)?;
        history(ctx, self.0.id, first, after).await
    }
}

#[derive(InputObject, Default)]
pub struct PersonFilter {
    pub unit_id: Option<ID>,
    /// With `unitId`: people of its subunits too.
    #[graphql(default = false)]
    pub include_subunits: bool,
    /// Archived people or active ones; active ones when omitted.
    #[graphql(default = false)]
    pub archived: bool,
    /// Case-insensitive substring of the name or position.
    pub search: Option<String>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
#[graphql(remote = "people::PersonOrder")]
pub enum PersonOrderBy {
    #[default]
    NameAsc,
    NameDesc,
    CreatedAtAsc,
    CreatedAtDesc,
}

#[derive(Default)]
pub struct PersonQuery;

#[Object]
impl PersonQuery {
    /// People, filtered and paginated.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        filter: Option<PersonFilter>,
        order_by: Option<PersonOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Person>> {
        let f = filter.unwrap_or_default();
        let filter = people::PersonFilter {
            unit_id: parse_opt_id("filter.unitId", f.unit_id.as_ref())?,
            include_subunits: f.include_subunits,
            archived: Some(f.archived),
            search: f.search,
        };
        let page = people::list(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            order_by.unwrap_or_default().into(),
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |p| uuid_cursor(&p.id), Person))
    }
}

#[derive(InputObject)]
pub struct CreatePersonInput {
    /// 1–100 characters.
    pub name: String,
    pub unit_id: ID,
    pub position: Option<String>,
    pub contact: Option<String>,
}

#[derive(InputObject)]
pub struct UpdatePersonInput {
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<String>,
    pub unit_id: Option<ID>,
    pub position: MaybeUndefined<String>,
    pub contact: MaybeUndefined<String>,
}

#[derive(InputObject)]
pub struct ArchivePersonInput {
    pub id: ID,
    pub expected_version: i32,
    pub reason: Option<String>,
}

/// The person as saved.
#[derive(SimpleObject)]
pub struct PersonPayload {
    pub person: Person,
}

#[derive(Default)]
pub struct PersonMutation;

#[Object]
impl PersonMutation {
    async fn create_person(&self, ctx: &Context<'_>, input: CreatePersonInput) -> GqlResult<PersonPayload> {
        let new = people::NewPerson {
            name: input.name,
            unit_id: parse_id("unitId", &input.unit_id)?,
            position: input.position,
            contact: input.contact,
        };
        let model = people::create(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(PersonPayload { person: Person(model) })
    }

    async fn update_person(&self, ctx: &Context<'_>, input: UpdatePersonInput) -> GqlResult<PersonPayload> {
        let id = parse_id("id", &input.id)?;
        let changes = people::PersonPatch {
            name: input.name,
            unit_id: parse_opt_id("unitId", input.unit_id.as_ref())?,
            position: patch(input.position),
            contact: patch(input.contact),
        };
        let model = people::update(ledger(ctx), request(ctx), id, input.expected_version, changes)
            .await
            .gql(ctx)?;
        Ok(PersonPayload { person: Person(model) })
    }

    /// Archives a person (people are never deleted: history names them).
    async fn archive_person(&self, ctx: &Context<'_>, input: ArchivePersonInput) -> GqlResult<PersonPayload> {
        let id = parse_id("id", &input.id)?;
        let model = people::archive(ledger(ctx), request(ctx), id, input.expected_version, input.reason)
            .await
            .gql(ctx)?;
        Ok(PersonPayload { person: Person(model) })
    }
}
