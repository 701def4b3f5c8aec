//! The demo ledger: a fictional county (青山县) in the campaign 深入学习实践科学发展观活动
//! 第一批, loaded through the same domain services a client uses, so every row has its audit
//! events. The timeline is replayed in order: each step runs with the clock set to the day it
//! happened, relative to the day the demo is loaded; some measures end up overdue, some closed.

mod data;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use entity::enums::CampaignPhase;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::domain::clock::{FixedClock, LEDGER_UTC_OFFSET_SECONDS};
use crate::domain::context::{Actor, RequestContext};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::lifecycle::{self, Verb};
use crate::domain::{accounts, campaigns, measures, people, problems, units, Ledger};
use data::{DemoState, PEOPLE, PROBLEMS, UNITS};

/// What the demo loaded.
#[derive(Debug, Clone)]
pub struct Summary {
    pub units: usize,
    pub people: usize,
    pub problems: usize,
    pub measures: usize,
    pub closed: usize,
    pub overdue: usize,
    pub audit_seq: i64,
    pub audit_hash: String,
    pub campaign_id: Uuid,
    /// (username, password, role) of the accounts the demo created.
    pub accounts: Vec<(String, String, &'static str)>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "demo ledger loaded: campaign {} ({})",
            data::CAMPAIGN_NAME,
            self.campaign_id
        )?;
        writeln!(
            f,
            "  {} units, {} people, {} problems, {} measures",
            self.units, self.people, self.problems, self.measures
        )?;
        writeln!(
            f,
            "  {} measures closed (销号), {} overdue today",
            self.closed, self.overdue
        )?;
        for (username, password, role) in &self.accounts {
            writeln!(f, "  account {username} / password {password} ({role})")?;
        }
        write!(f, "  audit head: seq {} hash {}", self.audit_seq, self.audit_hash)
    }
}

fn parse_enum<T: DeserializeOwned>(value: &str) -> DomainResult<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map_err(|_| DomainError::Internal(format!("demo data: unknown enum value {value}")))
}

/// 09:00 China Standard Time on `date`, as UTC.
fn morning(date: NaiveDate) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    (local - Duration::seconds(i64::from(LEDGER_UTC_OFFSET_SECONDS))).and_utc()
}

/// The ledger as it was at `at`.
fn at(ledger: &Ledger, at: DateTime<Utc>) -> Ledger {
    Ledger::new(ledger.db.clone(), Arc::new(FixedClock(at)))
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Problem(usize),
    Lifecycle(usize, usize, Verb),
}

pub async fn load(ledger: &Ledger) -> DomainResult<Summary> {
    let today = ledger.today();
    let ctx = RequestContext::system(Some("demo".to_owned()));
    if units::list(
        ledger,
        &units::UnitFilter {
            search: Some(UNITS[0].code.to_owned()),
            ..Default::default()
        },
        Default::default(),
        Default::default(),
    )
    .await?
    .items
    .iter()
    .any(|u| u.short_code == UNITS[0].code)
    {
        return Err(DomainError::invalid(
            "demo",
            "the demo ledger is already loaded in this database",
        ));
    }
    let start = today - Duration::days(100);
    let setup = at(ledger, morning(start));
    let unit_ids = load_units(&setup, &ctx).await?;
    let person_ids = load_people(&setup, &ctx, &unit_ids).await?;
    let (supervisor, supervisor_password) = create_supervisor(&setup, &ctx, &person_ids).await?;
    let campaign = campaigns::create(
        &setup,
        &ctx,
        campaigns::NewCampaign {
            name: data::CAMPAIGN_NAME.to_owned(),
            description: Some(data::CAMPAIGN_DESCRIPTION.to_owned()),
            phase: Some(CampaignPhase::Rectification),
            starts_on: start,
            ends_on: Some(today + Duration::days(120)),
        },
    )
    .await?;

    let mut measure_ids: HashMap<(usize, usize), (Uuid, i32)> = HashMap::new();
    for (when, step) in timeline(today) {
        let then = at(ledger, when);
        match step {
            Step::Problem(i) => {
                let ids = load_problem(&then, &ctx, campaign.id, i, &unit_ids, &person_ids).await?;
                for (j, id) in ids.into_iter().enumerate() {
                    measure_ids.insert((i, j), (id, 1));
                }
            }
            Step::Lifecycle(i, j, verb) => {
                if let Some((id, version)) = measure_ids.get_mut(&(i, j)) {
                    // The 督查组 verifies; the unit (here the system actor) submits.
                    let actor = if verb == Verb::Pass { &supervisor } else { &ctx };
                    let command = lifecycle::Command {
                        percent: Some(60),
                        text: Some("已完成主要整改任务，正在巩固提升".to_owned()),
                        comment: Some("经实地核查，整改到位，同意销号".to_owned()),
                        ..Default::default()
                    };
                    let saved = lifecycle::apply(&then, actor, *id, *version, verb, command).await?;
                    *version = saved.measure.version;
                }
            }
        }
    }
    press_overdue_units(ledger, &supervisor, campaign.id).await?;
    let mut summary = summarise(ledger, campaign.id).await?;
    summary.accounts.push((
        SUPERVISOR_USERNAME.to_owned(),
        supervisor_password,
        "县委督查组: verifies and closes out measures",
    ));
    Ok(summary)
}

