//! Intake (征求意见): opinions by channel, sorted into problems; satisfaction surveys.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::{feedback, satisfaction_survey as survey};

use super::audit::{history, AuditEvent};
use super::connection::{connection, page_request, parse_id, parse_opt_id, uuid_cursor, Conn};
use super::enums::Disclosure;
use super::error::{GqlResult, IntoGql};
use super::loaders::{CampaignKey, ProblemKey};
use super::problem::Problem;
use super::scalars::{Date, DateTime};
use super::unit::Unit;
use super::{ledger, loader, request};
use crate::domain::access::Read;
use crate::domain::intake;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::FeedbackChannel")]
pub enum FeedbackChannel {
    /// 座谈会.
    Forum,
    /// 征求意见表.
    Form,
    /// 意见箱.
    SuggestionBox,
    /// 网络电子意见箱.
    OnlineBox,
    /// 来信.
    Letter,
    /// 登门走访.
    Visit,
    /// 民意调查.
    Survey,
    /// 巡视/督查反馈.
    Inspection,
    /// 督办.
    Supervision,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::FeedbackStatus")]
pub enum FeedbackStatus {
    /// Not sorted yet.
    New,
    /// Merged into a problem.
    Merged,
    /// Calls for no rectification (with a reason).
    Dismissed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::SurveyMethod")]
pub enum SurveyMethod {
    /// 群众代表测评.
    Representatives,
    /// 随机抽样调查.
    RandomSample,
    Other,
}

/// An opinion received in a campaign.
pub struct Feedback(pub feedback::Model);

#[Object]
impl Feedback {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn channel(&self) -> FeedbackChannel {
        self.0.channel.into()
    }
    async fn received_on(&self) -> Date {
        Date(self.0.received_on)
    }
    async fn content(&self) -> &str {
        &self.0.content
    }
    async fn category(&self) -> Option<&str> {
        self.0.category.as_deref()
    }
    /// Null when anonymous (匿名).
    async fn submitter(&self) -> Option<&str> {
        self.0.submitter.as_deref()
    }
    async fn status(&self) -> FeedbackStatus {
        self.0.status.into()
    }
    async fn dismiss_reason(&self) -> Option<&str> {
        self.0.dismiss_reason.as_deref()
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.unit_id).await
    }
    async fn campaign(&self, ctx: &Context<'_>) -> GqlResult<Option<super::campaign::Campaign>> {
        super::campaign::Campaign::link(ctx, self.0.campaign_id).await
    }
    /// The problem it was merged into; null unless MERGED (or if the reader may not see it).
    async fn problem(&self, ctx: &Context<'_>) -> GqlResult<Option<Problem>> {
        match self.0.problem_id {
            Some(id) => Ok(loader(ctx).load_one(ProblemKey(id)).await?.map(Problem)),
            None => Ok(None),
        }
    }
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

/// A satisfaction survey (满意度测评) of a unit.
pub struct SatisfactionSurvey(pub survey::Model);

#[Object]
impl SatisfactionSurvey {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn held_on(&self) -> Date {
        Date(self.0.held_on)
    }
    async fn method(&self) -> SurveyMethod {
        self.0.method.into()
    }
    async fn participants(&self) -> i32 {
        self.0.participants
    }
    async fn satisfied(&self) -> i32 {
        self.0.satisfied
    }
    async fn basically_satisfied(&self) -> i32 {
        self.0.basically_satisfied
    }
    async fn dissatisfied(&self) -> i32 {
        self.0.dissatisfied
    }
    /// (satisfied + basically satisfied) / participants, rounded down to 0.0001.
    async fn rate(&self) -> f64 {
        f64::from(intake::rate_bp(&self.0)) / 10_000.0
    }
    /// Below the campaign's threshold: the unit needs a follow-up (回头看 / 补课).
    async fn below_threshold(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let campaign = loader(ctx).load_one(CampaignKey(self.0.campaign_id)).await?;
        let threshold = campaign.map_or(crate::domain::ledger::campaigns::DEFAULT_THRESHOLD_BP, |c| {
            c.satisfaction_threshold_bp
        });
        Ok(intake::rate_bp(&self.0) < threshold)
    }
    /// The 督查组's note; null for anonymous readers (the public edition shows the figures).
    async fn note(&self, ctx: &Context<'_>) -> Option<&str> {
        let shown = request(ctx).access.may_read(Read::SurveyNote);
        self.0.note.as_deref().filter(|_| shown)
    }
    /// Who may read the result besides the surveyed unit's scope (公示): PUBLIC results are
    /// readable without login.
    async fn disclosure(&self) -> Disclosure {
        self.0.disclosure.into()
    }
    /// Optimistic concurrency: pass it back as `expectedVersion` to change the disclosure.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.unit_id).await
    }
    async fn campaign(&self, ctx: &Context<'_>) -> GqlResult<Option<super::campaign::Campaign>> {
        super::campaign::Campaign::link(ctx, self.0.campaign_id).await
    }
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

#[derive(InputObject, Default)]
pub struct FeedbackFilter {
    pub campaign_id: Option<ID>,
    pub unit_id: Option<ID>,
    /// With `unitId`: its subunits too.
    #[graphql(default = false)]
    pub include_subunits: bool,
    pub channel: Option<FeedbackChannel>,
    pub status: Option<FeedbackStatus>,
    pub problem_id: Option<ID>,
}

impl FeedbackFilter {
    fn into_domain(self) -> GqlResult<intake::FeedbackFilter> {
        Ok(intake::FeedbackFilter {
            campaign_id: parse_opt_id("filter.campaignId", self.campaign_id.as_ref())?,
            unit_id: parse_opt_id("filter.unitId", self.unit_id.as_ref())?,
            include_subunits: self.include_subunits,
            channel: self.channel.map(Into::into),
            status: self.status.map(Into::into),
            problem_id: parse_opt_id("filter.problemId", self.problem_id.as_ref())?,
        })
    }
}

#[derive(InputObject, Default)]
pub struct SurveyFilter {
    pub campaign_id: Option<ID>,
    pub unit_id: Option<ID>,
    #[graphql(default = false)]
    pub include_subunits: bool,
}

/// Opinions through one channel with one status.
#[derive(SimpleObject)]
pub struct FeedbackCount {
    pub channel: FeedbackChannel,
    pub status: FeedbackStatus,
    pub count: i64,
}

#[derive(Default)]
pub struct IntakeQuery;

#[Object]
impl IntakeQuery {
    /// Opinions in the reader's scope, newest received first.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn feedback(
        &self,
        ctx: &Context<'_>,
        filter: Option<FeedbackFilter>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Feedback>> {
        let filter = filter.unwrap_or_default().into_domain()?;
        let page = intake::list_feedback(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |f| uuid_cursor(&f.id), Feedback))
    }

