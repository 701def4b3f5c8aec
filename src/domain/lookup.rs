//! One object of any type by its id (`node(id:)`), with the read rules of its type.
//!
//! Ids are UUIDv7, unique across every table, so the table that holds an id is found with one
//! statement (a `UNION ALL` of primary-key lookups) and the row read with a second; records of
//! a measure need a third, the rights-filtered read of their measure. Audit events are named
//! `audit-event:<seq>`. The rules themselves are [`Access`]'s: this room only says which rule
//! each type follows.

use entity::{
    account, accountability, audit_event, bulletin, campaign, commitment, deadline_extension, evidence, feedback,
    inspection, measure, milestone, person, problem, progress_report, satisfaction_survey, score_adjustment,
    supervision_action, unit, verification,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use uuid::Uuid;

use super::access::{Access, Read};
use super::context::RequestContext;
use super::error::DomainResult;
use super::ledger::{measures, problems};
use super::{trail, Ledger};

/// An object found by [`find`], as its row.
#[derive(Debug, Clone)]
pub enum Found {
    Unit(unit::Model),
    Person(person::Model),
    Campaign(campaign::Model),
    Problem(problem::Model),
    Measure(measure::Model),
    AuditEvent(audit_event::Model),
    Account(account::Model),
    Verification(verification::Model),
    ProgressReport(progress_report::Model),
    DeadlineExtension(deadline_extension::Model),
    SupervisionAction(supervision_action::Model),
    Milestone(milestone::Model),
    Evidence(evidence::Model),
    Feedback(feedback::Model),
    SatisfactionSurvey(satisfaction_survey::Model),
    Commitment(commitment::Model),
    Bulletin(bulletin::Model),
    Accountability(accountability::Model),
    ScoreAdjustment(score_adjustment::Model),
    Inspection(inspection::Model),
}

/// The tables `node(id:)` looks in, by the name the kind query returns.
const TABLES: [&str; 19] = [
    "unit",
    "person",
    "campaign",
    "problem",
    "measure",
    "account",
    "verification",
    "progress_report",
    "deadline_extension",
    "supervision_action",
    "milestone",
    "evidence",
    "feedback",
    "satisfaction_survey",
    "commitment",
    "bulletin",
    "accountability",
    "score_adjustment",
    "inspection",
];

/// The object `id` names, if it exists and the request may read it.
pub async fn find(ledger: &Ledger, ctx: &RequestContext, id: &str) -> DomainResult<Option<Found>> {
    let db = &ledger.db;
    if let Some(seq) = id.strip_prefix("audit-event:").and_then(|s| s.parse::<i64>().ok()) {
        return Ok(trail::event(ledger, &ctx.access, seq).await?.map(Found::AuditEvent));
    }
    let Ok(id) = Uuid::parse_str(id) else {
        return Ok(None);
    };
    let Some(table) = table_of(db, id).await? else {
        return Ok(None);
    };
    let found = load(db, &ctx.access, table, id).await?;
    match found {
        Some(found) if visible(db, ctx, ledger.today(), &found).await? => Ok(Some(found)),
        _ => Ok(None),
    }
}

/// The one statement that finds which table holds `id`.
fn table_query(id: Uuid) -> SelectStatement {
    let select = |table: &str| {
        Query::select()
            .expr_as(Expr::val(table), Alias::new("kind"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("id")).eq(id))
            .to_owned()
    };
    let mut query = select(TABLES[0]);
    for table in &TABLES[1..] {
        query.union(UnionType::All, select(table));
    }
    query
}

async fn table_of(db: &DatabaseConnection, id: Uuid) -> DomainResult<Option<&'static str>> {
    let statement = db.get_database_backend().build(&table_query(id));
    let Some(row) = db.query_one_raw(statement).await? else {
        return Ok(None);
    };
    let kind: String = row.try_get("", "kind")?;
    Ok(TABLES.iter().copied().find(|t| *t == kind))
}

async fn by_id<E: EntityTrait>(db: &DatabaseConnection, id: Uuid) -> DomainResult<Option<E::Model>>
where
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    Ok(E::find_by_id(id).one(db).await?)
}

