//! Inspections (督查, 明察暗访) over GraphQL: the visits of inspection groups and the problems
//! their findings became.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::inspection as db;

use super::audit::{history, AuditEvent};
use super::campaign::Campaign;
use super::connection::{connection, page_request, parse_id, parse_opt_id, uuid_cursor, Conn};
use super::error::{bad_input, GqlResult, IntoGql};
use super::loaders::{PersonKey, ProblemKey, UnitKey};
use super::person::Person;
use super::problem::{CreateProblemInput, Problem};
use super::scalars::{Date, DateTime};
use super::unit::Unit;
use super::{ledger, loader, request};
use crate::domain::inspections as domain;

/// An inspection group's visit (督查): 明察 or 暗访, its plan, team, dates, the units visited and
/// the problems its findings became.
pub struct Inspection(pub db::Model, std::sync::OnceLock<domain::Links>);

impl Inspection {
    pub fn new(row: db::Model) -> Self {
        Self(row, std::sync::OnceLock::new())
    }

    /// The team, visited units and findings, read once per object (three statements) however
    /// many of the three fields are selected.
    async fn links(&self, ctx: &Context<'_>) -> GqlResult<domain::Links> {
        if let Some(links) = self.1.get() {
            return Ok(links.clone());
        }
        let links = domain::links(&ledger(ctx).db, self.0.id).await.gql(ctx)?;
        Ok(self.1.get_or_init(|| links).clone())
    }
}

#[Object]
impl Inspection {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn campaign(&self, ctx: &Context<'_>) -> GqlResult<Option<Campaign>> {
        Campaign::link(ctx, self.0.campaign_id).await
    }
    /// The INSPECTION_GROUP unit that inspects.
    async fn group_unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.group_unit_id).await
    }
    async fn mode(&self) -> InspectionMode {
        self.0.mode.into()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The plan (督查方案): what is checked, where, how.
    async fn plan(&self) -> &str {
        &self.0.plan
    }
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    async fn ends_on(&self) -> Date {
        Date(self.0.ends_on)
    }
    async fn recorder_name(&self) -> &str {
        &self.0.recorder_name
    }
    async fn recorded_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// The team: people of the group unit.
    async fn members(&self, ctx: &Context<'_>) -> GqlResult<Vec<Person>> {
        in_order(ctx, &self.links(ctx).await?.member_ids, PersonKey, Person).await
    }
    async fn visited_units(&self, ctx: &Context<'_>) -> GqlResult<Vec<Unit>> {
        in_order(ctx, &self.links(ctx).await?.visited_unit_ids, UnitKey, Unit).await
    }
    /// The problems the findings became, those the reader may see, in the order filed.
    async fn findings(&self, ctx: &Context<'_>) -> GqlResult<Vec<Problem>> {
        in_order(ctx, &self.links(ctx).await?.problem_ids, ProblemKey, Problem).await
    }
    /// Audit events of this inspection, newest first.
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

/// The rows of `ids` through the request's loader (one batch), in the order of `ids`, those it
/// finds (the loader applies the reader's rights).
async fn in_order<K, V, T>(
    ctx: &Context<'_>,
    ids: &[uuid::Uuid],
    key: impl Fn(uuid::Uuid) -> K,
    wrap: impl Fn(V) -> T,
) -> GqlResult<Vec<T>>
where
    K: Send + Sync + Clone + Eq + std::hash::Hash + 'static,
    V: Send + Sync + Clone + 'static,
    super::loaders::LedgerLoader: async_graphql::dataloader::Loader<K, Value = V, Error = super::loaders::LoadError>,
{
    let found = loader(ctx).load_many(ids.iter().map(|id| key(*id))).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.get(&key(*id)).cloned().map(&wrap))
        .collect())
}

/// 明察 or 暗访.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::InspectionMode")]
pub enum InspectionMode {
    /// 明察: announced; its findings are problems of source SUPERVISION.
    Open,
    /// 暗访: unannounced; its findings are problems of source UNANNOUNCED_VISIT.
    Unannounced,
}

#[derive(InputObject, Default)]
pub struct InspectionFilter {
    pub campaign_id: Option<ID>,
    pub group_unit_id: Option<ID>,
    pub mode: Option<InspectionMode>,
    /// Inspections that visited this unit.
    pub visited_unit_id: Option<ID>,
}

