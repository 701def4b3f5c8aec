//! The demo's history, replayed in time order: each problem is found (with the opinion it came
//! from) and its measures recorded on its day, then every milestone, completion report and
//! lifecycle step, and every opinion, pledge and survey (`heard.rs`), runs with the clock set
//! to the instant it happened — never later than the moment of loading — so the audit trail
//! runs in time order and a report as of a past day sees what had happened by then.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::enums::{Disclosure, FeedbackChannel, ProblemSource};
use uuid::Uuid;

use super::fixtures::{Fixtures, Measure, MeasureState, Problem};
use super::heard::{self, Heard, Recorded};
use super::{at, morning, Demo};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ledger::{measures, milestones, problems, receipts};
use crate::domain::lifecycle::{self, Verb};
use crate::domain::{intake, lifecycle::evidence, Ledger};

/// One thing that happened to problem `.0` (its measure `.1`).
#[derive(Debug, Clone, Copy)]
enum Step {
    Problem(usize),
    Lifecycle(usize, usize, Verb),
    /// A milestone (时间节点) halfway to the deadline, due on the given day.
    Milestone(usize, usize, NaiveDate),
    MilestoneDone(usize, usize),
    /// The completion report attached before submission.
    Evidence(usize, usize),
    /// Progress reported at 100 % before submission (the close-out gate needs it).
    Completed(usize, usize),
    /// An opinion, pledge or survey.
    Heard(Heard),
    /// A 问责 case of `held.rs`.
    HeldToAccount(usize),
    /// A 考核 step of `scored.rs`.
    Scored(usize),
    /// A step of the 暗访 of `inspected.rs`.
    Inspected(usize),
    /// The campaign's 半月报 rhythm is set (`reported.rs`).
    Rhythm,
    /// Problem `.0`'s measure `.1` reports for the half month due on `.2` (`reported.rs`).
    HalfMonthReport(usize, usize, NaiveDate),
    /// The units of problem `.0`'s measure `.1` acknowledge (签收) it.
    Acknowledge(usize, usize),
}

/// When the units of problem `i`'s measure acknowledge it, found at `found`: the next day,
/// except that every sixth problem's (from the second) open measures are never acknowledged
/// and every sixth problem's (from the fifth) are acknowledged a week late.
fn acknowledged_at(i: usize, found: DateTime<Utc>, state: MeasureState) -> Option<DateTime<Utc>> {
    match i % 6 {
        1 if state != MeasureState::Closed => None,
        4 => Some(found + Duration::days(8) + Duration::hours(1)),
        _ => Some(found + Duration::days(1) + Duration::hours(1)),
    }
}

/// In-progress measures of every fifth problem miss their milestone: overdue by a missed step
/// though their deadline is still ahead.
fn misses_milestone(problem: usize) -> bool {
    problem.is_multiple_of(5)
}

/// Replays every problem of the fixtures and what happened to its measures, and the intake,
/// up to `today`, the campaign having started on `start`. A step whose instant is still to
/// come today (the demo loaded before 09:00) runs now, in its order.
pub(super) async fn replay(ledger: &Ledger, demo: &Demo<'_>, start: NaiveDate, today: NaiveDate) -> DomainResult<()> {
    let mut replay = Replay {
        demo,
        measures: HashMap::new(),
        milestones: HashMap::new(),
        heard: Recorded::default(),
        inspected: Default::default(),
    };
    let now = ledger.now();
    for (when, step) in timeline(demo.data, start, today) {
        replay.apply(&at(ledger, when.min(now)), step).await?;
    }
    Ok(())
}

/// Every problem at its found date, every step of its measures and every intake fact at its
/// day, in time order.
fn timeline(data: &Fixtures, start: NaiveDate, today: NaiveDate) -> Vec<(DateTime<Utc>, Step)> {
    let mut steps: Vec<(DateTime<Utc>, Step)> = heard::steps(data, start, today)
        .into_iter()
        .map(|(when, heard)| (when, Step::Heard(heard)))
        .collect();
    steps.extend(
        super::held::steps(today)
            .into_iter()
            .map(|(when, k)| (when, Step::HeldToAccount(k))),
    );
    steps.extend(
        super::scored::steps(today)
            .into_iter()
            .map(|(when, k)| (when, Step::Scored(k))),
    );
    steps.extend(
        super::inspected::steps(today)
            .into_iter()
            .map(|(when, k)| (when, Step::Inspected(k))),
    );
    steps.push((super::reported::rhythm_step(start), Step::Rhythm));
    for (i, p) in data.problems.iter().enumerate() {
        let found = morning(today - Duration::days(p.found_days_ago));
        steps.push((found, Step::Problem(i)));
        for (j, m) in p.measures.iter().enumerate() {
            steps.extend(measure_steps(today, p.found_days_ago, (i, j), m));
        }
    }
    // A stable sort: steps at the same instant keep the order they were pushed in.
    steps.sort_by_key(|(when, _)| *when);
    steps
}

