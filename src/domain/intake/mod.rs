//! Intake (征求意见) and satisfaction surveys (满意度测评). Opinions arrive through forums,
//! forms, boxes, letters and visits; a unit's liaison records them, then merges them into a
//! problem or dismisses them with a reason. Surveys record how satisfied the public is with a
//! unit; a unit under its campaign's threshold is flagged for follow-up (回头看 / 补课).

pub mod commitments;

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{Disclosure, FeedbackChannel, FeedbackStatus, SurveyMethod};
use entity::{campaign, feedback, problem, satisfaction_survey as survey};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::domain::access::{Access, Operation, Target};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::page::{keyset_page, Page, PageRequest};
use crate::domain::text::{limits, Text};
use crate::domain::{ledger::campaigns, ledger::problems, org::units, store, Ledger};

pub async fn feedback<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<feedback::Model>> {
    Ok(feedback::Entity::find_by_id(id).one(db).await?)
}

pub async fn survey<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<survey::Model>> {
    Ok(survey::Entity::find_by_id(id).one(db).await?)
}

/// At most this many opinions merged in one call.
pub const MAX_MERGE: usize = 100;

#[derive(Debug, Clone)]
pub struct NewFeedback {
    pub campaign_id: Uuid,
    pub unit_id: Uuid,
    pub channel: FeedbackChannel,
    pub received_on: NaiveDate,
    pub content: String,
    pub category: Option<String>,
    /// None: anonymous.
    pub submitter: Option<String>,
}

async fn campaign<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<campaign::Model> {
    campaigns::get(db, id)
        .await?
        .ok_or_else(|| DomainError::invalid("campaignId", format!("campaign {id} does not exist")))
}

