//! The reviewer's assistant on the API: each project's findings, their counts, and a
//! department's findings summed by rule.

use async_graphql::{Enum, SimpleObject};

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
}

impl From<jixiao_domain::Finding> for Finding {
    fn from(f: jixiao_domain::Finding) -> Finding {
        Finding {
            code: f.code.code(),
            severity: f.severity().into(),
            basis: f.code.basis(),
            message: crate::lang::read(&f.message),
            field: f.field,
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