    /// Opinions counted by channel and status (e.g. per campaign and unit subtree), most first.
    #[graphql(complexity = "super::report::cost::AGGREGATE + child_complexity")]
    async fn feedback_counts(
        &self,
        ctx: &Context<'_>,
        filter: Option<FeedbackFilter>,
    ) -> GqlResult<Vec<FeedbackCount>> {
        let filter = filter.unwrap_or_default().into_domain()?;
        let counts = intake::count_feedback(ledger(ctx), &request(ctx).access, &filter)
            .await
            .gql(ctx)?;
        Ok(counts
            .into_iter()
            .map(|c| FeedbackCount {
                channel: c.channel.into(),
                status: c.status.into(),
                count: c.count,
            })
            .collect())
    }

    /// Satisfaction surveys of the units in the reader's scope and those disclosed to it
    /// (without login: the PUBLIC ones), newest first.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn satisfaction_surveys(
        &self,
        ctx: &Context<'_>,
        filter: Option<SurveyFilter>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<SatisfactionSurvey>> {
        let f = filter.unwrap_or_default();
        let filter = intake::SurveyFilter {
            campaign_id: parse_opt_id("filter.campaignId", f.campaign_id.as_ref())?,
            unit_id: parse_opt_id("filter.unitId", f.unit_id.as_ref())?,
            include_subunits: f.include_subunits,
        };
        let page = intake::list_surveys(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |s| uuid_cursor(&s.id), SatisfactionSurvey))
    }
}

#[derive(InputObject)]
pub struct RecordFeedbackInput {
    pub campaign_id: ID,
    pub unit_id: ID,
    pub channel: FeedbackChannel,
    /// Not in the future.
    pub received_on: Date,
    /// 1–5000 characters.
    pub content: String,
    pub category: Option<String>,
    /// Omit for an anonymous opinion.
    pub submitter: Option<String>,
}

#[derive(InputObject)]
pub struct DismissFeedbackInput {
    pub id: ID,
    pub expected_version: i32,
    pub reason: String,
}

/// Opinions and where they go: `problemId` (an existing problem) or `newProblem` (created by
/// the same call), exactly one of them.
#[derive(InputObject)]
pub struct MergeFeedbackInput {
    /// 1–100 opinions, all NEW, of the problem's campaign.
    pub feedback_ids: Vec<ID>,
    pub problem_id: Option<ID>,
    pub new_problem: Option<super::problem::CreateProblemInput>,
}

#[derive(InputObject)]
pub struct RecordSatisfactionSurveyInput {
    pub campaign_id: ID,
    pub unit_id: ID,
    pub held_on: Date,
    pub method: SurveyMethod,
    /// Must equal satisfied + basicallySatisfied + dissatisfied.
    pub participants: i32,
    pub satisfied: i32,
    pub basically_satisfied: i32,
    pub dissatisfied: i32,
    pub note: Option<String>,
    /// 公示: INTERNAL when not given; another level needs SUPERVISOR on the unit (it does).
    pub disclosure: Option<Disclosure>,
}

