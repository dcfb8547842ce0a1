//! Who may see and do what: the one place where authorization is decided.
//!
//! - SUBMITTER: their own department's projects, drafts included; create, edit and delete DRAFT
//!   or REJECTED ones; submit; withdraw a SUBMITTED one before review; adjust an APPROVED one
//!   (start, edit, submit, cancel the adjustment). Never approve or reject.
//! - APPROVER: every department's SUBMITTED, APPROVED and REJECTED projects (never drafts);
//!   approve or reject SUBMITTED ones; never edit content.
//! - DEPARTMENT_REVIEWER (部门审核): one department's projects except drafts; forwards its
//!   DEPARTMENT_REVIEW declarations to the bureau or sends them back; never edits or approves.
//!   An approver may not decide a project while its department reviews it.
//! - ADMIN: departments, budget units and users; reads every project, edits and reviews none.
//!
//! A project an actor may not see is NOT_FOUND for them (its existence is not revealed); an
//! action they may not take on a project they can see is FORBIDDEN. The store applies
//! [`ProjectVisibility`] to every query, so lists, counts and look-ups by id obey the same rule.

use crate::message::Message;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::monitoring::{ReportAction, ReportStatus};
use crate::workflow::{ReviewAction, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "Role"))]
pub enum Role {
    Submitter,
    Approver,
    Admin,
    /// 部门审核人: reviews one department's declarations before they reach the bureau.
    DepartmentReviewer,
    // No project, no department, no user but themselves, so that who checks the admins is not
    // an admin (三员分立).
    /// 安全审计员: reads the audit trail (`auditLog`) and nothing else.
    SecurityAuditor,
}

impl Role {
    pub const ALL: [Role; 5] =
        [Role::Submitter, Role::Approver, Role::Admin, Role::DepartmentReviewer, Role::SecurityAuditor];

    pub const fn code(self) -> &'static str {
        match self {
            Role::Submitter => "SUBMITTER",
            Role::Approver => "APPROVER",
            Role::Admin => "ADMIN",
            Role::DepartmentReviewer => "DEPARTMENT_REVIEWER",
            Role::SecurityAuditor => "SECURITY_AUDITOR",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Role::Submitter => "填报人",
            Role::Approver => "审核人",
            Role::Admin => "管理员",
            Role::DepartmentReviewer => "部门审核人",
            Role::SecurityAuditor => "安全审计员",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code().eq_ignore_ascii_case(code))
    }

    /// Submitters and department reviewers work inside a department; the other roles must not
    /// be tied to one.
    pub const fn needs_department(self) -> bool {
        matches!(self, Role::Submitter | Role::DepartmentReviewer)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a security auditor is refused anything but the audit trail.
pub fn auditor_reads_only() -> Message {
    Message::new(
        "安全审计员只能查阅审计日志（auditLog）",
        "security auditors read the audit trail (auditLog) and nothing else",
    )
}

/// The authenticated user on whose behalf a request runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub department_id: Option<i64>,
}

/// The slice of the projects an actor may see; the store turns it into a SQL condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectVisibility {
    Everything,
    /// Every project of one department, drafts included.
    Department(i64),
    /// Every department's projects except drafts.
    AllButDrafts,
    /// One department's projects except drafts.
    DepartmentButDrafts(i64),
}

/// Something done to a project that exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectOp {
    Edit,
    Delete,
    /// A step of its review (the workflow's question whether its status allows it is separate).
    Step(ReviewAction),
    /// A remark on a line of the form, by whoever may decide the project now.
    Remark,
}

/// Something done to a monitoring report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportOp {
    Fill,
    Submit,
    Accept,
    Return,
}

impl From<ReportAction> for ReportOp {
    fn from(action: ReportAction) -> ReportOp {
        match action {
            ReportAction::Submit => ReportOp::Submit,
            ReportAction::Accept => ReportOp::Accept,
            ReportAction::Return => ReportOp::Return,
        }
    }
}

/// The users an actor may see: admins every user (they manage them); everyone else themselves,
/// and whoever acted on a project they may see (a review names its actor: the approver who sent
/// it back, the submitter who submitted it), but not the directory of users.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserVisibility {
    Everyone,
    /// The actor's own user id.
    SelfAndActorsOnVisibleProjects(i64),
}

