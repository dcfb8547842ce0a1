//! The reviewer's assistant: findings on a declaration, computed from the declaration alone.
//!
//! Every rule is a pure function over a [`Declaration`] with its own tests. ERROR findings are
//! exactly what blocks submission ([`Declaration::check_submission`] is built on them);
//! WARNING and INFO findings help the submitter and the approver and never block. Messages are
//! in Chinese, the users' language, and name the indicator or field and what to do; `basis`
//! names the guidance a rule comes from. `docs/review-rules.md` lists every rule.

mod copied;
mod dates_and_goals;
mod department_wide;
mod funds;
mod indicators;
mod lexicon;
mod library;
mod narrative;
mod similarity;
mod submission;
mod unsaved;

pub use copied::{COPIED_SET, Sibling, copied_indicators};
pub use department_wide::{COPIED_MIN, review_department_goals};
pub use library::LibraryFact;
pub use unsaved::check_unsaved;

use std::fmt;

use crate::declaration::{Category, Declaration};
use crate::message::Message;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Blocks submission.
    Error,
    /// Very likely a fault; does not block.
    Warning,
    /// Worth a look; does not block.
    Info,
}

impl Severity {
    pub const fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
            Severity::Info => "INFO",
        }
    }
}

/// Where a rule comes from.
pub mod basis {
    pub const FORM: &str = "申报表填报规则：项目资金、绩效指标各栏的勾稽关系";
    pub const GUIDE_2021: &str = "财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》";
    pub const SHANGHAI_2023: &str = "上海市 2023 年财政支出项目绩效目标申报表式";
    pub const DEPARTMENT_WIDE: &str = "中发〔2018〕34号、沪财绩〔2019〕19号：部门整体绩效目标";
}

macro_rules! finding_codes {
    ($($variant:ident => ($code:literal, $severity:ident, $basis:expr, $summary:literal)),+ $(,)?) => {
        /// The stable code of every rule.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FindingCode { $($variant),+ }

        impl FindingCode {
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant),+];

            pub const fn code(self) -> &'static str {
                match self { $(FindingCode::$variant => $code),+ }
            }

            pub const fn severity(self) -> Severity {
                match self { $(FindingCode::$variant => Severity::$severity),+ }
            }

            pub const fn basis(self) -> &'static str {
                match self { $(FindingCode::$variant => $basis),+ }
            }

            /// What the rule checks, in one line.
            pub const fn summary(self) -> &'static str {
                match self { $(FindingCode::$variant => $summary),+ }
            }

            pub fn from_code(code: &str) -> Option<FindingCode> {
                FindingCode::ALL.iter().copied().find(|c| c.code() == code)
            }
        }
    };
}

