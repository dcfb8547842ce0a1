//! Dates and goals: a planned period that covers the fiscal year, one-off projects within one
//! year, both goals written, and a phased project's annual goal saying what this year does.

use chrono::Datelike;

use super::{Finding, FindingCode};
use crate::declaration::{Category, Declaration};
use crate::message::Message;

pub(super) fn review(d: &Declaration, out: &mut Vec<Finding>) {
    match (d.text.planned_start, d.text.planned_end) {
        (Some(start), Some(end)) if start > end => out.push(Finding::new(
            FindingCode::DatesReversed,
            "plannedEnd",
            Message::new(
                format!("计划完成日期 {end} 早于计划开始日期 {start}，请核对。"),
                format!("The planned end {end} is before the planned start {start}: check the dates."),
            ),
        )),
        (Some(start), Some(end)) => {
            if start.year() > d.fiscal_year || end.year() < d.fiscal_year {
                out.push(Finding::new(
                    FindingCode::PeriodExcludesYear,
                    "plannedStart",
                    Message::new(
                        format!("计划实施期 {start} 至 {end} 不含申报年度 {} 年：请核对日期或申报年度。", d.fiscal_year),
                        format!(
                            "The planned period {start} to {end} does not include the fiscal year {}: check the dates or the year.",
                            d.fiscal_year
                        ),
                    ),
                ));
            } else if d.text.category == Some(Category::OneOff) && start.year() != end.year() {
                out.push(Finding::new(
                    FindingCode::OneOffSpansYears,
                    "plannedEnd",
                    Message::new(
                        format!("一次性项目计划实施期 {start} 至 {end} 跨年度：跨年实施的项目应申报为阶段性项目。"),
                        format!(
                            "A one-off project planned from {start} to {end} spans years: a project carried out over several years is declared as phased."
                        ),
                    ),
                ));
            }
        }
        (start, end) => {
            if start.is_none() {
                out.push(Finding::new(
                    FindingCode::DatesMissing,
                    "plannedStart",
                    Message::new("请填写计划开始日期。", "Fill in the planned start date."),
                ));
            }
            if end.is_none() {
                out.push(Finding::new(
                    FindingCode::DatesMissing,
                    "plannedEnd",
                    Message::new("请填写计划完成日期。", "Fill in the planned end date."),
                ));
            }
        }
    }
    if d.text.overall_goal.trim().is_empty() {
        out.push(Finding::new(
            FindingCode::GoalEmpty,
            "overallGoal",
            Message::new("请填写项目总目标。", "Fill in the overall goal (项目总目标)."),
        ));
    }
    if d.text.annual_goal.trim().is_empty() {
        out.push(Finding::new(
            FindingCode::GoalEmpty,
            "annualGoal",
            Message::new("请填写年度总目标。", "Fill in the annual goal (年度总目标)."),
        ));
    }
    if d.text.category == Some(Category::Phased)
        && !d.text.annual_goal.trim().is_empty()
        && d.text.overall_goal.trim() == d.text.annual_goal.trim()
    {
        out.push(Finding::new(
            FindingCode::PhasedGoalsIdentical,
            "annualGoal",
            Message::new(
                "阶段性项目的年度总目标与项目总目标一字不差：年度目标宜写明本年度要完成的部分。",
                "The annual goal of this phased project is word for word its overall goal: the annual goal should say what this year achieves.",
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::super::testing::{clean, codes};
    use crate::declaration::Category;

    #[test]
    fn dates() {
        let mut d = clean();
        d.text.planned_end = None;
        assert_eq!(codes(&d), ["DATES_MISSING"]);
        let mut d = clean();
        d.text.planned_start = NaiveDate::from_ymd_opt(2024, 1, 1);
        assert_eq!(codes(&d), ["DATES_REVERSED"]);
        // A project of one day (start and end the same) is not reversed.
        let mut d = clean();
        d.text.planned_start = NaiveDate::from_ymd_opt(2023, 6, 1);
        d.text.planned_end = d.text.planned_start;
        assert!(codes(&d).is_empty(), "{:?}", codes(&d));
        let mut d = clean();
        d.text.planned_start = NaiveDate::from_ymd_opt(2024, 1, 1);
        d.text.planned_end = NaiveDate::from_ymd_opt(2024, 6, 30);
        assert_eq!(codes(&d), ["PERIOD_EXCLUDES_YEAR"]);
        let mut d = clean();
        d.text.category = Some(Category::Phased);
        d.text.planned_end = NaiveDate::from_ymd_opt(2025, 12, 31);
        assert!(codes(&d).is_empty(), "a phased project spans years");
        d.text.category = Some(Category::OneOff);
        assert_eq!(codes(&d), ["ONE_OFF_SPANS_YEARS"]);
    }

    #[test]
    fn goals() {
        let mut d = clean();
        d.text.annual_goal = " ".into();
        assert_eq!(codes(&d), ["GOAL_EMPTY"]);
        let mut d = clean();
        d.text.category = Some(Category::Phased);
        d.funds.total = d.funds.total.map(|m| crate::Money::from_fen(m.fen() * 3));
        d.funds.fiscal = d.funds.total;
        d.text.annual_goal = d.text.overall_goal.clone();
        assert_eq!(codes(&d), ["PHASED_GOALS_IDENTICAL"]);
        d.text.category = Some(Category::Recurring);
        d.funds.total = d.funds.annual_request;
        d.funds.fiscal = d.funds.total;
        assert!(codes(&d).is_empty(), "a recurring project's goals may be the same");
    }
}
