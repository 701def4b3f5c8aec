//! The ledger (台账) as the table offices keep: one row per measure with its problem, units,
//! people, dates and state, in the columns of the issue (序号, 问题编号, …), with the caller's
//! rights. The live ledger is read a page at a time, so a large one is never held in memory;
//! the ledger **as of** a past instant is rebuilt from the audit trail (like the reports) and
//! then handed out in the same pages. `csv` and `xlsx` write the rows.

pub mod csv;
mod title;
pub mod xlsx;

pub use title::title;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::MeasureStatus;
use entity::{measure, milestone, person, problem, progress_report, unit};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::domain::access::Access;
use crate::domain::error::DomainResult;
use crate::domain::labels::Labelled;
use crate::domain::page::PageRequest;
use crate::domain::reporting::stats::{self, Facts};
use crate::domain::{
    clock, ledger::measures, ledger::milestones, ledger::problems, lifecycle, org::people, org::units, Ledger,
};

/// The columns, in the order offices keep them: the problem (what, why), the measure (how,
/// to what standard), who, by when, and how it stands.
pub const HEADER: [&str; 20] = [
    "序号",
    "问题编号",
    "问题类别",
    "问题描述",
    "问题来源",
    "原因剖析",
    "整改类型",
    "整改措施",
    "整改目标/工作标准",
    "牵头单位",
    "配合单位",
    "责任领导",
    "责任人",
    "整改时限",
    "原定时限",
    "延期次数",
    "完成情况",
    "状态",
    "是否逾期",
    "销号日期",
];

/// Rows per page read from the database.
pub const PAGE: i64 = 100;

/// What to export: the measures the filter selects (campaign, unit subtree, status, overdue),
/// now or as of an instant.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    pub campaign_id: Option<Uuid>,
    /// A unit and every unit below it, leading or cooperating.
    pub unit_id: Option<Uuid>,
    pub statuses: Vec<MeasureStatus>,
    pub overdue: Option<bool>,
    pub as_of: Option<DateTime<Utc>>,
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 序号, from 1.
    pub number: usize,
    pub problem_code: String,
    /// 问题类别: the problem's category label.
    pub category: String,
    /// The problem's description, or its title without one.
    pub problem_text: String,
    pub source: &'static str,
    /// 原因剖析: the problem's root cause, empty without one.
    pub root_cause: String,
    /// 整改类型: 立即整改, 限期整改 or 逐步解决.
    pub kind: &'static str,
    pub measure: String,
    /// 整改目标/工作标准: the measure's acceptance criteria.
    pub criteria: String,
    pub lead_unit: String,
    /// Cooperating units, joined with 、.
    pub cooperating: String,
    pub leader: String,
    pub person: String,
    pub deadline: NaiveDate,
    pub original_deadline: NaiveDate,
    /// 延期次数: approved extensions of the deadline.
    pub extensions: i32,
    /// The latest progress report ("60%：…"), or the percent alone.
    pub progress: String,
    pub status: MeasureStatus,
    pub overdue: bool,
    pub closed_on: Option<NaiveDate>,
}

impl Row {
    /// The row as the 20 text cells of [`HEADER`].
    pub fn fields(&self) -> [String; 20] {
        [
            self.number.to_string(),
            self.problem_code.clone(),
            self.category.clone(),
            self.problem_text.clone(),
            self.source.to_owned(),
            self.root_cause.clone(),
            self.kind.to_owned(),
            self.measure.clone(),
            self.criteria.clone(),
            self.lead_unit.clone(),
            self.cooperating.clone(),
            self.leader.clone(),
            self.person.clone(),
            self.deadline.to_string(),
            self.original_deadline.to_string(),
            self.extensions.to_string(),
            self.progress.clone(),
            self.status.label().to_owned(),
            yes_no(self.overdue).to_owned(),
            self.closed_on.map(|d| d.to_string()).unwrap_or_default(),
        ]
    }
}

pub fn yes_no(value: bool) -> &'static str {
    if value {
        "是"
    } else {
        "否"
    }
}

/// The rows of an export, handed out a page at a time.
pub struct Rows {
    access: Access,
    source: Source,
    next_number: usize,
}

enum Source {
    /// The live ledger: the next page starts after this measure (None: at the start).
    Live {
        filter: measures::MeasureFilter,
        after: Option<Uuid>,
        done: bool,
    },
    /// A replayed ledger, already built, by deadline.
    Replayed(std::vec::IntoIter<Row>),
}