#[derive(InputObject)]
pub struct DiscloseSurveyInput {
    pub id: ID,
    pub expected_version: i32,
    pub disclosure: Disclosure,
}

#[derive(SimpleObject)]
pub struct FeedbackPayload {
    pub feedback: Feedback,
}

#[derive(SimpleObject)]
pub struct MergeFeedbackPayload {
    pub feedback: Vec<Feedback>,
    pub problem: Option<Problem>,
}

#[derive(SimpleObject)]
pub struct SatisfactionSurveyPayload {
    pub survey: SatisfactionSurvey,
}

#[derive(Default)]
pub struct IntakeMutation;

#[Object]
impl IntakeMutation {
    /// Records an opinion received through a channel (EDITOR on the unit).
    async fn record_feedback(&self, ctx: &Context<'_>, input: RecordFeedbackInput) -> GqlResult<FeedbackPayload> {
        let new = intake::NewFeedback {
            campaign_id: parse_id("campaignId", &input.campaign_id)?,
            unit_id: parse_id("unitId", &input.unit_id)?,
            channel: input.channel.into(),
            received_on: input.received_on.0,
            content: input.content,
            category: input.category,
            submitter: input.submitter,
        };
        let row = intake::record_feedback(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(FeedbackPayload {
            feedback: Feedback(row),
        })
    }

    /// Dismisses a NEW opinion with a reason.
    async fn dismiss_feedback(&self, ctx: &Context<'_>, input: DismissFeedbackInput) -> GqlResult<FeedbackPayload> {
        let id = parse_id("id", &input.id)?;
        let row = intake::dismiss_feedback(ledger(ctx), request(ctx), id, input.expected_version, &input.reason)
            .await
            .gql(ctx)?;
        Ok(FeedbackPayload {
            feedback: Feedback(row),
        })
    }

    /// Merges NEW opinions into a problem of their campaign, an existing one or a new one
    /// created in the same change, all or none.
    async fn merge_feedback(&self, ctx: &Context<'_>, input: MergeFeedbackInput) -> GqlResult<MergeFeedbackPayload> {
        let target = match (input.problem_id, input.new_problem) {
            (Some(id), None) => intake::MergeTarget::Existing(parse_id("problemId", &id)?),
            (None, Some(new)) => intake::MergeTarget::New(Box::new(new.into_domain("newProblem")?)),
            _ => {
                return Err(super::error::bad_input(
                    "problemId",
                    "give either problemId (an existing problem) or newProblem (a new one), not both",
                ))
            }
        };
        let ids = input
            .feedback_ids
            .iter()
            .enumerate()
            .map(|(i, id)| parse_id(&format!("feedbackIds.{i}"), id))
            .collect::<GqlResult<Vec<_>>>()?;
        let (rows, problem_id) = intake::merge_feedback(ledger(ctx), request(ctx), &ids, target)
            .await
            .gql(ctx)?;
        let problem = loader(ctx).load_one(ProblemKey(problem_id)).await?.map(Problem);
        Ok(MergeFeedbackPayload {
            feedback: rows.into_iter().map(Feedback).collect(),
            problem,
        })
    }

    /// Records a satisfaction survey of a unit (SUPERVISOR on the unit).
    async fn record_satisfaction_survey(
        &self,
        ctx: &Context<'_>,
        input: RecordSatisfactionSurveyInput,
    ) -> GqlResult<SatisfactionSurveyPayload> {
        let new = intake::NewSurvey {
            campaign_id: parse_id("campaignId", &input.campaign_id)?,
            unit_id: parse_id("unitId", &input.unit_id)?,
            held_on: input.held_on.0,
            method: input.method.into(),
            participants: input.participants,
            satisfied: input.satisfied,
            basically_satisfied: input.basically_satisfied,
            dissatisfied: input.dissatisfied,
            note: input.note,
            disclosure: input.disclosure.map(Into::into),
        };
        let row = intake::record_survey(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(SatisfactionSurveyPayload {
            survey: SatisfactionSurvey(row),
        })
    }

    /// Changes who may read a survey's result (公示; SUPERVISOR on the surveyed unit): PUBLIC
    /// results are readable without login, as the seeds ask (将测评情况向群众通报).
    async fn disclose_survey(
        &self,
        ctx: &Context<'_>,
        input: DiscloseSurveyInput,
    ) -> GqlResult<SatisfactionSurveyPayload> {
        let id = parse_id("id", &input.id)?;
        let row = intake::disclose_survey(
            ledger(ctx),
            request(ctx),
            id,
            input.expected_version,
            input.disclosure.into(),
        )
        .await
        .gql(ctx)?;
        Ok(SatisfactionSurveyPayload {
            survey: SatisfactionSurvey(row),
        })
    }
}
