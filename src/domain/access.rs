//! Who may do what: the one place where roles, unit scopes and disclosure are decided
//! (docs/permissions.md is the same table in words, and the permission-matrix test checks the
//! two agree).
//!
//! An account holds roles on unit subtrees or on the whole tree; each role includes the ones
//! below it (ADMIN ⊇ SUPERVISOR ⊇ EDITOR ⊇ VIEWER), and DISCIPLINE (the 纪委's) stands beside
//! them, including VIEWER only. Writes name an [`Operation`] and the units
//! they touch; reads add a condition to their query so that an object out of scope is simply
//! not found.

use std::collections::HashSet;
use std::sync::Arc;

use entity::enums::Disclosure;
pub use entity::enums::Role;
use entity::{bulletin, measure, measure_cooperating_unit as mcu, person, problem, supervision_action as sa};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use super::error::{DomainError, DomainResult};

/// Roles from the lowest to the highest, then DISCIPLINE, which stands beside the chain.
pub const ROLES: [Role; 5] = [
    Role::Viewer,
    Role::Editor,
    Role::Supervisor,
    Role::Admin,
    Role::Discipline,
];

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Viewer => "VIEWER",
        Role::Editor => "EDITOR",
        Role::Supervisor => "SUPERVISOR",
        Role::Admin => "ADMIN",
        Role::Discipline => "DISCIPLINE",
    }
}

/// The role's place in [`ROLES`] (and in an account's scopes).
fn slot(role: Role) -> usize {
    match role {
        Role::Viewer => 0,
        Role::Editor => 1,
        Role::Supervisor => 2,
        Role::Admin => 3,
        Role::Discipline => 4,
    }
}

/// Whether a grant of `held` gives `wanted`: ADMIN ⊇ SUPERVISOR ⊇ EDITOR ⊇ VIEWER; DISCIPLINE
/// gives itself and VIEWER, and no role of the chain gives DISCIPLINE (the 纪委 decides 问责,
/// not the office that administers the system).
pub fn includes(held: Role, wanted: Role) -> bool {
    match (held, wanted) {
        (Role::Discipline, w) => matches!(w, Role::Discipline | Role::Viewer),
        (_, Role::Discipline) => false,
        (h, w) => slot(h) >= slot(w),
    }
}

/// Where a role applies: the whole unit tree, or a set of units (the subtrees of the grants,
/// expanded to every descendant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Units(Arc<HashSet<Uuid>>),
}

impl Scope {
    pub fn none() -> Self {
        Scope::Units(Arc::new(HashSet::new()))
    }

    pub fn covers(&self, unit: Uuid) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(set) => set.contains(&unit),
        }
    }

    fn ids(&self) -> Vec<Uuid> {
        match self {
            Scope::All => Vec::new(),
            Scope::Units(set) => {
                let mut ids: Vec<Uuid> = set.iter().copied().collect();
                ids.sort();
                ids
            }
        }
    }
}

/// What a read needs when the rule is about what is read rather than about the row's unit and
/// disclosure (those are the `*_condition` filters below): history, records of a measure, the
/// whole trail, exports, bulletins, uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// One object's change history (its audit events): accounts.
    History,
    /// A visible measure's evidence, extension requests, verifications or progress reports
    /// (named in the message): accounts.
    MeasureRecords(&'static str),
    /// The whole audit trail and its verification: [`Operation::ReadAudit`] on the whole tree.
    AuditTrail,
    /// The ledger export (Excel, CSV), filtered by the reader's rights: accounts.
    Export,
    /// Bulletins, circulated to every account: accounts.
    Bulletins,
    /// A multipart request (files are read only for accounts; what is written is checked by
    /// the mutation).
    Upload,
    /// The 督查组's note on a satisfaction survey: accounts (a disclosed survey shows the public
    /// its figures).
    SurveyNote,
}

