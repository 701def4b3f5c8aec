//! 签收 and 催办 over GraphQL: the receipts of assignments, the urgings that press for them,
//! and the assignments not acknowledged in time.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::{receipt as db, urging as urging_db};

use super::connection::{due_list, parse_id, parse_opt_id};
use super::error::{GqlResult, IntoGql};
use super::measure::Measure;
use super::report::cost;
use super::scalars::{Date, DateTime};
use super::unit::Unit;
use super::{ledger, loader, loaders::MeasureKey, request};
use crate::domain::ledger::receipts;
use crate::domain::reporting::receipts_due;
use crate::domain::urging::{self, Urged};

/// What a unit was assigned.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::ReceiptRole")]
pub enum ReceiptRole {
    /// 牵头单位 of a measure.
    Lead,
    /// 配合单位 of a measure.
    Cooperating,
    /// The unit a supervision action (督办) is addressed to.
    Supervision,
}

/// A unit's receipt of an assignment (签收): made when the unit is assigned, acknowledged once
/// by the unit, withdrawn when it is taken off.
pub struct Receipt(pub db::Model);

#[Object]
impl Receipt {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn role(&self) -> ReceiptRole {
        self.0.role.into()
    }
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.unit_id).await
    }
    /// The measure assigned (LEAD, COOPERATING); null for a supervision action's receipt or a
    /// measure the reader may not see.
    async fn measure(&self, ctx: &Context<'_>) -> GqlResult<Option<Measure>> {
        match self.0.measure_id {
            Some(id) => Ok(loader(ctx).load_one(MeasureKey(id)).await?.map(Measure)),
            None => Ok(None),
        }
    }
    /// The supervision action assigned (SUPERVISION).
    async fn supervision_action_id(&self) -> Option<ID> {
        self.0.supervision_action_id.map(|id| ID(id.to_string()))
    }
    async fn assigned_at(&self) -> DateTime {
        DateTime(self.0.assigned_at)
    }
    /// The last day to acknowledge it (the campaign's `acknowledgeWithinDays` working days
    /// after the assignment); null: no time limit.
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }
    async fn acknowledged_at(&self) -> Option<DateTime> {
        self.0.acknowledged_at.map(DateTime)
    }
    /// Who acknowledged it, as they were named then.
    async fn acknowledger_name(&self) -> Option<&str> {
        self.0.acknowledger_name.as_deref()
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// When the unit was taken off the assignment; it can no longer be acknowledged.
    async fn withdrawn_at(&self) -> Option<DateTime> {
        self.0.withdrawn_at.map(DateTime)
    }
    /// Acknowledged after its due day, or not yet though the day has passed.
    async fn late(&self, ctx: &Context<'_>) -> bool {
        let now = ledger(ctx).now();
        let until = crate::domain::ledger::rhythms::judged_until(now);
        receipts::is_late(&self.0, until, now)
    }
    /// Whether the reader may acknowledge it now (owed, and EDITOR on its unit).
    async fn viewer_can_acknowledge(&self, ctx: &Context<'_>) -> bool {
        receipts::may_acknowledge(&request(ctx).access, &self.0)
    }
    /// The urgings (催办) about it, newest first.
    async fn urgings(&self, ctx: &Context<'_>) -> GqlResult<Vec<Urging>> {
        urgings_about(ctx, Urged::Receipt(self.0.id)).await
    }
}

/// 催办: a supervisor pressing a unit, with a note and a new time.
pub struct Urging(pub urging_db::Model);

#[Object]
impl Urging {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The unit pressed.
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.unit_id).await
    }
    async fn receipt_id(&self) -> Option<ID> {
        self.0.receipt_id.map(|id| ID(id.to_string()))
    }
    async fn measure_id(&self) -> Option<ID> {
        self.0.measure_id.map(|id| ID(id.to_string()))
    }
    async fn supervision_action_id(&self) -> Option<ID> {
        self.0.supervision_action_id.map(|id| ID(id.to_string()))
    }
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// The new time: the day the unit is to act by.
    async fn respond_by(&self) -> Date {
        Date(self.0.respond_by)
    }
    async fn urger_name(&self) -> &str {
        &self.0.urger_name
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// The urgings about something the reader already sees, newest first.
pub async fn urgings_about(ctx: &Context<'_>, urged: Urged) -> GqlResult<Vec<Urging>> {
    let rows = urging::about(&ledger(ctx).db, urged).await.gql(ctx)?;
    Ok(rows.into_iter().map(Urging).collect())
}

/// The receipts of a measure the reader already sees, oldest first.
pub async fn of_measure(ctx: &Context<'_>, id: uuid::Uuid) -> GqlResult<Vec<Receipt>> {
    let rows = receipts::of_measures(&ledger(ctx).db, &[id]).await.gql(ctx)?;
    Ok(rows.into_iter().map(Receipt).collect())
}

/// The receipt of a supervision action the reader already sees (none before 签收 existed).
pub async fn of_action(ctx: &Context<'_>, id: uuid::Uuid) -> GqlResult<Option<Receipt>> {
    let rows = receipts::of_actions(&ledger(ctx).db, &[id]).await.gql(ctx)?;
    Ok(rows.into_iter().next().map(Receipt))
}

/// A unit's late acknowledgements.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct UnitLateAcknowledgements {
    #[graphql(skip)]
    unit_id: uuid::Uuid,
    /// Its assignments not acknowledged by their due day.
    pub late: i64,
}

#[async_graphql::ComplexObject]
impl UnitLateAcknowledgements {
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.unit_id).await
    }
}

