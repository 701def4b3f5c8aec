//! What the viewer may do now: a measure's `allowedActions`, from the domain's
//! `lifecycle::actions` (the checks its mutations make).

use async_graphql::{Enum, Object, SimpleObject};

use super::error::{classify, describe};
use crate::domain::labels::Labelled;
use crate::domain::lifecycle::actions::{self, Permission};

/// An action on a measure.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "actions::MeasureAction")]
pub enum MeasureAction {
    /// startMeasure.
    Start,
    /// reportProgress.
    ReportProgress,
    /// submitMeasure.
    Submit,
    /// verifyMeasure with PASS (销号).
    VerifyPass,
    /// verifyMeasure with REJECT.
    VerifyReject,
    /// reopenMeasure (回头看).
    Reopen,
    /// declareLongTerm.
    DeclareLongTerm,
    /// cancelMeasure.
    Cancel,
    /// requestDeadlineExtension.
    RequestExtension,
    /// decideDeadlineExtension on the request waiting for a decision.
    DecideExtension,
    /// uploadEvidence.
    UploadEvidence,
    /// updateMeasure.
    Update,
    /// updateMeasure's disclosure (公示).
    Disclose,
    /// issueSupervision to the measure's lead unit.
    IssueSupervision,
}

/// A condition of the close-out gate a measure does not meet yet.
#[derive(SimpleObject)]
pub struct UnmetCondition {
    pub field: String,
    pub message: String,
}

/// One action on the object for the viewer: allowed now, or refused with the error its
/// mutation would answer (`code`, `message`, `field`). The mutation's input is checked when it
/// is sent; everything that does not depend on it is checked here, by the same code.
pub struct ActionPermission(pub Permission);

#[Object]
impl ActionPermission {
    async fn action(&self) -> MeasureAction {
        self.0.action.into()
    }
    /// The action's Chinese name (启动整改, 验收通过（销号）, …).
    async fn label(&self) -> &'static str {
        self.0.action.label()
    }
    /// The mutation that performs it.
    async fn mutation(&self) -> &'static str {
        self.0.action.mutation()
    }
    async fn allowed(&self) -> bool {
        self.0.refusal.is_none()
    }
    /// The refusal's `extensions.code` (FORBIDDEN, INVALID_TRANSITION, GATE_NOT_MET, …), null
    /// when allowed.
    async fn code(&self) -> Option<&'static str> {
        self.0.refusal.as_ref().map(|e| classify(e).0)
    }
    /// Why it is refused, as the mutation would say it; null when allowed.
    async fn reason(&self) -> Option<String> {
        self.0.refusal.as_ref().map(|e| describe(e, "").0)
    }
    /// For GATE_NOT_MET, every unmet condition of the close-out gate (progress, evidence),
    /// as the mutation's `extensions.unmet` lists them; empty otherwise.
    async fn unmet(&self) -> Vec<UnmetCondition> {
        match &self.0.refusal {
            Some(crate::domain::error::DomainError::GateNotMet { unmet, .. }) => unmet
                .iter()
                .map(|u| UnmetCondition {
                    field: u.field.to_owned(),
                    message: u.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        }
    }
    /// The input field the refusal names, if any (`evidence`, `progressPercent`, …).
    async fn field(&self) -> Option<String> {
        let (_, extensions) = describe(self.0.refusal.as_ref()?, "");
        extensions.get("field").and_then(|f| f.as_str()).map(str::to_owned)
    }
}
