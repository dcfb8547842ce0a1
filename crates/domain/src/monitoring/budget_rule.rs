//! How a round lights the budget (预算执行预警). The rule is the round's, chosen when it is opened
//! and kept with it, so that a round answers as it did whatever rule later rounds use.
//!
//! Bureaus' warning modules divide: execution rate ÷ time progress, time in whole months (as of
//! 31 July: 7/12 = 58.33%), RED below 60, YELLOW from 60 to below 80, GREEN from 80. A ratio scales
//! over the year, where a difference is lax early and harsh late. The rule Jixiao used before it
//! was a setting (time progress − execution rate, time in days, GREEN up to 10 points, YELLOW up to
//! 20) stays the rule of the rounds opened with it. Both compare the rounded figures people see.

use chrono::{Datelike, NaiveDate};

use super::{Light, Percent, time_progress};
use crate::catalog::coded_enum;
use crate::message::Message;
use crate::problem::{Problem, ProblemCode};

coded_enum!(
    /// 预算执行比较方式
    BudgetComparison as "BudgetComparison" {
        /// 比值: execution rate ÷ time progress, in %; RED below the lower threshold, YELLOW below the
        /// upper one, GREEN from it.
        Ratio => ("RATIO", "比值（执行率 ÷ 时间进度）"),
        /// 差值: time progress − execution rate, in percentage points; GREEN up to the lower
        /// threshold, YELLOW up to the upper one, RED beyond.
        Difference => ("DIFFERENCE", "差值（时间进度 − 执行率）"),
    }
);

coded_enum!(
    /// 时间进度的计算口径
    TimeBasis as "TimeBasis" {
        /// 按月: whole months elapsed ÷ 12 (a month counts once its last day is reached).
        Months => ("MONTHS", "按整月"),
        /// 按日: days from 1 January, both included, ÷ the days of the year.
        Days => ("DAYS", "按日"),
    }
);

/// A round's budget rule: how it compares, how it counts time, and its two thresholds (in
/// hundredths: `Percent(6000)` is 60.00% of a ratio, or 60.00 points of a difference).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BudgetRule {
    pub comparison: BudgetComparison,
    pub time: TimeBasis,
    pub lower: Percent,
    pub upper: Percent,
}

/// The most a threshold may be: 1000.00 (a ratio of ten times the time, or 1000 points).
const MAX_THRESHOLD: i64 = 100_000;

impl BudgetRule {
    /// For new rounds: the ratio by whole months, 60 and 80.
    pub const DEFAULT: BudgetRule = BudgetRule {
        comparison: BudgetComparison::Ratio,
        time: TimeBasis::Months,
        lower: Percent(6_000),
        upper: Percent(8_000),
    };

    /// The rule of every round opened before the rule was a setting: the difference by days, 10
    /// and 20.
    pub const BEFORE_SETTINGS: BudgetRule = BudgetRule {
        comparison: BudgetComparison::Difference,
        time: TimeBasis::Days,
        lower: Percent(1_000),
        upper: Percent(2_000),
    };

    /// The comparison's usual thresholds (RATIO 60 and 80, DIFFERENCE 10 and 20), by whole months
    /// for a ratio and by days for a difference: what a round gets when its admin names only how
    /// to compare.
    pub const fn usual(comparison: BudgetComparison) -> BudgetRule {
        match comparison {
            BudgetComparison::Ratio => BudgetRule::DEFAULT,
            BudgetComparison::Difference => BudgetRule::BEFORE_SETTINGS,
        }
    }

    /// 时间进度 as of `as_of`, counted as the rule counts time.
    pub fn time_progress(&self, as_of: NaiveDate) -> Percent {
        match self.time {
            TimeBasis::Days => time_progress(as_of),
            TimeBasis::Months => months_progress(as_of),
        }
    }

    /// execution ÷ time in %, rounded half up to two places; `None` before any time has passed.
    pub fn ratio(time: Percent, execution: Percent) -> Option<Percent> {
        Percent::of(i128::from(execution.0), i128::from(time.0))
    }

    /// The budget's light for an execution rate against a time progress (both as shown).
    pub fn light(&self, time: Percent, execution: Percent) -> Light {
        match self.comparison {
            BudgetComparison::Difference => {
                let lag = time.0 - execution.0;
                if lag <= self.lower.0 {
                    Light::Green
                } else if lag <= self.upper.0 {
                    Light::Yellow
                } else {
                    Light::Red
                }
            }
            BudgetComparison::Ratio => {
                // Nothing is expected before any time has passed.
                if time.0 == 0 {
                    return Light::Green;
                }
                // execution ÷ time < threshold, exactly: execution × 10 000 < threshold × time.
                let below = |threshold: Percent| {
                    i128::from(execution.0) * 10_000 < i128::from(threshold.0) * i128::from(time.0)
                };
                if below(self.lower) {
                    Light::Red
                } else if below(self.upper) {
                    Light::Yellow
                } else {
                    Light::Green
                }
            }
        }
    }