/// The steps of measure `j` of problem `i`, found `found_days_ago` days before `today`.
fn measure_steps(
    today: NaiveDate,
    found_days_ago: i64,
    (i, j): (usize, usize),
    m: &Measure,
) -> Vec<(DateTime<Utc>, Step)> {
    let found_day = today - Duration::days(found_days_ago);
    let found = morning(found_day);
    let halfway = found_day + Duration::days((m.deadline_in_days + found_days_ago) / 2);
    let mut steps = Vec::new();
    if let Some(when) = acknowledged_at(i, found, m.state) {
        steps.push((when, Step::Acknowledge(i, j)));
    }
    if m.state != MeasureState::Pending {
        // Planned when the measure is recorded (same instant: the order pushed is kept).
        steps.push((found, Step::Milestone(i, j, halfway)));
        let in_progress = m.state == MeasureState::InProgress;
        if in_progress && halfway <= today && !misses_milestone(i) {
            steps.push((morning(halfway) + Duration::hours(2), Step::MilestoneDone(i, j)));
        }
    }
    let half_months = |started, submitted, by_report| {
        super::reported::steps(today, i, started, submitted, by_report)
            .into_iter()
            .map(move |(when, due, _)| (when, Step::HalfMonthReport(i, j, due)))
    };
    match m.state {
        MeasureState::Pending => {}
        MeasureState::InProgress => {
            let started = (found + Duration::days(2)).min(morning(today) - Duration::hours(1));
            steps.push((started, Step::Lifecycle(i, j, Verb::ReportProgress)));
            steps.extend(half_months(started, None, true));
        }
        MeasureState::Closed => {
            let deadline = morning(today + Duration::days(m.deadline_in_days));
            let closing = closing_steps(found, deadline, (i, j));
            let instant_of = |verb| {
                closing
                    .iter()
                    .find(|(_, s)| matches!(s, Step::Lifecycle(_, _, v) if *v == verb))
            };
            if let (Some((started, _)), Some((submitted, _))) = (instant_of(Verb::Start), instant_of(Verb::Submit)) {
                steps.extend(half_months(*started, Some(*submitted), false));
            }
            steps.extend(closing);
        }
    }
    steps
}

/// A measure found at `found` and closed on time: started, its milestone done and its report
/// attached, submitted, verified.
fn closing_steps(found: DateTime<Utc>, deadline: DateTime<Utc>, (i, j): (usize, usize)) -> Vec<(DateTime<Utc>, Step)> {
    // Closed two days before the deadline when there was time, else on it.
    let closed = (deadline - Duration::days(2))
        .max(found + Duration::hours(3))
        .min(deadline);
    let span = closed - found;
    // The step is done and the report attached just before submission.
    let before_submit = |minutes| (found + span * 3 / 4 - Duration::minutes(minutes)).max(found);
    vec![
        (found + span / 4, Step::Lifecycle(i, j, Verb::Start)),
        (before_submit(45), Step::MilestoneDone(i, j)),
        (before_submit(30), Step::Evidence(i, j)),
        (before_submit(15), Step::Completed(i, j)),
        (found + span * 3 / 4, Step::Lifecycle(i, j, Verb::Submit)),
        (closed, Step::Lifecycle(i, j, Verb::Pass)),
    ]
}

/// The replay under way: the ids (and current versions) of what it has created so far.
struct Replay<'a> {
    demo: &'a Demo<'a>,
    /// (problem, measure) → (measure id, version).
    measures: HashMap<(usize, usize), (Uuid, i32)>,
    milestones: HashMap<(usize, usize), Uuid>,
    heard: Recorded,
    inspected: super::inspected::Inspected,
}