const SUPERVISOR_USERNAME: &str = "ducha";

/// Today, the 督查组 presses the lead units of the three most overdue measures: a rectification
/// notice due in a week, a named criticism, a talk; the first unit has already answered.
async fn press_overdue_units(ledger: &Ledger, supervisor: &RequestContext, campaign_id: Uuid) -> DomainResult<()> {
    use entity::enums::SupervisionKind::{NamedCriticism, Notice, Talk};
    let filter = measures::MeasureFilter {
        campaign_id: Some(campaign_id),
        overdue: Some(true),
        ..Default::default()
    };
    let page = crate::domain::page::PageRequest {
        first: Some(3),
        after: None,
    };
    let overdue = measures::list(ledger, &filter, measures::MeasureOrder::DeadlineAsc, page).await?;
    let today = ledger.today();
    let plan = [
        (
            Notice,
            "《督查工作整改通知》：该项整改已逾期，请于一周内完成并书面报告整改情况。",
            Some(7),
        ),
        (
            NamedCriticism,
            "《点名批评书》：整改措施落实不力，逾期未完成，予以点名批评。",
            Some(5),
        ),
        (Talk, "约谈单位主要负责人，说明逾期原因及下一步整改安排。", None),
    ];
    for (i, (m, (kind, content, due_in))) in overdue.items.iter().zip(plan).enumerate() {
        let action = crate::domain::supervision::issue(
            ledger,
            supervisor,
            crate::domain::supervision::NewSupervision {
                kind,
                target_unit_id: m.lead_unit_id,
                measure_id: Some(m.id),
                problem_id: None,
                content: content.to_owned(),
                response_due: due_in.map(|d| today + Duration::days(d)),
            },
        )
        .await?;
        if i == 0 {
            let unit = RequestContext::system(Some("demo".to_owned()));
            crate::domain::supervision::respond(
                ledger,
                &unit,
                action.id,
                "已收到通知，正在组织力量集中整改，将按期书面报告。",
            )
            .await?;
        }
    }
    Ok(())
}

