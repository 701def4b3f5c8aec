//! Problems found (查摆问题).

use async_graphql::{Context, Enum, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use entity::problem as db;

use super::audit::{history, AuditEvent};
use super::campaign::Campaign;
use super::connection::{connection, page_request, parse_id, parse_opt_id, uuid_cursor, Conn};
use super::enums::{Disclosure, ProblemSource, ProblemStatus, RectificationKind, ResponsibilityLevel, Severity};
use super::error::{GqlResult, IntoGql};
use super::loaders::{MeasureKey, MeasuresOfProblem, MilestonesOf, ProblemKey};
use super::measure::Measure;
use super::scalars::{Date, DateTime};
use super::unit::Unit;
use super::{ledger, loader, opt_id, patch, request};
use crate::domain::ledger::problems;

/// A problem found in a campaign, with its rectification measures.
pub struct Problem(pub db::Model);

impl Problem {
    async fn derived(&self, ctx: &Context<'_>) -> GqlResult<problems::Derived> {
        let measures = loader(ctx)
            .load_one(MeasuresOfProblem(self.0.id))
            .await?
            .unwrap_or_default();
        let milestones: Vec<_> = loader(ctx)
            .load_many(measures.iter().map(|m| MilestonesOf(m.id)))
            .await?
            .into_values()
            .flatten()
            .collect();
        Ok(problems::derive(&measures, &milestones, ledger(ctx).today()))
    }
}

#[Object]
impl Problem {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Human-readable code, unique in the campaign, e.g. `A-017`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// A short label such as 机关作风建设.
    async fn category(&self) -> &str {
        &self.0.category
    }
    async fn source(&self) -> ProblemSource {
        self.0.source.into()
    }
    /// Which forum, survey or inspection it came from.
    async fn source_detail(&self) -> Option<&str> {
        self.0.source_detail.as_deref()
    }
    async fn found_on(&self) -> Date {
        Date(self.0.found_on)
    }
    async fn responsibility_level(&self) -> ResponsibilityLevel {
        self.0.responsibility_level.into()
    }
    async fn severity(&self) -> Severity {
        self.0.severity.into()
    }
    async fn rectification_kind(&self) -> RectificationKind {
        self.0.rectification_kind.into()
    }
    /// Analysis of the cause (原因剖析).
    async fn root_cause(&self) -> Option<&str> {
        self.0.root_cause.as_deref()
    }
    async fn disclosure(&self) -> Disclosure {
        self.0.disclosure.into()
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
    /// Derived from the measures: OPEN (none yet), IN_PROGRESS, RECTIFIED (all closed).
    async fn status(&self, ctx: &Context<'_>) -> GqlResult<ProblemStatus> {
        Ok(self.derived(ctx).await?.status.into())
    }
    /// Some open measure is past its deadline.
    async fn overdue(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        Ok(self.derived(ctx).await?.overdue)
    }
    /// Some measure is declared long-term (逐步解决).
    async fn long_term(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        Ok(self.derived(ctx).await?.long_term)
    }
    async fn campaign(&self, ctx: &Context<'_>) -> GqlResult<Option<Campaign>> {
        Campaign::link(ctx, self.0.campaign_id).await
    }
    /// The lead unit (牵头单位).
    async fn lead_unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.lead_unit_id).await
    }
    /// The earlier problem this one repeats (老问题), if any.
    async fn repeats(&self, ctx: &Context<'_>) -> GqlResult<Option<Problem>> {
        match self.0.repeats_problem_id {
            Some(id) => Ok(loader(ctx).load_one(ProblemKey(id)).await?.map(Problem)),
            None => Ok(None),
        }
    }
    /// The rectification measures, by deadline.
    async fn measures(&self, ctx: &Context<'_>) -> GqlResult<Vec<Measure>> {
        let rows = loader(ctx)
            .load_one(MeasuresOfProblem(self.0.id))
            .await?
            .unwrap_or_default();
        // Only those the reader may see: one batched, rights-filtered lookup.
        let visible = loader(ctx).load_many(rows.iter().map(|m| MeasureKey(m.id))).await?;
        Ok(rows
            .into_iter()
            .filter(|m| visible.contains_key(&MeasureKey(m.id)))
            .map(Measure)
            .collect())
    }
    /// Audit events of this problem, newest first.
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

/// Filter of `problems`.
#[derive(InputObject, Default)]
pub struct ProblemFilter {
    pub campaign_id: Option<ID>,
    pub lead_unit_id: Option<ID>,
    /// With `leadUnitId`: problems led by its subunits too.
    #[graphql(default = false)]
    pub include_subunits: bool,
    pub severity: Option<Severity>,
    pub rectification_kind: Option<RectificationKind>,
    /// Exact category label.
    pub category: Option<String>,
    pub source: Option<ProblemSource>,
    pub status: Option<ProblemStatus>,
    pub overdue: Option<bool>,
    /// Archived problems or active ones; active ones when omitted.
    #[graphql(default = false)]
    pub archived: bool,
    /// Case-insensitive substring of code, title, description or root cause.
    pub search: Option<String>,
}

impl ProblemFilter {
    pub fn into_domain(self) -> GqlResult<problems::ProblemFilter> {
        Ok(problems::ProblemFilter {
            campaign_id: parse_opt_id("filter.campaignId", self.campaign_id.as_ref())?,
            lead_unit_id: parse_opt_id("filter.leadUnitId", self.lead_unit_id.as_ref())?,
            include_subunits: self.include_subunits,
            severity: self.severity.map(Into::into),
            rectification_kind: self.rectification_kind.map(Into::into),
            category: self.category,
            source: self.source.map(Into::into),
            status: self.status.map(Into::into),
            overdue: self.overdue,
            archived: Some(self.archived),
            search: self.search,
        })
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
#[graphql(remote = "problems::ProblemOrder")]
pub enum ProblemOrderBy {
    #[default]
    CodeAsc,
    CodeDesc,
    FoundOnAsc,
    FoundOnDesc,
    CreatedAtAsc,
    CreatedAtDesc,
}

#[derive(Default)]
pub struct ProblemQuery;

#[Object]
impl ProblemQuery {
    /// Problems, filtered and paginated.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn problems(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProblemFilter>,
        order_by: Option<ProblemOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Problem>> {
        let filter = filter.unwrap_or_default().into_domain()?;
        let page = problems::list(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            order_by.unwrap_or_default().into(),
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |p| uuid_cursor(&p.id), Problem))
    }
}

#[derive(InputObject)]
pub struct CreateProblemInput {
    pub campaign_id: ID,
    /// Unique in the campaign: 1–32 of letters, digits, `-`, `_`, `.` (e.g. `A-017`).
    pub code: String,
    /// 1–200 characters.
    pub title: String,
    pub description: Option<String>,
    /// 1–50 characters, e.g. 机关作风建设.
    pub category: String,
    pub source: ProblemSource,
    pub source_detail: Option<String>,
    /// Not in the future.
    pub found_on: Date,
    pub responsibility_level: ResponsibilityLevel,
    pub severity: Severity,
    pub rectification_kind: RectificationKind,
    pub root_cause: Option<String>,
    pub lead_unit_id: ID,
    /// INTERNAL when omitted.
    pub disclosure: Option<Disclosure>,
    pub repeats_problem_id: Option<ID>,
}

impl CreateProblemInput {
    /// The domain's input; ids that do not parse are reported under `parent` (e.g.
    /// `newProblem.leadUnitId`), or at the top level when `parent` is empty.
    pub fn into_domain(self, parent: &str) -> GqlResult<problems::NewProblem> {
        let field = |name: &str| {
            if parent.is_empty() {
                name.to_owned()
            } else {
                format!("{parent}.{name}")
            }
        };
        Ok(problems::NewProblem {
            campaign_id: parse_id(&field("campaignId"), &self.campaign_id)?,
            code: self.code,
            title: self.title,
            description: self.description,
            category: self.category,
            source: self.source.into(),
            source_detail: self.source_detail,
            found_on: self.found_on.0,
            responsibility_level: self.responsibility_level.into(),
            severity: self.severity.into(),
            rectification_kind: self.rectification_kind.into(),
            root_cause: self.root_cause,
            lead_unit_id: parse_id(&field("leadUnitId"), &self.lead_unit_id)?,
            disclosure: self.disclosure.map(Into::into),
            repeats_problem_id: parse_opt_id(&field("repeatsProblemId"), self.repeats_problem_id.as_ref())?,
        })
    }
}

#[derive(InputObject)]
pub struct UpdateProblemInput {
    pub id: ID,
    pub expected_version: i32,
    pub code: Option<String>,
    pub title: Option<String>,
    pub description: MaybeUndefined<String>,
    pub category: Option<String>,
    pub source: Option<ProblemSource>,
    pub source_detail: MaybeUndefined<String>,
    /// Not in the future, and not after a deadline of one of its measures.
    pub found_on: Option<Date>,
    pub responsibility_level: Option<ResponsibilityLevel>,
    pub severity: Option<Severity>,
    pub rectification_kind: Option<RectificationKind>,
    pub root_cause: MaybeUndefined<String>,
    pub lead_unit_id: Option<ID>,
    pub disclosure: Option<Disclosure>,
    pub repeats_problem_id: MaybeUndefined<ID>,
}

#[derive(InputObject)]
pub struct ArchiveProblemInput {
    pub id: ID,
    pub expected_version: i32,
    pub reason: Option<String>,
}

#[derive(SimpleObject)]
pub struct ProblemPayload {
    pub problem: Problem,
}

#[derive(Default)]
pub struct ProblemMutation;

#[Object]
impl ProblemMutation {
    async fn create_problem(&self, ctx: &Context<'_>, input: CreateProblemInput) -> GqlResult<ProblemPayload> {
        let new = input.into_domain("")?;
        let model = problems::create(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(ProblemPayload {
            problem: Problem(model),
        })
    }

    async fn update_problem(&self, ctx: &Context<'_>, input: UpdateProblemInput) -> GqlResult<ProblemPayload> {
        let id = parse_id("id", &input.id)?;
        let changes = problems::ProblemPatch {
            code: input.code,
            title: input.title,
            description: patch(input.description),
            category: input.category,
            source: input.source.map(Into::into),
            source_detail: patch(input.source_detail),
            found_on: input.found_on.map(|d| d.0),
            responsibility_level: input.responsibility_level.map(Into::into),
            severity: input.severity.map(Into::into),
            rectification_kind: input.rectification_kind.map(Into::into),
            root_cause: patch(input.root_cause),
            lead_unit_id: parse_opt_id("leadUnitId", input.lead_unit_id.as_ref())?,
            disclosure: input.disclosure.map(Into::into),
            repeats_problem_id: opt_id("repeatsProblemId", input.repeats_problem_id)?,
        };
        let model = problems::update(ledger(ctx), request(ctx), id, input.expected_version, changes)
            .await
            .gql(ctx)?;
        Ok(ProblemPayload {
            problem: Problem(model),
        })
    }

    /// Archives a problem (problems are never deleted).
    async fn archive_problem(&self, ctx: &Context<'_>, input: ArchiveProblemInput) -> GqlResult<ProblemPayload> {
        let id = parse_id("id", &input.id)?;
        let model = problems::archive(ledger(ctx), request(ctx), id, input.expected_version, input.reason)
            .await
            .gql(ctx)?;
        Ok(ProblemPayload {
            problem: Problem(model),
        })
    }
}
