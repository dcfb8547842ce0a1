//! Indicator rules: the catalog and its frameworks, what a project must cover, names written
//! twice, and whether each target can be measured.

use std::collections::BTreeSet;

use super::similarity::near_duplicates;
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
/// Qualitative values that say a direction but not how far.
const VAGUE: &[&str] = &[
    "提高", "提升", "增加", "增强", "下降", "降低", "减少", "良好", "较好", "好", "高", "较高", "有效", "显著", "明显",
    "改善", "及时", "优良", "稳定",
];

/// A rate: a name ending in 率 or naming a 满意度. 效率 (efficiency) and 频率 (frequency) end in
/// 率 but are not percentages.
fn is_rate(name: &str) -> bool {
    (name.ends_with('率') && !name.ends_with("效率") && !name.ends_with("频率")) || name.contains("满意度")
}

fn lower_is_better(name: &str) -> bool {
    LOWER_IS_BETTER.iter().any(|w| name.ends_with(w))
}

fn is_cost(i: &Indicator) -> bool {
    i.level1 == Level1::Cost || i.level2 == Level2::Cost
}

fn has_amount(i: &Indicator) -> bool {
    i.target.unit().is_some_and(|u| u.contains('元'))
}

pub(super) fn review(d: &Declaration, out: &mut Vec<Finding>) {
    for (n, i) in d.indicators.iter().enumerate() {
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
        if i.name.trim().is_empty() {
            out.push(Finding::new(
                FindingCode::RowNameMissing,
                at("name"),
                Message::new(
                    format!("第 {} 行绩效指标没有填写三级指标名称。", n + 1),
                    format!("Indicator row {} has no 三级指标 name.", n + 1),
                ),
            ));
        }
        target_quality(i, &at("target"), out);
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
        } else if let Some(earlier) = d.indicators[..n].iter().position(|e| near_duplicates(&e.name, &i.name)) {
            out.push(Finding::new(
                FindingCode::NearDuplicateIndicator,
                at("name"),
                Message::new(
                    format!(
                        "三级指标“{}”与第 {} 行“{}”只差一两个字或语序：若是同一指标请合并，否则请写清两者的区别。",
                        i.name,
                        earlier + 1,
                        d.indicators[earlier].name
                    ),
                    format!(
                        "The indicator “{}” differs from row {} “{}” only by a word or the word order: merge them if they are one, or say how they differ.",
                        i.name,
                        earlier + 1,
                        d.indicators[earlier].name
                    ),
                ),
            ));
        }
    }
    coverage(d, out);
}

/// At most one finding on how measurable a target is: the most specific rule that applies.
fn target_quality(i: &Indicator, field: &str, out: &mut Vec<Finding>) {
    let t = &i.target;
    if let Some(error) = t.error() {
        // Nothing else can be said of a target that does not read.
        let why = error.message();
        out.push(Finding::new(
            FindingCode::TargetInvalid,
            field,
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
            field,
            Message::new(
                format!("“{}”是比率，指标值却是“{}”：请填写数值，如“{example}”。", i.name, t.text()),
                format!("“{}” is a rate, but its target is “{}”: give a number, e.g. “{example}”.", i.name, t.text()),
            ),
        ));
    } else if i.level2 == Level2::Timeliness && qualitative && !measurable_words {
        out.push(Finding::new(
            FindingCode::TimelinessNotMeasurable,
            field,
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
            field,
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
            field,
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
        if (ceiling && HIGHER_IS_BETTER.iter().any(|w| i.name.ends_with(w))) || (floor && lower_is_better(&i.name)) {
            out.push(Finding::new(
                FindingCode::RateWrongDirection,
                field,
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
        let over = |v: Option<Decimal>| v.is_some_and(|v| v > Decimal::from_integer(100));
        if t.unit() == Some("%") && (over(t.value()) || over(t.upper())) {
            out.push(Finding::new(
                FindingCode::RateOver100,
                field,
                Message::new(
                    format!("比率“{}”的指标值“{}”超过 100%：请核对。", i.name, t.text()),
                    format!("The rate “{}” has a target “{}” over 100%: check it.", i.name, t.text()),
                ),
            ));
        }
    }
}

/// What the project's indicators cover as a whole.
fn coverage(d: &Declaration, out: &mut Vec<Finding>) {
    let level1: BTreeSet<Level1> = d.indicators.iter().map(|i| i.level1).collect();
    for required in [Level1::Output, Level1::Benefit, Level1::Satisfaction] {
        if !level1.contains(&required) {
            out.push(Finding::new(
                FindingCode::MissingLevel1,
                "indicators",
                Message::new(
                    format!("没有{}：每个项目至少要有一条产出、效益和满意度指标。", required.label()),
                    format!(
                        "No {} ({}): every project needs at least one output, one benefit and one satisfaction indicator.",
                        required.label(),
                        required.code()
                    ),
                ),
            ));
        }
    }
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
    if frameworks.len() > 1 {
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

#[cfg(test)]
mod tests {
    use super::super::testing::{clean, codes, set_target};
    use crate::catalog::{Level1, Level2};

    #[test]
    fn rates_need_numbers_in_the_right_direction_and_within_100() {
        let mut d = clean();
        set_target(&mut d, 4, "提高");
        assert_eq!(codes(&d), ["RATE_NOT_QUANTIFIED"]);
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
    fn timeliness_cost_and_vague_targets() {
        let mut d = clean();
        set_target(&mut d, 2, "及时");
        assert_eq!(codes(&d), ["TIMELINESS_NOT_MEASURABLE"]);
        let mut d = clean();
        set_target(&mut d, 3, "良好");
        assert_eq!(codes(&d), ["COST_NOT_QUANTIFIED"], "the cost rule, not also the vague one");
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
