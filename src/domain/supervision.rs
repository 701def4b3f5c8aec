//! Supervision actions (督查, 督办): a supervisor issues a notice, named criticism, disposal
//! recommendation, talk, written-explanation request or bulletin criticism to a unit, about a
//! measure or problem, with a response due date; the unit answers once. Counts per unit feed
//! the rankings.

use chrono::NaiveDate;
use entity::enums::{ReceiptRole, SupervisionKind};
use entity::supervision_action as sa;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, IntoActiveModel, Order,
    QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::access::{Access, Operation, Target};
use super::context::RequestContext;
use super::error::{DomainError, DomainResult};
use super::ledger::receipts::{self, Assigned};
use super::page::{keyset_page, Page, PageRequest};
use super::snapshot::snapshot;
use super::text::{limits, Text};
use super::{ledger::measures, ledger::problems, org::units, store, Ledger};
use crate::audit::Change;

pub const ENTITY: &str = "SupervisionAction";

#[derive(Debug, Clone)]
pub struct NewSupervision {
    pub kind: SupervisionKind,
    pub target_unit_id: Uuid,
    pub measure_id: Option<Uuid>,
    pub problem_id: Option<Uuid>,
    pub content: String,
    pub response_due: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct SupervisionFilter {
    pub unit_id: Option<Uuid>,
    pub include_subunits: bool,
    pub kind: Option<SupervisionKind>,
    /// Not yet answered.
    pub open: Option<bool>,
    /// Not answered and past its response date.
    pub response_overdue: Option<bool>,
    pub measure_id: Option<Uuid>,
    pub problem_id: Option<Uuid>,
    /// Issued by this actor (an account's id): what a supervisor has pressed.
    pub issued_by: Option<String>,
}

/// Supervision actions received by one unit, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCount {
    pub unit_id: Uuid,
    pub kind: SupervisionKind,
    pub total: i64,
    pub open: i64,
}

/// Supervision actions about a campaign — about one of its problems (directly or through a
/// measure) or about nothing in particular — issued in `[from, to]` (no lower bound without
/// `from`), optionally only those addressed to some units.
pub async fn about_campaign<C: ConnectionTrait>(
    db: &C,
    campaign_id: Uuid,
    target_units: Option<&[Uuid]>,
    from: Option<chrono::DateTime<chrono::Utc>>,
    to: chrono::DateTime<chrono::Utc>,
) -> DomainResult<Vec<sa::Model>> {
    let mut query = sa::Entity::find().filter(sa::Column::IssuedAt.lte(to));
    if let Some(from) = from {
        query = query.filter(sa::Column::IssuedAt.gte(from));
    }
    if let Some(units) = target_units {
        query = query.filter(sa::Column::TargetUnitId.is_in(units.to_vec()));
    }
    let actions = query.all(db).await?;
    let problem_ids: Vec<Uuid> = actions.iter().filter_map(|a| a.problem_id).collect();
    let in_campaign: std::collections::HashSet<Uuid> = problems::by_ids(db, &problem_ids)
        .await?
        .into_iter()
        .filter(|p| p.campaign_id == campaign_id)
        .map(|p| p.id)
        .collect();
    Ok(actions
        .into_iter()
        .filter(|a| a.problem_id.is_none_or(|p| in_campaign.contains(&p)))
        .collect())
}

