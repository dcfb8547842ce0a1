//! 结果应用 and 整改: last year's result on this year's request ("花钱必问效，无效必问责").
//!
//! The rules as bureaus compute them: which result counts for a request (a bureau re-evaluation
//! outranks an accepted self-evaluation; the nearest predecessor with one), what each grade does
//! to the money (the year's rules: SUPPORT, or REDUCE by a percentage, and whether to hold the
//! money until the problems are rectified), the rectification items an accepted self-evaluation
//! opens, and what a decision other than the suggestion needs. Pure functions; the store and the
//! gateway wire them (issue 39).

use crate::evaluation::{Grade, Points};
use crate::monitoring::Percent;
use crate::{Message, Money, Problem, ProblemCode};

/// What a grade does to next year's request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "BudgetAction"))]
pub enum BudgetAction {
    /// 支持: the request as asked.
    Support,
    /// 压减: the request less the rule's percentage.
    Reduce,
}

/// One grade's rule of a fiscal year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResultRule {
    pub grade: Grade,
    pub action: BudgetAction,
    /// The cut, in hundredths of a percent (1000 is 10.00%); 0 for SUPPORT.
    pub cut: Percent,
    /// Hold the money (suggest nothing) until every rectification item is closed.
    pub hold: bool,
}

/// The rules a year starts with. 财预〔2020〕10号 names the direction (support the good, cut or
/// hold the poor), not the numbers: these are a starting point for the bureau to set.
pub const DEFAULT_RULES: [ResultRule; 4] = [
    ResultRule { grade: Grade::Excellent, action: BudgetAction::Support, cut: Percent(0), hold: false },
    ResultRule { grade: Grade::Good, action: BudgetAction::Support, cut: Percent(0), hold: false },
    ResultRule { grade: Grade::Fair, action: BudgetAction::Reduce, cut: Percent(1_000), hold: false },
    ResultRule { grade: Grade::Poor, action: BudgetAction::Reduce, cut: Percent(3_000), hold: true },
];

impl BudgetAction {
    pub const fn code(self) -> &'static str {
        match self {
            BudgetAction::Support => "SUPPORT",
            BudgetAction::Reduce => "REDUCE",
        }
    }
    pub fn from_code(code: &str) -> Option<BudgetAction> {
        [BudgetAction::Support, BudgetAction::Reduce].into_iter().find(|a| a.code() == code)
    }
    pub const fn label(self) -> &'static str {
        match self {
            BudgetAction::Support => "支持",
            BudgetAction::Reduce => "压减",
        }
    }
}

impl ResultSource {
    pub const fn label(self) -> &'static str {
        match self {
            ResultSource::FinanceEvaluation => "财政评价",
            ResultSource::SelfEvaluation => "绩效自评",
        }
    }
}

impl SuggestedAction {
    pub const fn label(self) -> &'static str {
        match self {
            SuggestedAction::Support => "支持",
            SuggestedAction::Reduce => "压减",
            SuggestedAction::Hold => "暂缓",
            SuggestedAction::NoResult => "无评价结果",
        }
    }
}

/// Where a rectification item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "RectificationStatus"))]
pub enum RectificationStatus {
    /// 待整改: waiting for the department's measure.
    Open,
    /// 已答复: the department answered; waiting for the bureau.
    Answered,
    /// 已办结: closed by the bureau.
    Closed,
}

impl RectificationStatus {
    pub const ALL: [RectificationStatus; 3] =
        [RectificationStatus::Open, RectificationStatus::Answered, RectificationStatus::Closed];
    pub const fn code(self) -> &'static str {
        match self {
            RectificationStatus::Open => "OPEN",
            RectificationStatus::Answered => "ANSWERED",
            RectificationStatus::Closed => "CLOSED",
        }
    }
    pub fn from_code(code: &str) -> Option<RectificationStatus> {
        RectificationStatus::ALL.into_iter().find(|s| s.code() == code)
    }
    pub const fn label(self) -> &'static str {
        match self {
            RectificationStatus::Open => "待整改",
            RectificationStatus::Answered => "已答复",
            RectificationStatus::Closed => "已办结",
        }
    }
}

/// The longest measure or reason kept on an item.
pub const MAX_ITEM_TEXT: usize = 2_000;

