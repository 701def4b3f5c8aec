//! The close-out rules (销号): who may verify a measure, and what a measure needs before it is
//! submitted and again before it is closed.
//!
//! - **Who verifies (验收 ≠ owner).** Not the account that submitted it, not its responsible
//!   person, not its responsible leader; and the verifier holds SUPERVISOR through a grant on
//!   the whole tree or on a unit above the measure's lead or a cooperating unit and outside
//!   their subtrees (the 督查组, a superior), never only through the owners' own units or an
//!   unrelated one. A campaign may
//!   also require that the verifier's person belongs to an INSPECTION_GROUP unit.
//! - **The gate.** Progress at 100 % and at least one evidence file that is not withdrawn (a
//!   campaign may let measures of IMMEDIATE problems go without one). Submitting checks it;
//!   verifying PASS checks it again; an unmet gate lists every unmet condition in one error.
//!   After a relapse only evidence uploaded since the reopen counts.

use std::collections::HashSet;

use entity::enums::{RectificationKind, Role, UnitKind};
use entity::{audit_event, evidence, measure};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::access::Access;
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult, Unmet};
use crate::domain::ledger::campaigns::{self, CloseOutRules};
use crate::domain::ledger::{measures, problems};
use crate::domain::org::{people, units};
use crate::domain::{accounts, accounts::grants};

/// What the close-out rules of one measure depend on, read once per verb: its campaign's
/// settings and whether its problem is rectified at once.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    campaign: CloseOutRules,
    immediate: bool,
}

/// The rules that apply to `m`.
pub async fn rules_of<C: ConnectionTrait>(db: &C, m: &measure::Model) -> DomainResult<Rules> {
    let problem = problems::get(db, m.problem_id)
        .await?
        .ok_or_else(|| DomainError::not_found("Problem", m.problem_id))?;
    let campaign = campaigns::get(db, problem.campaign_id)
        .await?
        .ok_or_else(|| DomainError::not_found(campaigns::ENTITY, problem.campaign_id))?;
    let immediate = problem.rectification_kind == RectificationKind::Immediate;
    Ok(Rules {
        campaign: CloseOutRules::of(&campaign),
        immediate,
    })
}

/// The seq of `m`'s newest `measure.reopen` event, if it relapsed.
async fn last_reopened<C: ConnectionTrait>(db: &C, m: &measure::Model) -> DomainResult<Option<i64>> {
    if m.relapse_count == 0 {
        return Ok(None);
    }
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::EntityId.eq(m.id))
        .filter(audit_event::Column::Action.eq("measure.reopen"))
        .order_by_desc(audit_event::Column::Seq)
        .one(db)
        .await?
        .map(|e| e.seq))
}

/// Evidence files of `m` that are not withdrawn; after a relapse (反弹), only files uploaded
/// since it was last reopened (their upload event comes after the reopen's) count: the old
/// proof was proved wrong.
async fn evidence_in_force<C: ConnectionTrait>(db: &C, m: &measure::Model) -> DomainResult<u64> {
    let mut query = evidence::Entity::find()
        .filter(evidence::Column::MeasureId.eq(m.id))
        .filter(evidence::Column::WithdrawnAt.is_null());
    if let Some(reopened) = last_reopened(db, m).await? {
        let uploaded_since = Query::select()
            .column(audit_event::Column::EntityId)
            .from(audit_event::Entity)
            .and_where(audit_event::Column::Action.eq("evidence.upload"))
            .and_where(audit_event::Column::Seq.gt(reopened))
            .to_owned();
        query = query.filter(evidence::Column::Id.in_subquery(uploaded_since));
    }
    Ok(query.count(db).await?)
}

/// What `m` still lacks to be submitted or closed; empty when the gate is met.
pub async fn unmet_conditions<C: ConnectionTrait>(
    db: &C,
    m: &measure::Model,
    rules: &Rules,
) -> DomainResult<Vec<Unmet>> {
    let mut unmet = Vec::new();
    if m.progress_percent < 100 {
        unmet.push(Unmet {
            field: "progressPercent",
            message: format!(
                "progress is {}%, not 100% (report the completed work with reportProgress first)",
                m.progress_percent
            ),
        });
    }
    let relaxed = rules.campaign.evidence_optional_for_immediate && rules.immediate;
    if !relaxed && evidence_in_force(db, m).await? == 0 {
        unmet.push(Unmet {
            field: "evidence",
            message: "no evidence file (佐证材料) that is not withdrawn is attached (upload one first)".to_owned(),
        });
    }
    Ok(unmet)
}

