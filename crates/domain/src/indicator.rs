//! 绩效指标: a three-level performance indicator with its target value.

use serde::{Deserialize, Serialize};

use crate::catalog::{Level1, Level2};
use crate::message::Message;
use crate::problem::{ProblemCode, Problems};
use crate::target_value::{MAX_TARGET_CHARS, TargetValue};

pub const MAX_INDICATORS: usize = 200;
pub const MAX_INDICATOR_NAME: usize = 200;
pub const MAX_NOTE: usize = 1000;

/// One row of the indicator table; its position is its index in the project's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indicator {
    pub level1: Level1,
    pub level2: Level2,
    /// 三级指标: free text.
    pub name: String,
    /// 年度指标值.
    pub target: TargetValue,
    /// Where the source was unclear (as in the fixture), or any remark.
    pub note: Option<String>,
    /// The indicator library's entry the row was picked from (指标库), kept through copies and
    /// adjustments so that its history follows it.
    pub library_entry_id: Option<i64>,
}

/// An indicator as entered: the target is its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorInput {
    pub level1: Level1,
    pub level2: Level2,
    pub name: String,
    pub target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library_entry_id: Option<i64>,
}

impl Indicator {
    pub fn to_input(&self) -> IndicatorInput {
        IndicatorInput {
            level1: self.level1,
            level2: self.level2,
            name: self.name.clone(),
            target: self.target.text().to_string(),
            note: self.note.clone(),
            library_entry_id: self.library_entry_id,
        }
    }
}

impl IndicatorInput {
    /// The row with its target parsed (the name trimmed, an empty note dropped).
    pub fn with_target(&self, target: TargetValue) -> Indicator {
        Indicator {
            level1: self.level1,
            level2: self.level2,
            name: self.name.trim().to_string(),
            target,
            note: self.note.clone().filter(|n| !n.trim().is_empty()),
            library_entry_id: self.library_entry_id,
        }
    }
}

/// Reads the indicator table as a draft may hold it: a target is kept as typed (one that does not
/// parse, a level 2 not under its level 1 and a blank name are ERROR findings, not refusals).
/// Refused only what cannot be stored faithfully: too many rows, an oversized name, note or
/// target, a NUL character.
pub fn parse_indicators(rows: &[IndicatorInput], problems: &mut Problems) -> Vec<Indicator> {
    if rows.len() > MAX_INDICATORS {
        problems.push(
            "indicators",
            ProblemCode::InvalidInput,
            Message::new(
                format!("绩效指标最多 {MAX_INDICATORS} 项，现有 {} 项", rows.len()),
                format!("at most {MAX_INDICATORS} indicators are allowed, got {}", rows.len()),
            ),
        );
    }
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let at = |f: &str| format!("indicators[{i}].{f}");
            problems.check_text(
                &at("name"),
                ("三级指标名称", "the 三级指标 name"),
                &row.name,
                MAX_INDICATOR_NAME,
                false,
            );
            if let Some(note) = &row.note {
                problems.check_text(&at("note"), ("备注", "the note"), note, MAX_NOTE, false);
            }
            let target = ("指标值", "the target value");
            problems.check_text(&at("target"), target, &row.target, MAX_TARGET_CHARS, false);
            row.with_target(TargetValue::as_typed(&row.target))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(l1: Level1, l2: Level2, name: &str, target: &str) -> IndicatorInput {
        IndicatorInput {
            level1: l1,
            level2: l2,
            name: name.into(),
            target: target.into(),
            note: None,
            library_entry_id: None,
        }
    }

    #[test]
    fn a_draft_keeps_what_it_can_store_and_refuses_the_rest() {
        let rows = [
            row(Level1::Output, Level2::Quantity, "完成率", "=100%"),
            row(Level1::Output, Level2::SocialBenefit, "影响力", "≥"),
            row(Level1::Satisfaction, Level2::ServiceSatisfaction, " ", &"9".repeat(MAX_TARGET_CHARS + 1)),
            row(Level1::Satisfaction, Level2::ServiceSatisfaction, &"名".repeat(MAX_INDICATOR_NAME + 1), "提高"),
        ];
        let mut p = Problems::default();
        let parsed = parse_indicators(&rows, &mut p);
        assert_eq!(parsed.len(), 4, "every row keeps its place");
        assert_eq!(parsed[2].name, "", "a blank name is the rules' finding (ROW_NAME_MISSING)");
        assert_eq!(parsed[1].target.text(), "≥", "kept as typed");
        assert_eq!(parsed[1].level2, Level2::SocialBenefit, "a level 2 elsewhere is the rules' finding");
        let got: Vec<_> = p.into_vec().into_iter().map(|p| (p.field, p.code)).collect();
        assert_eq!(
            got,
            [
                ("indicators[2].target".to_string(), ProblemCode::InvalidInput),
                ("indicators[3].name".to_string(), ProblemCode::InvalidInput),
            ]
        );
    }

    #[test]
    fn at_most_the_limit_of_rows_and_blank_notes_dropped() {
        let one = row(Level1::Output, Level2::Quantity, "完成率", "=100%");
        let mut p = Problems::default();
        assert_eq!(parse_indicators(&vec![one.clone(); MAX_INDICATORS], &mut p).len(), MAX_INDICATORS);
        assert!(p.into_vec().is_empty(), "the limit itself is allowed");
        let mut p = Problems::default();
        parse_indicators(&vec![one.clone(); MAX_INDICATORS + 1], &mut p);
        assert_eq!(p.into_vec().iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["indicators"]);
        let noted = |note: &str| {
            IndicatorInput { note: Some(note.into()), ..one.clone() }.with_target(TargetValue::as_typed("=100%"))
        };
        assert_eq!(noted("  ").note, None);
        assert_eq!(noted("原表如此").note.as_deref(), Some("原表如此"));
    }
}
