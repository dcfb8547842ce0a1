//! Narrative vs form: amounts stated in 年度预算安排 should be amounts of the form, figures in
//! 万元 rounded as they should be, and no year gone by spoken of as still to come.

use super::lexicon::{FUTURE_WORDS, NOT_FUTURE};
use super::{Finding, FindingCode};
use crate::declaration::Declaration;
use crate::message::Message;
use crate::money::Money;

/// An amount as written: `units / 10^scale` of `multiplier` yuan, and the text it came from.
#[derive(Debug, PartialEq, Eq)]
struct Stated {
    units: i128,
    scale: u32,
    multiplier: i128,
    text: String,
}

impl Stated {
    /// `(actual, stated, step)`, all in units of 1/10^scale fen, so that every comparison is exact.
    fn scaled(&self, fen: i64) -> (i128, i128, i128) {
        let pow = 10i128.pow(self.scale);
        (i128::from(fen) * pow, self.units * self.multiplier * 100, self.multiplier * 100)
    }

    /// Whether the text is `fen` rounded half up to the precision it is written in (21.42 万元
    /// for 214,167 元).
    fn rounds(&self, fen: i64) -> bool {
        let (actual, stated, step) = self.scaled(fen);
        // stated − step/2 ≤ actual < stated + step/2, doubled to stay in integers.
        let (actual, stated) = (actual * 2, stated * 2);
        stated - step <= actual && actual < stated + step
    }

    /// Whether the text is `fen` cut off at the precision it is written in (21.41 万元 for
    /// 214,167 元), as people also write.
    fn truncates(&self, fen: i64) -> bool {
        let (actual, stated, step) = self.scaled(fen);
        (0..step).contains(&(actual - stated))
    }

    /// Whether `fen` is what the text states, rounded or cut off.
    fn matches(&self, fen: i64) -> bool {
        self.rounds(fen) || self.truncates(fen)
    }

    /// A figure in 万元 or 亿元 with decimals: the kind that must be rounded, not cut off.
    fn is_rounded_figure(&self) -> bool {
        self.multiplier > 1 && self.scale > 0
    }
}

/// Every number followed by 元, 万元 or 亿元 in the text.
fn stated_amounts(text: &str) -> Vec<Stated> {
    let chars: Vec<char> = text
        .chars()
        .map(|c| {
            if ('０'..='９').contains(&c) {
                char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ',') {
            i += 1;
        }
        let mut frac = String::new();
        if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
            i += 1;
            while i < chars.len() && chars[i].is_ascii_digit() {
                frac.push(chars[i]);
                i += 1;
            }
        }
        let whole: String = chars[start..i].iter().take_while(|c| **c != '.').filter(|c| c.is_ascii_digit()).collect();
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        let rest: String = chars[j..chars.len().min(j + 2)].iter().collect();
        let multiplier = if rest.starts_with("万元") {
            Some(10_000)
        } else if rest.starts_with("亿元") {
            Some(100_000_000)
        } else if rest.starts_with('元') {
            Some(1)
        } else {
            None
        };
        if let (Some(multiplier), Ok(units)) = (multiplier, format!("{whole}{frac}").parse::<i128>()) {
            if whole.len() + frac.len() <= 20 {
                let unit_text = if multiplier == 10_000 {
                    "万元"
                } else if multiplier == 1 {
                    "元"
                } else {
                    "亿元"
                };
                let number = if frac.is_empty() { whole.clone() } else { format!("{whole}.{frac}") };
                out.push(Stated { units, scale: frac.len() as u32, multiplier, text: format!("{number}{unit_text}") });
            }
        }
    }
    out
}

