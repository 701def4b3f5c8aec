//! The one source of "now" and "today" for the domain, injectable so tests fix the date.

use chrono::{DateTime, Duration, NaiveDate, SubsecRound, Utc};
use std::sync::Arc;

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// Deadlines are calendar dates in China Standard Time (UTC+8, no daylight saving).
pub const LEDGER_UTC_OFFSET_SECONDS: i32 = 8 * 3600;

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock standing still, for tests and reproducible demos.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

pub type SharedClock = Arc<dyn Clock>;

/// Now, truncated to microseconds: the precision both databases store, so a row read back
/// equals the snapshot written into the audit trail.
pub fn now(clock: &dyn Clock) -> DateTime<Utc> {
    clock.now().trunc_subsecs(6)
}

/// Today's date in the ledger's time zone.
pub fn today(clock: &dyn Clock) -> NaiveDate {
    date_of(clock.now())
}

/// The ledger's (China Standard Time) date of an instant.
pub fn date_of(instant: DateTime<Utc>) -> NaiveDate {
    local_time(instant).date()
}

/// The first instant of a day of the ledger's calendar (China Standard Time).
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::seconds(i64::from(LEDGER_UTC_OFFSET_SECONDS))
}

/// The last instant (microsecond) of a day of the ledger's calendar.
pub fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    start_of_day(date + Duration::days(1)) - Duration::microseconds(1)
}

/// An instant as the ledger's wall-clock time (China Standard Time).
pub fn local_time(instant: DateTime<Utc>) -> chrono::NaiveDateTime {
    instant.naive_utc() + Duration::seconds(i64::from(LEDGER_UTC_OFFSET_SECONDS))
}

/// `date` shifted by `days` (negative for the past).
pub fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date + Duration::days(days)
}
