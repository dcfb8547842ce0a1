//! Calendar dates as the form writes them: `YYYY-MM-DD`, in years a budget can concern.
//!
//! chrono alone accepts `+10000-01-01` and `-0001-01-01`, which no client can read back; a
//! planned date outside 1949–2200 is a typing slip, not a plan.

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

use crate::message::Message;

/// Today in China (UTC+8, no daylight saving): the day a due date is counted in, wherever the
/// server's clock is set.
pub fn china_today(now: DateTime<Utc>) -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    now.with_timezone(&china).date_naive()
}

/// The years a date on the form may fall in.
pub const YEARS: RangeInclusive<i32> = 1949..=2200;

/// Parses exactly `YYYY-MM-DD` (four-digit year, no sign, no time) within [`YEARS`].
pub fn parse_iso_date(text: &str) -> Result<NaiveDate, Message> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let date = if shape { NaiveDate::parse_from_str(text, "%Y-%m-%d").ok() } else { None };
    let date = date.ok_or_else(|| {
        Message::new(
            format!("\"{}\" 不是日期：请按 YYYY-MM-DD 填写，如 2023-01-01", clip(text)),
            format!("\"{}\" is not a date: write YYYY-MM-DD, e.g. 2023-01-01", clip(text)),
        )
    })?;
    check_year(date)?;
    Ok(date)
}

/// Refuses a date whose year lies outside [`YEARS`].
pub fn check_year(date: NaiveDate) -> Result<(), Message> {
    if YEARS.contains(&date.year()) {
        Ok(())
    } else {
        let (from, to) = (YEARS.start(), YEARS.end());
        Err(Message::new(
            format!("日期 {date} 不在计划可填的 {from}–{to} 年之内"),
            format!("{date} is outside the years {from}–{to} a plan may name"),
        ))
    }
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_in_china_turns_at_16_00_utc() {
        let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc);
        assert_eq!(china_today(at("2023-08-15T15:59:59Z")), NaiveDate::from_ymd_opt(2023, 8, 15).unwrap());
        assert_eq!(china_today(at("2023-08-15T16:00:00Z")), NaiveDate::from_ymd_opt(2023, 8, 16).unwrap());
    }

    #[test]
    fn only_plain_dates_in_sane_years() {
        assert_eq!(parse_iso_date("2023-03-01"), Ok(NaiveDate::from_ymd_opt(2023, 3, 1).unwrap()));
        assert!(parse_iso_date("1949-01-01").is_ok());
        assert!(parse_iso_date("2200-12-31").is_ok());
        for bad in [
            "0000-01-01",
            "-0001-01-01",
            "+10000-01-01",
            "1948-12-31",
            "2201-01-01",
            "2023-3-1",
            "2023-02-30",
            "2023-03-01T00:00:00",
            " 2023-03-01",
            "２０２３-03-01",
            // Ten characters that chrono alone would read as 2023-03-01: the shape refuses them.
            " 2023-3-01",
            "2023- 3-01",
            "2023-03- 1",
            "+2023-3-01",
        ] {
            assert!(parse_iso_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_refusal_quotes_what_was_typed_up_to_40_characters() {
        let refused = parse_iso_date("2023年3月1日").unwrap_err();
        assert!(refused.zh().contains("\"2023年3月1日\"") && refused.en().contains("\"2023年3月1日\""), "{refused:?}");
        let long = "日".repeat(50);
        let refused = parse_iso_date(&long).unwrap_err();
        assert!(refused.zh().contains(&format!("\"{}…\"", "日".repeat(40))), "{refused:?}");
    }
}
