//! 待办 and deadlines: what waits for whom, and by when.
//!
//! An item waits for exactly the people who may take the next step on it (the same rules as the
//! steps themselves): a department's submitters fill and answer its forms, its reviewer passes its
//! declarations on, approvers review what reached the bureau. Admins and security auditors take no
//! step on a form, so nothing waits for them.
//!
//! Each item's deadline comes from its stage: four are set by the bureau per fiscal year (and
//! may be extended for one department), the others come with the thing itself (a monitoring
//! round's due date, a rectification item's, the year's first issuing act's date plus
//! [`crate::publication::DAYS_TO_PUBLISH`]).
//! An item is overdue the day after its deadline, counted in days in China.

use chrono::NaiveDate;

use crate::catalog::coded_enum;
use crate::declaration::FISCAL_YEARS;
use crate::message::Message;
use crate::monitoring::ReportStatus;
use crate::problem::{Problem, ProblemCode};
use crate::results::RectificationStatus;
use crate::{Actor, Decision, ProjectVisibility, Role, Status};

/// Which form an item is about, and the status it waits in there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waits {
    /// A project's declaration, in any of these statuses.
    Project(&'static [Status]),
    /// An approved project of a year whose self-evaluation is open, with none started.
    EvaluationToStart,
    MonitoringReport(ReportStatus),
    SelfEvaluation(ReportStatus),
    Rectification(RectificationStatus),
    /// A department's year issued and not published.
    Publication,
}

coded_enum!(
    /// A stage of the budget year that has a deadline.
    DeadlineStage as "DeadlineStage" {
        /// 申报截止: declarations filled and submitted.
        Declaration => ("DECLARATION", "申报"),
        /// 部门审核截止: the department's reviewer passes its declarations on.
        DepartmentReview => ("DEPARTMENT_REVIEW", "部门审核"),
        /// 财政审核截止: the bureau decides every declaration passed on to it.
        BureauReview => ("BUREAU_REVIEW", "财政审核"),
        /// 监控: each monitoring round's due date.
        Monitoring => ("MONITORING", "绩效监控"),
        /// 自评截止: self-evaluations filled and submitted.
        SelfEvaluation => ("SELF_EVALUATION", "绩效自评"),
        /// 整改: each rectification item's due date.
        Rectification => ("RECTIFICATION", "整改"),
        /// 公开: within 20 days of the issuing act (批复后20日内公开).
        Publication => ("PUBLICATION", "绩效公开"),
    }
);

impl DeadlineStage {
    /// Whether the bureau sets this stage's deadline per year (`setDeadline`); the others come
    /// with their round, item or act.
    pub const fn is_set_by_the_bureau(self) -> bool {
        matches!(
            self,
            DeadlineStage::Declaration
                | DeadlineStage::DepartmentReview
                | DeadlineStage::BureauReview
                | DeadlineStage::SelfEvaluation
        )
    }
}