/// What a change needs, from the table in docs/permissions.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Create, rename, move and archive units.
    ManageUnits,
    /// Create, update and archive the people of a unit.
    EditPeople,
    /// Report on a measure's work: progress, milestones done, evidence attached. Besides the
    /// EDITORs of its units, the measure's responsible leader and responsible person may (their
    /// [personal scope](Access::responsible_for)).
    ReportWork,
    /// Create and update campaigns (they span the whole tree).
    ManageCampaigns,
    /// Problems and measures: create, update, archive; start, report progress, submit, declare
    /// long-term; request extensions; answer supervision.
    EditLedger,
    /// Change what an item discloses (公示).
    Disclose,
    /// Verify (销号), reject, reopen and cancel measures; decide extensions; issue supervision.
    Supervise,
    /// Create accounts, grant and revoke roles, disable accounts.
    ManageAccounts,
    /// Read the whole audit trail and verify it.
    ReadAudit,
    /// Maintain the working-day calendar (holidays, 调休).
    ManageCalendar,
    /// Record and revoke accountability (问责) of a unit or of a person of a unit.
    HoldAccountable,
}

impl Operation {
    /// The lowest role that may perform the operation.
    pub fn role(self) -> Role {
        match self {
            Operation::ReadAudit => Role::Viewer,
            Operation::EditPeople | Operation::EditLedger | Operation::ReportWork => Role::Editor,
            Operation::ManageCampaigns | Operation::Disclose | Operation::Supervise => Role::Supervisor,
            Operation::ManageUnits | Operation::ManageAccounts | Operation::ManageCalendar => Role::Admin,
            Operation::HoldAccountable => Role::Discipline,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Operation::ManageUnits => "managing units",
            Operation::EditPeople => "editing people",
            Operation::ManageCampaigns => "managing campaigns",
            Operation::EditLedger => "editing problems and measures",
            Operation::ReportWork => "reporting progress, milestones and evidence",
            Operation::Disclose => "changing what an item discloses",
            Operation::Supervise => "verifying, reopening, cancelling, deciding extensions and supervising",
            Operation::ManageAccounts => "managing accounts and roles",
            Operation::ReadAudit => "reading the whole audit trail",
            Operation::ManageCalendar => "maintaining the working-day calendar",
            Operation::HoldAccountable => "recording accountability (问责)",
        }
    }
}

/// The units a change touches; it is allowed when the role covers any of them.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Units, and how they are named in a refusal ("the measure's lead or cooperating units").
    Units(&'a [Uuid], &'a str),
    /// Something that belongs to no unit: needs the role on the whole tree.
    WholeTree,
    /// Needs the role somewhere (creating an account not yet linked to anyone).
    Anywhere,
}

/// The rights of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Command-line tools and the demo loader, run by whoever runs the server: everything.
    System,
    /// No bearer token: PUBLIC items only, no writes.
    Anonymous,
    /// A logged-in account; `scopes[r]` is where it holds role `r` or one that [`includes`] it; `person`
    /// is the person the account is linked to (its personal scope: the measures that person
    /// leads or carries out, wherever they are).
    Account { scopes: [Scope; 5], person: Option<Uuid> },
}

impl Access {
    /// The access of an account from its grants (`unit` None = the whole tree), the person it
    /// is linked to, and a function that expands a unit into its subtree.
    pub fn from_grants(
        grants: &[(Role, Option<Uuid>)],
        person: Option<Uuid>,
        subtree: impl Fn(Uuid) -> Vec<Uuid>,
    ) -> Self {
        let scopes = ROLES.map(|role| {
            let held: Vec<Option<Uuid>> = grants
                .iter()
                .filter(|(r, _)| includes(*r, role))
                .map(|(_, u)| *u)
                .collect();
            if held.iter().any(Option::is_none) {
                Scope::All
            } else {
                Scope::Units(Arc::new(held.into_iter().flatten().flat_map(&subtree).collect()))
            }
        });
        Access::Account { scopes, person }
    }

    pub fn is_anonymous(&self) -> bool {
        matches!(self, Access::Anonymous)
    }

    /// Where the request may act with at least `role`; None when anonymous.
    fn scope(&self, role: Role) -> Option<Scope> {
        match self {
            Access::System => Some(Scope::All),
            Access::Anonymous => None,
            Access::Account { scopes, .. } => Some(scopes[slot(role)].clone()),
        }
    }

