//! Problems found (查摆问题). A problem's status is derived from its measures: OPEN without
//! live measures, RECTIFIED when every live measure is closed, IN_PROGRESS otherwise.

use chrono::NaiveDate;
use entity::enums::{Disclosure, MeasureStatus, ProblemSource, RectificationKind, ResponsibilityLevel, Severity};
use entity::{measure, problem};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::domain::access::{Access, Operation, Target};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ledger::overdue::{is_overdue, overdue_measure_condition};
use crate::domain::page::{keyset_page, text_match, Page, PageRequest};
use crate::domain::text::{limits, Code, Text};
use crate::domain::{ledger::campaigns, org::units, store, Ledger};

pub const ENTITY: &str = "Problem";
const CODE_TAKEN: store::UniqueField<'static> =
    Some(("code", "code is already used by another problem of this campaign"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemStatus {
    Open,
    InProgress,
    Rectified,
}

/// Status and flags of a problem, derived from its measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Derived {
    pub status: ProblemStatus,
    pub overdue: bool,
    pub long_term: bool,
}

/// A problem's status from its measures; `milestones` are theirs (for overdue).
pub fn derive(measures: &[measure::Model], milestones: &[entity::milestone::Model], today: NaiveDate) -> Derived {
    let live: Vec<_> = measures
        .iter()
        .filter(|m| m.status != MeasureStatus::Cancelled)
        .collect();
    let status = if live.is_empty() {
        ProblemStatus::Open
    } else if live.iter().all(|m| m.status == MeasureStatus::Closed) {
        ProblemStatus::Rectified
    } else {
        ProblemStatus::InProgress
    };
    Derived {
        status,
        overdue: live.iter().any(|m| is_overdue(m, milestones, today)),
        long_term: live.iter().any(|m| m.status == MeasureStatus::LongTerm),
    }
}

#[derive(Debug, Clone)]
pub struct NewProblem {
    pub campaign_id: Uuid,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub category: String,
    pub source: ProblemSource,
    pub source_detail: Option<String>,
    pub found_on: NaiveDate,
    pub responsibility_level: ResponsibilityLevel,
    pub severity: Severity,
    pub rectification_kind: RectificationKind,
    pub root_cause: Option<String>,
    pub lead_unit_id: Uuid,
    pub disclosure: Option<Disclosure>,
    pub repeats_problem_id: Option<Uuid>,
}

#[derive(Debug, Clone, Default)]
pub struct ProblemPatch {
    pub code: Option<String>,
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub category: Option<String>,
    pub source: Option<ProblemSource>,
    pub source_detail: Option<Option<String>>,
    pub found_on: Option<NaiveDate>,
    pub responsibility_level: Option<ResponsibilityLevel>,
    pub severity: Option<Severity>,
    pub rectification_kind: Option<RectificationKind>,
    pub root_cause: Option<Option<String>>,
    pub lead_unit_id: Option<Uuid>,
    pub disclosure: Option<Disclosure>,
    pub repeats_problem_id: Option<Option<Uuid>>,
}

#[derive(Debug, Clone, Default)]
pub struct ProblemFilter {
    pub campaign_id: Option<Uuid>,
    pub lead_unit_id: Option<Uuid>,
    pub include_subunits: bool,
    pub severity: Option<Severity>,
    pub rectification_kind: Option<RectificationKind>,
    pub category: Option<String>,
    pub source: Option<ProblemSource>,
    pub status: Option<ProblemStatus>,
    pub overdue: Option<bool>,
    pub archived: Option<bool>,
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProblemOrder {
    #[default]
    CodeAsc,
    CodeDesc,
    FoundOnAsc,
    FoundOnDesc,
    CreatedAtAsc,
    CreatedAtDesc,
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<problem::Model>> {
    Ok(problem::Entity::find_by_id(id).one(db).await?)
}

/// The rows of `ids` that `access` may read.
pub async fn visible_by_ids<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    ids: &[Uuid],
) -> DomainResult<Vec<problem::Model>> {
    Ok(problem::Entity::find()
        .filter(problem::Column::Id.is_in(ids.to_vec()))
        .filter(access.problem_condition())
        .all(db)
        .await?)
}

pub async fn by_ids<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<problem::Model>> {
    Ok(problem::Entity::find()
        .filter(problem::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

/// `SELECT 1 FROM measure WHERE measure.problem_id = problem.id AND <extra>`.
fn measures_of_problem(extra: Condition) -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(measure::Entity)
        .and_where(
            Expr::col((measure::Entity, measure::Column::ProblemId)).equals((problem::Entity, problem::Column::Id)),
        )
        .cond_where(extra)
        .to_owned()
}

fn live() -> Condition {
    Condition::all().add(Expr::col((measure::Entity, measure::Column::Status)).ne(MeasureStatus::Cancelled))
}

fn status_condition(status: ProblemStatus) -> Condition {
    let unfinished = live().add(Expr::col((measure::Entity, measure::Column::Status)).ne(MeasureStatus::Closed));
    match status {
        ProblemStatus::Open => Condition::all().add(Expr::exists(measures_of_problem(live())).not()),
        ProblemStatus::InProgress => Condition::all().add(Expr::exists(measures_of_problem(unfinished))),
        ProblemStatus::Rectified => Condition::all()
            .add(Expr::exists(measures_of_problem(live())))
            .add(Expr::exists(measures_of_problem(unfinished)).not()),
    }
}

impl ProblemFilter {
    /// The filter as one SQL condition, ANDed with the reader's rights (which come first).
    pub async fn condition(&self, ledger: &Ledger, access: &Access) -> DomainResult<Condition> {
        let mut cond = Condition::all()
            .add(access.problem_condition())
            .add(self.column_condition());
        if let Some(unit) = self.lead_unit_id {
            let ids = units::unit_or_subtree(&ledger.db, unit, self.include_subunits).await?;
            cond = cond.add(problem::Column::LeadUnitId.is_in(ids));
        }
        if let Some(status) = self.status {
            cond = cond.add(status_condition(status));
        }
        if let Some(overdue) = self.overdue {
            let exists = Expr::exists(measures_of_problem(overdue_measure_condition(ledger.today())));
            cond = cond.add(if overdue { exists } else { exists.not() });
        }
        Ok(cond)
    }

    /// The parts that compare the problem's own columns.
    fn column_condition(&self) -> Condition {
        let mut cond = Condition::all();
        if let Some(campaign) = self.campaign_id {
            cond = cond.add(problem::Column::CampaignId.eq(campaign));
        }
        if let Some(severity) = self.severity {
            cond = cond.add(problem::Column::Severity.eq(severity));
        }
        if let Some(kind) = self.rectification_kind {
            cond = cond.add(problem::Column::RectificationKind.eq(kind));
        }
        if let Some(category) = self.category.as_deref() {
            cond = cond.add(problem::Column::Category.eq(category.trim()));
        }
        if let Some(source) = self.source {
            cond = cond.add(problem::Column::Source.eq(source));
        }
        if let Some(archived) = self.archived {
            cond = cond.add(problem::Column::Archived.eq(archived));
        }
        if let Some(search) = self.search.as_deref().filter(|s| !s.trim().is_empty()) {
            let columns = [
                problem::Column::Code,
                problem::Column::Title,
                problem::Column::Description,
                problem::Column::RootCause,
            ];
            cond = cond.add(text_match(&columns, search));
        }
        cond
    }
}

impl ProblemOrder {
    fn column(self) -> (problem::Column, Order) {
        match self {
            ProblemOrder::CodeAsc => (problem::Column::Code, Order::Asc),
            ProblemOrder::CodeDesc => (problem::Column::Code, Order::Desc),
            ProblemOrder::FoundOnAsc => (problem::Column::FoundOn, Order::Asc),
            ProblemOrder::FoundOnDesc => (problem::Column::FoundOn, Order::Desc),
            ProblemOrder::CreatedAtAsc => (problem::Column::CreatedAt, Order::Asc),
            ProblemOrder::CreatedAtDesc => (problem::Column::CreatedAt, Order::Desc),
        }
    }
}

pub async fn list(
    ledger: &Ledger,
    access: &Access,
    filter: &ProblemFilter,
    order: ProblemOrder,
    page: PageRequest,
) -> DomainResult<Page<problem::Model>> {
    let cond = filter.condition(ledger, access).await?;
    let (sort, dir) = order.column();
    keyset_page(
        &ledger.db,
        problem::Entity::find().filter(cond),
        sort,
        problem::Column::Id,
        dir,
        page,
    )
    .await
}

struct Texts {
    title: String,
    description: Option<String>,
    category: String,
    source_detail: Option<String>,
    root_cause: Option<String>,
}

fn optional(field: &str, value: Option<&str>, max: usize) -> DomainResult<Option<String>> {
    Ok(Text::parse_optional(field, value, max)?.map(Text::into_inner))
}

async fn ensure_code_free<C: ConnectionTrait>(
    db: &C,
    campaign: Uuid,
    code: &str,
    except: Option<Uuid>,
) -> DomainResult<()> {
    let mut query = problem::Entity::find()
        .filter(problem::Column::CampaignId.eq(campaign))
        .filter(problem::Column::Code.eq(code));
    if let Some(id) = except {
        query = query.filter(problem::Column::Id.ne(id));
    }
    if query.count(db).await? > 0 {
        return Err(DomainError::invalid(
            "code",
            format!("code {code} is already used by another problem of this campaign"),
        ));
    }
    Ok(())
}

fn check_found_on(ledger: &Ledger, found_on: NaiveDate) -> DomainResult<()> {
    let today = ledger.today();
    if found_on > today {
        return Err(DomainError::invalid(
            "foundOn",
            format!("foundOn ({found_on}) must not be in the future (today is {today})"),
        ));
    }
    Ok(())
}

/// A problem may repeat (老问题) only an earlier one: found no later, and recorded before it
/// (ids are time-ordered), which also rules out cycles.
async fn check_repeats<C: ConnectionTrait>(
    db: &C,
    id: Option<Uuid>,
    found_on: NaiveDate,
    repeats: Uuid,
) -> DomainResult<()> {
    const FIELD: &str = "repeatsProblemId";
    let earlier = get(db, repeats)
        .await?
        .ok_or_else(|| DomainError::invalid(FIELD, format!("{FIELD}: problem {repeats} does not exist")))?;
    let recorded_before = id.is_none_or(|id| earlier.id < id);
    if !recorded_before || earlier.found_on > found_on {
        return Err(DomainError::invalid(
            FIELD,
            format!(
                "{FIELD} must name an earlier problem; {} is not earlier than this one",
                earlier.code
            ),
        ));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(code = %input.code))]
pub async fn create(ledger: &Ledger, ctx: &RequestContext, input: NewProblem) -> DomainResult<problem::Model> {
    let checked = check_new(ledger, ctx, input)?;
    let w = ledger.write(ctx).await?;
    let saved = create_in(&w, checked).await?;
    w.commit().await?;
    Ok(saved)
}

/// A new problem whose texts, dates and the caller's rights have been checked (everything that
/// needs no database), ready for [`create_in`].
pub struct CheckedProblem {
    input: NewProblem,
    code: String,
    texts: Texts,
}

/// Checks a new problem before any write turn is taken.
pub fn check_new(ledger: &Ledger, ctx: &RequestContext, input: NewProblem) -> DomainResult<CheckedProblem> {
    let code = Code::parse("code", &input.code)?.into_inner();
    let texts = Texts {
        title: Text::parse("title", &input.title, limits::TITLE)?.into_inner(),
        description: optional("description", input.description.as_deref(), limits::LONG_TEXT)?,
        category: Text::parse("category", &input.category, limits::CATEGORY)?.into_inner(),
        source_detail: optional("sourceDetail", input.source_detail.as_deref(), limits::SOURCE_DETAIL)?,
        root_cause: optional("rootCause", input.root_cause.as_deref(), limits::LONG_TEXT)?,
    };
    check_found_on(ledger, input.found_on)?;
    let lead = [input.lead_unit_id];
    ctx.access
        .require(Operation::EditLedger, Target::Units(&lead, "the problem's lead unit"))?;
    if input.disclosure.is_some_and(|d| d != Disclosure::Internal) {
        ctx.access
            .require(Operation::Disclose, Target::Units(&lead, "the problem's lead unit"))?;
    }
    Ok(CheckedProblem { input, code, texts })
}

/// Creates a checked problem within the caller's write transaction (which holds the write
/// turn), for a service that creates one as part of a larger change.
pub async fn create_in(w: &store::Write<'_>, checked: CheckedProblem) -> DomainResult<problem::Model> {
    let CheckedProblem { input, code, texts } = checked;
    if campaigns::get(w.tx(), input.campaign_id).await?.is_none() {
        return Err(DomainError::invalid(
            "campaignId",
            format!("campaignId: campaign {} does not exist", input.campaign_id),
        ));
    }
    units::active(w.tx(), input.lead_unit_id, "leadUnitId").await?;
    if let Some(repeats) = input.repeats_problem_id {
        check_repeats(w.tx(), None, input.found_on, repeats).await?;
    }
    ensure_code_free(w.tx(), input.campaign_id, &code, None).await?;
    let now = w.now();
    let model = problem::Model {
        id: Uuid::now_v7(),
        campaign_id: input.campaign_id,
        code,
        title: texts.title,
        description: texts.description,
        category: texts.category,
        source: input.source,
        source_detail: texts.source_detail,
        found_on: input.found_on,
        responsibility_level: input.responsibility_level,
        severity: input.severity,
        rectification_kind: input.rectification_kind,
        root_cause: texts.root_cause,
        lead_unit_id: input.lead_unit_id,
        disclosure: input.disclosure.unwrap_or(Disclosure::Internal),
        repeats_problem_id: input.repeats_problem_id,
        archived: false,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.create("problem.create", model, CODE_TAKEN).await?;
    Ok(saved)
}

/// The texts and classifications a patch may change, checked.
fn patch_fields(next: &mut problem::Model, patch: &ProblemPatch) -> DomainResult<()> {
    if let Some(title) = &patch.title {
        next.title = Text::parse("title", title, limits::TITLE)?.into_inner();
    }
    if let Some(description) = &patch.description {
        next.description = optional("description", description.as_deref(), limits::LONG_TEXT)?;
    }
    if let Some(category) = &patch.category {
        next.category = Text::parse("category", category, limits::CATEGORY)?.into_inner();
    }
    if let Some(detail) = &patch.source_detail {
        next.source_detail = optional("sourceDetail", detail.as_deref(), limits::SOURCE_DETAIL)?;
    }
    if let Some(root_cause) = &patch.root_cause {
        next.root_cause = optional("rootCause", root_cause.as_deref(), limits::LONG_TEXT)?;
    }
    next.source = patch.source.unwrap_or(next.source);
    next.responsibility_level = patch.responsibility_level.unwrap_or(next.responsibility_level);
    next.severity = patch.severity.unwrap_or(next.severity);
    next.rectification_kind = patch.rectification_kind.unwrap_or(next.rectification_kind);
    Ok(())
}

/// The changes that depend on other rows: code, found date, lead unit, disclosure, repeats.
/// Where a campaign lets measures of IMMEDIATE problems close without evidence, making a
/// problem IMMEDIATE waives the close-out's evidence: that needs SUPERVISOR on its lead unit,
/// not only the owners' EDITOR role.
async fn require_waiver_rights(
    w: &store::Write<'_>,
    current: &problem::Model,
    next: &problem::Model,
) -> DomainResult<()> {
    let to_immediate = next.rectification_kind == RectificationKind::Immediate
        && current.rectification_kind != RectificationKind::Immediate;
    if !to_immediate {
        return Ok(());
    }
    let waives = campaigns::get(w.tx(), current.campaign_id)
        .await?
        .is_some_and(|c| c.evidence_optional_for_immediate);
    if waives {
        w.ctx().access.require(
            Operation::Supervise,
            Target::Units(&[current.lead_unit_id], "the problem's lead unit"),
        )?;
    }
    Ok(())
}

async fn patch_links(
    w: &store::Write<'_>,
    current: &problem::Model,
    next: &mut problem::Model,
    patch: ProblemPatch,
) -> DomainResult<()> {
    let (access, id) = (&w.ctx().access, current.id);
    require_waiver_rights(w, current, next).await?;
    if let Some(code) = patch.code {
        let code = Code::parse("code", &code)?.into_inner();
        ensure_code_free(w.tx(), current.campaign_id, &code, Some(id)).await?;
        next.code = code;
    }
    if let Some(found_on) = patch.found_on {
        check_found_on(w.ledger(), found_on)?;
        ensure_no_deadline_before(w.tx(), id, found_on).await?;
        next.found_on = found_on;
    }
    if let Some(unit) = patch.lead_unit_id.filter(|u| *u != current.lead_unit_id) {
        access.require(Operation::EditLedger, Target::Units(&[unit], "the new lead unit"))?;
        units::active(w.tx(), unit, "leadUnitId").await?;
        next.lead_unit_id = unit;
    }
    if let Some(disclosure) = patch.disclosure.filter(|d| *d != current.disclosure) {
        let lead = [current.lead_unit_id];
        access.require(Operation::Disclose, Target::Units(&lead, "the problem's lead unit"))?;
        ensure_measures_within(w.tx(), id, disclosure).await?;
        next.disclosure = disclosure;
    }
    if let Some(repeats) = patch.repeats_problem_id {
        if let Some(r) = repeats {
            check_repeats(w.tx(), Some(id), next.found_on, r).await?;
        }
        next.repeats_problem_id = repeats;
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(problem_id = %id))]
pub async fn update(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    patch: ProblemPatch,
) -> DomainResult<problem::Model> {
    let w = ledger.write(ctx).await?;
    let current: problem::Model = w.load(id).await?;
    let lead = [current.lead_unit_id];
    ctx.access
        .require(Operation::EditLedger, Target::Units(&lead, "the problem's lead unit"))?;
    store::check_current(&current, expected_version)?;
    let mut next = current.clone();
    patch_fields(&mut next, &patch)?;
    patch_links(&w, &current, &mut next, patch).await?;
    let saved = w.save("problem.update", current, next, None, CODE_TAKEN).await?;
    w.commit().await?;
    Ok(saved)
}

/// How widely a disclosure level shows an item: INTERNAL < SYSTEM < PUBLIC.
pub fn disclosure_rank(d: Disclosure) -> u8 {
    match d {
        Disclosure::Internal => 0,
        Disclosure::System => 1,
        Disclosure::Public => 2,
    }
}

/// A measure never shows more widely than its problem, so whoever sees a measure sees its
/// problem: lowering a problem's disclosure below one of its measures' is refused.
async fn ensure_measures_within<C: ConnectionTrait>(db: &C, id: Uuid, level: Disclosure) -> DomainResult<()> {
    let wider = measure::Entity::find()
        .filter(measure::Column::ProblemId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .find(|m| disclosure_rank(m.disclosure) > disclosure_rank(level));
    match wider {
        Some(m) => Err(DomainError::invalid(
            "disclosure",
            format!(
                "measure {} is disclosed more widely; lower its disclosure first",
                m.title
            ),
        )),
        None => Ok(()),
    }
}

/// A problem's found date must not move past a deadline of one of its measures.
async fn ensure_no_deadline_before<C: ConnectionTrait>(db: &C, id: Uuid, found_on: NaiveDate) -> DomainResult<()> {
    let earliest = measure::Entity::find()
        .filter(measure::Column::ProblemId.eq(id))
        .order_by_asc(measure::Column::Deadline)
        .limit(1)
        .one(db)
        .await?;
    match earliest {
        Some(m) if m.deadline < found_on => Err(DomainError::invalid(
            "foundOn",
            format!(
                "foundOn ({found_on}) would be after the deadline {} of measure {}",
                m.deadline, m.title
            ),
        )),
        _ => Ok(()),
    }
}

#[tracing::instrument(skip_all, fields(problem_id = %id))]
pub async fn archive(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    reason: Option<String>,
) -> DomainResult<problem::Model> {
    let reason = optional("reason", reason.as_deref(), limits::REASON)?;
    let w = ledger.write(ctx).await?;
    let current: problem::Model = w.load(id).await?;
    ctx.access.require(
        Operation::EditLedger,
        Target::Units(&[current.lead_unit_id], "the problem's lead unit"),
    )?;
    store::check_current(&current, expected_version)?;
    let saved = w.archive(current, reason.as_deref()).await?;
    w.commit().await?;
    Ok(saved)
}
