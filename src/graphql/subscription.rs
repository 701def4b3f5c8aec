//! Subscriptions (graphql-transport-ws at `/graphql/ws`): a measure changed, a campaign's
//! ledger changed, the audit head advanced. Each is fed by `domain::feed`, so an event is sent
//! only after its change committed, from whichever server instance made it. Rights are checked
//! at delivery: the subscriber's token is authenticated again for every event (a revoked token
//! ends the subscription with UNAUTHENTICATED) and the object is read with its rights, so an
//! event about something the subscriber may not read is not sent at all.

use std::sync::Arc;

use async_graphql::futures_util::stream::{self, Stream};
use async_graphql::{Context, Object, Subscription, ID};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::audit::AuditHead;
use super::connection::parse_id;
use super::error::{with_request_id, GqlResult};
use super::measure::Measure;
use super::problem::Problem;
use super::scalars::BigInt;
use super::{ledger, request};
use crate::domain::access::Access;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::feed::Appended;
use crate::domain::ledger::{measures, problems};
use crate::domain::{accounts, Ledger};

/// Who holds a subscription: the bearer token (or session cookie) its connection presented.
#[derive(Debug, Clone, Default)]
pub struct Subscriber {
    pub token: Option<String>,
}

impl Subscriber {
    /// The subscriber's rights now: anonymous without a token; a token that no longer
    /// authenticates is refused.
    async fn access(&self, ledger: &Ledger) -> DomainResult<Access> {
        match &self.token {
            None => Ok(Access::Anonymous),
            Some(token) => Ok(accounts::authenticate(ledger, token).await?.2),
        }
    }
}

fn subscriber(ctx: &Context<'_>) -> Subscriber {
    ctx.data_opt::<Subscriber>().cloned().unwrap_or_default()
}

/// A change to a campaign's ledger: the event and, when the subscriber may read them, the
/// measure and the problem it concerns.
pub struct LedgerChange {
    event: Arc<Appended>,
    measure: Option<entity::measure::Model>,
    problem: Option<entity::problem::Model>,
}

#[Object]
impl LedgerChange {
    /// The event's seq in the audit trail.
    async fn seq(&self) -> BigInt {
        BigInt(self.event.seq)
    }
    /// The event's action (`measure.submit`, `evidence.upload`, …).
    async fn action(&self) -> &str {
        &self.event.action
    }
    async fn entity_type(&self) -> &str {
        &self.event.entity_type
    }
    async fn entity_id(&self) -> ID {
        ID(self.event.entity_id.to_string())
    }
    /// The measure changed (or whose record was written), as it is now.
    async fn measure(&self) -> Option<Measure> {
        self.measure.clone().map(Measure)
    }
    /// The problem changed, or the measure's problem, as it is now.
    async fn problem(&self) -> Option<Problem> {
        self.problem.clone().map(Problem)
    }
}

/// What one subscription delivers for an event: an item, nothing (not for it, or not
/// readable), or the end (with its error).
enum Delivery<T> {
    Item(T),
    Skip,
    End(DomainError),
}

