//! Scalars with the names front ends expect: `Date` (YYYY-MM-DD) and `DateTime` (RFC 3339, UTC).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{NaiveDate, SecondsFormat, Utc};

/// A calendar date, `YYYY-MM-DD`, in the years 1949–2200.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => jixiao_domain::dates::parse_iso_date(s)
                .map(Date)
                .map_err(|m| InputValueError::custom(crate::lang::read(&m))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// A moment in time, RFC 3339 in UTC, e.g. `2023-03-01T08:00:00Z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime(pub chrono::DateTime<Utc>);

#[Scalar(name = "DateTime")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => {
                chrono::DateTime::parse_from_rfc3339(s).map(|d| DateTime(d.with_timezone(&Utc))).map_err(|_| {
                    InputValueError::custom(crate::lang::say(
                        format!("“{s}”不是 RFC 3339 格式的时刻（如 2023-03-01T08:00:00Z）"),
                        format!("\"{s}\" is not an RFC 3339 date-time"),
                    ))
                })
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::Millis, true))
    }
}