/// Checks a text an item keeps (a measure, a reason): present, bounded, no control characters
/// other than line breaks.
pub fn check_item_text(field: &str, text: &str) -> Result<String, Problem> {
    let trimmed = text.trim();
    let problem = |zh: String, en: String| Problem::new(field, ProblemCode::InvalidInput, Message::new(zh, en));
    if trimmed.is_empty() {
        return Err(problem("请填写内容".into(), format!("{field} is required")));
    }
    if trimmed.chars().count() > MAX_ITEM_TEXT {
        return Err(problem(
            format!("最长 {MAX_ITEM_TEXT} 个字"),
            format!("{field} has at most {MAX_ITEM_TEXT} characters"),
        ));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(problem("含有控制字符，请删除".into(), format!("{field} contains control characters")));
    }
    Ok(trimmed.to_string())
}

/// Checks a rule as an admin sets it: a cut between 0.00% and 100.00%, none for SUPPORT.
pub fn check_rule(rule: &ResultRule) -> Result<(), Problem> {
    let field = format!("rules[{}].cut", rule.grade.code());
    if !(0..=10_000).contains(&rule.cut.0) {
        return Err(Problem::new(
            field,
            ProblemCode::InvalidInput,
            Message::new("压减比例应在 0.00% 到 100.00% 之间", "a cut is between 0.00% and 100.00%"),
        ));
    }
    if rule.action == BudgetAction::Support && rule.cut.0 != 0 {
        return Err(Problem::new(
            field,
            ProblemCode::InvalidInput,
            Message::new("“支持”的等级不压减：请把压减比例设为 0", "a SUPPORT grade cuts nothing: set its cut to 0"),
        ));
    }
    Ok(())
}

/// Where a result comes from, the stronger first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "ResultSource"))]
pub enum ResultSource {
    /// 财政评价 / 复核: the bureau's own evaluation.
    FinanceEvaluation,
    /// 绩效自评, once accepted.
    SelfEvaluation,
}

/// A predecessor's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriorResult {
    pub fiscal_year: i32,
    pub project_id: i64,
    pub source: ResultSource,
    pub score: Points,
    pub grade: Grade,
}

/// The result that counts: of the predecessors nearest first (the `previousProject` chain, or the
/// same name in an earlier year), the first that has one, and of its results the strongest source.
pub fn result_that_counts(predecessors: &[Vec<PriorResult>]) -> Option<PriorResult> {
    predecessors.iter().find_map(|results| results.iter().min_by_key(|r| r.source).copied())
}

/// What the bureau is shown for a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "SuggestedAction"))]
pub enum SuggestedAction {
    Support,
    Reduce,
    /// 暂缓: nothing until the result's rectification items are all closed.
    Hold,
    /// No result for its predecessor: the request as asked, with a warning.
    NoResult,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub action: SuggestedAction,
    pub cut_percent: Percent,
    pub requested: Money,
    pub suggested: Money,
    /// requested − suggested.
    pub cut: Money,
    pub reasons: Vec<Message>,
}

/// `request` less `cut` (hundredths of a percent), rounded half up to the fen.
pub fn reduced(request: Money, cut: Percent) -> Money {
    let kept = i128::from(10_000 - cut.0.clamp(0, 10_000));
    let fen = (i128::from(request.fen()) * kept + 5_000) / 10_000;
    Money::from_fen(i64::try_from(fen).unwrap_or(i64::MAX))
}

