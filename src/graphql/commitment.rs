//! Public commitments (公开承诺).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::commitment as db;

use super::audit::{history, AuditEvent};
use super::connection::{connection, page_request, parse_id, parse_opt_id, uuid_cursor, Conn};
use super::error::{GqlResult, IntoGql};
use super::person::Person;
use super::scalars::{Date, DateTime};
use super::unit::Unit;
use super::{ledger, request};
use crate::domain::intake::commitments;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::CommitmentStatus")]
pub enum CommitmentStatus {
    Pledged,
    Fulfilled,
}

/// What a unit and its head pledged in public, by when, and how it was kept.
pub struct Commitment(pub db::Model);

#[Object]
impl Commitment {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn content(&self) -> &str {
        &self.0.content
    }
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }
    async fn status(&self) -> CommitmentStatus {
        self.0.status.into()
    }
    /// Past its date and not kept.
    async fn overdue(&self, ctx: &Context<'_>) -> bool {
        commitments::is_overdue(&self.0, ledger(ctx).today())
    }
    async fn fulfilled_on(&self) -> Option<Date> {
        self.0.fulfilled_on.map(Date)
    }
    async fn fulfilment_note(&self) -> Option<&str> {
        self.0.fulfilment_note.as_deref()
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.unit_id).await
    }
    /// Who pledged it (name and position; contact only within the reader's scope).
    async fn person(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        Person::link(ctx, self.0.person_id).await
    }
    async fn campaign(&self, ctx: &Context<'_>) -> GqlResult<Option<super::campaign::Campaign>> {
        super::campaign::Campaign::link(ctx, self.0.campaign_id).await
    }
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
pub struct CommitmentFilter {
    pub campaign_id: Option<ID>,
    pub unit_id: Option<ID>,
    #[graphql(default = false)]
    pub include_subunits: bool,
    pub status: Option<CommitmentStatus>,
    pub overdue: Option<bool>,
}

#[derive(Default)]
pub struct CommitmentQuery;

#[Object]
impl CommitmentQuery {
    /// Public commitments, by due date; readable without logging in.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn commitments(
        &self,
        ctx: &Context<'_>,
        filter: Option<CommitmentFilter>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Commitment>> {
        let f = filter.unwrap_or_default();
        let filter = commitments::CommitmentFilter {
            campaign_id: parse_opt_id("filter.campaignId", f.campaign_id.as_ref())?,
            unit_id: parse_opt_id("filter.unitId", f.unit_id.as_ref())?,
            include_subunits: f.include_subunits,
            status: f.status.map(Into::into),
            overdue: f.overdue,
        };
        let page = commitments::list(ledger(ctx), &filter, page_request(first, after, offset)?)
            .await
            .gql(ctx)?;
        Ok(connection(page, |c| uuid_cursor(&c.id), Commitment))
    }
}

#[derive(InputObject)]
pub struct MakeCommitmentInput {
    pub campaign_id: ID,
    pub unit_id: ID,
    /// A person of the unit, usually its head.
    pub person_id: Option<ID>,
    /// 1–5000 characters.
    pub content: String,
    /// Not before the campaign starts.
    pub due_on: Date,
}

#[derive(InputObject)]
pub struct FulfilCommitmentInput {
    pub id: ID,
    pub expected_version: i32,
    /// How it was kept.
    pub note: String,
    /// Default today; not in the future.
    pub fulfilled_on: Option<Date>,
}

#[derive(SimpleObject)]
pub struct CommitmentPayload {
    pub commitment: Commitment,
}

#[derive(Default)]
pub struct CommitmentMutation;

#[Object]
impl CommitmentMutation {
    /// Records a public commitment of a unit (EDITOR on the unit).
    async fn make_commitment(&self, ctx: &Context<'_>, input: MakeCommitmentInput) -> GqlResult<CommitmentPayload> {
        let new = commitments::NewCommitment {
            campaign_id: parse_id("campaignId", &input.campaign_id)?,
            unit_id: parse_id("unitId", &input.unit_id)?,
            person_id: parse_opt_id("personId", input.person_id.as_ref())?,
            content: input.content,
            due_on: input.due_on.0,
        };
        let row = commitments::make(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(CommitmentPayload {
            commitment: Commitment(row),
        })
    }

    /// Marks a commitment kept (EDITOR on the unit).
    async fn fulfil_commitment(&self, ctx: &Context<'_>, input: FulfilCommitmentInput) -> GqlResult<CommitmentPayload> {
        let id = parse_id("id", &input.id)?;
        let row = commitments::fulfil(
            ledger(ctx),
            request(ctx),
            id,
            input.expected_version,
            &input.note,
            input.fulfilled_on.map(|d| d.0),
        )
        .await
        .gql(ctx)?;
        Ok(CommitmentPayload {
            commitment: Commitment(row),
        })
    }
}
