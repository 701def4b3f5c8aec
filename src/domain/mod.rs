//! Domain services: the rules of the ledger (validation, lifecycle, audit), independent of
//! HTTP and GraphQL. Every write runs in one transaction together with its audit events.

// The kernel every room uses: errors, the request context, text and page values, the clock,
// row snapshots and the write store.
pub mod clock;
pub mod context;
pub mod error;
pub mod page;
pub mod snapshot;
pub mod store;
pub mod text;

// The rooms, lowest first: a room imports only the kernel and the rooms above it in this list.
pub mod access;
pub mod accountability;
pub mod accounts;
pub mod feed;
pub mod inbox;
pub mod inspections;
pub mod intake;
pub mod labels;
pub mod ledger;
pub mod lifecycle;
pub mod lookup;
pub mod org;
pub mod outbox;
pub mod reporting;
pub mod scoring;
pub mod supervision;
pub mod trail;
pub mod urging;

use sea_orm::DatabaseConnection;

use clock::SharedClock;

/// What every service needs: the database and the clock.
#[derive(Debug, Clone)]
pub struct Ledger {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
    /// How long a login's bearer token is valid.
    pub token_ttl: chrono::Duration,
    /// The largest evidence file accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Queues writers; [`Ledger::write`] takes a turn.
    write_gate: crate::db::WriteGate,
    /// Committed changes, for subscriptions.
    pub feed: feed::Feed,
    /// Webhooks are configured: every audit event gets an outbox row in its transaction.
    pub outbox: bool,
}

impl Ledger {
    pub fn new(db: DatabaseConnection, clock: SharedClock) -> Self {
        let write_gate = crate::db::WriteGate::for_backend(db.get_database_backend());
        Self {
            db,
            clock,
            token_ttl: crate::config::defaults::token_ttl(),
            max_upload_bytes: crate::config::defaults::MAX_UPLOAD_BYTES,
            write_gate,
            feed: feed::Feed::default(),
            outbox: false,
        }
    }

    /// Writes an outbox row with every audit event, for the webhook deliverer.
    pub fn with_outbox(mut self, outbox: bool) -> Self {
        self.outbox = outbox;
        self
    }

    pub fn with_token_ttl(mut self, ttl: chrono::Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    pub fn with_upload_limit(mut self, max_upload_bytes: usize) -> Self {
        self.max_upload_bytes = max_upload_bytes;
        self
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        clock::now(self.clock.as_ref())
    }

    pub fn today(&self) -> chrono::NaiveDate {
        clock::today(self.clock.as_ref())
    }
}

/// Refuses a date after `today` on `field` ("… must not be after today (…)").
pub fn not_future(field: &str, day: chrono::NaiveDate, today: chrono::NaiveDate) -> error::DomainResult<()> {
    if day > today {
        return Err(error::DomainError::invalid(
            field,
            format!("{field} must not be after today ({today})"),
        ));
    }
    Ok(())
}

/// Checks an optimistic-concurrency version.
pub fn check_version(entity: &'static str, id: uuid::Uuid, expected: i32, actual: i32) -> error::DomainResult<()> {
    if expected == actual {
        Ok(())
    } else {
        Err(error::DomainError::Conflict {
            entity,
            id: id.to_string(),
            expected,
            actual,
        })
    }
}
