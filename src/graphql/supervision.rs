//! Supervision actions (督办) over GraphQL.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::supervision_action as db;

use super::audit::{history, AuditEvent};
use super::connection::{connection, page_request, parse_id, parse_opt_id, uuid_cursor, Conn};
use super::error::{GqlResult, IntoGql};
use super::loaders::{MeasureKey, ProblemKey, UnitKey};
use super::measure::Measure;
use super::problem::Problem;
use super::scalars::{Date, DateTime};
use super::unit::Unit;
use super::{ledger, loader, request};
use crate::domain::supervision;

/// A supervisor pressing a unit about a measure or problem, and the unit's answer.
pub struct SupervisionAction(pub db::Model);

#[Object]
impl SupervisionAction {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn kind(&self) -> SupervisionKind {
        self.0.kind.into()
    }
    /// The unit pressed.
    async fn target_unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.target_unit_id).await
    }
    async fn measure(&self, ctx: &Context<'_>) -> GqlResult<Option<Measure>> {
        match self.0.measure_id {
            Some(id) => Ok(loader(ctx).load_one(MeasureKey(id)).await?.map(Measure)),
            None => Ok(None),
        }
    }
    async fn problem(&self, ctx: &Context<'_>) -> GqlResult<Option<Problem>> {
        match self.0.problem_id {
            Some(id) => Ok(loader(ctx).load_one(ProblemKey(id)).await?.map(Problem)),
            None => Ok(None),
        }
    }
    async fn content(&self) -> &str {
        &self.0.content
    }
    /// The unit must answer by this date.
    async fn response_due(&self) -> Option<Date> {
        self.0.response_due.map(Date)
    }
    async fn issuer_name(&self) -> &str {
        &self.0.issuer_name
    }
    async fn issued_at(&self) -> DateTime {
        DateTime(self.0.issued_at)
    }
    async fn response(&self) -> Option<&str> {
        self.0.response.as_deref()
    }
    async fn responder_name(&self) -> Option<&str> {
        self.0.responder_name.as_deref()
    }
    async fn responded_at(&self) -> Option<DateTime> {
        self.0.responded_at.map(DateTime)
    }
    /// The target unit's receipt (签收), to be acknowledged before the action is answered;
    /// null for actions issued before 签收 existed.
    async fn receipt(&self, ctx: &Context<'_>) -> GqlResult<Option<super::receipt::Receipt>> {
        super::receipt::of_action(ctx, self.0.id).await
    }
    /// The urgings (催办) of its answer, newest first.
    async fn urgings(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::receipt::Urging>> {
        super::receipt::urgings_about(ctx, crate::domain::urging::Urged::Action(self.0.id)).await
    }
    /// Not answered yet.
    async fn open(&self) -> bool {
        self.0.responded_at.is_none()
    }
    /// Not answered and past its response date.
    async fn response_overdue(&self, ctx: &Context<'_>) -> bool {
        supervision::is_response_overdue(&self.0, ledger(ctx).today())
    }
    /// Audit events of this action, newest first.
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

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::SupervisionKind")]
pub enum SupervisionKind {
    /// 整改通知书.
    Notice,
    /// 点名批评书.
    NamedCriticism,
    /// 处理建议书.
    DisposalRecommendation,
    /// 约谈.
    Talk,
    /// 通报批评.
    BulletinCriticism,
    /// 书面说明.
    WrittenExplanation,
}

#[derive(InputObject, Default)]
pub struct SupervisionFilter {
    /// Actions addressed to this unit.
    pub unit_id: Option<ID>,
    /// With `unitId`: to its subunits too.
    #[graphql(default = false)]
    pub include_subunits: bool,
    pub kind: Option<SupervisionKind>,
    /// true: not yet answered; false: answered.
    pub open: Option<bool>,
    /// true: not answered and past the response date.
    pub response_overdue: Option<bool>,
    pub measure_id: Option<ID>,
    pub problem_id: Option<ID>,
    /// true: only the actions the logged-in account issued (我发出的).
    #[graphql(default = false)]
    pub issued_by_me: bool,
}

impl SupervisionFilter {
    fn into_domain(self, ctx: &Context<'_>) -> GqlResult<supervision::SupervisionFilter> {
        Ok(supervision::SupervisionFilter {
            unit_id: parse_opt_id("filter.unitId", self.unit_id.as_ref())?,
            include_subunits: self.include_subunits,
            kind: self.kind.map(Into::into),
            open: self.open,
            response_overdue: self.response_overdue,
            measure_id: parse_opt_id("filter.measureId", self.measure_id.as_ref())?,
            problem_id: parse_opt_id("filter.problemId", self.problem_id.as_ref())?,
            issued_by: self.issued_by_me.then(|| request(ctx).actor.id.clone()),
        })
    }
}

/// Supervision actions one unit received, of one kind.
#[derive(SimpleObject)]
pub struct SupervisionCount {
    pub unit: Option<Unit>,
    pub kind: SupervisionKind,
    pub total: i64,
    /// Of which not yet answered.
    pub open: i64,
}

#[derive(Default)]
pub struct SupervisionQuery;

#[Object]
impl SupervisionQuery {
    /// Supervision actions, newest first.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn supervision_actions(
        &self,
        ctx: &Context<'_>,
        filter: Option<SupervisionFilter>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<SupervisionAction>> {
        let filter = filter.unwrap_or_default().into_domain(ctx)?;
        let page = supervision::list(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |s| uuid_cursor(&s.id), SupervisionAction))
    }

    /// Counts per unit and kind (most pressed first), for rankings and 排后约谈.
    #[graphql(complexity = "super::report::cost::AGGREGATE + child_complexity")]
    async fn supervision_counts(
        &self,
        ctx: &Context<'_>,
        filter: Option<SupervisionFilter>,
    ) -> GqlResult<Vec<SupervisionCount>> {
        let filter = filter.unwrap_or_default().into_domain(ctx)?;
        let counts = supervision::counts(ledger(ctx), &request(ctx).access, &filter)
            .await
            .gql(ctx)?;
        // One batched query for all the units, not one per row.
        let units = loader(ctx).load_many(counts.iter().map(|c| UnitKey(c.unit_id))).await?;
        Ok(counts
            .into_iter()
            .map(|c| SupervisionCount {
                unit: units.get(&UnitKey(c.unit_id)).cloned().map(Unit),
                kind: c.kind.into(),
                total: c.total,
                open: c.open,
            })
            .collect())
    }
}