/// The account of the inspection group's head, who verifies measures in the demo.
async fn create_supervisor(
    ledger: &Ledger,
    ctx: &RequestContext,
    person_ids: &HashMap<&'static str, Uuid>,
) -> DomainResult<(RequestContext, String)> {
    let group = UNITS
        .iter()
        .find(|u| u.kind == "INSPECTION_GROUP")
        .ok_or_else(|| DomainError::Internal("demo data: no inspection group".to_owned()))?;
    let head = PEOPLE
        .iter()
        .find(|p| p.unit == group.code && p.head_of_unit)
        .ok_or_else(|| DomainError::Internal("demo data: the inspection group has no head".to_owned()))?;
    let password = accounts::random_password();
    let account = accounts::create(
        ledger,
        ctx,
        accounts::NewAccount {
            username: SUPERVISOR_USERNAME.to_owned(),
            display_name: format!("{}（{}）", head.name, group.name),
            person_id: Some(person_id(person_ids, head.name)?),
            password: password.clone(),
        },
    )
    .await?;
    let actor = Actor {
        id: account.id.to_string(),
        display_name: account.display_name,
    };
    Ok((
        RequestContext {
            actor,
            request_id: Some("demo".to_owned()),
            session: None,
        },
        password,
    ))
}

/// Every problem at its found date and every lifecycle step at its day, in time order.
fn timeline(today: NaiveDate) -> Vec<(DateTime<Utc>, Step)> {
    let mut steps = Vec::new();
    for (i, p) in PROBLEMS.iter().enumerate() {
        let found = morning(today - Duration::days(p.found_days_ago));
        steps.push((found, Step::Problem(i)));
        for (j, m) in p.measures.iter().enumerate() {
            let deadline = morning(today + Duration::days(m.deadline_in_days));
            match m.state {
                DemoState::Pending => {}
                DemoState::InProgress => {
                    let started = (found + Duration::days(2)).min(morning(today) - Duration::hours(1));
                    steps.push((started, Step::Lifecycle(i, j, Verb::ReportProgress)));
                }
                DemoState::Closed => {
                    // Closed two days before the deadline when there was time, else on it.
                    let closed = (deadline - Duration::days(2))
                        .max(found + Duration::hours(3))
                        .min(deadline);
                    let span = closed - found;
                    steps.push((found + span / 4, Step::Lifecycle(i, j, Verb::Start)));
                    steps.push((found + span * 3 / 4, Step::Lifecycle(i, j, Verb::Submit)));
                    steps.push((closed, Step::Lifecycle(i, j, Verb::Pass)));
                }
            }
        }
    }
    steps.sort_by_key(|(when, _)| *when);
    steps
}

async fn load_units(ledger: &Ledger, ctx: &RequestContext) -> DomainResult<HashMap<&'static str, Uuid>> {
    let mut ids = HashMap::new();
    for (order, u) in UNITS.iter().enumerate() {
        let parent_id = match u.parent {
            Some(code) => Some(
                *ids.get(code)
                    .ok_or_else(|| DomainError::Internal(format!("demo data: unknown unit {code}")))?,
            ),
            None => None,
        };
        let saved = units::create(
            ledger,
            ctx,
            units::NewUnit {
                name: u.name.to_owned(),
                short_code: u.code.to_owned(),
                kind: parse_enum(u.kind)?,
                parent_id,
                sort_order: Some(order as i32),
            },
        )
        .await?;
        ids.insert(u.code, saved.id);
    }
    Ok(ids)
}

async fn load_people(
    ledger: &Ledger,
    ctx: &RequestContext,
    unit_ids: &HashMap<&'static str, Uuid>,
) -> DomainResult<HashMap<&'static str, Uuid>> {
    let mut ids = HashMap::new();
    for p in PEOPLE {
        let unit_id = unit_id(unit_ids, p.unit)?;
        let saved = people::create(
            ledger,
            ctx,
            people::NewPerson {
                name: p.name.to_owned(),
                unit_id,
                position: Some(p.position.to_owned()),
                contact: Some(p.contact.to_owned()),
            },
        )
        .await?;
        ids.insert(p.name, saved.id);
        if p.head_of_unit {
            let unit = units::get(&ledger.db, unit_id)
                .await?
                .ok_or_else(|| DomainError::not_found(units::ENTITY, unit_id))?;
            let patch = units::UnitPatch {
                head_id: Some(Some(saved.id)),
                ..Default::default()
            };
            units::update(ledger, ctx, unit_id, unit.version, patch).await?;
        }
    }
    Ok(ids)
}

