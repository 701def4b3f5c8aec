//! The demo ledger: a fictional county (青山县) in the campaign 深入学习实践科学发展观活动
//! 第一批, loaded through the same domain services a client uses, so every row has its audit
//! events. The timeline is replayed in order: each step runs with the clock set to the day it
//! happened, relative to the day the demo is loaded; some measures end up overdue, some closed.

mod fixtures;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use entity::enums::{CampaignPhase, Disclosure, FeedbackChannel, ProblemSource, Role, UnitKind};
use uuid::Uuid;

use crate::domain::access::Access;
use crate::domain::clock::{self, FixedClock};
use crate::domain::context::{Actor, RequestContext};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::lifecycle::{self, Verb};
use crate::domain::{
    accounts, accounts::grants, intake, intake::commitments, ledger::campaigns, ledger::measures, ledger::milestones,
    ledger::problems, lifecycle::evidence, org::calendar, org::people, org::units, reporting::bulletins, Ledger,
};
use fixtures::Fixtures;
use fixtures::MeasureState;

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
    pub campaign_name: String,
    /// (username, password, role) of the accounts the demo created.
    pub accounts: Vec<(String, String, &'static str)>,
    /// The bulletin of the last half month: id and title.
    pub bulletin: Option<(Uuid, String)>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "demo ledger loaded: campaign {} ({})",
            self.campaign_name, self.campaign_id
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
        if let Some((id, title)) = &self.bulletin {
            writeln!(f, "  bulletin {title} ({id}): GET /bulletins/{id}.html")?;
        }
        write!(f, "  audit head: seq {} hash {}", self.audit_seq, self.audit_hash)
    }
}

/// The 2026 official holidays and adjusted working days, so countdowns in working days count
/// them (`workingDaysRemaining`).
async fn load_calendar(ledger: &Ledger, ctx: &RequestContext, spans: &[fixtures::CalendarSpan]) -> DomainResult<()> {
    let mut days = Vec::new();
    for span in spans {
        let mut day = span.first;
        while day <= span.last {
            days.push(calendar::DayInput {
                day,
                kind: span.kind,
                name: span.name.clone(),
            });
            day += Duration::days(1);
        }
    }
    calendar::set_days(ledger, ctx, days).await?;
    Ok(())
}

/// 09:00 China Standard Time on `date`, as UTC.
fn morning(date: NaiveDate) -> DateTime<Utc> {
    clock::at_local(date.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()))
}

/// The ledger as it was at `at`.
fn at(ledger: &Ledger, at: DateTime<Utc>) -> Ledger {
    Ledger::new(ledger.db.clone(), Arc::new(FixedClock(at)))
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Problem(usize),
    Lifecycle(usize, usize, Verb),
    /// A milestone (时间节点) halfway to the deadline, due on the given day.
    Milestone(usize, usize, NaiveDate),
    MilestoneDone(usize, usize),
    /// The completion report attached before submission.
    Evidence(usize, usize),
}

/// In-progress measures of every fifth problem miss their milestone: overdue by a missed step
/// though their deadline is still ahead.
fn misses_milestone(problem: usize) -> bool {
    problem.is_multiple_of(5)
}

