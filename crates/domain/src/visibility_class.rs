//! Callers who may see exactly the same things: the key under which the service keeps a read's
//! answer between requests (the gateway's kept answers), so that one answer serves every
//! approver, and every submitter of a department, not each person apart.
//!
//! What a caller may see is decided in `permissions.rs` by their role and their department
//! alone: project visibility, the rules of reports, the audit trail, the library, the to-do
//! kinds. Two things there name the person, and an answer that used either is not shared: the
//! users rule (a caller always sees themselves) and an approver's assigned departments (对口科室,
//! asked for by `assignedToMe` and on the to-do screen). The store marks a read that used either
//! (`Scope::answer_not_for_class`), and the gateway keeps no such answer.

use crate::permissions::{Actor, Role};

/// Role and department: everything but the person that decides what a caller may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VisibilityClass {
    pub role: Role,
    pub department_id: Option<i64>,
}

impl Actor {
    /// The callers who see what this one sees, whoever they are.
    pub const fn visibility_class(&self) -> VisibilityClass {
        VisibilityClass { role: self.role, department_id: self.department_id }
    }
}

impl VisibilityClass {
    /// The class as bytes, for a key: the role's code and the department's id.
    pub fn key(&self) -> String {
        match self.department_id {
            Some(d) => format!("{}:{d}", self.role.code()),
            None => self.role.code().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::ReportStatus;
    use crate::permissions::{ProjectOp, ReportOp, UserVisibility};
    use crate::workflow::{ReviewAction, Status};

    fn actors() -> Vec<Actor> {
        let mut all = Vec::new();
        for role in Role::ALL {
            for department_id in [None, Some(1), Some(2)] {
                for user_id in [7, 8] {
                    all.push(Actor { user_id, role, department_id });
                }
            }
        }
        all
    }

    /// Two callers of one class are told the same by every rule that does not name the person:
    /// what they may see and do to any project or report, in any department and status.
    #[test]
    fn one_class_sees_and_may_do_the_same() {
        let all = actors();
        for a in &all {
            for b in all.iter().filter(|b| b.visibility_class() == a.visibility_class()) {
                assert_eq!(a.project_visibility(), b.project_visibility());
                assert_eq!(a.follows_every_department(), b.follows_every_department());
                assert_eq!(a.may_read_audit_log(), b.may_read_audit_log());
                for department in [1, 2, 3] {
                    assert_eq!(a.follows_department(department), b.follows_department(department));
                    for status in Status::ALL {
                        assert_eq!(a.can_see(department, status), b.can_see(department, status));
                        for op in [ProjectOp::Edit, ProjectOp::Delete, ProjectOp::Remark]
                            .into_iter()
                            .chain(ReviewAction::ALL.map(ProjectOp::Step))
                        {
                            assert_eq!(a.decide(op, department, status), b.decide(op, department, status));
                        }
                    }
                    for &status in ReportStatus::ALL {
                        for op in [ReportOp::Fill, ReportOp::Submit, ReportOp::Accept, ReportOp::Return] {
                            assert_eq!(
                                a.decide_report(op, department, status),
                                b.decide_report(op, department, status)
                            );
                        }
                    }
                }
            }
        }
    }

    /// The users rule names the person: that is why a read of users marks its answer as the
    /// caller's own (and why the class alone is not enough there).
    #[test]
    fn the_users_rule_names_the_person_and_the_class_does_not() {
        let a = Actor { user_id: 7, role: Role::Approver, department_id: None };
        let b = Actor { user_id: 8, ..a };
        assert_eq!(a.visibility_class(), b.visibility_class());
        assert_eq!(a.user_visibility(), UserVisibility::SelfAndActorsOnVisibleProjects(7));
        assert_ne!(a.user_visibility(), b.user_visibility());
        let other_department = Actor { department_id: Some(2), ..a };
        assert_ne!(a.visibility_class(), other_department.visibility_class());
        assert_ne!(a.visibility_class().key(), other_department.visibility_class().key());
        let submitter = Actor { role: Role::Submitter, ..a };
        assert_ne!(a.visibility_class().key(), submitter.visibility_class().key());
    }
}
