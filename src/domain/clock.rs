//! The one source of "now" and "today" for the domain, injectable so tests fix the date.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SubsecRound, TimeZone, Utc};
use std::sync::Arc;

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// Deadlines are calendar dates in China Standard Time (UTC+8, no daylight saving).
pub const CHINA_STANDARD_TIME: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

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
    at_local(date.and_time(NaiveTime::MIN))
}

/// A wall-clock time of the ledger's calendar (China Standard Time) as an instant. A fixed
/// offset has no gaps or folds, so every local time is exactly one instant.
pub fn at_local(local: NaiveDateTime) -> DateTime<Utc> {
    CHINA_STANDARD_TIME
        .from_local_datetime(&local)
        .single()
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

/// The last instant (microsecond) of a day of the ledger's calendar.
pub fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    start_of_day(date + Duration::days(1)) - Duration::microseconds(1)
}

/// An instant as the ledger's wall-clock time (China Standard Time).
pub fn local_time(instant: DateTime<Utc>) -> NaiveDateTime {
    instant.with_timezone(&CHINA_STANDARD_TIME).naive_local()
}

/// `date` shifted by `days` (negative for the past).
pub fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date + Duration::days(days)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn days_turn_at_midnight_in_china_standard_time() {
        let day = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let start = start_of_day(day);
        assert_eq!(start.to_rfc3339(), "2026-06-29T16:00:00+00:00");
        assert_eq!(date_of(start), day);
        assert_eq!(date_of(start - Duration::microseconds(1)), day.pred_opt().unwrap());
        assert_eq!(end_of_day(day).to_rfc3339(), "2026-06-30T15:59:59.999999+00:00");
        assert_eq!(local_time(start).to_string(), "2026-06-30 00:00:00");
    }
}
