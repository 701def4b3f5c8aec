//! Scalars of the API: calendar dates, UTC instants and 64-bit integers.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime as ChronoDateTime, NaiveDate, Utc};

/// A calendar date, `YYYY-MM-DD` (deadlines, found dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            // chrono would take `2026-1-1`; only the ten-character form is a date here.
            Value::String(s) => is_date_shape(s)
                .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .flatten()
                .filter(|d| (1900..=2999).contains(&chrono::Datelike::year(d)))
                .map(Date)
                .ok_or_else(|| {
                    InputValueError::custom(format!(
                        "\"{s}\" is not a date in the form YYYY-MM-DD between 1900 and 2999"
                    ))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// `YYYY-MM-DD`: four digits, a dash, two digits, a dash, two digits.
fn is_date_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// An instant in UTC, RFC 3339 with microseconds (`2026-11-22T01:47:32.123456Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime(pub ChronoDateTime<Utc>);

#[Scalar(name = "DateTime")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => ChronoDateTime::parse_from_rfc3339(s)
                .map(|t| DateTime(t.with_timezone(&Utc)))
                .map_err(|_| InputValueError::custom(format!("\"{s}\" is not an RFC 3339 instant"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(crate::audit::format_instant(&self.0))
    }
}

/// A 64-bit integer (audit sequence numbers), as a JSON number. GraphQL `Int` is 32-bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BigInt(pub i64);

#[Scalar(name = "BigInt")]
impl ScalarType for BigInt {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::Number(n) => n
                .as_i64()
                .map(BigInt)
                .ok_or_else(|| InputValueError::custom("expected a 64-bit integer")),
            Value::String(s) => s
                .parse()
                .map(BigInt)
                .map_err(|_| InputValueError::custom("expected a 64-bit integer")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::Number(self.0.into())
    }
}
