//! What an adjustment changes: two versions of one project's declaration compared field by field
//! and row by row, so that an approver sees exactly what is asked of them. Rows are matched by
//! their ids (kept across edits and snapshots), so a row that moved is a move, not a removal and
//! an addition.

use std::collections::HashMap;

use crate::declaration::Declaration;
use crate::funds::FUND_BOXES;
use crate::money::Money;

/// A declaration with the ids of its rows, in the form's order.
#[derive(Clone, Copy, Debug)]
pub struct Identified<'a> {
    pub declaration: &'a Declaration,
    pub fund_item_ids: &'a [i64],
    pub indicator_ids: &'a [i64],
}

/// The row a change concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowRef {
    FundItem(i64),
    Indicator(i64),
}

/// One difference: the field (`funds.total`, `indicators.target` …), the row when it is one, and
/// the value before and after as the form shows it (`None`: absent, i.e. a row added or removed,
/// or a box left empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub row: Option<RowRef>,
    pub old: Option<String>,
    pub new: Option<String>,
}

fn money(m: Option<Money>) -> Option<String> {
    m.map(|m| m.to_string())
}

fn text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// The differences from `old` to `new`, in the form's order: its boxes, then the fund items,
/// then the indicators (each row: removed, changed, or added).
pub fn changes(old: Identified<'_>, new: Identified<'_>) -> Vec<Change> {
    let (a, b) = (old.declaration, new.declaration);
    let mut out = Vec::new();
    let mut field = |name: &str, before: Option<String>, after: Option<String>| {
        if before != after {
            out.push(Change { field: name.to_string(), row: None, old: before, new: after });
        }
    };
    field("fiscalYear", Some(a.fiscal_year.to_string()), Some(b.fiscal_year.to_string()));
    field("name", text(&a.text.name), text(&b.text.name));
    field("category", a.text.category.map(|c| c.code().into()), b.text.category.map(|c| c.code().into()));
    field("plannedStart", a.text.planned_start.map(|d| d.to_string()), b.text.planned_start.map(|d| d.to_string()));
    field("plannedEnd", a.text.planned_end.map(|d| d.to_string()), b.text.planned_end.map(|d| d.to_string()));
    for ((name, _, before), (_, _, after)) in a.text.sections.labelled().into_iter().zip(b.text.sections.labelled()) {
        field(&format!("sections.{name}"), text(before), text(after));
    }
    field("overallGoal", text(&a.text.overall_goal), text(&b.text.overall_goal));
    field("annualGoal", text(&a.text.annual_goal), text(&b.text.annual_goal));
    field(
        "indicatorFramework",
        a.text.indicator_framework.map(|f| f.code().into()),
        b.text.indicator_framework.map(|f| f.code().into()),
    );
    for (((name, _), before), after) in FUND_BOXES.iter().zip(a.funds.amounts()).zip(b.funds.amounts()) {
        field(&format!("funds.{name}"), money(before), money(after));
    }
    let fund_items = |d: &Declaration| -> Vec<Vec<(&'static str, Option<String>)>> {
        d.fund_items.iter().map(|i| vec![("name", text(&i.name)), ("amount", Some(i.amount.to_string()))]).collect()
    };
    rows(
        &mut out,
        "fundItems",
        RowRef::FundItem,
        (old.fund_item_ids, fund_items(a)),
        (new.fund_item_ids, fund_items(b)),
    );
    let indicators = |d: &Declaration| -> Vec<Vec<(&'static str, Option<String>)>> {
        d.indicators
            .iter()
            .map(|i| {
                vec![
                    ("level1", Some(i.level1.code().to_string())),
                    ("level2", Some(i.level2.code().to_string())),
                    ("name", text(&i.name)),
                    ("target", text(i.target.text())),
                    ("note", i.note.clone()),
                ]
            })
            .collect()
    };
    rows(
        &mut out,
        "indicators",
        RowRef::Indicator,
        (old.indicator_ids, indicators(a)),
        (new.indicator_ids, indicators(b)),
    );
    out
}

