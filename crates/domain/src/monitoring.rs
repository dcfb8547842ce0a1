//! 绩效运行监控 (财预〔2019〕136号, "双监控"): in the summer each unit reports, for every approved
//! project, how much of its budget is spent and how likely each target in force is to be met;
//! traffic lights show the bureau which projects will miss.
//!
//! Every figure is exact: rates are hundredths of a percent (an integer), rounded half up once,
//! from amounts in fen and whole days; the lights compare those rounded figures, the ones people
//! see.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::catalog::coded_enum;
use crate::message::Message;
use crate::money::Money;
use crate::problem::{Problem, ProblemCode};

mod budget_rule;
mod indicator_light;
pub use budget_rule::{BudgetComparison, BudgetRule, TimeBasis, months_progress, whole_months};
pub use indicator_light::{indicator_light, progress_light};

coded_enum!(
    /// 完成可能性: how likely a target in force is to be met by the end of the year.
    Likelihood as "Likelihood" {
        /// 确定能完成
        Certain => ("CERTAIN", "确定能完成"),
        /// 有可能完成
        Possible => ("POSSIBLE", "有可能完成"),
        /// 完全不可能完成
        Impossible => ("IMPOSSIBLE", "完全不可能完成"),
    }
);

// Why a target may be missed.
coded_enum!(
    /// 偏差原因
    DeviationReason as "DeviationReason" {
        /// 经费保障
        Funding => ("FUNDING", "经费保障"),
        /// 制度保障
        Policy => ("POLICY", "制度保障"),
        /// 人员保障
        Staffing => ("STAFFING", "人员保障"),
        /// 硬件条件保障
        Facilities => ("FACILITIES", "硬件条件保障"),
        /// 其他
        Other => ("OTHER", "其他"),
    }
);

// A traffic light, ordered from best to worst: BLUE (ahead of plan) wants a look before YELLOW
// and RED do, but after GREEN.
coded_enum!(
    /// 红黄绿灯 (and 蓝灯: ahead of plan)
    Light as "Light" {
        Green => ("GREEN", "绿灯"),
        /// 蓝灯: progress at 120% or more of what was expected by now (a target possibly set too low).
        Blue => ("BLUE", "蓝灯"),
        Yellow => ("YELLOW", "黄灯"),
        Red => ("RED", "红灯"),
    }
);

// A monitoring report's status.
coded_enum!(
    ReportStatus as "MonitoringReportStatus" {
        /// 填报中: the unit's to fill.
        Draft => ("DRAFT", "填报中"),
        /// 已提交: waiting for the approvers.
        Submitted => ("SUBMITTED", "已提交"),
        /// 已接收
        Accepted => ("ACCEPTED", "已接收"),
        /// 已退回: to be corrected and submitted again.
        Returned => ("RETURNED", "已退回"),
    }
);

// A step of a monitoring report, as its history records it.
coded_enum!(
    ReportAction as "MonitoringAction" {
        Submit => ("SUBMIT", "提交"),
        Accept => ("ACCEPT", "接收"),
        Return => ("RETURN", "退回"),
    }
);

impl ReportStatus {
    /// Whether the unit may still change the report.
    pub const fn is_editable(self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }

    /// Overdue: still the unit's to fill (never submitted, or returned) after its round's due date,
    /// counted in days in China ([`crate::dates::china_today`]). On the due date itself it is not.
    pub fn is_overdue(self, due_date: NaiveDate, today: NaiveDate) -> bool {
        self.is_editable() && today > due_date
    }

    /// The status `action` leads to, or `None` when it is not allowed from this one.
    pub const fn after(self, action: ReportAction) -> Option<ReportStatus> {
        match (self, action) {
            (ReportStatus::Draft | ReportStatus::Returned, ReportAction::Submit) => Some(ReportStatus::Submitted),
            (ReportStatus::Submitted, ReportAction::Accept) => Some(ReportStatus::Accepted),
            (ReportStatus::Submitted, ReportAction::Return) => Some(ReportStatus::Returned),
            _ => None,
        }
    }
}

impl Likelihood {
    pub const fn light(self) -> Light {
        match self {
            Likelihood::Certain => Light::Green,
            Likelihood::Possible => Light::Yellow,
            Likelihood::Impossible => Light::Red,
        }
    }
}

/// A percentage in hundredths (`4000` is 40.00%): exact, and shown with two places.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(pub i64);

impl Percent {
    /// `part / whole` as a percentage rounded half up to two places; `None` when `whole` is 0.
    pub fn of(part: i128, whole: i128) -> Option<Percent> {
        if whole <= 0 || part < 0 {
            return None;
        }
        // hundredths of a percent = part × 10 000 / whole, rounded half up.
        let scaled = part * 10_000 * 2 + whole;
        Some(Percent((scaled / (whole * 2)) as i64))
    }
}

