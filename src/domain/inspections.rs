//! Inspections (督查, 明察暗访): an inspection group's visit — its plan, its team (people of the
//! INSPECTION_GROUP unit), its dates, the units it visits, 明察 (OPEN) or 暗访 (UNANNOUNCED) —
//! recorded by a supervisor of the visited units; each finding becomes a problem of the campaign
//! (source SUPERVISION for 明察, UNANNOUNCED_VISIT for 暗访) in the same change that files it under
//! the inspection.

use std::collections::HashSet;

use chrono::NaiveDate;
use entity::enums::{InspectionMode, ProblemSource, UnitKind};
use entity::{
    inspection as insp, inspection_finding as finding, inspection_member as member, inspection_visit as visit, problem,
};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, Order, QueryFilter,
    QueryOrder,
};
use serde_json::Value;
use uuid::Uuid;

use super::access::{Access, Operation, Scope, Target};
use super::context::RequestContext;
use super::error::{DomainError, DomainResult};
use super::page::{keyset_page, Page, PageRequest};
use super::snapshot::snapshot;
use super::store::{self, Versioned};
use super::text::{limits, Text};
use super::{ledger::campaigns, ledger::problems, org::people, org::units, Ledger};
use crate::audit::Change;

pub const ENTITY: &str = insp::Model::ENTITY;

/// The most people on one team and units on one visit.
pub const MAX_LINKS: usize = 100;

#[derive(Debug, Clone)]
pub struct NewInspection {
    pub campaign_id: Uuid,
    pub group_unit_id: Uuid,
    pub mode: InspectionMode,
    pub title: String,
    pub plan: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub member_ids: Vec<Uuid>,
    pub visited_unit_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Default)]
pub struct InspectionFilter {
    pub campaign_id: Option<Uuid>,
    pub group_unit_id: Option<Uuid>,
    pub mode: Option<InspectionMode>,
    /// Inspections that visited this unit.
    pub visited_unit_id: Option<Uuid>,
}

/// The links of an inspection, read together.
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub member_ids: Vec<Uuid>,
    pub visited_unit_ids: Vec<Uuid>,
    pub problem_ids: Vec<Uuid>,
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<insp::Model>> {
    Ok(insp::Entity::find_by_id(id).one(db).await?)
}

/// The problem source of a finding: 明察 → SUPERVISION (督查发现), 暗访 → UNANNOUNCED_VISIT.
pub fn source_of(mode: InspectionMode) -> ProblemSource {
    match mode {
        InspectionMode::Open => ProblemSource::Supervision,
        InspectionMode::Unannounced => ProblemSource::UnannouncedVisit,
    }
}

/// The row's snapshot with its team, visited units and finding problems, as the audit trail
/// keeps it.
fn inspection_snapshot(row: &insp::Model, links: &Links) -> DomainResult<Value> {
    let mut value = snapshot(row)?;
    if let Value::Object(map) = &mut value {
        let ids = |list: &[Uuid]| Value::from(list.iter().map(Uuid::to_string).collect::<Vec<_>>());
        map.insert("member_ids".to_owned(), ids(&links.member_ids));
        map.insert("visited_unit_ids".to_owned(), ids(&links.visited_unit_ids));
        map.insert("problem_ids".to_owned(), ids(&links.problem_ids));
    }
    Ok(value)
}

