//! The measure lifecycle over GraphQL: the verbs that move a measure's status, and the records
//! they leave (verifications, progress reports).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::{progress_report, verification};

use super::connection::parse_id;
use super::error::{GqlResult, IntoGql};
use super::measure::Measure;
use super::scalars::{BigInt, Date, DateTime};
use super::{ledger, request};
use crate::domain::lifecycle::{self, Command, Outcome, Verb};

/// A check (验收) of a submitted measure.
pub struct Verification(pub verification::Model);

#[Object]
impl Verification {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn result(&self) -> VerificationResult {
        self.0.result.into()
    }
    /// The verifier's comment, or the reason of a rejection.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// Account id of the verifier.
    async fn verifier_id(&self) -> &str {
        &self.0.verifier_id
    }
    async fn verifier_name(&self) -> &str {
        &self.0.verifier_name
    }
    /// The audit seq of the measure's state that was verified.
    async fn approved_seq(&self) -> BigInt {
        BigInt(self.0.approved_seq)
    }
    async fn verified_at(&self) -> DateTime {
        DateTime(self.0.verified_at)
    }
}

/// A follow-up check (回头看) of a closed measure recorded without a reopen.
pub struct LookBack(pub entity::look_back::Model);

#[Object]
impl LookBack {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn measure_id(&self) -> ID {
        ID(self.0.measure_id.to_string())
    }
    /// The day of the check (China Standard Time).
    async fn looked_on(&self) -> Date {
        Date(self.0.looked_on)
    }
    /// Whether the rectification was found still in place; if not, reopen the measure.
    async fn found_in_order(&self) -> bool {
        self.0.found_in_order
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Account id of the supervisor who looked.
    async fn reviewer_id(&self) -> &str {
        &self.0.reviewer_id
    }
    async fn reviewer_name(&self) -> &str {
        &self.0.reviewer_name
    }
}

#[derive(InputObject)]
pub struct RecordLookBackInput {
    pub measure_id: ID,
    /// Whether the rectification holds (a relapse is recorded with `reopenMeasure` instead).
    pub found_in_order: bool,
    pub note: Option<String>,
}

#[derive(SimpleObject)]
pub struct LookBackPayload {
    pub look_back: LookBack,
}

/// A progress report (进展).
pub struct ProgressReport(pub progress_report::Model);

#[Object]
impl ProgressReport {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// 0–100.
    async fn percent(&self) -> i32 {
        self.0.percent
    }
    async fn text(&self) -> &str {
        &self.0.text
    }
    async fn reported_on(&self) -> Date {
        Date(self.0.reported_on)
    }
    async fn reporter_name(&self) -> &str {
        &self.0.reporter_name
    }
    /// First day of the reporting period the report covers; null when no rhythm applied.
    async fn period_from(&self) -> Option<Date> {
        self.0.period_from.map(Date)
    }
    /// Last day of that period: the day its report was due.
    async fn period_to(&self) -> Option<Date> {
        self.0.period_to.map(Date)
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::VerificationResult")]
pub enum VerificationResult {
    /// Accepted: the measure is closed out (销号).
    Pass,
    /// Sent back to work; needs a reason.
    Reject,
}

/// A lifecycle verb without extra data.
#[derive(InputObject)]
pub struct MeasureTransitionInput {
    pub id: ID,
    pub expected_version: i32,
}

/// A lifecycle verb that must say why (reopen, declare long-term, cancel).
#[derive(InputObject)]
pub struct MeasureReasonInput {
    pub id: ID,
    pub expected_version: i32,
    /// Required, 1–1000 characters. For declareLongTerm this is the public explanation
    /// (向群众说明情况).
    pub reason: String,
}

/// Reopening a closed measure (反弹): why, and the new time limit of the relapsed work.
#[derive(InputObject)]
pub struct ReopenMeasureInput {
    pub id: ID,
    pub expected_version: i32,
    /// Required, 1–1000 characters: what the follow-up (回头看) found.
    pub reason: String,
    /// The new deadline, not before today (the original deadline stays as `originalDeadline`).
    pub new_deadline: Date,
}

#[derive(InputObject)]
pub struct ReportProgressInput {
    pub id: ID,
    pub expected_version: i32,
    /// 0–100; lower than the current percent only with a reason.
    pub percent: i32,
    /// What was done.
    pub text: String,
    pub reason: Option<String>,
    /// Any day of the reporting period the report covers (the campaign's rhythm,
    /// `setReportRhythm`); the period holding today when omitted. A late report names the
    /// period it is late for; a period that has not begun is refused.
    pub period: Option<Date>,
}

#[derive(InputObject)]
pub struct VerifyMeasureInput {
    pub id: ID,
    pub expected_version: i32,
    pub result: VerificationResult,
    pub comment: Option<String>,
    /// Required when the result is REJECT.
    pub reason: Option<String>,
}

/// The measure after the verb, and the record the verb created, if any.
#[derive(SimpleObject)]
pub struct MeasureTransitionPayload {
    pub measure: Measure,
    /// Set by verifyMeasure.
    pub verification: Option<Verification>,
    /// Set by reportProgress.
    pub progress_report: Option<ProgressReport>,
}

impl From<Outcome> for MeasureTransitionPayload {
    fn from(o: Outcome) -> Self {
        Self {
            measure: Measure(o.measure),
            verification: o.verification.map(Verification),
            progress_report: o.progress_report.map(ProgressReport),
        }
    }
}

async fn run(
    ctx: &Context<'_>,
    id: &ID,
    expected_version: i32,
    verb: Verb,
    command: Command,
) -> GqlResult<MeasureTransitionPayload> {
    let id = parse_id("id", id)?;
    let outcome = lifecycle::apply(ledger(ctx), request(ctx), id, expected_version, verb, command)
        .await
        .gql(ctx)?;
    Ok(outcome.into())
}

/// The verbs whose only extra input is the required reason.
async fn run_with_reason(
    ctx: &Context<'_>,
    input: MeasureReasonInput,
    verb: Verb,
) -> GqlResult<MeasureTransitionPayload> {
    let command = Command {
        reason: Some(input.reason),
        ..Default::default()
    };
    run(ctx, &input.id, input.expected_version, verb, command).await
}

#[derive(Default)]
pub struct LifecycleMutation;

#[Object]
impl LifecycleMutation {
    /// PENDING → IN_PROGRESS.
    async fn start_measure(
        &self,
        ctx: &Context<'_>,
        input: MeasureTransitionInput,
    ) -> GqlResult<MeasureTransitionPayload> {
        run(ctx, &input.id, input.expected_version, Verb::Start, Command::default()).await
    }

    /// Records progress (percent and text); a PENDING measure becomes IN_PROGRESS.
    async fn report_progress(
        &self,
        ctx: &Context<'_>,
        input: ReportProgressInput,
    ) -> GqlResult<MeasureTransitionPayload> {
        let command = Command {
            percent: Some(input.percent),
            text: Some(input.text),
            reason: input.reason,
            period: input.period.map(|d| d.0),
            ..Default::default()
        };
        run(ctx, &input.id, input.expected_version, Verb::ReportProgress, command).await
    }

    /// IN_PROGRESS or LONG_TERM → SUBMITTED, for verification by someone else.
    async fn submit_measure(
        &self,
        ctx: &Context<'_>,
        input: MeasureTransitionInput,
    ) -> GqlResult<MeasureTransitionPayload> {
        run(ctx, &input.id, input.expected_version, Verb::Submit, Command::default()).await
    }

    /// SUBMITTED → CLOSED (PASS, 销号) or IN_PROGRESS (REJECT, with a reason). The verifier may
    /// be neither the account that submitted nor the responsible person (FORBIDDEN).
    async fn verify_measure(
        &self,
        ctx: &Context<'_>,
        input: VerifyMeasureInput,
    ) -> GqlResult<MeasureTransitionPayload> {
        let verb = match input.result {
            VerificationResult::Pass => Verb::Pass,
            VerificationResult::Reject => Verb::Reject,
        };
        let command = Command {
            comment: input.comment,
            reason: input.reason,
            ..Default::default()
        };
        run(ctx, &input.id, input.expected_version, verb, command).await
    }

    /// Records a follow-up check (回头看) of a CLOSED measure without reopening it: who, when,
    /// and whether it was found in order (SUPERVISOR on one of the measure's units).
    async fn record_look_back(&self, ctx: &Context<'_>, input: RecordLookBackInput) -> GqlResult<LookBackPayload> {
        let measure = parse_id("measureId", &input.measure_id)?;
        let row = lifecycle::look_back::record(
            ledger(ctx),
            request(ctx),
            measure,
            input.found_in_order,
            input.note.as_deref(),
        )
        .await
        .gql(ctx)?;
        Ok(LookBackPayload {
            look_back: LookBack(row),
        })
    }

    /// CLOSED → IN_PROGRESS when a follow-up (回头看) finds the problem back (反弹): with a new
    /// deadline; the measure's `relapseCount` and `lastRelapseOn` record it.
    async fn reopen_measure(
        &self,
        ctx: &Context<'_>,
        input: ReopenMeasureInput,
    ) -> GqlResult<MeasureTransitionPayload> {
        let command = Command {
            reason: Some(input.reason),
            new_deadline: Some(input.new_deadline.0),
            ..Default::default()
        };
        run(ctx, &input.id, input.expected_version, Verb::Reopen, command).await
    }

    /// PENDING or IN_PROGRESS → LONG_TERM (逐步解决), with a public explanation.
    async fn declare_long_term(
        &self,
        ctx: &Context<'_>,
        input: MeasureReasonInput,
    ) -> GqlResult<MeasureTransitionPayload> {
        run_with_reason(ctx, input, Verb::DeclareLongTerm).await
    }

    /// Any open status → CANCELLED, with a reason. Measures are cancelled, never deleted.
    async fn cancel_measure(
        &self,
        ctx: &Context<'_>,
        input: MeasureReasonInput,
    ) -> GqlResult<MeasureTransitionPayload> {
        run_with_reason(ctx, input, Verb::Cancel).await
    }
}
