//! Indicators copied between projects of one department: a rule that reads the department's
//! other projects of the year as well as the declaration, so it is computed where those are at
//! hand (the project as read through the API, the golden files) rather than in [`review`].
//!
//! [`review`]: super::review

use std::collections::BTreeSet;

use super::{Finding, FindingCode};
use crate::declaration::{Category, Declaration};
use crate::message::Message;

/// Another project of the same department and fiscal year, as this rule reads it.
#[derive(Clone, Debug)]
pub struct Sibling<'a> {
    pub name: &'a str,
    pub indicator_names: Vec<&'a str>,
}

/// How many identical indicator names make two projects' sets copies of one another.
pub const COPIED_SET: usize = 5;

/// Words of upkeep: an indicator with one of them belongs to a maintenance project, not to a
/// one-off build.
const UPKEEP: &[&str] = &["维保", "运维", "维护"];

/// INFO findings on indicators this declaration shares with the department's other projects:
/// [`COPIED_SET`] or more identical names with one project, and an upkeep indicator in a one-off
/// project that another project of the department also has.
pub fn copied_indicators(d: &Declaration, siblings: &[Sibling<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in siblings {
        let theirs: BTreeSet<&str> = s.indicator_names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).collect();
        // In the form's order, each name once.
        let mut seen = BTreeSet::new();
        let shared: Vec<&str> =
            d.indicators.iter().map(|i| i.name.trim()).filter(|n| theirs.contains(n) && seen.insert(*n)).collect();
        if shared.len() >= COPIED_SET {
            let listed = shared.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join("、");
            out.push(Finding::new(
                FindingCode::CopiedIndicators,
                "indicators",
                Message::new(
                    format!(
                        "有 {} 条三级指标与本部门项目“{}”一字不差（{listed}）：请确认它们写的是本项目的产出和效果，而不是照抄。",
                        shared.len(),
                        s.name
                    ),
                    format!(
                        "{} indicators are word for word those of “{}”, another project of the department ({listed}): make sure they state this project's outputs and effects rather than a copy.",
                        shared.len(),
                        s.name
                    ),
                ),
            ));
        }
    }
    if d.text.category == Some(Category::OneOff) {
        for (n, i) in d.indicators.iter().enumerate() {
            let Some(word) = UPKEEP.iter().find(|w| i.name.contains(**w)) else { continue };
            let Some((other, like)) = siblings
                .iter()
                .find_map(|s| s.indicator_names.iter().find(|name| name.contains(word)).map(|like| (s.name, like)))
            else {
                continue;
            };
            out.push(Finding::new(
                FindingCode::CopiedIndicators,
                format!("indicators[{n}].name"),
                Message::new(
                    format!(
                        "“{}”含“{word}”，是运行维护的指标，而本项目是一次性项目；本部门项目“{other}”有同类指标“{like}”：是否从该项目照抄？请写本项目建设的产出。",
                        i.name
                    ),
                    format!(
                        "“{}” says “{word}”: it measures upkeep, while this is a one-off project; “{other}”, another project of the department, has “{like}”: was it copied from there? State what this project builds.",
                        i.name
                    ),
                ),
            ));
        }
    }
    out.into_iter().map(Finding::with_row).collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::clean;
    use super::*;
    use crate::declaration::Category;

    fn codes(d: &Declaration, siblings: &[Sibling<'_>]) -> Vec<String> {
        copied_indicators(d, siblings).into_iter().map(|f| format!("{} {}", f.code, f.field)).collect()
    }

    #[test]
    fn five_identical_names_with_another_project_are_a_copy() {
        let d = clean();
        let names: Vec<&str> = d.indicators.iter().map(|i| i.name.as_str()).collect();
        let five = Sibling { name: "调解服务（二）", indicator_names: names[..5].to_vec() };
        assert_eq!(codes(&d, &[five.clone()]), ["COPIED_INDICATORS indicators"]);
        let message = &copied_indicators(&d, &[five])[0].message;
        assert!(message.zh().contains("调解服务（二）") && message.zh().contains("有 5 条"), "{message}");
        let four = Sibling { name: "调解服务（二）", indicator_names: names[..4].to_vec() };
        assert!(codes(&d, &[four]).is_empty(), "four in common is not a copied set");
        assert!(codes(&d, &[]).is_empty());
    }

    #[test]
    fn an_upkeep_indicator_in_a_one_off_build_names_the_maintenance_project() {
        let mut d = clean();
        d.indicators[0].name = "信访维保完成率".into();
        let upkeep = Sibling {
            name: "网络信息系统运行与维护", indicator_names: vec!["信访接待系统维保完成率"]
        };
        assert!(codes(&d, std::slice::from_ref(&upkeep)).is_empty(), "a recurring project may maintain");
        d.text.category = Some(Category::OneOff);
        assert_eq!(codes(&d, std::slice::from_ref(&upkeep)), ["COPIED_INDICATORS indicators[0].name"]);
        let f = &copied_indicators(&d, &[upkeep])[0];
        assert!(f.message.zh().starts_with("绩效指标第 1 行：") && f.message.zh().contains("网络信息系统运行与维护"));
        let unrelated = Sibling { name: "宣传与推广", indicator_names: vec!["宣传活动开展及时率"] };
        assert!(codes(&d, &[unrelated]).is_empty(), "no other project has it: not a copy");
    }
}