    /// Thresholds from 0 to 1000, the lower not above the upper.
    pub fn check(&self) -> Result<(), Problem> {
        let within = |p: Percent| (0..=MAX_THRESHOLD).contains(&p.0);
        if within(self.lower) && within(self.upper) && self.lower <= self.upper {
            return Ok(());
        }
        Err(Problem::new(
            "budgetRule",
            ProblemCode::InvalidInput,
            Message::new(
                format!("预警阈值须在 0 到 1000 之间，且下限（{}）不大于上限（{}）", self.lower, self.upper),
                format!(
                    "the thresholds must be from 0 to 1000, the lower ({}) not above the upper ({})",
                    self.lower, self.upper
                ),
            ),
        ))
    }
}

/// Whole months elapsed as of `as_of` over 12: a month counts once its last day is reached (as of
/// 31 July 7/12, as of 30 July 6/12).
pub fn months_progress(as_of: NaiveDate) -> Percent {
    Percent::of(i128::from(whole_months(as_of)), 12).unwrap_or_default()
}

/// The months of the year fully passed as of `as_of` (its own month once its last day is reached).
pub fn whole_months(as_of: NaiveDate) -> u32 {
    let month_done = as_of.succ_opt().is_none_or(|next| next.month() != as_of.month());
    as_of.month() - u32::from(!month_done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn months_count_at_the_end_of_each_quarter() {
        let table = [
            (day(2023, 1, 30), "0.00"),
            (day(2023, 1, 31), "8.33"),
            (day(2023, 3, 31), "25.00"),
            (day(2023, 6, 29), "41.67"),
            (day(2023, 6, 30), "50.00"),
            (day(2023, 7, 31), "58.33"),
            (day(2023, 9, 30), "75.00"),
            (day(2023, 12, 30), "91.67"),
            (day(2023, 12, 31), "100.00"),
            (day(2024, 2, 28), "8.33"),
            (day(2024, 2, 29), "16.67"),
            (day(2023, 2, 28), "16.67"),
        ];
        for (as_of, want) in table {
            assert_eq!(months_progress(as_of).to_string(), want, "{as_of}");
        }
    }

    #[test]
    fn the_ratio_lights_at_exactly_60_and_80() {
        let rule = BudgetRule::DEFAULT;
        let time = Percent(5_000);
        let table = [
            (Percent(2_999), Light::Red),
            (Percent(3_000), Light::Yellow), // 30 ÷ 50 = 60% exactly
            (Percent(3_999), Light::Yellow),
            (Percent(4_000), Light::Green), // 80% exactly
            (Percent(9_000), Light::Green),
        ];
        for (execution, want) in table {
            assert_eq!(rule.light(time, execution), want, "{execution} of {time}");
        }
        assert_eq!(rule.light(Percent(0), Percent(0)), Light::Green, "nothing expected yet");
    }

    #[test]
    fn the_weiwen_example_is_yellow_by_ratio_and_red_by_difference() {
        // 维稳工作: 900,000.00 of 2,371,500.00 executed as of 2023-07-31.
        let executed = super::super::execution_rate(
            crate::money::Money::from_fen(90_000_000),
            crate::money::Money::from_fen(237_150_000),
        )
        .unwrap();
        let as_of = day(2023, 7, 31);
        assert_eq!(executed.to_string(), "37.95");
        let rule = BudgetRule::DEFAULT;
        let time = rule.time_progress(as_of);
        assert_eq!(
            (time.to_string(), BudgetRule::ratio(time, executed).unwrap().to_string()),
            ("58.33".into(), "65.06".into())
        );
        assert_eq!(rule.light(time, executed), Light::Yellow);
        let before = BudgetRule::BEFORE_SETTINGS;
        let days = before.time_progress(as_of);
        assert_eq!(days.to_string(), "58.08");
        assert_eq!(before.light(days, executed), Light::Red, "20.13 points behind");
    }

    #[test]
    fn the_difference_lights_as_before_at_exactly_10_and_20() {
        let rule = BudgetRule::BEFORE_SETTINGS;
        let time = Percent(5_000);
        assert_eq!(rule.light(time, Percent(4_000)), Light::Green, "10 points behind");
        assert_eq!(rule.light(time, Percent(3_999)), Light::Yellow);
        assert_eq!(rule.light(time, Percent(3_000)), Light::Yellow, "20 points behind");
        assert_eq!(rule.light(time, Percent(2_999)), Light::Red);
        assert_eq!(rule.light(time, Percent(9_000)), Light::Green, "ahead of time");
    }

    #[test]
    fn thresholds_are_checked() {
        assert!(BudgetRule::DEFAULT.check().is_ok());
        assert_eq!(BudgetRule::usual(BudgetComparison::Ratio), BudgetRule::DEFAULT);
        assert_eq!(BudgetRule::usual(BudgetComparison::Difference), BudgetRule::BEFORE_SETTINGS);
        let reversed = BudgetRule { lower: Percent(8_000), upper: Percent(6_000), ..BudgetRule::DEFAULT };
        assert_eq!(reversed.check().unwrap_err().field, "budgetRule");
        let huge = BudgetRule { upper: Percent(100_001), ..BudgetRule::DEFAULT };
        assert!(huge.check().is_err());
        let negative = BudgetRule { lower: Percent(-1), ..BudgetRule::DEFAULT };
        assert!(negative.check().is_err());
    }
}