impl From<ReviewAction> for ProjectOp {
    fn from(action: ReviewAction) -> ProjectOp {
        ProjectOp::Step(action)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// The actor can see the project but may not do this; the message says why.
    Forbidden(Message),
    /// The actor may not know the project exists.
    NotFound,
}

impl Decision {
    pub const fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow)
    }
}

impl Actor {
    pub fn project_visibility(&self) -> ProjectVisibility {
        match (self.role, self.department_id) {
            (Role::Admin, _) => ProjectVisibility::Everything,
            (Role::Approver, _) => ProjectVisibility::AllButDrafts,
            (Role::Submitter, Some(dept)) => ProjectVisibility::Department(dept),
            // A submitter without a department is refused at creation; should one exist, it
            // sees nothing rather than everything.
            (Role::Submitter, None) => ProjectVisibility::Department(-1),
            (Role::DepartmentReviewer, dept) => ProjectVisibility::DepartmentButDrafts(dept.unwrap_or(-1)),
            // No department has the id -1: an auditor sees no project.
            (Role::SecurityAuditor, _) => ProjectVisibility::Department(-1),
        }
    }

    /// Whether the actor follows a department's year as a whole (its issuing and publication,
    /// its results applied): the bureau (approvers, admins) every department's, a department's
    /// own users their own, security auditors none.
    pub fn follows_department(&self, department_id: i64) -> bool {
        self.follows_every_department()
            || (matches!(self.role, Role::Submitter | Role::DepartmentReviewer)
                && self.department_id == Some(department_id))
    }

    /// The bureau (approvers, admins): every department's year is theirs to follow.
    pub const fn follows_every_department(&self) -> bool {
        matches!(self.role, Role::Approver | Role::Admin)
    }

    /// Who may read the audit trail: admins and security auditors.
    pub const fn may_read_audit_log(&self) -> bool {
        matches!(self.role, Role::Admin | Role::SecurityAuditor)
    }

    /// Whether this actor reads the audit trail and nothing else.
    pub const fn reads_only_the_audit_log(&self) -> bool {
        matches!(self.role, Role::SecurityAuditor)
    }

    /// Whether this actor may disable the user `user_id`: not their own account (with no other
    /// admin, nobody could enable it again), a problem the admin fixes by asking another.
    pub fn check_may_disable(&self, user_id: i64) -> Result<(), crate::Problem> {
        if user_id == self.user_id {
            return Err(crate::Problem::new(
                "id",
                crate::ProblemCode::InvalidInput,
                Message::new(
                    "不能停用自己的账号：请另一位管理员操作。",
                    "you cannot disable your own account: ask another admin",
                ),
            ));
        }
        Ok(())
    }

    /// Which users this actor may see (`node(id)` on a user, a review's actor).
    pub fn user_visibility(&self) -> UserVisibility {
        match self.role {
            Role::Admin => UserVisibility::Everyone,
            Role::Submitter | Role::Approver | Role::DepartmentReviewer | Role::SecurityAuditor => {
                UserVisibility::SelfAndActorsOnVisibleProjects(self.user_id)
            }
        }
    }

    pub fn can_see(&self, department_id: i64, status: Status) -> bool {
        match self.project_visibility() {
            ProjectVisibility::Everything => true,
            ProjectVisibility::Department(d) => d == department_id,
            ProjectVisibility::AllButDrafts => status != Status::Draft,
            ProjectVisibility::DepartmentButDrafts(d) => d == department_id && status != Status::Draft,
        }
    }

