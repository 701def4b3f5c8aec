//! The measure lifecycle (DESIGN §4): status changes only through verbs, each allowed from
//! certain statuses, each writing the measure's audit event (and the records it creates) in one
//! transaction.
//!
//! ```text
//! PENDING ─start/reportProgress─▶ IN_PROGRESS ─submit─▶ SUBMITTED ─verify PASS─▶ CLOSED (销号)
//!   IN_PROGRESS ◀─verify REJECT─ SUBMITTED;  CLOSED ─reopen─▶ IN_PROGRESS (回头看)
//!   PENDING / IN_PROGRESS ─declareLongTerm─▶ LONG_TERM ─submit─▶ SUBMITTED
//!   any open status ─cancel─▶ CANCELLED
//! ```

pub mod actions;
pub mod close_out;
pub mod evidence;
pub mod extensions;
pub mod look_back;

use chrono::NaiveDate;
use entity::enums::{MeasureStatus, VerificationResult};
use entity::{audit_event, measure, progress_report, verification};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::access::Operation;
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ledger::measures::{save_row_change, status_name};
use crate::domain::ledger::rhythms::{self, Period};
use crate::domain::text::{limits, Text};
use crate::domain::{store, Ledger};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Start,
    ReportProgress,
    Submit,
    /// Verification passed: the measure is closed out (销号).
    Pass,
    /// Verification failed: back to work, with a reason.
    Reject,
    /// 回头看 found the problem back.
    Reopen,
    DeclareLongTerm,
    Cancel,
}

/// Every verb, in the order they are listed in errors.
pub const VERBS: [Verb; 8] = [
    Verb::Start,
    Verb::ReportProgress,
    Verb::Submit,
    Verb::Pass,
    Verb::Reject,
    Verb::Reopen,
    Verb::DeclareLongTerm,
    Verb::Cancel,
];

impl Verb {
    /// The name clients know the verb by (the GraphQL mutation, or verify's result).
    pub fn name(self) -> &'static str {
        match self {
            Verb::Start => "startMeasure",
            Verb::ReportProgress => "reportProgress",
            Verb::Submit => "submitMeasure",
            Verb::Pass => "verifyMeasure(PASS)",
            Verb::Reject => "verifyMeasure(REJECT)",
            Verb::Reopen => "reopenMeasure",
            Verb::DeclareLongTerm => "declareLongTerm",
            Verb::Cancel => "cancelMeasure",
        }
    }

    fn action(self) -> &'static str {
        match self {
            Verb::Start => "measure.start",
            Verb::ReportProgress => "measure.report_progress",
            Verb::Submit => "measure.submit",
            Verb::Pass => "measure.verify_pass",
            Verb::Reject => "measure.verify_reject",
            Verb::Reopen => "measure.reopen",
            Verb::DeclareLongTerm => "measure.declare_long_term",
            Verb::Cancel => "measure.cancel",
        }
    }

    /// Rejecting, reopening, declaring long-term and cancelling must say why.
    /// What the verb needs: the responsible unit works on a measure, a supervisor judges it.
    pub fn operation(self) -> Operation {
        match self {
            Verb::ReportProgress => Operation::ReportWork,
            Verb::Start | Verb::Submit | Verb::DeclareLongTerm => Operation::EditLedger,
            Verb::Pass | Verb::Reject | Verb::Reopen | Verb::Cancel => Operation::Supervise,
        }
    }

    pub fn needs_reason(self) -> bool {
        matches!(self, Verb::Reject | Verb::Reopen | Verb::DeclareLongTerm | Verb::Cancel)
    }

    /// The status this verb leads to from `from`, or `None` when not allowed.
    pub fn target(self, from: MeasureStatus) -> Option<MeasureStatus> {
        use MeasureStatus::*;
        match (self, from) {
            (Verb::Start, Pending) => Some(InProgress),
            (Verb::ReportProgress, Pending | InProgress) => Some(InProgress),
            (Verb::ReportProgress, LongTerm) => Some(LongTerm),
            (Verb::Submit, InProgress | LongTerm) => Some(Submitted),
            (Verb::Pass, Submitted) => Some(Closed),
            (Verb::Reject, Submitted) => Some(InProgress),
            (Verb::Reopen, Closed) => Some(InProgress),
            (Verb::DeclareLongTerm, Pending | InProgress) => Some(LongTerm),
            (Verb::Cancel, Pending | InProgress | Submitted | LongTerm) => Some(Cancelled),
            _ => None,
        }
    }
}