impl Percent {
    /// Parses `60`, `60.5`, `60.25` (at most two places, not negative, at most 10 000).
    pub fn parse(text: &str) -> Option<Percent> {
        let t = text.trim();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || frac.len() > 2 || !digits(whole) || !digits(frac) || t.ends_with('.') {
            return None;
        }
        // Digits only, so a parse fails only past i64; the sum is checked too.
        let whole: i64 = whole.parse().ok()?;
        let frac: i64 = format!("{frac:0<2}").parse().ok()?;
        let p = whole.checked_mul(100)?.checked_add(frac)?;
        (p <= 1_000_000).then_some(Percent(p))
    }
}

impl fmt::Display for Percent {
    /// `40.00`, `100.00`, `8.33`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// 预算执行率: executed / annual request in force. `None` while the annual request is 0.
pub fn execution_rate(executed: Money, annual_request: Money) -> Option<Percent> {
    Percent::of(i128::from(executed.fen()), i128::from(annual_request.fen()))
}

/// 时间进度: days from 1 January to `as_of`, both included, over the days of its year.
pub fn time_progress(as_of: NaiveDate) -> Percent {
    let days_in_year = if NaiveDate::from_ymd_opt(as_of.year(), 2, 29).is_some() { 366 } else { 365 };
    Percent::of(i128::from(as_of.ordinal()), days_in_year).unwrap_or_default()
}

/// The report's light: the worst of the budget's and the indicators'.
pub fn report_light(budget: Light, indicators: impl IntoIterator<Item = Light>) -> Light {
    indicators.into_iter().fold(budget, Ord::max)
}

/// One indicator's monitoring, as the unit fills it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorProgress {
    pub actual_to_date: Option<String>,
    pub forecast: Option<String>,
    pub likelihood: Option<Likelihood>,
    #[serde(default)]
    pub deviation_reasons: Vec<DeviationReason>,
    pub explanation: Option<String>,
    pub measures: Option<String>,
}

/// The longest text a report's (or a self-evaluation's) box may hold.
pub const MAX_REPORT_TEXT: usize = 2_000;

/// The most monitoring rounds one fiscal year may have: twice a month is more than any bureau
/// monitors, and the bound lets a query's cost count a year's rounds (and a project's reports) by
/// their real number.
pub const MAX_ROUNDS_PER_YEAR: u64 = 24;

/// Why another round is refused.
pub fn too_many_rounds(fiscal_year: i32) -> Problem {
    Problem::new(
        "fiscalYear",
        ProblemCode::InvalidInput,
        Message::new(
            format!("{fiscal_year} 年已有 {MAX_ROUNDS_PER_YEAR} 个监控轮次，已达上限"),
            format!("{fiscal_year} already has {MAX_ROUNDS_PER_YEAR} monitoring rounds, the most a year may have"),
        ),
    )
}

/// A box of text the unit writes: at most [`MAX_REPORT_TEXT`] characters, without NUL.
pub fn check_text(field: &str, text: Option<&str>) -> Result<(), Problem> {
    let Some(t) = text else { return Ok(()) };
    let refuse = |zh: String, en: String| Err(Problem::new(field, ProblemCode::InvalidInput, Message::new(zh, en)));
    if t.contains('\0') {
        return refuse("含有空字符（\\u0000），请删除".into(), "contains a NUL character: remove it".into());
    }
    let n = t.chars().count();
    if n > MAX_REPORT_TEXT {
        return refuse(
            format!("共 {n} 字，超过 {MAX_REPORT_TEXT} 字的上限"),
            format!("is {n} characters long, over the limit of {MAX_REPORT_TEXT}"),
        );
    }
    Ok(())
}

/// The comment of a step on a report or a self-evaluation (`what`: what it is, in Chinese and
/// English): a reason is required to return one; any comment is bounded as a project's is.
pub fn check_step_comment(action: ReportAction, comment: &str, what: (&str, &str)) -> Result<(), Problem> {
    if action == ReportAction::Return && comment.trim().is_empty() {
        return Err(Problem::new(
            "reason",
            ProblemCode::InvalidInput,
            Message::new(format!("退回{}须写明理由", what.0), format!("a reason is required to return a {}", what.1)),
        ));
    }
    crate::workflow::check_comment(crate::workflow::ReviewAction::Approve, comment)
}

impl IndicatorProgress {
    /// Each reason once, in the list's order: what is kept stays as small as the list of reasons.
    pub fn normalized(mut self) -> IndicatorProgress {
        self.deviation_reasons.sort();
        self.deviation_reasons.dedup();
        self
    }
}