    /// May this actor do `op` to a project of `department_id` that is now in `status`? Whether
    /// the status allows the op is the workflow's question, answered separately.
    pub fn decide(&self, op: ProjectOp, department_id: i64, status: Status) -> Decision {
        if !self.can_see(department_id, status) {
            return Decision::NotFound;
        }
        use ReviewAction as R;
        let allowed = match self.role {
            Role::Submitter => matches!(
                op,
                ProjectOp::Edit
                    | ProjectOp::Delete
                    | ProjectOp::Step(R::Submit | R::Withdraw | R::StartAdjustment | R::CancelAdjustment)
            ),
            Role::Approver if status == Status::DepartmentReview => {
                return Decision::Forbidden(Message::new(
                    "项目正在部门审核中：部门审核通过后由财政审核",
                    "the project is being reviewed by its department; the bureau decides once it is passed on",
                ));
            }
            Role::Approver => matches!(op, ProjectOp::Step(R::Approve | R::Reject) | ProjectOp::Remark),
            Role::DepartmentReviewer => {
                op == ProjectOp::Step(R::Forward)
                    || (matches!(op, ProjectOp::Step(R::Reject) | ProjectOp::Remark)
                        && status == Status::DepartmentReview)
            }
            Role::Admin | Role::SecurityAuditor => false,
        };
        if allowed {
            Decision::Allow
        } else {
            Decision::Forbidden(match self.role {
                Role::Submitter => {
                    Message::new("申报人员不能审核或退回项目", "submitters cannot approve or reject projects")
                }
                Role::DepartmentReviewer => Message::new(
                    "部门审核人员只把本部门部门审核中的项目报送财政或退回，不能编辑、提交或审批项目",
                    "department reviewers pass their department's declarations on to the bureau or send them back; they cannot edit, submit or approve projects",
                ),
                Role::Approver => Message::new(
                    "审核人员负责审核项目，不能编辑、删除、提交、撤回或调整项目",
                    "approvers review projects; they cannot edit, delete, submit, withdraw or adjust them",
                ),
                Role::Admin => Message::new(
                    "管理员管理部门、预算单位和用户，不能编辑或审核项目",
                    "admins manage departments, units and users; they cannot edit or review projects",
                ),
                Role::SecurityAuditor => auditor_reads_only(),
            })
        }
    }

    /// May this actor declare a new project for the department of its implementing unit?
    /// `None` when that unit does not exist: only a submitter learns so (as an input error).
    pub fn may_create_project_in(&self, department_id: Option<i64>) -> Decision {
        match self.role {
            Role::Submitter if department_id.is_none() || self.department_id == department_id => Decision::Allow,
            Role::Submitter => Decision::Forbidden(Message::new(
                "申报人员只能为本部门申报项目",
                "submitters declare projects only for their own department",
            )),
            _ => Decision::Forbidden(Message::new("只有申报人员可以申报项目", "only submitters declare projects")),
        }
    }

    /// Monitoring reports are seen as projects are: admins all, a submitter their department's,
    /// an approver every department's once submitted (a report being filled is the unit's).
    pub fn can_see_report(&self, department_id: i64, status: ReportStatus) -> bool {
        match self.project_visibility() {
            ProjectVisibility::Everything => true,
            ProjectVisibility::Department(d) => d == department_id,
            ProjectVisibility::AllButDrafts => status != ReportStatus::Draft,
            ProjectVisibility::DepartmentButDrafts(d) => d == department_id && status != ReportStatus::Draft,
        }
    }

    /// May this actor do `op` to a monitoring report of `department_id` now in `status`? The
    /// unit fills and submits its reports; approvers accept or return them.
    pub fn decide_report(&self, op: ReportOp, department_id: i64, status: ReportStatus) -> Decision {
        if !self.can_see_report(department_id, status) {
            return Decision::NotFound;
        }
        let allowed = match self.role {
            Role::Submitter => matches!(op, ReportOp::Fill | ReportOp::Submit),
            Role::Approver => matches!(op, ReportOp::Accept | ReportOp::Return),
            Role::Admin | Role::DepartmentReviewer | Role::SecurityAuditor => false,
        };
        match (allowed, self.role) {
            (true, _) => Decision::Allow,
            (false, Role::Submitter) => Decision::Forbidden(Message::new(
                "申报人员填报监控表，不能接收或退回",
                "submitters fill monitoring reports; they cannot accept or return them",
            )),
            (false, Role::Approver) => Decision::Forbidden(Message::new(
                "审核人员接收或退回监控表，不能填报或提交",
                "approvers accept or return monitoring reports; they cannot fill or submit them",
            )),
            (false, Role::Admin) => Decision::Forbidden(Message::new(
                "管理员发起监控轮次，不能填报或审核监控表",
                "admins open monitoring rounds; they cannot fill or review reports",
            )),
            (false, Role::DepartmentReviewer) => Decision::Forbidden(Message::new(
                "部门审核人员可以查看本部门的监控表，不能填报或审核",
                "department reviewers may read their department's reports; they cannot fill or review them",
            )),
            (false, Role::SecurityAuditor) => Decision::Forbidden(auditor_reads_only()),
        }
    }

