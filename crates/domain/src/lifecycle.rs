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

#[cfg(test)]
mod tests {
    use super::*;

    fn chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// What the store's lifecycle reads through the traits is each form's own vocabulary: the same
    /// codes (which round trip), the same labels, the same editable statuses, and only the submit
    /// step hands a form in.
    #[test]
    fn each_form_speaks_its_own_words_through_the_lifecycle() {
        fn statuses<S: FormStatus>(all: &[S], editable: &[S], inherent: impl Fn(S) -> (&'static str, &'static str)) {
            assert!(S::DRAFT.is_editable());
            for &s in all {
                let (code, label) = inherent(s);
                assert_eq!((FormStatus::code(s), FormStatus::label(s)), (code, label));
                assert_eq!(<S as FormStatus>::from_code(code), Some(s), "{code}");
                assert!(chinese(label), "{label}");
                assert_eq!(s.is_editable(), editable.contains(&s), "{code}");
            }
            assert_eq!(<S as FormStatus>::from_code("NO_SUCH_STATUS"), None);
        }
        fn actions<A: FormAction>(all: &[A], submit: A, inherent: impl Fn(A) -> &'static str) {
            for &a in all {
                assert_eq!(FormAction::code(a), inherent(a));
                assert_eq!(<A as FormAction>::from_code(inherent(a)), Some(a));
                assert_eq!(a.submits(), a == submit, "{}", inherent(a));
            }
            assert_eq!(<A as FormAction>::from_code("NO_SUCH_STEP"), None);
        }
        statuses(&Status::ALL, &[Status::Draft, Status::Rejected, Status::Adjusting], |s| (s.code(), s.label()));
        statuses(ReportStatus::ALL, &[ReportStatus::Draft, ReportStatus::Returned], |s| (s.code(), s.label()));
        actions(&ReviewAction::ALL, ReviewAction::Submit, ReviewAction::code);
        actions(ReportAction::ALL, ReportAction::Submit, ReportAction::code);
        use crate::rectification::RectificationAction;
        use crate::results::RectificationStatus;
        let answerable = [RectificationStatus::Open, RectificationStatus::Answered];
        statuses(&RectificationStatus::ALL, &answerable, |s| (s.code(), s.label()));
        actions(RectificationAction::ALL, RectificationAction::Answer, RectificationAction::code);
        assert_eq!(FormStatus::code(Status::Submitted), "SUBMITTED");
        assert_eq!(FormStatus::code(ReportStatus::Returned), "RETURNED");
        assert_eq!(FormAction::code(ReportAction::Accept), "ACCEPT");
    }
}
