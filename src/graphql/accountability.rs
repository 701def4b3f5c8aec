//! Accountability (问责) over GraphQL: the records the 纪委 keeps, and their revocation.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::accountability as db;

use super::audit::{history, AuditEvent};
use super::bulletin::Bulletin;
use super::campaign::Campaign;
use super::connection::{connection, page_request, parse_id, parse_opt_id, uuid_cursor, Conn};
use super::error::{bad_input, GqlResult, IntoGql};
use super::loaders::{MeasureKey, ProblemKey};
use super::measure::Measure;
use super::person::Person;
use super::problem::Problem;
use super::scalars::{Date, DateTime};
use super::supervision::SupervisionAction;
use super::unit::Unit;
use super::{ledger, loader, request};
use crate::domain::accountability::{self as domain, Basis, Subject};
use crate::domain::reporting::bulletins;

/// A 问责 decision: who was held accountable (a unit, or a person of a unit), how, on what
/// basis, by which body and document (文号), on which day; and, once withdrawn, when, by whom
/// and why (撤销). Recorded by the DISCIPLINE role (the 纪委).
pub struct Accountability(pub db::Model);

#[Object]
impl Accountability {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Changes with the revocation; `revokeAccountability` expects it.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn campaign(&self, ctx: &Context<'_>) -> GqlResult<Option<Campaign>> {
        Campaign::link(ctx, self.0.campaign_id).await
    }
    async fn kind(&self) -> AccountabilityKind {
        self.0.kind.into()
    }
    /// The unit held accountable, or the unit of the person held accountable.
    async fn subject_unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.subject_unit_id).await
    }
    /// The person held accountable; null when the subject is the unit.
    async fn subject_person(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        Person::link(ctx, self.0.subject_person_id).await
    }
    /// The problem the decision rests on, if named (and visible to the reader).
    async fn problem(&self, ctx: &Context<'_>) -> GqlResult<Option<Problem>> {
        match self.0.problem_id {
            Some(id) => Ok(loader(ctx).load_one(ProblemKey(id)).await?.map(Problem)),
            None => Ok(None),
        }
    }
    /// The measure the decision rests on, if named (and visible to the reader).
    async fn measure(&self, ctx: &Context<'_>) -> GqlResult<Option<Measure>> {
        match self.0.measure_id {
            Some(id) => Ok(loader(ctx).load_one(MeasureKey(id)).await?.map(Measure)),
            None => Ok(None),
        }
    }
    /// The supervision action (督办) the decision rests on, if named (and visible to the reader).
    async fn supervision_action(&self, ctx: &Context<'_>) -> GqlResult<Option<SupervisionAction>> {
        let Some(id) = self.0.supervision_action_id else {
            return Ok(None);
        };
        let row = crate::domain::supervision::get(&ledger(ctx).db, id).await.gql(ctx)?;
        Ok(row
            .filter(|a| request(ctx).access.reads_unit(a.target_unit_id))
            .map(SupervisionAction))
    }
    /// The bulletin (通报) the decision rests on, if named.
    async fn bulletin(&self, ctx: &Context<'_>) -> GqlResult<Option<Bulletin>> {
        let Some(id) = self.0.bulletin_id else {
            return Ok(None);
        };
        Ok(bulletins::read(ledger(ctx), &request(ctx).access, id)
            .await
            .gql(ctx)?
            .map(Bulletin))
    }
    /// What happened and why (问责事由).
    async fn facts(&self) -> &str {
        &self.0.facts
    }
    /// The body that decided (县纪委, 县委组织部, …).
    async fn deciding_body(&self) -> &str {
        &self.0.deciding_body
    }
    /// 文号, e.g. 青纪发〔2026〕12号.
    async fn document_number(&self) -> &str {
        &self.0.document_number
    }
    async fn decided_on(&self) -> Date {
        Date(self.0.decided_on)
    }
    async fn recorder_name(&self) -> &str {
        &self.0.recorder_name
    }
    async fn recorded_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// Not revoked.
    async fn in_force(&self) -> bool {
        self.0.revoked_at.is_none()
    }
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(DateTime)
    }
    async fn revoker_name(&self) -> Option<&str> {
        self.0.revoker_name.as_deref()
    }
    async fn revoke_reason(&self) -> Option<&str> {
        self.0.revoke_reason.as_deref()
    }
    /// Whether `revokeAccountability` would accept this record from the viewer now (DISCIPLINE
    /// on its unit, still in force): the check the mutation makes.
    async fn viewer_can_revoke(&self, ctx: &Context<'_>) -> bool {
        domain::may_revoke(&request(ctx).access, &self.0).is_ok()
    }
    /// Audit events of this record, newest first.
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

/// How someone was held accountable (问责方式).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::AccountabilityKind")]
pub enum AccountabilityKind {
    /// 约谈.
    Talk,
    /// 通报批评.
    BulletinCriticism,
    /// 诫勉谈话.
    Admonition,
    /// 责令检查.
    OrderedExamination,
    /// 组织处理.
    OrganizationalHandling,
    /// 纪律处分.
    DisciplinarySanction,
    /// 一票否决: of a unit; while in force the unit is ranked last of its category.
    OneVoteVeto,
}