/// Records an opinion received about (or by) a unit (EDITOR on the unit).
#[tracing::instrument(skip_all, fields(unit_id = %input.unit_id))]
pub async fn record_feedback(
    ledger: &Ledger,
    ctx: &RequestContext,
    input: NewFeedback,
) -> DomainResult<feedback::Model> {
    ctx.access
        .require(Operation::EditLedger, Target::Units(&[input.unit_id], "the unit"))?;
    let content = Text::parse("content", &input.content, limits::LONG_TEXT)?.into_inner();
    let category = Text::parse_optional("category", input.category.as_deref(), limits::CATEGORY)?.map(Text::into_inner);
    let submitter =
        Text::parse_optional("submitter", input.submitter.as_deref(), limits::PERSON_NAME)?.map(Text::into_inner);
    crate::domain::not_future("receivedOn", input.received_on, ledger.today())?;
    let w = ledger.write(ctx).await?;
    campaign(w.tx(), input.campaign_id).await?;
    units::active(w.tx(), input.unit_id, "unitId").await?;
    let now = ledger.now();
    let row = feedback::Model {
        id: Uuid::now_v7(),
        campaign_id: input.campaign_id,
        unit_id: input.unit_id,
        channel: input.channel,
        received_on: input.received_on,
        content,
        category,
        submitter,
        status: FeedbackStatus::New,
        problem_id: None,
        dismiss_reason: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.create("feedback.create", row, None).await?;
    w.commit().await?;
    Ok(saved)
}

fn require_new(row: &feedback::Model, field: &str) -> DomainResult<()> {
    if row.status != FeedbackStatus::New {
        let status = match row.status {
            FeedbackStatus::New => "NEW",
            FeedbackStatus::Merged => "MERGED",
            FeedbackStatus::Dismissed => "DISMISSED",
        };
        return Err(DomainError::invalid(
            field,
            format!("{field}: opinion {} is already {status}", row.id),
        ));
    }
    Ok(())
}

/// Dismisses an opinion that calls for no rectification, with a reason.
#[tracing::instrument(skip_all, fields(feedback_id = %id))]
pub async fn dismiss_feedback(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    reason: &str,
) -> DomainResult<feedback::Model> {
    let reason = Text::parse("reason", reason, limits::REASON)?.into_inner();
    let w = ledger.write(ctx).await?;
    let current: feedback::Model = w.load(id).await?;
    ctx.access
        .require(Operation::EditLedger, Target::Units(&[current.unit_id], "the unit"))?;
    store::check_current(&current, expected_version)?;
    require_new(&current, "id")?;
    let mut next = current.clone();
    next.status = FeedbackStatus::Dismissed;
    next.dismiss_reason = Some(reason.clone());
    let saved = w.save("feedback.dismiss", current, next, Some(&reason), None).await?;
    w.commit().await?;
    Ok(saved)
}

/// Where `merge_feedback` puts the opinions.
pub enum MergeTarget {
    /// A problem already in the ledger.
    Existing(Uuid),
    /// A problem created in the same change (its fields are reported under `newProblem.`).
    New(Box<problems::NewProblem>),
}

enum Checked {
    Existing(Uuid),
    New(Box<problems::CheckedProblem>),
}

/// The problem opinions are merged into: an existing one the caller edits, or the one created
/// in the same write.
async fn merge_target(w: &store::Write<'_>, target: Checked) -> DomainResult<problem::Model> {
    match target {
        Checked::Existing(problem_id) => {
            let problem = problems::get(w.tx(), problem_id)
                .await?
                .filter(|p| !p.archived)
                .ok_or_else(|| {
                    DomainError::invalid(
                        "problemId",
                        format!("problem {problem_id} does not exist or is archived"),
                    )
                })?;
            w.ctx().access.require(
                Operation::EditLedger,
                Target::Units(&[problem.lead_unit_id], "the problem's lead unit"),
            )?;
            Ok(problem)
        }
        Checked::New(checked) => problems::create_in(w, *checked)
            .await
            .map_err(|e| e.under("newProblem")),
    }
}

/// The opinion at `field` of the list, checked: it exists, the caller edits its unit, it is
/// listed once, still new, and of the problem's campaign.
async fn opinion_to_merge(
    w: &store::Write<'_>,
    field: &str,
    id: Uuid,
    problem: &problem::Model,
    merged: &[feedback::Model],
) -> DomainResult<feedback::Model> {
    let current = feedback::Entity::find_by_id(id)
        .one(w.tx())
        .await?
        .ok_or_else(|| DomainError::invalid(field, format!("{field}: opinion {id} does not exist")))?;
    w.ctx().access.require(
        Operation::EditLedger,
        Target::Units(&[current.unit_id], "the opinion's unit"),
    )?;
    if merged.iter().any(|m| m.id == id) {
        return Err(DomainError::invalid(
            field,
            format!("{field}: opinion {id} is listed twice"),
        ));
    }
    require_new(&current, field)?;
    if current.campaign_id != problem.campaign_id {
        return Err(DomainError::invalid(
            field,
            format!("{field}: the opinion belongs to another campaign than the problem"),
        ));
    }
    Ok(current)
}

/// Merges opinions into a problem of their campaign (查摆问题 from what was heard), an
/// existing one or one created by the same call, all or none. Needs EDITOR on each opinion's
/// unit and on the problem's lead unit.
#[tracing::instrument(skip_all, fields(count = ids.len()))]
pub async fn merge_feedback(
    ledger: &Ledger,
    ctx: &RequestContext,
    ids: &[Uuid],
    target: MergeTarget,
) -> DomainResult<(Vec<feedback::Model>, Uuid)> {
    ctx.access.require_login("sorting opinions")?;
    if ids.is_empty() || ids.len() > MAX_MERGE {
        return Err(DomainError::invalid(
            "feedbackIds",
            format!("feedbackIds must list 1 to {MAX_MERGE} opinions"),
        ));
    }
    // The new problem's own checks come before the write turn.
    let target = match target {
        MergeTarget::New(new) => Checked::New(Box::new(
            problems::check_new(ledger, ctx, *new).map_err(|e| e.under("newProblem"))?,
        )),
        MergeTarget::Existing(id) => Checked::Existing(id),
    };
    let w = ledger.write(ctx).await?;
    let problem = merge_target(&w, target).await?;
    let mut merged = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let current = opinion_to_merge(&w, &format!("feedbackIds.{i}"), *id, &problem, &merged).await?;
        let mut next = current.clone();
        next.status = FeedbackStatus::Merged;
        next.problem_id = Some(problem.id);
        merged.push(w.save("feedback.merge", current, next, None, None).await?);
    }
    w.commit().await?;
    Ok((merged, problem.id))
}

#[derive(Debug, Clone, Default)]
pub struct FeedbackFilter {
    pub campaign_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub include_subunits: bool,
    pub channel: Option<FeedbackChannel>,
    pub status: Option<FeedbackStatus>,
    pub problem_id: Option<Uuid>,
}

async fn feedback_condition(ledger: &Ledger, access: &Access, filter: &FeedbackFilter) -> DomainResult<Condition> {
    access.require_login("opinions")?;
    // The rights come first and are ANDed with every filter below.
    let mut cond = Condition::all().add(access.unit_owned_condition(feedback::Column::UnitId));
    if let Some(c) = filter.campaign_id {
        cond = cond.add(feedback::Column::CampaignId.eq(c));
    }
    if let Some(unit) = filter.unit_id {
        let ids = units::unit_or_subtree(&ledger.db, unit, filter.include_subunits).await?;
        cond = cond.add(feedback::Column::UnitId.is_in(ids));
    }
    if let Some(channel) = filter.channel {
        cond = cond.add(feedback::Column::Channel.eq(channel));
    }
    if let Some(status) = filter.status {
        cond = cond.add(feedback::Column::Status.eq(status));
    }
    if let Some(p) = filter.problem_id {
        cond = cond.add(feedback::Column::ProblemId.eq(p));
    }
    Ok(cond)
}

