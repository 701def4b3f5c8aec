//! The demo ledger: a fictional county (青山县) in the campaign 深入学习实践科学发展观活动
//! 第一批, loaded through the same domain services a client uses, so every row has its audit
//! events. Its content is in `fixtures/` (see `fixtures.rs`). The county is set up first, then
//! the timeline is replayed in order (`timeline.rs`, `heard.rs`): each fact — a problem, a
//! step of a measure, an opinion, a pledge, a survey — is recorded with the clock set to the
//! day it happened, relative to the day the demo is loaded; some measures end up overdue, some
//! closed, the 纪委 holds the owners of the most overdue to account (`held.rs`) a 减分 moves a
//! unit down its ranking (`scored.rs`), the 督查组's 暗访 finds two problems (`inspected.rs`) and the
//! measures report every half month, but for a few (`reported.rs`). Last come
//! today's supervision and the bulletin of the last half month.

mod fixtures;
mod heard;
mod held;
mod inspected;
mod reported;
mod scored;
mod timeline;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use entity::enums::{CampaignPhase, Role, SupervisionKind, UnitKind};
use uuid::Uuid;

use crate::domain::access::Access;
use crate::domain::clock::{self, FixedClock};
use crate::domain::context::{Actor, RequestContext};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::{
    accounts, accounts::grants, ledger::campaigns, ledger::measures, ledger::receipts, org::calendar, org::people,
    org::units, reporting::bulletins, supervision, urging, Ledger,
};
use fixtures::Fixtures;

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

/// The demo as it is being loaded: its fixtures, who acts, and the ids of the rows that every
/// later step refers to.
struct Demo<'a> {
    data: &'a Fixtures,
    /// The system actor: it records for the units, which have no accounts of their own.
    system: RequestContext,
    /// The 督查组's account: it verifies, presses and surveys.
    supervisor: RequestContext,
    /// The 纪委's account: it records accountability (问责).
    discipline: RequestContext,
    /// The 组织部's account (ADMIN): it approves 考核 items.
    organisation: RequestContext,
    campaign_id: Uuid,
    unit_ids: HashMap<&'a str, Uuid>,
    person_ids: HashMap<&'a str, Uuid>,
    /// The day the demo is loaded: the fixtures' days count from it.
    today: NaiveDate,
}

impl Demo<'_> {
    fn unit_id(&self, code: &str) -> DomainResult<Uuid> {
        unit_id(&self.unit_ids, code)
    }

    fn person_id(&self, name: &str) -> DomainResult<Uuid> {
        person_id(&self.person_ids, name)
    }
}

/// Loads the demo ledger into an empty database, relative to the ledger's today.
pub async fn load(ledger: &Ledger) -> DomainResult<Summary> {
    let data = Fixtures::parse()?;
    let today = ledger.today();
    refuse_a_second_load(ledger, &data).await?;
    let start = today - Duration::days(100);
    let (demo, created_accounts) = set_up(&at(ledger, morning(start)), &data, today).await?;
    timeline::replay(ledger, &demo, start, today).await?;
    press_overdue_units(ledger, &demo.supervisor, demo.campaign_id).await?;
    let bulletin = last_half_month_bulletin(ledger, &demo.supervisor, demo.campaign_id).await?;
    let mut summary = summarise(ledger, &data, demo.campaign_id).await?;
    summary.accounts = created_accounts;
    summary.bulletin = Some((bulletin.id, bulletin.title));
    Ok(summary)
}

/// The demo's root unit is already there: loading again would duplicate the whole ledger.
async fn refuse_a_second_load(ledger: &Ledger, data: &Fixtures) -> DomainResult<()> {
    let root = data
        .units
        .first()
        .ok_or_else(|| DomainError::Internal("demo fixtures: units.toml lists no unit".to_owned()))?;
    let filter = units::UnitFilter {
        search: Some(root.code.clone()),
        ..Default::default()
    };
    let found = units::list(ledger, &filter, Default::default(), Default::default()).await?;
    if found.items.iter().any(|u| u.short_code == root.code) {
        return Err(DomainError::invalid(
            "demo",
            "the demo ledger is already loaded in this database",
        ));
    }
    Ok(())
}