finding_codes! {
    CategoryMissing => ("CATEGORY_MISSING", Error, basis::FORM, "未选择项目类别"),
    AmountMissing => ("AMOUNT_MISSING", Error, basis::FORM, "项目资金金额未填写"),
    FundsTotalMismatch => ("FUNDS_TOTAL_MISMATCH", Error, basis::FORM, "项目资金总额 ≠ 财政资金 + 其他资金"),
    FundsAnnualMismatch => ("FUNDS_ANNUAL_MISMATCH", Error, basis::FORM, "年度资金申请总额 ≠ 当年财政拨款 + 上年结转资金 + 其他资金"),
    FundsAnnualOverTotal => ("FUNDS_ANNUAL_OVER_TOTAL", Error, basis::FORM, "年度资金申请总额大于项目资金总额"),
    FundItemsMismatch => ("FUND_ITEMS_MISMATCH", Error, basis::FORM, "资金明细之和 ≠ 年度资金申请总额"),
    AnnualRequestZero => ("ANNUAL_REQUEST_ZERO", Error, basis::FORM, "年度资金申请总额为零"),
    OneOffAnnualNotTotal => ("ONE_OFF_ANNUAL_NOT_TOTAL", Warning, basis::FORM, "一次性项目的年度申请与项目总额不同"),
    BudgetTextMismatch => ("BUDGET_TEXT_MISMATCH", Warning, basis::FORM, "年度预算安排文字中的金额与表内金额不符"),
    AmountTruncated => ("AMOUNT_TRUNCATED", Warning, basis::FORM, "文字中以万元写的金额是截断的，不是四舍五入"),
    StaleYear => ("STALE_YEAR", Warning, basis::FORM, "用将来时叙述申报年度之前的年份（疑似沿用往年文字）"),
    RowNameMissing => ("ROW_NAME_MISSING", Error, basis::FORM, "三级指标或资金明细未填名称"),
    TargetInvalid => ("TARGET_INVALID", Error, basis::FORM, "指标值无法识别（不是带单位的数值，也不是定性文字）"),
    Level2WrongParent => ("LEVEL2_WRONG_PARENT", Error, basis::GUIDE_2021, "二级指标不属于所填一级指标"),
    MixedFrameworks => ("MIXED_FRAMEWORKS", Error, basis::GUIDE_2021, "同一项目混用两套指标体系"),
    MissingLevel1 => ("MISSING_LEVEL1", Error, basis::GUIDE_2021, "缺少产出、效益或满意度指标"),
    FrameworkMismatch => ("FRAMEWORK_MISMATCH", Error, basis::GUIDE_2021, "指标不属于项目所申报的指标体系"),
    CostIndicatorMissing => ("COST_INDICATOR_MISSING", Warning, basis::GUIDE_2021, "没有成本指标"),
    MissingOutputKind => ("MISSING_OUTPUT_KIND", Warning, basis::GUIDE_2021, "产出指标缺少数量、质量或时效指标"),
    DuplicateIndicator => ("DUPLICATE_INDICATOR", Warning, basis::GUIDE_2021, "同一项目中三级指标名称重复"),
    NearDuplicateIndicator => ("NEAR_DUPLICATE_INDICATOR", Warning, basis::GUIDE_2021, "三级指标名称仅差一两个字或仅语序不同"),
    IndicatorMisfiled => ("INDICATOR_MISFILED", Warning, basis::GUIDE_2021, "三级指标的名称指向另一个二级指标"),
    QuantityNotCounted => ("QUANTITY_NOT_COUNTED", Warning, basis::GUIDE_2021, "数量指标全是百分比，而概述或实施方案写明了可计数的数量"),
    CopiedIndicators => ("COPIED_INDICATORS", Info, basis::GUIDE_2021, "与本部门另一项目的指标雷同（疑似照抄）"),
    RateNotQuantified => ("RATE_NOT_QUANTIFIED", Warning, basis::GUIDE_2021, "比率类指标（…率、满意度）未填数值"),
    RateWrongDirection => ("RATE_WRONG_DIRECTION", Warning, basis::GUIDE_2021, "正向比率用了 ≤/<，或反向比率用了 ≥/>"),
    ExactTargetReadAsFloor => ("EXACT_TARGET_READ_AS_FLOOR", Warning, basis::GUIDE_2021, "越低越好的指标用“=”且不为 0：自评时按越高越好计分，应为上限“≤”"),
    ExactRateBelow100 => ("EXACT_RATE_BELOW_100", Warning, basis::GUIDE_2021, "越高越好的比率用“=”且低于 100%：应为下限“≥”"),
    RateOver100 => ("RATE_OVER_100", Error, basis::GUIDE_2021, "比率类指标的百分比超过 100%"),
    TimelinessNotMeasurable => ("TIMELINESS_NOT_MEASURABLE", Warning, basis::GUIDE_2021, "时效指标没有数值或时限"),
    CostNotQuantified => ("COST_NOT_QUANTIFIED", Warning, basis::GUIDE_2021, "成本指标没有金额"),
    VagueTarget => ("VAGUE_TARGET", Info, basis::GUIDE_2021, "定性指标值笼统（提高、良好等），缺少可衡量的依据"),
    DatesMissing => ("DATES_MISSING", Error, basis::FORM, "缺少计划开始或完成日期"),
    DatesReversed => ("DATES_REVERSED", Error, basis::FORM, "计划完成日期早于开始日期"),
    PeriodExcludesYear => ("PERIOD_EXCLUDES_YEAR", Error, basis::FORM, "计划实施期不含申报年度"),
    OneOffSpansYears => ("ONE_OFF_SPANS_YEARS", Warning, basis::SHANGHAI_2023, "一次性项目跨年度实施"),
    GoalEmpty => ("GOAL_EMPTY", Error, basis::FORM, "项目总目标或年度总目标为空"),
    PhasedGoalsIdentical => ("PHASED_GOALS_IDENTICAL", Info, basis::SHANGHAI_2023, "阶段性项目的总目标与年度目标完全相同"),
    TargetBelowHistory => ("TARGET_BELOW_HISTORY", Warning, basis::GUIDE_2021, "下限目标低于本部门该指标上一次自评的实际完成值（历史标准）"),
    LibrarySpelling => ("LIBRARY_SPELLING", Warning, basis::GUIDE_2021, "三级指标名称是指标库中的其他写法或已停用的指标"),
    DepartmentFormIncomplete => ("DEPARTMENT_FORM_INCOMPLETE", Error, basis::DEPARTMENT_WIDE, "部门整体绩效目标缺少部门职能、年度总体目标、年度主要任务或任务名称"),
    TaskProjectUnknown => ("TASK_PROJECT_UNKNOWN", Error, basis::DEPARTMENT_WIDE, "任务关联的项目不是本部门本年度的项目"),
    TaskWithoutFunds => ("TASK_WITHOUT_FUNDS", Error, basis::DEPARTMENT_WIDE, "年度主要任务既无关联项目也无基本支出"),
    TaskNotMeasured => ("TASK_NOT_MEASURED", Warning, basis::DEPARTMENT_WIDE, "年度主要任务没有衡量它的绩效指标"),
    ProjectNotInTask => ("PROJECT_NOT_IN_TASK", Warning, basis::DEPARTMENT_WIDE, "本年度项目没有归入任何年度主要任务"),
    ProjectExpenditureMismatch => ("PROJECT_EXPENDITURE_MISMATCH", Error, basis::DEPARTMENT_WIDE, "项目支出 ≠ 各任务关联项目金额之和"),
    DepartmentIncomeMismatch => ("DEPARTMENT_INCOME_MISMATCH", Error, basis::DEPARTMENT_WIDE, "收入合计（财政拨款 + 其他）≠ 支出合计（基本支出 + 项目支出）"),
    IndicatorsCopiedFromProject => ("INDICATORS_COPIED_FROM_PROJECT", Warning, basis::DEPARTMENT_WIDE, "部门整体绩效指标照搬某一项目的指标"),
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One finding: the rule, the field it concerns, and a message a person can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: FindingCode,
    pub field: String,
    pub message: Message,
}

