//! 绩效指标: a three-level performance indicator with its target value.

use serde::{Deserialize, Serialize};

use crate::catalog::{Level1, Level2, parents_of};
use crate::problem::{ProblemCode, Problems};
use crate::target_value::TargetValue;

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
}

impl Indicator {
    pub fn to_input(&self) -> IndicatorInput {
        IndicatorInput {
            level1: self.level1,
            level2: self.level2,
            name: self.name.clone(),
            target: self.target.text().to_string(),
            note: self.note.clone(),
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
        }
    }
}

/// Parses the indicator table, reporting each row whose level 2 is not under its level 1, whose
/// name is missing or whose target does not parse.
pub fn parse_indicators(rows: &[IndicatorInput], problems: &mut Problems) -> Vec<Indicator> {
    if rows.len() > MAX_INDICATORS {
        problems.push(
            "indicators",
            ProblemCode::InvalidInput,
            format!("at most {MAX_INDICATORS} indicators are allowed, got {}", rows.len()),
        );
    }
    rows.iter()
        .enumerate()
        .filter_map(|(i, row)| {
            let at = |f: &str| format!("indicators[{i}].{f}");
            if !row.level1.allows(row.level2) {
                let parents: Vec<_> =
                    parents_of(row.level2).iter().map(|p| format!("{} {}", p.code(), p.label())).collect();
                problems.push(
                    at("level2"),
                    ProblemCode::InvalidInput,
                    format!(
                        "二级指标 {} {} is not under 一级指标 {} {}; it belongs under {}",
                        row.level2.code(),
                        row.level2.label(),
                        row.level1.code(),
                        row.level1.label(),
                        parents.join(" or ")
                    ),
                );
            }
            problems.check_text(&at("name"), "the 三级指标 name", &row.name, MAX_INDICATOR_NAME, true);
            if let Some(note) = &row.note {
                problems.check_text(&at("note"), "the note", note, MAX_NOTE, false);
            }
            match TargetValue::parse(&row.target) {
                Ok(target) => Some(row.with_target(target)),
                Err(e) => {
                    problems.push(at("target"), ProblemCode::InvalidTarget, e.to_string());
                    None
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(l1: Level1, l2: Level2, name: &str, target: &str) -> IndicatorInput {
        IndicatorInput { level1: l1, level2: l2, name: name.into(), target: target.into(), note: None }
    }

    #[test]
    fn reports_wrong_parent_missing_name_and_bad_target_per_row() {
        let rows = [
            row(Level1::Output, Level2::Quantity, "完成率", "=100%"),
            row(Level1::Output, Level2::SocialBenefit, "影响力", "提高"),
            row(Level1::Satisfaction, Level2::ServiceSatisfaction, " ", ">=abc"),
        ];
        let mut p = Problems::default();
        let parsed = parse_indicators(&rows, &mut p);
        assert_eq!(parsed.len(), 2, "rows with a parsable target are kept for further checks");
        let got: Vec<_> = p.into_vec().into_iter().map(|p| (p.field, p.code)).collect();
        assert_eq!(
            got,
            [
                ("indicators[1].level2".to_string(), ProblemCode::InvalidInput),
                ("indicators[2].name".to_string(), ProblemCode::InvalidInput),
                ("indicators[2].target".to_string(), ProblemCode::InvalidTarget),
            ]
        );
    }
}