/// Checks the filter and the caller and prepares the rows; an as-of export replays the trail
/// here, so its errors come before the first byte.
pub async fn open(ledger: &Ledger, access: &Access, filter: ExportFilter) -> DomainResult<Rows> {
    access.require_login("the ledger export")?;
    let source = match filter.as_of {
        None => Source::Live {
            filter: measures::MeasureFilter {
                campaign_id: filter.campaign_id,
                unit_id: filter.unit_id,
                include_subunits: filter.unit_id.is_some(),
                statuses: filter.statuses,
                overdue: filter.overdue,
                ..Default::default()
            },
            after: None,
            done: false,
        },
        Some(as_of) => Source::Replayed(replayed(ledger, access, &filter, as_of).await?.into_iter()),
    };
    Ok(Rows {
        access: access.clone(),
        source,
        next_number: 1,
    })
}

impl Rows {
    /// The next page of at most [`PAGE`] rows; None after the last.
    pub async fn next_page(&mut self, ledger: &Ledger) -> DomainResult<Option<Vec<Row>>> {
        let rows = match &mut self.source {
            Source::Live { done: true, .. } => return Ok(None),
            Source::Live { filter, after, done } => {
                let (rows, next) = live_page(ledger, &self.access, filter, *after, self.next_number).await?;
                *after = next;
                *done = next.is_none();
                rows
            }
            Source::Replayed(rows) => {
                let page: Vec<Row> = rows.take(PAGE as usize).collect();
                if page.is_empty() {
                    return Ok(None);
                }
                page
            }
        };
        self.next_number += rows.len();
        Ok(Some(rows))
    }
}

/// The names and texts a row shows, whatever their source.
struct Lookups {
    problems: HashMap<Uuid, problem::Model>,
    unit_names: HashMap<Uuid, String>,
    person_names: HashMap<Uuid, String>,
    /// The latest progress report of each measure.
    latest: HashMap<Uuid, String>,
    milestones: HashMap<Uuid, Vec<milestone::Model>>,
    today: NaiveDate,
}

fn row_of(number: usize, m: &measure::Model, cooperating: &[Uuid], l: &Lookups) -> Row {
    let p = l.problems.get(&m.problem_id);
    let person = |id: Option<Uuid>| id.and_then(|i| l.person_names.get(&i).cloned()).unwrap_or_default();
    // By id (creation order), the same whichever way the row was read.
    let mut cooperating = cooperating.to_vec();
    cooperating.sort();
    let cooperating: Vec<String> = cooperating
        .iter()
        .filter_map(|u| l.unit_names.get(u).cloned())
        .collect();
    let steps = milestones::of(&l.milestones, m.id);
    Row {
        number,
        problem_code: p.map(|p| p.code.clone()).unwrap_or_default(),
        category: p.map(|p| p.category.clone()).unwrap_or_default(),
        problem_text: p
            .map(|p| p.description.clone().unwrap_or_else(|| p.title.clone()))
            .unwrap_or_default(),
        source: p.map(|p| p.source.label()).unwrap_or_default(),
        root_cause: p.and_then(|p| p.root_cause.clone()).unwrap_or_default(),
        kind: p.map(|p| p.rectification_kind.label()).unwrap_or_default(),
        measure: m.title.clone(),
        criteria: m.acceptance_criteria.clone().unwrap_or_default(),
        lead_unit: l.unit_names.get(&m.lead_unit_id).cloned().unwrap_or_default(),
        cooperating: cooperating.join("、"),
        leader: person(m.responsible_leader_id),
        person: person(m.responsible_person_id),
        deadline: m.deadline,
        original_deadline: m.original_deadline,
        extensions: m.extension_count,
        progress: l
            .latest
            .get(&m.id)
            .cloned()
            .unwrap_or_else(|| format!("{}%", m.progress_percent)),
        status: m.status,
        overdue: crate::domain::ledger::overdue::is_overdue(m, steps, l.today),
        closed_on: m.closed_on,
    }
}

fn progress_text(r: &progress_report::Model) -> String {
    format!("{}%：{}", r.percent, r.text)
}