/// The assignments of a campaign not acknowledged in time, before a day.
pub struct LateAcknowledgements {
    report: receipts_due::LateAcknowledgements,
    offset: usize,
    limit: usize,
}

#[Object]
impl LateAcknowledgements {
    /// The day asked about: assignments due before it count.
    async fn on(&self) -> Date {
        Date(self.report.on)
    }
    /// The campaign's time limit in working days; null: none, and nothing is late.
    async fn within_days(&self) -> Option<i32> {
        self.report.within_days
    }
    /// All the late assignments (`items` is one page of them).
    async fn total_count(&self) -> usize {
        self.report.rows.len()
    }
    /// Of them, those still neither acknowledged nor withdrawn by the day asked about.
    async fn still_unacknowledged(&self) -> usize {
        let end = crate::domain::clock::end_of_day(self.report.on);
        let done = |at: Option<chrono::DateTime<chrono::Utc>>| at.is_some_and(|t| t <= end);
        self.report
            .rows
            .iter()
            .filter(|r| !done(r.acknowledged_at) && !done(r.withdrawn_at))
            .count()
    }
    /// Every unit with late assignments, most first.
    async fn by_unit(&self) -> Vec<UnitLateAcknowledgements> {
        self.report
            .by_unit
            .iter()
            .map(|(unit_id, late)| UnitLateAcknowledgements {
                unit_id: *unit_id,
                late: *late,
            })
            .collect()
    }
    /// Oldest due day first: the page `offset`/`limit` asked for.
    async fn items(&self) -> Vec<Receipt> {
        self.report
            .rows
            .iter()
            .skip(self.offset)
            .take(self.limit)
            .cloned()
            .map(Receipt)
            .collect()
    }
}

#[derive(Default)]
pub struct ReceiptQuery;

#[Object]
impl ReceiptQuery {
    /// The assignments of a campaign (of units in the caller's scope; of `unitId` or a unit
    /// below it when given) whose 签收 fell due before `on` (default today; not after today)
    /// and did not come by the due day. `items` lists `limit` (default 100, at most 500) from
    /// `offset`.
    #[graphql(complexity = "cost::stats(false, child_complexity)")]
    async fn late_acknowledgements(
        &self,
        ctx: &Context<'_>,
        campaign_id: ID,
        on: Option<Date>,
        unit_id: Option<ID>,
        #[graphql(default = 0)] offset: i32,
        #[graphql(default = 100)] limit: i32,
    ) -> GqlResult<LateAcknowledgements> {
        let list = due_list(&campaign_id, unit_id.as_ref(), offset, limit)?;
        let report = receipts_due::late(
            ledger(ctx),
            &request(ctx).access,
            list.campaign,
            on.map(|d| d.0),
            list.unit,
        )
        .await
        .gql(ctx)?;
        Ok(LateAcknowledgements {
            report,
            offset: list.offset,
            limit: list.limit,
        })
    }
}

#[derive(InputObject)]
pub struct AcknowledgeAssignmentInput {
    /// The receipt (`Measure.receipts`, `SupervisionAction.receipt`).
    pub id: ID,
    pub expected_version: i32,
    /// Optional, e.g. who in the unit takes it on.
    pub note: Option<String>,
}

#[derive(SimpleObject)]
pub struct ReceiptPayload {
    pub receipt: Receipt,
}

#[derive(InputObject)]
pub struct UrgeInput {
    /// Exactly one of `receiptId` (签收 owed), `measureId` (an open measure's work, pressing its
    /// lead unit) and `supervisionActionId` (an unanswered action's answer).
    pub receipt_id: Option<ID>,
    pub measure_id: Option<ID>,
    pub supervision_action_id: Option<ID>,
    pub note: String,
    /// The time to act by, not before today: the urging's own (it moves no date of what it
    /// urges).
    pub respond_by: Date,
}

#[derive(SimpleObject)]
pub struct UrgingPayload {
    pub urging: Urging,
}

#[derive(Default)]
pub struct ReceiptMutation;

#[Object]
impl ReceiptMutation {
    /// 签收: the assigned unit (EDITOR on it) acknowledges an assignment, once; a supervision
    /// action must be acknowledged before it is answered.
    async fn acknowledge_assignment(
        &self,
        ctx: &Context<'_>,
        input: AcknowledgeAssignmentInput,
    ) -> GqlResult<ReceiptPayload> {
        let id = parse_id("id", &input.id)?;
        let row = receipts::acknowledge(
            ledger(ctx),
            request(ctx),
            id,
            input.expected_version,
            input.note.as_deref(),
        )
        .await
        .gql(ctx)?;
        Ok(ReceiptPayload { receipt: Receipt(row) })
    }

    /// 催办: a supervisor (SUPERVISOR over the pressed unit) urges, with a note and a new time,
    /// an acknowledgement still owed, an open measure's work, or an unanswered action.
    async fn urge(&self, ctx: &Context<'_>, input: UrgeInput) -> GqlResult<UrgingPayload> {
        let urged = Urged::of(
            parse_opt_id("receiptId", input.receipt_id.as_ref())?,
            parse_opt_id("measureId", input.measure_id.as_ref())?,
            parse_opt_id("supervisionActionId", input.supervision_action_id.as_ref())?,
        )
        .gql(ctx)?;
        let new = urging::NewUrging {
            urged,
            note: input.note,
            respond_by: input.respond_by.0,
        };
        let row = urging::urge(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(UrgingPayload { urging: Urging(row) })
    }
}
