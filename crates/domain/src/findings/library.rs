//! Rules against the indicator library (指标库): a floor target below what the department
//! already achieved on the same indicator (历史标准), and a name the library spells otherwise or
//! has retired.

use super::indicators::is_rate;
use super::{Finding, FindingCode};
use crate::Level2;
use crate::declaration::Declaration;
use crate::library::LibraryEntryStatus;
use crate::message::Message;
use crate::target_value::{Comparator, TargetKind, TargetValue};

/// What the library knows of one entry, as the rules read it (the store fills these for the
/// declaring department's entries and the common ones: `jixiao_store::library`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibraryFact {
    pub entry_id: i64,
    pub level2: Level2,
    pub name: String,
    pub aliases: Vec<String>,
    pub status: LibraryEntryStatus,
    /// The last accepted self-evaluation's actual value of a row linked to the entry, in the
    /// declaring department (`92%`).
    pub history_value: Option<String>,
}

/// The entry a row stands for: the one it was picked from, else the confirmed entry of its name
/// under its level 2.
fn entry_of<'a>(facts: &'a [LibraryFact], linked: Option<i64>, level2: Level2, name: &str) -> Option<&'a LibraryFact> {
    linked.and_then(|id| facts.iter().find(|f| f.entry_id == id)).or_else(|| {
        facts.iter().find(|f| f.status == LibraryEntryStatus::Confirmed && f.level2 == level2 && f.name == name)
    })
}

/// Whether `target` promises less than `achieved`: a floor (≥, >, or = on a rate, which the
/// evaluation reads as a floor) in the same unit, below the value already reached.
fn below(target: &TargetValue, name: &str, achieved: &TargetValue) -> bool {
    let floor = match target.comparator() {
        Some(Comparator::Ge | Comparator::Gt) => true,
        Some(Comparator::Eq) => is_rate(name),
        _ => false,
    };
    floor
        && achieved.kind() == TargetKind::Quantitative
        && target.unit() == achieved.unit()
        && matches!((target.value(), achieved.value()), (Some(t), Some(a)) if t < a)
}

pub(super) fn review(d: &Declaration, facts: &[LibraryFact], out: &mut Vec<Finding>) {
    if facts.is_empty() {
        return;
    }
    for (i, row) in d.indicators.iter().enumerate() {
        let entry = entry_of(facts, row.library_entry_id, row.level2, &row.name);
        if let Some(history) = entry.and_then(|e| e.history_value.as_deref()) {
            let achieved = TargetValue::as_typed(history);
            if below(&row.target, &row.name, &achieved) {
                let target = row.target.text();
                out.push(Finding::new(
                    FindingCode::TargetBelowHistory,
                    format!("indicators[{i}].target"),
                    Message::new(
                        format!("“{}”的指标值 {target} 低于本部门上一次自评的实际完成值 {history}（历史值）：按历史标准，目标不应低于已达到的水平。", row.name),
                        format!("“{}”: the target {target} is below the {history} already achieved (the last accepted self-evaluation): by the historical standard a target is not set below what was reached.", row.name),
                    ),
                ));
            }
        }
        if entry.is_some_and(|e| e.status == LibraryEntryStatus::Confirmed && e.name == row.name) {
            continue;
        }
        if let Some(spelled) =
            facts.iter().find(|f| f.status == LibraryEntryStatus::Confirmed && f.aliases.contains(&row.name))
        {
            out.push(Finding::new(
                FindingCode::LibrarySpelling,
                format!("indicators[{i}].name"),
                Message::new(
                    format!("“{}”在指标库中写作“{}”：请使用指标库的名称。", row.name, spelled.name),
                    format!("The library spells “{}” as “{}”: use the library's name.", row.name, spelled.name),
                ),
            ));
        } else if facts.iter().any(|f| f.status == LibraryEntryStatus::Retired && f.name == row.name) {
            out.push(Finding::new(
                FindingCode::LibrarySpelling,
                format!("indicators[{i}].name"),
                Message::new(
                    format!("“{}”已在指标库中停用：请从指标库选用现行指标。", row.name),
                    format!("“{}” is retired in the library: pick a current indicator from it.", row.name),
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::testing::{clean, set_target};

    fn fact(entry_id: i64, name: &str, status: LibraryEntryStatus, history: Option<&str>) -> LibraryFact {
        LibraryFact {
            entry_id,
            level2: Level2::ServiceSatisfaction,
            name: name.into(),
            aliases: vec![],
            status,
            history_value: history.map(Into::into),
        }
    }

    fn codes(d: &Declaration, facts: &[LibraryFact]) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        review(d, facts, &mut out);
        out.into_iter().map(|f| (f.field, f.code.code())).collect()
    }

    /// The clean form's sixth row is 当事人满意度 ≥90%.
    #[test]
    fn a_floor_below_what_was_achieved_is_found() {
        let confirmed = [fact(1, "当事人满意度", LibraryEntryStatus::Confirmed, Some("92%"))];
        let mut d = clean();
        assert_eq!(codes(&d, &confirmed), [("indicators[5].target".to_string(), "TARGET_BELOW_HISTORY")]);
        for (target, found) in [
            ("≥92%", false),
            (">=95%", false),
            (">91%", true),
            ("=91%", true),
            ("=100%", false),
            ("≤80%", false),
            ("提高", false),
            ("≥90个", false),
        ] {
            set_target(&mut d, 5, target);
            assert_eq!(!codes(&d, &confirmed).is_empty(), found, "{target}");
        }
        set_target(&mut d, 5, "≥90%");
        assert!(
            codes(&d, &[fact(1, "当事人满意度", LibraryEntryStatus::Confirmed, None)]).is_empty(),
            "no history, no finding"
        );
        assert!(codes(&d, &[fact(1, "当事人满意度", LibraryEntryStatus::Confirmed, Some("良好"))]).is_empty());
        let linked = [fact(9, "另一写法", LibraryEntryStatus::Confirmed, Some("95%"))];
        assert!(codes(&d, &linked).is_empty(), "another entry's history is not this row's");
        d.indicators[5].library_entry_id = Some(9);
        assert_eq!(codes(&d, &linked).len(), 1, "a picked row follows its entry, whatever its name");
    }

    #[test]
    fn a_name_the_library_spells_otherwise_or_retired() {
        let d = clean();
        let aliased = LibraryFact {
            aliases: vec!["当事人满意度".into()],
            ..fact(1, "调解当事人满意度", LibraryEntryStatus::Confirmed, None)
        };
        assert_eq!(codes(&d, &[aliased.clone()]), [("indicators[5].name".to_string(), "LIBRARY_SPELLING")]);
        let proposed = LibraryFact { status: LibraryEntryStatus::Proposed, ..aliased };
        assert!(codes(&d, &[proposed]).is_empty(), "a proposal is not the library's word yet");
        let retired = [fact(2, "当事人满意度", LibraryEntryStatus::Retired, None)];
        assert_eq!(codes(&d, &retired), [("indicators[5].name".to_string(), "LIBRARY_SPELLING")]);
        let mut picked = d.clone();
        picked.indicators[5].library_entry_id = Some(2);
        assert_eq!(codes(&picked, &retired).len(), 1, "picked from an entry retired since: still a finding");
        let back = [
            fact(2, "当事人满意度", LibraryEntryStatus::Retired, None),
            fact(3, "当事人满意度", LibraryEntryStatus::Confirmed, None),
        ];
        assert!(codes(&d, &back).is_empty(), "confirmed again under the same name");
    }
}
