//! What a form that lives the reviewed life (a project's declaration, a monitoring report, a
//! self-evaluation, and the forms after them) tells the store's one lifecycle about its statuses
//! and steps. The rules themselves (which step leads where, who may take it) stay with each form's
//! own module (`workflow.rs`, `monitoring.rs`); this is only the vocabulary they share.

use crate::monitoring::{ReportAction, ReportStatus};
use crate::workflow::{ReviewAction, Status};

/// A form's status, as stored (its code) and as visibility reads it (drafts are the unit's own).
pub trait FormStatus: Copy + Eq + Send + Sync + std::fmt::Debug + 'static {
    /// Where every form starts, seen only by its own department.
    const DRAFT: Self;
    fn code(self) -> &'static str;
    fn from_code(code: &str) -> Option<Self>;
    /// What a person reads, e.g. "已退回".
    fn label(self) -> &'static str;
    /// Whether the unit may still change the form.
    fn is_editable(self) -> bool;
}

/// A step of a form's history.
pub trait FormAction: Copy + Eq + Send + Sync + std::fmt::Debug + 'static {
    fn code(self) -> &'static str;
    fn from_code(code: &str) -> Option<Self>;
    /// Whether this step hands the form in (its `submitted_at` is set).
    fn submits(self) -> bool;
}

impl FormStatus for Status {
    const DRAFT: Status = Status::Draft;
    fn code(self) -> &'static str {
        Status::code(self)
    }
    fn from_code(code: &str) -> Option<Status> {
        Status::from_code(code)
    }
    fn label(self) -> &'static str {
        Status::label(self)
    }
    fn is_editable(self) -> bool {
        Status::is_editable(self)
    }
}

impl FormAction for ReviewAction {
    fn code(self) -> &'static str {
        ReviewAction::code(self)
    }
    fn from_code(code: &str) -> Option<ReviewAction> {
        ReviewAction::from_code(code)
    }
    fn submits(self) -> bool {
        self == ReviewAction::Submit
    }
}

impl FormStatus for ReportStatus {
    const DRAFT: ReportStatus = ReportStatus::Draft;
    fn code(self) -> &'static str {
        ReportStatus::code(self)
    }
    fn from_code(code: &str) -> Option<ReportStatus> {
        ReportStatus::from_code(code)
    }
    fn label(self) -> &'static str {
        ReportStatus::label(self)
    }
    fn is_editable(self) -> bool {
        ReportStatus::is_editable(self)
    }
}

impl FormAction for ReportAction {
    fn code(self) -> &'static str {
        ReportAction::code(self)
    }
    fn from_code(code: &str) -> Option<ReportAction> {
        ReportAction::from_code(code)
    }
    fn submits(self) -> bool {
        self == ReportAction::Submit
    }
}