/// The suggestion for `request` under the year's `rules`, given the result that counts and
/// whether that result's rectification items are all closed.
pub fn suggest(request: Money, prior: Option<&PriorResult>, rules: &[ResultRule], all_closed: bool) -> Suggestion {
    let whole = |action, reasons| Suggestion {
        action,
        cut_percent: Percent(0),
        requested: request,
        suggested: request,
        cut: Money::ZERO,
        reasons,
    };
    let Some(prior) = prior else {
        return whole(
            SuggestedAction::NoResult,
            vec![Message::new(
                "上一年度项目没有绩效评价结果：按申请数列示，请审核人员自行判断",
                "no result for its predecessor: the request is shown as asked, for the approver to judge",
            )],
        );
    };
    let rule = rules.iter().find(|r| r.grade == prior.grade).copied().unwrap_or(ResultRule {
        grade: prior.grade,
        action: BudgetAction::Support,
        cut: Percent(0),
        hold: false,
    });
    let grounds = Message::new(
        format!("{} 年度评价结果：{}（{} 分）", prior.fiscal_year, prior.grade.label(), prior.score),
        format!("the {} result: {} ({} points)", prior.fiscal_year, prior.grade.code(), prior.score),
    );
    if rule.hold && !all_closed {
        return Suggestion {
            action: SuggestedAction::Hold,
            cut_percent: rule.cut,
            requested: request,
            suggested: Money::ZERO,
            cut: request,
            reasons: vec![
                grounds,
                Message::new("整改事项尚未全部办结：暂缓安排资金", "its rectification items are not all closed: held"),
            ],
        };
    }
    match rule.action {
        BudgetAction::Support => whole(SuggestedAction::Support, vec![grounds]),
        BudgetAction::Reduce => {
            let suggested = reduced(request, rule.cut);
            Suggestion {
                action: SuggestedAction::Reduce,
                cut_percent: rule.cut,
                requested: request,
                suggested,
                cut: Money::from_fen(request.fen() - suggested.fen()),
                reasons: vec![grounds],
            }
        }
    }
}

/// A rectification item an accepted self-evaluation opens: for the project (`indicator: None`)
/// or for one indicator row (its position), with the problem as generated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemDraft {
    pub indicator: Option<usize>,
    pub problem: String,
}

/// The items an accepted self-evaluation opens: one for the project graded 中 or 差, and one per
/// indicator row scored strictly below 60% of its weight. `rows`: each row's name, weight, score.
pub fn rectification_items(grade: Grade, total: Points, rows: &[(&str, Points, Points)]) -> Vec<ItemDraft> {
    let mut items = Vec::new();
    if matches!(grade, Grade::Fair | Grade::Poor) {
        items.push(ItemDraft {
            indicator: None,
            problem: format!("项目自评等级为{}（{} 分）：请分析原因，制定整改措施", grade.label(), total),
        });
    }
    for (n, (name, weight, score)) in rows.iter().enumerate() {
        // Strictly below 60%: exact in hundredths, a row at exactly 60% opens none.
        if i128::from(score.0) * 100 < i128::from(weight.0) * 60 {
            items.push(ItemDraft {
                indicator: Some(n),
                problem: format!("指标“{name}”得分 {score}，低于其权重 {weight} 的 60%：请说明原因并整改"),
            });
        }
    }
    items
}