/// Refuses `verb` on `m` while the gate is not met, naming every unmet condition.
pub async fn require_gate<C: ConnectionTrait>(
    db: &C,
    verb: &'static str,
    m: &measure::Model,
    rules: &Rules,
) -> DomainResult<()> {
    let unmet = unmet_conditions(db, m, rules).await?;
    if unmet.is_empty() {
        Ok(())
    } else {
        Err(DomainError::GateNotMet { verb, unmet })
    }
}

/// Refuses a verifier who is one of the measure's owners (see the module's rules).
pub async fn check_verifier<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    m: &measure::Model,
    rules: &Rules,
) -> DomainResult<()> {
    if m.submitted_by.as_deref() == Some(ctx.actor.id.as_str()) {
        return Err(DomainError::Forbidden(
            "the account that submitted a measure cannot verify it; another supervisor must".to_owned(),
        ));
    }
    if matches!(ctx.access, Access::System) {
        return Ok(());
    }
    let account_id = Uuid::parse_str(&ctx.actor.id).ok();
    let account = match account_id {
        Some(id) => accounts::get(db, id).await?,
        None => None,
    };
    let person = account.as_ref().and_then(|a| a.person_id);
    check_not_responsible(m, person)?;
    let Some(account) = account else {
        return Err(DomainError::Forbidden(
            "verifying a measure needs an account".to_owned(),
        ));
    };
    check_from_outside(db, m, account.id).await?;
    check_inspection_group(db, rules, person).await
}

fn check_not_responsible(m: &measure::Model, person: Option<Uuid>) -> DomainResult<()> {
    let Some(person) = person else { return Ok(()) };
    if m.responsible_person_id == Some(person) {
        return Err(DomainError::Forbidden(
            "the measure's responsible person cannot verify it".to_owned(),
        ));
    }
    if m.responsible_leader_id == Some(person) {
        return Err(DomainError::Forbidden(
            "the measure's responsible leader (责任领导) cannot verify it; the 督查组 or a superior must".to_owned(),
        ));
    }
    Ok(())
}

/// The owners' subtrees: the lead and cooperating units and every unit below them.
async fn owner_subtrees<C: ConnectionTrait>(db: &C, units_of: &[Uuid]) -> DomainResult<HashSet<Uuid>> {
    let mut owned = HashSet::new();
    for unit in units_of {
        owned.extend(units::subtree_ids(db, *unit).await?);
    }
    Ok(owned)
}

/// Whether a SUPERVISOR grant on `unit` (None: the whole tree) supervises the measure from
/// outside: the grant is not within the owners' subtrees, and it covers one of the measure's
/// units (a superior). A grant on an unrelated unit does not count.
async fn from_outside<C: ConnectionTrait>(
    db: &C,
    unit: Option<Uuid>,
    owned: &HashSet<Uuid>,
    measure_units: &[Uuid],
) -> DomainResult<bool> {
    let Some(unit) = unit else { return Ok(true) };
    if owned.contains(&unit) {
        return Ok(false);
    }
    let covered = units::subtree_ids(db, unit).await?;
    Ok(measure_units.iter().any(|u| covered.contains(u)))
}

/// The verifier holds SUPERVISOR (or ADMIN) on the whole tree or on a unit above the measure's
/// units and outside the owners' subtrees.
async fn check_from_outside<C: ConnectionTrait>(db: &C, m: &measure::Model, account: Uuid) -> DomainResult<()> {
    let measure_units = measures::units_of(db, m).await?;
    let owned = owner_subtrees(db, &measure_units).await?;
    let supervising = grants::of_accounts(db, &[account])
        .await?
        .into_iter()
        .filter(|g| matches!(g.role, Role::Supervisor | Role::Admin));
    for grant in supervising {
        if from_outside(db, grant.unit_id, &owned, &measure_units).await? {
            return Ok(());
        }
    }
    Err(DomainError::Forbidden(
        "a measure is verified from outside the units that carry it out: you hold SUPERVISOR only on the measure's own lead or cooperating units or on units not above them (验收 needs the 督查组 or a superior)".to_owned(),
    ))
}

/// Where the campaign asks for it, the verifier's person belongs to an INSPECTION_GROUP unit.
async fn check_inspection_group<C: ConnectionTrait>(db: &C, rules: &Rules, person: Option<Uuid>) -> DomainResult<()> {
    if !rules.campaign.verified_by_inspection_group {
        return Ok(());
    }
    let unit = match person {
        Some(p) => people::get(db, p).await?.map(|p| p.unit_id),
        None => None,
    };
    let kind = match unit {
        Some(u) => units::get(db, u).await?.map(|u| u.kind),
        None => None,
    };
    if kind == Some(UnitKind::InspectionGroup) {
        return Ok(());
    }
    Err(DomainError::Forbidden(
        "this campaign's measures are verified by a member of an inspection group (督查组): your account is not linked to a person of an INSPECTION_GROUP unit".to_owned(),
    ))
}