/// The verbs allowed from `status`.
pub fn allowed_verbs(status: MeasureStatus) -> Vec<&'static str> {
    VERBS
        .iter()
        .filter(|v| v.target(status).is_some())
        .map(|v| v.name())
        .collect()
}

/// What a verb is asked to do, with the data some verbs carry.
#[derive(Debug, Clone, Default)]
pub struct Command {
    pub reason: Option<String>,
    /// reportProgress: 0–100.
    pub percent: Option<i32>,
    /// reportProgress: what was done.
    pub text: Option<String>,
    /// verify: the verifier's comment.
    pub comment: Option<String>,
    /// reopen: the new deadline of the relapsed measure (not before today).
    pub new_deadline: Option<NaiveDate>,
    /// reportProgress: a day of the reporting period the report covers (today's when none).
    pub period: Option<NaiveDate>,
}

/// What a verb wrote besides the measure.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub measure: measure::Model,
    pub verification: Option<verification::Model>,
    pub progress_report: Option<progress_report::Model>,
}

/// The reason a verb was given, checked: required for some verbs.
fn checked_reason(verb: Verb, command: &Command) -> DomainResult<Option<String>> {
    let reason = Text::parse_optional("reason", command.reason.as_deref(), limits::REASON)?.map(Text::into_inner);
    if verb.needs_reason() && reason.is_none() {
        return Err(DomainError::invalid(
            "reason",
            format!("reason is required to {}", verb.name()),
        ));
    }
    Ok(reason)
}

/// The status `verb` leads to from the measure's status, or the verbs that are allowed.
fn target_status(verb: Verb, current: &measure::Model) -> DomainResult<MeasureStatus> {
    verb.target(current.status)
        .ok_or_else(|| DomainError::InvalidTransition {
            verb: verb.name(),
            status: status_name(current.status),
            allowed: allowed_verbs(current.status),
        })
}

/// Whether `ctx` may apply `verb` to `current` now, whatever the verb's input: its rights, then
/// the measure's state. Returns the status the verb leads to. [`apply`] checks the same two
/// halves (with the version check between them); the measure's `allowedActions` asks this.
pub async fn authorise<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    verb: Verb,
    current: &measure::Model,
) -> DomainResult<MeasureStatus> {
    require_rights(db, ctx, verb, current).await?;
    check_state(db, ctx, verb, current).await
}

/// The verb's operation on the measure's units (or the personal scope for reporting work).
async fn require_rights<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    verb: Verb,
    current: &measure::Model,
) -> DomainResult<()> {
    crate::domain::ledger::measures::require(db, ctx, verb.operation(), current).await?;
    if verb == Verb::ReportProgress && current.status == MeasureStatus::Pending {
        // Reporting on a PENDING measure starts it: the unit's decision, not the personal scope's.
        crate::domain::ledger::measures::require(db, ctx, Operation::EditLedger, current).await?;
    }
    Ok(())
}