impl Replay<'_> {
    /// Runs one step on `then`, the ledger as it was at the step's instant.
    async fn apply(&mut self, then: &Ledger, step: Step) -> DomainResult<()> {
        match step {
            Step::Problem(i) => self.find_problem(then, i).await,
            Step::Milestone(i, j, due) => self.plan_milestone(then, (i, j), due).await,
            Step::MilestoneDone(i, j) => self.complete_milestone(then, (i, j)).await,
            Step::Evidence(i, j) => self.attach_report(then, (i, j)).await,
            Step::Lifecycle(i, j, verb) => self.move_measure(then, (i, j), verb, 60).await,
            Step::Completed(i, j) => self.move_measure(then, (i, j), Verb::ReportProgress, 100).await,
            Step::Heard(heard) => self.heard.apply(then, self.demo, heard).await,
            Step::HeldToAccount(k) => super::held::apply(then, self.demo, k).await,
            Step::Scored(k) => super::scored::apply(then, self.demo, k).await,
            Step::Inspected(k) => self.inspected.apply(then, self.demo, k).await,
            Step::Rhythm => super::reported::set_rhythm(then, self.demo).await,
            Step::HalfMonthReport(i, j, due) => self.report_half_month(then, (i, j), due).await,
            Step::Acknowledge(i, j) => self.acknowledge(then, (i, j)).await,
        }
    }

    async fn find_problem(&mut self, then: &Ledger, i: usize) -> DomainResult<()> {
        let p = problem_at(&self.demo.data.problems, i)?;
        let problem = create_problem(then, self.demo, p, i).await?;
        sort_opinion_into(then, self.demo, p, &problem).await?;
        for (j, m) in p.measures.iter().enumerate() {
            let id = create_measure(then, self.demo, p, m, problem.id).await?;
            self.measures.insert((i, j), (id, 1));
        }
        Ok(())
    }

    async fn plan_milestone(&mut self, then: &Ledger, at: (usize, usize), due: NaiveDate) -> DomainResult<()> {
        if let Some((id, _)) = self.measures.get(&at) {
            let row = milestones::add(then, &self.demo.system, *id, "制定整改方案并完成阶段性任务", due).await?;
            self.milestones.insert(at, row.id);
        }
        Ok(())
    }

    async fn complete_milestone(&self, then: &Ledger, at: (usize, usize)) -> DomainResult<()> {
        if let Some(id) = self.milestones.get(&at) {
            milestones::complete(then, &self.demo.system, *id, 1, None).await?;
        }
        Ok(())
    }

    /// The completion report (整改完成情况报告) the lead unit attaches before submitting.
    async fn attach_report(&self, then: &Ledger, (i, j): (usize, usize)) -> DomainResult<()> {
        let Some((id, _)) = self.measures.get(&(i, j)) else {
            return Ok(());
        };
        let p = problem_at(&self.demo.data.problems, i)?;
        let Some(m) = p.measures.get(j) else {
            return Ok(());
        };
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
        evidence::upload(then, &self.demo.system, new).await?;
        Ok(())
    }

    async fn move_measure(&mut self, then: &Ledger, at: (usize, usize), verb: Verb, percent: i32) -> DomainResult<()> {
        let Some((id, version)) = self.measures.get_mut(&at) else {
            return Ok(());
        };
        // The 督查组 verifies; the unit (here the system actor) submits.
        let actor = if verb == Verb::Pass {
            &self.demo.supervisor
        } else {
            &self.demo.system
        };
        let text = if percent == 100 {
            "整改任务已全部完成，达到工作标准"
        } else {
            "已完成主要整改任务，正在巩固提升"
        };
        let command = lifecycle::Command {
            percent: Some(percent),
            text: Some(text.to_owned()),
            comment: Some("经实地核查，整改到位，同意销号".to_owned()),
            ..Default::default()
        };
        let saved = lifecycle::apply(then, actor, *id, *version, verb, command).await?;
        *version = saved.measure.version;
        Ok(())
    }
}