/// The county as it stood when the campaign began (`start`, the day of `start`'s ledger): the
/// calendar, units, people, accounts and the campaign itself.
async fn set_up<'a>(
    start: &Ledger,
    data: &'a Fixtures,
    today: NaiveDate,
) -> DomainResult<(Demo<'a>, Vec<(String, String, &'static str)>)> {
    let system = RequestContext::system(Some("demo".to_owned()));
    load_calendar(start, &system, &data.calendar).await?;
    let unit_ids = load_units(start, &system, &data.units).await?;
    let person_ids = load_people(start, &system, &data.people, &unit_ids).await?;
    let (contexts, created_accounts) = create_accounts(start, &system, data, &person_ids, &unit_ids).await?;
    let Contexts {
        supervisor,
        discipline,
        organisation,
    } = contexts;
    let campaign_id = create_campaign(start, &system, &data.campaign, today).await?;
    let demo = Demo {
        data,
        system,
        supervisor,
        discipline,
        organisation,
        campaign_id,
        unit_ids,
        person_ids,
        today,
    };
    Ok((demo, created_accounts))
}

/// The campaign, in its rectification phase (整改落实): begun 100 days before `today`, ending
/// 120 days after.
async fn create_campaign(
    ledger: &Ledger,
    ctx: &RequestContext,
    campaign: &fixtures::Campaign,
    today: NaiveDate,
) -> DomainResult<Uuid> {
    let new = campaigns::NewCampaign {
        name: campaign.name.clone(),
        description: Some(campaign.description.clone()),
        phase: Some(CampaignPhase::Rectification),
        starts_on: today - Duration::days(100),
        ends_on: Some(today + Duration::days(120)),
        satisfaction_threshold_bp: None,
        // 销号 by the county's 督查组, as the campaign's plan says.
        close_out: campaigns::CloseOutRules {
            verified_by_inspection_group: true,
            evidence_optional_for_immediate: false,
        },
        // 签收 within three working days of an assignment.
        acknowledge_within_days: Some(3),
    };
    Ok(campaigns::create(ledger, ctx, new).await?.id)
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

/// The 督查组 issues the bulletin of the last half month that has ended (半月通报), as of
/// its last instant.
async fn last_half_month_bulletin(
    ledger: &Ledger,
    supervisor: &RequestContext,
    campaign_id: Uuid,
) -> DomainResult<entity::bulletin::Model> {
    let (from, to) = held::last_half_month(ledger.today());
    let new = bulletins::NewBulletin {
        campaign_id,
        from,
        to,
        as_of: Some(crate::domain::clock::end_of_day(to)),
        bottom: bulletins::DEFAULT_BOTTOM,
        // Its public edition (公开版) is published: 将测评情况向群众通报.
        disclosure: Some(entity::enums::Disclosure::Public),
    };
    bulletins::generate(ledger, supervisor, new).await
}

const SUPERVISOR_USERNAME: &str = "ducha";

/// How the 督查组 presses the lead units of the most overdue measures, most overdue first:
/// (kind, content, answer due in days).
const PRESSURE: [(SupervisionKind, &str, Option<i64>); 3] = [
    (
        SupervisionKind::Notice,
        "《督查工作整改通知》：该项整改已逾期，请于一周内完成并书面报告整改情况。",
        Some(7),
    ),
    (
        SupervisionKind::NamedCriticism,
        "《点名批评书》：整改措施落实不力，逾期未完成，予以点名批评。",
        Some(5),
    ),
    (
        SupervisionKind::Talk,
        "约谈单位主要负责人，说明逾期原因及下一步整改安排。",
        None,
    ),
];

/// Today, the 督查组 presses the lead units of the three most overdue measures: a rectification
/// notice due in a week, a named criticism, a talk; the first unit has already answered.
async fn press_overdue_units(ledger: &Ledger, supervisor: &RequestContext, campaign_id: Uuid) -> DomainResult<()> {
    let overdue = most_overdue(ledger, campaign_id, PRESSURE.len()).await?;
    let today = ledger.today();
    for (i, (m, (kind, content, due_in))) in overdue.iter().zip(PRESSURE).enumerate() {
        let new = supervision::NewSupervision {
            kind,
            target_unit_id: m.lead_unit_id,
            measure_id: Some(m.id),
            problem_id: None,
            content: content.to_owned(),
            response_due: due_in.map(|d| today + Duration::days(d)),
        };
        let action = supervision::issue(ledger, supervisor, new).await?;
        if i == 0 {
            // The unit signs for the action (签收), then answers it.
            let unit = RequestContext::system(Some("demo".to_owned()));
            for r in receipts::of_actions(&ledger.db, &[action.id]).await? {
                receipts::acknowledge(ledger, &unit, r.id, r.version, Some("已签收")).await?;
            }
            let answer = "已收到通知，正在组织力量集中整改，将按期书面报告。";
            supervision::respond(ledger, &unit, action.id, answer).await?;
        } else if i == 1 {
            // Not signed for: the 督查组 urges (催办) it with a new time.
            let urged = urging::NewUrging {
                urged: urging::Urged::Action(action.id),
                note: "请于3个工作日内签收并书面报告整改进展".to_owned(),
                respond_by: today + Duration::days(3),
            };
            urging::urge(ledger, supervisor, urged).await?;
        }
    }
    Ok(())
}

/// The campaign's `n` overdue measures with the earliest deadlines.
async fn most_overdue(ledger: &Ledger, campaign_id: Uuid, n: usize) -> DomainResult<Vec<entity::measure::Model>> {
    let filter = measures::MeasureFilter {
        campaign_id: Some(campaign_id),
        overdue: Some(true),
        ..Default::default()
    };
    let page = crate::domain::page::PageRequest {
        first: Some(n as i64),
        after: None,
        offset: None,
    };
    let order = measures::MeasureOrder::DeadlineAsc;
    Ok(measures::list(ledger, &Access::System, &filter, order, page)
        .await?
        .items)
}

/// One demo account per role: who it belongs to and where its role applies (no role: the
/// account acts in its person's personal scope only).
struct DemoAccount {
    username: &'static str,
    person: &'static str,
    role: Option<Role>,
    /// Unit code of the subtree; None for the whole county.
    scope: Option<&'static str>,
    description: &'static str,
}

const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: "admin",
        person: "贺春生",
        role: Some(Role::Admin),
        scope: None,
        description: "县委组织部: ADMIN of the whole county (units, accounts, roles)",
    },
    DemoAccount {
        username: SUPERVISOR_USERNAME,
        person: "郑国栋",
        role: Some(Role::Supervisor),
        scope: None,
        description: "县委督查组: SUPERVISOR of the whole county (verifies, closes out, presses)",
    },
    DemoAccount {
        username: "shuili",
        person: "宋雅琴",
        role: Some(Role::Editor),
        scope: Some("QS-SLJ"),
        description: "县水利局 liaison: EDITOR of the water department and its divisions",
    },
    DemoAccount {
        username: "liuzhiyuan",
        person: "刘志远",
        role: None,
        scope: None,
        description: "县委常委、办公室主任: no role; as 责任领导 he sees and reports on the measures he answers for",
    },
    DemoAccount {
        username: "jiwei",
        person: "蒋文斌",
        role: Some(Role::Discipline),
        scope: None,
        description: "县纪委监委: DISCIPLINE of the whole county (records 问责; reads as a VIEWER)",
    },
];