pub(super) fn review(d: &Declaration, out: &mut Vec<Finding>) {
    stale_years(d, out);
    let f = &d.funds;
    // Until the annual request is known there is nothing to hold the text against.
    let Some(annual) = f.annual_request else { return };
    let mut candidates: Vec<Money> =
        [Some(annual), f.total, f.current_year_appropriation].into_iter().flatten().collect();
    candidates.extend(d.fund_items.iter().map(|i| i.amount));
    for s in stated_amounts(&d.text.sections.budget_arrangement) {
        if !candidates.iter().any(|m| s.matches(m.fen())) {
            let (items, items_en) =
                if d.fund_items.is_empty() { ("", "") } else { ("及各项资金明细", " or any fund item") };
            out.push(Finding::new(
                FindingCode::BudgetTextMismatch,
                "sections.budgetArrangement",
                Message::new(
                    format!(
                        "年度预算安排写明“{}”，与表内年度资金申请总额 {annual} 元（{} 万元）{items}均不符：请核对文字或表内金额。",
                        s.text,
                        annual.wan_yuan()
                    ),
                    format!(
                        "The annual budget arrangement states “{}”, which matches neither the annual request of {annual} yuan ({} 万元){items_en}: check the text or the amounts.",
                        s.text,
                        annual.wan_yuan()
                    ),
                ),
            ));
        }
    }
    for (field, label, text) in d.text.sections.labelled() {
        for s in stated_amounts(text).into_iter().filter(Stated::is_rounded_figure) {
            if candidates.iter().any(|m| s.rounds(m.fen())) {
                continue;
            }
            let Some(cut) = candidates.iter().find(|m| s.truncates(m.fen())) else { continue };
            out.push(Finding::new(
                FindingCode::AmountTruncated,
                format!("sections.{field}"),
                Message::new(
                    format!(
                        "{}写“{}”，而表内金额 {cut} 元四舍五入是 {} 万元：请写 {} 万元（金额按四舍五入保留两位小数）。",
                        label.0,
                        s.text,
                        cut.wan_yuan(),
                        cut.wan_yuan()
                    ),
                    format!(
                        "{} states “{}”, but the form's {cut} yuan rounds half up to {} 万元: write {} 万元 (amounts are rounded, not cut off).",
                        capitalized(label.1),
                        s.text,
                        cut.wan_yuan(),
                        cut.wan_yuan()
                    ),
                ),
            ));
        }
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A year before the fiscal year spoken of in the future tense (“2022 年，将对该系统实施运维”
/// in a 2023 declaration): text carried over from an earlier year's form and not updated.
fn stale_years(d: &Declaration, out: &mut Vec<Finding>) {
    let goals = [
        ("overallGoal", ("项目总目标", "the overall goal"), d.text.overall_goal.as_str()),
        ("annualGoal", ("年度总目标", "the annual goal"), d.text.annual_goal.as_str()),
    ];
    let texts = d.text.sections.labelled().into_iter().map(|(f, l, t)| (format!("sections.{f}"), l, t));
    for (field, label, text) in texts.chain(goals.into_iter().map(|(f, l, t)| (f.to_string(), l, t))) {
        for sentence in text.split(['。', '；', ';', '！', '!', '？', '?', '\n']) {
            let Some((year, word)) = stale_statement(sentence, d.fiscal_year) else { continue };
            let quoted = sentence.trim();
            out.push(Finding::new(
                FindingCode::StaleYear,
                field.clone(),
                Message::new(
                    format!(
                        "{}写“{quoted}”：{year} 年早于申报年度 {} 年，却用了将来时（“{word}”）。是否沿用了往年的文字？请按本年度的情况改写。",
                        label.0, d.fiscal_year
                    ),
                    format!(
                        "{} says “{quoted}”: {year} is before the fiscal year {}, yet it is spoken of in the future (“{word}”). Was this text carried over from an earlier year? Update it for this year.",
                        capitalized(label.1),
                        d.fiscal_year
                    ),
                ),
            ));
        }
    }
}

/// In one sentence: a year (a four-digit number followed by 年) before `fiscal_year`, followed
/// later in the sentence by a word of the future. Returns the year and the word.
fn stale_statement(sentence: &str, fiscal_year: i32) -> Option<(i32, &'static str)> {
    let chars: Vec<(usize, char)> = sentence.char_indices().collect();
    for (k, &(at, c)) in chars.iter().enumerate() {
        let starts_number = c.is_ascii_digit() && (k == 0 || !chars[k - 1].1.is_ascii_digit());
        let four_digits = chars.get(k..k + 4).is_some_and(|four| four.iter().all(|(_, c)| c.is_ascii_digit()));
        if !starts_number || !four_digits {
            continue;
        }
        let after = &sentence[at + 4..];
        let rest = after.trim_start_matches(' ');
        if after.starts_with(|c: char| c.is_ascii_digit()) || !rest.starts_with('年') {
            continue;
        }
        let year: i32 = sentence[at..at + 4].parse().ok()?;
        if !(1990..fiscal_year).contains(&year) {
            continue;
        }
        let later = &rest['年'.len_utf8()..];
        let future = FUTURE_WORDS
            .iter()
            .copied()
            .find(|w| later.match_indices(*w).any(|(i, _)| !NOT_FUTURE.iter().any(|n| later[i..].starts_with(n))));
        if let Some(word) = future {
            return Some((year, word));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::testing::{clean, codes, requesting};
    use super::*;

    /// Full-width digits read as digits; a number is read from its first digit only (the `3` of
    /// `1.2.3元` continues a number that is no amount); only 万元 and 亿元 figures with decimals are
    /// the kind that must be rounded.
    #[test]
    fn amounts_start_at_their_first_digit_and_rounded_figures_are_known() {
        let texts = |t: &str| stated_amounts(t).into_iter().map(|s| s.text).collect::<Vec<_>>();
        assert_eq!(texts("年度预算１５万元，另９.５亿元"), ["15万元", "9.5亿元"]);
        assert_eq!(texts("版本 1.2.3元"), Vec::<String>::new());
        let rounded = |t: &str| stated_amounts(t)[0].is_rounded_figure();
        assert!(rounded("21.41万元") && rounded("1.5亿元"));
        assert!(!rounded("21万元") && !rounded("21.41元") && !rounded("214167元"));
    }

    #[test]
    fn finds_amounts_with_their_precision() {
        let found = stated_amounts("2023年本项目预算金额为125万元，另 21.41 万元，以及 1,000元和 3元。");
        let texts: Vec<_> = found.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["125万元", "21.41万元", "1000元", "3元"]);
        let s = &found[1];
        assert!(s.matches(21_416_700), "21.41 万元 cut off from 214,167 元");
        assert!(s.matches(21_410_000));
        assert!(s.matches(21_405_000), "rounded half up to 21.41");
        assert!(!s.matches(21_404_999));
        assert!(!s.matches(21_420_000));
        assert!(found[0].matches(125_000_000_00 / 100));
    }

    #[test]
    fn rounding_is_half_up_and_truncation_is_told_apart() {
        let s = &stated_amounts("21.42万元 21.41万元")[..];
        assert!(s[0].rounds(21_416_700) && !s[0].truncates(21_416_700));
        assert!(!s[1].rounds(21_416_700) && s[1].truncates(21_416_700));
        assert!(s[1].rounds(21_405_000), "21.405 rounds half up to 21.41");
        assert!(!s[1].rounds(21_415_000), "21.415 rounds to 21.42");
    }

    #[test]
    fn a_truncated_wan_yuan_figure_is_a_warning_showing_both() {
        let mut d = clean();
        requesting(&mut d, crate::Money::from_fen(21_416_700));
        d.text.sections.budget_arrangement = "年度预算为21.41万元。".into();
        assert_eq!(codes(&d), ["AMOUNT_TRUNCATED"]);
        let message = super::super::review(&d)[0].message.zh().to_string();
        assert!(
            message.contains("21.41万元") && message.contains("21.42 万元") && message.contains("214167.00"),
            "{message}"
        );
        d.text.sections.budget_arrangement = "年度预算为21.42万元，即 214167 元。".into();
        assert!(codes(&d).is_empty());
        d.text.sections.budget_arrangement = "年度预算为21.4万元。".into();
        assert!(codes(&d).is_empty(), "one place, rightly rounded");
        d.text.sections.budget_arrangement = "年度预算为21万元。".into();
        assert!(codes(&d).is_empty(), "a whole number of 万元 is an approximation, not a cut-off figure");
        d.text.sections.budget_arrangement.clear();
        d.text.sections.overview = "项目总投入 21.41 万元。".into();
        assert_eq!(codes(&d), ["AMOUNT_TRUNCATED"], "in any section");
    }

    #[test]
    fn a_past_year_in_the_future_tense_is_stale() {
        let mut d = clean();
        d.text.sections.basis = "根据 2017 年会议纪要实施。2022 年，将对该系统实施运维。".into();
        assert_eq!(codes(&d), ["STALE_YEAR"]);
        let f = &super::super::review(&d)[0];
        assert_eq!(f.field, "sections.basis");
        assert!(f.message.zh().contains("“2022 年，将对该系统实施运维”"), "{}", f.message);
        for silent in [
            "2023 年，将对该系统实施运维。",
            "区信访办拟于 2023 年 1 月实施。",
            "2022 年已完成运维。",
            "2022年将近完成一半。",
            "（2015-2020 年）技术规范；",
            "编号 20221 年份不对，将来再说。",
        ] {
            d.text.sections.basis = silent.into();
            assert!(codes(&d).is_empty(), "{silent}");
        }
        d.text.annual_goal = "2021年计划于年底前完成。".into();
        assert_eq!(codes(&d), ["STALE_YEAR"], "in the goals too");
        let f = &super::super::review(&d)[0];
        assert!(f.message.en().starts_with("The annual goal says “2021年计划于年底前完成”"), "{}", f.message.en());
    }

    /// A year is four digits of their own followed by 年, anywhere in the sentence; not the end of
    /// a longer number, not an amount.
    #[test]
    fn a_stale_year_is_four_digits_of_their_own_before_its_year() {
        assert_eq!(stale_statement("项目经费于2022年将用于运维", 2023), Some((2022, "将")));
        assert_eq!(stale_statement("12022年，将对系统运维", 2023), None, "the end of a longer number");
        assert_eq!(stale_statement("支付2022元，将用于运维", 2023), None, "an amount, not a year");
        assert_eq!(stale_statement("截至2022", 2023), None, "a number at the very end");
    }

    /// Where a number may stop: at the end of the text, before a lone point, far beyond any
    /// amount (over 20 digits); and one at the very start is read.
    #[test]
    fn amounts_at_the_edges_of_the_text() {
        let texts = |t: &str| stated_amounts(t).into_iter().map(|s| s.text).collect::<Vec<_>>();
        assert_eq!(texts("5万元"), ["5万元"]);
        for none in ["预算125", "共125.", "共3.元", "共 123456789012345678901元"] {
            assert_eq!(texts(none), Vec::<String>::new(), "{none}");
        }
        assert_eq!(texts("共 12345678901234567890元"), ["12345678901234567890元"], "twenty digits are read");
    }

    #[test]
    fn a_narrative_amount_that_is_not_on_the_form_is_a_warning() {
        let mut d = clean();
        assert!(codes(&d).is_empty(), "15 万元 is the annual request");
        d.text.sections.budget_arrangement = "年度预算为 16 万元。".into();
        assert_eq!(codes(&d), ["BUDGET_TEXT_MISMATCH"]);
        d.text.sections.budget_arrangement = "2023 年按计划支出。".into();
        assert!(codes(&d).is_empty(), "a year is not an amount");
    }
}
