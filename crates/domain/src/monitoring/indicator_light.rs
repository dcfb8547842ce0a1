//! An indicator's light in a monitoring report: from the unit's stated likelihood, and, where the
//! target is a number and the actual to date is one in the same unit, from the progress itself —
//! the worse of the two. The warning rules bureaus' modules use:
//!
//! - a cumulative count (次, 个, 人, 件 …, and amounts) is compared with its share of the year:
//!   actual ÷ (target × whole months ÷ 12);
//! - a rate, a percentage or any other measure (分, 天, 元/人 …) with the target itself: actual ÷ target;
//! - a lower-is-better target (`≤`, `<`, `=0`) is GREEN at or below the target, RED above;
//! - progress below 60% RED, from 60% YELLOW, from 80% GREEN, from 120% BLUE (ahead of plan: a
//!   target possibly set too low, which the bureau wants to see). Qualitative targets keep the
//!   likelihood alone.

use chrono::NaiveDate;

use super::{IndicatorProgress, Light, whole_months};
use crate::target_value::{Decimal, Direction, TargetValue};

/// Units counted up over the year: a count of things, people or events, or an amount of money.
const CUMULATIVE: &[&str] = &[
    "次",
    "个",
    "人",
    "件",
    "户",
    "项",
    "场",
    "份",
    "篇",
    "所",
    "家",
    "台",
    "套",
    "辆",
    "座",
    "处",
    "批",
    "期",
    "册",
    "本",
    "条",
    "元",
    "万",
    "亿",
    "场次",
    "人次",
    "户次",
    "课时",
    "学时",
    "平方米",
    "公里",
    "吨",
];

/// Whether a target's unit counts up over the year (`人次`, `万元`), as opposed to a rate or a level.
fn is_cumulative(unit: &str) -> bool {
    let unit = unit.trim();
    !unit.contains('/') && !unit.is_empty() && CUMULATIVE.iter().any(|u| unit.ends_with(u))
}

/// The light the progress alone gives, or `None` when it cannot be read (a qualitative target, an
/// actual that is not a number in the target's unit, nothing expected yet).
pub fn progress_light(target: &TargetValue, actual_to_date: &str, as_of: NaiveDate) -> Option<Light> {
    let actual = TargetValue::parse(actual_to_date.trim()).ok()?;
    if actual.unit() != target.unit() {
        return None;
    }
    let (a, t) = (actual.value()?, target.value()?);
    let (a, t) = common(a, t);
    match target.direction()? {
        Direction::LowerIsBetter => Some(if a <= t { Light::Green } else { Light::Red }),
        Direction::HigherIsBetter | Direction::WithinRange => {
            // Expected by now: the whole target, or its share of the months passed.
            let (expected_num, expected_den) = if target.unit().is_some_and(is_cumulative) {
                (t * u128::from(whole_months(as_of)), 12)
            } else {
                (t, 1)
            };
            if expected_num == 0 {
                return None;
            }
            // progress = a / expected = a × expected_den / expected_num, against 60%, 80%, 120%.
            let progress_at_least = |percent: u128| a * expected_den * 100 >= percent * expected_num;
            Some(if progress_at_least(120) {
                Light::Blue
            } else if progress_at_least(80) {
                Light::Green
            } else if progress_at_least(60) {
                Light::Yellow
            } else {
                Light::Red
            })
        }
    }
}

/// The indicator's light: the worse of its stated likelihood's and its progress's; `None` until
/// either is known.
pub fn indicator_light(target: &TargetValue, progress: &IndicatorProgress, as_of: NaiveDate) -> Option<Light> {
    let stated = progress.likelihood.map(|l| l.light());
    let measured = progress.actual_to_date.as_deref().and_then(|a| progress_light(target, a, as_of));
    stated.into_iter().chain(measured).max()
}