coded_enum!(
    /// What an item of the to-do list asks of its reader.
    TodoKind as "TodoKind" {
        /// 待填报: a draft declaration to fill and submit.
        FillDeclaration => ("FILL_DECLARATION", "待填报项目"),
        /// 被退回: a declaration sent back, with the reason, to correct and submit again.
        AnswerReturn => ("ANSWER_RETURN", "被退回项目"),
        /// 待答复意见: remarks of a reviewer not yet answered.
        AnswerRemarks => ("ANSWER_REMARKS", "待答复审核意见"),
        /// 调整中: an adjustment started and not yet submitted.
        FillAdjustment => ("FILL_ADJUSTMENT", "待提交调整"),
        /// 部门待审核: a declaration the department's reviewer passes on or sends back.
        DepartmentReview => ("DEPARTMENT_REVIEW", "部门待审核"),
        /// 财政待审核: a declaration or adjustment the bureau decides.
        BureauReview => ("BUREAU_REVIEW", "财政待审核"),
        /// 待填报监控表.
        FillMonitoringReport => ("FILL_MONITORING_REPORT", "待填报监控表"),
        /// 监控表被退回.
        AnswerMonitoringReport => ("ANSWER_MONITORING_REPORT", "监控表被退回"),
        /// 监控表待审核.
        ReviewMonitoringReport => ("REVIEW_MONITORING_REPORT", "监控表待审核"),
        /// 待开展自评: an approved project of a year whose self-evaluation is open (its deadline
        /// set), with no self-evaluation started.
        StartSelfEvaluation => ("START_SELF_EVALUATION", "待开展自评"),
        /// 待填报自评表.
        FillSelfEvaluation => ("FILL_SELF_EVALUATION", "待填报自评表"),
        /// 自评表被退回.
        AnswerSelfEvaluation => ("ANSWER_SELF_EVALUATION", "自评表被退回"),
        /// 自评表待审核.
        ReviewSelfEvaluation => ("REVIEW_SELF_EVALUATION", "自评表待审核"),
        /// 待整改: a rectification item to answer.
        Rectify => ("RECTIFY", "待整改"),
        /// 整改待办结: an answered item the bureau closes or reopens.
        ReviewRectification => ("REVIEW_RECTIFICATION", "整改待办结"),
        /// 待公开: goals issued and not yet published.
        Publish => ("PUBLISH", "待公开"),
    }
);

coded_enum!(
    /// What happened to an item of the to-do list (`todoEvents`).
    TodoEventAction as "TodoEventAction" {
        /// 新待办: it waits for you now.
        Arrived => ("ARRIVED", "新待办"),
        /// 已办: it no longer waits for you (done, or taken by someone else).
        Done => ("DONE", "已办结"),
        /// 已逾期: its deadline passed.
        Overdue => ("OVERDUE", "已逾期"),
    }
);

impl TodoKind {
    /// The stage whose deadline the item has; `None` for a step no rule times (a return or
    /// remarks to answer, an adjustment, the bureau's review of a report, an evaluation or an
    /// answered item).
    pub const fn stage(self) -> Option<DeadlineStage> {
        use TodoKind as K;
        match self {
            K::FillDeclaration => Some(DeadlineStage::Declaration),
            K::BureauReview => Some(DeadlineStage::BureauReview),
            K::DepartmentReview => Some(DeadlineStage::DepartmentReview),
            K::FillMonitoringReport | K::AnswerMonitoringReport => Some(DeadlineStage::Monitoring),
            K::StartSelfEvaluation | K::FillSelfEvaluation | K::AnswerSelfEvaluation => {
                Some(DeadlineStage::SelfEvaluation)
            }
            K::Rectify => Some(DeadlineStage::Rectification),
            K::Publish => Some(DeadlineStage::Publication),
            // A declaration sent back or remarked on waits for its department with no deadline
            // of its own: the bureau's review deadline binds the bureau, which counts what it has
            // not decided, not what it returned.
            K::AnswerReturn
            | K::AnswerRemarks
            | K::FillAdjustment
            | K::ReviewMonitoringReport
            | K::ReviewSelfEvaluation
            | K::ReviewRectification => None,
        }
    }

    /// The role whose users the item waits for.
    pub const fn role(self) -> Role {
        use TodoKind as K;
        match self {
            K::DepartmentReview => Role::DepartmentReviewer,
            K::BureauReview | K::ReviewMonitoringReport | K::ReviewSelfEvaluation | K::ReviewRectification => {
                Role::Approver
            }
            K::FillDeclaration
            | K::AnswerReturn
            | K::AnswerRemarks
            | K::FillAdjustment
            | K::FillMonitoringReport
            | K::AnswerMonitoringReport
            | K::StartSelfEvaluation
            | K::FillSelfEvaluation
            | K::AnswerSelfEvaluation
            | K::Rectify
            | K::Publish => Role::Submitter,
        }
    }
}