/// Records an inspection (SUPERVISOR on every unit it visits). Audited as `inspection.record`.
#[tracing::instrument(skip_all, fields(campaign_id = %input.campaign_id))]
pub async fn record(ledger: &Ledger, ctx: &RequestContext, input: NewInspection) -> DomainResult<insp::Model> {
    let title = Text::parse("title", &input.title, limits::TITLE)?.into_inner();
    let plan = Text::parse("plan", &input.plan, limits::LONG_TEXT)?.into_inner();
    let members = distinct("memberIds", &input.member_ids)?;
    let visited = distinct("visitedUnitIds", &input.visited_unit_ids)?;
    if input.ends_on < input.starts_on {
        return Err(DomainError::invalid("endsOn", "endsOn must not be before startsOn"));
    }
    for unit in &visited {
        ctx.access
            .require(Operation::Supervise, Target::Units(&[*unit], "each visited unit"))?;
    }
    let w = ledger.write(ctx).await?;
    campaigns::get(w.tx(), input.campaign_id).await?.ok_or_else(|| {
        DomainError::invalid(
            "campaignId",
            format!("campaignId: campaign {} does not exist", input.campaign_id),
        )
    })?;
    check_team(&w, input.group_unit_id, &members).await?;
    for (i, unit) in visited.iter().enumerate() {
        units::active(w.tx(), *unit, &format!("visitedUnitIds.{i}")).await?;
    }
    let now = w.now();
    let row = insp::Model {
        id: Uuid::now_v7(),
        campaign_id: input.campaign_id,
        group_unit_id: input.group_unit_id,
        mode: input.mode,
        title,
        plan,
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        recorded_by: ctx.actor.id.clone(),
        recorder_name: ctx.actor.display_name.clone(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.insert(row, None).await?;
    insert_links(&w, saved.id, &members, &visited).await?;
    let links = Links {
        member_ids: members,
        visited_unit_ids: visited,
        problem_ids: Vec::new(),
    };
    let after = inspection_snapshot(&saved, &links)?;
    w.record::<insp::Model>("inspection.record", saved.id, None, after, None)
        .await?;
    w.commit().await?;
    Ok(saved)
}

/// Ids given once each, at least one, at most [`MAX_LINKS`].
fn distinct(field: &str, ids: &[Uuid]) -> DomainResult<Vec<Uuid>> {
    let mut seen = HashSet::new();
    let list: Vec<Uuid> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    if list.is_empty() || list.len() > MAX_LINKS {
        return Err(DomainError::invalid(
            field,
            format!("{field} must name 1 to {MAX_LINKS} different ids"),
        ));
    }
    Ok(list)
}

/// The group is an active INSPECTION_GROUP unit and every member an active person of it.
async fn check_team(w: &store::Write<'_>, group: Uuid, members: &[Uuid]) -> DomainResult<()> {
    let unit = units::active(w.tx(), group, "groupUnitId").await?;
    if unit.kind != UnitKind::InspectionGroup {
        return Err(DomainError::invalid(
            "groupUnitId",
            format!(
                "groupUnitId: {} is not an inspection group (INSPECTION_GROUP)",
                unit.name
            ),
        ));
    }
    let people = people::by_ids(w.tx(), members).await?;
    for (i, id) in members.iter().enumerate() {
        let ok = people.iter().any(|p| p.id == *id && p.unit_id == group && !p.archived);
        if !ok {
            return Err(DomainError::invalid(
                format!("memberIds.{i}"),
                format!("memberIds.{i}: {id} is not an active person of {}", unit.name),
            ));
        }
    }
    Ok(())
}

async fn insert_links(w: &store::Write<'_>, id: Uuid, members: &[Uuid], visited: &[Uuid]) -> DomainResult<()> {
    for person in members {
        let row = member::Model {
            inspection_id: id,
            person_id: *person,
        };
        row.into_active_model().insert(w.tx()).await?;
    }
    for unit in visited {
        let row = visit::Model {
            inspection_id: id,
            unit_id: *unit,
        };
        row.into_active_model().insert(w.tx()).await?;
    }
    Ok(())
}

/// The team, visited units and finding problems of an inspection.
pub async fn links<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Links> {
    let members = member::Entity::find()
        .filter(member::Column::InspectionId.eq(id))
        .order_by_asc(member::Column::PersonId)
        .all(db)
        .await?;
    let visits = visit::Entity::find()
        .filter(visit::Column::InspectionId.eq(id))
        .order_by_asc(visit::Column::UnitId)
        .all(db)
        .await?;
    let findings = finding::Entity::find()
        .filter(finding::Column::InspectionId.eq(id))
        .order_by_asc(finding::Column::ProblemId)
        .all(db)
        .await?;
    Ok(Links {
        member_ids: members.into_iter().map(|m| m.person_id).collect(),
        visited_unit_ids: visits.into_iter().map(|v| v.unit_id).collect(),
        problem_ids: findings.into_iter().map(|f| f.problem_id).collect(),
    })
}

/// Files a finding as a new problem of the inspection's campaign (its source the one the mode
/// implies, its lead unit a visited unit or one below it, found during the visit), in one
/// change with the link (SUPERVISOR on the problem's lead unit). Audited as `problem.create`
/// and `inspection.add_finding`.
#[tracing::instrument(skip_all, fields(inspection_id = %id))]
pub async fn add_finding(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    new: problems::NewProblem,
) -> DomainResult<problem::Model> {
    let current = get(&ledger.db, id)
        .await?
        .ok_or_else(|| DomainError::not_found(ENTITY, id))?;
    // The right first: nothing about the inspection is told to a caller who may not file.
    ctx.access.require(
        Operation::Supervise,
        Target::Units(&[new.lead_unit_id], "the finding's lead unit"),
    )?;
    if !visible(&ledger.db, &ctx.access, &current, ledger.today()).await? {
        return Err(DomainError::not_found(ENTITY, id));
    }
    check_finding(&current, &new)?;
    let before = links(&ledger.db, id).await?;
    let mut allowed = HashSet::new();
    for unit in &before.visited_unit_ids {
        allowed.extend(units::subtree_ids(&ledger.db, *unit).await?);
    }
    if !allowed.contains(&new.lead_unit_id) {
        return Err(DomainError::invalid(
            "problem.leadUnitId",
            "problem.leadUnitId must be a unit the inspection visited, or a unit below one",
        ));
    }
    let checked = problems::check_new(ledger, ctx, new).map_err(under_problem)?;
    let w = ledger.write(ctx).await?;
    let row: insp::Model = store::load(w.tx(), id).await?;
    let before = links(w.tx(), id).await?;
    let created = problems::create_in(&w, checked).await.map_err(under_problem)?;
    let link = finding::Model {
        inspection_id: id,
        problem_id: created.id,
    };
    link.into_active_model().insert(w.tx()).await?;
    let mut after = before.clone();
    after.problem_ids.push(created.id);
    let change = Change {
        action: "inspection.add_finding",
        entity_type: ENTITY,
        entity_id: id,
        before: Some(inspection_snapshot(&row, &before)?),
        after: Some(inspection_snapshot(&row, &after)?),
        reason: None,
    };
    w.record_change(change).await?;
    w.commit().await?;
    Ok(created)
}

/// A refusal of the problem's own checks, named under the input's `problem` (`problem.code`).
fn under_problem(e: DomainError) -> DomainError {
    match e {
        DomainError::Invalid { field, message } if !field.starts_with("problem.") => DomainError::Invalid {
            field: format!("problem.{field}"),
            message,
        },
        other => other,
    }
}

/// The finding's campaign is the inspection's, its source (if given other than the default the
/// mode implies) matches the mode, and it was found during the visit.
fn check_finding(i: &insp::Model, new: &problems::NewProblem) -> DomainResult<()> {
    if new.campaign_id != i.campaign_id {
        return Err(DomainError::invalid(
            "problem.campaignId",
            "problem.campaignId must be the inspection's campaign",
        ));
    }
    if new.source != source_of(i.mode) {
        return Err(DomainError::invalid(
            "problem.source",
            format!(
                "problem.source must be {} for a finding of this inspection",
                match i.mode {
                    InspectionMode::Open => "SUPERVISION (明察)",
                    InspectionMode::Unannounced => "UNANNOUNCED_VISIT (暗访)",
                }
            ),
        ));
    }
    if new.found_on < i.starts_on || new.found_on > i.ends_on {
        return Err(DomainError::invalid(
            "problem.foundOn",
            format!(
                "problem.foundOn must be within the inspection ({} to {})",
                i.starts_on, i.ends_on
            ),
        ));
    }
    Ok(())
}

/// Whether an inspection is shown to the readers of the units it visits: a 明察 at once, a 暗访
/// only once it is over (a visit announced to its target beforehand is no 暗访).
fn shown_to_visited(i: &insp::Model, today: NaiveDate) -> bool {
    i.mode == InspectionMode::Open || i.ends_on < today
}

/// Whether the request reads an inspection: SUPERVISOR on its group, or the read scope on a
/// unit it visited (`visited`; empty: looked up by the SQL condition instead) once
/// [`shown_to_visited`].
fn reads(access: &Access, i: &insp::Model, visited: &[Uuid], today: NaiveDate) -> bool {
    if access.is_anonymous() {
        return false;
    }
    let supervises_group = access
        .require(Operation::Supervise, Target::Units(&[i.group_unit_id], "the group"))
        .is_ok();
    supervises_group
        || (shown_to_visited(i, today)
            && (access.read_scope() == Some(Scope::All) || visited.iter().any(|u| access.reads_unit(*u))))
}

/// Inspections the request reads: SUPERVISOR on the group, or a visited unit in its read scope
/// (a 暗访 once it is over).
fn condition(access: &Access, today: NaiveDate) -> Condition {
    let visited_in_scope = Query::select()
        .column(visit::Column::InspectionId)
        .from(visit::Entity)
        .cond_where(access.unit_owned_condition(visit::Column::UnitId))
        .to_owned();
    let shown = Condition::any()
        .add(insp::Column::Mode.eq(InspectionMode::Open))
        .add(insp::Column::EndsOn.lt(today));
    Condition::any()
        .add(access.supervised_condition(insp::Column::GroupUnitId))
        .add(
            Condition::all()
                .add(shown)
                .add(insp::Column::Id.in_subquery(visited_in_scope)),
        )
}

/// Whether the request reads this inspection (for `node(id:)`), on `today`.
pub async fn visible<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    i: &insp::Model,
    today: NaiveDate,
) -> DomainResult<bool> {
    if reads(access, i, &[], today) {
        return Ok(true);
    }
    Ok(!access.is_anonymous() && reads(access, i, &links(db, i.id).await?.visited_unit_ids, today))
}

/// Inspections, newest first.
pub async fn list(
    ledger: &Ledger,
    access: &Access,
    filter: &InspectionFilter,
    page: PageRequest,
) -> DomainResult<Page<insp::Model>> {
    access.require_login("inspections")?;
    let mut cond = Condition::all().add(condition(access, ledger.today()));
    if let Some(c) = filter.campaign_id {
        cond = cond.add(insp::Column::CampaignId.eq(c));
    }
    if let Some(g) = filter.group_unit_id {
        cond = cond.add(insp::Column::GroupUnitId.eq(g));
    }
    if let Some(m) = filter.mode {
        cond = cond.add(insp::Column::Mode.eq(m));
    }
    if let Some(u) = filter.visited_unit_id {
        let visited = Query::select()
            .column(visit::Column::InspectionId)
            .from(visit::Entity)
            .and_where(visit::Column::UnitId.eq(u))
            .to_owned();
        cond = cond.add(insp::Column::Id.in_subquery(visited));
    }
    keyset_page(
        &ledger.db,
        insp::Entity::find().filter(cond),
        insp::Column::CreatedAt,
        insp::Column::Id,
        Order::Desc,
        page,
    )
    .await
}