/// The verb is allowed from the measure's status; a verifier is not one of its owners; the
/// close-out gate is met for submitting and passing.
async fn check_state<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    verb: Verb,
    current: &measure::Model,
) -> DomainResult<MeasureStatus> {
    let target = target_status(verb, current)?;
    let verifying = matches!(verb, Verb::Pass | Verb::Reject);
    if verifying || verb == Verb::Submit {
        let rules = close_out::rules_of(db, current).await?;
        if verifying {
            close_out::check_verifier(db, ctx, current, &rules).await?;
        }
        if matches!(verb, Verb::Submit | Verb::Pass) {
            close_out::require_gate(db, verb.name(), current, &rules).await?;
        }
    }
    Ok(target)
}

/// Records a progress report of `percent` with `text`, covering `period` of the campaign's
/// reporting rhythm.
async fn record_progress(
    w: &store::Write<'_>,
    id: Uuid,
    (percent, text): (i32, String),
    period: Option<Period>,
) -> DomainResult<progress_report::Model> {
    let actor = &w.ctx().actor;
    let row = progress_report::Model {
        id: Uuid::now_v7(),
        measure_id: id,
        percent,
        text,
        reported_on: w.today(),
        reporter_id: actor.id.clone(),
        reporter_name: actor.display_name.clone(),
        period_from: period.map(|p| p.from),
        period_to: period.map(|p| p.to),
        created_at: w.now(),
    };
    w.insert_record("ProgressReport", "progress_report.create", row).await
}

/// Records a verification (PASS or REJECT) of the measure as of the event `approved_seq`.
async fn record_verification(
    w: &store::Write<'_>,
    id: Uuid,
    verb: Verb,
    comment: Option<String>,
    reason: Option<String>,
    approved_seq: i64,
) -> DomainResult<verification::Model> {
    let actor = &w.ctx().actor;
    let row = verification::Model {
        id: Uuid::now_v7(),
        measure_id: id,
        result: if verb == Verb::Pass {
            VerificationResult::Pass
        } else {
            VerificationResult::Reject
        },
        comment: comment.or(reason),
        verifier_id: actor.id.clone(),
        verifier_name: actor.display_name.clone(),
        approved_seq,
        verified_at: w.now(),
    };
    w.insert_record("Verification", "verification.create", row).await
}

#[tracing::instrument(skip_all, fields(measure_id = %id, verb = verb.name()))]
pub async fn apply(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    verb: Verb,
    command: Command,
) -> DomainResult<Outcome> {
    let reason = checked_reason(verb, &command)?;
    let comment = Text::parse_optional("comment", command.comment.as_deref(), limits::LONG_TEXT)?.map(Text::into_inner);
    let w = ledger.write(ctx).await?;
    let current: measure::Model = w.load(id).await?;
    require_rights(w.tx(), ctx, verb, &current).await?;
    store::check_current(&current, expected_version)?;
    let verifying = matches!(verb, Verb::Pass | Verb::Reject);
    let mut next = current.clone();
    next.status = check_state(w.tx(), ctx, verb, &current).await?;
    let report = match verb {
        Verb::ReportProgress => Some((
            progress(&current, &command, reason.as_deref())?,
            rhythms::period_for_report(w.tx(), &current, command.period, w.today()).await?,
        )),
        _ => None,
    };
    apply_effects(&mut next, verb, w.today(), ctx, report.as_ref().map(|r| r.0 .0));
    if verb == Verb::DeclareLongTerm {
        // 逐步解决: the reason is what the public is told, and stays with the measure.
        next.public_explanation.clone_from(&reason);
    }
    if verb == Verb::Reopen {
        record_relapse(&mut next, command.new_deadline, w.today())?;
    }
    let approved_seq = last_seq(w.tx(), id).await?;
    let measure = save_row_change(&w, verb.action(), &current, next, reason.as_deref()).await?;
    let progress_report = match report {
        Some((report, period)) => Some(record_progress(&w, id, report, period).await?),
        None => None,
    };
    let verification = if verifying {
        Some(record_verification(&w, id, verb, comment, reason, approved_seq).await?)
    } else {
        None
    };
    if verb == Verb::Cancel {
        // A cancelled measure is owed by nobody: its units' receipts are withdrawn with it.
        crate::domain::ledger::receipts::reassign_measure(&w, None, id, &[]).await?;
    }
    w.commit().await?;
    Ok(Outcome {
        measure,
        verification,
        progress_report,
    })
}