/// One page of the live ledger after the measure `after` (None: the first page), and the
/// cursor of the next page (None: this was the last). `number` is the 序号 of its first row.
async fn live_page(
    ledger: &Ledger,
    access: &Access,
    filter: &measures::MeasureFilter,
    after: Option<Uuid>,
    number: usize,
) -> DomainResult<(Vec<Row>, Option<Uuid>)> {
    let request = PageRequest {
        first: Some(PAGE),
        after,
        offset: None,
    };
    let page = measures::list(ledger, access, filter, measures::MeasureOrder::DeadlineAsc, request).await?;
    let rows = &page.items;
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let coop = cooperating_units_by_measure(ledger, &ids).await?;
    let lookups = live_lookups(ledger, rows, &ids, &coop).await?;
    let out = rows
        .iter()
        .enumerate()
        .map(|(i, m)| {
            row_of(
                number + i,
                m,
                coop.get(&m.id).map(Vec::as_slice).unwrap_or_default(),
                &lookups,
            )
        })
        .collect();
    let next = if page.has_next_page {
        rows.last().map(|m| m.id)
    } else {
        None
    };
    Ok((out, next))
}

async fn cooperating_units_by_measure(ledger: &Ledger, ids: &[Uuid]) -> DomainResult<HashMap<Uuid, Vec<Uuid>>> {
    let mut coop: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (m, u) in measures::cooperating_units_of(&ledger.db, ids).await? {
        coop.entry(m).or_default().push(u);
    }
    Ok(coop)
}

/// The names and texts the rows of one live page (`ids` are theirs) show, as the tables hold
/// them now.
async fn live_lookups(
    ledger: &Ledger,
    rows: &[measure::Model],
    ids: &[Uuid],
    coop: &HashMap<Uuid, Vec<Uuid>>,
) -> DomainResult<Lookups> {
    let problem_ids: Vec<Uuid> = rows.iter().map(|m| m.problem_id).collect();
    let problems: HashMap<Uuid, _> = problems::by_ids(&ledger.db, &problem_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut unit_ids: Vec<Uuid> = rows.iter().map(|m| m.lead_unit_id).collect();
    unit_ids.extend(coop.values().flatten().copied());
    let unit_names = unit_names_now(ledger, &unit_ids).await?;
    let person_ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|m| [m.responsible_leader_id, m.responsible_person_id])
        .flatten()
        .collect();
    let person_names = person_names_now(ledger, &person_ids).await?;
    let milestones = milestones::by_measure(milestones::of_measures(&ledger.db, ids).await?);
    Ok(Lookups {
        problems,
        unit_names,
        person_names,
        latest: latest_progress_now(ledger, ids).await?,
        milestones,
        today: ledger.today(),
    })
}

