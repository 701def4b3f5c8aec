//! Rectification measures (整改措施).

use async_graphql::{Context, Enum, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use entity::measure as db;

use super::audit::{history, AuditEvent};
use super::connection::{connection, page_request, parse_id, parse_ids, parse_opt_id, uuid_cursor, Conn};
use super::enums::{Disclosure, MeasureStatus};
use super::error::{GqlResult, IntoGql};
use super::loaders::{CalendarKey, CooperatingUnitsOf, MilestonesOf, ProblemKey, UnitKey};
use super::person::Person;
use super::problem::Problem;
use super::scalars::{Date, DateTime};
use super::unit::Unit;
use super::{ledger, loader, opt_id, patch, request};
use crate::domain::access::Read;
use crate::domain::ledger::measures;

/// A rectification measure: what will be done, by whom, by when.
pub struct Measure(pub db::Model);

impl Measure {
    /// (today, deadline] while the measure is open and not overdue: what `workingDaysRemaining`
    /// counts.
    async fn remaining_span(&self, ctx: &Context<'_>) -> GqlResult<Option<(chrono::NaiveDate, chrono::NaiveDate)>> {
        let today = ledger(ctx).today();
        let open = crate::domain::ledger::overdue::OPEN_STATUSES.contains(&self.0.status)
            || self.0.status == entity::enums::MeasureStatus::LongTerm;
        if !open || self.0.deadline < today || self.overdue_since(ctx).await?.is_some() {
            return Ok(None);
        }
        Ok(Some((today, self.0.deadline)))
    }

    async fn overdue_since(&self, ctx: &Context<'_>) -> GqlResult<Option<chrono::NaiveDate>> {
        let milestones = loader(ctx).load_one(MilestonesOf(self.0.id)).await?.unwrap_or_default();
        Ok(crate::domain::ledger::overdue::overdue_since(
            &self.0,
            &milestones,
            ledger(ctx).today(),
        ))
    }
}

#[Object]
impl Measure {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// What "done" means (工作标准, 整改目标).
    async fn acceptance_criteria(&self) -> Option<&str> {
        self.0.acceptance_criteria.as_deref()
    }
    /// The explanation to the public (向群众说明情况) of a measure solved step by step
    /// (逐步解决): set by `declareLongTerm`'s reason, changed with `updateMeasure`. Shown to
    /// whoever may read the measure, the public included once it is disclosed.
    async fn public_explanation(&self) -> Option<&str> {
        self.0.public_explanation.as_deref()
    }
    /// The time limit (整改时限); changes only through an approved extension.
    async fn deadline(&self) -> Date {
        Date(self.0.deadline)
    }
    /// The deadline as first set; never changes.
    async fn original_deadline(&self) -> Date {
        Date(self.0.original_deadline)
    }
    async fn status(&self) -> MeasureStatus {
        self.0.status.into()
    }
    /// 0–100.
    async fn progress_percent(&self) -> i32 {
        self.0.progress_percent
    }
    async fn started_on(&self) -> Option<Date> {
        self.0.started_on.map(Date)
    }
    async fn submitted_on(&self) -> Option<Date> {
        self.0.submitted_on.map(Date)
    }
    /// The close-out date (销号).
    async fn closed_on(&self) -> Option<Date> {
        self.0.closed_on.map(Date)
    }
    /// Derived, in China Standard Time: the deadline has passed and the measure is open, or one
    /// of its milestones is past due and not done (a LONG_TERM measure is judged by its
    /// milestones alone).
    async fn overdue(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        Ok(self.overdue_since(ctx).await?.is_some())
    }
    /// Calendar days since the first date missed (the deadline or a milestone) while overdue;
    /// null otherwise.
    async fn days_overdue(&self, ctx: &Context<'_>) -> GqlResult<Option<i64>> {
        let today = ledger(ctx).today();
        Ok(self.overdue_since(ctx).await?.map(|since| (today - since).num_days()))
    }
    /// Evidence files (佐证材料), newest first, withdrawn ones included.
    async fn evidence(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::evidence::Evidence>> {
        request(ctx)
            .access
            .require_read(Read::MeasureRecords("evidence"))
            .gql(ctx)?;
        let rows = loader(ctx)
            .load_one(super::loaders::EvidenceOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows.into_iter().map(super::evidence::Evidence).collect())
    }
    /// The units' receipts of the assignment (签收): the lead's and each cooperating unit's,
    /// withdrawn ones included, oldest first.
    async fn receipts(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::receipt::Receipt>> {
        super::receipt::of_measure(ctx, self.0.id).await
    }
    /// The urgings (催办) of its work, newest first.
    async fn urgings(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::receipt::Urging>> {
        super::receipt::urgings_about(ctx, crate::domain::urging::Urged::Measure(self.0.id)).await
    }
    /// The dated steps (时间节点), by due date.
    async fn milestones(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::milestone::Milestone>> {
        let rows = loader(ctx).load_one(MilestonesOf(self.0.id)).await?.unwrap_or_default();
        Ok(rows.into_iter().map(super::milestone::Milestone).collect())
    }
    /// Calendar days until the deadline (倒计时) while the measure is open; negative when
    /// overdue; null when closed or cancelled.
    async fn days_remaining(&self, ctx: &Context<'_>) -> Option<i64> {
        let open = crate::domain::ledger::overdue::OPEN_STATUSES.contains(&self.0.status)
            || self.0.status == entity::enums::MeasureStatus::LongTerm;
        open.then(|| (self.0.deadline - ledger(ctx).today()).num_days())
    }
    /// Working days left until the deadline (the days after today up to the deadline that are
    /// working days by the calendar of holidays and 调休), while the measure is open and not
    /// overdue (neither its deadline nor a milestone missed); null otherwise.
    async fn working_days_remaining(&self, ctx: &Context<'_>) -> GqlResult<Option<i64>> {
        let Some((from, to)) = self.remaining_span(ctx).await? else {
            return Ok(None);
        };
        let calendar = loader(ctx).load_one(CalendarKey).await?.unwrap_or_default();
        Ok(Some(calendar.working_days_between(from, to)))
    }
    /// Working days since the first date missed (after it, up to today) while overdue; null
    /// otherwise.
    async fn working_days_overdue(&self, ctx: &Context<'_>) -> GqlResult<Option<i64>> {
        let Some(since) = self.overdue_since(ctx).await? else {
            return Ok(None);
        };
        let calendar = loader(ctx).load_one(CalendarKey).await?.unwrap_or_default();
        Ok(Some(calendar.working_days_between(since, ledger(ctx).today())))
    }
    /// Whether `workingDaysRemaining` or `workingDaysOverdue` counts days of a year whose
    /// official calendar is not loaded (see `calendarCoverage`): those days follow the week
    /// alone, so the figure may be off by that year's holidays and 调休. Null when neither
    /// figure is given.
    async fn working_days_approximate(&self, ctx: &Context<'_>) -> GqlResult<Option<bool>> {
        let today = ledger(ctx).today();
        let span = match self.overdue_since(ctx).await? {
            Some(since) => Some((since, today)),
            None => self.remaining_span(ctx).await?,
        };
        let Some((from, to)) = span else {
            return Ok(None);
        };
        let calendar = loader(ctx).load_one(CalendarKey).await?.unwrap_or_default();
        Ok(Some(calendar.approximate_between(from, to)))
    }
    /// How many times the deadline was postponed by an approved extension.
    async fn extension_count(&self) -> i32 {
        self.0.extension_count
    }
    /// 反弹: how often the measure was reopened after being closed.
    async fn relapse_count(&self) -> i32 {
        self.0.relapse_count
    }
    /// The day of the last relapse (reopen); null if it never relapsed.
    async fn last_relapse_on(&self) -> Option<Date> {
        self.0.last_relapse_on.map(Date)
    }
    /// Deadline extension requests, newest first.
    async fn extensions(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::extension::DeadlineExtension>> {
        request(ctx)
            .access
            .require_read(Read::MeasureRecords("deadline extensions"))
            .gql(ctx)?;
        let rows = loader(ctx)
            .load_one(super::loaders::ExtensionsOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows.into_iter().map(super::extension::DeadlineExtension).collect())
    }
    /// Closed after its deadline.
    async fn closed_late(&self) -> bool {
        self.0.closed_on.is_some_and(|closed| closed > self.0.deadline)
    }
    async fn disclosure(&self) -> Disclosure {
        self.0.disclosure.into()
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// What the viewer may do to this measure now: every action, allowed or refused with the
    /// code and reason its mutation would answer (checked by the same domain code). Priced as
    /// the dozens of small reads it makes.
    #[graphql(complexity = 100)]
    async fn allowed_actions(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::actions::ActionPermission>> {
        let permissions = crate::domain::lifecycle::actions::permissions(&ledger(ctx).db, request(ctx), &self.0)
            .await
            .gql(ctx)?;
        Ok(permissions.into_iter().map(super::actions::ActionPermission).collect())
    }
    async fn problem(&self, ctx: &Context<'_>) -> GqlResult<Option<Problem>> {
        Ok(loader(ctx).load_one(ProblemKey(self.0.problem_id)).await?.map(Problem))
    }
    /// The lead unit (牵头单位).
    async fn lead_unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.lead_unit_id).await
    }
    /// Cooperating units (配合单位).
    async fn cooperating_units(&self, ctx: &Context<'_>) -> GqlResult<Vec<Unit>> {
        let ids = loader(ctx)
            .load_one(CooperatingUnitsOf(self.0.id))
            .await?
            .unwrap_or_default();
        let units = loader(ctx).load_many(ids.iter().copied().map(UnitKey)).await?;
        Ok(ids
            .iter()
            .filter_map(|id| units.get(&UnitKey(*id)).cloned().map(Unit))
            .collect())
    }
    /// Leader in charge (分管领导 / 责任领导).
    async fn responsible_leader(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        Person::link(ctx, self.0.responsible_leader_id).await
    }
    /// Person directly responsible (责任人).
    async fn responsible_person(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        Person::link(ctx, self.0.responsible_person_id).await
    }
    /// Follow-up checks of the closed measure (回头看) recorded without a reopen, newest first.
    async fn look_backs(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::lifecycle::LookBack>> {
        request(ctx)
            .access
            .require_read(Read::MeasureRecords("look-backs"))
            .gql(ctx)?;
        let rows = loader(ctx)
            .load_one(super::loaders::LookBacksOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows.into_iter().map(super::lifecycle::LookBack).collect())
    }
    /// Verifications (验收), newest first.
    async fn verifications(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::lifecycle::Verification>> {
        request(ctx)
            .access
            .require_read(Read::MeasureRecords("verifications"))
            .gql(ctx)?;
        let rows = loader(ctx)
            .load_one(super::loaders::VerificationsOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows.into_iter().map(super::lifecycle::Verification).collect())
    }
    /// Progress reports (进展), newest first.
    async fn progress_reports(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::lifecycle::ProgressReport>> {
        request(ctx)
            .access
            .require_read(Read::MeasureRecords("progress reports"))
            .gql(ctx)?;
        let rows = loader(ctx)
            .load_one(super::loaders::ProgressReportsOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows.into_iter().map(super::lifecycle::ProgressReport).collect())
    }
    /// Audit events of this measure, newest first.
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

/// How a unit takes part in a measure.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
#[graphql(remote = "measures::UnitRole")]
pub enum MeasureUnitRole {
    /// As lead unit.
    Lead,
    /// As cooperating unit.
    Cooperating,
    /// Either.
    #[default]
    Any,
}

/// Filter of `measures`.
#[derive(InputObject, Default)]
pub struct MeasureFilter {
    pub problem_id: Option<ID>,
    pub campaign_id: Option<ID>,
    /// Measures of this unit, in the role `unitRole`.
    pub unit_id: Option<ID>,
    #[graphql(default)]
    pub unit_role: MeasureUnitRole,
    /// With `unitId`: its subunits too.
    #[graphql(default = false)]
    pub include_subunits: bool,
    /// Any of these statuses.
    pub status: Option<Vec<MeasureStatus>>,
    pub overdue: Option<bool>,
    /// Open measures whose deadline falls within this many days from today (倒计时), today
    /// included; 0–3650.
    pub due_within_days: Option<i32>,
    /// Open measures whose deadline falls on today or within this many working days after it
    /// (by the calendar of holidays and 调休); 0–1000.
    pub due_within_working_days: Option<i32>,
    /// Deadline on or after.
    pub deadline_from: Option<Date>,
    /// Deadline on or before.
    pub deadline_to: Option<Date>,
    pub responsible_person_id: Option<ID>,
    pub responsible_leader_id: Option<ID>,
    /// Case-insensitive substring of the title or description.
    pub search: Option<String>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
#[graphql(remote = "measures::MeasureOrder")]
pub enum MeasureOrderBy {
    #[default]
    DeadlineAsc,
    DeadlineDesc,
    CreatedAtAsc,
    CreatedAtDesc,
    UpdatedAtDesc,
}

#[derive(Default)]
pub struct MeasureQuery;

#[Object]
impl MeasureQuery {
    /// Measures, filtered and paginated; by deadline by default.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn measures(
        &self,
        ctx: &Context<'_>,
        filter: Option<MeasureFilter>,
        order_by: Option<MeasureOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Measure>> {
        let f = filter.unwrap_or_default();
        let filter = measures::MeasureFilter {
            problem_id: parse_opt_id("filter.problemId", f.problem_id.as_ref())?,
            campaign_id: parse_opt_id("filter.campaignId", f.campaign_id.as_ref())?,
            unit_id: parse_opt_id("filter.unitId", f.unit_id.as_ref())?,
            unit_role: f.unit_role.into(),
            include_subunits: f.include_subunits,
            statuses: f.status.unwrap_or_default().into_iter().map(Into::into).collect(),
            overdue: f.overdue,
            due_within_days: f.due_within_days,
            due_within_working_days: f.due_within_working_days,
            deadline_from: f.deadline_from.map(|d| d.0),
            deadline_to: f.deadline_to.map(|d| d.0),
            responsible_person_id: parse_opt_id("filter.responsiblePersonId", f.responsible_person_id.as_ref())?,
            responsible_leader_id: parse_opt_id("filter.responsibleLeaderId", f.responsible_leader_id.as_ref())?,
            search: f.search,
        };
        let page = measures::list(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            order_by.unwrap_or_default().into(),
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |m| uuid_cursor(&m.id), Measure))
    }
}

#[derive(InputObject)]
pub struct CreateMeasureInput {
    pub problem_id: ID,
    /// 1–200 characters.
    pub title: String,
    pub description: Option<String>,
    pub acceptance_criteria: Option<String>,
    pub lead_unit_id: ID,
    /// Distinct, not the lead unit; at most 30.
    #[graphql(default)]
    pub cooperating_unit_ids: Vec<ID>,
    pub responsible_leader_id: Option<ID>,
    pub responsible_person_id: Option<ID>,
    /// Not before the problem's found date. Becomes `originalDeadline` too.
    pub deadline: Date,
    /// The problem's disclosure when omitted.
    pub disclosure: Option<Disclosure>,
}

/// Status and deadline are not here: they change only through the lifecycle verbs.
#[derive(InputObject)]
pub struct UpdateMeasureInput {
    pub id: ID,
    pub expected_version: i32,
    pub title: Option<String>,
    pub description: MaybeUndefined<String>,
    pub acceptance_criteria: MaybeUndefined<String>,
    pub lead_unit_id: Option<ID>,
    /// Replaces the whole list when given.
    pub cooperating_unit_ids: Option<Vec<ID>>,
    pub responsible_leader_id: MaybeUndefined<ID>,
    pub responsible_person_id: MaybeUndefined<ID>,
    /// The explanation to the public (向群众说明情况); null removes it.
    pub public_explanation: MaybeUndefined<String>,
    pub disclosure: Option<Disclosure>,
}

#[derive(SimpleObject)]
pub struct MeasurePayload {
    pub measure: Measure,
}

#[derive(Default)]
pub struct MeasureMutation;

#[Object]
impl MeasureMutation {
    /// Adds a measure to a problem; it starts PENDING.
    async fn create_measure(&self, ctx: &Context<'_>, input: CreateMeasureInput) -> GqlResult<MeasurePayload> {
        let new = measures::NewMeasure {
            problem_id: parse_id("problemId", &input.problem_id)?,
            title: input.title,
            description: input.description,
            acceptance_criteria: input.acceptance_criteria,
            lead_unit_id: parse_id("leadUnitId", &input.lead_unit_id)?,
            cooperating_unit_ids: parse_ids("cooperatingUnitIds", &input.cooperating_unit_ids)?,
            responsible_leader_id: parse_opt_id("responsibleLeaderId", input.responsible_leader_id.as_ref())?,
            responsible_person_id: parse_opt_id("responsiblePersonId", input.responsible_person_id.as_ref())?,
            deadline: input.deadline.0,
            disclosure: input.disclosure.map(Into::into),
        };
        let model = measures::create(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(MeasurePayload {
            measure: Measure(model),
        })
    }

    /// Changes a measure's descriptive fields and owners (not status, not deadline).
    async fn update_measure(&self, ctx: &Context<'_>, input: UpdateMeasureInput) -> GqlResult<MeasurePayload> {
        let id = parse_id("id", &input.id)?;
        let changes = measures::MeasurePatch {
            title: input.title,
            description: patch(input.description),
            acceptance_criteria: patch(input.acceptance_criteria),
            lead_unit_id: parse_opt_id("leadUnitId", input.lead_unit_id.as_ref())?,
            cooperating_unit_ids: input
                .cooperating_unit_ids
                .as_deref()
                .map(|ids| parse_ids("cooperatingUnitIds", ids))
                .transpose()?,
            responsible_leader_id: opt_id("responsibleLeaderId", input.responsible_leader_id)?,
            responsible_person_id: opt_id("responsiblePersonId", input.responsible_person_id)?,
            disclosure: input.disclosure.map(Into::into),
            public_explanation: patch(input.public_explanation),
        };
        let model = measures::update(ledger(ctx), request(ctx), id, input.expected_version, changes)
            .await
            .gql(ctx)?;
        Ok(MeasurePayload {
            measure: Measure(model),
        })
    }
}
