//! The measure lifecycle (DESIGN §4): status changes only through verbs, each allowed from
//! certain statuses. This module holds the transition table and the verbs the ledger core
//! needs (start, submit, close on a passed verification); the full set with verification
//! records, rejections, reopening and extensions belongs to the lifecycle issue.

use entity::enums::MeasureStatus;
use entity::measure;
use uuid::Uuid;

use super::context::RequestContext;
use super::error::{DomainError, DomainResult};
use super::measures::{cooperating_units_of, measure_snapshot};
use super::{store, Ledger};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Start,
    Submit,
    /// Verification passed: the measure is closed out (销号).
    Close,
}

impl Verb {
    pub fn name(self) -> &'static str {
        match self {
            Verb::Start => "start",
            Verb::Submit => "submit",
            Verb::Close => "close",
        }
    }

    fn action(self) -> &'static str {
        match self {
            Verb::Start => "measure.start",
            Verb::Submit => "measure.submit",
            Verb::Close => "measure.close",
        }
    }

    /// The status this verb leads to from `from`, or `None` when not allowed.
    pub fn target(self, from: MeasureStatus) -> Option<MeasureStatus> {
        use MeasureStatus::*;
        match (self, from) {
            (Verb::Start, Pending) => Some(InProgress),
            (Verb::Submit, InProgress) => Some(Submitted),
            (Verb::Close, Submitted) => Some(Closed),
            _ => None,
        }
    }
}

const VERBS: [Verb; 3] = [Verb::Start, Verb::Submit, Verb::Close];

/// The verbs allowed from `status`.
pub fn allowed_verbs(status: MeasureStatus) -> Vec<&'static str> {
    VERBS
        .iter()
        .filter(|v| v.target(status).is_some())
        .map(|v| v.name())
        .collect()
}

#[tracing::instrument(skip_all, fields(measure_id = %id, verb = verb.name()))]
pub async fn apply(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    verb: Verb,
) -> DomainResult<measure::Model> {
    let (_turn, tx) = ledger.begin_write().await?;
    let current: measure::Model = store::load_current(&tx, id, expected_version).await?;
    let target = verb
        .target(current.status)
        .ok_or_else(|| DomainError::InvalidTransition {
            verb: verb.name(),
            status: status_name(current.status),
            allowed: allowed_verbs(current.status),
        })?;
    let today = ledger.today();
    let mut next = current.clone();
    next.status = target;
    match verb {
        Verb::Start => next.started_on = Some(today),
        Verb::Submit => next.submitted_on = Some(today),
        Verb::Close => {
            next.closed_on = Some(today);
            next.progress_percent = 100;
        }
    }
    let saved = store::update_row(&tx, ledger, &current, next, None).await?;
    let coop: Vec<Uuid> = cooperating_units_of(&tx, &[id])
        .await?
        .into_iter()
        .map(|(_, u)| u)
        .collect();
    let before = measure_snapshot(&current, &coop)?;
    let after = measure_snapshot(&saved, &coop)?;
    store::record::<measure::Model, _>(
        &store::Writer::new(&tx, ledger, ctx),
        verb.action(),
        id,
        Some(before),
        after,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// The stable upper-case name of a status (`IN_PROGRESS`), as in the API and snapshots.
pub fn status_name(status: MeasureStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
