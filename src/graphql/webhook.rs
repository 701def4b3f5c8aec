//! The webhook delivery log over GraphQL, for administrators.

use async_graphql::{Context, Object, SimpleObject};
use entity::webhook_outbox as db;

use super::error::{bad_input, GqlResult, IntoGql};
use super::scalars::DateTime;
use super::{ledger, request};
use crate::domain::outbox;

/// One audit event queued for the webhook URL.
pub struct WebhookDelivery(db::Model);

#[Object]
impl WebhookDelivery {
    /// The audit event's seq (sent as `X-Taizhang-Delivery`).
    async fn seq(&self) -> i64 {
        self.0.seq
    }
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// When it is tried again while pending.
    async fn next_attempt_at(&self) -> Option<DateTime> {
        self.0
            .delivered_at
            .is_none()
            .then_some(DateTime(self.0.next_attempt_at))
    }
    async fn last_attempt_at(&self) -> Option<DateTime> {
        self.0.last_attempt_at.map(DateTime)
    }
    /// The HTTP status of the last attempt; null: no answer.
    async fn last_status(&self) -> Option<i32> {
        self.0.last_status
    }
    /// Why the last attempt failed.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// When the URL answered 2xx.
    async fn delivered_at(&self) -> Option<DateTime> {
        self.0.delivered_at.map(DateTime)
    }
}

#[derive(SimpleObject)]
pub struct WebhookDeliveries {
    /// Whether this server is configured with a webhook URL.
    pub configured: bool,
    /// Events not yet delivered.
    pub pending_count: u64,
    /// Newest first.
    pub items: Vec<WebhookDelivery>,
}

#[derive(Default)]
pub struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// The webhook delivery log (ADMIN on the whole tree): the newest `first` (1–200, default
    /// 50) events queued for the URL, only the undelivered ones with `pendingOnly`.
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] pending_only: bool,
        #[graphql(default = 50)] first: i32,
    ) -> GqlResult<WebhookDeliveries> {
        if !(1..=200).contains(&first) {
            return Err(bad_input("first", "first must be between 1 and 200"));
        }
        let log = outbox::deliveries(ledger(ctx), &request(ctx).access, pending_only, first as u64)
            .await
            .gql(ctx)?;
        Ok(WebhookDeliveries {
            configured: log.configured,
            pending_count: log.pending,
            items: log.rows.into_iter().map(WebhookDelivery).collect(),
        })
    }
}