pub async fn load(ledger: &Ledger) -> DomainResult<Summary> {
    let data = Fixtures::parse()?;
    let today = ledger.today();
    let ctx = RequestContext::system(Some("demo".to_owned()));
    let root = data
        .units
        .first()
        .ok_or_else(|| DomainError::Internal("demo fixtures: units.toml lists no unit".to_owned()))?;
    if units::list(
        ledger,
        &units::UnitFilter {
            search: Some(root.code.clone()),
            ..Default::default()
        },
        Default::default(),
        Default::default(),
    )
    .await?
    .items
    .iter()
    .any(|u| u.short_code == root.code)
    {
        return Err(DomainError::invalid(
            "demo",
            "the demo ledger is already loaded in this database",
        ));
    }
    let start = today - Duration::days(100);
    let setup = at(ledger, morning(start));
    load_calendar(&setup, &ctx, &data.calendar).await?;
    let unit_ids = load_units(&setup, &ctx, &data.units).await?;
    let person_ids = load_people(&setup, &ctx, &data.people, &unit_ids).await?;
    let (supervisor, created_accounts) = create_accounts(&setup, &ctx, &data, &person_ids, &unit_ids).await?;
    let campaign = campaigns::create(
        &setup,
        &ctx,
        campaigns::NewCampaign {
            name: data.campaign.name.clone(),
            description: Some(data.campaign.description.clone()),
            phase: Some(CampaignPhase::Rectification),
            starts_on: start,
            ends_on: Some(today + Duration::days(120)),
            satisfaction_threshold_bp: None,
        },
    )
    .await?;

    let mut measure_ids: HashMap<(usize, usize), (Uuid, i32)> = HashMap::new();
    let mut milestone_ids: HashMap<(usize, usize), Uuid> = HashMap::new();
    for (when, step) in timeline(today, &data.problems) {
        let then = at(ledger, when);
        match step {
            Step::Problem(i) => {
                let ids = load_problem(&then, &ctx, campaign.id, &data.problems, i, &unit_ids, &person_ids).await?;
                for (j, id) in ids.into_iter().enumerate() {
                    measure_ids.insert((i, j), (id, 1));
                }
            }
            Step::Milestone(i, j, due) => {
                if let Some((id, _)) = measure_ids.get(&(i, j)) {
                    let row = milestones::add(&then, &ctx, *id, "制定整改方案并完成阶段性任务", due).await?;
                    milestone_ids.insert((i, j), row.id);
                }
            }
            Step::MilestoneDone(i, j) => {
                if let Some(id) = milestone_ids.get(&(i, j)) {
                    milestones::complete(&then, &ctx, *id, 1, None).await?;
                }
            }
            Step::Evidence(i, j) => {
                let problem = data.problems.get(i);
                let measure = problem.and_then(|p| p.measures.get(j).map(|m| (p, m)));
                if let (Some((id, _)), Some((p, m))) = (measure_ids.get(&(i, j)), measure) {
                    let report = format!(
                        "整改完成情况报告\n问题编号：{}\n问题：{}\n整改措施：{}\n完成情况：{}\n",
                        p.code, p.title, m.title, m.acceptance_criteria
                    );
                    let new = evidence::NewEvidence {
                        measure_id: *id,
                        file_name: format!("整改完成情况报告（{}-{}）.txt", p.code, j + 1),
                        media_type: Some("text/plain; charset=utf-8".to_owned()),
                        content: bytes::Bytes::from(report.into_bytes()),
                        description: Some("牵头单位提交的整改完成情况报告".to_owned()),
                    };
                    evidence::upload(&then, &ctx, new).await?;
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
    load_intake(ledger, &ctx, &supervisor, campaign.id, &data, &unit_ids, &person_ids).await?;
    let bulletin = last_half_month_bulletin(ledger, &supervisor, campaign.id).await?;
    let mut summary = summarise(ledger, &data, campaign.id).await?;
    summary.accounts = created_accounts;
    summary.bulletin = Some((bulletin.id, bulletin.title));
    Ok(summary)
}

/// The 督查组 issues the bulletin of the last half month that has ended (半月通报), as of
/// its last instant.
async fn last_half_month_bulletin(
    ledger: &Ledger,
    supervisor: &RequestContext,
    campaign_id: Uuid,
) -> DomainResult<entity::bulletin::Model> {
    let today = ledger.today();
    let (from, to) = if today.day() > 15 {
        (today.with_day(1).unwrap_or(today), today.with_day(15).unwrap_or(today))
    } else {
        let last_month_end = today.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(today);
        (last_month_end.with_day(16).unwrap_or(last_month_end), last_month_end)
    };
    let new = bulletins::NewBulletin {
        campaign_id,
        from,
        to,
        as_of: Some(crate::domain::clock::end_of_day(to)),
        bottom: bulletins::DEFAULT_BOTTOM,
    };
    bulletins::generate(ledger, supervisor, new).await
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
    let overdue = measures::list(
        ledger,
        &Access::System,
        &filter,
        measures::MeasureOrder::DeadlineAsc,
        page,
    )
    .await?;
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

/// One demo account per role: who it belongs to and where its role applies.
struct DemoAccount {
    username: &'static str,
    person: &'static str,
    role: Role,
    /// Unit code of the subtree; None for the whole county.
    scope: Option<&'static str>,
    description: &'static str,
}

const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: "admin",
        person: "贺春生",
        role: Role::Admin,
        scope: None,
        description: "县委组织部: ADMIN of the whole county (units, accounts, roles)",
    },
    DemoAccount {
        username: SUPERVISOR_USERNAME,
        person: "郑国栋",
        role: Role::Supervisor,
        scope: None,
        description: "县委督查组: SUPERVISOR of the whole county (verifies, closes out, presses)",
    },
    DemoAccount {
        username: "shuili",
        person: "宋雅琴",
        role: Role::Editor,
        scope: Some("QS-SLJ"),
        description: "县水利局 liaison: EDITOR of the water department and its divisions",
    },
    DemoAccount {
        username: "jiwei",
        person: "蒋文斌",
        role: Role::Viewer,
        scope: None,
        description: "县纪委监委: VIEWER of the whole county",
    },
];

/// Creates the demo's accounts with their grants and random passwords; returns the 督查组's
/// request context (it verifies measures) and (username, password, description) of each.
async fn create_accounts(
    ledger: &Ledger,
    ctx: &RequestContext,
    data: &Fixtures,
    person_ids: &HashMap<&str, Uuid>,
    unit_ids: &HashMap<&str, Uuid>,
) -> DomainResult<(RequestContext, Vec<(String, String, &'static str)>)> {
    let mut supervisor = None;
    let mut created = Vec::new();
    for demo in ACCOUNTS {
        let person = data
            .person(demo.person)
            .ok_or_else(|| DomainError::Internal(format!("demo data: no person {}", demo.person)))?;
        // A division is named with its department: 县水利局办公室, not 办公室.
        let unit = data.unit(&person.unit);
        let parent = unit
            .and_then(|u| u.parent.as_deref())
            .and_then(|code| data.unit(code))
            .filter(|p| p.kind != UnitKind::Committee);
        let unit_name = match (parent, unit) {
            (Some(p), Some(u)) => format!("{}{}", p.name, u.name),
            (None, Some(u)) => u.name.clone(),
            _ => String::new(),
        };
        let password = accounts::random_password();
        let account = accounts::create(
            ledger,
            ctx,
            accounts::NewAccount {
                username: demo.username.to_owned(),
                display_name: format!("{}（{}）", person.name, unit_name),
                person_id: Some(person_id(person_ids, &person.name)?),
                password: password.clone(),
            },
        )
        .await?;
        let scope = match demo.scope {
            Some(code) => Some(
                *unit_ids
                    .get(code)
                    .ok_or_else(|| DomainError::Internal(format!("demo data: no unit {code}")))?,
            ),
            None => None,
        };
        grants::grant(ledger, ctx, account.id, demo.role, scope).await?;
        if demo.username == SUPERVISOR_USERNAME {
            let access = grants::access_of(&ledger.db, account.id).await?;
            supervisor = Some(RequestContext {
                actor: Actor {
                    id: account.id.to_string(),
                    display_name: account.display_name,
                },
                request_id: Some("demo".to_owned()),
                session: None,
                access,
            });
        }
        created.push((demo.username.to_owned(), password, demo.description));
    }
    let supervisor = supervisor.ok_or_else(|| DomainError::Internal("demo data: no supervisor account".to_owned()))?;
    Ok((supervisor, created))
}

/// Opinions still being sorted, and the satisfaction surveys the 督查组 held.
async fn load_intake(
    ledger: &Ledger,
    ctx: &RequestContext,
    supervisor: &RequestContext,
    campaign_id: Uuid,
    data: &Fixtures,
    unit_ids: &HashMap<&str, Uuid>,
    person_ids: &HashMap<&str, Uuid>,
) -> DomainResult<()> {
    let today = ledger.today();
    for f in &data.feedback {
        let row = intake::record_feedback(
            ledger,
            ctx,
            intake::NewFeedback {
                campaign_id,
                unit_id: unit_id(unit_ids, &f.unit)?,
                channel: f.channel,
                received_on: today - Duration::days(f.days_ago),
                content: f.content.clone(),
                category: None,
                submitter: f.submitter.clone(),
            },
        )
        .await?;
        if let Some(reason) = &f.dismissal {
            intake::dismiss_feedback(ledger, ctx, row.id, row.version, reason).await?;
        }
    }
    for c in &data.commitments {
        let head = data
            .head_of(&c.unit)
            .ok_or_else(|| DomainError::Internal(format!("demo data: {} has no head", c.unit)))?;
        let pledge = commitments::make(
            ledger,
            ctx,
            commitments::NewCommitment {
                campaign_id,
                unit_id: unit_id(unit_ids, &c.unit)?,
                person_id: Some(person_id(person_ids, &head.name)?),
                content: c.content.clone(),
                due_on: today + Duration::days(c.due_in_days),
            },
        )
        .await?;
        if let Some(note) = &c.kept {
            let on = today + Duration::days(c.due_in_days.min(0) - 2);
            commitments::fulfil(ledger, ctx, pledge.id, pledge.version, note, Some(on)).await?;
        }
    }
    for s in &data.surveys {
        intake::record_survey(
            ledger,
            supervisor,
            intake::NewSurvey {
                campaign_id,
                unit_id: unit_id(unit_ids, &s.unit)?,
                held_on: today - Duration::days(s.days_ago),
                method: s.method,
                participants: s.participants,
                satisfied: s.satisfied,
                basically_satisfied: s.basically_satisfied,
                dissatisfied: s.dissatisfied,
                note: None,
            },
        )
        .await?;
    }
    Ok(())
}

/// Every problem at its found date and every lifecycle step at its day, in time order.
fn timeline(today: NaiveDate, problems: &[fixtures::Problem]) -> Vec<(DateTime<Utc>, Step)> {
    let mut steps = Vec::new();
    for (i, p) in problems.iter().enumerate() {
        let found = morning(today - Duration::days(p.found_days_ago));
        steps.push((found, Step::Problem(i)));
        for (j, m) in p.measures.iter().enumerate() {
            let deadline = morning(today + Duration::days(m.deadline_in_days));
            let found_day = today - Duration::days(p.found_days_ago);
            let halfway = found_day + Duration::days((m.deadline_in_days + p.found_days_ago) / 2);
            if !matches!(m.state, MeasureState::Pending) {
                // Planned when the measure is recorded (same instant: the order pushed is kept).
                steps.push((found, Step::Milestone(i, j, halfway)));
                let in_progress = matches!(m.state, MeasureState::InProgress);
                if in_progress && halfway <= today && !misses_milestone(i) {
                    steps.push((morning(halfway) + Duration::hours(2), Step::MilestoneDone(i, j)));
                }
            }
            match m.state {
                MeasureState::Pending => {}
                MeasureState::InProgress => {
                    let started = (found + Duration::days(2)).min(morning(today) - Duration::hours(1));
                    steps.push((started, Step::Lifecycle(i, j, Verb::ReportProgress)));
                }
                MeasureState::Closed => {
                    // Closed two days before the deadline when there was time, else on it.
                    let closed = (deadline - Duration::days(2))
                        .max(found + Duration::hours(3))
                        .min(deadline);
                    let span = closed - found;
                    steps.push((found + span / 4, Step::Lifecycle(i, j, Verb::Start)));
                    // The step is done and the report attached just before submission.
                    let before_submit = |minutes| (found + span * 3 / 4 - Duration::minutes(minutes)).max(found);
                    steps.push((before_submit(45), Step::MilestoneDone(i, j)));
                    steps.push((before_submit(30), Step::Evidence(i, j)));
                    steps.push((found + span * 3 / 4, Step::Lifecycle(i, j, Verb::Submit)));
                    steps.push((closed, Step::Lifecycle(i, j, Verb::Pass)));
                }
            }
        }
    }
    steps.sort_by_key(|(when, _)| *when);
    steps
}

async fn load_units<'a>(
    ledger: &Ledger,
    ctx: &RequestContext,
    fixtures: &'a [fixtures::Unit],
) -> DomainResult<HashMap<&'a str, Uuid>> {
    let mut ids = HashMap::new();
    for (order, u) in fixtures.iter().enumerate() {
        let parent_id = match u.parent.as_deref() {
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
                name: u.name.clone(),
                short_code: u.code.clone(),
                kind: u.kind,
                parent_id,
                sort_order: Some(order as i32),
            },
        )
        .await?;
        ids.insert(u.code.as_str(), saved.id);
    }
    Ok(ids)
}

async fn load_people<'a>(
    ledger: &Ledger,
    ctx: &RequestContext,
    fixtures: &'a [fixtures::Person],
    unit_ids: &HashMap<&str, Uuid>,
) -> DomainResult<HashMap<&'a str, Uuid>> {
    let mut ids = HashMap::new();
    for p in fixtures {
        let unit_id = unit_id(unit_ids, &p.unit)?;
        let saved = people::create(
            ledger,
            ctx,
            people::NewPerson {
                name: p.name.clone(),
                unit_id,
                position: Some(p.position.clone()),
                contact: Some(p.contact.clone()),
            },
        )
        .await?;
        ids.insert(p.name.as_str(), saved.id);
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

fn unit_id(ids: &HashMap<&str, Uuid>, code: &str) -> DomainResult<Uuid> {
    ids.get(code)
        .copied()
        .ok_or_else(|| DomainError::Internal(format!("demo data: unknown unit {code}")))
}

fn person_id(ids: &HashMap<&str, Uuid>, name: &str) -> DomainResult<Uuid> {
    ids.get(name)
        .copied()
        .ok_or_else(|| DomainError::Internal(format!("demo data: unknown person {name}")))
}

async fn load_problem(
    ledger: &Ledger,
    ctx: &RequestContext,
    campaign_id: Uuid,
    problems: &[fixtures::Problem],
    index: usize,
    unit_ids: &HashMap<&str, Uuid>,
    person_ids: &HashMap<&str, Uuid>,
) -> DomainResult<Vec<Uuid>> {
    let p = problems
        .get(index)
        .ok_or_else(|| DomainError::Internal(format!("demo data: no problem {index}")))?;
    let problem = problems::create(
        ledger,
        ctx,
        problems::NewProblem {
            campaign_id,
            code: p.code.clone(),
            title: p.title.clone(),
            description: Some(p.description.clone()),
            category: p.category.clone(),
            source: p.source,
            source_detail: Some(p.source_detail.clone()),
            found_on: ledger.today(),
            responsibility_level: p.responsibility_level,
            severity: p.severity,
            rectification_kind: p.rectification_kind,
            root_cause: Some(p.root_cause.clone()),
            lead_unit_id: unit_id(unit_ids, &p.lead_unit)?,
            // Every third problem is published (公示) as an example.
            disclosure: Some(if index.is_multiple_of(3) {
                Disclosure::Public
            } else {
                Disclosure::Internal
            }),
            repeats_problem_id: None,
        },
    )
    .await?;
    // The opinion the problem was found from (查摆问题 from what was heard), sorted into it.
    let channel = channel_of(p.source);
    let opinion = intake::record_feedback(
        ledger,
        ctx,
        intake::NewFeedback {
            campaign_id,
            unit_id: problem.lead_unit_id,
            channel,
            received_on: ledger.today(),
            content: format!("{}：{}", p.source_detail, p.description),
            category: Some(p.category.clone()),
            submitter: (channel != FeedbackChannel::SuggestionBox).then(|| "群众代表".to_owned()),
        },
    )
    .await?;
    intake::merge_feedback(ledger, ctx, &[opinion.id], intake::MergeTarget::Existing(problem.id)).await?;
    let found_days_ago = p.found_days_ago;
    let mut ids = Vec::new();
    for m in &p.measures {
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
                title: m.title.clone(),
                description: Some(m.description.clone()),
                acceptance_criteria: Some(m.acceptance_criteria.clone()),
                lead_unit_id: unit_id(unit_ids, &m.lead_unit)?,
                cooperating_unit_ids: cooperating,
                responsible_leader_id: Some(person_id(person_ids, &m.responsible_leader)?),
                responsible_person_id: Some(person_id(person_ids, &m.responsible_person)?),
                deadline: ledger.today() + Duration::days(found_days_ago + m.deadline_in_days),
                disclosure: None,
            },
        )
        .await?;
        ids.push(saved.id);
    }
    Ok(ids)
}