#[derive(InputObject, Default)]
pub struct AccountabilityFilter {
    pub campaign_id: Option<ID>,
    /// Records of this unit, its people's included.
    pub unit_id: Option<ID>,
    /// With `unitId`: of its subunits too.
    #[graphql(default = false)]
    pub include_subunits: bool,
    pub person_id: Option<ID>,
    pub kind: Option<AccountabilityKind>,
    /// true: not revoked; false: revoked.
    pub in_force: Option<bool>,
}

impl AccountabilityFilter {
    fn into_domain(self) -> GqlResult<domain::AccountabilityFilter> {
        Ok(domain::AccountabilityFilter {
            campaign_id: parse_opt_id("filter.campaignId", self.campaign_id.as_ref())?,
            unit_id: parse_opt_id("filter.unitId", self.unit_id.as_ref())?,
            include_subunits: self.include_subunits,
            person_id: parse_opt_id("filter.personId", self.person_id.as_ref())?,
            kind: self.kind.map(Into::into),
            in_force: self.in_force,
        })
    }
}

#[derive(Default)]
pub struct AccountabilityQuery;

#[Object]
impl AccountabilityQuery {
    /// Accountability records (问责), newest first: a unit's wherever the reader reads the
    /// unit; a person's only for SUPERVISOR or DISCIPLINE on the person's unit.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn accountabilities(
        &self,
        ctx: &Context<'_>,
        filter: Option<AccountabilityFilter>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Accountability>> {
        let filter = filter.unwrap_or_default().into_domain()?;
        let page = domain::list(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            page_request(first, after, offset)?,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page, |a| uuid_cursor(&a.id), Accountability))
    }
}

#[derive(InputObject)]
pub struct RecordAccountabilityInput {
    pub campaign_id: ID,
    pub kind: AccountabilityKind,
    /// The unit held accountable; or give `subjectPersonId` (exactly one of the two).
    pub subject_unit_id: Option<ID>,
    /// The person held accountable (filed under the person's unit); not for ONE_VOTE_VETO.
    pub subject_person_id: Option<ID>,
    /// The basis, at least one of the four, each of the campaign: a problem…
    pub problem_id: Option<ID>,
    /// …a measure (of `problemId`, if both are given)…
    pub measure_id: Option<ID>,
    /// …a supervision action (督办)…
    pub supervision_action_id: Option<ID>,
    /// …or a bulletin (通报).
    pub bulletin_id: Option<ID>,
    /// What happened and why (问责事由), 1–5000 characters.
    pub facts: String,
    /// The body that decided, 1–200 characters.
    pub deciding_body: String,
    /// 文号, 1–100 characters.
    pub document_number: String,
    /// Not after today.
    pub decided_on: Date,
}

impl RecordAccountabilityInput {
    fn subject(&self) -> GqlResult<Subject> {
        let unit = parse_opt_id("subjectUnitId", self.subject_unit_id.as_ref())?;
        let person = parse_opt_id("subjectPersonId", self.subject_person_id.as_ref())?;
        match (unit, person) {
            (Some(u), None) => Ok(Subject::Unit(u)),
            (None, Some(p)) => Ok(Subject::Person(p)),
            _ => Err(bad_input(
                "subjectUnitId",
                "give exactly one of subjectUnitId (a unit held accountable) and subjectPersonId (a person)",
            )),
        }
    }
}

#[derive(InputObject)]
pub struct RevokeAccountabilityInput {
    pub id: ID,
    pub expected_version: i32,
    /// Why the decision no longer stands (撤销理由), 1–1000 characters.
    pub reason: String,
}

#[derive(SimpleObject)]
pub struct AccountabilityPayload {
    pub accountability: Accountability,
}

#[derive(Default)]
pub struct AccountabilityMutation;

#[Object]
impl AccountabilityMutation {
    /// Records a 问责 decision (DISCIPLINE on the subject's unit).
    async fn record_accountability(
        &self,
        ctx: &Context<'_>,
        input: RecordAccountabilityInput,
    ) -> GqlResult<AccountabilityPayload> {
        let new = domain::NewAccountability {
            campaign_id: parse_id("campaignId", &input.campaign_id)?,
            kind: input.kind.into(),
            subject: input.subject()?,
            basis: Basis {
                problem_id: parse_opt_id("problemId", input.problem_id.as_ref())?,
                measure_id: parse_opt_id("measureId", input.measure_id.as_ref())?,
                supervision_action_id: parse_opt_id("supervisionActionId", input.supervision_action_id.as_ref())?,
                bulletin_id: parse_opt_id("bulletinId", input.bulletin_id.as_ref())?,
            },
            facts: input.facts,
            deciding_body: input.deciding_body,
            document_number: input.document_number,
            decided_on: input.decided_on.0,
        };
        let row = domain::record(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(AccountabilityPayload {
            accountability: Accountability(row),
        })
    }

    /// Revokes a 问责 decision (撤销) with a reason (DISCIPLINE on the subject's unit); the record
    /// stays, no longer in force.
    async fn revoke_accountability(
        &self,
        ctx: &Context<'_>,
        input: RevokeAccountabilityInput,
    ) -> GqlResult<AccountabilityPayload> {
        let id = parse_id("id", &input.id)?;
        let row = domain::revoke(ledger(ctx), request(ctx), id, input.expected_version, &input.reason)
            .await
            .gql(ctx)?;
        Ok(AccountabilityPayload {
            accountability: Accountability(row),
        })
    }
}
