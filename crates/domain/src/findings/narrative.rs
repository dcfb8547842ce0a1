//! Narrative vs form: amounts stated in 年度预算安排 should be amounts of the form.

use super::{Finding, FindingCode};
use crate::declaration::Declaration;
use crate::message::Message;

/// An amount as written: `units / 10^scale` of `multiplier` yuan, and the text it came from.
#[derive(Debug, PartialEq, Eq)]
struct Stated {
    units: i128,
    scale: u32,
    multiplier: i128,
    text: String,
}

impl Stated {
    /// Whether `fen` is what the text states, to the precision it is written in: rounded
    /// (21.42 万元 for 214,167 元) or cut off (21.41 万元, as people also write).
    fn matches(&self, fen: i64) -> bool {
        // Everything in units of 1/(2·10^scale) fen, so that halves stay integers.
        let pow = 10i128.pow(self.scale);
        let actual = i128::from(fen) * pow * 2;
        let stated = self.units * self.multiplier * 100 * 2;
        let step = self.multiplier * 100 * 2;
        let diff = actual - stated;
        diff.abs() * 2 <= step || (0..step).contains(&diff)
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
    let f = &d.funds;
    // Until the annual request is known there is nothing to hold the text against.
    let Some(annual) = f.annual_request else { return };
    let mut candidates: Vec<i64> =
        [Some(annual), f.total, f.current_year_appropriation].into_iter().flatten().map(|m| m.fen()).collect();
    candidates.extend(d.fund_items.iter().map(|i| i.amount.fen()));
    for s in stated_amounts(&d.text.sections.budget_arrangement) {
        if !candidates.iter().any(|&fen| s.matches(fen)) {
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
}

#[cfg(test)]
mod tests {
    use super::super::testing::{clean, codes};
    use super::*;

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
    fn a_narrative_amount_that_is_not_on_the_form_is_a_warning() {
        let mut d = clean();
        assert!(codes(&d).is_empty(), "15 万元 is the annual request");
        d.text.sections.budget_arrangement = "年度预算为 16 万元。".into();
        assert_eq!(codes(&d), ["BUDGET_TEXT_MISMATCH"]);
        d.text.sections.budget_arrangement = "2023 年按计划支出。".into();
        assert!(codes(&d).is_empty(), "a year is not an amount");
    }
}