/// Opinions, newest received first.
pub async fn list_feedback(
    ledger: &Ledger,
    access: &Access,
    filter: &FeedbackFilter,
    page: PageRequest,
) -> DomainResult<Page<feedback::Model>> {
    let cond = feedback_condition(ledger, access, filter).await?;
    keyset_page(
        &ledger.db,
        feedback::Entity::find().filter(cond),
        feedback::Column::ReceivedOn,
        feedback::Column::Id,
        Order::Desc,
        page,
    )
    .await
}

/// How many opinions came through each channel, by status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelCount {
    pub channel: FeedbackChannel,
    pub status: FeedbackStatus,
    pub count: i64,
}

pub async fn count_feedback(
    ledger: &Ledger,
    access: &Access,
    filter: &FeedbackFilter,
) -> DomainResult<Vec<ChannelCount>> {
    let cond = feedback_condition(ledger, access, filter).await?;
    let rows: Vec<(FeedbackChannel, FeedbackStatus, i64)> = feedback::Entity::find()
        .select_only()
        .column(feedback::Column::Channel)
        .column(feedback::Column::Status)
        .column_as(feedback::Column::Id.count(), "count")
        .filter(cond)
        .group_by(feedback::Column::Channel)
        .group_by(feedback::Column::Status)
        .into_tuple()
        .all(&ledger.db)
        .await?;
    let mut counts: Vec<ChannelCount> = rows
        .into_iter()
        .map(|(channel, status, count)| ChannelCount { channel, status, count })
        .collect();
    counts.sort_by_key(|c| (std::cmp::Reverse(c.count), format!("{:?}{:?}", c.channel, c.status)));
    Ok(counts)
}

#[derive(Debug, Clone)]
pub struct NewSurvey {
    pub campaign_id: Uuid,
    pub unit_id: Uuid,
    pub held_on: NaiveDate,
    pub method: SurveyMethod,
    pub participants: i32,
    pub satisfied: i32,
    pub basically_satisfied: i32,
    pub dissatisfied: i32,
    pub note: Option<String>,
    /// 公示: INTERNAL when not given; another level is a disclosure decision.
    pub disclosure: Option<Disclosure>,
}

/// The counts are within bounds, at least one took part, and the answers add up.
fn check_counts(input: &NewSurvey) -> DomainResult<()> {
    for (field, value) in [
        ("participants", input.participants),
        ("satisfied", input.satisfied),
        ("basicallySatisfied", input.basically_satisfied),
        ("dissatisfied", input.dissatisfied),
    ] {
        if !(0..=10_000_000).contains(&value) {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be between 0 and 10000000"),
            ));
        }
    }
    if input.participants == 0 {
        return Err(DomainError::invalid("participants", "participants must be at least 1"));
    }
    let answered = input.satisfied + input.basically_satisfied + input.dissatisfied;
    if answered != input.participants {
        return Err(DomainError::invalid(
            "participants",
            format!(
                "satisfied + basicallySatisfied + dissatisfied = {answered}, but participants = {}; the counts must add up",
                input.participants
            ),
        ));
    }
    Ok(())
}

