//! `node(id:)`: any object by its id.

use async_graphql::{Context, Interface, Object, ID};
use uuid::Uuid;

use super::audit::AuditEvent;
use super::campaign::Campaign;
use super::error::{GqlResult, IntoGql};
use super::loaders::{MeasureKey, ProblemKey};
use super::measure::Measure;
use super::person::Person;
use super::problem::Problem;
use super::unit::Unit;
use super::{ledger, loader, request};
use crate::audit::query;
use crate::domain::access::{Operation, Target};
use crate::domain::{ledger::campaigns, lifecycle, lifecycle::extensions, org::people, org::units};

/// An object with a globally unique id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Unit(Unit),
    Person(Person),
    Campaign(Campaign),
    Problem(Problem),
    Measure(Measure),
    AuditEvent(AuditEvent),
    Account(super::account::Account),
    Verification(super::lifecycle::Verification),
    ProgressReport(super::lifecycle::ProgressReport),
    DeadlineExtension(super::extension::DeadlineExtension),
    SupervisionAction(super::supervision::SupervisionAction),
    Milestone(super::milestone::Milestone),
    Evidence(super::evidence::Evidence),
    Feedback(super::intake::Feedback),
    SatisfactionSurvey(super::intake::SatisfactionSurvey),
    Commitment(super::commitment::Commitment),
    Bulletin(super::bulletin::Bulletin),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with this id, of any type; null if there is none or the request may not
    /// read it.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Node>> {
        let db = &ledger(ctx).db;
        let req = request(ctx);
        let access = &req.access;
        if let Some(seq) = id
            .as_str()
            .strip_prefix("audit-event:")
            .and_then(|s| s.parse::<i64>().ok())
        {
            if access.require(Operation::ReadAudit, Target::WholeTree).is_err() {
                return Ok(None);
            }
            return Ok(query::get(db, seq)
                .await
                .gql(ctx)?
                .map(|e| Node::AuditEvent(AuditEvent(e))));
        }
        let Ok(id) = Uuid::parse_str(id.as_str()) else {
            return Ok(None);
        };
        // Ids are UUIDv7 across all tables; try each table by primary key. Problems and
        // measures come through the rights-filtered loader.
        if let Some(m) = loader(ctx).load_one(MeasureKey(id)).await? {
            return Ok(Some(Node::Measure(Measure(m))));
        }
        if let Some(p) = loader(ctx).load_one(ProblemKey(id)).await? {
            return Ok(Some(Node::Problem(Problem(p))));
        }
        if let Some(u) = units::get(db, id).await.gql(ctx)? {
            return Ok(Some(Node::Unit(Unit(u))));
        }
        if let Some(p) = people::get(db, id).await.gql(ctx)? {
            return Ok(access.reads_unit(p.unit_id).then_some(Node::Person(Person(p))));
        }
        if let Some(c) = campaigns::get(db, id).await.gql(ctx)? {
            return Ok(Some(Node::Campaign(Campaign(c))));
        }
        if let Some(a) = crate::domain::accounts::get(db, id).await.gql(ctx)? {
            let own = req.session.is_some_and(|s| s.account_id == a.id);
            let admin = access.require(Operation::ManageAccounts, Target::WholeTree).is_ok();
            return Ok((own || admin).then_some(Node::Account(super::account::Account(a))));
        }
        if let Some(x) = crate::domain::ledger::milestones::get(db, id).await.gql(ctx)? {
            let visible = loader(ctx).load_one(MeasureKey(x.measure_id)).await?.is_some();
            return Ok(visible.then_some(Node::Milestone(super::milestone::Milestone(x))));
        }
        if let Some(c) = crate::domain::intake::commitments::get(db, id).await.gql(ctx)? {
            // Public pledges: anyone reads them.
            return Ok(Some(Node::Commitment(super::commitment::Commitment(c))));
        }
        if access.is_anonymous() {
            // Verifications, progress reports, extensions, supervision and bulletins are not public.
            return Ok(None);
        }
        if let Some(b) = crate::domain::reporting::bulletins::get(db, id).await.gql(ctx)? {
            // Circulated to every account.
            return Ok(Some(Node::Bulletin(super::bulletin::Bulletin(b))));
        }
        if let Some(v) = lifecycle::verification(db, id).await.gql(ctx)? {
            let visible = loader(ctx).load_one(MeasureKey(v.measure_id)).await?.is_some();
            return Ok(visible.then_some(Node::Verification(super::lifecycle::Verification(v))));
        }
        if let Some(r) = lifecycle::progress_report(db, id).await.gql(ctx)? {
            let visible = loader(ctx).load_one(MeasureKey(r.measure_id)).await?.is_some();
            return Ok(visible.then_some(Node::ProgressReport(super::lifecycle::ProgressReport(r))));
        }
        if let Some(f) = crate::domain::intake::feedback(db, id).await.gql(ctx)? {
            return Ok(access
                .reads_unit(f.unit_id)
                .then_some(Node::Feedback(super::intake::Feedback(f))));
        }
        if let Some(s) = crate::domain::intake::survey(db, id).await.gql(ctx)? {
            return Ok(access
                .reads_unit(s.unit_id)
                .then_some(Node::SatisfactionSurvey(super::intake::SatisfactionSurvey(s))));
        }
        if let Some(e) = crate::domain::lifecycle::evidence::get(db, id).await.gql(ctx)? {
            let visible = loader(ctx).load_one(MeasureKey(e.measure_id)).await?.is_some();
            return Ok(visible.then_some(Node::Evidence(super::evidence::Evidence(e))));
        }
        if let Some(e) = extensions::get(db, id).await.gql(ctx)? {
            let visible = loader(ctx).load_one(MeasureKey(e.measure_id)).await?.is_some();
            return Ok(visible.then_some(Node::DeadlineExtension(super::extension::DeadlineExtension(e))));
        }
        Ok(crate::domain::supervision::get(db, id)
            .await
            .gql(ctx)?
            .filter(|s| access.reads_unit(s.target_unit_id))
            .map(|s| Node::SupervisionAction(super::supervision::SupervisionAction(s))))
    }
}