    /// The person an account is linked to, if any.
    fn person(&self) -> Option<Uuid> {
        match self {
            Access::Account { person, .. } => *person,
            _ => None,
        }
    }

    /// Whether the account's person is the measure's responsible leader (责任领导) or
    /// responsible person (责任人): their personal scope, which covers the measure wherever its
    /// units are. They read it and its problem, and report on its work ([`Operation::ReportWork`]).
    pub fn responsible_for(&self, m: &measure::Model) -> bool {
        self.person()
            .is_some_and(|p| m.responsible_leader_id == Some(p) || m.responsible_person_id == Some(p))
    }

    /// Refuses an operation on a measure whose units are `units`: the role on one of them, or,
    /// for [`Operation::ReportWork`], the personal scope.
    pub fn require_on_measure(
        &self,
        op: Operation,
        m: &measure::Model,
        units: &[Uuid],
        place: &str,
    ) -> DomainResult<()> {
        if op == Operation::ReportWork && self.responsible_for(m) {
            return Ok(());
        }
        self.require(op, Target::Units(units, place))
    }

    /// Where the request may read (every role reads).
    pub fn read_scope(&self) -> Option<Scope> {
        self.scope(Role::Viewer)
    }

    /// Refuses an operation the request may not perform: UNAUTHENTICATED without a login,
    /// FORBIDDEN outside the role's scope.
    pub fn require(&self, op: Operation, target: Target<'_>) -> DomainResult<()> {
        let Some(scope) = self.scope(op.role()) else {
            return Err(DomainError::Unauthenticated(format!(
                "log in first: {} needs an account",
                op.describe()
            )));
        };
        let (allowed, place) = match target {
            Target::Units(units, place) => (units.iter().any(|u| scope.covers(*u)), place),
            Target::WholeTree => (scope == Scope::All, "the whole unit tree"),
            Target::Anywhere => (scope != Scope::none(), "any unit"),
        };
        if allowed {
            Ok(())
        } else {
            Err(DomainError::Forbidden(format!(
                "{} needs the {} role on {place}; this account does not hold it there",
                op.describe(),
                role_name(op.role())
            )))
        }
    }

    /// Refuses an anonymous request for internal details (history, verifications, progress
    /// reports, extension requests, supervision).
    pub fn require_login(&self, what: &str) -> DomainResult<()> {
        self.account_only(&format!("{what} is not public"))
    }

    /// Refuses a read the permission table names by what is read (see [`Read`]).
    pub fn require_read(&self, read: Read) -> DomainResult<()> {
        match read {
            Read::AuditTrail => self.require(Operation::ReadAudit, Target::WholeTree),
            Read::History => self.require_login("history"),
            Read::MeasureRecords(what) => self.require_login(what),
            Read::Export => self.account_only("the ledger export needs an account"),
            Read::Bulletins => self.account_only("bulletins are read by accounts"),
            Read::Upload => self.account_only("uploading files needs an account"),
            Read::SurveyNote => self.account_only("a survey's note is not public"),
        }
    }

    /// Whether [`Access::require_read`] would let `read` through.
    pub fn may_read(&self, read: Read) -> bool {
        self.require_read(read).is_ok()
    }

    fn account_only(&self, message: &str) -> DomainResult<()> {
        if self.is_anonymous() {
            return Err(DomainError::Unauthenticated(format!("log in first: {message}")));
        }
        Ok(())
    }

    /// A person's contact and change history are personal: shown only to readers whose scope
    /// covers the person's unit (never to anonymous readers).
    pub fn reads_personal_details(&self, person: &person::Model) -> bool {
        self.reads_unit(person.unit_id)
    }

    /// Refuses the change history of a person outside the reader's units (its snapshots
    /// carry the contact).
    pub fn require_person_history(&self, person: &person::Model) -> DomainResult<()> {
        if self.reads_personal_details(person) {
            return Ok(());
        }
        self.require_read(Read::History)?;
        Err(DomainError::Forbidden(
            "the history of a person outside your units is not shown".to_owned(),
        ))
    }

