//! What a viewer may do to a measure now (the console's buttons, GitHub's `viewerCan…`): for
//! each action, allowed or the refusal the mutation would answer. Each check is the function
//! the mutation itself calls before it looks at its input ([`super::authorise`],
//! [`extensions::may_request`], [`extensions::may_decide`], [`evidence::may_attach`],
//! [`supervision::may_issue`], [`measures::require`]), so the answer cannot drift from what
//! the mutation then does; the input (a reason, a date, a file) is checked when it is sent.

use entity::measure;
use sea_orm::ConnectionTrait;

use super::{evidence, extensions, Verb};
use crate::domain::access::Operation;
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::labels::Labelled;
use crate::domain::ledger::measures;
use crate::domain::supervision;

/// An action on a measure, in the order the console lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureAction {
    Start,
    ReportProgress,
    Submit,
    VerifyPass,
    VerifyReject,
    Reopen,
    DeclareLongTerm,
    Cancel,
    RequestExtension,
    DecideExtension,
    UploadEvidence,
    Update,
    Disclose,
    IssueSupervision,
}

pub const MEASURE_ACTIONS: [MeasureAction; 14] = [
    MeasureAction::Start,
    MeasureAction::ReportProgress,
    MeasureAction::Submit,
    MeasureAction::VerifyPass,
    MeasureAction::VerifyReject,
    MeasureAction::Reopen,
    MeasureAction::DeclareLongTerm,
    MeasureAction::Cancel,
    MeasureAction::RequestExtension,
    MeasureAction::DecideExtension,
    MeasureAction::UploadEvidence,
    MeasureAction::Update,
    MeasureAction::Disclose,
    MeasureAction::IssueSupervision,
];

impl MeasureAction {
    /// The lifecycle verb of the action, if it is one.
    pub fn verb(self) -> Option<Verb> {
        Some(match self {
            MeasureAction::Start => Verb::Start,
            MeasureAction::ReportProgress => Verb::ReportProgress,
            MeasureAction::Submit => Verb::Submit,
            MeasureAction::VerifyPass => Verb::Pass,
            MeasureAction::VerifyReject => Verb::Reject,
            MeasureAction::Reopen => Verb::Reopen,
            MeasureAction::DeclareLongTerm => Verb::DeclareLongTerm,
            MeasureAction::Cancel => Verb::Cancel,
            _ => return None,
        })
    }

    /// The mutation that performs the action.
    pub fn mutation(self) -> &'static str {
        match self.verb() {
            Some(verb) => verb.name(),
            None => match self {
                MeasureAction::RequestExtension => "requestDeadlineExtension",
                MeasureAction::DecideExtension => "decideDeadlineExtension",
                MeasureAction::UploadEvidence => "uploadEvidence",
                MeasureAction::Update => "updateMeasure",
                MeasureAction::Disclose => "updateMeasure(disclosure)",
                _ => "issueSupervision",
            },
        }
    }
}

impl Labelled for MeasureAction {
    fn label(self) -> &'static str {
        match self {
            MeasureAction::Start => "启动整改",
            MeasureAction::ReportProgress => "报告进展",
            MeasureAction::Submit => "提交验收",
            MeasureAction::VerifyPass => "验收通过（销号）",
            MeasureAction::VerifyReject => "验收退回",
            MeasureAction::Reopen => "回头看重新整改",
            MeasureAction::DeclareLongTerm => "转为长期坚持",
            MeasureAction::Cancel => "撤销措施",
            MeasureAction::RequestExtension => "申请调整时限",
            MeasureAction::DecideExtension => "审批时限调整",
            MeasureAction::UploadEvidence => "上传佐证材料",
            MeasureAction::Update => "修改措施",
            MeasureAction::Disclose => "调整公开范围",
            MeasureAction::IssueSupervision => "发出督办",
        }
    }
}

/// One action and, when refused, why (the error its mutation would answer).
#[derive(Debug)]
pub struct Permission {
    pub action: MeasureAction,
    pub refusal: Option<DomainError>,
}

/// Every action on `m` for the request `ctx`, allowed or refused. Database errors are
/// errors, not refusals.
pub async fn permissions<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    m: &measure::Model,
) -> DomainResult<Vec<Permission>> {
    let mut out = Vec::with_capacity(MEASURE_ACTIONS.len());
    for action in MEASURE_ACTIONS {
        let refusal = match check(db, ctx, action, m).await {
            Ok(()) => None,
            Err(e @ (DomainError::Database(_) | DomainError::Internal(_))) => return Err(e),
            Err(refusal) => Some(refusal),
        };
        out.push(Permission { action, refusal });
    }
    Ok(out)
}

/// Whether `ctx` may take `action` on `m` now.
pub async fn check<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    action: MeasureAction,
    m: &measure::Model,
) -> DomainResult<()> {
    if let Some(verb) = action.verb() {
        return super::authorise(db, ctx, verb, m).await.map(|_| ());
    }
    match action {
        MeasureAction::RequestExtension => extensions::may_request(db, ctx, m).await,
        MeasureAction::DecideExtension => match extensions::pending_of(db, m.id).await? {
            Some(request) => extensions::may_decide(db, ctx, &request, m).await,
            None => Err(DomainError::invalid(
                "id",
                "no extension request of this measure is waiting for a decision",
            )),
        },
        MeasureAction::UploadEvidence => evidence::may_attach(db, ctx, m).await,
        MeasureAction::Update => measures::require(db, ctx, Operation::EditLedger, m).await,
        MeasureAction::Disclose => measures::require(db, ctx, Operation::Disclose, m).await,
        _ => supervision::may_issue(&ctx.access, m.lead_unit_id),
    }
}