/// The request contexts the demo acts in besides the system's.
struct Contexts {
    supervisor: RequestContext,
    discipline: RequestContext,
    organisation: RequestContext,
}

/// Creates the demo's accounts with their grants and random passwords; returns the 督查组's
/// request context (it verifies measures), the 纪委's (it records 问责) and (username,
/// password, description) of each.
async fn create_accounts(
    ledger: &Ledger,
    ctx: &RequestContext,
    data: &Fixtures,
    person_ids: &HashMap<&str, Uuid>,
    unit_ids: &HashMap<&str, Uuid>,
) -> DomainResult<(Contexts, Vec<(String, String, &'static str)>)> {
    let mut supervisor = None;
    let mut discipline = None;
    let mut organisation = None;
    let mut created = Vec::new();
    for demo in ACCOUNTS {
        let password = accounts::random_password();
        let account = create_account(ledger, ctx, data, person_ids, demo, &password).await?;
        let scope = demo.scope.map(|code| unit_id(unit_ids, code)).transpose()?;
        if let Some(role) = demo.role {
            grants::grant(ledger, ctx, account.id, role, scope).await?;
        }
        if demo.username == SUPERVISOR_USERNAME {
            supervisor = Some(context_of(ledger, account).await?);
        } else if demo.role == Some(Role::Discipline) {
            discipline = Some(context_of(ledger, account).await?);
        } else if demo.role == Some(Role::Admin) {
            organisation = Some(context_of(ledger, account).await?);
        }
        created.push((demo.username.to_owned(), password, demo.description));
    }
    let supervisor = supervisor.ok_or_else(|| DomainError::Internal("demo data: no supervisor account".to_owned()))?;
    let missing = |who: &str| DomainError::Internal(format!("demo data: no {who} account"));
    let contexts = Contexts {
        supervisor,
        discipline: discipline.ok_or_else(|| missing("纪委"))?,
        organisation: organisation.ok_or_else(|| missing("组织部"))?,
    };
    Ok((contexts, created))
}

/// The account of `demo`, shown as its person with the person's unit.
async fn create_account(
    ledger: &Ledger,
    ctx: &RequestContext,
    data: &Fixtures,
    person_ids: &HashMap<&str, Uuid>,
    demo: &DemoAccount,
    password: &str,
) -> DomainResult<entity::account::Model> {
    let person = data
        .person(demo.person)
        .ok_or_else(|| DomainError::Internal(format!("demo data: no person {}", demo.person)))?;
    let new = accounts::NewAccount {
        username: demo.username.to_owned(),
        display_name: format!("{}（{}）", person.name, unit_name(data, &person.unit)),
        person_id: Some(person_id(person_ids, &person.name)?),
        password: password.to_owned(),
    };
    accounts::create(ledger, ctx, new).await
}

/// The full name of unit `code`: a division is named with its department (县水利局办公室, not
/// 办公室), a department without the county committee above it.
fn unit_name(data: &Fixtures, code: &str) -> String {
    let unit = data.unit(code);
    let parent = unit
        .and_then(|u| u.parent.as_deref())
        .and_then(|code| data.unit(code))
        .filter(|p| p.kind != UnitKind::Committee);
    match (parent, unit) {
        (Some(p), Some(u)) => format!("{}{}", p.name, u.name),
        (None, Some(u)) => u.name.clone(),
        _ => String::new(),
    }
}

/// The request context of `account`, with the access its grants give.
async fn context_of(ledger: &Ledger, account: entity::account::Model) -> DomainResult<RequestContext> {
    let access = grants::access_of(&ledger.db, &account).await?;
    Ok(RequestContext {
        actor: Actor {
            id: account.id.to_string(),
            display_name: account.display_name,
        },
        request_id: Some("demo".to_owned()),
        session: None,
        access,
    })
}

/// Creates the units in file order (the order is their sort order); returns their ids by code.
async fn load_units<'a>(
    ledger: &Ledger,
    ctx: &RequestContext,
    fixtures: &'a [fixtures::Unit],
) -> DomainResult<HashMap<&'a str, Uuid>> {
    let mut ids = HashMap::new();
    for (order, u) in fixtures.iter().enumerate() {
        let parent_id = u.parent.as_deref().map(|code| unit_id(&ids, code)).transpose()?;
        let new = units::NewUnit {
            name: u.name.clone(),
            short_code: u.code.clone(),
            kind: u.kind,
            parent_id,
            sort_order: Some(order as i32),
            ranking_category: u.category.clone(),
        };
        let saved = units::create(ledger, ctx, new).await?;
        ids.insert(u.code.as_str(), saved.id);
    }
    Ok(ids)
}