impl Finding {
    pub fn new(code: FindingCode, field: impl Into<String>, message: Message) -> Finding {
        Finding { code, field: field.into(), message }
    }

    /// The indicator row (0-based) the finding concerns, from its field (`indicators[3].target`).
    pub fn indicator_row(&self) -> Option<usize> {
        row_of(&self.field, "indicators[")
    }

    /// The fund item (0-based) the finding concerns, from its field (`fundItems[0].name`).
    pub fn fund_item_row(&self) -> Option<usize> {
        row_of(&self.field, "fundItems[")
    }

    /// Says, at the start of the message, which row of the form it concerns (1-based, as on
    /// paper), so that every finding on a row says so the same way.
    fn with_row(self) -> Finding {
        let row = if let Some(n) = self.indicator_row() {
            (format!("绩效指标第 {} 行：", n + 1), format!("Indicator row {}: ", n + 1))
        } else if let Some(n) = self.fund_item_row() {
            (format!("资金明细第 {} 项：", n + 1), format!("Fund item {}: ", n + 1))
        } else {
            return self;
        };
        Finding { message: self.message.into_prefixed(&row.0, &row.1), ..self }
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

/// What the rules read besides the declaration: every path that shows findings (a saved project,
/// an unsaved form, the stored findings, the Excel book) passes one, built by the store
/// (`jixiao_store::findings::review_context`), so a rule that needs more (last year's actual
/// values, a library entry) is one more field here, filled there, not a parameter threaded
/// through each path.
#[derive(Clone, Debug, Default)]
pub struct ReviewContext<'a> {
    /// The department's other live projects of the year that the reader may see.
    pub siblings: Vec<Sibling<'a>>,
    /// The indicator library's confirmed and retired entries of the department and the common
    /// ones, with the department's history of each.
    pub library: &'a [LibraryFact],
}

impl ReviewContext<'_> {
    /// The declaration on its own: what is stored beside a project (findings that depend on
    /// other projects or the library change when they do, so they are computed when shown,
    /// never stored).
    pub const ALONE: ReviewContext<'static> = ReviewContext { siblings: Vec::new(), library: &[] };
}

