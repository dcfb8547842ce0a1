//! Indicator rules: the catalog and its frameworks, what a project must cover, names written
//! twice, and whether each target can be measured.

use std::collections::BTreeSet;

use super::lexicon::{COUNT_WORDS, level2_cue};
use super::similarity::{Spelled, near_duplicates};
use super::{Finding, FindingCode};
use crate::catalog::{Framework, Level1, Level2, framework_of, parents_of};
use crate::declaration::Declaration;
use crate::indicator::Indicator;
use crate::message::Message;
use crate::target_value::{Comparator, Decimal, TargetKind};

/// Rates where more is better: a ceiling (≤, <) makes no sense for them.
const HIGHER_IS_BETTER: &[&str] = &[
    "满意度",
    "合格率",
    "完成率",
    "及时率",
    "知晓率",
    "使用率",
    "覆盖率",
    "达标率",
    "化解率",
    "办理率",
    "便民率",
    "印刷率",
    "宣传率",
    "成功率",
    "到位率",
    "准确率",
    "执行率",
    "利用率",
    "验收率",
];
/// Rates where less is better: a floor (≥, >) makes no sense for them.
const LOWER_IS_BETTER: &[&str] =
    &["投诉率", "差错率", "重复率", "事故率", "失误率", "返工率", "流失率", "错误率", "发生率", "空置率"];
/// Measures other than rates where less is better.
const LESS_IS_BETTER: &[&str] =
    &["时限", "时长", "周期", "天数", "成本", "费用", "事故次数", "事故数", "投诉次数", "投诉件数"];
/// Qualitative values that say a direction but not how far.
const VAGUE: &[&str] = &[
    "提高", "提升", "增加", "增强", "下降", "降低", "减少", "良好", "较好", "好", "高", "较高", "有效", "显著", "明显",
    "改善", "及时", "优良", "稳定",
];

/// A rate: a name ending in 率 or naming a 满意度. 效率 (efficiency) and 频率 (frequency) end in
/// 率 but are not percentages.
pub(super) fn is_rate(name: &str) -> bool {
    (name.ends_with('率') && !name.ends_with("效率") && !name.ends_with("频率")) || name.contains("满意度")
}

fn higher_is_better(name: &str) -> bool {
    HIGHER_IS_BETTER.iter().any(|w| name.ends_with(w))
}

fn lower_is_better(name: &str) -> bool {
    LOWER_IS_BETTER.iter().any(|w| name.ends_with(w))
}

fn is_cost(i: &Indicator) -> bool {
    i.level1 == Level1::Cost || i.level2 == Level2::Cost
}

/// A target in money: a unit with 元, or 万 / 亿 alone, as forms whose header says “单位：万元”
/// write it (“250万”).
fn has_amount(i: &Indicator) -> bool {
    i.target.unit().is_some_and(|u| u.contains('元') || matches!(u.trim(), "万" | "亿"))
}

/// A set of indicators as the general rules read it: a project's, or a department's overall
/// goals' (部门整体绩效目标). The rules that read nothing else (levels, frameworks, targets,
/// duplicates, coverage) are written once over this.
#[derive(Clone, Debug)]
pub struct IndicatorSet<'a> {
    pub indicators: &'a [Indicator],
    /// The framework the form declares, if it names one.
    pub declared: Option<Framework>,
    /// The form's texts that state how many things it does (a project's overview and plan, a
    /// department's tasks): what 数量指标 written as percentages are checked against.
    pub counted_in: Vec<&'a str>,
    /// Who needs the levels, for the coverage messages: ("每个项目", "every project").
    pub whose: (&'static str, &'static str),
}