fn unit_id(ids: &HashMap<&'static str, Uuid>, code: &str) -> DomainResult<Uuid> {
    ids.get(code)
        .copied()
        .ok_or_else(|| DomainError::Internal(format!("demo data: unknown unit {code}")))
}

fn person_id(ids: &HashMap<&'static str, Uuid>, name: &str) -> DomainResult<Uuid> {
    ids.get(name)
        .copied()
        .ok_or_else(|| DomainError::Internal(format!("demo data: unknown person {name}")))
}

async fn load_problem(
    ledger: &Ledger,
    ctx: &RequestContext,
    campaign_id: Uuid,
    index: usize,
    unit_ids: &HashMap<&'static str, Uuid>,
    person_ids: &HashMap<&'static str, Uuid>,
) -> DomainResult<Vec<Uuid>> {
    let p = &PROBLEMS[index];
    let problem = problems::create(
        ledger,
        ctx,
        problems::NewProblem {
            campaign_id,
            code: p.code.to_owned(),
            title: p.title.to_owned(),
            description: Some(p.description.to_owned()),
            category: p.category.to_owned(),
            source: parse_enum(p.source)?,
            source_detail: Some(p.source_detail.to_owned()),
            found_on: ledger.today(),
            responsibility_level: parse_enum(p.responsibility_level)?,
            severity: parse_enum(p.severity)?,
            rectification_kind: parse_enum(p.rectification_kind)?,
            root_cause: Some(p.root_cause.to_owned()),
            lead_unit_id: unit_id(unit_ids, p.lead_unit)?,
            // Every third problem is published (公示) as an example.
            disclosure: Some(parse_enum(if index.is_multiple_of(3) { "PUBLIC" } else { "INTERNAL" })?),
            repeats_problem_id: None,
        },
    )
    .await?;
    let found_days_ago = p.found_days_ago;
    let mut ids = Vec::new();
    for m in p.measures {
        let cooperating = m
            .cooperating_units
            .iter()
            .map(|c| unit_id(unit_ids, c))
            .collect::<DomainResult<Vec<_>>>()?;
        let saved = measures::create(
            ledger,
            ctx,
            measures::NewMeasure {
                problem_id: problem.id,
                title: m.title.to_owned(),
                description: Some(m.description.to_owned()),
                acceptance_criteria: Some(m.acceptance_criteria.to_owned()),
                lead_unit_id: unit_id(unit_ids, m.lead_unit)?,
                cooperating_unit_ids: cooperating,
                responsible_leader_id: Some(person_id(person_ids, m.responsible_leader)?),
                responsible_person_id: Some(person_id(person_ids, m.responsible_person)?),
                deadline: ledger.today() + Duration::days(found_days_ago + m.deadline_in_days),
                disclosure: None,
            },
        )
        .await?;
        ids.push(saved.id);
    }
    Ok(ids)
}

async fn summarise(ledger: &Ledger, campaign_id: Uuid) -> DomainResult<Summary> {
    let all = |statuses: Vec<entity::enums::MeasureStatus>, overdue: Option<bool>| measures::MeasureFilter {
        campaign_id: Some(campaign_id),
        statuses,
        overdue,
        ..Default::default()
    };
    let one = crate::domain::page::PageRequest {
        first: Some(1),
        after: None,
    };
    let count_measures = |f: measures::MeasureFilter| async move {
        measures::list(ledger, &f, Default::default(), one)
            .await
            .map(|p| p.total_count as usize)
    };
    let head = crate::audit::read_head(&ledger.db).await?;
    Ok(Summary {
        units: UNITS.len(),
        people: PEOPLE.len(),
        problems: PROBLEMS.len(),
        measures: count_measures(all(vec![], None)).await?,
        closed: count_measures(all(vec![entity::enums::MeasureStatus::Closed], None)).await?,
        overdue: count_measures(all(vec![], Some(true))).await?,
        audit_seq: head.seq,
        audit_hash: head.hash,
        campaign_id,
        accounts: Vec::new(),
    })
}