/// Records a survey of a unit (SUPERVISOR on the unit: the 督查组 organises them). The three
/// answers must add up to the participants.
#[tracing::instrument(skip_all, fields(unit_id = %input.unit_id))]
pub async fn record_survey(ledger: &Ledger, ctx: &RequestContext, input: NewSurvey) -> DomainResult<survey::Model> {
    let surveyed = Target::Units(std::slice::from_ref(&input.unit_id), "the surveyed unit");
    ctx.access.require(Operation::Supervise, surveyed)?;
    let disclosure = input.disclosure.unwrap_or_default();
    if disclosure != Disclosure::Internal {
        ctx.access.require(Operation::Disclose, surveyed)?;
    }
    check_counts(&input)?;
    crate::domain::not_future("heldOn", input.held_on, ledger.today())?;
    let note = Text::parse_optional("note", input.note.as_deref(), limits::REASON)?.map(Text::into_inner);
    let w = ledger.write(ctx).await?;
    campaign(w.tx(), input.campaign_id).await?;
    units::active(w.tx(), input.unit_id, "unitId").await?;
    let now = ledger.now();
    let row = survey::Model {
        id: Uuid::now_v7(),
        campaign_id: input.campaign_id,
        unit_id: input.unit_id,
        held_on: input.held_on,
        method: input.method,
        participants: input.participants,
        satisfied: input.satisfied,
        basically_satisfied: input.basically_satisfied,
        dissatisfied: input.dissatisfied,
        note,
        disclosure,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.create("satisfaction_survey.create", row, None).await?;
    w.commit().await?;
    Ok(saved)
}

/// The latest survey of each unit in a campaign recorded by an instant (the newest `heldOn`,
/// then the newest recorded), optionally only of some units.
pub async fn latest_surveys<C: ConnectionTrait>(
    db: &C,
    campaign_id: Uuid,
    units: Option<&[Uuid]>,
    recorded_by: chrono::DateTime<chrono::Utc>,
) -> DomainResult<HashMap<Uuid, survey::Model>> {
    let mut query = survey::Entity::find()
        .filter(survey::Column::CampaignId.eq(campaign_id))
        .filter(survey::Column::CreatedAt.lte(recorded_by));
    if let Some(units) = units {
        query = query.filter(survey::Column::UnitId.is_in(units.to_vec()));
    }
    let mut latest: HashMap<Uuid, survey::Model> = HashMap::new();
    for s in query.all(db).await? {
        let newer = latest
            .get(&s.unit_id)
            .is_none_or(|l| (s.held_on, s.created_at) > (l.held_on, l.created_at));
        if newer {
            latest.insert(s.unit_id, s);
        }
    }
    Ok(latest)
}

/// (satisfied + basically satisfied) / participants, in basis points, rounded down.
pub fn rate_bp(s: &survey::Model) -> i32 {
    if s.participants <= 0 {
        return 0;
    }
    let share = (i64::from(s.satisfied) + i64::from(s.basically_satisfied)) * 10_000 / i64::from(s.participants);
    i32::try_from(share).unwrap_or(0)
}

#[derive(Debug, Clone, Default)]
pub struct SurveyFilter {
    pub campaign_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub include_subunits: bool,
}

/// Changes who may read a survey's result (公示): SUPERVISOR on the surveyed unit, as for
/// problems and measures. The change is an audited update.
#[tracing::instrument(skip_all, fields(survey_id = %id))]
pub async fn disclose_survey(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    disclosure: Disclosure,
) -> DomainResult<survey::Model> {
    let w = ledger.write(ctx).await?;
    let current: survey::Model = w.load(id).await?;
    let surveyed = Target::Units(std::slice::from_ref(&current.unit_id), "the surveyed unit");
    ctx.access.require(Operation::Disclose, surveyed)?;
    store::check_current(&current, expected_version)?;
    let next = survey::Model {
        disclosure,
        ..current.clone()
    };
    let saved = w
        .save("satisfaction_survey.disclose", current, next, None, None)
        .await?;
    w.commit().await?;
    Ok(saved)
}

/// Surveys, newest first: those of the units in the reader's scope and those disclosed to it
/// (anonymous readers: the PUBLIC ones).
pub async fn list_surveys(
    ledger: &Ledger,
    access: &Access,
    filter: &SurveyFilter,
    page: PageRequest,
) -> DomainResult<Page<survey::Model>> {
    let mut cond = Condition::all()
        .add(access.disclosed_or_unit_owned_condition(survey::Column::UnitId, survey::Column::Disclosure));
    if let Some(c) = filter.campaign_id {
        cond = cond.add(survey::Column::CampaignId.eq(c));
    }
    if let Some(unit) = filter.unit_id {
        let ids = units::unit_or_subtree(&ledger.db, unit, filter.include_subunits).await?;
        cond = cond.add(survey::Column::UnitId.is_in(ids));
    }
    keyset_page(
        &ledger.db,
        survey::Entity::find().filter(cond),
        survey::Column::HeldOn,
        survey::Column::Id,
        Order::Desc,
        page,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_counts_satisfied_and_basically_satisfied() {
        let s = survey::Model {
            id: Uuid::nil(),
            campaign_id: Uuid::nil(),
            unit_id: Uuid::nil(),
            held_on: NaiveDate::default(),
            method: SurveyMethod::Representatives,
            participants: 120,
            satisfied: 98,
            basically_satisfied: 16,
            dissatisfied: 6,
            note: None,
            disclosure: Disclosure::Internal,
            version: 1,
            created_at: chrono::DateTime::default(),
            updated_at: chrono::DateTime::default(),
        };
        assert_eq!(rate_bp(&s), 9500, "114 of 120 is exactly 95 %");
        assert_eq!(
            rate_bp(&survey::Model {
                satisfied: 97,
                dissatisfied: 7,
                ..s
            }),
            9416
        );
    }
}