#[derive(Default)]
pub struct InspectionQuery;

#[Object]
impl InspectionQuery {
    /// Inspections, newest first: those of a group the reader supervises, or that visited a
    /// unit in its scope.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn inspections(
        &self,
        ctx: &Context<'_>,
        filter: Option<InspectionFilter>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Inspection>> {
        let f = filter.unwrap_or_default();
        let filter = domain::InspectionFilter {
            campaign_id: parse_opt_id("filter.campaignId", f.campaign_id.as_ref())?,
            group_unit_id: parse_opt_id("filter.groupUnitId", f.group_unit_id.as_ref())?,
            mode: f.mode.map(Into::into),
            visited_unit_id: parse_opt_id("filter.visitedUnitId", f.visited_unit_id.as_ref())?,
        };
        let page = domain::list(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |i| uuid_cursor(&i.id), Inspection::new))
    }
}

#[derive(InputObject)]
pub struct RecordInspectionInput {
    pub campaign_id: ID,
    /// An INSPECTION_GROUP unit.
    pub group_unit_id: ID,
    pub mode: InspectionMode,
    /// 1–200 characters.
    pub title: String,
    /// 1–5000 characters.
    pub plan: String,
    pub starts_on: Date,
    /// Not before `startsOn`.
    pub ends_on: Date,
    /// 1–100 active people of the group unit.
    pub member_ids: Vec<ID>,
    /// 1–100 active units; the caller needs SUPERVISOR on each.
    pub visited_unit_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct RecordInspectionFindingInput {
    pub inspection_id: ID,
    /// The problem the finding becomes: of the inspection's campaign, `source` SUPERVISION for
    /// 明察 or UNANNOUNCED_VISIT for 暗访, found during the visit, led by a visited unit or a unit
    /// below one.
    pub problem: CreateProblemInput,
}

#[derive(SimpleObject)]
pub struct InspectionPayload {
    pub inspection: Inspection,
}

#[derive(SimpleObject)]
pub struct InspectionFindingPayload {
    pub inspection: Inspection,
    /// The new problem.
    pub problem: Problem,
}

fn ids(field: &str, list: &[ID]) -> GqlResult<Vec<uuid::Uuid>> {
    list.iter()
        .enumerate()
        .map(|(i, id)| parse_id(&format!("{field}.{i}"), id))
        .collect()
}

#[derive(Default)]
pub struct InspectionMutation;

#[Object]
impl InspectionMutation {
    /// Records an inspection (SUPERVISOR on every visited unit).
    async fn record_inspection(&self, ctx: &Context<'_>, input: RecordInspectionInput) -> GqlResult<InspectionPayload> {
        let new = domain::NewInspection {
            campaign_id: parse_id("campaignId", &input.campaign_id)?,
            group_unit_id: parse_id("groupUnitId", &input.group_unit_id)?,
            mode: input.mode.into(),
            title: input.title,
            plan: input.plan,
            starts_on: input.starts_on.0,
            ends_on: input.ends_on.0,
            member_ids: ids("memberIds", &input.member_ids)?,
            visited_unit_ids: ids("visitedUnitIds", &input.visited_unit_ids)?,
        };
        let row = domain::record(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(InspectionPayload {
            inspection: Inspection::new(row),
        })
    }

    /// Files a finding of an inspection as a new problem, in one change (SUPERVISOR on the
    /// problem's lead unit).
    async fn record_inspection_finding(
        &self,
        ctx: &Context<'_>,
        input: RecordInspectionFindingInput,
    ) -> GqlResult<InspectionFindingPayload> {
        let id = parse_id("inspectionId", &input.inspection_id)?;
        let new = input.problem.into_domain("problem")?;
        let problem = domain::add_finding(ledger(ctx), request(ctx), id, new).await.gql(ctx)?;
        let inspection = domain::get(&ledger(ctx).db, id)
            .await
            .gql(ctx)?
            .ok_or_else(|| bad_input("inspectionId", "the inspection is gone"))?;
        Ok(InspectionFindingPayload {
            inspection: Inspection::new(inspection),
            problem: Problem(problem),
        })
    }
}