    /// Whether the request may see that an account exists: its own, or any for an administrator.
    pub fn reads_account(&self, own_account: Option<Uuid>, account: Uuid) -> bool {
        own_account == Some(account) || self.require(Operation::ManageAccounts, Target::WholeTree).is_ok()
    }

    /// Whether the request may read what belongs to `unit` (people's contact data, for one).
    pub fn reads_unit(&self, unit: Uuid) -> bool {
        self.read_scope().is_some_and(|s| s.covers(unit))
    }

    /// The lowest disclosure level every request of this kind sees whatever its scope.
    fn disclosed(&self) -> Vec<Disclosure> {
        match self {
            Access::Anonymous => vec![Disclosure::Public],
            _ => vec![Disclosure::System, Disclosure::Public],
        }
    }

    /// Whether an item at this disclosure level is shown to the request whatever its scope.
    pub fn sees_disclosed(&self, disclosure: Disclosure) -> bool {
        self.disclosed().contains(&disclosure)
    }

    /// Whether the request's scope covers a measure with these cooperating units (by its lead
    /// or a cooperating unit, or the personal scope): with [`Access::sees_disclosed`], the rule
    /// of [`Access::measure_condition`] for rows held in memory (a replayed ledger).
    pub fn scope_covers_measure(&self, m: &measure::Model, cooperating: &[Uuid]) -> bool {
        match self.read_scope() {
            None => false,
            Some(scope) => {
                scope.covers(m.lead_unit_id) || cooperating.iter().any(|u| scope.covers(*u)) || self.responsible_for(m)
            }
        }
    }

    /// Measures of the account's personal scope (see [`Access::responsible_for`]).
    fn personal_condition(&self) -> Condition {
        match self.person() {
            Some(p) => Condition::any()
                .add(measure::Column::ResponsibleLeaderId.eq(p))
                .add(measure::Column::ResponsiblePersonId.eq(p)),
            None => Condition::all().add(Expr::cust("1 = 0")),
        }
    }

    /// Measures the account works on (its reminders, `inbox`): led or co-operated on by a unit
    /// where it holds EDITOR or a role above, or in its personal scope. None when anonymous.
    pub fn work_measure_condition(&self) -> Condition {
        let cooperating = match self.scope(Role::Editor) {
            None => Condition::all().add(Expr::cust("1 = 0")),
            Some(Scope::All) => Condition::all(),
            Some(scope) => Condition::all().add(
                measure::Column::Id.in_subquery(
                    Query::select()
                        .column(mcu::Column::MeasureId)
                        .from(mcu::Entity)
                        .and_where(mcu::Column::UnitId.is_in(scope.ids()))
                        .to_owned(),
                ),
            ),
        };
        Condition::any()
            .add(self.role_scoped_condition(Role::Editor, measure::Column::LeadUnitId))
            .add(cooperating)
            .add(self.personal_condition())
    }

    /// Whether the account does any work the inbox follows: EDITOR (or above) somewhere, or a
    /// person it answers for.
    pub fn has_work(&self) -> bool {
        let units = self.scope(Role::Editor).is_some_and(|s| s != Scope::none());
        units || self.person().is_some()
    }

    /// Rows addressed to a unit (in `column`) where the account works: EDITOR or a role above.
    pub fn worked_condition(&self, column: impl ColumnTrait) -> Condition {
        self.role_scoped_condition(Role::Editor, column)
    }

    /// Measures the request may read: disclosed to it, with the lead or a cooperating unit in
    /// its scope, or in the account's personal scope.
    pub fn measure_condition(&self) -> Condition {
        let Some(scope) = self.read_scope() else {
            return Condition::all().add(measure::Column::Disclosure.is_in(self.disclosed()));
        };
        if scope == Scope::All {
            return Condition::all();
        }
        let ids = scope.ids();
        Condition::any()
            .add(measure::Column::Disclosure.is_in(self.disclosed()))
            .add(self.personal_condition())
            .add(measure::Column::LeadUnitId.is_in(ids.clone()))
            .add(
                measure::Column::Id.in_subquery(
                    Query::select()
                        .column(mcu::Column::MeasureId)
                        .from(mcu::Entity)
                        .and_where(mcu::Column::UnitId.is_in(ids))
                        .to_owned(),
                ),
            )
    }