type Rows<'a> = (&'a [i64], Vec<Vec<(&'static str, Option<String>)>>);

/// Rows matched by id: each removed row once, each kept row field by field (and its position
/// when it moved), each added row once. A removed or added row shows as its fields joined.
fn rows(out: &mut Vec<Change>, list: &str, row: fn(i64) -> RowRef, (old_ids, old): Rows<'_>, (new_ids, new): Rows<'_>) {
    let whole = |fields: &[(&str, Option<String>)]| {
        Some(fields.iter().filter_map(|(_, v)| v.clone()).collect::<Vec<_>>().join(" "))
    };
    let new_at: HashMap<i64, usize> = new_ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let old_at: HashMap<i64, usize> = old_ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    for (i, id) in old_ids.iter().enumerate() {
        let Some(before) = old.get(i) else { continue };
        match new_at.get(id).and_then(|j| new.get(*j).map(|after| (*j, after))) {
            None => out.push(Change { field: list.to_string(), row: Some(row(*id)), old: whole(before), new: None }),
            Some((j, after)) => {
                if i != j {
                    out.push(Change {
                        field: format!("{list}.position"),
                        row: Some(row(*id)),
                        old: Some(i.to_string()),
                        new: Some(j.to_string()),
                    });
                }
                for ((name, x), (_, y)) in before.iter().zip(after) {
                    if x != y {
                        out.push(Change {
                            field: format!("{list}.{name}"),
                            row: Some(row(*id)),
                            old: x.clone(),
                            new: y.clone(),
                        });
                    }
                }
            }
        }
    }
    for (j, id) in new_ids.iter().enumerate() {
        if !old_at.contains_key(id) {
            if let Some(after) = new.get(j) {
                out.push(Change { field: list.to_string(), row: Some(row(*id)), old: None, new: whole(after) });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::testing::clean;
    use crate::funds::FundItem;
    use crate::target_value::TargetValue;

    fn ids(n: usize, from: i64) -> Vec<i64> {
        (0..n as i64).map(|i| from + i).collect()
    }

    #[test]
    fn the_same_declaration_has_no_change() {
        let d = clean();
        let rows = ids(d.indicators.len(), 1);
        let same = Identified { declaration: &d, fund_item_ids: &[], indicator_ids: &rows };
        assert_eq!(changes(same, same), []);
    }

    #[test]
    fn boxes_and_rows_that_changed_with_old_and_new_values() {
        let old = clean();
        let mut new = old.clone();
        new.funds.total = Some(Money::from_fen(16_000_000));
        new.text.sections.plan = "新增夜间调解".into();
        new.indicators[1].target = TargetValue::parse(">=95%").unwrap();
        let moved = new.indicators.remove(0);
        new.indicators.push(moved);
        new.indicators.remove(2);
        new.fund_items.push(FundItem { name: "调解员补贴".into(), amount: Money::from_fen(1_000_000) });
        let old_ids = [1, 2, 3, 4, 5, 6];
        let new_ids = [2, 3, 5, 6, 1];
        let found = changes(
            Identified { declaration: &old, fund_item_ids: &[], indicator_ids: &old_ids },
            Identified { declaration: &new, fund_item_ids: &[77], indicator_ids: &new_ids },
        );
        let row = |c: &Change| match c.row {
            Some(RowRef::Indicator(id)) => format!(" #{id}"),
            Some(RowRef::FundItem(id)) => format!(" item#{id}"),
            None => String::new(),
        };
        let lines: Vec<String> = found
            .iter()
            .map(|c| format!("{}{}: {:?} → {:?}", c.field, row(c), c.old.as_deref(), c.new.as_deref()))
            .collect();
        assert_eq!(
            lines,
            [
                "sections.plan: None → Some(\"新增夜间调解\")",
                "funds.total: Some(\"150000.00\") → Some(\"160000.00\")",
                "fundItems item#77: None → Some(\"调解员补贴 10000.00\")",
                "indicators.position #1: Some(\"0\") → Some(\"4\")",
                "indicators.position #2: Some(\"1\") → Some(\"0\")",
                "indicators.target #2: Some(\">=90%\") → Some(\">=95%\")",
                "indicators.position #3: Some(\"2\") → Some(\"1\")",
                "indicators #4: Some(\"OUTPUT COST 人均调解成本 <=1250元\") → None",
                "indicators.position #5: Some(\"4\") → Some(\"2\")",
                "indicators.position #6: Some(\"5\") → Some(\"3\")",
            ]
        );
    }
}
