//! `node(id:)`: any object by its id.

use async_graphql::{Context, Interface, Object, ID};
use uuid::Uuid;

use super::audit::AuditEvent;
use super::campaign::Campaign;
use super::error::{GqlResult, IntoGql};
use super::ledger;
use super::measure::Measure;
use super::person::Person;
use super::problem::Problem;
use super::unit::Unit;
use crate::audit::query;
use crate::domain::{campaigns, extensions, lifecycle, measures, people, problems, units};

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
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with this id, of any type; null if there is none.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Node>> {
        let db = &ledger(ctx).db;
        if let Some(seq) = id
            .as_str()
            .strip_prefix("audit-event:")
            .and_then(|s| s.parse::<i64>().ok())
        {
            return Ok(query::get(db, seq)
                .await
                .gql(ctx)?
                .map(|e| Node::AuditEvent(AuditEvent(e))));
        }
        let Ok(id) = Uuid::parse_str(id.as_str()) else {
            return Ok(None);
        };
        // Ids are UUIDv7 across all tables; try each table by primary key.
        if let Some(m) = measures::get(db, id).await.gql(ctx)? {
            return Ok(Some(Node::Measure(Measure(m))));
        }
        if let Some(p) = problems::get(db, id).await.gql(ctx)? {
            return Ok(Some(Node::Problem(Problem(p))));
        }
        if let Some(u) = units::get(db, id).await.gql(ctx)? {
            return Ok(Some(Node::Unit(Unit(u))));
        }
        if let Some(p) = people::get(db, id).await.gql(ctx)? {
            return Ok(Some(Node::Person(Person(p))));
        }
        if let Some(c) = campaigns::get(db, id).await.gql(ctx)? {
            return Ok(Some(Node::Campaign(Campaign(c))));
        }
        if let Some(a) = crate::domain::accounts::get(db, id).await.gql(ctx)? {
            return Ok(Some(Node::Account(super::account::Account(a))));
        }
        if let Some(v) = lifecycle::verification(db, id).await.gql(ctx)? {
            return Ok(Some(Node::Verification(super::lifecycle::Verification(v))));
        }
        if let Some(r) = lifecycle::progress_report(db, id).await.gql(ctx)? {
            return Ok(Some(Node::ProgressReport(super::lifecycle::ProgressReport(r))));
        }
        if let Some(e) = extensions::get(db, id).await.gql(ctx)? {
            return Ok(Some(Node::DeadlineExtension(super::extension::DeadlineExtension(e))));
        }
        Ok(crate::domain::supervision::get(db, id)
            .await
            .gql(ctx)?
            .map(|s| Node::SupervisionAction(super::supervision::SupervisionAction(s))))
    }
}