/// The row of `id` in `table`; measures and problems through the rights filter.
async fn load(db: &DatabaseConnection, access: &Access, table: &str, id: Uuid) -> DomainResult<Option<Found>> {
    Ok(match table {
        "measure" => measures::visible_by_ids(db, access, &[id])
            .await?
            .pop()
            .map(Found::Measure),
        "problem" => problems::visible_by_ids(db, access, &[id])
            .await?
            .pop()
            .map(Found::Problem),
        "unit" => by_id::<unit::Entity>(db, id).await?.map(Found::Unit),
        "person" => by_id::<person::Entity>(db, id).await?.map(Found::Person),
        "campaign" => by_id::<campaign::Entity>(db, id).await?.map(Found::Campaign),
        "account" => by_id::<account::Entity>(db, id).await?.map(Found::Account),
        "milestone" => by_id::<milestone::Entity>(db, id).await?.map(Found::Milestone),
        "commitment" => by_id::<commitment::Entity>(db, id).await?.map(Found::Commitment),
        // Disclosed surveys and bulletins are public; the rules below decide.
        "bulletin" => by_id::<bulletin::Entity>(db, id).await?.map(Found::Bulletin),
        "satisfaction_survey" => by_id::<satisfaction_survey::Entity>(db, id)
            .await?
            .map(Found::SatisfactionSurvey),
        // Internal records: not public, so an anonymous request does not even read them.
        _ if access.is_anonymous() => None,
        "verification" => by_id::<verification::Entity>(db, id).await?.map(Found::Verification),
        "progress_report" => by_id::<progress_report::Entity>(db, id)
            .await?
            .map(Found::ProgressReport),
        "feedback" => by_id::<feedback::Entity>(db, id).await?.map(Found::Feedback),
        "evidence" => by_id::<evidence::Entity>(db, id).await?.map(Found::Evidence),
        "deadline_extension" => by_id::<deadline_extension::Entity>(db, id)
            .await?
            .map(Found::DeadlineExtension),
        "supervision_action" => by_id::<supervision_action::Entity>(db, id)
            .await?
            .map(Found::SupervisionAction),
        "accountability" => by_id::<accountability::Entity>(db, id)
            .await?
            .map(Found::Accountability),
        "score_adjustment" => by_id::<score_adjustment::Entity>(db, id)
            .await?
            .map(Found::ScoreAdjustment),
        "inspection" => by_id::<inspection::Entity>(db, id).await?.map(Found::Inspection),
        _ => None,
    })
}

/// Whether the request may read `found`, by the rule of its type (see docs/permissions.md).
async fn visible(
    db: &DatabaseConnection,
    ctx: &RequestContext,
    today: chrono::NaiveDate,
    found: &Found,
) -> DomainResult<bool> {
    let access = &ctx.access;
    let measure = |id: Uuid| measure_visible(db, access, id);
    Ok(match found {
        // Filtered when read; units, campaigns and public pledges are open to everyone.
        Found::Measure(_) | Found::Problem(_) | Found::Unit(_) | Found::Campaign(_) | Found::Commitment(_) => true,
        Found::AuditEvent(_) => access.may_read(Read::AuditTrail),
        Found::Person(p) => access.reads_personal_details(p),
        Found::Account(a) => access.reads_account(ctx.session.map(|s| s.account_id), a.id),
        Found::Bulletin(b) => access.reads_bulletin(b.disclosure),
        Found::Feedback(f) => access.reads_unit(f.unit_id),
        Found::SatisfactionSurvey(s) => access.reads_disclosed_or_unit_owned(s.unit_id, s.disclosure),
        Found::SupervisionAction(s) => access.reads_unit(s.target_unit_id),
        Found::Accountability(a) => access.reads_accountability(a.subject_unit_id, a.subject_person_id),
        Found::ScoreAdjustment(a) => access.reads_unit(a.unit_id),
        Found::Inspection(i) => super::inspections::visible(db, access, i, today).await?,
        // The records of a measure show wherever the measure does.
        Found::Milestone(m) => measure(m.measure_id).await?,
        Found::Verification(v) => measure(v.measure_id).await?,
        Found::ProgressReport(r) => measure(r.measure_id).await?,
        Found::Evidence(e) => measure(e.measure_id).await?,
        Found::DeadlineExtension(e) => measure(e.measure_id).await?,
    })
}

async fn measure_visible(db: &DatabaseConnection, access: &Access, id: Uuid) -> DomainResult<bool> {
    Ok(!measures::visible_by_ids(db, access, &[id]).await?.is_empty())
}