/// A decision on a request: never above it; other than the suggestion, only with a reason.
pub fn check_decision(request: Money, suggested: Money, amount: Money, reason: &str) -> Result<(), Problem> {
    if amount > request {
        return Err(Problem::new(
            "amount",
            ProblemCode::InvalidInput,
            Message::new(
                format!("安排金额 {amount} 元超过了申请数 {request} 元"),
                format!("the amount {amount} is more than the request {request}"),
            ),
        ));
    }
    if amount != suggested && reason.trim().is_empty() {
        return Err(Problem::new(
            "reason",
            ProblemCode::InvalidInput,
            Message::new(
                format!("安排金额与建议数 {suggested} 元不同：请写明理由"),
                format!("the amount differs from the suggested {suggested}: give the reason"),
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(text: &str) -> Money {
        Money::parse_yuan(text).unwrap()
    }

    fn prior(grade: Grade, score: i64) -> PriorResult {
        PriorResult {
            fiscal_year: 2023,
            project_id: 1,
            source: ResultSource::SelfEvaluation,
            score: Points(score),
            grade,
        }
    }

    /// The example: the seed evaluated for 2023 and copied to 2024 with its amounts.
    #[test]
    fn the_seeds_next_year_is_suggested_as_computed_by_hand() {
        let weiwen = suggest(yuan("2371500.00"), Some(&prior(Grade::Excellent, 9_557)), &DEFAULT_RULES, true);
        assert_eq!((weiwen.action.clone(), weiwen.suggested), (SuggestedAction::Support, yuan("2371500.00")));
        let keti = suggest(yuan("100000.00"), Some(&prior(Grade::Fair, 7_600)), &DEFAULT_RULES, true);
        assert_eq!(
            (keti.action.clone(), keti.suggested, keti.cut),
            (SuggestedAction::Reduce, yuan("90000.00"), yuan("10000.00"))
        );
        let poor = prior(Grade::Poor, 5_001);
        let held = suggest(yuan("78504.00"), Some(&poor), &DEFAULT_RULES, false);
        assert_eq!((held.action.clone(), held.suggested), (SuggestedAction::Hold, Money::ZERO));
        let released = suggest(yuan("78504.00"), Some(&poor), &DEFAULT_RULES, true);
        assert_eq!(
            (released.action.clone(), released.suggested, released.cut),
            (SuggestedAction::Reduce, yuan("54952.80"), yuan("23551.20"))
        );
        let none = suggest(yuan("150000.00"), None, &DEFAULT_RULES, true);
        assert_eq!((none.action.clone(), none.suggested), (SuggestedAction::NoResult, yuan("150000.00")));
        assert!(none.reasons[0].zh().contains("没有绩效评价结果"));
        let total = |s: &[&Suggestion]| s.iter().map(|s| s.suggested).sum::<Money>();
        assert_eq!(total(&[&weiwen, &keti, &held, &none]), yuan("2611500.00"));
        assert_eq!(total(&[&weiwen, &keti, &released, &none]), yuan("2666452.80"));
        let cut: Money = [&weiwen, &keti, &released, &none].iter().map(|s| s.cut).sum();
        assert_eq!((cut, cut.wan_yuan()), (yuan("33551.20"), "3.36".to_string()));
    }

    #[test]
    fn a_reduction_is_rounded_half_up_to_the_fen() {
        assert_eq!(reduced(yuan("100.01"), Percent(1_000)), yuan("90.01"), "90.009 rounds up");
        assert_eq!(reduced(Money::from_fen(5), Percent(1_000)), Money::from_fen(5), "4.5 fen rounds up to 5");
        assert_eq!(reduced(Money::from_fen(4), Percent(1_000)), Money::from_fen(4), "3.6 fen rounds up to 4");
        assert_eq!(reduced(Money::from_fen(1), Percent(5_000)), Money::from_fen(1), "0.5 fen rounds up");
        assert_eq!(reduced(Money::from_fen(1), Percent(5_001)), Money::ZERO, "0.4999 fen rounds down");
        assert_eq!(reduced(yuan("100.00"), Percent(10_000)), Money::ZERO);
        assert_eq!(reduced(yuan("100.00"), Percent(0)), yuan("100.00"));
        assert_eq!(reduced(Money::MAX, Percent(1)), Money::from_fen(Money::MAX.fen() - Money::MAX.fen() / 10_000));
    }

    #[test]
    fn hold_waits_for_the_last_item_and_applies_only_to_held_grades() {
        let fair = prior(Grade::Fair, 6_000);
        assert_eq!(
            suggest(yuan("10.00"), Some(&fair), &DEFAULT_RULES, false).action,
            SuggestedAction::Reduce,
            "中 is not held"
        );
        let strict = [ResultRule { grade: Grade::Fair, action: BudgetAction::Support, cut: Percent(0), hold: true }];
        assert_eq!(suggest(yuan("10.00"), Some(&fair), &strict, false).action, SuggestedAction::Hold);
        assert_eq!(suggest(yuan("10.00"), Some(&fair), &strict, true).suggested, yuan("10.00"));
        assert_eq!(suggest(yuan("10.00"), Some(&fair), &[], true).action, SuggestedAction::Support, "no rule: support");
    }

    #[test]
    fn the_bureaus_evaluation_outranks_the_self_evaluation_and_the_nearest_year_counts() {
        let own = prior(Grade::Excellent, 9_100);
        let bureau = PriorResult { source: ResultSource::FinanceEvaluation, grade: Grade::Fair, ..own };
        let older = PriorResult { fiscal_year: 2022, ..prior(Grade::Poor, 1_000) };
        assert_eq!(result_that_counts(&[vec![own, bureau], vec![older]]), Some(bureau));
        assert_eq!(result_that_counts(&[vec![], vec![older]]), Some(older), "2024 not evaluated yet: 2023's");
        assert_eq!(result_that_counts(&[vec![], vec![]]), None);
    }

    #[test]
    fn items_open_for_a_weak_grade_and_rows_strictly_below_sixty_percent() {
        let rows = [
            ("及时率", Points(625), Points(375)),
            ("满意度", Points(1_000), Points(599)),
            ("完成率", Points(625), Points(374)),
        ];
        let items = rectification_items(Grade::Good, Points(8_500), &rows);
        assert_eq!(
            items.iter().map(|i| i.indicator).collect::<Vec<_>>(),
            [Some(1), Some(2)],
            "3.75 of 6.25 is exactly 60%: none"
        );
        assert!(items[0].problem.contains("满意度") && items[0].problem.contains("5.99"), "{}", items[0].problem);
        let fair = rectification_items(Grade::Fair, Points(7_600), &[]);
        assert_eq!(fair.len(), 1);
        assert_eq!(fair[0].indicator, None);
        assert!(fair[0].problem.contains("76.00"), "{}", fair[0].problem);
        assert_eq!(rectification_items(Grade::Poor, Points(5_001), &rows).len(), 3);
        assert!(rectification_items(Grade::Excellent, Points(9_500), &[("x", Points(0), Points(0))]).is_empty());
    }

    #[test]
    fn a_decision_is_at_most_the_request_and_explained_when_it_departs() {
        let (request, suggested) = (yuan("100000.00"), yuan("90000.00"));
        assert!(check_decision(request, suggested, suggested, "").is_ok());
        assert_eq!(check_decision(request, suggested, yuan("95000.00"), " ").unwrap_err().field, "reason");
        assert!(check_decision(request, suggested, yuan("95000.00"), "已整改到位").is_ok());
        assert_eq!(check_decision(request, suggested, yuan("100000.01"), "多给").unwrap_err().field, "amount");
        assert!(check_decision(request, suggested, request, "按申请").is_ok());
    }

    #[test]
    fn codes_read_back_and_every_value_has_its_own_chinese_label() {
        for action in [BudgetAction::Support, BudgetAction::Reduce] {
            assert_eq!(BudgetAction::from_code(action.code()), Some(action));
        }
        assert_eq!((BudgetAction::Support.code(), BudgetAction::Reduce.code()), ("SUPPORT", "REDUCE"));
        assert_eq!(BudgetAction::from_code("support"), None);
        for status in RectificationStatus::ALL {
            assert_eq!(RectificationStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(RectificationStatus::from_code("DONE"), None);
        let labels = [
            BudgetAction::Support.label(),
            BudgetAction::Reduce.label(),
            ResultSource::FinanceEvaluation.label(),
            ResultSource::SelfEvaluation.label(),
            SuggestedAction::Support.label(),
            SuggestedAction::Hold.label(),
            SuggestedAction::NoResult.label(),
            RectificationStatus::Open.label(),
            RectificationStatus::Answered.label(),
            RectificationStatus::Closed.label(),
        ];
        assert_eq!(
            labels,
            ["支持", "压减", "财政评价", "绩效自评", "支持", "暂缓", "无评价结果", "待整改", "已答复", "已办结"]
        );
        assert_eq!(SuggestedAction::Reduce.label(), "压减");
    }

    #[test]
    fn item_texts_are_present_bounded_and_printable() {
        assert_eq!(check_item_text("measure", "  加强考核\n按月通报 ").as_deref(), Ok("加强考核\n按月通报"));
        assert!(check_item_text("measure", " \n ").is_err());
        assert!(check_item_text("measure", &"字".repeat(MAX_ITEM_TEXT)).is_ok());
        assert!(check_item_text("measure", &"字".repeat(MAX_ITEM_TEXT + 1)).is_err());
        assert_eq!(check_item_text("reason", "a\u{7}b").unwrap_err().field, "reason");
        assert!(check_item_text("measure", "甲\t乙\r\n丙").is_ok(), "tabs and line breaks are text");
        assert!(check_item_text("measure", "甲\u{0}").is_err());
    }

    #[test]
    fn rules_cut_between_nothing_and_everything_and_support_cuts_nothing() {
        for rule in DEFAULT_RULES {
            assert!(check_rule(&rule).is_ok(), "{rule:?}");
        }
        let rule = |action, cut| ResultRule { grade: Grade::Fair, action, cut: Percent(cut), hold: false };
        assert!(check_rule(&rule(BudgetAction::Reduce, 10_000)).is_ok());
        assert!(check_rule(&rule(BudgetAction::Reduce, 10_001)).is_err());
        assert!(check_rule(&rule(BudgetAction::Reduce, -1)).is_err());
        assert_eq!(check_rule(&rule(BudgetAction::Support, 1)).unwrap_err().field, "rules[FAIR].cut");
    }
}