/// What a report must say before it is submitted, every missing thing at once: the budget
/// executed, and for each indicator (`names` in the form's order) its likelihood; a reason and an
/// explanation for every one that is not CERTAIN; measures (纠偏措施) for every IMPOSSIBLE one.
pub fn check_report(budget_executed: Option<Money>, indicators: &[(&str, &IndicatorProgress)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    if budget_executed.is_none() {
        problems.push(Problem::new(
            "budgetExecuted",
            ProblemCode::Incomplete,
            Message::new("请填写截至监控时点的预算执行数", "fill in the budget executed to date"),
        ));
    }
    let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
    for (n, (name, p)) in indicators.iter().enumerate() {
        let at = |f: &str| format!("indicators[{n}].{f}");
        let row = n + 1;
        let mut missing = |field: &str, zh: &str, en: &str| {
            problems.push(Problem::new(
                at(field),
                ProblemCode::Incomplete,
                Message::new(format!("第 {row} 行指标“{name}”：{zh}"), format!("indicator row {row} “{name}”: {en}")),
            ));
        };
        match p.likelihood {
            None => missing("likelihood", "请选择完成可能性", "choose how likely it is to be met"),
            Some(Likelihood::Certain) => {}
            Some(likelihood) => {
                if p.deviation_reasons.is_empty() {
                    missing(
                        "deviationReasons",
                        "未确定能完成，请选择偏差原因",
                        "not certain to be met: choose the reasons",
                    )
                }
                if blank(&p.explanation) {
                    missing("explanation", "未确定能完成，请说明原因", "not certain to be met: explain why")
                }
                if likelihood == Likelihood::Impossible && blank(&p.measures) {
                    missing(
                        "measures",
                        "完全不可能完成，请填写纠偏措施",
                        "impossible to meet: state the corrective measures",
                    )
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn rates_are_exact_to_the_hundredth_rounded_half_up() {
        let yuan = |y: i64| Money::from_fen(y * 100);
        assert_eq!(execution_rate(yuan(40_000), yuan(100_000)).unwrap().to_string(), "40.00");
        assert_eq!(execution_rate(yuan(0), yuan(100_000)).unwrap().to_string(), "0.00", "nothing executed");
        assert_eq!(execution_rate(yuan(1), yuan(3)).unwrap().to_string(), "33.33");
        assert_eq!(execution_rate(yuan(2), yuan(3)).unwrap().to_string(), "66.67");
        assert_eq!(execution_rate(Money::from_fen(1), Money::from_fen(80_000)).unwrap().to_string(), "0.00");
        assert_eq!(
            execution_rate(Money::from_fen(5), Money::from_fen(100_000)).unwrap().to_string(),
            "0.01",
            "half up"
        );
        assert_eq!(execution_rate(yuan(1), yuan(0)), None, "no annual request: no rate");
    }

    #[test]
    fn time_progress_counts_both_ends_and_leap_years() {
        assert_eq!(time_progress(day(2023, 7, 31)).to_string(), "58.08", "212 / 365");
        assert_eq!(time_progress(day(2024, 7, 31)).to_string(), "58.20", "213 / 366 in a leap year");
        assert_eq!(time_progress(day(2023, 1, 1)).to_string(), "0.27");
        assert_eq!(time_progress(day(2023, 12, 31)).to_string(), "100.00");
        assert_eq!(time_progress(day(2024, 12, 31)).to_string(), "100.00");
        assert_eq!(time_progress(day(2100, 3, 1)).to_string(), "16.44", "2100 is not a leap year: 60 / 365");
    }

    #[test]
    fn a_report_is_overdue_the_day_after_its_due_date_until_submitted() {
        use ReportStatus::*;
        let due = day(2023, 8, 15);
        assert!(!Draft.is_overdue(due, due), "on the due date itself");
        assert!(Draft.is_overdue(due, day(2023, 8, 16)));
        assert!(Returned.is_overdue(due, day(2024, 1, 1)));
        assert!(!Submitted.is_overdue(due, day(2023, 8, 16)) && !Accepted.is_overdue(due, day(2023, 9, 1)));
    }

    #[test]
    fn percents_parse_with_two_places_at_most() {
        let table = [
            ("60", Some(6_000)),
            ("60.5", Some(6_050)),
            ("0.01", Some(1)),
            ("080.25", Some(8_025)),
            ("10000", Some(1_000_000)),
            ("0000060", Some(6_000)),
        ];
        for (text, want) in table {
            assert_eq!(Percent::parse(text).map(|p| p.0), want, "{text}");
        }
        for bad in [
            "",
            ".5",
            "60.",
            "60.125",
            "-1",
            "1e2",
            "六十",
            "10000.01",
            "999999",
            "92233720368547758",
            "99999999999999999999",
        ] {
            assert_eq!(Percent::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_budget_light_at_its_boundaries() {
        let p = |v: i64| Percent(v);
        assert_eq!(BudgetRule::BEFORE_SETTINGS.light(p(5000), p(4000)), Light::Green, "exactly 10 points behind");
        assert_eq!(BudgetRule::BEFORE_SETTINGS.light(p(5001), p(4000)), Light::Yellow);
        assert_eq!(BudgetRule::BEFORE_SETTINGS.light(p(6000), p(4000)), Light::Yellow, "exactly 20 points behind");
        assert_eq!(BudgetRule::BEFORE_SETTINGS.light(p(6001), p(4000)), Light::Red);
        assert_eq!(BudgetRule::BEFORE_SETTINGS.light(p(5781), p(0)), Light::Red, "nothing spent by the end of July");
        assert_eq!(BudgetRule::BEFORE_SETTINGS.light(p(3000), p(9000)), Light::Green, "ahead of time");
    }

    #[test]
    fn the_report_light_is_the_worst() {
        assert_eq!(report_light(Light::Green, []), Light::Green);
        assert_eq!(report_light(Light::Green, [Likelihood::Possible.light(), Light::Green]), Light::Yellow);
        assert_eq!(report_light(Light::Yellow, [Likelihood::Impossible.light()]), Light::Red);
        assert_eq!(report_light(Light::Red, [Light::Green]), Light::Red);
    }

    #[test]
    fn a_report_says_why_and_what_is_done_before_it_is_submitted() {
        let certain = IndicatorProgress { likelihood: Some(Likelihood::Certain), ..Default::default() };
        let possible = IndicatorProgress { likelihood: Some(Likelihood::Possible), ..Default::default() };
        let impossible = IndicatorProgress { likelihood: Some(Likelihood::Impossible), ..Default::default() };
        let unknown = IndicatorProgress::default();
        let rows = [("a", &certain), ("b", &possible), ("c", &impossible), ("d", &unknown)];
        let fields: Vec<String> = check_report(None, &rows).into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "budgetExecuted",
                "indicators[1].deviationReasons",
                "indicators[1].explanation",
                "indicators[2].deviationReasons",
                "indicators[2].explanation",
                "indicators[2].measures",
                "indicators[3].likelihood",
            ]
        );
        let done = IndicatorProgress {
            likelihood: Some(Likelihood::Impossible),
            deviation_reasons: vec![DeviationReason::Funding],
            explanation: Some("资金未到位".into()),
            measures: Some("申请调整预算".into()),
            ..Default::default()
        };
        assert!(check_report(Some(Money::ZERO), &[("c", &done), ("a", &certain)]).is_empty());
        // Each message names its row as the form numbers them (from 1) and the indicator.
        let first = &check_report(Some(Money::ZERO), &[("调解完成率", &unknown)])[0];
        assert!(first.message.zh().starts_with("第 1 行指标“调解完成率”"), "{:?}", first.message);
        assert!(first.message.en().starts_with("indicator row 1 "), "{:?}", first.message);
    }

    #[test]
    fn reports_go_round_until_accepted() {
        use ReportAction::*;
        use ReportStatus::*;
        assert_eq!(Draft.after(Submit), Some(Submitted));
        assert_eq!(Submitted.after(Return), Some(Returned));
        assert_eq!(Returned.after(Submit), Some(Submitted));
        assert_eq!(Submitted.after(Accept), Some(Accepted));
        assert_eq!(Accepted.after(Return), None);
        assert_eq!(Draft.after(Accept), None);
        assert!(Draft.is_editable() && Returned.is_editable() && !Submitted.is_editable() && !Accepted.is_editable());
        assert_eq!(super::check_step_comment(Return, " ", ("监控表", "report")).unwrap_err().field, "reason");
        assert!(super::check_step_comment(Accept, "", ("监控表", "report")).is_ok());
        assert_eq!(super::check_step_comment(Accept, "好\0", ("监控表", "report")).unwrap_err().field, "comment");
        assert!(super::check_text("x", Some(&"长".repeat(MAX_REPORT_TEXT + 1))).is_err());
        assert!(super::check_text("x", Some(&"长".repeat(MAX_REPORT_TEXT))).is_ok());
        let many = IndicatorProgress { deviation_reasons: vec![DeviationReason::Other; 10_000], ..Default::default() }
            .normalized();
        assert_eq!(many.deviation_reasons, [DeviationReason::Other]);
        for l in Likelihood::ALL {
            assert_eq!(Likelihood::from_code(l.code()), Some(*l));
        }
    }
}