#[derive(InputObject)]
pub struct IssueSupervisionInput {
    pub kind: SupervisionKind,
    /// The unit pressed.
    pub target_unit_id: ID,
    pub measure_id: Option<ID>,
    /// Taken from the measure when omitted with a measure.
    pub problem_id: Option<ID>,
    /// 1–5000 characters.
    pub content: String,
    /// Not before today.
    pub response_due: Option<Date>,
}

#[derive(InputObject)]
pub struct RespondToSupervisionInput {
    pub id: ID,
    /// The unit's answer, 1–5000 characters; once.
    pub response: String,
}

#[derive(SimpleObject)]
pub struct SupervisionPayload {
    pub supervision_action: SupervisionAction,
}

#[derive(Default)]
pub struct SupervisionMutation;

#[Object]
impl SupervisionMutation {
    /// Issues a supervision action (督办) to a unit.
    async fn issue_supervision(
        &self,
        ctx: &Context<'_>,
        input: IssueSupervisionInput,
    ) -> GqlResult<SupervisionPayload> {
        let new = supervision::NewSupervision {
            kind: input.kind.into(),
            target_unit_id: parse_id("targetUnitId", &input.target_unit_id)?,
            measure_id: parse_opt_id("measureId", input.measure_id.as_ref())?,
            problem_id: parse_opt_id("problemId", input.problem_id.as_ref())?,
            content: input.content,
            response_due: input.response_due.map(|d| d.0),
        };
        let row = supervision::issue(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(SupervisionPayload {
            supervision_action: SupervisionAction(row),
        })
    }

    /// Records the unit's answer to a supervision action.
    async fn respond_to_supervision(
        &self,
        ctx: &Context<'_>,
        input: RespondToSupervisionInput,
    ) -> GqlResult<SupervisionPayload> {
        let id = parse_id("id", &input.id)?;
        let row = supervision::respond(ledger(ctx), request(ctx), id, &input.response)
            .await
            .gql(ctx)?;
        Ok(SupervisionPayload {
            supervision_action: SupervisionAction(row),
        })
    }
}
