//! Rectification measures (整改措施): who leads, who cooperates, who is responsible, by when.
//! Status and deadline change only through the lifecycle verbs (see [`crate::domain::lifecycle`]).

use chrono::NaiveDate;
use entity::enums::{Disclosure, MeasureStatus};
use entity::{measure, measure_cooperating_unit as coop, problem};

use super::overdue::OPEN_STATUSES;
use super::receipts::{self, Assigned};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

use crate::domain::access::{Access, Operation, Target};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::page::{keyset_page, text_match, Page, PageRequest};
use crate::domain::snapshot::snapshot;
use crate::domain::text::{limits, Text};
use crate::domain::{ledger::problems, org::people, org::units, store, Ledger};

pub const ENTITY: &str = "Measure";
pub const MAX_COOPERATING_UNITS: usize = 30;

/// The stable upper-case name of a status (`IN_PROGRESS`), as in the API and snapshots.
pub fn status_name(status: MeasureStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[derive(Debug, Clone)]
pub struct NewMeasure {
    pub problem_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub acceptance_criteria: Option<String>,
    pub lead_unit_id: Uuid,
    pub cooperating_unit_ids: Vec<Uuid>,
    pub responsible_leader_id: Option<Uuid>,
    pub responsible_person_id: Option<Uuid>,
    pub deadline: NaiveDate,
    pub disclosure: Option<Disclosure>,
}

#[derive(Debug, Clone, Default)]
pub struct MeasurePatch {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub acceptance_criteria: Option<Option<String>>,
    pub lead_unit_id: Option<Uuid>,
    pub cooperating_unit_ids: Option<Vec<Uuid>>,
    pub responsible_leader_id: Option<Option<Uuid>>,
    pub responsible_person_id: Option<Option<Uuid>>,
    pub disclosure: Option<Disclosure>,
    pub public_explanation: Option<Option<String>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnitRole {
    Lead,
    Cooperating,
    #[default]
    Any,
}

#[derive(Debug, Clone, Default)]
pub struct MeasureFilter {
    pub problem_id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub unit_role: UnitRole,
    pub include_subunits: bool,
    pub statuses: Vec<MeasureStatus>,
    pub overdue: Option<bool>,
    pub due_within_days: Option<i32>,
    pub due_within_working_days: Option<i32>,
    pub deadline_from: Option<NaiveDate>,
    pub deadline_to: Option<NaiveDate>,
    pub responsible_person_id: Option<Uuid>,
    pub responsible_leader_id: Option<Uuid>,
    pub search: Option<String>,
}

/// The longest countdown a filter or `dueSoon` asks for, in days (ten years).
pub const MAX_DUE_WITHIN_DAYS: i32 = 3650;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MeasureOrder {
    #[default]
    DeadlineAsc,
    DeadlineDesc,
    CreatedAtAsc,
    CreatedAtDesc,
    UpdatedAtDesc,
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<measure::Model>> {
    Ok(measure::Entity::find_by_id(id).one(db).await?)
}

/// The rows of `ids` that `access` may read.
pub async fn visible_by_ids<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    ids: &[Uuid],
) -> DomainResult<Vec<measure::Model>> {
    Ok(measure::Entity::find()
        .filter(measure::Column::Id.is_in(ids.to_vec()))
        .filter(access.measure_condition())
        .all(db)
        .await?)
}

pub async fn by_ids<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<measure::Model>> {
    Ok(measure::Entity::find()
        .filter(measure::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

pub async fn by_problem_ids<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<measure::Model>> {
    Ok(measure::Entity::find()
        .filter(measure::Column::ProblemId.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

/// How refusals name the units a measure belongs to.
const UNITS: &str = "the measure's lead or cooperating units";

/// The lead and cooperating units of a measure: where rights on it come from.
pub async fn units_of<C: ConnectionTrait>(db: &C, m: &measure::Model) -> DomainResult<Vec<Uuid>> {
    let mut units = vec![m.lead_unit_id];
    units.extend(cooperating_units_of(db, &[m.id]).await?.into_iter().map(|(_, u)| u));
    Ok(units)
}

/// Refuses an operation on a measure outside the request's rights (its units, or the personal
/// scope for [`Operation::ReportWork`]).
pub async fn require<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    op: Operation,
    m: &measure::Model,
) -> DomainResult<()> {
    let units = units_of(db, m).await?;
    ctx.access.require_on_measure(op, m, &units, UNITS)
}

/// A measure never shows more widely than its problem (see `problems::disclosure_rank`).
fn check_disclosure(disclosure: Disclosure, problem: &problem::Model) -> DomainResult<()> {
    if problems::disclosure_rank(disclosure) > problems::disclosure_rank(problem.disclosure) {
        return Err(DomainError::invalid(
            "disclosure",
            format!(
                "disclosure may not be wider than the problem's ({}); disclose the problem first",
                serde_json::to_value(problem.disclosure)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// (measure id, unit id) pairs for the cooperating units of `measure_ids`.
pub async fn cooperating_units_of<C: ConnectionTrait>(db: &C, measure_ids: &[Uuid]) -> DomainResult<Vec<(Uuid, Uuid)>> {
    Ok(coop::Entity::find()
        .filter(coop::Column::MeasureId.is_in(measure_ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.measure_id, row.unit_id))
        .collect())
}

/// The measure's row plus its cooperating units: the snapshot the audit trail keeps, so that
/// replaying `after` reproduces both the row and its `measure_cooperating_unit` rows.
pub fn measure_snapshot(m: &measure::Model, cooperating: &[Uuid]) -> DomainResult<Value> {
    let mut value = snapshot(m)?;
    let mut ids: Vec<String> = cooperating.iter().map(Uuid::to_string).collect();
    ids.sort();
    if let Value::Object(map) = &mut value {
        map.insert("cooperating_unit_ids".to_owned(), Value::from(ids));
    }
    Ok(value)
}

/// Saves `next` over `current` (its cooperating units unchanged) and records `action` with
/// full snapshots: the write every lifecycle verb and deadline change makes.
pub async fn save_row_change(
    w: &store::Write<'_>,
    action: &str,
    current: &measure::Model,
    next: measure::Model,
    reason: Option<&str>,
) -> DomainResult<measure::Model> {
    let saved = w.update(current, next, None).await?;
    let coop: Vec<Uuid> = cooperating_units_of(w.tx(), &[current.id])
        .await?
        .into_iter()
        .map(|(_, u)| u)
        .collect();
    let (before, after) = (measure_snapshot(current, &coop)?, measure_snapshot(&saved, &coop)?);
    w.record::<measure::Model>(action, current.id, Some(before), after, reason)
        .await?;
    Ok(saved)
}

fn unit_condition(ids: Vec<Uuid>, role: UnitRole) -> Condition {
    let as_lead = measure::Column::LeadUnitId.is_in(ids.clone());
    let as_cooperating = measure::Column::Id.in_subquery(
        Query::select()
            .column(coop::Column::MeasureId)
            .from(coop::Entity)
            .and_where(coop::Column::UnitId.is_in(ids))
            .to_owned(),
    );
    match role {
        UnitRole::Lead => Condition::all().add(as_lead),
        UnitRole::Cooperating => Condition::all().add(as_cooperating),
        UnitRole::Any => Condition::any().add(as_lead).add(as_cooperating),
    }
}

impl MeasureFilter {
    /// The filter as one SQL condition, ANDed with the reader's rights (which come first).
    pub async fn condition(&self, ledger: &Ledger, access: &Access) -> DomainResult<Condition> {
        let mut cond = Condition::all()
            .add(access.measure_condition())
            .add(self.column_condition());
        if let Some(unit) = self.unit_id {
            let ids = units::unit_or_subtree(&ledger.db, unit, self.include_subunits).await?;
            cond = cond.add(unit_condition(ids, self.unit_role));
        }
        if let Some(overdue) = self.overdue {
            let overdue_cond = crate::domain::ledger::overdue::overdue_measure_condition(ledger.today());
            cond = cond.add(if overdue { overdue_cond } else { overdue_cond.not() });
        }
        if let Some(days) = self.due_within_days {
            cond = cond.add(due_by(ledger.today(), last_day_within(ledger.today(), days)?));
        }
        if let Some(days) = self.due_within_working_days {
            let last = last_working_day_within(ledger, days).await?;
            cond = cond.add(due_by(ledger.today(), last));
        }
        Ok(cond)
    }

    /// The parts that compare the measure's own columns.
    fn column_condition(&self) -> Condition {
        let mut cond = Condition::all();
        if let Some(problem) = self.problem_id {
            cond = cond.add(measure::Column::ProblemId.eq(problem));
        }
        if let Some(campaign) = self.campaign_id {
            cond = cond.add(measure::Column::ProblemId.in_subquery(problems_of_campaign(campaign)));
        }
        if !self.statuses.is_empty() {
            cond = cond.add(measure::Column::Status.is_in(self.statuses.clone()));
        }
        if let Some(from) = self.deadline_from {
            cond = cond.add(measure::Column::Deadline.gte(from));
        }
        if let Some(to) = self.deadline_to {
            cond = cond.add(measure::Column::Deadline.lte(to));
        }
        if let Some(person) = self.responsible_person_id {
            cond = cond.add(measure::Column::ResponsiblePersonId.eq(person));
        }
        if let Some(leader) = self.responsible_leader_id {
            cond = cond.add(measure::Column::ResponsibleLeaderId.eq(leader));
        }
        if let Some(search) = self.search.as_deref().filter(|s| !s.trim().is_empty()) {
            cond = cond.add(text_match(
                &[measure::Column::Title, measure::Column::Description],
                search,
            ));
        }
        cond
    }
}

fn problems_of_campaign(campaign: Uuid) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(problem::Column::Id)
        .from(problem::Entity)
        .and_where(problem::Column::CampaignId.eq(campaign))
        .to_owned()
}

/// Still open (or long-term) and due between `today` and `last`.
fn due_by(today: NaiveDate, last: NaiveDate) -> Condition {
    Condition::all()
        .add(measure::Column::Deadline.gte(today))
        .add(measure::Column::Deadline.lte(last))
        .add(measure::Column::Status.is_in([OPEN_STATUSES.as_slice(), &[MeasureStatus::LongTerm]].concat()))
}

fn last_day_within(today: NaiveDate, days: i32) -> DomainResult<NaiveDate> {
    if !(0..=MAX_DUE_WITHIN_DAYS).contains(&days) {
        return Err(DomainError::invalid(
            "filter.dueWithinDays",
            format!("filter.dueWithinDays must be between 0 and {MAX_DUE_WITHIN_DAYS}"),
        ));
    }
    Ok(today + chrono::Duration::days(i64::from(days)))
}

async fn last_working_day_within(ledger: &Ledger, days: i32) -> DomainResult<NaiveDate> {
    let n = u32::try_from(days).ok().filter(|n| *n <= 1000).ok_or_else(|| {
        DomainError::invalid(
            "filter.dueWithinWorkingDays",
            "filter.dueWithinWorkingDays must be between 0 and 1000",
        )
    })?;
    let calendar = crate::domain::org::calendar::load(&ledger.db).await?;
    Ok(calendar.nth_working_day_after(ledger.today(), n))
}

impl MeasureOrder {
    fn column(self) -> (measure::Column, Order) {
        match self {
            MeasureOrder::DeadlineAsc => (measure::Column::Deadline, Order::Asc),
            MeasureOrder::DeadlineDesc => (measure::Column::Deadline, Order::Desc),
            MeasureOrder::CreatedAtAsc => (measure::Column::CreatedAt, Order::Asc),
            MeasureOrder::CreatedAtDesc => (measure::Column::CreatedAt, Order::Desc),
            MeasureOrder::UpdatedAtDesc => (measure::Column::UpdatedAt, Order::Desc),
        }
    }
}

pub async fn list(
    ledger: &Ledger,
    access: &Access,
    filter: &MeasureFilter,
    order: MeasureOrder,
    page: PageRequest,
) -> DomainResult<Page<measure::Model>> {
    let cond = filter.condition(ledger, access).await?;
    let (sort, dir) = order.column();
    keyset_page(
        &ledger.db,
        measure::Entity::find().filter(cond),
        sort,
        measure::Column::Id,
        dir,
        page,
    )
    .await
}

fn optional(field: &str, value: Option<&str>, max: usize) -> DomainResult<Option<String>> {
    Ok(Text::parse_optional(field, value, max)?.map(Text::into_inner))
}

/// Distinct, existing, active cooperating units, none of them the lead unit.
async fn check_cooperating<C: ConnectionTrait>(db: &C, lead: Uuid, ids: &[Uuid]) -> DomainResult<Vec<Uuid>> {
    const FIELD: &str = "cooperatingUnitIds";
    if ids.len() > MAX_COOPERATING_UNITS {
        return Err(DomainError::invalid(
            FIELD,
            format!("{FIELD}: at most {MAX_COOPERATING_UNITS} cooperating units"),
        ));
    }
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    if unique.len() != ids.len() {
        return Err(DomainError::invalid(FIELD, format!("{FIELD} lists a unit twice")));
    }
    if unique.contains(&lead) {
        return Err(DomainError::invalid(
            FIELD,
            format!("{FIELD} must not contain the lead unit"),
        ));
    }
    let found = units::by_ids(db, &unique).await?;
    for id in &unique {
        match found.iter().find(|u| u.id == *id) {
            None => {
                return Err(DomainError::invalid(
                    FIELD,
                    format!("{FIELD}: unit {id} does not exist"),
                ))
            }
            Some(u) if u.archived => {
                return Err(DomainError::invalid(
                    FIELD,
                    format!("{FIELD}: unit {} is archived", u.name),
                ))
            }
            Some(_) => {}
        }
    }
    Ok(unique)
}

async fn replace_cooperating<C: ConnectionTrait>(db: &C, measure_id: Uuid, ids: &[Uuid]) -> DomainResult<()> {
    coop::Entity::delete_many()
        .filter(coop::Column::MeasureId.eq(measure_id))
        .exec(db)
        .await?;
    if !ids.is_empty() {
        let rows = ids.iter().map(|unit_id| coop::ActiveModel {
            measure_id: sea_orm::ActiveValue::Set(measure_id),
            unit_id: sea_orm::ActiveValue::Set(*unit_id),
        });
        coop::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

async fn check_person<C: ConnectionTrait>(db: &C, id: Option<Uuid>, field: &str) -> DomainResult<()> {
    if let Some(id) = id {
        people::active(db, id, field).await?;
    }
    Ok(())
}

/// A measure's free texts, checked before anything is read.
struct MeasureTexts {
    title: String,
    description: Option<String>,
    criteria: Option<String>,
}

impl MeasureTexts {
    fn parse(input: &NewMeasure) -> DomainResult<Self> {
        Ok(Self {
            title: Text::parse("title", &input.title, limits::TITLE)?.into_inner(),
            description: optional("description", input.description.as_deref(), limits::LONG_TEXT)?,
            criteria: optional(
                "acceptanceCriteria",
                input.acceptance_criteria.as_deref(),
                limits::LONG_TEXT,
            )?,
        })
    }
}

/// 五到位: a measure names its lead unit, responsible leader, responsible person, deadline and
/// acceptance criteria (工作标准). The unit and the deadline cannot be left out of the input;
/// the others are refused here, all missing ones in one message, on the first one's field.
fn require_five_in_place(input: &NewMeasure) -> DomainResult<()> {
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    let missing: Vec<&str> = [
        ("responsibleLeaderId", input.responsible_leader_id.is_none()),
        ("responsiblePersonId", input.responsible_person_id.is_none()),
        ("acceptanceCriteria", blank(&input.acceptance_criteria)),
    ]
    .into_iter()
    .filter_map(|(field, absent)| absent.then_some(field))
    .collect();
    match missing.first() {
        None => Ok(()),
        Some(first) => Err(DomainError::invalid(
            *first,
            format!(
                "{} required: a measure names its lead unit, responsible leader, responsible person, deadline and acceptance criteria (五到位)",
                missing.join(", ") + if missing.len() == 1 { " is" } else { " are" }
            ),
        )),
    }
}

/// The problem a new measure belongs to: it must exist and not be archived.
async fn open_problem<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<problem::Model> {
    match problems::get(db, id).await? {
        Some(p) if p.archived => Err(DomainError::invalid(
            "problemId",
            format!("problemId: problem {} is archived", p.code),
        )),
        Some(p) => Ok(p),
        None => Err(DomainError::invalid(
            "problemId",
            format!("problemId: problem {id} does not exist"),
        )),
    }
}

/// The unit that leads the problem decides its measures, whoever will carry them out.
fn require_problem_owner(
    ctx: &RequestContext,
    problem: &problem::Model,
    disclosure: Option<Disclosure>,
) -> DomainResult<()> {
    let owner = [problem.lead_unit_id];
    ctx.access
        .require(Operation::EditLedger, Target::Units(&owner, "the problem's lead unit"))?;
    if disclosure.is_some_and(|d| d != Disclosure::Internal) {
        ctx.access
            .require(Operation::Disclose, Target::Units(&owner, "the problem's lead unit"))?;
    }
    Ok(())
}

fn check_deadline(deadline: NaiveDate, problem: &problem::Model) -> DomainResult<()> {
    if deadline < problem.found_on {
        return Err(DomainError::invalid(
            "deadline",
            format!(
                "deadline ({}) must not be before the problem's found date ({})",
                deadline, problem.found_on
            ),
        ));
    }
    Ok(())
}

fn new_row(
    input: &NewMeasure,
    texts: MeasureTexts,
    disclosure: Disclosure,
    now: chrono::DateTime<chrono::Utc>,
) -> measure::Model {
    measure::Model {
        id: Uuid::now_v7(),
        problem_id: input.problem_id,
        title: texts.title,
        description: texts.description,
        acceptance_criteria: texts.criteria,
        lead_unit_id: input.lead_unit_id,
        responsible_leader_id: input.responsible_leader_id,
        responsible_person_id: input.responsible_person_id,
        deadline: input.deadline,
        original_deadline: input.deadline,
        status: MeasureStatus::Pending,
        progress_percent: 0,
        started_on: None,
        submitted_on: None,
        submitted_by: None,
        extension_count: 0,
        public_explanation: None,
        relapse_count: 0,
        last_relapse_on: None,
        closed_on: None,
        disclosure,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

#[tracing::instrument(skip_all, fields(problem_id = %input.problem_id))]
pub async fn create(ledger: &Ledger, ctx: &RequestContext, input: NewMeasure) -> DomainResult<measure::Model> {
    let texts = MeasureTexts::parse(&input)?;
    ctx.access.require_login("creating a measure")?;
    let w = ledger.write(ctx).await?;
    let problem = open_problem(w.tx(), input.problem_id).await?;
    require_problem_owner(ctx, &problem, input.disclosure)?;
    check_deadline(input.deadline, &problem)?;
    require_five_in_place(&input)?;
    let disclosure = input.disclosure.unwrap_or(problem.disclosure);
    check_disclosure(disclosure, &problem)?;
    units::active(w.tx(), input.lead_unit_id, "leadUnitId").await?;
    let cooperating = check_cooperating(w.tx(), input.lead_unit_id, &input.cooperating_unit_ids).await?;
    check_person(w.tx(), input.responsible_leader_id, "responsibleLeaderId").await?;
    check_person(w.tx(), input.responsible_person_id, "responsiblePersonId").await?;
    let saved = w.insert(new_row(&input, texts, disclosure, w.now()), None).await?;
    replace_cooperating(w.tx(), saved.id, &cooperating).await?;
    let after = measure_snapshot(&saved, &cooperating)?;
    w.record::<measure::Model>("measure.create", saved.id, None, after, None)
        .await?;
    let assigned = receipts::measure_units(saved.lead_unit_id, &cooperating);
    receipts::assign(&w, Some(problem.campaign_id), Assigned::Measure(saved.id), &assigned).await?;
    w.commit().await?;
    Ok(saved)
}

/// A measure as it stands, with its cooperating units.
struct Current {
    row: measure::Model,
    cooperating: Vec<Uuid>,
}

impl Current {
    async fn load(w: &store::Write<'_>, id: Uuid) -> DomainResult<Self> {
        let row: measure::Model = w.load(id).await?;
        let cooperating = cooperating_units_of(w.tx(), &[id])
            .await?
            .into_iter()
            .map(|(_, u)| u)
            .collect();
        Ok(Self { row, cooperating })
    }

    /// The lead and cooperating units: where rights on the measure come from.
    fn units(&self) -> Vec<Uuid> {
        let mut units = vec![self.row.lead_unit_id];
        units.extend_from_slice(&self.cooperating);
        units
    }

    fn sorted_cooperating(&self) -> Vec<Uuid> {
        let mut sorted = self.cooperating.clone();
        sorted.sort();
        sorted
    }
}

/// A patch may change the responsible people and the acceptance criteria, not remove them (五到位).
fn refuse_removals(patch: &MeasurePatch) -> DomainResult<()> {
    let removed = [
        ("responsibleLeaderId", matches!(patch.responsible_leader_id, Some(None))),
        ("responsiblePersonId", matches!(patch.responsible_person_id, Some(None))),
        (
            "acceptanceCriteria",
            patch
                .acceptance_criteria
                .as_ref()
                .is_some_and(|c| c.as_deref().is_none_or(|c| c.trim().is_empty())),
        ),
    ];
    match removed.into_iter().find(|(_, gone)| *gone) {
        Some((field, _)) => Err(DomainError::invalid(
            field,
            format!("{field} cannot be removed: a measure keeps its responsible leader, responsible person and acceptance criteria (五到位); give a new one instead"),
        )),
        None => Ok(()),
    }
}

fn patch_texts(next: &mut measure::Model, patch: &MeasurePatch) -> DomainResult<()> {
    refuse_removals(patch)?;
    if let Some(title) = &patch.title {
        next.title = Text::parse("title", title, limits::TITLE)?.into_inner();
    }
    if let Some(description) = &patch.description {
        next.description = optional("description", description.as_deref(), limits::LONG_TEXT)?;
    }
    if let Some(criteria) = &patch.acceptance_criteria {
        next.acceptance_criteria = optional("acceptanceCriteria", criteria.as_deref(), limits::LONG_TEXT)?;
    }
    if let Some(explanation) = &patch.public_explanation {
        next.public_explanation = optional("publicExplanation", explanation.as_deref(), limits::LONG_TEXT)?;
    }
    Ok(())
}

/// The units of a SUBMITTED measure decide who may verify it (from outside them): they cannot
/// change until it is verified or rejected.
fn refuse_while_submitted(current: &measure::Model, field: &str) -> DomainResult<()> {
    if current.status == MeasureStatus::Submitted {
        return Err(DomainError::invalid(
            field,
            format!("{field} of a SUBMITTED measure cannot change until it is verified or rejected"),
        ));
    }
    Ok(())
}

/// Handing a measure over to another lead unit needs the role at both ends.
async fn patch_lead(
    w: &store::Write<'_>,
    current: &Current,
    next: &mut measure::Model,
    lead: Option<Uuid>,
) -> DomainResult<()> {
    let Some(lead) = lead else { return Ok(()) };
    if lead != current.row.lead_unit_id {
        refuse_while_submitted(&current.row, "leadUnitId")?;
        let access = &w.ctx().access;
        access.require(
            Operation::EditLedger,
            Target::Units(&[current.row.lead_unit_id], "the measure's current lead unit"),
        )?;
        access.require(Operation::EditLedger, Target::Units(&[lead], "the new lead unit"))?;
        units::active(w.tx(), lead, "leadUnitId").await?;
    }
    next.lead_unit_id = lead;
    Ok(())
}

/// The cooperating units after the patch. The lead unit decides who cooperates; cooperating
/// units may not change that.
async fn patch_cooperating(
    w: &store::Write<'_>,
    current: &Current,
    next: &measure::Model,
    ids: Option<&[Uuid]>,
) -> DomainResult<Vec<Uuid>> {
    match ids {
        Some(ids) => {
            let same = ids.len() == current.cooperating.len() && ids.iter().all(|u| current.cooperating.contains(u));
            if !same {
                refuse_while_submitted(&current.row, "cooperatingUnitIds")?;
                w.ctx().access.require(
                    Operation::EditLedger,
                    Target::Units(&[current.row.lead_unit_id], "the measure's lead unit"),
                )?;
            }
            check_cooperating(w.tx(), next.lead_unit_id, ids).await
        }
        None if current.cooperating.contains(&next.lead_unit_id) => Err(DomainError::invalid(
            "leadUnitId",
            "leadUnitId is a cooperating unit of this measure; change cooperatingUnitIds too",
        )),
        None => Ok(current.cooperating.clone()),
    }
}

/// The responsible leader and person. The verifier may not be the responsible person: that
/// person may not change while a verification is pending.
async fn patch_people(
    w: &store::Write<'_>,
    current: &measure::Model,
    next: &mut measure::Model,
    patch: &MeasurePatch,
) -> DomainResult<()> {
    let leader = patch
        .responsible_leader_id
        .filter(|l| *l != current.responsible_leader_id);
    let person = patch
        .responsible_person_id
        .filter(|p| *p != current.responsible_person_id);
    if (leader.is_some() || person.is_some()) && current.status == MeasureStatus::Submitted {
        return Err(DomainError::invalid(
            "responsiblePersonId",
            "the responsible people of a SUBMITTED measure cannot change until it is verified or rejected",
        ));
    }
    if let Some(leader) = leader {
        check_person(w.tx(), leader, "responsibleLeaderId").await?;
        next.responsible_leader_id = leader;
    }
    if let Some(person) = person {
        check_person(w.tx(), person, "responsiblePersonId").await?;
        next.responsible_person_id = person;
    }
    Ok(())
}

async fn patch_disclosure(
    w: &store::Write<'_>,
    current: &Current,
    next: &mut measure::Model,
    disclosure: Option<Disclosure>,
) -> DomainResult<()> {
    let Some(disclosure) = disclosure.filter(|d| *d != current.row.disclosure) else {
        return Ok(());
    };
    w.ctx()
        .access
        .require(Operation::Disclose, Target::Units(&current.units(), UNITS))?;
    let problem = problems::get(w.tx(), current.row.problem_id)
        .await?
        .ok_or_else(|| DomainError::not_found("Problem", current.row.problem_id))?;
    check_disclosure(disclosure, &problem)?;
    next.disclosure = disclosure;
    Ok(())
}

#[tracing::instrument(skip_all, fields(measure_id = %id))]
pub async fn update(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    patch: MeasurePatch,
) -> DomainResult<measure::Model> {
    let w = ledger.write(ctx).await?;
    let current = Current::load(&w, id).await?;
    ctx.access
        .require(Operation::EditLedger, Target::Units(&current.units(), UNITS))?;
    store::check_current(&current.row, expected_version)?;
    let mut next = current.row.clone();
    patch_texts(&mut next, &patch)?;
    patch_lead(&w, &current, &mut next, patch.lead_unit_id).await?;
    let next_coop = patch_cooperating(&w, &current, &next, patch.cooperating_unit_ids.as_deref()).await?;
    patch_people(&w, &current.row, &mut next, &patch).await?;
    patch_disclosure(&w, &current, &mut next, patch.disclosure).await?;
    let sorted_current = current.sorted_cooperating();
    if next == current.row && next_coop == sorted_current {
        return Ok(current.row);
    }
    let saved = w.update(&current.row, next, None).await?;
    if next_coop != sorted_current {
        replace_cooperating(w.tx(), id, &next_coop).await?;
    }
    let before = measure_snapshot(&current.row, &current.cooperating)?;
    let after = measure_snapshot(&saved, &next_coop)?;
    w.record::<measure::Model>("measure.update", id, Some(before), after, None)
        .await?;
    if next_coop != sorted_current || saved.lead_unit_id != current.row.lead_unit_id {
        let campaign = problems::get(w.tx(), saved.problem_id).await?.map(|p| p.campaign_id);
        let assigned = receipts::measure_units(saved.lead_unit_id, &next_coop);
        receipts::reassign_measure(&w, campaign, id, &assigned).await?;
    }
    w.commit().await?;
    Ok(saved)
}
