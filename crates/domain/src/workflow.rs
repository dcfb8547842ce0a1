//! The review workflow.
//!
//! ```text
//! DRAFT ──submit──▶ SUBMITTED ──approve──▶ APPROVED (locked)
//!   ▲                 │   │
//!   └────withdraw─────┘   └──reject──▶ REJECTED ──(edit)── submit ──▶ SUBMITTED
//! ```

use crate::message::Message;
use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Draft,
    Submitted,
    Approved,
    Rejected,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewAction {
    Submit,
    Withdraw,
    Approve,
    Reject,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Draft, Status::Submitted, Status::Approved, Status::Rejected];

    pub const fn code(self) -> &'static str {
        match self {
            Status::Draft => "DRAFT",
            Status::Submitted => "SUBMITTED",
            Status::Approved => "APPROVED",
            Status::Rejected => "REJECTED",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Status::Draft => "草稿",
            Status::Submitted => "已提交",
            Status::Approved => "已审核通过",
            Status::Rejected => "已退回",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the declaration's content may be edited (or the project deleted) in this status.
    pub const fn is_editable(self) -> bool {
        matches!(self, Status::Draft | Status::Rejected)
    }

    /// The status an action leads to from this one, or `None` when the action is not allowed.
    pub const fn after(self, action: ReviewAction) -> Option<Status> {
        match (self, action) {
            (Status::Draft | Status::Rejected, ReviewAction::Submit) => Some(Status::Submitted),
            (Status::Submitted, ReviewAction::Withdraw) => Some(Status::Draft),
            (Status::Submitted, ReviewAction::Approve) => Some(Status::Approved),
            (Status::Submitted, ReviewAction::Reject) => Some(Status::Rejected),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl ReviewAction {
    pub const fn label(self) -> &'static str {
        match self {
            ReviewAction::Submit => "提交",
            ReviewAction::Withdraw => "撤回",
            ReviewAction::Approve => "审核通过",
            ReviewAction::Reject => "退回",
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            ReviewAction::Submit => "SUBMIT",
            ReviewAction::Withdraw => "WITHDRAW",
            ReviewAction::Approve => "APPROVE",
            ReviewAction::Reject => "REJECT",
        }
    }

    pub fn from_code(code: &str) -> Option<ReviewAction> {
        [ReviewAction::Submit, ReviewAction::Withdraw, ReviewAction::Approve, ReviewAction::Reject]
            .into_iter()
            .find(|a| a.code() == code)
    }
}

impl ReviewAction {
    /// How the action reads after the fact, for English messages ("cannot be approved").
    pub const fn past_tense(self) -> &'static str {
        match self {
            ReviewAction::Submit => "submitted",
            ReviewAction::Withdraw => "withdrawn",
            ReviewAction::Approve => "approved",
            ReviewAction::Reject => "rejected",
        }
    }
}

/// The status `action` leads to from `from`, or the INVALID_TRANSITION problem that says why not.
pub fn next_status(from: Status, action: ReviewAction) -> Result<Status, crate::Problem> {
    from.after(action).ok_or_else(|| {
        crate::Problem::new(
            "id",
            crate::ProblemCode::InvalidTransition,
            Message::new(
                format!("{}状态的项目不能{}", from.label(), action.label()),
                format!("a {} project cannot be {}", from.code(), action.past_tense()),
            ),
        )
    })
}

pub const MAX_COMMENT: usize = 2_000;

/// A reason is required to send a project back (the submitter must learn what to fix); any
/// comment is bounded.
pub fn check_comment(action: ReviewAction, comment: &str) -> Result<(), crate::Problem> {
    let (field, label) =
        if action == ReviewAction::Reject { ("reason", "退回理由") } else { ("comment", "意见") };
    if action == ReviewAction::Reject && comment.trim().is_empty() {
        return Err(crate::Problem::new(
            field,
            crate::ProblemCode::InvalidInput,
            Message::new("退回项目须写明理由", "a reason is required to send a project back"),
        ));
    }
    if comment.contains('\0') {
        return Err(crate::Problem::new(
            field,
            crate::ProblemCode::InvalidInput,
            Message::new(
                format!("{label}含有空字符（\\u0000），请删除"),
                format!("the {field} contains a NUL character (\\u0000): remove it"),
            ),
        ));
    }
    let chars = comment.chars().count();
    if chars > MAX_COMMENT {
        return Err(crate::Problem::new(
            field,
            crate::ProblemCode::InvalidInput,
            Message::new(
                format!("{label}共 {chars} 个字，最多 {MAX_COMMENT} 个字"),
                format!("the {field} is {chars} characters long; at most {MAX_COMMENT} are allowed"),
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ReviewAction::*;
    use super::Status::*;

    #[test]
    fn transitions_follow_the_design() {
        assert_eq!(Draft.after(Submit), Some(Submitted));
        assert_eq!(Rejected.after(Submit), Some(Submitted));
        assert_eq!(Submitted.after(Withdraw), Some(Draft));
        assert_eq!(Submitted.after(Approve), Some(Approved));
        assert_eq!(Submitted.after(Reject), Some(Rejected));
        for action in [Submit, Withdraw, Approve, Reject] {
            assert_eq!(Approved.after(action), None, "approved projects are locked");
        }
        assert_eq!(Draft.after(Approve), None);
        assert_eq!(Submitted.after(Submit), None);
        assert!(Draft.is_editable() && Rejected.is_editable());
        assert!(!Submitted.is_editable() && !Approved.is_editable());
    }

    #[test]
    fn a_refused_step_says_what_cannot_happen_to_what() {
        assert_eq!(super::next_status(Submitted, Approve), Ok(Approved));
        let refused = super::next_status(Approved, Withdraw).unwrap_err();
        assert_eq!((refused.field.as_str(), refused.code), ("id", crate::ProblemCode::InvalidTransition));
        assert_eq!(refused.message.zh(), "已审核通过状态的项目不能撤回");
        assert_eq!(refused.message.en(), "a APPROVED project cannot be withdrawn");
    }

    #[test]
    fn rejecting_needs_a_reason() {
        assert!(super::check_comment(Reject, "  ").is_err());
        assert!(super::check_comment(Reject, "资金明细不全").is_ok());
        assert!(super::check_comment(Approve, "").is_ok());
        assert_eq!(super::check_comment(Approve, "好\0").unwrap_err().field, "comment");
        assert!(super::check_comment(Approve, &"长".repeat(super::MAX_COMMENT + 1)).is_err());
        assert!(super::check_comment(Approve, &"长".repeat(super::MAX_COMMENT)).is_ok(), "the limit itself is allowed");
    }

    #[test]
    fn codes_and_labels_round_trip() {
        let statuses: Vec<String> = super::Status::ALL.iter().map(|s| format!("{s} {}", s.label())).collect();
        assert_eq!(statuses, ["DRAFT 草稿", "SUBMITTED 已提交", "APPROVED 已审核通过", "REJECTED 已退回"]);
        for s in super::Status::ALL {
            assert_eq!(super::Status::from_code(s.code()), Some(s));
        }
        assert_eq!(super::Status::from_code("DELETED"), None);
        let actions = [Submit, Withdraw, Approve, Reject];
        let codes: Vec<&str> = actions.iter().map(|a| a.code()).collect();
        assert_eq!(codes, ["SUBMIT", "WITHDRAW", "APPROVE", "REJECT"]);
        let labels: Vec<&str> = actions.iter().map(|a| a.label()).collect();
        assert_eq!(labels, ["提交", "撤回", "审核通过", "退回"]);
        let past: Vec<&str> = actions.iter().map(|a| a.past_tense()).collect();
        assert_eq!(past, ["submitted", "withdrawn", "approved", "rejected"]);
        for a in actions {
            assert_eq!(super::ReviewAction::from_code(a.code()), Some(a));
        }
        assert_eq!(super::ReviewAction::from_code("DELETE"), None);
    }
}