    /// Problems the request may read: disclosed to it, led by a unit in scope, or with a
    /// measure it may read by scope or personal scope.
    pub fn problem_condition(&self) -> Condition {
        let Some(scope) = self.read_scope() else {
            return Condition::all().add(problem::Column::Disclosure.is_in(self.disclosed()));
        };
        if scope == Scope::All {
            return Condition::all();
        }
        let ids = scope.ids();
        let scoped_measures = Condition::any()
            .add(self.personal_condition())
            .add(measure::Column::LeadUnitId.is_in(ids.clone()))
            .add(
                measure::Column::Id.in_subquery(
                    Query::select()
                        .column(mcu::Column::MeasureId)
                        .from(mcu::Entity)
                        .and_where(mcu::Column::UnitId.is_in(ids.clone()))
                        .to_owned(),
                ),
            );
        Condition::any()
            .add(problem::Column::Disclosure.is_in(self.disclosed()))
            .add(problem::Column::LeadUnitId.is_in(ids))
            .add(
                problem::Column::Id.in_subquery(
                    Query::select()
                        .column(measure::Column::ProblemId)
                        .from(measure::Entity)
                        .cond_where(scoped_measures)
                        .to_owned(),
                ),
            )
    }

    /// Bulletins the request may read: every one for accounts (they are circulated to all),
    /// the PUBLIC ones without login.
    pub fn bulletin_condition(&self) -> Condition {
        if self.is_anonymous() {
            return Condition::all().add(bulletin::Column::Disclosure.eq(Disclosure::Public));
        }
        Condition::all()
    }

    /// Whether a bulletin is shown to the request: the rule of [`Access::bulletin_condition`]
    /// for one row.
    pub fn reads_bulletin(&self, disclosure: Disclosure) -> bool {
        !self.is_anonymous() || disclosure == Disclosure::Public
    }

    /// Which edition of a bulletin the request reads: the full one for accounts, the public
    /// one (公开版: units, no person, no internal item) without login.
    pub fn reads_full_bulletin(&self) -> bool {
        !self.is_anonymous()
    }

    /// People listed to the request: those of units in its scope; none when anonymous (a
    /// public measure still names its responsible people, without their contact data).
    pub fn person_condition(&self) -> Condition {
        self.unit_owned_condition(person::Column::UnitId)
    }

    /// Supervision actions the request may read: those addressed to units in its scope.
    pub fn supervision_condition(&self) -> Condition {
        self.unit_owned_condition(sa::Column::TargetUnitId)
    }

    /// Rows whose unit in `column` is in the request's SUPERVISOR scope; none when anonymous.
    pub fn supervised_condition(&self, column: impl ColumnTrait) -> Condition {
        self.role_scoped_condition(Role::Supervisor, column)
    }

    /// Accountability records (问责) the request may read: of a unit, wherever its read scope
    /// covers the unit; of a person, only where it holds SUPERVISOR or DISCIPLINE on the
    /// person's unit (a personal sanction is not for every reader of the unit). None when
    /// anonymous.
    pub fn accountability_condition(&self) -> Condition {
        use entity::accountability as acc;
        let in_scope = |role| self.role_scoped_condition(role, acc::Column::SubjectUnitId);
        Condition::any()
            .add(in_scope(Role::Viewer).add(acc::Column::SubjectPersonId.is_null()))
            .add(in_scope(Role::Supervisor))
            .add(in_scope(Role::Discipline))
    }

    /// Whether an accountability record of `unit` (about `person`, if any) is shown: the rule
    /// of [`Access::accountability_condition`] for one row.
    pub fn reads_accountability(&self, unit: Uuid, person: Option<Uuid>) -> bool {
        let covers = |role: Role| self.scope(role).is_some_and(|s| s.covers(unit));
        (person.is_none() && covers(Role::Viewer)) || covers(Role::Supervisor) || covers(Role::Discipline)
    }