/// Creates the people, each head of unit made its unit's head; returns their ids by name.
async fn load_people<'a>(
    ledger: &Ledger,
    ctx: &RequestContext,
    fixtures: &'a [fixtures::Person],
    unit_ids: &HashMap<&str, Uuid>,
) -> DomainResult<HashMap<&'a str, Uuid>> {
    let mut ids = HashMap::new();
    for p in fixtures {
        let unit_id = unit_id(unit_ids, &p.unit)?;
        let new = people::NewPerson {
            name: p.name.clone(),
            unit_id,
            position: Some(p.position.clone()),
            contact: Some(p.contact.clone()),
        };
        let saved = people::create(ledger, ctx, new).await?;
        ids.insert(p.name.as_str(), saved.id);
        if p.head_of_unit {
            make_head(ledger, ctx, unit_id, saved.id).await?;
        }
    }
    Ok(ids)
}

/// Makes `person_id` the head (负责人) of unit `unit_id`.
async fn make_head(ledger: &Ledger, ctx: &RequestContext, unit_id: Uuid, person_id: Uuid) -> DomainResult<()> {
    let unit = units::get(&ledger.db, unit_id)
        .await?
        .ok_or_else(|| DomainError::not_found(units::ENTITY, unit_id))?;
    let patch = units::UnitPatch {
        head_id: Some(Some(person_id)),
        ..Default::default()
    };
    units::update(ledger, ctx, unit_id, unit.version, patch).await?;
    Ok(())
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

/// The summary of what was loaded: the fixtures' counts, the campaign's measures as the
/// ledger reports them, and the audit head.
async fn summarise(ledger: &Ledger, data: &Fixtures, campaign_id: Uuid) -> DomainResult<Summary> {
    let head = crate::audit::read_head(&ledger.db).await?;
    let closed = vec![entity::enums::MeasureStatus::Closed];
    Ok(Summary {
        units: data.units.len(),
        people: data.people.len(),
        // The fixtures' problems and the findings of the 暗访 (`inspected.rs`).
        problems: data.problems.len() + inspected::FINDING_COUNT,
        measures: count_measures(ledger, campaign_id, vec![], None).await?,
        closed: count_measures(ledger, campaign_id, closed, None).await?,
        overdue: count_measures(ledger, campaign_id, vec![], Some(true)).await?,
        audit_seq: head.seq,
        audit_hash: head.hash,
        campaign_id,
        campaign_name: data.campaign.name.clone(),
        accounts: Vec::new(),
        bulletin: None,
    })
}

/// How many of the campaign's measures have one of `statuses` (any, if empty) and are (or are
/// not) overdue.
async fn count_measures(
    ledger: &Ledger,
    campaign_id: Uuid,
    statuses: Vec<entity::enums::MeasureStatus>,
    overdue: Option<bool>,
) -> DomainResult<usize> {
    let filter = measures::MeasureFilter {
        campaign_id: Some(campaign_id),
        statuses,
        overdue,
        ..Default::default()
    };
    let one = crate::domain::page::PageRequest {
        first: Some(1),
        after: None,
        offset: None,
    };
    let page = measures::list(ledger, &Access::System, &filter, Default::default(), one).await?;
    Ok(page.total_count as usize)
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
