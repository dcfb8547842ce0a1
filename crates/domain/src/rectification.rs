//! 整改事项 as a form of the reviewed-form lifecycle: the department answers an item (its measure
//! and due date, again while it is not closed), the bureau closes it or reopens it with a reason.
//! Every step is kept in the item's history, as every form's is.

use crate::catalog::coded_enum;
use crate::lifecycle::{FormAction, FormStatus};
use crate::permissions::auditor_reads_only;
use crate::results::{RectificationStatus, check_item_text};
use crate::{Actor, Decision, Message, Problem, Role};

// A step of a rectification item, as its history records it.
coded_enum!(
    RectificationAction as "RectificationAction" {
        /// 答复: the department's measure and due date.
        Answer => ("ANSWER", "答复"),
        /// 办结: the bureau closes an answered item.
        Close => ("CLOSE", "办结"),
        /// 重新打开: the bureau reopens a closed item, with the reason.
        Reopen => ("REOPEN", "重新打开"),
    }
);

impl RectificationAction {
    /// English for the refusal "a … item cannot be …".
    pub const fn past_tense(self) -> &'static str {
        match self {
            RectificationAction::Answer => "answered",
            RectificationAction::Close => "closed",
            RectificationAction::Reopen => "reopened",
        }
    }
}

impl RectificationStatus {
    /// Whether the department may still answer it.
    pub const fn is_answerable(self) -> bool {
        matches!(self, RectificationStatus::Open | RectificationStatus::Answered)
    }

    /// The status `action` leads to, or `None` when it is not allowed from this one.
    pub const fn after(self, action: RectificationAction) -> Option<RectificationStatus> {
        match (self, action) {
            (RectificationStatus::Open | RectificationStatus::Answered, RectificationAction::Answer) => {
                Some(RectificationStatus::Answered)
            }
            (RectificationStatus::Answered, RectificationAction::Close) => Some(RectificationStatus::Closed),
            (RectificationStatus::Closed, RectificationAction::Reopen) => Some(RectificationStatus::Open),
            _ => None,
        }
    }
}

/// A step's comment: the reason a closed item is reopened (required, bounded), nothing for the
/// other steps (an answer's words are its measure).
pub fn check_step_comment(action: RectificationAction, comment: &str) -> Result<(), Problem> {
    match action {
        RectificationAction::Reopen => check_item_text("reason", comment).map(|_| ()),
        RectificationAction::Answer | RectificationAction::Close => Ok(()),
    }
}

impl Actor {
    /// May this actor take `action` on a rectification item of `department_id`? Items are
    /// followed as a department's year is ([`Actor::follows_department`]); the department's
    /// submitters answer them, approvers close and reopen them.
    pub fn decide_rectification(&self, action: RectificationAction, department_id: i64) -> Decision {
        if !self.follows_department(department_id) {
            return Decision::NotFound;
        }
        let allowed = match (self.role, action) {
            (Role::Submitter, RectificationAction::Answer) => true,
            (Role::Approver, RectificationAction::Close | RectificationAction::Reopen) => true,
            _ => false,
        };
        if allowed {
            return Decision::Allow;
        }
        match (self.role, action) {
            (Role::SecurityAuditor, _) => Decision::Forbidden(auditor_reads_only()),
            (_, RectificationAction::Answer) => Decision::Forbidden(Message::new(
                "整改措施由项目所在部门的申报人员填写",
                "the project's department's submitters answer its rectification items",
            )),
            (_, RectificationAction::Close | RectificationAction::Reopen) => Decision::Forbidden(Message::new(
                "整改事项由审核人员办结或重新打开",
                "approvers close and reopen rectification items",
            )),
        }
    }
}

impl FormStatus for RectificationStatus {
    /// Where every item starts. Unlike a declaration's draft it is not hidden from the bureau:
    /// items are read as their department's year is, never through the lifecycle's visibility.
    const DRAFT: RectificationStatus = RectificationStatus::Open;
    fn code(self) -> &'static str {
        RectificationStatus::code(self)
    }
    fn from_code(code: &str) -> Option<RectificationStatus> {
        RectificationStatus::from_code(code)
    }
    fn label(self) -> &'static str {
        RectificationStatus::label(self)
    }
    fn is_editable(self) -> bool {
        self.is_answerable()
    }
}

impl FormAction for RectificationAction {
    fn code(self) -> &'static str {
        RectificationAction::code(self)
    }
    fn from_code(code: &str) -> Option<RectificationAction> {
        RectificationAction::from_code(code)
    }
    fn submits(self) -> bool {
        self == RectificationAction::Answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RectificationAction::*;
    use RectificationStatus::*;

    #[test]
    fn an_item_is_answered_until_the_bureau_closes_it_and_reopened_with_a_reason() {
        assert_eq!(Open.after(Answer), Some(Answered));
        assert_eq!(Answered.after(Answer), Some(Answered), "answered again while not closed");
        assert_eq!(Answered.after(Close), Some(Closed));
        assert_eq!(Closed.after(Reopen), Some(Open));
        for (status, action) in [(Open, Close), (Open, Reopen), (Answered, Reopen), (Closed, Answer), (Closed, Close)] {
            assert_eq!(status.after(action), None, "{status:?} {action:?}");
        }
        assert!(check_step_comment(Reopen, "  ").is_err(), "a reopening needs its reason");
        assert!(check_step_comment(Reopen, "措施未落实").is_ok());
        assert!(check_step_comment(Close, "").is_ok());
        assert_eq!(RectificationAction::ALL.iter().filter(|a| a.submits()).collect::<Vec<_>>(), [&Answer]);
        for action in RectificationAction::ALL {
            assert_eq!(RectificationAction::from_code(action.code()), Some(*action));
        }
        assert_eq!([Answer.label(), Close.label(), Reopen.label()], ["答复", "办结", "重新打开"]);
    }

    #[test]
    fn the_department_answers_and_the_bureau_closes_and_reopens() {
        const OWN: i64 = 1;
        for role in Role::ALL {
            let actor = Actor { user_id: 9, role, department_id: role.needs_department().then_some(OWN) };
            for action in RectificationAction::ALL {
                let decided = actor.decide_rectification(*action, OWN);
                let allowed = matches!((role, action), (Role::Submitter, Answer) | (Role::Approver, Close | Reopen));
                assert_eq!(decided == Decision::Allow, allowed, "{role:?} {action:?}: {decided:?}");
                if !allowed && role != Role::SecurityAuditor {
                    assert!(matches!(decided, Decision::Forbidden(_)), "{role:?} {action:?}");
                }
            }
            let other = actor.decide_rectification(Answer, OWN + 1);
            match role {
                Role::Submitter | Role::DepartmentReviewer | Role::SecurityAuditor => {
                    assert_eq!(other, Decision::NotFound, "{role:?}: another department's item")
                }
                Role::Approver | Role::Admin => assert!(matches!(other, Decision::Forbidden(_)), "{role:?}"),
            }
        }
    }

    /// The English refusal reads "a CLOSED item cannot be answered": each step in its own words.
    #[test]
    fn each_step_is_named_in_the_past_tense() {
        let words: Vec<&str> = RectificationAction::ALL.iter().map(|a| a.past_tense()).collect();
        assert_eq!(words, ["answered", "closed", "reopened"]);
    }
}