impl Replay<'_> {
    /// The half-month report (半月报) of a measure for the period due on `due`: a little more
    /// done than last time.
    async fn report_half_month(&mut self, then: &Ledger, at: (usize, usize), due: NaiveDate) -> DomainResult<()> {
        let Some((id, version)) = self.measures.get_mut(&at) else {
            return Ok(());
        };
        let current = measures::get(&then.db, *id)
            .await?
            .ok_or_else(|| DomainError::Internal("demo: a measure is missing".to_owned()))?;
        let percent = (current.progress_percent + 5)
            .clamp(30, 95)
            .max(current.progress_percent);
        let command = lifecycle::Command {
            percent: Some(percent),
            text: Some(format!("半月报：本期推进整改任务，累计完成{percent}%")),
            period: Some(due),
            ..Default::default()
        };
        let saved = lifecycle::apply(then, &self.demo.system, *id, *version, Verb::ReportProgress, command).await?;
        *version = saved.measure.version;
        Ok(())
    }
}

impl Replay<'_> {
    /// 签收: each unit of the measure still owing an acknowledgement gives it.
    async fn acknowledge(&self, then: &Ledger, at: (usize, usize)) -> DomainResult<()> {
        let Some((id, _)) = self.measures.get(&at) else {
            return Ok(());
        };
        let owed = receipts::of_measures(&then.db, &[*id]).await?;
        for r in owed
            .iter()
            .filter(|r| r.acknowledged_at.is_none() && r.withdrawn_at.is_none())
        {
            receipts::acknowledge(then, &self.demo.system, r.id, r.version, Some("已签收，按要求抓好落实")).await?;
        }
        Ok(())
    }
}

fn problem_at(problems: &[Problem], i: usize) -> DomainResult<&Problem> {
    problems
        .get(i)
        .ok_or_else(|| DomainError::Internal(format!("demo data: no problem {i}")))
}

/// Problem `p`, the `index`th of the fixtures, found today.
async fn create_problem(
    ledger: &Ledger,
    demo: &Demo<'_>,
    p: &Problem,
    index: usize,
) -> DomainResult<entity::problem::Model> {
    let new = problems::NewProblem {
        campaign_id: demo.campaign_id,
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
        lead_unit_id: demo.unit_id(&p.lead_unit)?,
        // Every third problem is published (公示) as an example.
        disclosure: Some(if index.is_multiple_of(3) {
            Disclosure::Public
        } else {
            Disclosure::Internal
        }),
        repeats_problem_id: None,
    };
    problems::create(ledger, &demo.system, new).await
}

/// The opinion the problem was found from (查摆问题 from what was heard), sorted into it.
async fn sort_opinion_into(
    ledger: &Ledger,
    demo: &Demo<'_>,
    p: &Problem,
    problem: &entity::problem::Model,
) -> DomainResult<()> {
    let channel = channel_of(p.source);
    let new = intake::NewFeedback {
        campaign_id: demo.campaign_id,
        unit_id: problem.lead_unit_id,
        channel,
        received_on: ledger.today(),
        content: format!("{}：{}", p.source_detail, p.description),
        category: Some(p.category.clone()),
        submitter: (channel != FeedbackChannel::SuggestionBox).then(|| "群众代表".to_owned()),
    };
    let opinion = intake::record_feedback(ledger, &demo.system, new).await?;
    let target = intake::MergeTarget::Existing(problem.id);
    intake::merge_feedback(ledger, &demo.system, &[opinion.id], target).await?;
    Ok(())
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

/// Measure `m` of problem `p`, recorded the day the problem was found; returns its id.
async fn create_measure(
    ledger: &Ledger,
    demo: &Demo<'_>,
    p: &Problem,
    m: &Measure,
    problem_id: Uuid,
) -> DomainResult<Uuid> {
    let cooperating = m
        .cooperating_units
        .iter()
        .map(|c| demo.unit_id(c))
        .collect::<DomainResult<Vec<_>>>()?;
    let new = measures::NewMeasure {
        problem_id,
        title: m.title.clone(),
        description: Some(m.description.clone()),
        acceptance_criteria: Some(m.acceptance_criteria.clone()),
        lead_unit_id: demo.unit_id(&m.lead_unit)?,
        cooperating_unit_ids: cooperating,
        responsible_leader_id: Some(demo.person_id(&m.responsible_leader)?),
        responsible_person_id: Some(demo.person_id(&m.responsible_person)?),
        // Relative to the day the demo is loaded, and the problem was found `found_days_ago`.
        deadline: ledger.today() + Duration::days(p.found_days_ago + m.deadline_in_days),
        disclosure: None,
    };
    Ok(measures::create(ledger, &demo.system, new).await?.id)
}