/// Every finding of `d` in `context`: its own, then those against the library, then those
/// against the other projects.
pub fn review_in(d: &Declaration, context: &ReviewContext<'_>) -> Vec<Finding> {
    let mut out = review(d);
    let mut against_library = Vec::new();
    library::review(d, context.library, &mut against_library);
    out.extend(against_library.into_iter().map(Finding::with_row));
    out.extend(copied_indicators(d, &context.siblings));
    out
}

/// The pairs (by position) of `names` the near-duplicate rule joins: the same indicator
/// written twice. Seeding the library groups spellings by it.
pub fn similar_names(names: &[&str]) -> Vec<(usize, usize)> {
    let spelled: Vec<similarity::Spelled> = names.iter().map(|n| similarity::Spelled::of(n)).collect();
    let mut out = Vec::new();
    for a in 0..spelled.len() {
        for b in a + 1..spelled.len() {
            if similarity::near_duplicates(&spelled[a], &spelled[b]) {
                out.push((a, b));
            }
        }
    }
    out
}

/// Every finding of a declaration, in the form's order: funds, narrative, indicators, dates and goals.
pub fn review(d: &Declaration) -> Vec<Finding> {
    let mut out = Vec::new();
    if d.text.category.is_none() {
        let categories: Vec<&str> = Category::ALL.iter().map(|c| c.label()).collect();
        out.push(Finding::new(
            FindingCode::CategoryMissing,
            "category",
            Message::new(
                format!("请选择项目类别（{}）。", categories.join("、")),
                "Choose the project category (recurring, one-off or phased).",
            ),
        ));
    }
    funds::review(d, &mut out);
    narrative::review(d, &mut out);
    indicators::review(d, &mut out);
    dates_and_goals::review(d, &mut out);
    out.into_iter().map(Finding::with_row).collect()
}

fn row_of(field: &str, list: &str) -> Option<usize> {
    field.strip_prefix(list)?.split(']').next()?.parse().ok()
}

/// How many findings of each severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindingCounts {
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
}

pub fn counts(findings: &[Finding]) -> FindingCounts {
    let mut c = FindingCounts::default();
    for f in findings {
        match f.severity() {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Info => c.infos += 1,
        }
    }
    c
}

#[cfg(test)]
pub(crate) mod testing {
    use chrono::NaiveDate;

    use crate::declaration::{Category, Declaration, FormText, Sections};
    use crate::funds::Funds;
    use crate::indicator::Indicator;
    use crate::money::Money;
    use crate::target_value::TargetValue;
    use crate::{Level1, Level2};

    /// A complete, clean declaration that rules can be tried on by changing one thing.
    pub fn clean() -> Declaration {
        let ind = |l1, l2, name: &str, target: &str| Indicator {
            level1: l1,
            level2: l2,
            name: name.into(),
            target: TargetValue::parse(target).unwrap(),
            note: None,
            library_entry_id: None,
        };
        let yuan = |s: &str| Money::parse_yuan(s).unwrap();
        Declaration {
            fiscal_year: 2023,
            text: FormText {
                name: "调解服务".into(),
                category: Some(Category::Recurring),
                planned_start: NaiveDate::from_ymd_opt(2023, 1, 1),
                planned_end: NaiveDate::from_ymd_opt(2023, 12, 31),
                sections: Sections { budget_arrangement: "年度预算为 15 万元。".into(), ..Default::default() },
                overall_goal: "化解矛盾".into(),
                annual_goal: "年度化解矛盾".into(),
                indicator_framework: None,
            },
            funds: Funds {
                total: Some(yuan("150000")),
                fiscal: Some(yuan("150000")),
                other: Some(yuan("0")),
                annual_request: Some(yuan("150000")),
                current_year_appropriation: Some(yuan("150000")),
                carryover: Some(yuan("0")),
                annual_other: Some(yuan("0")),
            },
            fund_items: vec![],
            indicators: vec![
                ind(Level1::Output, Level2::Quantity, "调解案件数", ">=120件"),
                ind(Level1::Output, Level2::Quality, "调解成功率", ">=90%"),
                ind(Level1::Output, Level2::Timeliness, "受理时限", "<=7天"),
                ind(Level1::Output, Level2::Cost, "人均调解成本", "<=1250元"),
                ind(Level1::Benefit, Level2::SocialBenefit, "矛盾纠纷化解率", ">=85%"),
                ind(Level1::Satisfaction, Level2::ServiceSatisfaction, "当事人满意度", ">=90%"),
            ],
        }
    }