    /// Rows that belong to the unit in `unit` and carry a disclosure level in `disclosure`
    /// (satisfaction surveys): those of units in scope, and those disclosed to the request.
    pub fn disclosed_or_unit_owned_condition(&self, unit: impl ColumnTrait, disclosure: impl ColumnTrait) -> Condition {
        if self.read_scope() == Some(Scope::All) {
            return Condition::all();
        }
        Condition::any()
            .add(self.unit_owned_condition(unit))
            .add(disclosure.is_in(self.disclosed()))
    }

    /// Whether a row of `unit` disclosed at `disclosure` is shown: the rule of
    /// [`Access::disclosed_or_unit_owned_condition`] for one row.
    pub fn reads_disclosed_or_unit_owned(&self, unit: Uuid, disclosure: Disclosure) -> bool {
        self.reads_unit(unit) || self.sees_disclosed(disclosure)
    }

    /// Rows that belong to the unit in `column` (opinions, surveys): those of units in scope;
    /// none when anonymous.
    pub fn unit_owned_condition(&self, column: impl ColumnTrait) -> Condition {
        self.role_scoped_condition(Role::Viewer, column)
    }

    /// Rows whose unit in `column` is where the request holds `role`; none when anonymous.
    fn role_scoped_condition(&self, role: Role, column: impl ColumnTrait) -> Condition {
        match self.scope(role) {
            None => Condition::all().add(Expr::cust("1 = 0")),
            Some(Scope::All) => Condition::all(),
            Some(scope) => Condition::all().add(column.is_in(scope.ids())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<Uuid> {
        (0..n).map(|_| Uuid::now_v7()).collect()
    }

    #[test]
    fn higher_roles_include_lower_ones_and_whole_tree_wins() {
        let u = ids(3);
        let subtree = |id: Uuid| if id == u[0] { vec![u[0], u[1]] } else { vec![id] };
        let access = Access::from_grants(&[(Role::Supervisor, Some(u[0])), (Role::Viewer, None)], None, subtree);
        let Access::Account { scopes, .. } = &access else {
            panic!("an account")
        };
        assert_eq!(scopes[0], Scope::All);
        assert!(scopes[1].covers(u[1]) && !scopes[1].covers(u[2]));
        assert!(scopes[2].covers(u[0]) && !scopes[3].covers(u[0]));
        assert!(access
            .require(Operation::Supervise, Target::Units(&[u[2], u[1]], "x"))
            .is_ok());
        assert!(matches!(
            access.require(Operation::ManageAccounts, Target::Units(&[u[0]], "x")),
            Err(DomainError::Forbidden(_))
        ));
        assert!(access.require(Operation::ReadAudit, Target::WholeTree).is_ok());
        assert!(matches!(
            Access::Anonymous.require(Operation::ReadAudit, Target::WholeTree),
            Err(DomainError::Unauthenticated(_))
        ));
    }

    #[test]
    fn discipline_reads_like_a_viewer_and_no_other_role_gives_it() {
        let u = ids(2);
        let subtree = |id: Uuid| vec![id];
        let jiwei = Access::from_grants(&[(Role::Discipline, Some(u[0]))], None, subtree);
        assert!(jiwei.reads_unit(u[0]) && !jiwei.reads_unit(u[1]));
        assert!(jiwei
            .require(Operation::HoldAccountable, Target::Units(&[u[0]], "x"))
            .is_ok());
        assert!(jiwei
            .require(Operation::EditLedger, Target::Units(&[u[0]], "x"))
            .is_err());
        let admin = Access::from_grants(&[(Role::Admin, None)], None, subtree);
        assert!(matches!(
            admin.require(Operation::HoldAccountable, Target::Units(&[u[0]], "x")),
            Err(DomainError::Forbidden(_))
        ));
        // A personal sanction: the 纪委 and the supervisors of the unit, not its viewers.
        let viewer = Access::from_grants(&[(Role::Viewer, None)], None, subtree);
        let person = Some(Uuid::now_v7());
        assert!(jiwei.reads_accountability(u[0], person) && admin.reads_accountability(u[0], person));
        assert!(!viewer.reads_accountability(u[0], person) && viewer.reads_accountability(u[0], None));
        assert!(!Access::Anonymous.reads_accountability(u[0], None));
    }
}