fn apply_effects(next: &mut measure::Model, verb: Verb, today: NaiveDate, ctx: &RequestContext, percent: Option<i32>) {
    match verb {
        Verb::Start => next.started_on = Some(today),
        Verb::ReportProgress => {
            next.started_on = next.started_on.or(Some(today));
            next.progress_percent = percent.unwrap_or(next.progress_percent);
        }
        Verb::Submit => {
            next.submitted_on = Some(today);
            next.submitted_by = Some(ctx.actor.id.clone());
        }
        Verb::Pass => {
            next.closed_on = Some(today);
            next.progress_percent = 100;
        }
        Verb::Reject | Verb::Reopen => {
            next.closed_on = None;
            next.submitted_on = None;
        }
        Verb::DeclareLongTerm | Verb::Cancel => {}
    }
}

/// 反弹: a reopened measure gets a new deadline (not before today: it is not overdue the moment
/// it is reopened) and counts one more relapse, dated today.
fn record_relapse(next: &mut measure::Model, new_deadline: Option<NaiveDate>, today: NaiveDate) -> DomainResult<()> {
    let deadline = new_deadline.ok_or_else(|| {
        DomainError::invalid(
            "newDeadline",
            "newDeadline is required to reopen a measure: the relapsed work needs a new time limit",
        )
    })?;
    if deadline < today {
        return Err(DomainError::invalid(
            "newDeadline",
            format!("newDeadline ({deadline}) must not be before today ({today})"),
        ));
    }
    next.deadline = deadline;
    next.relapse_count += 1;
    next.last_relapse_on = Some(today);
    Ok(())
}

/// Checks a progress report: percent 0–100, text given, no decrease without a reason.
fn progress(current: &measure::Model, command: &Command, reason: Option<&str>) -> DomainResult<(i32, String)> {
    let percent = command
        .percent
        .ok_or_else(|| DomainError::invalid("percent", "percent is required"))?;
    if !(0..=100).contains(&percent) {
        return Err(DomainError::invalid("percent", "percent must be between 0 and 100"));
    }
    if percent < current.progress_percent && reason.is_none() {
        return Err(DomainError::invalid(
            "reason",
            format!(
                "reason is required when progress goes down ({}% → {percent}%)",
                current.progress_percent
            ),
        ));
    }
    let text = Text::parse("text", command.text.as_deref().unwrap_or_default(), limits::LONG_TEXT)?.into_inner();
    Ok((percent, text))
}

/// The seq of the newest audit event of entity `id` (0 if none).
async fn last_seq<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<i64> {
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::EntityId.eq(id))
        .order_by_desc(audit_event::Column::Seq)
        .one(db)
        .await?
        .map_or(0, |e| e.seq))
}

pub async fn verifications_of<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<verification::Model>> {
    Ok(verification::Entity::find()
        .filter(verification::Column::MeasureId.is_in(ids.to_vec()))
        .order_by_desc(verification::Column::VerifiedAt)
        .order_by_desc(verification::Column::Id)
        .all(db)
        .await?)
}

pub async fn progress_reports_of<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> DomainResult<Vec<progress_report::Model>> {
    Ok(progress_report::Entity::find()
        .filter(progress_report::Column::MeasureId.is_in(ids.to_vec()))
        .order_by_desc(progress_report::Column::CreatedAt)
        .order_by_desc(progress_report::Column::Id)
        .all(db)
        .await?)
}

pub async fn verification<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<verification::Model>> {
    Ok(verification::Entity::find_by_id(id).one(db).await?)
}

pub async fn progress_report<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<progress_report::Model>> {
    Ok(progress_report::Entity::find_by_id(id).one(db).await?)
}