    /// `d` requesting `amount` from the budget alone: total, fiscal, the annual request and this
    /// year's appropriation all `amount` (other funds and carry-over as they are).
    pub fn requesting(d: &mut Declaration, amount: Money) {
        let f = &mut d.funds;
        for m in [&mut f.total, &mut f.fiscal, &mut f.annual_request, &mut f.current_year_appropriation] {
            *m = Some(amount);
        }
    }

    pub fn set_target(d: &mut Declaration, i: usize, target: &str) {
        d.indicators[i].target = TargetValue::parse(target).unwrap();
    }

    pub fn codes(d: &Declaration) -> Vec<&'static str> {
        super::review(d).into_iter().map(|f| f.code.code()).collect()
    }

    #[test]
    fn the_clean_declaration_has_no_finding() {
        assert_eq!(codes(&clean()), Vec::<&str>::new());
    }

    #[test]
    fn every_code_is_unique_and_round_trips() {
        for c in super::FindingCode::ALL {
            assert_eq!(super::FindingCode::from_code(c.code()), Some(*c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::clean;
    use super::*;

    #[test]
    fn severities_keep_their_codes_and_labels() {
        let all = [Severity::Error, Severity::Warning, Severity::Info];
        let shown: Vec<(&str, &str)> = all.iter().map(|s| (s.code(), s.label())).collect();
        assert_eq!(shown, [("ERROR", "错误"), ("WARNING", "警告"), ("INFO", "提示")]);
    }

    /// A finding on a row says which (from 1, as on paper), whichever list the row is in.
    #[test]
    fn a_finding_names_its_row_in_either_list() {
        let note = || Message::new("请核对。", "Check it.");
        let item = Finding::new(FindingCode::FundItemsMismatch, "fundItems[2].amount", note());
        assert_eq!((item.fund_item_row(), item.indicator_row()), (Some(2), None));
        assert_eq!(item.with_row().message.zh(), "资金明细第 3 项：请核对。");
        let row = Finding::new(FindingCode::RateOver100, "indicators[0].target", note());
        assert_eq!((row.indicator_row(), row.fund_item_row()), (Some(0), None));
        assert_eq!(row.with_row().message.en(), "Indicator row 1: Check it.");
        let whole = Finding::new(FindingCode::CategoryMissing, "category", note());
        assert_eq!(whole.clone().with_row(), whole, "a finding on no row is left as it is");
    }

    #[test]
    fn counts_count_each_severity() {
        let of = |code| Finding::new(code, "x", Message::new("请核对。", "Check it."));
        let found = [
            of(FindingCode::CategoryMissing),
            of(FindingCode::StaleYear),
            of(FindingCode::BudgetTextMismatch),
            of(FindingCode::CopiedIndicators),
            of(FindingCode::CopiedIndicators),
            of(FindingCode::CopiedIndicators),
        ];
        assert_eq!(counts(&found), FindingCounts { errors: 1, warnings: 2, infos: 3 });
        assert_eq!(counts(&[]), FindingCounts::default());
    }

    /// In context, the declaration's own findings come first, then those against the others.
    #[test]
    fn findings_in_context_are_its_own_and_against_the_others() {
        let mut d = clean();
        d.text.category = None;
        let names: Vec<&str> = d.indicators.iter().map(|i| i.name.as_str()).collect();
        let sibling = Sibling { name: "另一个项目", indicator_names: names };
        let codes = |context: &ReviewContext<'_>| -> Vec<&str> {
            review_in(&d, context).iter().map(|f| f.code.code()).collect()
        };
        assert_eq!(codes(&ReviewContext::ALONE), ["CATEGORY_MISSING"]);
        assert_eq!(
            codes(&ReviewContext { siblings: vec![sibling], library: &[] }),
            ["CATEGORY_MISSING", "COPIED_INDICATORS"]
        );
        let retired = LibraryFact {
            entry_id: 1,
            level2: crate::Level2::ServiceSatisfaction,
            name: "当事人满意度".into(),
            aliases: vec![],
            status: crate::library::LibraryEntryStatus::Retired,
            history_value: None,
        };
        let library = [retired];
        let with_library = ReviewContext { siblings: vec![], library: &library };
        assert_eq!(codes(&with_library), ["CATEGORY_MISSING", "LIBRARY_SPELLING"]);
        assert!(review_in(&d, &with_library)[1].message.zh().starts_with("绩效指标第 6 行："), "says its row");
    }
}