impl<'a> IndicatorSet<'a> {
    /// A project's declaration's indicators.
    pub fn of_declaration(d: &'a Declaration) -> IndicatorSet<'a> {
        IndicatorSet {
            indicators: &d.indicators,
            declared: d.text.indicator_framework,
            counted_in: vec![&d.text.sections.overview, &d.text.sections.plan],
            whose: ("每个项目", "every project"),
        }
    }

    /// The framework declared, or the one its level 1s imply.
    pub fn framework(&self) -> Framework {
        self.declared.unwrap_or_else(|| Framework::inferred(self.indicators.iter().map(|i| i.level1)))
    }
}

pub(super) fn review(d: &Declaration, out: &mut Vec<Finding>) {
    review_set(&IndicatorSet::of_declaration(d), out)
}

/// Every general rule on a set of indicators, in the form's order (fields `indicators[n]…`).
pub(super) fn review_set(d: &IndicatorSet<'_>, out: &mut Vec<Finding>) {
    let spelled: Vec<Spelled> = d.indicators.iter().map(|i| Spelled::of(&i.name)).collect();
    for (n, i) in d.indicators.iter().enumerate() {
        // A row's field paths are written only for the findings made on it.
        let at = |f: &str| format!("indicators[{n}].{f}");
        if !i.level1.allows(i.level2) {
            let parents: Vec<_> = parents_of(i.level2).iter().map(|p| p.label()).collect();
            let parents_en: Vec<_> = parents_of(i.level2).iter().map(|p| p.code()).collect();
            out.push(Finding::new(
                FindingCode::Level2WrongParent,
                at("level2"),
                Message::new(
                    format!(
                        "“{}”的二级指标{}不属于一级指标{}，应归入{}。",
                        i.name,
                        i.level2.label(),
                        i.level1.label(),
                        parents.join("或")
                    ),
                    format!(
                        "“{}”: level 2 {} ({}) is not under level 1 {} ({}); it belongs under {}.",
                        i.name,
                        i.level2.label(),
                        i.level2.code(),
                        i.level1.label(),
                        i.level1.code(),
                        parents_en.join(" or ")
                    ),
                ),
            ));
        }
        if let (Some(declared), Some(theirs)) = (d.declared, framework_of(i.level1, i.level2)) {
            if declared != theirs {
                out.push(Finding::new(
                    FindingCode::FrameworkMismatch,
                    at("level1"),
                    Message::new(
                        format!(
                            "“{}”的{}—{}属于{}，而本项目按{}申报：请改用本体系的一级、二级指标。",
                            i.name,
                            i.level1.label(),
                            i.level2.label(),
                            theirs.label(),
                            declared.label()
                        ),
                        format!(
                            "“{}” is filed under {} / {}, which belongs to {}, while the project is declared under {}: use that framework's levels.",
                            i.name,
                            i.level1.code(),
                            i.level2.code(),
                            theirs.code(),
                            declared.code()
                        ),
                    ),
                ));
            }
        }
        if i.level1.allows(i.level2) {
            misfiled(i, d.framework(), &|| at("level2"), out);
        }
        if i.name.trim().is_empty() {
            out.push(Finding::new(
                FindingCode::RowNameMissing,
                at("name"),
                Message::new("没有填写三级指标名称。", "The 三级指标 name is missing."),
            ));
        }
        target_quality(i, &|| at("target"), out);
        if i.name.trim().is_empty() {
            // A blank name is not a duplicate of another blank one: it is simply missing.
        } else if let Some(earlier) = d.indicators[..n].iter().position(|e| e.name == i.name) {
            out.push(Finding::new(
                FindingCode::DuplicateIndicator,
                at("name"),
                Message::new(
                    format!("三级指标“{}”与第 {} 行重名：同一指标只填一次，或把两者区分开。", i.name, earlier + 1),
                    format!(
                        "The indicator “{}” has the same name as row {}: fill one indicator once, or tell the two apart.",
                        i.name,
                        earlier + 1
                    ),
                ),
            ));
        } else if let Some(earlier) = spelled[..n].iter().position(|e| near_duplicates(e, &spelled[n])) {
            let other = &d.indicators[earlier];
            let (targets, targets_en) = if other.target.text() == i.target.text() {
                (String::new(), String::new())
            } else {
                (
                    format!(
                        "，且两者指标值不同（“{}”与“{}”），同一对象只能有一个目标",
                        other.target.text(),
                        i.target.text()
                    ),
                    format!(
                        ", and their targets differ (“{}” and “{}”): one subject has one target",
                        other.target.text(),
                        i.target.text()
                    ),
                )
            };
            out.push(Finding::new(
                FindingCode::NearDuplicateIndicator,
                at("name"),
                Message::new(
                    format!(
                        "三级指标“{}”与第 {} 行“{}”只差一个词或语序{targets}：若是同一指标请合并，否则请写清两者的区别。",
                        i.name,
                        earlier + 1,
                        other.name
                    ),
                    format!(
                        "The indicator “{}” differs from row {} “{}” only by a word or the word order{targets_en}: merge them if they are one, or say how they differ.",
                        i.name,
                        earlier + 1,
                        other.name
                    ),
                ),
            ));
        }
    }
    coverage(d, out);
}

/// A name whose words point to another level 2 than the one it is filed under.
fn misfiled(i: &Indicator, framework: Framework, field: &dyn Fn() -> String, out: &mut Vec<Finding>) {
    let Some((cue, word)) = level2_cue(&i.name) else { return };
    let Some(fits) = cue.suggestion(framework) else { return };
    if !cue.misfiled_under(i.level2) {
        return;
    }
    let Some(parent) = framework.parent_of(fits) else { return };
    out.push(Finding::new(
        FindingCode::IndicatorMisfiled,
        field(),
        Message::new(
            format!(
                "“{}”含“{word}”，是{}类指标，却填在{}—{}下：应归入{}—{}。",
                i.name,
                cue.what.0,
                i.level1.label(),
                i.level2.label(),
                parent.label(),
                fits.label()
            ),
            format!(
                "“{}” says “{word}”: it measures {}, yet it is filed under {} / {}; it belongs under {} / {} ({} / {}).",
                i.name,
                cue.what.1,
                i.level1.code(),
                i.level2.code(),
                parent.code(),
                fits.code(),
                parent.label(),
                fits.label()
            ),
        ),
    ));
}

/// At most one finding on how measurable a target is: the most specific rule that applies.
fn target_quality(i: &Indicator, field: &dyn Fn() -> String, out: &mut Vec<Finding>) {
    let t = &i.target;
    if let Some(error) = t.error() {
        // Nothing else can be said of a target that does not read.
        let why = error.message();
        out.push(Finding::new(
            FindingCode::TargetInvalid,
            field(),
            why.prefixed(&format!("“{}”：", i.name), &format!("“{}”: ", i.name)),
        ));
        return;
    }
    let qualitative = t.kind() == TargetKind::Qualitative;
    let measurable_words = t.text().chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    let example = if lower_is_better(&i.name) { "≤5%" } else { "≥90%" };
    if is_rate(&i.name) && qualitative {
        out.push(Finding::new(
            FindingCode::RateNotQuantified,
            field(),
            Message::new(
                format!("“{}”是比率，指标值却是“{}”：请填写数值，如“{example}”。", i.name, t.text()),
                format!("“{}” is a rate, but its target is “{}”: give a number, e.g. “{example}”.", i.name, t.text()),
            ),
        ));
    } else if i.level2 == Level2::Timeliness && qualitative && !measurable_words {
        out.push(Finding::new(
            FindingCode::TimelinessNotMeasurable,
            field(),
            Message::new(
                format!(
                    "时效指标“{}”的指标值“{}”没有数值或时限：请写明完成时限或及时率，如“≤30天”“=100%”。",
                    i.name,
                    t.text()
                ),
                format!(
                    "The timeliness indicator “{}” has no number or deadline in “{}”: state a deadline or an on-time rate, e.g. “≤30天”, “=100%”.",
                    i.name,
                    t.text()
                ),
            ),
        ));
    } else if is_cost(i) && !has_amount(i) {
        out.push(Finding::new(
            FindingCode::CostNotQuantified,
            field(),
            Message::new(
                format!("成本指标“{}”的指标值“{}”没有金额：请按成本测算写出金额上限，如“≤15万元”。", i.name, t.text()),
                format!(
                    "The cost indicator “{}” has no amount in “{}”: state the ceiling the costing gives, e.g. “≤15万元”.",
                    i.name,
                    t.text()
                ),
            ),
        ));
    } else if qualitative && !measurable_words && VAGUE.contains(&t.text().trim()) {
        let example = if ["下降", "降低", "减少"].contains(&t.text().trim()) {
            "较上年下降5%"
        } else {
            "较上年提高5%"
        };
        out.push(Finding::new(
            FindingCode::VagueTarget,
            field(),
            Message::new(
                format!(
                    "“{}”的指标值“{}”只说明方向：能计量时请写出目标值或比较基准（如“{example}”）；确实无法计量的，可保留定性分级。",
                    i.name,
                    t.text(),
                ),
                format!(
                    "The target “{}” of “{}” gives only a direction: where it can be measured, state a value or a baseline (e.g. “{example}”); where it cannot, a graded qualitative target may stay.",
                    t.text(),
                    i.name,
                ),
            ),
        ));
    }
    if !qualitative && is_rate(&i.name) {
        let cmp = t.comparator();
        let ceiling = matches!(cmp, Some(Comparator::Le | Comparator::Lt));
        let floor = matches!(cmp, Some(Comparator::Ge | Comparator::Gt));
        if (ceiling && higher_is_better(&i.name)) || (floor && lower_is_better(&i.name)) {
            out.push(Finding::new(
                FindingCode::RateWrongDirection,
                field(),
                Message::new(
                    format!("“{}”的指标值“{}”方向反了：越高越好的比率用“≥”，越低越好的比率用“≤”。", i.name, t.text()),
                    format!(
                        "The target “{}” of “{}” points the wrong way: use “≥” for a rate where higher is better, “≤” where lower is better.",
                        t.text(),
                        i.name
                    ),
                ),
            ));
        }
        let hundred = Decimal::from_integer(100);
        if cmp == Some(Comparator::Eq)
            && higher_is_better(&i.name)
            && t.unit() == Some("%")
            && t.value().is_some_and(|v| v < hundred)
        {
            let floor = t.text().replacen('=', "≥", 1).replacen('＝', "≥", 1);
            out.push(Finding::new(
                FindingCode::ExactRateBelow100,
                field(),
                Message::new(
                    format!(
                        "“{}”越高越好，指标值“{}”却要求恰好等于它：超过了反而不达标。请写成下限，如“{floor}”。",
                        i.name,
                        t.text()
                    ),
                    format!(
                        "Higher is better for “{}”, yet its target “{}” asks for exactly that value, so doing better would miss it: state a floor, e.g. “{floor}”.",
                        i.name,
                        t.text()
                    ),
                ),
            ));
        }
        let over = |v: Option<Decimal>| v.is_some_and(|v| v > hundred);
        if t.unit() == Some("%") && (over(t.value()) || over(t.upper())) {
            out.push(Finding::new(
                FindingCode::RateOver100,
                field(),
                Message::new(
                    format!("比率“{}”的指标值“{}”超过 100%：请核对。", i.name, t.text()),
                    format!("The rate “{}” has a target “{}” over 100%: check it.", i.name, t.text()),
                ),
            ));
        }
    }
    if t.comparator() == Some(Comparator::Eq) && t.value().is_some_and(|v| !v.is_zero()) && less_is_better(&i.name) {
        let ceiling = t.text().replacen('=', "≤", 1).replacen('＝', "≤", 1);
        out.push(Finding::new(
            FindingCode::ExactTargetReadAsFloor,
            field(),
            Message::new(
                format!(
                    "“{}”越低越好，指标值“{}”却用了“=”：自评时“=”按越高越好计分（只有“=0”按越低越好）。请写成上限，如“{ceiling}”。",
                    i.name,
                    t.text()
                ),
                format!(
                    "Lower is better for “{}”, yet its target “{}” uses “=”, which self-evaluation scores as higher is better (only “=0” as lower): state a ceiling, e.g. “{ceiling}”.",
                    i.name,
                    t.text()
                ),
            ),
        ));
    }
}

/// A measure where less is better, rate or not: the rates of [`LOWER_IS_BETTER`], durations, costs
/// and counts of accidents.
fn less_is_better(name: &str) -> bool {
    lower_is_better(name) || LESS_IS_BETTER.iter().any(|w| name.ends_with(w))
}

/// What the project's indicators cover as a whole.
fn coverage(d: &IndicatorSet<'_>, out: &mut Vec<Finding>) {
    let level1: BTreeSet<Level1> = d.indicators.iter().map(|i| i.level1).collect();
    let framework = d.framework();
    let required: &[Level1] = match framework {
        Framework::Shanghai2023 => &[Level1::Output, Level1::Benefit, Level1::Satisfaction],
        Framework::Central2021 => &[Level1::Output, Level1::Cost, Level1::Benefit, Level1::Satisfaction],
    };
    for &required in required {
        if !level1.contains(&required) {
            let (zh, en) = match framework {
                Framework::Shanghai2023 => {
                    ("产出、效益和满意度指标", "one output, one benefit and one satisfaction indicator")
                }
                Framework::Central2021 => (
                    "产出、成本、效益和满意度指标（财预〔2021〕101号）",
                    "one output, one cost, one benefit and one satisfaction indicator (under the 2021 guideline)",
                ),
            };
            out.push(Finding::new(
                FindingCode::MissingLevel1,
                "indicators",
                Message::new(
                    format!("没有{}：{}至少要有一条{zh}。", required.label(), d.whose.0),
                    format!("No {} ({}): {} needs at least {en}.", required.label(), required.code(), d.whose.1),
                ),
            ));
        }
    }
    if framework == Framework::Shanghai2023 && !d.indicators.iter().any(is_cost) {
        out.push(Finding::new(
            FindingCode::CostIndicatorMissing,
            "indicators",
            Message::new(
                "没有成本指标：请在产出指标下设成本指标，写明按成本测算的金额上限（如“≤15万元”）。按财预〔2021〕101号申报的项目缺少成本指标是错误。",
                "No cost indicator: add one under output (产出指标—成本指标) with the ceiling the costing gives (e.g. “≤15万元”). Under the 2021 guideline a missing cost indicator is an error.",
            ),
        ));
    }
    quantities_count(d, out);
    if level1.contains(&Level1::Output) {
        let output: BTreeSet<Level2> =
            d.indicators.iter().filter(|i| i.level1 == Level1::Output).map(|i| i.level2).collect();
        for kind in [Level2::Quantity, Level2::Quality, Level2::Timeliness] {
            if !output.contains(&kind) {
                out.push(Finding::new(
                    FindingCode::MissingOutputKind,
                    "indicators",
                    Message::new(
                        format!("产出指标中没有{}：一般应从数量、质量、时效三方面设置产出指标。", kind.label()),
                        format!(
                            "The output indicators have no {} ({}): outputs are usually set for quantity, quality and timeliness.",
                            kind.label(),
                            kind.code()
                        ),
                    ),
                ));
            }
        }
    }
    let frameworks: BTreeSet<&str> =
        d.indicators.iter().filter_map(|i| framework_of(i.level1, i.level2)).map(Framework::label).collect();
    if frameworks.len() > 1 && d.declared.is_none() {
        out.push(Finding::new(
            FindingCode::MixedFrameworks,
            "indicators",
            Message::new(
                format!(
                    "指标混用了两套体系（{}）：成本指标请统一放在产出指标下，或统一作为一级指标。",
                    frameworks.iter().copied().collect::<Vec<_>>().join("与")
                ),
                format!(
                    "The indicators mix two frameworks ({}): put cost indicators either all under output, or all as a level 1 of their own.",
                    frameworks.into_iter().collect::<Vec<_>>().join(" and ")
                ),
            ),
        ));
    }
}

/// 数量指标 that count nothing: every one a percentage, while the overview or the plan states
/// how many things the project does. The counts are quoted so the unit can turn them into targets.
fn quantities_count(d: &IndicatorSet<'_>, out: &mut Vec<Finding>) {
    let quantities: Vec<&Indicator> =
        d.indicators.iter().filter(|i| i.level1 == Level1::Output && i.level2 == Level2::Quantity).collect();
    if quantities.is_empty() || !quantities.iter().all(|i| i.target.unit() == Some("%")) {
        return;
    }
    let counts: Vec<String> = d.counted_in.iter().flat_map(|text| counts_in(text)).collect();
    if counts.is_empty() {
        return;
    }
    let quoted = counts.iter().map(|c| format!("“{c}”")).collect::<Vec<_>>().join("、");
    // The first count as an example target: “18个街镇园区” → “≥18个”.
    let example: String = {
        let c: Vec<char> = counts[0].chars().collect();
        let n = c.iter().position(|ch| COUNT_WORDS.contains(ch)).unwrap_or(0);
        c[..=n].iter().collect()
    };
    out.push(Finding::new(
        FindingCode::QuantityNotCounted,
        "indicators",
        Message::new(
            format!(
                "数量指标全是百分比（如“{}”{}），而项目概述或实施方案写明了{quoted}：请把这些数量写成数量指标（如“≥{example}”）。",
                quantities[0].name,
                quantities[0].target.text()
            ),
            format!(
                "Every quantity indicator is a percentage (e.g. “{}” {}), while the overview or the plan states {quoted}: make those counts the quantity targets (e.g. “≥{example}”).",
                quantities[0].name,
                quantities[0].target.text()
            ),
        ),
    ));
}

/// The counts a text states: a number (digits, or Chinese numerals other than a lone 一, which
/// is mostly an article: 一批, 一次性) followed by a measure word, with up to four following
/// characters of what is counted: “18个街镇园区”, “15家考核单位”, “三个片区”.
pub(super) fn counts_in(text: &str) -> Vec<String> {
    const NUMERALS: &str = "零一二两三四五六七八九十百千";
    let chars: Vec<char> = text.chars().collect();
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let chinese = NUMERALS.contains(chars[i]);
        while i < chars.len() && (if chinese { NUMERALS.contains(chars[i]) } else { is_digit(chars[i]) }) {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let number: String = chars[start..i].iter().collect();
        let after_decimal = start > 0 && (chars[start - 1] == '.' || is_digit(chars[start - 1]));
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        if after_decimal || (chinese && number == "一") || j >= chars.len() || !COUNT_WORDS.contains(&chars[j]) {
            continue;
        }
        // What is counted: the Chinese characters after the measure word, up to four, stopping
        // at a particle (“12个街镇的终端” quotes “12个街镇”).
        let what: String = chars[j + 1..]
            .iter()
            .take(4)
            .take_while(|c| ('\u{4e00}'..='\u{9fff}').contains(*c) && !"的和与及等对进开".contains(**c))
            .collect();
        // 人 starting 人民 (the people) counts no one.
        if chars[j] == '人' && what.starts_with('民') {
            continue;
        }
        out.push(format!("{number}{}{what}", chars[j]));
        // On from the measure word (no numeral), which the next turn steps over.
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{clean, codes, set_target};
    use crate::catalog::{Level1, Level2};

    #[test]
    fn rates_need_numbers_in_the_right_direction_and_within_100() {
        let mut d = clean();
        set_target(&mut d, 4, "提高");
        assert_eq!(codes(&d), ["RATE_NOT_QUANTIFIED"]);
        // A percentage over 100 that is not a rate (a growth) is no rate's fault.
        let mut d = clean();
        d.indicators[4].name = "受理量增长".into();
        set_target(&mut d, 4, "≥120%");
        assert!(!codes(&d).contains(&"RATE_OVER_100"), "{:?}", codes(&d));
        let mut d = clean();
        set_target(&mut d, 5, "<=90%");
        assert_eq!(codes(&d), ["RATE_WRONG_DIRECTION"]);
        let mut d = clean();
        d.indicators[4].name = "投诉率".into();
        set_target(&mut d, 4, ">=5%");
        assert_eq!(codes(&d), ["RATE_WRONG_DIRECTION"]);
        set_target(&mut d, 4, "<=5%");
        assert!(codes(&d).is_empty());
        let mut d = clean();
        set_target(&mut d, 1, ">=120%");
        assert_eq!(codes(&d), ["RATE_OVER_100"]);
        set_target(&mut d, 1, "=100%");
        assert!(codes(&d).is_empty());
        set_target(&mut d, 1, "=100.5%");
        assert_eq!(codes(&d), ["RATE_OVER_100"]);
    }

    #[test]
    fn an_exact_target_on_a_lower_is_better_measure_is_read_as_a_floor() {
        let read_as_floor = |d: &crate::declaration::Declaration| {
            let found: Vec<_> = super::super::review(d)
                .into_iter()
                .filter(|f| f.code == super::FindingCode::ExactTargetReadAsFloor)
                .collect();
            found.first().map(|f| f.message.zh().to_string())
        };
        let mut d = clean();
        d.indicators[2].name = "办理时限".into();
        set_target(&mut d, 2, "=30天");
        assert!(read_as_floor(&d).is_some_and(|m| m.contains("≤30天")), "suggests the ceiling");
        set_target(&mut d, 2, "≤30天");
        assert_eq!(read_as_floor(&d), None);
        d.indicators[1].name = "重大安全事故次数".into();
        set_target(&mut d, 1, "=0次");
        assert_eq!(read_as_floor(&d), None, "=0 is scored as lower is better");
        set_target(&mut d, 1, "=2次");
        assert!(read_as_floor(&d).is_some());
        d.indicators[1].name = "培训次数".into();
        assert_eq!(read_as_floor(&d), None, "more is better: = reads as it should");
    }

    #[test]
    fn timeliness_cost_and_vague_targets() {
        let mut d = clean();
        set_target(&mut d, 2, "及时");
        assert_eq!(codes(&d), ["TIMELINESS_NOT_MEASURABLE"]);
        // Words that carry a deadline, in ASCII or full-width digits, are measurable enough.
        for dated in ["于当年12月底前完成", "于当年１２月底前完成"] {
            set_target(&mut d, 2, dated);
            assert!(codes(&d).is_empty(), "{dated}: {:?}", codes(&d));
        }
        let mut d = clean();
        set_target(&mut d, 3, "良好");
        assert_eq!(codes(&d), ["COST_NOT_QUANTIFIED"], "the cost rule, not also the vague one");
        set_target(&mut d, 3, "≤250万");
        assert!(codes(&d).is_empty(), "an amount in 万 where the form counts in 万元");
        set_target(&mut d, 3, "250万");
        assert_eq!(codes(&d), ["EXACT_TARGET_READ_AS_FLOOR"], "a bare cost is scored as a floor");
        set_target(&mut d, 3, "≤250次");
        assert_eq!(codes(&d), ["COST_NOT_QUANTIFIED"]);
        let mut d = clean();
        d.indicators[4].name = "社会影响".into();
        set_target(&mut d, 4, "提高");
        assert_eq!(codes(&d), ["VAGUE_TARGET"]);
        set_target(&mut d, 4, "较上年提高5%");
        assert!(codes(&d).is_empty(), "a measurable basis");
        set_target(&mut d, 4, "建立长效机制");
        assert!(codes(&d).is_empty(), "a graded qualitative value that is not vague");
    }

    #[test]
    fn names_filed_under_another_level_2() {
        let mut d = clean();
        d.indicators[4].name = "信访事项及时完成率".into();
        set_target(&mut d, 4, ">=95%");
        assert_eq!(codes(&d), ["INDICATOR_MISFILED"]);
        let f = &super::super::review(&d)[0];
        assert_eq!(f.field, "indicators[4].level2");
        assert!(
            f.message.zh().starts_with("绩效指标第 5 行：") && f.message.zh().contains("时效指标"),
            "{}",
            f.message
        );
        let mut d = clean();
        d.indicators[4].level2 = Level2::EconomicBenefit;
        d.indicators[4].name = "专业人员业务提升度".into();
        set_target(&mut d, 4, "较上年提高5%");
        assert_eq!(codes(&d), ["INDICATOR_MISFILED"]);
        d.indicators[4].level2 = Level2::SocialBenefit;
        assert!(codes(&d).is_empty(), "staff capability may be a social benefit");
        let mut d = clean();
        d.indicators[1].name = "调解服务满意度".into();
        assert_eq!(codes(&d), ["INDICATOR_MISFILED"], "a satisfaction under quality");
        let mut d = clean();
        d.indicators[3].name = "调解经费".into();
        assert!(codes(&d).is_empty(), "a cost under cost");
        d.indicators[3].level2 = Level2::Quality;
        assert_eq!(codes(&d), ["INDICATOR_MISFILED", "COST_INDICATOR_MISSING"]);
    }

    #[test]
    fn an_exact_rate_below_100_should_be_a_floor() {
        let mut d = clean();
        set_target(&mut d, 1, "=95%");
        assert_eq!(codes(&d), ["EXACT_RATE_BELOW_100"]);
        assert!(super::super::review(&d)[0].message.zh().contains("≥95%"));
        set_target(&mut d, 1, "=100%");
        assert!(codes(&d).is_empty(), "=100% is the most there is");
        d.indicators[1].name = "调解差错率".into();
        set_target(&mut d, 1, "=0%");
        assert!(codes(&d).is_empty(), "lower is better: an exact zero is a ceiling already");
        d.indicators[1].name = "社会影响".into();
        set_target(&mut d, 1, "=95%");
        assert!(codes(&d).is_empty(), "not a rate");
    }

    #[test]
    fn quantities_that_count_nothing_while_the_plan_counts() {
        let mut d = clean();
        d.indicators[0].name = "调解任务完成率".into();
        set_target(&mut d, 0, "=100%");
        assert!(codes(&d).is_empty(), "no count in the narrative");
        d.text.sections.plan = "全年在 18 个街镇开展调解，每季度召开一次例会，15家单位参与。".into();
        assert_eq!(codes(&d), ["QUANTITY_NOT_COUNTED"]);
        let message = super::super::review(&d)[0].message.zh().to_string();
        assert!(message.contains("“18个街镇”") && message.contains("“≥18个”"), "{message}");
        assert!(message.contains("“15家单位") && !message.contains("一次"), "{message}");
        set_target(&mut d, 0, ">=120件");
        assert!(codes(&d).is_empty(), "a quantity that counts");
        assert_eq!(super::counts_in("2023年投入使用，1.5次，一次性，一批，人民群众，三个片区"), ["三个片区"]);
        // 人 followed by 民 counts no one; any other measure word before 民 counts; a text may end
        // in a number, or in a number and spaces.
        assert_eq!(super::counts_in("服务5人，覆盖3个民族"), ["5人", "3个民族"]);
        assert_eq!(super::counts_in("惠及5人民群众"), Vec::<String>::new());
        assert_eq!(super::counts_in("共计18"), Vec::<String>::new());
        assert_eq!(super::counts_in("共计18  "), Vec::<String>::new());
    }

    #[test]
    fn a_cost_indicator_is_expected_and_required_under_the_2021_guideline() {
        let mut d = clean();
        d.indicators.remove(3);
        assert_eq!(codes(&d), ["COST_INDICATOR_MISSING"]);
        d.text.indicator_framework = Some(crate::Framework::Central2021);
        assert_eq!(codes(&d), ["MISSING_LEVEL1"], "an ERROR for a project declared under the 2021 guideline");
        let mut d = clean();
        d.text.indicator_framework = Some(crate::Framework::Central2021);
        assert_eq!(codes(&d), ["FRAMEWORK_MISMATCH", "MISSING_LEVEL1"], "cost under output is Shanghai's");
        d.indicators[3].level1 = Level1::Cost;
        d.indicators[3].level2 = Level2::EconomicCost;
        assert!(codes(&d).is_empty());
        d.text.indicator_framework = None;
        assert!(codes(&d).is_empty(), "inferred from the cost level 1");
        assert_eq!(d.framework(), crate::Framework::Central2021);
    }

    #[test]
    fn near_duplicates_with_different_targets_say_so() {
        let mut d = clean();
        let mut twin = d.indicators[5].clone();
        twin.name = "受益对象满意度".into();
        d.indicators[5].name = "受益群众满意度".into();
        d.indicators.push(twin);
        set_target(&mut d, 6, ">=80%");
        assert_eq!(codes(&d), ["NEAR_DUPLICATE_INDICATOR"]);
        let message = super::super::review(&d)[0].message.zh().to_string();
        assert!(message.contains("指标值不同") && message.contains(">=80%"), "{message}");
        set_target(&mut d, 6, ">=90%");
        assert!(!super::super::review(&d)[0].message.zh().contains("指标值不同"));
    }

    #[test]
    fn coverage_frameworks_and_duplicates() {
        let mut d = clean();
        d.indicators.remove(5);
        assert_eq!(codes(&d), ["MISSING_LEVEL1"]);
        let mut d = clean();
        d.indicators.remove(2);
        assert_eq!(codes(&d), ["MISSING_OUTPUT_KIND"]);
        let mut d = clean();
        let mut central = d.indicators[3].clone();
        central.level1 = Level1::Cost;
        central.level2 = Level2::EconomicCost;
        central.name = "经济成本".into();
        d.indicators.push(central);
        assert_eq!(codes(&d), ["MIXED_FRAMEWORKS"]);
        let mut d = clean();
        d.indicators.push(d.indicators[0].clone());
        assert_eq!(codes(&d), ["DUPLICATE_INDICATOR"]);
        let mut d = clean();
        let mut near = d.indicators[4].clone();
        near.name = "矛盾纠纷的化解率".into();
        d.indicators.push(near);
        assert_eq!(codes(&d), ["NEAR_DUPLICATE_INDICATOR"]);
        let mut d = clean();
        d.indicators[1].level1 = Level1::Benefit;
        assert_eq!(codes(&d), ["LEVEL2_WRONG_PARENT", "MISSING_OUTPUT_KIND"]);
    }
}