impl TodoKind {
    /// Where the item is and the status it waits in: the step the role takes next is allowed
    /// there (a submitter edits DRAFT and REJECTED, a reviewer passes DEPARTMENT_REVIEW on …).
    pub const fn waits_in(self) -> Waits {
        use TodoKind as K;
        match self {
            K::FillDeclaration => Waits::Project(&[Status::Draft]),
            K::AnswerReturn => Waits::Project(&[Status::Rejected]),
            K::AnswerRemarks => Waits::Project(&[Status::Draft, Status::Rejected]),
            K::FillAdjustment => Waits::Project(&[Status::Adjusting]),
            K::DepartmentReview => Waits::Project(&[Status::DepartmentReview]),
            K::BureauReview => Waits::Project(&[Status::Submitted, Status::AdjustmentSubmitted]),
            K::FillMonitoringReport => Waits::MonitoringReport(ReportStatus::Draft),
            K::AnswerMonitoringReport => Waits::MonitoringReport(ReportStatus::Returned),
            K::ReviewMonitoringReport => Waits::MonitoringReport(ReportStatus::Submitted),
            K::StartSelfEvaluation => Waits::EvaluationToStart,
            K::FillSelfEvaluation => Waits::SelfEvaluation(ReportStatus::Draft),
            K::AnswerSelfEvaluation => Waits::SelfEvaluation(ReportStatus::Returned),
            K::ReviewSelfEvaluation => Waits::SelfEvaluation(ReportStatus::Submitted),
            K::Rectify => Waits::Rectification(RectificationStatus::Open),
            K::ReviewRectification => Waits::Rectification(RectificationStatus::Answered),
            K::Publish => Waits::Publication,
        }
    }
}

impl Actor {
    /// The one department whose items can wait for this actor, or `None` for every department
    /// (approvers): their project visibility's department.
    pub fn todo_department(&self) -> Option<i64> {
        match self.project_visibility() {
            ProjectVisibility::Department(d) | ProjectVisibility::DepartmentButDrafts(d) => Some(d),
            ProjectVisibility::Everything | ProjectVisibility::AllButDrafts => None,
        }
    }

    /// The kinds of item that can wait for this actor.
    pub fn todo_kinds(&self) -> Vec<TodoKind> {
        TodoKind::ALL.iter().copied().filter(|k| k.role() == self.role).collect()
    }

    /// Deadlines are the bureau's: approvers and admins set them.
    pub fn may_set_deadlines(&self) -> Decision {
        match self.role {
            Role::Approver | Role::Admin => Decision::Allow,
            Role::SecurityAuditor => Decision::Forbidden(crate::permissions::auditor_reads_only()),
            Role::Submitter | Role::DepartmentReviewer => Decision::Forbidden(Message::new(
                "截止日期由财政部门（审核人员或管理员）设定",
                "deadlines are set by the bureau (approvers and admins)",
            )),
        }
    }
}

/// Whether something due on `deadline` is late on `today`: the due date itself is still in time.
pub fn is_overdue(deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    deadline.is_some_and(|d| today > d)
}

