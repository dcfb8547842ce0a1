//! The reviewer's assistant on the API: each project's findings, their counts, and a
//! department's findings summed by rule.

use async_graphql::parser::types::Field;
use async_graphql::resolver_utils::enum_value;
use async_graphql::{Enum, ID, SimpleObject, Value};

use crate::graphql::plain::{PlainFields, text};
use crate::ids::{Kind, encode};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "FindingSeverity", remote = "jixiao_domain::Severity")]
pub enum FindingSeverity {
    /// Blocks submission.
    Error,
    /// Very likely a fault; does not block.
    Warning,
    /// Worth a look; does not block.
    Info,
}

/// One finding on a declaration.
#[derive(SimpleObject)]
pub struct Finding {
    /// The rule's stable code, e.g. `DUPLICATE_INDICATOR` (all of them: docs/review-rules.md).
    pub code: &'static str,
    pub severity: FindingSeverity,
    /// What is wrong, naming the indicator or field, and what to do: in Chinese, or in English
    /// for `Accept-Language: en`.
    pub message: String,
    /// The input path it concerns, e.g. `indicators[3].target`.
    pub field: String,
    /// The guidance the rule comes from.
    pub basis: &'static str,
    /// The indicator it concerns, when it concerns one row of 绩效指标 of a saved project (the
    /// message says which row, 1-based).
    pub indicator_id: Option<ID>,
    /// The fund item it concerns, likewise.
    pub fund_item_id: Option<ID>,
}

impl Finding {
    /// The finding with the ids of the rows it concerns, given the project's rows in order.
    pub fn on_rows(f: jixiao_domain::Finding, fund_item_ids: &[i64], indicator_ids: &[i64]) -> Finding {
        let indicator_id = f.indicator_row().and_then(|n| indicator_ids.get(n)).map(|id| encode(Kind::Indicator, *id));
        let fund_item_id = f.fund_item_row().and_then(|n| fund_item_ids.get(n)).map(|id| encode(Kind::FundItem, *id));
        Finding { indicator_id, fund_item_id, ..f.into() }
    }
}

/// A form's findings are many (55 in the 60-indicator form `checkDeclaration` is measured
/// with), so they are answered in one pass like the form's rows (`plain.rs`).
impl PlainFields for Finding {
    fn plain_field(&self, field: &Field) -> Option<Value> {
        let id = |id: &Option<ID>| id.as_ref().map_or(Value::Null, |id| Value::String(id.0.clone()));
        Some(match field.name.node.as_str() {
            "code" => text(self.code),
            "severity" => enum_value(self.severity),
            "message" => text(&self.message),
            "field" => text(&self.field),
            "basis" => text(self.basis),
            "indicatorId" => id(&self.indicator_id),
            "fundItemId" => id(&self.fund_item_id),
            _ => return None,
        })
    }
}

/// A finding on a form that is not saved: its rows have no ids yet.
impl From<jixiao_domain::Finding> for Finding {
    fn from(f: jixiao_domain::Finding) -> Finding {
        Finding {
            code: f.code.code(),
            severity: f.severity().into(),
            basis: f.code.basis(),
            message: crate::lang::read(&f.message),
            field: f.field,
            indicator_id: None,
            fund_item_id: None,
        }
    }
}

#[derive(SimpleObject)]
pub struct FindingCounts {
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
}

impl From<jixiao_domain::FindingCounts> for FindingCounts {
    fn from(c: jixiao_domain::FindingCounts) -> FindingCounts {
        FindingCounts { errors: c.errors, warnings: c.warnings, infos: c.infos }
    }
}

/// How often one rule fired across a department's (or every visible) project of a year.
#[derive(SimpleObject)]
pub struct FindingTotal {
    pub code: &'static str,
    pub severity: FindingSeverity,
    /// What the rule checks.
    pub summary: &'static str,
    pub basis: &'static str,
    pub finding_count: i64,
    pub project_count: i64,
}

impl From<jixiao_store::FindingTotal> for FindingTotal {
    fn from(t: jixiao_store::FindingTotal) -> FindingTotal {
        FindingTotal {
            code: t.code.code(),
            severity: t.code.severity().into(),
            summary: t.code.summary(),
            basis: t.code.basis(),
            finding_count: t.findings,
            project_count: t.projects,
        }
    }
}