/// The events of the feed turned into items by `deliver`, until the feed closes or delivery
/// ends the subscription.
fn watch<T, F, Fut>(ledger: Ledger, subscriber: Subscriber, deliver: F) -> impl Stream<Item = GqlResult<T>>
where
    T: Send + 'static,
    F: Fn(Ledger, Access, Arc<Appended>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = DomainResult<Delivery<T>>> + Send,
{
    let receiver = ledger.feed.subscribe();
    let deliver = Arc::new(deliver);
    stream::unfold(Some((receiver, ledger, subscriber)), move |state| {
        let deliver = deliver.clone();
        async move {
            let (mut receiver, ledger, subscriber) = state?;
            loop {
                let event = match receiver.recv().await {
                    Ok(event) => event,
                    // A slow subscriber skips what it missed; the next event brings it current.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                };
                let outcome = match subscriber.access(&ledger).await {
                    Ok(access) => deliver(ledger.clone(), access, event).await,
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok(Delivery::Item(item)) => return Some((Ok(item), Some((receiver, ledger, subscriber)))),
                    Ok(Delivery::Skip) => continue,
                    Ok(Delivery::End(e)) | Err(e) => return Some((Err(with_request_id(e, "")), None)),
                }
            }
        }
    })
}

async fn visible_measure(ledger: &Ledger, access: &Access, id: Uuid) -> DomainResult<Option<entity::measure::Model>> {
    Ok(measures::visible_by_ids(&ledger.db, access, &[id])
        .await?
        .into_iter()
        .next())
}

async fn visible_problem(ledger: &Ledger, access: &Access, id: Uuid) -> DomainResult<Option<entity::problem::Model>> {
    Ok(problems::visible_by_ids(&ledger.db, access, &[id])
        .await?
        .into_iter()
        .next())
}

#[derive(Default)]
pub struct SubscriptionRoot;

#[Subscription]
impl SubscriptionRoot {
    /// The measure as it is after each committed change to it or to one of its records
    /// (progress, evidence, verification, extension, milestone), while the subscriber may read
    /// it. A measure the subscriber cannot read is NOT_FOUND.
    async fn measure_changed(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<impl Stream<Item = GqlResult<Measure>>, async_graphql::Error> {
        let id = parse_id("id", &id)?;
        let ledger = ledger(ctx).clone();
        if visible_measure(&ledger, &request(ctx).access, id)
            .await
            .map_err(|e| with_request_id(e, ""))?
            .is_none()
        {
            return Err(with_request_id(DomainError::not_found(measures::ENTITY, id), ""));
        }
        Ok(watch(
            ledger,
            subscriber(ctx),
            move |ledger, access, event| async move {
                if event.measure_id != Some(id) {
                    return Ok(Delivery::Skip);
                }
                Ok(match visible_measure(&ledger, &access, id).await? {
                    Some(m) => Delivery::Item(Measure(m)),
                    None => Delivery::End(DomainError::not_found(measures::ENTITY, id)),
                })
            },
        ))
    }

    /// Each committed change to the problems and measures of a campaign (and their records),
    /// with the measure and problem as they are now; changes to what the subscriber may not
    /// read are not sent.
    async fn ledger_changed(
        &self,
        ctx: &Context<'_>,
        campaign_id: ID,
    ) -> Result<impl Stream<Item = GqlResult<LedgerChange>>, async_graphql::Error> {
        let campaign = parse_id("campaignId", &campaign_id)?;
        let ledger = ledger(ctx).clone();
        Ok(watch(
            ledger,
            subscriber(ctx),
            move |ledger, access, event| async move {
                if event.campaign_id != Some(campaign) || (event.measure_id.is_none() && event.problem_id.is_none()) {
                    return Ok(Delivery::Skip);
                }
                let measure = match event.measure_id {
                    Some(id) => visible_measure(&ledger, &access, id).await?,
                    None => None,
                };
                let problem = match event.problem_id {
                    Some(id) => visible_problem(&ledger, &access, id).await?,
                    None => None,
                };
                if measure.is_none() && problem.is_none() {
                    return Ok(Delivery::Skip);
                }
                Ok(Delivery::Item(LedgerChange {
                    event,
                    measure,
                    problem,
                }))
            },
        ))
    }

    /// The audit head after each committed event: anyone may follow the trail's growth (as
    /// `auditHead` may be read by anyone).
    async fn audit_head_advanced(&self, ctx: &Context<'_>) -> impl Stream<Item = GqlResult<AuditHead>> {
        watch(ledger(ctx).clone(), subscriber(ctx), |_, _, event| async move {
            Ok(Delivery::Item(AuditHead {
                seq: BigInt(event.seq),
                hash: event.hash.clone(),
            }))
        })
    }
}