/// Checks a deadline the bureau sets (or clears, with `None`): a stage it sets, on a date in or
/// next to its fiscal year (a year's declaration closes in the autumn before it, its
/// self-evaluation in the spring after).
pub fn check_deadline(stage: DeadlineStage, fiscal_year: i32, due_on: Option<NaiveDate>) -> Result<(), Problem> {
    use chrono::Datelike;
    if !stage.is_set_by_the_bureau() {
        return Err(Problem::new(
            "stage",
            ProblemCode::InvalidInput,
            Message::new(
                format!("“{}”的截止日期随监控轮次、整改事项或批复文件而定，不在此设定", stage.label()),
                format!(
                    "the {} deadline comes with its monitoring round, rectification item or issuing act and is not set here",
                    stage.code()
                ),
            ),
        ));
    }
    if !FISCAL_YEARS.contains(&fiscal_year) {
        let (from, to) = (FISCAL_YEARS.start(), FISCAL_YEARS.end());
        return Err(Problem::new(
            "fiscalYear",
            ProblemCode::InvalidInput,
            Message::new(
                format!("预算年度 {fiscal_year} 不在 {from}–{to} 之内"),
                format!("fiscal year {fiscal_year} is outside {from}–{to}"),
            ),
        ));
    }
    let years = fiscal_year - 1..=fiscal_year + 1;
    if due_on.is_some_and(|d| !years.contains(&d.year())) {
        return Err(Problem::new(
            "dueOn",
            ProblemCode::InvalidInput,
            Message::new(
                format!("{fiscal_year} 年度的截止日期应在 {} 年至 {} 年之间", years.start(), years.end()),
                format!("a deadline of fiscal year {fiscal_year} falls between {} and {}", years.start(), years.end()),
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_item_is_late_the_day_after_its_deadline() {
        assert!(!is_overdue(Some(day("2022-10-31")), day("2022-10-31")));
        assert!(is_overdue(Some(day("2022-10-31")), day("2022-11-01")));
        assert!(!is_overdue(Some(day("2022-10-31")), day("2022-10-30")));
        assert!(!is_overdue(None, day("2099-01-01")));
    }

    #[test]
    fn every_kind_waits_for_one_role_and_the_bureau_roles_wait_on_nothing_of_a_form() {
        let submitter = Actor { user_id: 1, role: Role::Submitter, department_id: Some(1) };
        let kinds = submitter.todo_kinds();
        assert!(kinds.contains(&TodoKind::FillDeclaration) && kinds.contains(&TodoKind::Publish));
        assert!(!kinds.contains(&TodoKind::BureauReview));
        let reviewer = Actor { user_id: 2, role: Role::DepartmentReviewer, department_id: Some(1) };
        assert_eq!(reviewer.todo_kinds(), vec![TodoKind::DepartmentReview]);
        let approver = Actor { user_id: 3, role: Role::Approver, department_id: None };
        assert_eq!(
            approver.todo_kinds(),
            vec![
                TodoKind::BureauReview,
                TodoKind::ReviewMonitoringReport,
                TodoKind::ReviewSelfEvaluation,
                TodoKind::ReviewRectification
            ]
        );
        for role in [Role::Admin, Role::SecurityAuditor] {
            assert!(Actor { user_id: 4, role, department_id: None }.todo_kinds().is_empty(), "{role:?}");
        }
        let all: usize =
            Role::ALL.iter().map(|&role| Actor { user_id: 5, role, department_id: None }.todo_kinds().len()).sum();
        assert_eq!(all, TodoKind::ALL.len());
    }

    #[test]
    fn each_kind_has_the_deadline_of_its_stage() {
        use TodoKind as K;
        assert_eq!(K::FillDeclaration.stage(), Some(DeadlineStage::Declaration));
        assert_eq!(K::BureauReview.stage(), Some(DeadlineStage::BureauReview));
        assert_eq!(K::DepartmentReview.stage(), Some(DeadlineStage::DepartmentReview));
        assert_eq!(K::FillMonitoringReport.stage(), Some(DeadlineStage::Monitoring));
        assert_eq!(K::AnswerMonitoringReport.stage(), Some(DeadlineStage::Monitoring));
        assert_eq!(K::StartSelfEvaluation.stage(), Some(DeadlineStage::SelfEvaluation));
        assert_eq!(K::FillSelfEvaluation.stage(), Some(DeadlineStage::SelfEvaluation));
        assert_eq!(K::AnswerSelfEvaluation.stage(), Some(DeadlineStage::SelfEvaluation));
        assert_eq!(K::Rectify.stage(), Some(DeadlineStage::Rectification));
        assert_eq!(K::Publish.stage(), Some(DeadlineStage::Publication));
        for k in [
            K::AnswerReturn,
            K::AnswerRemarks,
            K::FillAdjustment,
            K::ReviewMonitoringReport,
            K::ReviewSelfEvaluation,
            K::ReviewRectification,
        ] {
            assert_eq!(k.stage(), None, "{k:?}");
        }
    }

    #[test]
    fn the_bureau_sets_four_deadlines_in_or_next_to_their_year() {
        let set: Vec<_> = DeadlineStage::ALL.iter().filter(|s| s.is_set_by_the_bureau()).collect();
        assert_eq!(
            set,
            [
                &DeadlineStage::Declaration,
                &DeadlineStage::DepartmentReview,
                &DeadlineStage::BureauReview,
                &DeadlineStage::SelfEvaluation
            ]
        );
        assert!(check_deadline(DeadlineStage::Declaration, 2023, Some(day("2022-01-01"))).is_ok());
        assert!(check_deadline(DeadlineStage::SelfEvaluation, 2023, Some(day("2024-12-31"))).is_ok());
        let early = check_deadline(DeadlineStage::Declaration, 2023, Some(day("2021-12-31"))).unwrap_err();
        assert_eq!(early.field, "dueOn");
        assert!(early.message.zh().contains("2022 年至 2024 年"), "{}", early.message.zh());
        assert_eq!(
            check_deadline(DeadlineStage::Declaration, 2023, Some(day("2025-01-01"))).unwrap_err().field,
            "dueOn"
        );
        assert!(check_deadline(DeadlineStage::BureauReview, 2023, None).is_ok(), "cleared");
        for year in [i32::MIN, 1999, 2101, i32::MAX] {
            let refused = check_deadline(DeadlineStage::Declaration, year, None).unwrap_err();
            assert_eq!(refused.field, "fiscalYear", "{year}");
        }
        assert!(check_deadline(DeadlineStage::Declaration, 2100, None).is_ok());
        for stage in [DeadlineStage::Monitoring, DeadlineStage::Rectification, DeadlineStage::Publication] {
            let refused = check_deadline(stage, 2023, None).unwrap_err();
            assert_eq!(refused.field, "stage", "{stage:?}");
            assert!(refused.message.zh().contains(stage.label()), "{}", refused.message.zh());
        }
    }

    #[test]
    fn only_the_bureau_sets_deadlines() {
        for role in Role::ALL {
            let allowed = Actor { user_id: 1, role, department_id: Some(1) }.may_set_deadlines() == Decision::Allow;
            assert_eq!(allowed, matches!(role, Role::Approver | Role::Admin), "{role:?}");
        }
    }

    /// Each item waits where its role's next step is allowed, and its department is the one the
    /// actor sees (every department for approvers).
    #[test]
    fn each_kind_waits_where_its_role_may_act() {
        for kind in TodoKind::ALL {
            if let Waits::Project(statuses) = kind.waits_in() {
                for status in statuses {
                    let actor = Actor { user_id: 1, role: kind.role(), department_id: Some(1) };
                    assert!(actor.can_see(1, *status), "{kind:?} in {status:?}");
                }
            }
        }
        assert_eq!(
            TodoKind::BureauReview.waits_in(),
            Waits::Project(&[Status::Submitted, Status::AdjustmentSubmitted])
        );
        assert_eq!(TodoKind::Rectify.waits_in(), Waits::Rectification(RectificationStatus::Open));
        assert_eq!(TodoKind::AnswerSelfEvaluation.waits_in(), Waits::SelfEvaluation(ReportStatus::Returned));
        let of = |role| Actor { user_id: 1, role, department_id: Some(7) }.todo_department();
        assert_eq!((of(Role::Submitter), of(Role::DepartmentReviewer)), (Some(7), Some(7)));
        assert_eq!((of(Role::Approver), of(Role::Admin)), (None, None));
    }

    #[test]
    fn codes_and_labels_round_trip() {
        for k in TodoKind::ALL {
            assert_eq!(TodoKind::from_code(k.code()), Some(*k));
            assert!(!k.label().is_empty());
        }
        for a in TodoEventAction::ALL {
            assert_eq!(TodoEventAction::from_code(a.code()), Some(*a));
            assert!(!a.label().is_empty());
        }
        for s in DeadlineStage::ALL {
            assert_eq!(DeadlineStage::from_code(s.code()), Some(*s));
            assert!(!s.label().is_empty());
        }
    }
}