    /// Monitoring rounds are opened by admins.
    pub fn may_open_monitoring_round(&self) -> Decision {
        if self.role == Role::Admin {
            Decision::Allow
        } else {
            Decision::Forbidden(Message::new("只有管理员可以发起监控轮次", "only admins open monitoring rounds"))
        }
    }

    /// Departments, budget units and users are the admin's.
    pub fn may_manage_organization(&self) -> Decision {
        if self.role == Role::Admin {
            Decision::Allow
        } else {
            Decision::Forbidden(Message::new(
                "只有管理员可以管理部门、预算单位和用户",
                "only admins manage departments, budget units and users",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: i64 = 1;
    const OTHER: i64 = 2;

    fn actor(role: Role) -> Actor {
        Actor { user_id: 9, role, department_id: role.needs_department().then_some(OWN) }
    }

    #[test]
    fn the_bureau_follows_every_department_and_a_department_its_own() {
        for role in Role::ALL {
            let a = actor(role);
            let (own, other) = (a.follows_department(OWN), a.follows_department(OTHER));
            match role {
                Role::Approver | Role::Admin => assert!(own && other, "{role:?}"),
                Role::Submitter | Role::DepartmentReviewer => assert!(own && !other, "{role:?}"),
                Role::SecurityAuditor => assert!(!own && !other, "{role:?}"),
            }
        }
    }

    /// Admins and security auditors read the audit trail; only the auditor reads nothing else.
    #[test]
    fn only_the_security_auditor_reads_the_audit_trail_alone() {
        for role in Role::ALL {
            let a = actor(role);
            assert_eq!(a.may_read_audit_log(), matches!(role, Role::Admin | Role::SecurityAuditor), "{role:?}");
            assert_eq!(a.reads_only_the_audit_log(), role == Role::SecurityAuditor, "{role:?}");
        }
    }

    #[test]
    fn drafts_stay_in_their_department() {
        assert!(actor(Role::Submitter).can_see(OWN, Status::Draft));
        assert!(!actor(Role::Submitter).can_see(OTHER, Status::Submitted));
        assert!(!actor(Role::Approver).can_see(OWN, Status::Draft));
        assert!(actor(Role::Approver).can_see(OTHER, Status::Rejected));
        assert!(actor(Role::Admin).can_see(OTHER, Status::Draft));
    }

    /// A submitter or department reviewer without a department (refused when the user is made;
    /// possible only in a damaged database) sees no department's projects or reports.
    #[test]
    fn without_a_department_no_department_is_seen() {
        for role in [Role::Submitter, Role::DepartmentReviewer] {
            let a = Actor { user_id: 9, role, department_id: None };
            assert!(!a.can_see(OWN, Status::Approved), "{role:?}");
            assert!(!a.can_see_report(OWN, ReportStatus::Submitted), "{role:?}");
        }
    }

    #[test]
    fn a_department_reviewer_sees_its_departments_reports_once_submitted() {
        let r = actor(Role::DepartmentReviewer);
        assert!(r.can_see_report(OWN, ReportStatus::Submitted));
        assert!(!r.can_see_report(OWN, ReportStatus::Draft), "a report being filled is the unit's");
        assert!(!r.can_see_report(OTHER, ReportStatus::Submitted), "another department's is not");
    }

    #[test]
    fn a_department_reviewer_forwards_or_sends_back_its_departments_declarations_only() {
        let r = actor(Role::DepartmentReviewer);
        assert!(!r.can_see(OWN, Status::Draft) && !r.can_see(OTHER, Status::DepartmentReview));
        assert!(r.can_see(OWN, Status::Approved));
        assert_eq!(r.decide(ProjectOp::Step(ReviewAction::Forward), OWN, Status::DepartmentReview), Decision::Allow);
        assert_eq!(r.decide(ProjectOp::Step(ReviewAction::Reject), OWN, Status::DepartmentReview), Decision::Allow);
        assert_eq!(
            r.decide(ProjectOp::Step(ReviewAction::Forward), OTHER, Status::DepartmentReview),
            Decision::NotFound
        );
        for op in [
            ProjectOp::Step(ReviewAction::Reject),
            ProjectOp::Step(ReviewAction::Approve),
            ProjectOp::Edit,
            ProjectOp::Step(ReviewAction::Submit),
        ] {
            assert!(matches!(r.decide(op, OWN, Status::Submitted), Decision::Forbidden(_)), "{op:?}");
        }
        let a = actor(Role::Approver);
        assert!(a.can_see(OWN, Status::DepartmentReview), "the bureau sees what is coming");
        for op in [
            ProjectOp::Step(ReviewAction::Approve),
            ProjectOp::Step(ReviewAction::Reject),
            ProjectOp::Step(ReviewAction::Forward),
        ] {
            assert!(matches!(a.decide(op, OWN, Status::DepartmentReview), Decision::Forbidden(_)), "{op:?}");
        }
        assert!(matches!(
            actor(Role::Submitter).decide(ProjectOp::Step(ReviewAction::Forward), OWN, Status::DepartmentReview),
            Decision::Forbidden(_)
        ));
        assert_eq!(
            actor(Role::Submitter).decide(ProjectOp::Step(ReviewAction::Withdraw), OWN, Status::DepartmentReview),
            Decision::Allow
        );
        assert_eq!(r.decide(ProjectOp::Remark, OWN, Status::DepartmentReview), Decision::Allow);
        assert!(matches!(r.decide(ProjectOp::Remark, OWN, Status::Submitted), Decision::Forbidden(_)));
        assert!(matches!(a.decide(ProjectOp::Remark, OWN, Status::DepartmentReview), Decision::Forbidden(_)));
        assert_eq!(a.decide(ProjectOp::Remark, OWN, Status::Submitted), Decision::Allow);
        assert!(matches!(
            r.decide_report(ReportOp::Accept, OWN, crate::monitoring::ReportStatus::Submitted),
            Decision::Forbidden(_)
        ));
    }

    #[test]
    fn roles_do_only_their_part() {
        let s = actor(Role::Submitter);
        assert_eq!(s.decide(ProjectOp::Edit, OWN, Status::Draft), Decision::Allow);
        assert!(matches!(
            s.decide(ProjectOp::Step(ReviewAction::Approve), OWN, Status::Submitted),
            Decision::Forbidden(_)
        ));
        assert_eq!(s.decide(ProjectOp::Edit, OTHER, Status::Draft), Decision::NotFound);
        let a = actor(Role::Approver);
        assert_eq!(a.decide(ProjectOp::Step(ReviewAction::Approve), OTHER, Status::Submitted), Decision::Allow);
        assert!(matches!(a.decide(ProjectOp::Edit, OTHER, Status::Submitted), Decision::Forbidden(_)));
        assert_eq!(a.decide(ProjectOp::Step(ReviewAction::Approve), OTHER, Status::Draft), Decision::NotFound);
        let admin = actor(Role::Admin);
        assert!(matches!(
            admin.decide(ProjectOp::Step(ReviewAction::Reject), OTHER, Status::Submitted),
            Decision::Forbidden(_)
        ));
        assert_eq!(admin.may_manage_organization(), Decision::Allow);
        assert!(matches!(s.may_manage_organization(), Decision::Forbidden(_)));
        assert_eq!(s.may_create_project_in(Some(OWN)), Decision::Allow);
        assert!(matches!(s.may_create_project_in(Some(OTHER)), Decision::Forbidden(_)));
    }

    fn reason(d: Decision) -> String {
        match d {
            Decision::Forbidden(why) => why.zh().to_string(),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn each_refusal_says_its_own_reason() {
        let s = actor(Role::Submitter);
        let elsewhere = reason(s.may_create_project_in(Some(OTHER)));
        let not_a_submitter = reason(actor(Role::Approver).may_create_project_in(Some(OWN)));
        assert_ne!(elsewhere, not_a_submitter, "declaring elsewhere and declaring at all are different refusals");
        assert_eq!(reason(actor(Role::Admin).may_create_project_in(None)), not_a_submitter);
        assert_eq!(
            s.may_create_project_in(None),
            Decision::Allow,
            "an unknown unit is the input's error, not a refusal"
        );
    }

    #[test]
    fn nobody_disables_themselves() {
        let admin = actor(Role::Admin);
        assert_eq!(admin.check_may_disable(9).unwrap_err().field, "id");
        assert!(admin.check_may_disable(10).is_ok());
    }

    #[test]
    fn only_admins_see_every_user() {
        assert_eq!(actor(Role::Admin).user_visibility(), UserVisibility::Everyone);
        for role in [Role::Submitter, Role::Approver, Role::DepartmentReviewer] {
            assert_eq!(actor(role).user_visibility(), UserVisibility::SelfAndActorsOnVisibleProjects(9));
        }
    }

    #[test]
    fn a_submitter_without_a_department_sees_nothing() {
        let lost = Actor { user_id: 9, role: Role::Submitter, department_id: None };
        // Row ids start at 1.
        for department in [1, 2, i64::MAX] {
            for status in Status::ALL {
                assert!(!lost.can_see(department, status), "department {department}, {status}");
            }
        }
    }

    #[test]
    fn a_security_auditor_reads_the_audit_trail_and_no_project() {
        let auditor = Actor { user_id: 9, role: Role::SecurityAuditor, department_id: None };
        assert!(auditor.may_read_audit_log() && auditor.reads_only_the_audit_log());
        for status in Status::ALL {
            assert!(!auditor.can_see(1, status));
            assert_eq!(auditor.decide(ProjectOp::Step(ReviewAction::Approve), 1, status), Decision::NotFound);
        }
        assert!(Actor { role: Role::Admin, ..auditor }.may_read_audit_log());
        for role in [Role::Submitter, Role::Approver, Role::DepartmentReviewer] {
            assert!(!Actor { role, ..auditor }.may_read_audit_log(), "{role}");
        }
    }

    #[test]
    fn role_codes_round_trip_and_only_submitters_need_a_department() {
        let codes: Vec<String> = Role::ALL.iter().map(|r| r.to_string()).collect();
        assert_eq!(codes, ["SUBMITTER", "APPROVER", "ADMIN", "DEPARTMENT_REVIEWER", "SECURITY_AUDITOR"]);
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
            assert_eq!(Role::from_code(&r.code().to_lowercase()), Some(r), "the command line takes any case");
            assert_eq!(r.needs_department(), matches!(r, Role::Submitter | Role::DepartmentReviewer));
        }
        assert_eq!(Role::from_code("ROOT"), None);
        let labels: Vec<&str> = Role::ALL.iter().map(|r| r.label()).collect();
        assert_eq!(labels, ["填报人", "审核人", "管理员", "部门审核人", "安全审计员"]);
    }

    #[test]
    fn reports_are_filled_by_the_unit_and_reviewed_by_approvers() {
        use crate::monitoring::ReportStatus::{Draft, Submitted};
        let s = actor(Role::Submitter);
        assert_eq!(s.decide_report(ReportOp::Fill, OWN, Draft), Decision::Allow);
        assert_eq!(s.decide_report(ReportOp::Fill, OTHER, Draft), Decision::NotFound);
        assert!(matches!(s.decide_report(ReportOp::Accept, OWN, Submitted), Decision::Forbidden(_)));
        let a = actor(Role::Approver);
        assert_eq!(a.decide_report(ReportOp::Accept, OTHER, Submitted), Decision::Allow);
        assert_eq!(a.decide_report(ReportOp::Accept, OTHER, Draft), Decision::NotFound, "a report being filled");
        assert!(matches!(a.decide_report(ReportOp::Fill, OTHER, Submitted), Decision::Forbidden(_)));
        let admin = actor(Role::Admin);
        assert!(admin.can_see_report(OTHER, Draft));
        assert!(matches!(admin.decide_report(ReportOp::Return, OTHER, Submitted), Decision::Forbidden(_)));
        assert_eq!(admin.may_open_monitoring_round(), Decision::Allow);
        assert!(matches!(a.may_open_monitoring_round(), Decision::Forbidden(_)));
    }
}