/// The units with an unanswered action of `kind`.
pub async fn unanswered_targets<C: ConnectionTrait>(
    db: &C,
    kind: SupervisionKind,
) -> DomainResult<std::collections::HashSet<Uuid>> {
    let targets: Vec<Uuid> = sa::Entity::find()
        .select_only()
        .column(sa::Column::TargetUnitId)
        .filter(sa::Column::Kind.eq(kind))
        .filter(sa::Column::RespondedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(targets.into_iter().collect())
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<sa::Model>> {
    Ok(sa::Entity::find_by_id(id).one(db).await?)
}

/// The problem an action is about: the measure's (which must belong to the target unit or a
/// unit below it: the target is pressed about its own work, which also puts the measure in the
/// issuer's scope), or the one given, led by the target or a unit below it.
async fn pressed_problem(w: &store::Write<'_>, input: &NewSupervision) -> DomainResult<Option<Uuid>> {
    let subtree = units::subtree_ids(w.tx(), input.target_unit_id).await?;
    let Some(id) = input.measure_id else {
        if let Some(id) = input.problem_id {
            let problem = problems::get(w.tx(), id).await?;
            if !problem.is_some_and(|p| subtree.contains(&p.lead_unit_id)) {
                return Err(DomainError::invalid(
                    "problemId",
                    "problemId is not a problem led by the target unit or a unit below it",
                ));
            }
        }
        return Ok(input.problem_id);
    };
    let measure = measures::get(w.tx(), id)
        .await?
        .ok_or_else(|| DomainError::invalid("measureId", format!("measureId: measure {id} does not exist")))?;
    let belongs = measures::units_of(w.tx(), &measure)
        .await?
        .iter()
        .any(|u| subtree.contains(u));
    if !belongs {
        return Err(DomainError::invalid(
            "measureId",
            "measureId is not a measure of the target unit or of a unit below it",
        ));
    }
    if input.problem_id.is_some_and(|p| p != measure.problem_id) {
        return Err(DomainError::invalid(
            "problemId",
            "problemId is not the problem of measureId",
        ));
    }
    Ok(Some(measure.problem_id))
}

#[tracing::instrument(skip_all, fields(unit_id = %input.target_unit_id))]
pub async fn issue(ledger: &Ledger, ctx: &RequestContext, input: NewSupervision) -> DomainResult<sa::Model> {
    check_issue(ledger, ctx, &input)?;
    let w = ledger.write(ctx).await?;
    let saved = issue_in(&w, input).await?;
    w.commit().await?;
    Ok(saved)
}

/// What can be refused before anything is read: the content, the date, the right.
fn check_issue(ledger: &Ledger, ctx: &RequestContext, input: &NewSupervision) -> DomainResult<()> {
    Text::parse("content", &input.content, limits::LONG_TEXT)?;
    let today = ledger.today();
    if input.response_due.is_some_and(|due| due < today) {
        return Err(DomainError::invalid(
            "responseDue",
            format!("responseDue must not be before today ({today})"),
        ));
    }
    may_issue(&ctx.access, input.target_unit_id)
}

/// Whether the request may issue supervision to `unit`: SUPERVISOR on it. [`issue`] checks
/// this; a measure's `allowedActions` asks it for the measure's lead unit.
pub fn may_issue(access: &Access, unit: Uuid) -> DomainResult<()> {
    access.require(Operation::Supervise, Target::Units(&[unit], "the target unit"))
}

/// Issues an action within a change that may write more (a ranking's talks); the caller
/// commits.
pub async fn issue_in(w: &store::Write<'_>, input: NewSupervision) -> DomainResult<sa::Model> {
    let (ledger, ctx) = (w.ledger(), w.ctx());
    check_issue(ledger, ctx, &input)?;
    let content = Text::parse("content", &input.content, limits::LONG_TEXT)?.into_inner();
    units::active(w.tx(), input.target_unit_id, "targetUnitId").await?;
    let problem_id = pressed_problem(w, &input).await?;
    let row = sa::Model {
        id: Uuid::now_v7(),
        kind: input.kind,
        target_unit_id: input.target_unit_id,
        measure_id: input.measure_id,
        problem_id,
        content,
        response_due: input.response_due,
        issued_by: ctx.actor.id.clone(),
        issuer_name: ctx.actor.display_name.clone(),
        issued_at: w.now(),
        response: None,
        responder_id: None,
        responder_name: None,
        responded_at: None,
    };
    let saved = w.insert_record(ENTITY, "supervision.issue", row).await?;
    let campaign = match problem_id {
        Some(p) => problems::get(w.tx(), p).await?.map(|p| p.campaign_id),
        None => None,
    };
    let target = [(saved.target_unit_id, ReceiptRole::Supervision)];
    receipts::assign(w, campaign, Assigned::Action(saved.id), &target).await?;
    Ok(saved)
}

#[tracing::instrument(skip_all, fields(supervision_id = %id))]
pub async fn respond(ledger: &Ledger, ctx: &RequestContext, id: Uuid, response: &str) -> DomainResult<sa::Model> {
    let response = Text::parse("response", response, limits::LONG_TEXT)?.into_inner();
    let w = ledger.write(ctx).await?;
    let current = get(w.tx(), id)
        .await?
        .ok_or_else(|| DomainError::not_found(ENTITY, id))?;
    ctx.access.require(
        Operation::EditLedger,
        Target::Units(&[current.target_unit_id], "the unit the action is addressed to"),
    )?;
    if current.responded_at.is_some() {
        return Err(DomainError::invalid(
            "id",
            "this supervision action has already been answered",
        ));
    }
    if receipts::unacknowledged_action(w.tx(), id).await? {
        return Err(DomainError::invalid(
            "id",
            "acknowledge (签收) this supervision action before answering it (acknowledgeAssignment)",
        ));
    }
    let mut next = current.clone();
    next.response = Some(response);
    next.responder_id = Some(ctx.actor.id.clone());
    next.responder_name = Some(ctx.actor.display_name.clone());
    next.responded_at = Some(w.now());
    let saved = sa::Entity::update(next.into_active_model().reset_all())
        .validate()?
        .filter(sa::Column::RespondedAt.is_null())
        .exec(w.tx())
        .await?;
    let change = Change {
        action: "supervision.respond",
        entity_type: ENTITY,
        entity_id: id,
        before: Some(snapshot(&current)?),
        after: Some(snapshot(&saved)?),
        reason: None,
    };
    w.record_change(change).await?;
    w.commit().await?;
    Ok(saved)
}

fn overdue_condition(today: NaiveDate) -> Condition {
    Condition::all()
        .add(sa::Column::RespondedAt.is_null())
        .add(sa::Column::ResponseDue.lt(today))
}

async fn condition(ledger: &Ledger, access: &Access, filter: &SupervisionFilter) -> DomainResult<Condition> {
    access.require_login("supervision")?;
    // The rights come first and are ANDed with every filter below.
    let mut cond = Condition::all().add(access.supervision_condition());
    if let Some(unit) = filter.unit_id {
        let ids = units::unit_or_subtree(&ledger.db, unit, filter.include_subunits).await?;
        cond = cond.add(sa::Column::TargetUnitId.is_in(ids));
    }
    if let Some(kind) = filter.kind {
        cond = cond.add(sa::Column::Kind.eq(kind));
    }
    if let Some(open) = filter.open {
        cond = cond.add(if open {
            sa::Column::RespondedAt.is_null()
        } else {
            sa::Column::RespondedAt.is_not_null()
        });
    }
    if let Some(overdue) = filter.response_overdue {
        let c = overdue_condition(ledger.today());
        cond = cond.add(if overdue { c } else { c.not() });
    }
    if let Some(m) = filter.measure_id {
        cond = cond.add(sa::Column::MeasureId.eq(m));
    }
    if let Some(p) = filter.problem_id {
        cond = cond.add(sa::Column::ProblemId.eq(p));
    }
    if let Some(issuer) = &filter.issued_by {
        cond = cond.add(sa::Column::IssuedBy.eq(issuer.as_str()));
    }
    Ok(cond)
}

/// Newest first.
pub async fn list(
    ledger: &Ledger,
    access: &Access,
    filter: &SupervisionFilter,
    page: PageRequest,
) -> DomainResult<Page<sa::Model>> {
    let cond = condition(ledger, access, filter).await?;
    keyset_page(
        &ledger.db,
        sa::Entity::find().filter(cond),
        sa::Column::IssuedAt,
        sa::Column::Id,
        Order::Desc,
        page,
    )
    .await
}

/// Totals and open counts per target unit and kind, for rankings (排名, 排后约谈).
pub async fn counts(ledger: &Ledger, access: &Access, filter: &SupervisionFilter) -> DomainResult<Vec<UnitCount>> {
    let cond = condition(ledger, access, filter).await?;
    let open_expr = Expr::cust("SUM(CASE WHEN responded_at IS NULL THEN 1 ELSE 0 END)");
    let rows: Vec<(Uuid, SupervisionKind, i64, i64)> = sa::Entity::find()
        .select_only()
        .column(sa::Column::TargetUnitId)
        .column(sa::Column::Kind)
        .column_as(sa::Column::Id.count(), "total")
        .column_as(open_expr.cast_as("BIGINT"), "open")
        .filter(cond)
        .group_by(sa::Column::TargetUnitId)
        .group_by(sa::Column::Kind)
        .into_tuple()
        .all(&ledger.db)
        .await?;
    let mut counts: Vec<UnitCount> = rows
        .into_iter()
        .map(|(unit_id, kind, total, open)| UnitCount {
            unit_id,
            kind,
            total,
            open,
        })
        .collect();
    counts.sort_by(|a, b| b.total.cmp(&a.total).then(a.unit_id.cmp(&b.unit_id)));
    Ok(counts)
}

pub fn is_response_overdue(row: &sa::Model, today: NaiveDate) -> bool {
    row.responded_at.is_none() && row.response_due.is_some_and(|due| due < today)
}