/// The channel an opinion came through, for a problem found from `source`.
fn channel_of(source: ProblemSource) -> FeedbackChannel {
    use FeedbackChannel as C;
    use ProblemSource as S;
    match source {
        S::Forum => C::Forum,
        S::OpinionForm => C::Form,
        S::SuggestionBox => C::SuggestionBox,
        S::Letter => C::Letter,
        S::Visit | S::UnannouncedVisit => C::Visit,
        S::Survey => C::Survey,
        S::InspectionFeedback => C::Inspection,
        S::Supervision => C::Supervision,
        S::SelfInspection | S::Other => C::Other,
    }
}

async fn summarise(ledger: &Ledger, data: &Fixtures, campaign_id: Uuid) -> DomainResult<Summary> {
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
        measures::list(ledger, &Access::System, &f, Default::default(), one)
            .await
            .map(|p| p.total_count as usize)
    };
    let head = crate::audit::read_head(&ledger.db).await?;
    Ok(Summary {
        units: data.units.len(),
        people: data.people.len(),
        problems: data.problems.len(),
        measures: count_measures(all(vec![], None)).await?,
        closed: count_measures(all(vec![entity::enums::MeasureStatus::Closed], None)).await?,
        overdue: count_measures(all(vec![], Some(true))).await?,
        audit_seq: head.seq,
        audit_hash: head.hash,
        campaign_id,
        campaign_name: data.campaign.name.clone(),
        accounts: Vec::new(),
        bulletin: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_account_belongs_to_a_person_and_a_unit_of_the_fixtures() {
        let data = Fixtures::parse().expect("the fixtures parse");
        for account in ACCOUNTS {
            assert!(data.person(account.person).is_some(), "{}", account.person);
            if let Some(code) = account.scope {
                assert!(data.unit(code).is_some(), "{code}");
            }
        }
        assert!(ACCOUNTS.iter().any(|a| a.username == SUPERVISOR_USERNAME));
    }
}
