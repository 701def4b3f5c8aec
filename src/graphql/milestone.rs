//! Milestones (时间节点) of a measure.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use entity::milestone as db;

use super::audit::{history, AuditEvent};
use super::connection::{parse_id, Conn};
use super::error::{GqlResult, IntoGql};
use super::loaders::MeasureKey;
use super::measure::Measure;
use super::scalars::{Date, DateTime};
use super::{ledger, loader, request};
use crate::domain::ledger::milestones;

/// A dated step of a measure; one not done by its due date makes the measure overdue.
pub struct Milestone(pub db::Model);

#[Object]
impl Milestone {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }
    /// When it was done; null while not done.
    async fn done_on(&self) -> Option<Date> {
        self.0.done_on.map(Date)
    }
    /// Past its due date and not done.
    async fn overdue(&self, ctx: &Context<'_>) -> bool {
        crate::domain::ledger::overdue::is_missed(&self.0, ledger(ctx).today())
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn measure(&self, ctx: &Context<'_>) -> GqlResult<Option<Measure>> {
        Ok(loader(ctx).load_one(MeasureKey(self.0.measure_id)).await?.map(Measure))
    }
    /// Audit events of this milestone, newest first.
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

#[derive(InputObject)]
pub struct AddMilestoneInput {
    pub measure_id: ID,
    pub title: String,
    /// Not after the measure's deadline, unless the measure is LONG_TERM.
    pub due_on: Date,
}

#[derive(InputObject)]
pub struct CompleteMilestoneInput {
    pub id: ID,
    pub expected_version: i32,
    /// Default today; not in the future.
    pub done_on: Option<Date>,
}

#[derive(SimpleObject)]
pub struct MilestonePayload {
    pub milestone: Milestone,
}

#[derive(Default)]
pub struct MilestoneMutation;

#[Object]
impl MilestoneMutation {
    /// Adds a dated step (时间节点) to a measure.
    async fn add_milestone(&self, ctx: &Context<'_>, input: AddMilestoneInput) -> GqlResult<MilestonePayload> {
        let measure_id = parse_id("measureId", &input.measure_id)?;
        let row = milestones::add(ledger(ctx), request(ctx), measure_id, &input.title, input.due_on.0)
            .await
            .gql(ctx)?;
        Ok(MilestonePayload {
            milestone: Milestone(row),
        })
    }

    /// Marks a milestone done.
    async fn complete_milestone(
        &self,
        ctx: &Context<'_>,
        input: CompleteMilestoneInput,
    ) -> GqlResult<MilestonePayload> {
        let id = parse_id("id", &input.id)?;
        let row = milestones::complete(
            ledger(ctx),
            request(ctx),
            id,
            input.expected_version,
            input.done_on.map(|d| d.0),
        )
        .await
        .gql(ctx)?;
        Ok(MilestonePayload {
            milestone: Milestone(row),
        })
    }
}
