//! Deadline extensions (延期申请) over GraphQL.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::deadline_extension as db;

use super::connection::parse_id;
use super::error::{GqlResult, IntoGql};
use super::measure::Measure;
use super::scalars::{Date, DateTime};
use super::{ledger, request};
use crate::domain::lifecycle::extensions;

/// A request to move a measure's deadline, and its decision.
pub struct DeadlineExtension(pub db::Model);

#[Object]
impl DeadlineExtension {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The deadline when the request was made.
    async fn previous_deadline(&self) -> Date {
        Date(self.0.previous_deadline)
    }
    async fn requested_deadline(&self) -> Date {
        Date(self.0.requested_deadline)
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    async fn status(&self) -> ExtensionStatus {
        self.0.status.into()
    }
    async fn requester_name(&self) -> &str {
        &self.0.requester_name
    }
    async fn requested_at(&self) -> DateTime {
        DateTime(self.0.requested_at)
    }
    async fn decider_name(&self) -> Option<&str> {
        self.0.decider_name.as_deref()
    }
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(DateTime)
    }
    async fn decision_comment(&self) -> Option<&str> {
        self.0.decision_comment.as_deref()
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::ExtensionStatus")]
pub enum ExtensionStatus {
    /// Waiting for a decision.
    Pending,
    /// Approved (an earlier deadline is approved at once).
    Approved,
    Rejected,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ExtensionDecision {
    Approve,
    Reject,
}

#[derive(InputObject)]
pub struct RequestDeadlineExtensionInput {
    /// The measure.
    pub id: ID,
    pub expected_version: i32,
    /// An earlier date takes effect at once; a later one waits for a decision.
    pub new_deadline: Date,
    /// Required.
    pub reason: String,
}

#[derive(InputObject)]
pub struct DecideDeadlineExtensionInput {
    /// The extension request.
    pub id: ID,
    pub decision: ExtensionDecision,
    pub comment: Option<String>,
}

#[derive(SimpleObject)]
pub struct DeadlineExtensionPayload {
    pub extension: DeadlineExtension,
    /// The measure as it is now (its deadline changed if the extension took effect).
    pub measure: Measure,
}

impl From<extensions::Outcome> for DeadlineExtensionPayload {
    fn from(o: extensions::Outcome) -> Self {
        Self {
            extension: DeadlineExtension(o.extension),
            measure: Measure(o.measure),
        }
    }
}

#[derive(Default)]
pub struct ExtensionMutation;

#[Object]
impl ExtensionMutation {
    /// Asks to move a measure's deadline (只能提前，不能推后: later needs approval).
    async fn request_deadline_extension(
        &self,
        ctx: &Context<'_>,
        input: RequestDeadlineExtensionInput,
    ) -> GqlResult<DeadlineExtensionPayload> {
        let id = parse_id("id", &input.id)?;
        let outcome = extensions::request(
            ledger(ctx),
            request(ctx),
            id,
            input.expected_version,
            input.new_deadline.0,
            &input.reason,
        )
        .await
        .gql(ctx)?;
        Ok(outcome.into())
    }

    /// Approves or rejects a pending request; not by the requester (FORBIDDEN).
    async fn decide_deadline_extension(
        &self,
        ctx: &Context<'_>,
        input: DecideDeadlineExtensionInput,
    ) -> GqlResult<DeadlineExtensionPayload> {
        let id = parse_id("id", &input.id)?;
        let approve = input.decision == ExtensionDecision::Approve;
        let outcome = extensions::decide(ledger(ctx), request(ctx), id, approve, input.comment.as_deref())
            .await
            .gql(ctx)?;
        Ok(outcome.into())
    }
}