async fn unit_names_now(ledger: &Ledger, ids: &[Uuid]) -> DomainResult<HashMap<Uuid, String>> {
    Ok(units::by_ids(&ledger.db, ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

async fn person_names_now(ledger: &Ledger, ids: &[Uuid]) -> DomainResult<HashMap<Uuid, String>> {
    Ok(people::by_ids(&ledger.db, ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

/// The text of each measure's latest progress report.
async fn latest_progress_now(ledger: &Ledger, ids: &[Uuid]) -> DomainResult<HashMap<Uuid, String>> {
    // Newest first: the first report of each measure is its latest.
    let mut latest: HashMap<Uuid, String> = HashMap::new();
    for r in lifecycle::progress_reports_of(&ledger.db, ids).await? {
        latest.entry(r.measure_id).or_insert_with(|| progress_text(&r));
    }
    Ok(latest)
}

/// The whole ledger as it stood at `as_of`, from the audit trail: the same rows, names,
/// progress texts and overdue marks the live export gave at that instant. Which measures the
/// caller may see, and which units a unit's subtree holds, are decided by today's grants and
/// tree, as for the reports; a measure disclosed then is shown outside the caller's scope only
/// if it is still disclosed now.
async fn replayed(
    ledger: &Ledger,
    access: &Access,
    filter: &ExportFilter,
    as_of: DateTime<Utc>,
) -> DomainResult<Vec<Row>> {
    let (facts, lookups) = replay_ledger(ledger, as_of).await?;
    let selection = Selection {
        access,
        filter,
        subtree: match filter.unit_id {
            Some(unit) => Some(units::subtree_ids(&ledger.db, unit).await?.into_iter().collect()),
            None => None,
        },
        still_disclosed: still_disclosed(ledger, access, &facts).await?,
    };
    let mut kept: Vec<&Facts> = facts.iter().filter(|f| selection.keeps(f, &lookups)).collect();
    kept.sort_by_key(|f| (f.row.deadline, f.row.id));
    Ok(kept
        .into_iter()
        .enumerate()
        .map(|(i, f)| row_of(i + 1, &f.row, &f.cooperating, &lookups))
        .collect())
}

/// The trail replayed to `as_of`: every measure's facts, and the names and texts its row shows.
async fn replay_ledger(ledger: &Ledger, as_of: DateTime<Utc>) -> DomainResult<(Vec<Facts>, Lookups)> {
    let kinds = ["Measure", "Milestone", "Problem", "Unit", "Person", "ProgressReport"];
    let (mut at, _) = stats::replay_entities(ledger, as_of, &kinds).await?;
    let mut take = |kind: &str| at.remove(kind).unwrap_or_default();
    let facts = take("Measure")
        .into_values()
        .map(stats::parse_facts)
        .collect::<DomainResult<Vec<Facts>>>()?;
    let milestones =
        milestones::by_measure(stats::models::<milestone::Model>(take("Milestone"), "milestone")?.into_values());
    let problems = stats::models::<problem::Model>(take("Problem"), "problem")?;
    let unit_names: HashMap<Uuid, String> = stats::models::<unit::Model>(take("Unit"), "unit")?
        .into_iter()
        .map(|(id, u)| (id, u.name))
        .collect();
    let person_names: HashMap<Uuid, String> = stats::models::<person::Model>(take("Person"), "person")?
        .into_iter()
        .map(|(id, p)| (id, p.name))
        .collect();
    let reports = stats::models::<progress_report::Model>(take("ProgressReport"), "progress report")?;
    let lookups = Lookups {
        problems,
        unit_names,
        person_names,
        latest: latest_progress_of(reports.into_values()),
        milestones,
        today: clock::date_of(as_of),
    };
    Ok((facts, lookups))
}

/// The text of each measure's latest progress report (by creation, then id) among `reports`.
fn latest_progress_of(reports: impl IntoIterator<Item = progress_report::Model>) -> HashMap<Uuid, String> {
    let mut newest: HashMap<Uuid, progress_report::Model> = HashMap::new();
    for r in reports {
        let newer = newest
            .get(&r.measure_id)
            .is_none_or(|n| (r.created_at, r.id) > (n.created_at, n.id));
        if newer {
            newest.insert(r.measure_id, r);
        }
    }
    newest.iter().map(|(m, r)| (*m, progress_text(r))).collect()
}

/// The replayed measures outside the caller's scope that were disclosed to it then and still
/// are now. Outside its scope an account sees what was disclosed to it then, unless the
/// disclosure has been withdrawn since: a replay does not reopen what was closed to it.
async fn still_disclosed(ledger: &Ledger, access: &Access, facts: &[Facts]) -> DomainResult<HashSet<Uuid>> {
    let disclosed_then: Vec<Uuid> = facts
        .iter()
        .filter(|f| !access.scope_covers_measure(&f.row, &f.cooperating) && access.sees_disclosed(f.row.disclosure))
        .map(|f| f.row.id)
        .collect();
    let mut still_disclosed: HashSet<Uuid> = HashSet::new();
    for chunk in disclosed_then.chunks(5_000) {
        let now: Vec<(Uuid, entity::enums::Disclosure)> = measure::Entity::find()
            .select_only()
            .column(measure::Column::Id)
            .column(measure::Column::Disclosure)
            .filter(measure::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(&ledger.db)
            .await?;
        still_disclosed.extend(
            now.into_iter()
                .filter(|(_, d)| access.sees_disclosed(*d))
                .map(|(id, _)| id),
        );
    }
    Ok(still_disclosed)
}

/// Which replayed measures an as-of export keeps: those the caller may see that match the filter.
struct Selection<'a> {
    access: &'a Access,
    filter: &'a ExportFilter,
    /// The filter's unit and the units below it, as the tree stands today.
    subtree: Option<HashSet<Uuid>>,
    still_disclosed: HashSet<Uuid>,
}

impl Selection<'_> {
    fn keeps(&self, f: &Facts, l: &Lookups) -> bool {
        let m = &f.row;
        let filter = self.filter;
        (self.access.scope_covers_measure(m, &f.cooperating) || self.still_disclosed.contains(&m.id))
            && filter
                .campaign_id
                .is_none_or(|c| l.problems.get(&m.problem_id).is_some_and(|p| p.campaign_id == c))
            && self
                .subtree
                .as_ref()
                .is_none_or(|set| set.contains(&m.lead_unit_id) || f.cooperating.iter().any(|u| set.contains(u)))
            && (filter.statuses.is_empty() || filter.statuses.contains(&m.status))
            && filter.overdue.is_none_or(|o| {
                crate::domain::ledger::overdue::is_overdue(m, milestones::of(&l.milestones, m.id), l.today) == o
            })
    }
}
