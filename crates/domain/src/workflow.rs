//! The review workflow.
//!
//! ```text
//! DRAFT ──submit──▶ SUBMITTED ──approve──▶ APPROVED (frozen: the targets in force)
//!   ▲                 │   │                   │  ▲   ▲
//!   └────withdraw─────┘   └──reject──▶ REJECTED   │   │
//!                                  start adjustment │   │ approve (the new targets in force)
//!                                         ▼         │   │
//!          cancel adjustment ◀── ADJUSTING ──submit──▶ ADJUSTMENT_SUBMITTED
//!          (back to APPROVED,     ▲  (edited)              │
//!           as in force)          └───reject / withdraw────┘
//! ```
//!
//! 谁批复预算，谁批复目标: an approved declaration is not edited; a unit that must change its
//! targets asks for an adjustment (调整), edits while the approved one stays in force, and the
//! approvers approve the adjusted one or send it back.
//!
//! In a department with a department reviewer (部门审核), a declaration goes through
//! DEPARTMENT_REVIEW first: the reviewer forwards it (to SUBMITTED) or sends it back (REJECTED);
//! its unit may withdraw it meanwhile.
//!
//! A project sent back graded 差 (`review_grade`) is NOT_APPROVED: final, no step leads out of it;
//! the unit copies it into a new draft if it wants to try again.

use crate::evaluation::Grade;
use crate::message::Message;
use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "ProjectStatus"))]
pub enum Status {
    /// 草稿: private to its department.
    Draft,
    /// 已提交: waiting for review.
    Submitted,
    /// 已审核通过: frozen; its declaration is the one in force.
    Approved,
    /// 已退回: to be edited and submitted again.
    Rejected,
    // Edited, while its approved declaration stays in force.
    /// 调整中: an approved project being adjusted; the approved declaration stays in force.
    Adjusting,
    /// 调整待审核: an adjustment waiting for the approvers.
    AdjustmentSubmitted,
    // Final: the unit may only copy it into a new draft.
    /// 不予通过: sent back graded 差 (POOR); final, it can only be copied into a new draft.
    NotApproved,
    // In a department that reviews its units' declarations first.
    /// 部门审核中: submitted in a department that reviews first; waiting for its department
    /// reviewer to pass it on to the bureau (SUBMITTED) or send it back (REJECTED).
    DepartmentReview,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "ReviewAction"))]
pub enum ReviewAction {
    Submit,
    Withdraw,
    Approve,
    Reject,
    /// 申请调整 (with the reason)
    StartAdjustment,
    /// 撤销调整: back to the declaration in force
    CancelAdjustment,
    // The department reviewer passes a declaration on to the bureau.
    /// 部门审核通过: passed on by the department's reviewer to the bureau
    Forward,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::Submitted,
        Status::Approved,
        Status::Rejected,
        Status::Adjusting,
        Status::AdjustmentSubmitted,
        Status::NotApproved,
        Status::DepartmentReview,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Status::Draft => "DRAFT",
            Status::Submitted => "SUBMITTED",
            Status::Approved => "APPROVED",
            Status::Rejected => "REJECTED",
            Status::Adjusting => "ADJUSTING",
            Status::AdjustmentSubmitted => "ADJUSTMENT_SUBMITTED",
            Status::NotApproved => "NOT_APPROVED",
            Status::DepartmentReview => "DEPARTMENT_REVIEW",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Status::Draft => "草稿",
            Status::Submitted => "已提交",
            Status::Approved => "已审核通过",
            Status::Rejected => "已退回",
            Status::Adjusting => "调整中",
            Status::AdjustmentSubmitted => "调整待审核",
            Status::NotApproved => "不予通过",
            Status::DepartmentReview => "部门审核中",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the declaration's content may be edited in this status.
    pub const fn is_editable(self) -> bool {
        matches!(self, Status::Draft | Status::Rejected | Status::Adjusting)
    }

    /// Whether the project is waiting for a reviewer (of its department or of the bureau): what
    /// reviewers remark on.
    pub const fn is_under_review(self) -> bool {
        matches!(self, Status::DepartmentReview | Status::Submitted | Status::AdjustmentSubmitted)
    }

    /// Whether the bureau has it before it now (a request or an adjustment submitted): what a
    /// budget decision is taken on.
    pub const fn awaits_the_bureau(self) -> bool {
        matches!(self, Status::Submitted | Status::AdjustmentSubmitted)
    }

