//! `node(id:)`: any object by its id.

use async_graphql::{Context, Interface, Object, ID};

use super::audit::AuditEvent;
use super::campaign::Campaign;
use super::error::{GqlResult, IntoGql};
use super::measure::Measure;
use super::person::Person;
use super::problem::Problem;
use super::unit::Unit;
use super::{ledger, request};
use crate::domain::lookup::{self, Found};

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
    Accountability(super::accountability::Accountability),
    ScoreAdjustment(super::scoring::ScoreAdjustment),
    Inspection(super::inspection::Inspection),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with this id, of any type; null if there is none or the request may not
    /// read it.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Node>> {
        let found = lookup::find(ledger(ctx), request(ctx), id.as_str()).await.gql(ctx)?;
        Ok(found.map(Node::from))
    }
}

impl From<Found> for Node {
    fn from(found: Found) -> Self {
        match found {
            Found::Unit(u) => Node::Unit(Unit(u)),
            Found::Person(p) => Node::Person(Person(p)),
            Found::Campaign(c) => Node::Campaign(Campaign(c)),
            Found::Problem(p) => Node::Problem(Problem(p)),
            Found::Measure(m) => Node::Measure(Measure(m)),
            Found::AuditEvent(e) => Node::AuditEvent(AuditEvent(e)),
            Found::Account(a) => Node::Account(super::account::Account(a)),
            Found::Verification(v) => Node::Verification(super::lifecycle::Verification(v)),
            Found::ProgressReport(r) => Node::ProgressReport(super::lifecycle::ProgressReport(r)),
            Found::DeadlineExtension(e) => Node::DeadlineExtension(super::extension::DeadlineExtension(e)),
            Found::SupervisionAction(s) => Node::SupervisionAction(super::supervision::SupervisionAction(s)),
            Found::Milestone(m) => Node::Milestone(super::milestone::Milestone(m)),
            Found::Evidence(e) => Node::Evidence(super::evidence::Evidence(e)),
            Found::Feedback(f) => Node::Feedback(super::intake::Feedback(f)),
            Found::SatisfactionSurvey(s) => Node::SatisfactionSurvey(super::intake::SatisfactionSurvey(s)),
            Found::Commitment(c) => Node::Commitment(super::commitment::Commitment(c)),
            Found::Bulletin(b) => Node::Bulletin(super::bulletin::Bulletin(b)),
            Found::Accountability(a) => Node::Accountability(super::accountability::Accountability(a)),
            Found::ScoreAdjustment(a) => Node::ScoreAdjustment(super::scoring::ScoreAdjustment(a)),
            Found::Inspection(i) => Node::Inspection(super::inspection::Inspection::new(i)),
        }
    }
}