/// `a` and `t` over a common denominator.
fn common(a: Decimal, t: Decimal) -> (u128, u128) {
    let (a, t) = (a.fraction(), t.fraction());
    (a.0 * t.1, t.0 * a.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::Likelihood;

    fn light(target: &str, actual: &str, as_of: (i32, u32, u32)) -> Option<Light> {
        let as_of = NaiveDate::from_ymd_opt(as_of.0, as_of.1, as_of.2).unwrap();
        progress_light(&TargetValue::parse(target).unwrap(), actual, as_of)
    }

    #[test]
    fn counts_against_their_share_of_the_year_at_60_80_and_120() {
        let july = (2023, 7, 31); // 7 of 12 months: ≥120件 expects 70 by now.
        let table = [
            ("≥120件", "41件", Some(Light::Red)),        // 58.6%
            ("≥120件", "42件", Some(Light::Yellow)),     // 60% exactly
            ("≥120件", "55件", Some(Light::Yellow)),     // 78.6%
            ("≥120件", "56件", Some(Light::Green)),      // 80% exactly
            ("≥120件", "83件", Some(Light::Green)),      // 118.6%
            ("≥120件", "84件", Some(Light::Blue)),       // 120% exactly
            ("≥12场次", "7场次", Some(Light::Green)),    // 7 of 7
            ("≥100万元", "35万元", Some(Light::Yellow)), // 35 of 100 × 7/12: 60% exactly
            ("≥100万元", "34.99万元", Some(Light::Red)),
            ("≥120件", "10个", None), // another unit
            ("≥120件", "较多", None), // not a number
        ];
        for (target, actual, want) in table {
            assert_eq!(light(target, actual, july), want, "{target} {actual}");
        }
        assert_eq!(light("≥120件", "0件", (2023, 1, 30)), None, "nothing expected before a month has passed");
        assert_eq!(light("≥12次", "3次", (2023, 3, 31)), Some(Light::Green), "3 of 3 at the end of a quarter");
        assert_eq!(light("≥12次", "2次", (2023, 6, 30)), Some(Light::Red), "2 of 6 at the half");
    }

    #[test]
    fn rates_against_the_target_itself_and_ceilings_by_their_side() {
        let july = (2023, 7, 31);
        let table = [
            ("≥90%", "53.99%", Some(Light::Red)),
            ("≥90%", "54%", Some(Light::Yellow)),
            ("≥90%", "72%", Some(Light::Green)),
            ("≥90%", "95%", Some(Light::Green)),
            ("=100%", "100%", Some(Light::Green)),
            ("≥50%", "60%", Some(Light::Blue)),
            // Values of different scales compared exactly: 74 of 92.5 is 80% exactly.
            ("≥92.5%", "74%", Some(Light::Green)),
            ("≥92.5%", "73.99%", Some(Light::Yellow)),
            ("≥85分", "90分", Some(Light::Green)),
            ("≤5%", "5%", Some(Light::Green)),
            ("≤5%", "5.01%", Some(Light::Red)),
            ("≤30天", "12天", Some(Light::Green)),
            ("=0次", "0次", Some(Light::Green)),
            ("=0次", "1次", Some(Light::Red)),
            ("80%-90%", "96%", Some(Light::Blue)),
        ];
        for (target, actual, want) in table {
            assert_eq!(light(target, actual, july), want, "{target} {actual}");
        }
    }

    #[test]
    fn the_light_is_the_worse_of_the_stated_and_the_measured() {
        let as_of = NaiveDate::from_ymd_opt(2023, 7, 31).unwrap();
        let target = TargetValue::parse("≥120件").unwrap();
        let progress = |likelihood, actual: Option<&str>| IndicatorProgress {
            likelihood,
            actual_to_date: actual.map(str::to_string),
            ..Default::default()
        };
        let certain = Some(Likelihood::Certain);
        assert_eq!(indicator_light(&target, &progress(certain, Some("30件")), as_of), Some(Light::Red));
        assert_eq!(indicator_light(&target, &progress(certain, Some("90件")), as_of), Some(Light::Blue));
        let possible = Some(Likelihood::Possible);
        assert_eq!(indicator_light(&target, &progress(possible, Some("90件")), as_of), Some(Light::Yellow));
        assert_eq!(indicator_light(&target, &progress(certain, None), as_of), Some(Light::Green), "stated alone");
        assert_eq!(
            indicator_light(&target, &progress(None, Some("60件")), as_of),
            Some(Light::Green),
            "measured alone"
        );
        assert_eq!(indicator_light(&target, &progress(None, None), as_of), None);
        let qualitative = TargetValue::parse("提高").unwrap();
        assert_eq!(indicator_light(&qualitative, &progress(possible, Some("已提高")), as_of), Some(Light::Yellow));
    }
}