    /// Whether it was approved once and ran its year (targets in force, or being adjusted): what
    /// the bureau evaluates.
    pub const fn was_approved(self) -> bool {
        matches!(self, Status::Approved | Status::Adjusting | Status::AdjustmentSubmitted)
    }

    /// Whether it is a request the bureau has or had before it (waiting for its decision, or
    /// approved once): what a year's results report is over.
    pub const fn reached_the_bureau(self) -> bool {
        self.awaits_the_bureau() || self.was_approved()
    }

    /// The codes of every status `pick` chooses, for a query.
    pub fn codes_where(pick: fn(Status) -> bool) -> impl Iterator<Item = &'static str> {
        Status::ALL.into_iter().filter(move |s| pick(*s)).map(Status::code)
    }

    /// Whether the project may be deleted: never once approved (an adjustment is cancelled, not
    /// deleted).
    pub const fn is_deletable(self) -> bool {
        matches!(self, Status::Draft | Status::Rejected)
    }

    /// The status an action leads to from this one, or `None` when the action is not allowed.
    pub const fn after(self, action: ReviewAction) -> Option<Status> {
        match (self, action) {
            (Status::Draft | Status::Rejected, ReviewAction::Submit) => Some(Status::Submitted),
            (Status::Submitted | Status::DepartmentReview, ReviewAction::Withdraw) => Some(Status::Draft),
            (Status::DepartmentReview, ReviewAction::Forward) => Some(Status::Submitted),
            (Status::DepartmentReview, ReviewAction::Reject) => Some(Status::Rejected),
            (Status::Submitted, ReviewAction::Approve) => Some(Status::Approved),
            (Status::Submitted, ReviewAction::Reject) => Some(Status::Rejected),
            (Status::Approved, ReviewAction::StartAdjustment) => Some(Status::Adjusting),
            (Status::Adjusting, ReviewAction::Submit) => Some(Status::AdjustmentSubmitted),
            (Status::Adjusting, ReviewAction::CancelAdjustment) => Some(Status::Approved),
            (Status::AdjustmentSubmitted, ReviewAction::Withdraw | ReviewAction::Reject) => Some(Status::Adjusting),
            (Status::AdjustmentSubmitted, ReviewAction::Approve) => Some(Status::Approved),
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
    pub const ALL: [ReviewAction; 7] = [
        ReviewAction::Submit,
        ReviewAction::Withdraw,
        ReviewAction::Approve,
        ReviewAction::Reject,
        ReviewAction::StartAdjustment,
        ReviewAction::CancelAdjustment,
        ReviewAction::Forward,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            ReviewAction::Submit => "提交",
            ReviewAction::Withdraw => "撤回",
            ReviewAction::Approve => "审核通过",
            ReviewAction::Reject => "退回",
            ReviewAction::StartAdjustment => "申请调整",
            ReviewAction::CancelAdjustment => "撤销调整",
            ReviewAction::Forward => "部门审核通过",
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            ReviewAction::Submit => "SUBMIT",
            ReviewAction::Withdraw => "WITHDRAW",
            ReviewAction::Approve => "APPROVE",
            ReviewAction::Reject => "REJECT",
            ReviewAction::StartAdjustment => "START_ADJUSTMENT",
            ReviewAction::CancelAdjustment => "CANCEL_ADJUSTMENT",
            ReviewAction::Forward => "FORWARD",
        }
    }

    pub fn from_code(code: &str) -> Option<ReviewAction> {
        ReviewAction::ALL.into_iter().find(|a| a.code() == code)
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
            ReviewAction::StartAdjustment => "put into adjustment",
            ReviewAction::CancelAdjustment => "taken out of adjustment",
            ReviewAction::Forward => "passed on to the bureau",
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

/// Where `action` leads from `from`, given what the status alone does not say: whether the
/// project's department reviews its units' declarations first (a declaration submitted there
/// goes to DEPARTMENT_REVIEW; an adjustment goes straight to the bureau, whose targets they
/// are), and the grade of a decision (sent back graded 差, a project is NOT_APPROVED).
pub fn destination(
    from: Status,
    action: ReviewAction,
    department_reviews: bool,
    grade: Option<Grade>,
) -> Result<Status, crate::Problem> {
    let to = next_status(from, action)?;
    Ok(match (action, to) {
        (ReviewAction::Submit, Status::Submitted) if department_reviews => Status::DepartmentReview,
        (ReviewAction::Reject, _) if grade == Some(Grade::Poor) => Status::NotApproved,
        _ => to,
    })
}

pub const MAX_COMMENT: usize = 2_000;

/// A reason is required to send a project back (the submitter must learn what to fix); any
/// comment is bounded.
pub fn check_comment(action: ReviewAction, comment: &str) -> Result<(), crate::Problem> {
    let (field, label) = match action {
        ReviewAction::Reject => ("reason", "退回理由"),
        ReviewAction::StartAdjustment => ("reason", "调整理由"),
        _ => ("comment", "意见"),
    };
    if comment.trim().is_empty() {
        let required = match action {
            ReviewAction::Reject => Some(("退回项目须写明理由", "a reason is required to send a project back")),
            ReviewAction::StartAdjustment => Some((
                "申请调整须写明理由（为什么要改已批复的目标）",
                "a reason is required to adjust approved targets",
            )),
            _ => None,
        };
        if let Some((zh, en)) = required {
            return Err(crate::Problem::new(field, crate::ProblemCode::InvalidInput, Message::new(zh, en)));
        }
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
    use super::Status;
    use super::Status::*;

    #[test]
    fn transitions_follow_the_design() {
        assert_eq!(Draft.after(Submit), Some(Submitted));
        assert_eq!(Rejected.after(Submit), Some(Submitted));
        assert_eq!(Submitted.after(Withdraw), Some(Draft));
        assert_eq!(Submitted.after(Approve), Some(Approved));
        assert_eq!(Submitted.after(Reject), Some(Rejected));
        for action in [Submit, Withdraw, Approve, Reject, CancelAdjustment] {
            assert_eq!(Approved.after(action), None, "approved projects are frozen");
        }
        assert_eq!(Draft.after(Approve), None);
        assert_eq!(Submitted.after(Submit), None);
        assert!(Draft.is_editable() && Rejected.is_editable());
        assert!(!Submitted.is_editable() && !Approved.is_editable());
    }

    #[test]
    fn the_bureau_decides_what_is_before_it_and_evaluates_what_was_approved() {
        let awaiting: Vec<_> = Status::ALL.into_iter().filter(|s| s.awaits_the_bureau()).collect();
        assert_eq!(awaiting, [Submitted, AdjustmentSubmitted]);
        let approved: Vec<_> = Status::ALL.into_iter().filter(|s| s.was_approved()).collect();
        assert_eq!(approved, [Approved, Adjusting, AdjustmentSubmitted]);
        let reached: Vec<_> = Status::ALL.into_iter().filter(|s| s.reached_the_bureau()).collect();
        assert_eq!(reached, [Submitted, Approved, Adjusting, AdjustmentSubmitted]);
        let codes: Vec<_> = Status::codes_where(Status::is_under_review).collect();
        assert_eq!(codes, ["SUBMITTED", "ADJUSTMENT_SUBMITTED", "DEPARTMENT_REVIEW"]);
    }

    #[test]
    fn under_review_means_waiting_for_a_reviewer() {
        for s in [DepartmentReview, Submitted, AdjustmentSubmitted] {
            assert!(s.is_under_review(), "{s:?}");
        }
        for s in [Draft, Rejected, Approved, Adjusting, NotApproved] {
            assert!(!s.is_under_review(), "{s:?}");
        }
    }

    #[test]
    fn a_project_is_sent_back_with_a_reason_named_as_such() {
        let missing = super::check_comment(Reject, "  ").unwrap_err();
        assert_eq!((missing.field.as_str(), missing.message.zh()), ("reason", "退回项目须写明理由"));
        let long = super::check_comment(Reject, &"理".repeat(super::MAX_COMMENT + 1)).unwrap_err();
        assert_eq!(long.field, "reason");
        assert!(super::check_comment(Approve, "").is_ok(), "an approval needs no comment");
    }

    #[test]
    fn the_department_reviews_first_when_it_has_a_reviewer_and_poor_ends_not_approved() {
        use super::destination;
        use crate::evaluation::Grade;
        assert_eq!(destination(Draft, Submit, true, None), Ok(DepartmentReview));
        assert_eq!(destination(Rejected, Submit, true, None), Ok(DepartmentReview));
        assert_eq!(destination(Draft, Submit, false, None), Ok(Submitted));
        assert_eq!(destination(Adjusting, Submit, true, None), Ok(AdjustmentSubmitted), "adjustments go to the bureau");
        assert_eq!(destination(DepartmentReview, Forward, true, None), Ok(Submitted));
        assert_eq!(destination(DepartmentReview, Reject, true, None), Ok(Rejected));
        assert_eq!(destination(DepartmentReview, Withdraw, true, None), Ok(Draft));
        assert!(destination(DepartmentReview, Approve, true, None).is_err(), "the bureau decides once forwarded");
        for from in [Draft, Submitted, Approved, Rejected, Adjusting, AdjustmentSubmitted] {
            assert!(destination(from, Forward, true, None).is_err(), "{from}");
        }
        assert_eq!(destination(Submitted, Reject, false, Some(Grade::Poor)), Ok(NotApproved));
        assert_eq!(destination(Submitted, Reject, false, Some(Grade::Fair)), Ok(Rejected));
        assert_eq!(destination(Submitted, Approve, false, Some(Grade::Good)), Ok(Approved));
        for action in super::ReviewAction::ALL {
            assert!(NotApproved.after(action).is_none(), "NOT_APPROVED is final: {action:?}");
        }
    }

    #[test]
    fn an_adjustment_goes_round_and_ends_approved() {
        assert_eq!(Approved.after(StartAdjustment), Some(Adjusting));
        assert_eq!(Adjusting.after(Submit), Some(AdjustmentSubmitted));
        assert_eq!(AdjustmentSubmitted.after(Reject), Some(Adjusting), "sent back to be adjusted again");
        assert_eq!(AdjustmentSubmitted.after(Withdraw), Some(Adjusting));
        assert_eq!(AdjustmentSubmitted.after(Approve), Some(Approved));
        assert_eq!(Adjusting.after(CancelAdjustment), Some(Approved));
        for from in [Draft, Submitted, Rejected, AdjustmentSubmitted] {
            assert_eq!(from.after(CancelAdjustment), None, "{from}");
        }
        for from in [Draft, Submitted, Rejected, Adjusting, AdjustmentSubmitted] {
            assert_eq!(from.after(StartAdjustment), None, "only an approved project is adjusted: {from}");
        }
        assert_eq!(Adjusting.after(Approve), None, "an adjustment is submitted before it is approved");
        assert!(Adjusting.is_editable() && !AdjustmentSubmitted.is_editable());
        assert!(!Adjusting.is_deletable() && !Approved.is_deletable() && Draft.is_deletable());
        assert!(super::check_comment(StartAdjustment, " ").is_err());
        assert_eq!(super::check_comment(StartAdjustment, "").unwrap_err().field, "reason");
        assert!(super::check_comment(StartAdjustment, "年中政策调整，服务对象增加").is_ok());
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
        assert_eq!(
            statuses,
            [
                "DRAFT 草稿",
                "SUBMITTED 已提交",
                "APPROVED 已审核通过",
                "REJECTED 已退回",
                "ADJUSTING 调整中",
                "ADJUSTMENT_SUBMITTED 调整待审核",
                "NOT_APPROVED 不予通过",
                "DEPARTMENT_REVIEW 部门审核中"
            ]
        );
        for s in super::Status::ALL {
            assert_eq!(super::Status::from_code(s.code()), Some(s));
        }
        assert_eq!(super::Status::from_code("DELETED"), None);
        let actions = super::ReviewAction::ALL;
        let codes: Vec<&str> = actions.iter().map(|a| a.code()).collect();
        assert_eq!(
            codes,
            ["SUBMIT", "WITHDRAW", "APPROVE", "REJECT", "START_ADJUSTMENT", "CANCEL_ADJUSTMENT", "FORWARD"]
        );
        let labels: Vec<&str> = actions.iter().map(|a| a.label()).collect();
        assert_eq!(labels, ["提交", "撤回", "审核通过", "退回", "申请调整", "撤销调整", "部门审核通过"]);
        let past: Vec<&str> = actions.iter().map(|a| a.past_tense()).collect();
        assert_eq!(past[..4], ["submitted", "withdrawn", "approved", "rejected"]);
        for a in actions {
            assert_eq!(super::ReviewAction::from_code(a.code()), Some(a));
        }
        assert_eq!(super::ReviewAction::from_code("DELETE"), None);
    }
}
