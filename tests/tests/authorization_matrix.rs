//! Who may do what, for every query and mutation, every path to a project (nested lists and
//! counts too), every role (and no token), own and other department, and every status: one table,
//! checked cell by cell over HTTP. A read counts as allowed only when the data is really there (a
//! `null` is its own outcome); a mutation counts as done only when the project's state changed as
//! it says, and as refused only when nothing changed. A field of the schema that leads to data and
//! has no row fails `every_path_to_data_has_a_row`.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};

use jixiao_tests::{CREATE_PROJECT, Client, PASSWORD, World, add_user, complete_declaration, unit_of};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Done (or, for reads, the project is there).
    Ok,
    /// An answer without an error and without the data: never right for a path in the table.
    Null,
    NotFound,
    Forbidden,
    Unauth,
    /// Allowed, but not in this status: the INVALID_TRANSITION user error.
    Transition,
}
use Outcome::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Who {
    Anonymous,
    /// The submitter of the project's own department.
    Submitter,
    /// A submitter of another department.
    OtherSubmitter,
    Approver,
    Admin,
    /// The department reviewer (部门审核) of the project's own department.
    DepartmentReviewer,
    /// A department reviewer of another department.
    OtherReviewer,
    /// A security auditor (安全审计员), who reads the audit trail and nothing else.
    Auditor,
}
use Who::*;

/// Every caller of the project tables: each role, those tied to a department both of the
/// project's own department and of another, and no token. `every_table_runs_every_role` fails
/// when a table leaves one out, or when a role is added to the domain and not here.
const EVERYONE: [Who; 8] =
    [Anonymous, Submitter, OtherSubmitter, Approver, Admin, DepartmentReviewer, OtherReviewer, Auditor];

/// The callers of the operations not on one project: each role once, and no token.
const ROLES: [Who; 6] = [Anonymous, Submitter, Approver, Admin, DepartmentReviewer, Auditor];

impl Who {
    /// The role this caller signs in with (none without a token), and whether it belongs to
    /// another department than the project's.
    fn role(self) -> Option<(jixiao_domain::Role, bool)> {
        use jixiao_domain::Role as R;
        Some(match self {
            Anonymous => return None,
            Submitter => (R::Submitter, false),
            OtherSubmitter => (R::Submitter, true),
            Approver => (R::Approver, false),
            Admin => (R::Admin, false),
            DepartmentReviewer => (R::DepartmentReviewer, false),
            OtherReviewer => (R::DepartmentReviewer, true),
            Auditor => (R::SecurityAuditor, false),
        })
    }
}

/// Whether `who` stands outside the project's department (the project is the other
/// department's, the caller the own department's).
fn outsider(who: Who) -> bool {
    matches!(who, OtherSubmitter | OtherReviewer)
}

const STATUSES: [&str; 8] = [
    "DRAFT",
    "SUBMITTED",
    "APPROVED",
    "REJECTED",
    "ADJUSTING",
    "ADJUSTMENT_SUBMITTED",
    "NOT_APPROVED",
    "DEPARTMENT_REVIEW",
];

/// Who sees a project, on every path that shows or counts it.
const SEES: [(Who, [Outcome; 8]); 8] = [
    (Anonymous, [Unauth; 8]),
    (Submitter, [Ok; 8]),
    (OtherSubmitter, [NotFound; 8]),
    (Approver, [NotFound, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    (Admin, [Ok; 8]),
    (DepartmentReviewer, [NotFound, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    (OtherReviewer, [NotFound; 8]),
    (Auditor, [Forbidden; 8]),
];

/// The paths that show or count a project; each follows [`SEES`]. A list path is `Ok` when the
/// project is in it; a count path (over a fiscal year that holds only this project) when it
/// counts exactly one.
const READ_PATHS: &[&str] = &[
    "Query.project",
    "Query.node",
    "Query.projects",
    "Department.projects",
    "BudgetUnit.projects",
    "Department.summary",
    "Query.declarationSummary",
    "Query.declarationSummary(departmentId)",
    "Query.declarationReview",
    "Query.declarationReview(departmentId)",
];

/// Mutations of one project: (operation, who, outcome in DRAFT, SUBMITTED, APPROVED, REJECTED,
/// ADJUSTING, ADJUSTMENT_SUBMITTED, NOT_APPROVED, DEPARTMENT_REVIEW). Both departments have a
/// department reviewer, so a declaration is submitted to DEPARTMENT_REVIEW (the one-level path
/// is `workflow.rs`'s and `two_level_review.rs`'s).
const MUTATION_TABLE: &[(&str, Who, [Outcome; 8])] = &[
    ("updateProject", Anonymous, [Unauth; 8]),
    ("updateProject", Submitter, [Ok, Transition, Transition, Ok, Ok, Transition, Transition, Transition]),
    ("updateProject", OtherSubmitter, [NotFound; 8]),
    (
        "updateProject",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("updateProject", Admin, [Forbidden; 8]),
    (
        "updateProject",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("updateProject", OtherReviewer, [NotFound; 8]),
    ("updateProject", Auditor, [Forbidden; 8]),
    ("deleteProject", Anonymous, [Unauth; 8]),
    ("deleteProject", Submitter, [Ok, Transition, Transition, Ok, Transition, Transition, Transition, Transition]),
    ("deleteProject", OtherSubmitter, [NotFound; 8]),
    (
        "deleteProject",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("deleteProject", Admin, [Forbidden; 8]),
    (
        "deleteProject",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("deleteProject", OtherReviewer, [NotFound; 8]),
    ("deleteProject", Auditor, [Forbidden; 8]),
    ("submitProject", Anonymous, [Unauth; 8]),
    ("submitProject", Submitter, [Ok, Transition, Transition, Ok, Ok, Transition, Transition, Transition]),
    ("submitProject", OtherSubmitter, [NotFound; 8]),
    (
        "submitProject",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("submitProject", Admin, [Forbidden; 8]),
    (
        "submitProject",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("submitProject", OtherReviewer, [NotFound; 8]),
    ("submitProject", Auditor, [Forbidden; 8]),
    ("withdrawProject", Anonymous, [Unauth; 8]),
    ("withdrawProject", Submitter, [Transition, Ok, Transition, Transition, Transition, Ok, Transition, Ok]),
    ("withdrawProject", OtherSubmitter, [NotFound; 8]),
    (
        "withdrawProject",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("withdrawProject", Admin, [Forbidden; 8]),
    (
        "withdrawProject",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("withdrawProject", OtherReviewer, [NotFound; 8]),
    ("withdrawProject", Auditor, [Forbidden; 8]),
    // 部门审核通过: the department reviewer of the project's own department only.
    ("forwardProject", Anonymous, [Unauth; 8]),
    ("forwardProject", Submitter, [Forbidden; 8]),
    ("forwardProject", OtherSubmitter, [NotFound; 8]),
    (
        "forwardProject",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("forwardProject", Admin, [Forbidden; 8]),
    (
        "forwardProject",
        DepartmentReviewer,
        [NotFound, Transition, Transition, Transition, Transition, Transition, Transition, Ok],
    ),
    ("forwardProject", OtherReviewer, [NotFound; 8]),
    ("forwardProject", Auditor, [Forbidden; 8]),
    // 审核意见: by whoever may decide the project now; a remark counts as made when it is there.
    ("addReviewRemark", Anonymous, [Unauth; 8]),
    ("addReviewRemark", Submitter, [Forbidden; 8]),
    ("addReviewRemark", OtherSubmitter, [NotFound; 8]),
    ("addReviewRemark", Approver, [NotFound, Ok, Transition, Transition, Transition, Ok, Transition, Forbidden]),
    ("addReviewRemark", Admin, [Forbidden; 8]),
    (
        "addReviewRemark",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
    ),
    ("addReviewRemark", OtherReviewer, [NotFound; 8]),
    ("addReviewRemark", Auditor, [Forbidden; 8]),
    ("approveProject", Anonymous, [Unauth; 8]),
    ("approveProject", Submitter, [Forbidden; 8]),
    ("approveProject", OtherSubmitter, [NotFound; 8]),
    ("approveProject", Approver, [NotFound, Ok, Transition, Transition, Transition, Ok, Transition, Forbidden]),
    ("approveProject", Admin, [Forbidden; 8]),
    (
        "approveProject",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("approveProject", OtherReviewer, [NotFound; 8]),
    ("approveProject", Auditor, [Forbidden; 8]),
    // Bulk approval of one id follows approveProject's rule, each refusal per id.
    ("approveProjects", Anonymous, [Unauth; 8]),
    ("approveProjects", Submitter, [Forbidden; 8]),
    ("approveProjects", OtherSubmitter, [NotFound; 8]),
    ("approveProjects", Approver, [NotFound, Ok, Transition, Transition, Transition, Ok, Transition, Forbidden]),
    ("approveProjects", Admin, [Forbidden; 8]),
    (
        "approveProjects",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("approveProjects", OtherReviewer, [NotFound; 8]),
    ("approveProjects", Auditor, [Forbidden; 8]),
    ("rejectProject", Anonymous, [Unauth; 8]),
    ("rejectProject", Submitter, [Forbidden; 8]),
    ("rejectProject", OtherSubmitter, [NotFound; 8]),
    ("rejectProject", Approver, [NotFound, Ok, Transition, Transition, Transition, Ok, Transition, Forbidden]),
    ("rejectProject", Admin, [Forbidden; 8]),
    (
        "rejectProject",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
    ),
    ("rejectProject", OtherReviewer, [NotFound; 8]),
    ("rejectProject", Auditor, [Forbidden; 8]),
    // Row by row edits follow updateProject's rule exactly.
    ("addIndicator", Anonymous, [Unauth; 8]),
    ("addIndicator", Submitter, [Ok, Transition, Transition, Ok, Ok, Transition, Transition, Transition]),
    ("addIndicator", OtherSubmitter, [NotFound; 8]),
    ("addIndicator", Approver, [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden]),
    ("addIndicator", Admin, [Forbidden; 8]),
    (
        "addIndicator",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("addIndicator", OtherReviewer, [NotFound; 8]),
    ("addIndicator", Auditor, [Forbidden; 8]),
    ("updateIndicator", Anonymous, [Unauth; 8]),
    ("updateIndicator", Submitter, [Ok, Transition, Transition, Ok, Ok, Transition, Transition, Transition]),
    ("updateIndicator", OtherSubmitter, [NotFound; 8]),
    (
        "updateIndicator",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("updateIndicator", Admin, [Forbidden; 8]),
    (
        "updateIndicator",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("updateIndicator", OtherReviewer, [NotFound; 8]),
    ("updateIndicator", Auditor, [Forbidden; 8]),
    ("removeIndicator", Anonymous, [Unauth; 8]),
    ("removeIndicator", Submitter, [Ok, Transition, Transition, Ok, Ok, Transition, Transition, Transition]),
    ("removeIndicator", OtherSubmitter, [NotFound; 8]),
    (
        "removeIndicator",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("removeIndicator", Admin, [Forbidden; 8]),
    (
        "removeIndicator",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("removeIndicator", OtherReviewer, [NotFound; 8]),
    ("removeIndicator", Auditor, [Forbidden; 8]),
    ("moveIndicator", Anonymous, [Unauth; 8]),
    ("moveIndicator", Submitter, [Ok, Transition, Transition, Ok, Ok, Transition, Transition, Transition]),
    ("moveIndicator", OtherSubmitter, [NotFound; 8]),
    (
        "moveIndicator",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("moveIndicator", Admin, [Forbidden; 8]),
    (
        "moveIndicator",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("moveIndicator", OtherReviewer, [NotFound; 8]),
    ("moveIndicator", Auditor, [Forbidden; 8]),
    ("addFundItem", Anonymous, [Unauth; 8]),
    ("addFundItem", Submitter, [Ok, Transition, Transition, Ok, Ok, Transition, Transition, Transition]),
    ("addFundItem", OtherSubmitter, [NotFound; 8]),
    ("addFundItem", Approver, [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden]),
    ("addFundItem", Admin, [Forbidden; 8]),
    (
        "addFundItem",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("addFundItem", OtherReviewer, [NotFound; 8]),
    ("addFundItem", Auditor, [Forbidden; 8]),
    ("updateFundItem", Anonymous, [Unauth; 8]),
    ("updateFundItem", Submitter, [Ok, Transition, Transition, Ok, Ok, Transition, Transition, Transition]),
    ("updateFundItem", OtherSubmitter, [NotFound; 8]),
    (
        "updateFundItem",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("updateFundItem", Admin, [Forbidden; 8]),
    (
        "updateFundItem",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("updateFundItem", OtherReviewer, [NotFound; 8]),
    ("updateFundItem", Auditor, [Forbidden; 8]),
    ("removeFundItem", Anonymous, [Unauth; 8]),
    ("removeFundItem", Submitter, [Ok, Transition, Transition, Ok, Ok, Transition, Transition, Transition]),
    ("removeFundItem", OtherSubmitter, [NotFound; 8]),
    (
        "removeFundItem",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("removeFundItem", Admin, [Forbidden; 8]),
    (
        "removeFundItem",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("removeFundItem", OtherReviewer, [NotFound; 8]),
    ("removeFundItem", Auditor, [Forbidden; 8]),
    ("moveFundItem", Anonymous, [Unauth; 8]),
    ("moveFundItem", Submitter, [Ok, Transition, Transition, Ok, Ok, Transition, Transition, Transition]),
    ("moveFundItem", OtherSubmitter, [NotFound; 8]),
    ("moveFundItem", Approver, [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden]),
    ("moveFundItem", Admin, [Forbidden; 8]),
    (
        "moveFundItem",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("moveFundItem", OtherReviewer, [NotFound; 8]),
    ("moveFundItem", Auditor, [Forbidden; 8]),
    // 申请调整 / 撤销调整: the project's own department, on an approved project / an adjustment.
    ("startAdjustment", Anonymous, [Unauth; 8]),
    (
        "startAdjustment",
        Submitter,
        [Transition, Transition, Ok, Transition, Transition, Transition, Transition, Transition],
    ),
    ("startAdjustment", OtherSubmitter, [NotFound; 8]),
    (
        "startAdjustment",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("startAdjustment", Admin, [Forbidden; 8]),
    (
        "startAdjustment",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("startAdjustment", OtherReviewer, [NotFound; 8]),
    ("startAdjustment", Auditor, [Forbidden; 8]),
    ("cancelAdjustment", Anonymous, [Unauth; 8]),
    (
        "cancelAdjustment",
        Submitter,
        [Transition, Transition, Transition, Transition, Ok, Transition, Transition, Transition],
    ),
    ("cancelAdjustment", OtherSubmitter, [NotFound; 8]),
    (
        "cancelAdjustment",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("cancelAdjustment", Admin, [Forbidden; 8]),
    (
        "cancelAdjustment",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("cancelAdjustment", OtherReviewer, [NotFound; 8]),
    ("cancelAdjustment", Auditor, [Forbidden; 8]),
    // 绩效自评 starts on an approved project, by its department.
    ("startSelfEvaluation", Anonymous, [Unauth; 8]),
    (
        "startSelfEvaluation",
        Submitter,
        [Transition, Transition, Ok, Transition, Transition, Transition, Transition, Transition],
    ),
    ("startSelfEvaluation", OtherSubmitter, [NotFound; 8]),
    (
        "startSelfEvaluation",
        Approver,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("startSelfEvaluation", Admin, [Forbidden; 8]),
    (
        "startSelfEvaluation",
        DepartmentReviewer,
        [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
    ),
    ("startSelfEvaluation", OtherReviewer, [NotFound; 8]),
    ("startSelfEvaluation", Auditor, [Forbidden; 8]),
];

/// Operations not on one project: (operation, outcome for each of [`ROLES`]: Anonymous,
/// Submitter, Approver, Admin, DepartmentReviewer, Auditor). A read is `Ok` only when the data
/// it names is there (the caller's own id, the seed's department, the round opened for the test).
const GLOBAL_TABLE: &[(&str, [Outcome; ROLES.len()])] = &[
    ("Query.me", [Unauth, Ok, Ok, Ok, Ok, Ok]),
    ("Query.departments", [Unauth, Ok, Ok, Ok, Ok, Forbidden]),
    ("Query.department", [Unauth, Ok, Ok, Ok, Ok, Forbidden]),
    ("Query.indicatorCatalog", [Unauth, Ok, Ok, Ok, Ok, Forbidden]),
    // Static words: a sign-in screen needs them before anyone has signed in.
    ("Query.labels", [Ok, Ok, Ok, Ok, Ok, Ok]),
    // Reads nothing but the caller's own form (and whether its unit exists).
    ("Query.checkDeclaration", [Unauth, Ok, Ok, Ok, Ok, Forbidden]),
    // `node` on what is not a project: every signed-in user but the auditor sees the
    // organization; users are seen by admins, and each user by themselves.
    ("node(Department)", [Unauth, Ok, Ok, Ok, Ok, Forbidden]),
    ("node(BudgetUnit)", [Unauth, Ok, Ok, Ok, Ok, Forbidden]),
    ("node(User: self)", [Unauth, Ok, Ok, Ok, Ok, Forbidden]),
    ("node(User: another)", [Unauth, NotFound, NotFound, Ok, NotFound, Forbidden]),
    ("Mutation.login", [Ok, Ok, Ok, Ok, Ok, Ok]),
    ("Mutation.createProject", [Unauth, Ok, Forbidden, Forbidden, Forbidden, Forbidden]),
    // A submitter declaring for another department's unit.
    ("createProject(elsewhere)", [Unauth, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden]),
    ("Mutation.createDepartment", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    ("Mutation.createBudgetUnit", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    ("Mutation.createUser", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    // Monitoring rounds are public to everyone with access to the data (their reports follow
    // REPORT_TABLE): `Ok` when the round opened for the test is listed.
    ("Query.monitoringRounds", [Unauth, Ok, Ok, Ok, Ok, Forbidden]),
    ("Query.monitoringRound", [Unauth, Ok, Ok, Ok, Ok, Forbidden]),
    ("Mutation.openMonitoringRound", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
];

const REPORT_STATUSES: [&str; 4] = ["DRAFT", "SUBMITTED", "ACCEPTED", "RETURNED"];

/// 结果应用 and 整改: (path or operation, outcome for each of [`EVERYONE`]), each cell on a year of
/// its own holding one project of the own department (of the other for an outsider): SUBMITTED
/// for the decision and the suggestion, APPROVED for the bureau's evaluation, and for the items an
/// accepted self-evaluation graded 差 whose items stand where the step needs them. A read is `Ok`
/// when it shows what it names, `NotFound` when it shows nothing (null, or none of the items).
const RESULTS_TABLE: &[(&str, [Outcome; 8])] = &[
    ("Query.resultRules", [Unauth, Ok, Ok, Ok, Ok, Ok, Ok, Forbidden]),
    ("Query.resultsApplication", [Unauth, Forbidden, Forbidden, Ok, Ok, Forbidden, Forbidden, Forbidden]),
    ("Mutation.setResultRules", [Unauth, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Forbidden, Forbidden]),
    ("Mutation.recordFinanceEvaluation", [Unauth, Forbidden, NotFound, Ok, Forbidden, Forbidden, NotFound, Forbidden]),
    ("Mutation.decideBudget", [Unauth, Forbidden, NotFound, Ok, Forbidden, Forbidden, NotFound, Forbidden]),
    ("Project.budgetSuggestion", [Unauth, NotFound, NotFound, Ok, Ok, NotFound, NotFound, Forbidden]),
    ("Project.budgetDecision", [Unauth, NotFound, NotFound, Ok, Ok, NotFound, NotFound, Forbidden]),
    ("Query.rectifications", [Unauth, Ok, NotFound, Ok, Ok, Ok, NotFound, Forbidden]),
    ("Mutation.answerRectification", [Unauth, Ok, NotFound, Forbidden, Forbidden, Forbidden, NotFound, Forbidden]),
    ("Mutation.closeRectification", [Unauth, Forbidden, NotFound, Ok, Forbidden, Forbidden, NotFound, Forbidden]),
    ("Mutation.reopenRectification", [Unauth, Forbidden, NotFound, Ok, Forbidden, Forbidden, NotFound, Forbidden]),
];

/// 待办 and deadlines: (path or operation, outcome for each of [`EVERYONE`]), each cell on a year
/// of its own whose one project is of the own department, in the status that waits for the
/// caller's role (DRAFT for submitters, and for the roles nothing waits for; SUBMITTED for the
/// approver; DEPARTMENT_REVIEW for reviewers). A read is `Ok` when it shows what it names (the
/// project in the list, one more in the count, the department's extension, the year's change, the
/// department's overdue declaration), `NotFound` when it does not.
const TODO_TABLE: &[(&str, [Outcome; 8])] = &[
    ("Query.todo", [Unauth, Ok, NotFound, Ok, NotFound, Ok, NotFound, Forbidden]),
    ("Query.todoCounts", [Unauth, Ok, NotFound, Ok, NotFound, Ok, NotFound, Forbidden]),
    ("Query.deadlines", [Unauth, Ok, NotFound, Ok, Ok, Ok, NotFound, Forbidden]),
    ("Query.deadlineChanges", [Unauth, Forbidden, Forbidden, Ok, Ok, Forbidden, Forbidden, Forbidden]),
    ("Query.overdueSummary", [Unauth, Ok, NotFound, Ok, Ok, Ok, NotFound, Forbidden]),
    ("Mutation.setDeadline", [Unauth, Forbidden, Forbidden, Ok, Ok, Forbidden, Forbidden, Forbidden]),
];

/// 指标库: (path or operation, outcome for each of [`EVERYONE`]), each cell on an entry of the own
/// department of its own (made CONFIRMED by the approver). A read is `Ok` when it shows that
/// entry, `NotFound` when it does not; a change is `Ok` when it was kept.
const LIBRARY_TABLE: &[(&str, [Outcome; 8])] = &[
    ("Query.indicatorLibrary", [Unauth, Ok, NotFound, Ok, Ok, Ok, NotFound, Forbidden]),
    ("Query.libraryEntry", [Unauth, Ok, NotFound, Ok, Ok, Ok, NotFound, Forbidden]),
    ("Query.suggestIndicators", [Unauth, Ok, NotFound, Ok, Ok, Ok, NotFound, Forbidden]),
    ("Mutation.addLibraryEntry", [Unauth, Ok, Forbidden, Ok, Ok, Ok, Forbidden, Forbidden]),
    ("Mutation.addLibraryEntry (common)", [Unauth, Forbidden, Forbidden, Ok, Ok, Forbidden, Forbidden, Forbidden]),
    ("Mutation.updateLibraryEntry", [Unauth, Forbidden, NotFound, Ok, Ok, Forbidden, NotFound, Forbidden]),
    ("Mutation.setLibraryEntryStatus", [Unauth, Forbidden, NotFound, Ok, Ok, Forbidden, NotFound, Forbidden]),
    ("Mutation.seedIndicatorLibrary", [Unauth, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Forbidden, Forbidden]),
    ("Mutation.importIndicatorLibrary", [Unauth, Forbidden, Forbidden, Ok, Ok, Forbidden, Forbidden, Forbidden]),
    ("GET /export/library.xlsx", [Unauth, Ok, NotFound, Ok, Ok, Ok, NotFound, Forbidden]),
];

/// 批复下达 and 绩效公开: (path or operation, outcome for each of [`EVERYONE`]: Anonymous,
/// Submitter, OtherSubmitter, Approver, Admin, DepartmentReviewer, OtherReviewer, Auditor), each
/// cell on a year of its own of the own department that holds one approved project, issued
/// (unless the cell issues it) and, for the `(published)` rows, published. A read is `Ok` when
/// it shows that year's act (or publication), `NotFound` when it shows nothing (another
/// department's year is not theirs to follow); a download is its HTTP status.
const PUBLICATION_TABLE: &[(&str, [Outcome; 8])] = &[
    ("Mutation.issueApprovals", [Unauth, Forbidden, Forbidden, Ok, Ok, Forbidden, Forbidden, Forbidden]),
    ("Mutation.markPublished", [Unauth, Ok, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden]),
    ("Department.approvalIssues", [Unauth, Ok, NotFound, Ok, Ok, Ok, NotFound, Forbidden]),
    ("Department.publication", [Unauth, Ok, NotFound, Ok, Ok, Ok, NotFound, Forbidden]),
    ("Query.publications", [Unauth, Ok, NotFound, Ok, Ok, Ok, NotFound, Forbidden]),
    ("GET /export/publication", [Unauth, Ok, Forbidden, Ok, Ok, Ok, Forbidden, Forbidden]),
    ("GET /export/publication (published)", [Unauth, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
];

/// Self-evaluations, whose rule is the monitoring reports' (the same people do the same steps):
/// (path or operation, who, outcome on one in DRAFT, SUBMITTED, ACCEPTED, RETURNED). A read's
/// evaluation is alone in its fiscal year, so that the summary counts it or nothing.
const EVALUATION_TABLE: &[(&str, Who, [Outcome; 4])] = &[
    ("Project.selfEvaluation", Anonymous, [Unauth; 4]),
    ("Project.selfEvaluation", Submitter, [Ok; 4]),
    ("Project.selfEvaluation", OtherSubmitter, [NotFound; 4]),
    ("Project.selfEvaluation", Approver, [NotFound, Ok, Ok, Ok]),
    ("Project.selfEvaluation", Admin, [Ok; 4]),
    ("Project.selfEvaluation", DepartmentReviewer, [NotFound, Ok, Ok, Ok]),
    ("Project.selfEvaluation", OtherReviewer, [NotFound; 4]),
    ("Project.selfEvaluation", Auditor, [Forbidden; 4]),
    ("Query.selfEvaluationSummary", Anonymous, [Unauth; 4]),
    ("Query.selfEvaluationSummary", Submitter, [Ok; 4]),
    ("Query.selfEvaluationSummary", OtherSubmitter, [NotFound; 4]),
    ("Query.selfEvaluationSummary", Approver, [NotFound, Ok, Ok, Ok]),
    ("Query.selfEvaluationSummary", Admin, [Ok; 4]),
    ("Query.selfEvaluationSummary", DepartmentReviewer, [NotFound, Ok, Ok, Ok]),
    ("Query.selfEvaluationSummary", OtherReviewer, [NotFound; 4]),
    ("Query.selfEvaluationSummary", Auditor, [Forbidden; 4]),
    ("updateSelfEvaluation", Anonymous, [Unauth; 4]),
    ("updateSelfEvaluation", Submitter, [Ok, Transition, Transition, Ok]),
    ("updateSelfEvaluation", OtherSubmitter, [NotFound; 4]),
    ("updateSelfEvaluation", Approver, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("updateSelfEvaluation", Admin, [Forbidden; 4]),
    ("updateSelfEvaluation", DepartmentReviewer, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("updateSelfEvaluation", OtherReviewer, [NotFound; 4]),
    ("updateSelfEvaluation", Auditor, [Forbidden; 4]),
    ("submitSelfEvaluation", Anonymous, [Unauth; 4]),
    ("submitSelfEvaluation", Submitter, [Ok, Transition, Transition, Ok]),
    ("submitSelfEvaluation", OtherSubmitter, [NotFound; 4]),
    ("submitSelfEvaluation", Approver, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("submitSelfEvaluation", Admin, [Forbidden; 4]),
    ("submitSelfEvaluation", DepartmentReviewer, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("submitSelfEvaluation", OtherReviewer, [NotFound; 4]),
    ("submitSelfEvaluation", Auditor, [Forbidden; 4]),
    ("acceptSelfEvaluation", Anonymous, [Unauth; 4]),
    ("acceptSelfEvaluation", Submitter, [Forbidden; 4]),
    ("acceptSelfEvaluation", OtherSubmitter, [NotFound; 4]),
    ("acceptSelfEvaluation", Approver, [NotFound, Ok, Transition, Transition]),
    ("acceptSelfEvaluation", Admin, [Forbidden; 4]),
    ("acceptSelfEvaluation", DepartmentReviewer, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("acceptSelfEvaluation", OtherReviewer, [NotFound; 4]),
    ("acceptSelfEvaluation", Auditor, [Forbidden; 4]),
    ("returnSelfEvaluation", Anonymous, [Unauth; 4]),
    ("returnSelfEvaluation", Submitter, [Forbidden; 4]),
    ("returnSelfEvaluation", OtherSubmitter, [NotFound; 4]),
    ("returnSelfEvaluation", Approver, [NotFound, Ok, Transition, Transition]),
    ("returnSelfEvaluation", Admin, [Forbidden; 4]),
    ("returnSelfEvaluation", DepartmentReviewer, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("returnSelfEvaluation", OtherReviewer, [NotFound; 4]),
    ("returnSelfEvaluation", Auditor, [Forbidden; 4]),
];

/// Monitoring reports: (path or operation, who, outcome on a report in DRAFT, SUBMITTED,
/// ACCEPTED, RETURNED). Reads follow the project rule (an approver does not see a report the
/// unit is still filling); the unit fills and submits; approvers accept and return.
const REPORT_TABLE: &[(&str, Who, [Outcome; 4])] = &[
    ("Query.monitoringReport", Anonymous, [Unauth; 4]),
    ("Query.monitoringReport", Submitter, [Ok; 4]),
    ("Query.monitoringReport", OtherSubmitter, [NotFound; 4]),
    ("Query.monitoringReport", Approver, [NotFound, Ok, Ok, Ok]),
    ("Query.monitoringReport", Admin, [Ok; 4]),
    ("Query.monitoringReport", DepartmentReviewer, [NotFound, Ok, Ok, Ok]),
    ("Query.monitoringReport", OtherReviewer, [NotFound; 4]),
    ("Query.monitoringReport", Auditor, [Forbidden; 4]),
    ("MonitoringRound.reports", Anonymous, [Unauth; 4]),
    ("MonitoringRound.reports", Submitter, [Ok; 4]),
    ("MonitoringRound.reports", OtherSubmitter, [NotFound; 4]),
    ("MonitoringRound.reports", Approver, [NotFound, Ok, Ok, Ok]),
    ("MonitoringRound.reports", Admin, [Ok; 4]),
    ("MonitoringRound.reports", DepartmentReviewer, [NotFound, Ok, Ok, Ok]),
    ("MonitoringRound.reports", OtherReviewer, [NotFound; 4]),
    ("MonitoringRound.reports", Auditor, [Forbidden; 4]),
    ("MonitoringRound.summary", Anonymous, [Unauth; 4]),
    ("MonitoringRound.summary", Submitter, [Ok; 4]),
    ("MonitoringRound.summary", OtherSubmitter, [NotFound; 4]),
    ("MonitoringRound.summary", Approver, [NotFound, Ok, Ok, Ok]),
    ("MonitoringRound.summary", Admin, [Ok; 4]),
    ("MonitoringRound.summary", DepartmentReviewer, [NotFound, Ok, Ok, Ok]),
    ("MonitoringRound.summary", OtherReviewer, [NotFound; 4]),
    ("MonitoringRound.summary", Auditor, [Forbidden; 4]),
    ("Project.monitoringReports", Anonymous, [Unauth; 4]),
    ("Project.monitoringReports", Submitter, [Ok; 4]),
    ("Project.monitoringReports", OtherSubmitter, [NotFound; 4]),
    ("Project.monitoringReports", Approver, [NotFound, Ok, Ok, Ok]),
    ("Project.monitoringReports", Admin, [Ok; 4]),
    ("Project.monitoringReports", DepartmentReviewer, [NotFound, Ok, Ok, Ok]),
    ("Project.monitoringReports", OtherReviewer, [NotFound; 4]),
    ("Project.monitoringReports", Auditor, [Forbidden; 4]),
    ("updateMonitoringReport", Anonymous, [Unauth; 4]),
    ("updateMonitoringReport", Submitter, [Ok, Transition, Transition, Ok]),
    ("updateMonitoringReport", OtherSubmitter, [NotFound; 4]),
    ("updateMonitoringReport", Approver, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("updateMonitoringReport", Admin, [Forbidden; 4]),
    ("updateMonitoringReport", DepartmentReviewer, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("updateMonitoringReport", OtherReviewer, [NotFound; 4]),
    ("updateMonitoringReport", Auditor, [Forbidden; 4]),
    ("submitMonitoringReport", Anonymous, [Unauth; 4]),
    ("submitMonitoringReport", Submitter, [Ok, Transition, Transition, Ok]),
    ("submitMonitoringReport", OtherSubmitter, [NotFound; 4]),
    ("submitMonitoringReport", Approver, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("submitMonitoringReport", Admin, [Forbidden; 4]),
    ("submitMonitoringReport", DepartmentReviewer, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("submitMonitoringReport", OtherReviewer, [NotFound; 4]),
    ("submitMonitoringReport", Auditor, [Forbidden; 4]),
    ("acceptMonitoringReport", Anonymous, [Unauth; 4]),
    ("acceptMonitoringReport", Submitter, [Forbidden; 4]),
    ("acceptMonitoringReport", OtherSubmitter, [NotFound; 4]),
    ("acceptMonitoringReport", Approver, [NotFound, Ok, Transition, Transition]),
    ("acceptMonitoringReport", Admin, [Forbidden; 4]),
    ("acceptMonitoringReport", DepartmentReviewer, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("acceptMonitoringReport", OtherReviewer, [NotFound; 4]),
    ("acceptMonitoringReport", Auditor, [Forbidden; 4]),
    ("returnMonitoringReport", Anonymous, [Unauth; 4]),
    ("returnMonitoringReport", Submitter, [Forbidden; 4]),
    ("returnMonitoringReport", OtherSubmitter, [NotFound; 4]),
    ("returnMonitoringReport", Approver, [NotFound, Ok, Transition, Transition]),
    ("returnMonitoringReport", Admin, [Forbidden; 4]),
    ("returnMonitoringReport", DepartmentReviewer, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("returnMonitoringReport", OtherReviewer, [NotFound; 4]),
    ("returnMonitoringReport", Auditor, [Forbidden; 4]),
];

/// The organization's and people's administration: (operation, outcome for each of [`ROLES`]). Each cell acts on a target made for it, and checks afterwards
/// that the target changed exactly when the answer says so.
const ADMIN_TABLE: &[(&str, [Outcome; ROLES.len()])] = &[
    ("Query.users", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    // The audit trail: admins (and security auditors, `audit_trail.rs`).
    ("Query.auditLog", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Ok]),
    ("Mutation.updateDepartment", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    ("Mutation.updateBudgetUnit", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    ("Mutation.deleteBudgetUnit", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    ("Mutation.updateUser", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    ("Mutation.disableUser", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    ("Mutation.enableUser", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    ("Mutation.setPassword", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    ("Mutation.assignApprover", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    ("Mutation.unassignApprover", [Unauth, Forbidden, Forbidden, Ok, Forbidden, Forbidden]),
    // Anyone signed in, for themselves (each cell signs in as a user of that role made for it).
    ("Mutation.changePassword", [Unauth, Ok, Ok, Ok, Ok, Ok]),
];

/// Fields that lead to data but show only what belongs to an object the caller already sees,
/// under the same rule as that object; each with the reason a row of its own would add nothing.
const FOLLOWS_ITS_PARENT: &[(&str, &str)] = &[
    ("TodoItem.project", "an item is listed only to whom it waits for, who sees its project (TODO_TABLE)"),
    ("TodoItem.department", "departments are visible to every signed-in user"),
    ("Deadline.department", "departments are visible to every signed-in user"),
    ("Deadline.setBy", "who set a deadline is shown when the users rule shows them, else null"),
    ("DeadlineChange.department", "departments are visible to every signed-in user"),
    ("DeadlineChange.changedBy", "who changed a deadline is shown when the users rule shows them, else null"),
    ("OverdueCount.department", "departments are visible to every signed-in user"),
    ("LibraryEntry.department", "departments are visible to every signed-in user"),
    ("LibraryEntryVersion.changedBy", "who changed an entry is shown when the users rule shows them, else null"),
    ("LibraryEntryUse.project", "loaded as any project is, through the caller's visibility (null when hidden)"),
    ("Project.department", "departments are visible to every signed-in user"),
    ("Project.implementingUnit", "budget units are visible to every signed-in user"),
    ("Project.reviews", "a project's history is shown to whoever sees the project"),
    ("Project.previousProject", "loaded as any project is, through the caller's visibility (null when hidden)"),
    ("Review.actor", "who acted on a project is shown to whoever sees the project"),
    ("SelfEvaluation.project", "an evaluation is seen by those who see its project (the evaluation rule is narrower)"),
    ("EvaluationReview.actor", "who acted on an evaluation is shown when the users rule shows them, else null"),
    ("MonitoringReport.project", "a report is seen by those who see its project (the report rule is narrower)"),
    (
        "DepartmentGoalsReport.departmentGoals",
        "a report is seen by those who see its form (the report rule is narrower), read through their visibility",
    ),
    (
        "DepartmentGoalsEvaluation.departmentGoals",
        "an evaluation is seen by those who see its form (the rule is narrower), read through their visibility",
    ),
    ("MonitoringReview.actor", "who acted on a report is shown when the users rule shows them, else null"),
    ("ProjectSnapshot.approvedBy", "the approver of a project is shown to whoever sees it, as in its reviews"),
    ("BudgetUnit.department", "departments are visible to every signed-in user"),
    ("Department.budgetUnits", "budget units are visible to every signed-in user"),
    ("User.department", "departments are visible to every signed-in user"),
    ("User.assignedDepartments", "departments are visible to every signed-in user"),
    ("ProjectDecision.project", "part of approveProjects' payload: the project this caller has just approved"),
    ("Project.remarks", "a project's remarks are shown to whoever sees the project, as its reviews"),
    ("ProjectEvent.project", "an event is sent only to subscribers who may see its project (subscriptions.rs)"),
    ("MonitoringEvent.report", "an event is sent only to subscribers who may see its report (subscriptions.rs)"),
    (
        "DepartmentGoalsStepEvent.departmentGoals",
        "a step is sent only to subscribers who may see the form in the status it left (subscription_roles.rs)",
    ),
    (
        "DepartmentGoalsReportEvent.report",
        "a step is sent only to subscribers who may see the report in the status it left (subscription_roles.rs)",
    ),
    (
        "DepartmentGoalsEvaluationEvent.selfEvaluation",
        "a step is sent only to subscribers who may see the self-evaluation in the status it left (subscription_roles.rs)",
    ),
    ("ReviewRemark.author", "who remarked on a project is shown when the users rule shows them, else null"),
    ("ReviewRemark.answeredBy", "who answered a remark is shown when the users rule shows them, else null"),
    // Answering needs a remark, made only while a project is under review; review_remarks.rs
    // checks who may answer (the unit while editing: FORBIDDEN for the approver, INVALID_TRANSITION
    // once submitted again).
    ("Mutation.answerReviewRemark", "review_remarks.rs: the project's own submitters, while it is edited"),
    ("DeclarationSummary.department", "departments are visible to every signed-in user"),
    ("Project.issue", "the act that issued a project is shown to whoever sees the project"),
    ("ApprovalIssue.department", "departments are visible to every signed-in user"),
    ("ApprovalIssue.issuedBy", "who issued an act is shown when the users rule shows them, else null"),
    ("Publication.department", "departments are visible to every signed-in user"),
    ("Project.priorResult", "a project's prior result is shown to whoever sees the project (results_applied.rs)"),
    (
        "Project.rectifications",
        "a project's items are shown to whoever sees the project: its department and the bureau",
    ),
    ("PriorResult.project", "loaded as any project is, through the caller's visibility (null when hidden)"),
    ("RectificationItem.project", "loaded as any project is, through the caller's visibility (null when hidden)"),
    (
        "RectificationItem.history",
        "an item's steps come with the item, to whoever follows its department's year (results_applied.rs)",
    ),
    ("RectificationStep.actor", "who acted is shown when the users rule shows them, else null"),
    ("BudgetDecision.decidedBy", "who decided is shown when the users rule shows them, else null"),
    ("DepartmentGoals.department", "departments are visible to every signed-in user"),
    ("GoalTask.projects", "loaded as any project is, through the caller's visibility (hidden ones left out)"),
    ("DepartmentGoalsReview.actor", "who acted is shown when the users rule shows them, else null"),
];

struct Fixture {
    // Keeps the database and the server alive for the test.
    _world: World,
    own_dept: String,
    own_unit: String,
    other_unit: String,
    other_dept: String,
    /// The other department's submitter, whom none of the callers is.
    other_user: String,
    clients: Vec<(Who, Client)>,
    other_submitter: Client,
    /// The other department's reviewer, who forwards its declarations.
    other_reviewer: Client,
    approver: Client,
    /// Projects only read, one per (who, status), each alone in a fiscal year of its own.
    read_projects: tokio::sync::Mutex<HashMap<(Who, &'static str), Target>>,
    /// The next of those years (each fixture has a database, and so the years, of its own).
    read_years: AtomicI32,
    /// A monitoring round of the seed's year.
    round_2023: String,
    /// The round of the shared year of the report mutation cells, once opened.
    shared_round: tokio::sync::Mutex<Option<String>>,
    /// The project of each self-evaluation made, for reading it back.
    evaluation_projects: tokio::sync::Mutex<HashMap<String, String>>,
}

/// A project of the matrix and where it lives.
#[derive(Clone)]
struct Target {
    id: String,
    year: i32,
    dept: String,
    unit: String,
}

static NAMES: AtomicU32 = AtomicU32::new(0);
/// The first fiscal year that holds one read-only project (the seed is 2023, mutated projects 2024).
const FIRST_READ_YEAR: i32 = 2070;
/// Fiscal years that hold one read-only monitoring report each (8 callers × 4 statuses).
static REPORT_YEARS: AtomicI32 = AtomicI32::new(2026);
/// The self-evaluations made for the summary's count (8 callers × 4 statuses), each alone in its
/// fiscal year: 2000–2022, then 2087 on (the years between hold the seed, the mutation cells,
/// the reports and the read-only projects).
static EVALUATION_YEARS: AtomicI32 = AtomicI32::new(0);

fn evaluation_year() -> i32 {
    let year = 2000 + EVALUATION_YEARS.fetch_add(1, Ordering::Relaxed);
    if year <= 2022 { year } else { year + 64 }
}
/// The fiscal year of the report mutation cells (after the read-only reports' years).
const SHARED_REPORT_YEAR: i32 = 2060;

impl Fixture {
    async fn new() -> Fixture {
        Fixture::with(&[]).await
    }

    /// The fixture, its server started with `env` too.
    async fn with(env: &[(&str, &str)]) -> Fixture {
        // The matrix makes a project per cell, more than one person makes in an hour.
        let mut env = env.to_vec();
        env.push(("JIXIAO_MAX_CREATES_PER_HOUR", "5000"));
        let world = World::with_fixture_and(&env).await;
        let admin = world.login("admin").await;
        let (other_dept, _) = jixiao_tests::other_department(&admin).await;
        add_user(&world.db.url, "other", "SUBMITTER", Some("OTHER")).await;
        let submitter = world.login("submitter").await;
        let other_submitter = world.login("other").await;
        let other_user = other_submitter.data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().into();
        let approver = world.login("approver").await;
        let own_unit = unit_of(&submitter, "SJQ-XFB").await;
        let other_unit = unit_of(&submitter, "OTHER").await;
        let own_dept = submitter.data("{ department(code: \"SJQ-XFB\") { id } }", json!({})).await["department"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let opened = admin
            .data(
                "mutation { openMonitoringRound(input: { fiscalYear: 2023, name: \"2023年1-7月\", asOf: \"2023-07-31\", dueDate: \"2023-08-15\" }) { round { id } } }",
                json!({}),
            )
            .await;
        let round_2023 = opened["openMonitoringRound"]["round"]["id"].as_str().unwrap().to_string();
        add_user(&world.db.url, "reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
        add_user(&world.db.url, "other-reviewer", "DEPARTMENT_REVIEWER", Some("OTHER")).await;
        add_user(&world.db.url, "auditor", "SECURITY_AUDITOR", None).await;
        let reviewer = world.login("reviewer").await;
        let other_reviewer = world.login("other-reviewer").await;
        let clients = vec![
            (Anonymous, world.anonymous()),
            (Submitter, submitter.clone()),
            (OtherSubmitter, submitter),
            (Approver, approver.clone()),
            (Admin, admin),
            (DepartmentReviewer, reviewer.clone()),
            (OtherReviewer, reviewer),
            (Auditor, world.login("auditor").await),
        ];
        Fixture {
            _world: world,
            own_dept,
            own_unit,
            other_unit,
            other_dept,
            other_user,
            clients,
            other_submitter,
            other_reviewer,
            approver,
            read_projects: Default::default(),
            read_years: AtomicI32::new(FIRST_READ_YEAR),
            round_2023,
            shared_round: Default::default(),
            evaluation_projects: Default::default(),
        }
    }

    fn client(&self, who: Who) -> &Client {
        &self.clients.iter().find(|(w, _)| *w == who).unwrap().1
    }

    /// A new project of fiscal year `year` in `status`: of the acting submitter's own
    /// department, or of the other department when `who` is the other department's outsider.
    async fn project_in(&self, who: Who, status: &str, year: i32) -> Target {
        let (owner, unit, dept) = if outsider(who) {
            (&self.other_submitter, &self.other_unit, &self.other_dept)
        } else {
            (self.client(Submitter), &self.own_unit, &self.own_dept)
        };
        let name = format!("项目 {}", NAMES.fetch_add(1, Ordering::Relaxed));
        let mut input = complete_declaration(unit, &name);
        input["fiscalYear"] = json!(year);
        input["plannedStart"] = json!(format!("{year}-03-01"));
        input["plannedEnd"] = json!(format!("{year}-12-31"));
        let r = owner.data(CREATE_PROJECT, json!({ "input": input })).await;
        let id = r["createProject"]["project"]["id"].as_str().unwrap_or_else(|| panic!("create: {r}")).to_string();
        if status != "DRAFT" {
            step(owner, "submitProject", &id, "").await;
        }
        if !["DRAFT", "DEPARTMENT_REVIEW"].contains(&status) {
            let reviewer = if outsider(who) { &self.other_reviewer } else { self.client(DepartmentReviewer) };
            step(reviewer, "forwardProject", &id, "").await;
        }
        match status {
            "APPROVED" | "ADJUSTING" | "ADJUSTMENT_SUBMITTED" => step(&self.approver, "approveProject", &id, "").await,
            "REJECTED" => step(&self.approver, "rejectProject", &id, ", reason: \"请补充\"").await,
            "NOT_APPROVED" => step(&self.approver, "rejectProject", &id, ", reason: \"不予通过\", grade: POOR").await,
            _ => {}
        }
        if status.starts_with("ADJUST") {
            let version = self.state(&id).await.expect("just made").1;
            let r = owner
                .data(
                    "mutation($i: StartAdjustmentInput!) { startAdjustment(input: $i) { project { status } userErrors { code } } }",
                    json!({ "i": { "id": id, "expectedVersion": version, "reason": "年中调整" } }),
                )
                .await;
            assert_eq!(r["startAdjustment"]["project"]["status"], "ADJUSTING", "{r}");
        }
        if status == "ADJUSTMENT_SUBMITTED" {
            step(owner, "submitProject", &id, "").await;
        }
        Target { id, year, dept: dept.clone(), unit: unit.clone() }
    }

    /// The read-only project in `status` that `who` reads (the other department's for the
    /// outsider, the own department's for everyone else), made on first use, alone in its year.
    async fn read_project(&self, who: Who, status: &'static str) -> Target {
        let owner = if outsider(who) { OtherSubmitter } else { Submitter };
        let mut projects = self.read_projects.lock().await;
        if let Some(t) = projects.get(&(owner, status)) {
            return t.clone();
        }
        let t = self.project_in(owner, status, self.read_years.fetch_add(1, Ordering::Relaxed)).await;
        projects.insert((owner, status), t.clone());
        t
    }

    /// The project as the admin sees it: status, version and overall goal, or None when gone.
    async fn state(&self, id: &str) -> Option<(String, i64, String)> {
        let r = self
            .client(Admin)
            .gql("query($id: ID!) { project(id: $id) { status version overallGoal } }", json!({ "id": id }))
            .await;
        if r["errors"][0]["extensions"]["code"] == "NOT_FOUND" {
            return None;
        }
        let p = &r["data"]["project"];
        Some((p["status"].as_str()?.into(), p["version"].as_i64()?, p["overallGoal"].as_str()?.into()))
    }
}

async fn step(client: &Client, op: &str, id: &str, extra: &str) {
    let q = format!(
        "mutation($id: ID!) {{ {op}(id: $id{extra}) {{ project {{ status }} userErrors {{ code message }} }} }}"
    );
    let r = client.data(&q, json!({ "id": id })).await;
    assert!(r[op]["project"].is_object(), "{op}: {r}");
}

/// The outcome of an error, if the response has one.
fn error_outcome(r: &Value) -> Option<Outcome> {
    let code = r["errors"][0]["extensions"]["code"].as_str()?;
    Some(match code {
        "UNAUTHENTICATED" => Unauth,
        "FORBIDDEN" => Forbidden,
        "NOT_FOUND" => NotFound,
        other => panic!("unexpected error code {other}: {r}"),
    })
}

/// A mutation's outcome: its error, its INVALID_TRANSITION user error, or done.
fn classify(r: &Value, field: &str) -> Outcome {
    if let Some(e) = error_outcome(r) {
        return e;
    }
    if r["data"][field].is_null() {
        return Null;
    }
    match r["data"][field]["userErrors"][0]["code"].as_str() {
        Some("INVALID_TRANSITION") => Transition,
        Some(other) => panic!("unexpected user error {other}: {r}"),
        None => Ok,
    }
}

/// Whether the project is shown (or counted) on `path`, as `who` asks for it, and the answer it
/// was read from.
async fn read_path(f: &Fixture, path: &str, who: Who, t: &Target) -> (Outcome, Value) {
    let vars = json!({ "id": t.id, "y": t.year, "d": t.dept, "u": t.unit });
    let (query, at): (&str, &[&str]) = match path {
        "Query.project" => ("query($id: ID!) { project(id: $id) { id } }", &["project", "id"]),
        "Query.node" => ("query($id: ID!) { node(id: $id) { id } }", &["node", "id"]),
        "Query.projects" => (
            "query($y: Int!) { projects(first: 100, filter: { fiscalYear: $y }) { totalCount nodes { id } } }",
            &["projects"],
        ),
        "Department.projects" => (
            "query($d: ID!, $y: Int!) { department(id: $d) { projects(first: 100, filter: { fiscalYear: $y }) { totalCount nodes { id } } } }",
            &["department", "projects"],
        ),
        "BudgetUnit.projects" => (
            "query($u: ID!, $y: Int!) { node(id: $u) { ... on BudgetUnit { projects(first: 100, filter: { fiscalYear: $y }) { totalCount nodes { id } } } } }",
            &["node", "projects"],
        ),
        "Department.summary" => (
            "query($d: ID!, $y: Int!) { department(id: $d) { summary(fiscalYear: $y) { projectCount } } }",
            &["department", "summary", "projectCount"],
        ),
        "Query.declarationSummary" => (
            "query($y: Int!) { declarationSummary(fiscalYear: $y) { projectCount } }",
            &["declarationSummary", "projectCount"],
        ),
        "Query.declarationSummary(departmentId)" => (
            "query($y: Int!, $d: ID!) { declarationSummary(fiscalYear: $y, departmentId: $d) { projectCount } }",
            &["declarationSummary", "projectCount"],
        ),
        "Query.declarationReview" => {
            ("query($y: Int!) { declarationReview(fiscalYear: $y) { projectCount } }", &["declarationReview"])
        }
        "Query.declarationReview(departmentId)" => (
            "query($y: Int!, $d: ID!) { declarationReview(fiscalYear: $y, departmentId: $d) { projectCount } }",
            &["declarationReview"],
        ),
        other => panic!("no query for {other}"),
    };
    let r = f.client(who).gql(query, vars).await;
    if let Some(e) = error_outcome(&r) {
        return (e, r);
    }
    assert!(r.get("errors").is_none(), "{path}: {r}");
    let got = at.iter().fold(&r["data"], |v, k| &v[*k]);
    let shown = match got {
        Value::Null => return (Null, r),
        Value::String(id) => id == &t.id,
        // A count over a year that holds only this project.
        Value::Number(n) if n.as_i64() == Some(1) => true,
        Value::Number(n) if n.as_i64() == Some(0) => false,
        // The rules that fired, each over the projects counted: the one project or none.
        Value::Array(rules) => {
            assert!(rules.iter().all(|rule| rule["projectCount"] == 1), "{path}: {r}");
            !rules.is_empty()
        }
        Value::Object(page) => {
            let ids: Vec<&str> = page["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
            assert_eq!(page["totalCount"], ids.len(), "{path}: totalCount counts what the list shows");
            ids.contains(&t.id.as_str())
        }
        other => panic!("{path}: unexpected answer {other}"),
    };
    (if shown { Ok } else { NotFound }, r)
}

/// Runs a mutation on the project and checks its state afterwards: changed as the operation
/// says when done, untouched otherwise. Returns the outcome, or the state's mismatch.
/// The row-by-row editing mutations.
const ROW_OPS: [&str; 8] = [
    "addIndicator",
    "updateIndicator",
    "removeIndicator",
    "moveIndicator",
    "addFundItem",
    "updateFundItem",
    "removeFundItem",
    "moveFundItem",
];

/// The input of a row edit of the project `id` at `version` (its rows' ids read by the admin,
/// who sees them all), and the input's type.
async fn row_edit(f: &Fixture, op: &str, id: &str, version: i64) -> (Value, String) {
    let rows = f
        .client(Admin)
        .data("query($id: ID!) { project(id: $id) { indicators { id } fundItems { id } } }", json!({ "id": id }))
        .await;
    let indicator = rows["project"]["indicators"][0]["id"].clone();
    let item = rows["project"]["fundItems"][0]["id"].clone();
    let input = match op {
        "addIndicator" => json!({ "projectId": id, "expectedVersion": version,
            "indicator": { "level1": "OUTPUT", "level2": "QUALITY", "name": "验收合格率", "target": "=100%" } }),
        "updateIndicator" => json!({ "id": indicator, "expectedVersion": version, "target": "≥96%" }),
        "removeIndicator" => json!({ "id": indicator, "expectedVersion": version }),
        "moveIndicator" => json!({ "id": indicator, "expectedVersion": version, "position": 2 }),
        "addFundItem" => {
            json!({ "projectId": id, "expectedVersion": version, "fundItem": { "name": "印刷", "amount": "0.00" } })
        }
        "updateFundItem" => json!({ "id": item, "expectedVersion": version, "name": "调解员补助" }),
        "removeFundItem" => json!({ "id": item, "expectedVersion": version }),
        "moveFundItem" => json!({ "id": item, "expectedVersion": version, "position": 1 }),
        other => panic!("not a row edit: {other}"),
    };
    let mut input_type = op[..1].to_uppercase() + &op[1..];
    input_type.push_str("Input");
    (input, input_type)
}

/// A bulk answer for one id, as the answer of the one-project mutation it stands for: the id's
/// NOT_FOUND or FORBIDDEN as that top-level error, its other user errors as the payload's.
fn one_of_bulk(r: Value) -> Value {
    if r.get("errors").is_some() {
        return r;
    }
    let errors = r["data"]["approveProjects"]["results"][0]["userErrors"].clone();
    match errors[0]["code"].as_str() {
        Some(code @ ("NOT_FOUND" | "FORBIDDEN")) => json!({ "errors": [{ "extensions": { "code": code } }] }),
        _ => json!({ "data": { "approveProjects": { "userErrors": errors } } }),
    }
}

async fn run_mutation(f: &Fixture, op: &str, who: Who, id: &str) -> Result<Outcome, String> {
    let client = f.client(who);
    let before = f.state(id).await.expect("the project exists");
    let vars = json!({ "id": id });
    let payload = "{ userErrors { code } }";
    let r = match op {
        "updateProject" => {
            client
                .gql(
                    "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { userErrors { code } } }",
                    json!({ "input": { "id": id, "expectedVersion": before.1, "overallGoal": "改过的目标" } }),
                )
                .await
        }
        "approveProject" => {
            client
                .gql(&format!("mutation($id: ID!) {{ approveProject(id: $id, comment: \"同意\") {payload} }}"), vars)
                .await
        }
        "rejectProject" => {
            client
                .gql(&format!("mutation($id: ID!) {{ rejectProject(id: $id, reason: \"请补充\") {payload} }}"), vars)
                .await
        }
        "addReviewRemark" => {
            client
                .gql(
                    "mutation($id: ID!) { addReviewRemark(input: { projectId: $id, field: \"funds.total\", text: \"请补充测算依据\" }) { userErrors { code } } }",
                    vars,
                )
                .await
        }
        "startSelfEvaluation" => {
            client
                .gql(
                    &format!("mutation($id: ID!) {{ startSelfEvaluation(input: {{ projectId: $id }}) {payload} }}"),
                    vars,
                )
                .await
        }
        "startAdjustment" => {
            client
                .gql(
                    &format!("mutation($i: StartAdjustmentInput!) {{ startAdjustment(input: $i) {payload} }}"),
                    json!({ "i": { "id": id, "expectedVersion": before.1, "reason": "服务对象增加" } }),
                )
                .await
        }
        "approveProjects" => {
            let r = client
                .gql(
                    "mutation($id: ID!) { approveProjects(input: { ids: [$id], comment: \"同意\" }) { results { userErrors { code } } } }",
                    vars,
                )
                .await;
            one_of_bulk(r)
        }
        row_op if ROW_OPS.contains(&row_op) => {
            let (input, input_type) = row_edit(f, row_op, id, before.1).await;
            client
                .gql(&format!("mutation($i: {input_type}!) {{ {row_op}(input: $i) {payload} }}"), json!({ "i": input }))
                .await
        }
        other => client.gql(&format!("mutation($id: ID!) {{ {other}(id: $id) {payload} }}"), vars).await,
    };
    let outcome = classify(&r, op);
    if op == "addReviewRemark" {
        let remarks = |f: &Fixture| {
            let admin = f.client(Admin).clone();
            let vars = json!({ "id": id });
            async move {
                admin.data("query($id: ID!) { project(id: $id) { remarks { id } } }", vars).await["project"]["remarks"]
                    .as_array()
                    .map_or(0, Vec::len)
            }
        };
        let made = remarks(f).await == 1;
        let untouched = f.state(id).await.as_ref() == Some(&before);
        return match outcome {
            Ok if made && untouched => Result::Ok(Ok),
            Ok => Err(format!("answered as done, but remark made: {made}, project untouched: {untouched}")),
            other if made || !untouched => Err(format!("answered {other:?}, but something changed")),
            other => Result::Ok(other),
        };
    }
    if op == "startSelfEvaluation" {
        let evaluated = f
            .client(Admin)
            .data("query($id: ID!) { project(id: $id) { selfEvaluation { id } } }", json!({ "id": id }))
            .await["project"]["selfEvaluation"]
            .is_object();
        let untouched = f.state(id).await.as_ref() == Some(&before);
        return match outcome {
            Ok if evaluated && untouched => Result::Ok(Ok),
            Ok => Err(format!("answered as done, but evaluated: {evaluated}, project untouched: {untouched}")),
            other if evaluated || !untouched => Err(format!("answered {other:?}, but something changed")),
            other => Result::Ok(other),
        };
    }
    let after = f.state(id).await;
    let changed_as_said = match (op, &after) {
        ("deleteProject", gone) => gone.is_none(),
        ("updateProject", Some(a)) => a.0 == before.0 && a.1 > before.1 && a.2 == "改过的目标",
        (row_op, Some(a)) if ROW_OPS.contains(&row_op) => a.0 == before.0 && a.1 == before.1 + 1,
        (_, Some(a)) => {
            let adjusting = before.0.starts_with("ADJUST");
            let status = match op {
                "submitProject" if adjusting => "ADJUSTMENT_SUBMITTED",
                "submitProject" => "DEPARTMENT_REVIEW",
                "forwardProject" => "SUBMITTED",
                "withdrawProject" | "rejectProject" if adjusting => "ADJUSTING",
                "withdrawProject" => "DRAFT",
                "approveProject" | "approveProjects" | "cancelAdjustment" => "APPROVED",
                "rejectProject" => "REJECTED",
                "startAdjustment" => "ADJUSTING",
                other => panic!("no expected status for {other}"),
            };
            a.0 == status && a.1 > before.1
        }
        _ => false,
    };
    let untouched = after.as_ref() == Some(&before);
    match outcome {
        Ok if !changed_as_said => Err(format!("answered as done, but the project is {after:?} (was {before:?})")),
        Ok => Result::Ok(Ok),
        other if !untouched => {
            Err(format!("answered {other:?}, but the project changed to {after:?} (was {before:?})"))
        }
        other => Result::Ok(other),
    }
}

/// The read table with reads' answers kept between requests (the default): every cell is read
/// twice, and the second read, answered from the kept answers whenever the first had no error,
/// must be the same.
#[tokio::test]
async fn every_read_path_for_every_role_department_and_status() {
    let f = Fixture::new().await;
    let (failures, kept) = read_table(&f, true).await;
    assert!(failures.is_empty(), "{} cells differ:\n{}", failures.len(), failures.join("\n"));
    assert!(kept > 100, "only {kept} second reads were answered from the kept answers");
}

/// The read table with no answer kept (`JIXIAO_KEPT_ANSWERS_MB=0`).
#[tokio::test]
async fn every_read_path_without_kept_answers() {
    let f = Fixture::with(&[("JIXIAO_KEPT_ANSWERS_MB", "0")]).await;
    let (failures, _) = read_table(&f, false).await;
    assert!(failures.is_empty(), "{} cells differ:\n{}", failures.len(), failures.join("\n"));
}

/// Reads every cell of the read table (`twice`: a second time, which must be answered from the
/// kept answers exactly when the first had no error, and answer the same). The cells that
/// differ, and how many second reads were kept answers.
async fn read_table(f: &Fixture, twice: bool) -> (Vec<String>, usize) {
    let mut failures = Vec::new();
    let mut kept = 0;
    for path in READ_PATHS {
        for (who, outcomes) in SEES {
            for (status, expected) in STATUSES.iter().zip(outcomes) {
                let t = f.read_project(who, status).await;
                let (got, answer) = read_path(f, path, who, &t).await;
                if got != expected {
                    failures
                        .push(format!("{path} by {who:?} on a {status} project: expected {expected:?}, got {got:?}"));
                }
                if !twice {
                    continue;
                }
                let should = answer.get("errors").is_none() && who != Anonymous;
                // The database's notices of the cell's own set-up (its project made just now)
                // may come after the first read and drop its answer: read until they have come.
                let mut tries = 0;
                let (again, second, hit) = loop {
                    let hits = jixiao_tests::kept_answer_hits(f.client(Admin)).await;
                    let (again, second) = read_path(f, path, who, &t).await;
                    let hit = jixiao_tests::kept_answer_hits(f.client(Admin)).await > hits;
                    tries += 1;
                    if hit || !should || tries == 20 {
                        break (again, second, hit);
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(25)).await;
                };
                if again != got || second != answer || hit != should {
                    failures.push(format!(
                        "{path} by {who:?} on a {status} project, read again: {again:?} (kept: {hit}, should be {should}), first {got:?}"
                    ));
                }
                kept += usize::from(hit);
            }
        }
    }
    (failures, kept)
}

#[tokio::test]
async fn every_project_mutation_for_every_role_department_and_status() {
    let f = Fixture::new().await;
    let mut failures = Vec::new();
    for (op, who, outcomes) in MUTATION_TABLE {
        for (status, expected) in STATUSES.iter().zip(outcomes) {
            let t = f.project_in(*who, status, 2024).await;
            match run_mutation(&f, op, *who, &t.id).await {
                Result::Ok(got) if got == *expected => {}
                Result::Ok(got) => {
                    failures.push(format!("{op} by {who:?} on a {status} project: expected {expected:?}, got {got:?}"))
                }
                Err(e) => failures.push(format!("{op} by {who:?} on a {status} project: {e}")),
            }
        }
    }
    // Each project mutation run above left a record in the audit trail (at least one per cell:
    // setting the projects' statuses up wrote more), and the ones done are recorded as done.
    let admin = f.client(Admin).clone();
    let mut runs = std::collections::BTreeMap::<&str, i64>::new();
    for (op, _, outcomes) in MUTATION_TABLE {
        *runs.entry(op).or_default() += outcomes.len() as i64;
    }
    for (op, cells) in runs {
        let operation = format!("mutation.{op}");
        let all = recorded(&admin, &operation, None).await;
        if all < cells {
            failures.push(format!("{op}: run {cells} times, {all} audit records"));
        }
    }
    for (op, _, outcomes) in MUTATION_TABLE {
        if outcomes.contains(&Ok) && recorded(&admin, &format!("mutation.{op}"), Some("ok")).await == 0 {
            failures.push(format!("{op}: no audit record of it done"));
        }
    }
    assert!(failures.is_empty(), "{} cells differ:\n{}", failures.len(), failures.join("\n"));
}

/// For each global mutation that answered, whether what it creates is really there (as the
/// admin sees it, or by signing in as the new user).
async fn created(f: &Fixture, op: &str, key: &str) -> bool {
    let admin = f.client(Admin);
    match op {
        "Mutation.createProject" | "createProject(elsewhere)" => {
            let r = admin
                .data(
                    "query($n: String!) { projects(filter: { nameContains: $n }) { totalCount } }",
                    json!({ "n": key }),
                )
                .await;
            r["projects"]["totalCount"] == 1
        }
        "Mutation.createDepartment" => {
            let r = admin.gql("query($c: String!) { department(code: $c) { id } }", json!({ "c": key })).await;
            r["data"]["department"]["id"].is_string()
        }
        "Mutation.createBudgetUnit" => {
            let r = admin
                .data("query($d: ID!) { department(id: $d) { budgetUnits { code } } }", json!({ "d": f.other_dept }))
                .await;
            r["department"]["budgetUnits"].as_array().unwrap().iter().any(|u| u["code"] == key)
        }
        "Mutation.createUser" => {
            let r = f
                .client(Anonymous)
                .gql(
                    "mutation($u: String!) { login(username: $u, password: \"long enough pw\") { token } }",
                    json!({ "u": key }),
                )
                .await;
            r["data"]["login"]["token"].is_string()
        }
        "Mutation.openMonitoringRound" => {
            let r = admin.data("{ monitoringRounds(fiscalYear: 2023) { name } }", json!({})).await;
            r["monitoringRounds"].as_array().unwrap().iter().any(|round| round["name"] == key)
        }
        _ => unreachable!("{op} creates nothing"),
    }
}

#[tokio::test]
async fn every_other_operation_for_every_role() {
    let f = Fixture::new().await;
    let mut failures = Vec::new();
    for (op, outcomes) in GLOBAL_TABLE {
        for (who, expected) in ROLES.iter().zip(outcomes) {
            let n = NAMES.fetch_add(1, Ordering::Relaxed);
            let own_id = match who {
                Anonymous => f.other_user.clone(),
                _ => f.client(*who).data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().to_string(),
            };
            let node = "query($id: ID!) { node(id: $id) { id } }";
            let (query, vars, field, key) = match *op {
                "Query.me" => ("{ me { id } }", json!({}), "me", String::new()),
                "Query.departments" => ("{ departments { totalCount } }", json!({}), "departments", String::new()),
                "Query.department" => {
                    ("{ department(code: \"SJQ-XFB\") { id } }", json!({}), "department", String::new())
                }
                "Query.checkDeclaration" => (
                    "query($input: CreateProjectInput!) { checkDeclaration(input: $input) { findings { code } } }",
                    json!({ "input": complete_declaration(&f.own_unit, &format!("检查 {n}")) }),
                    "checkDeclaration",
                    String::new(),
                ),
                "Query.labels" => ("{ labels { enum } }", json!({}), "labels", String::new()),
                "Query.indicatorCatalog" => {
                    ("{ indicatorCatalog { code } }", json!({}), "indicatorCatalog", String::new())
                }
                "node(Department)" => (node, json!({ "id": f.other_dept }), "node", String::new()),
                "node(BudgetUnit)" => (node, json!({ "id": f.other_unit }), "node", String::new()),
                "node(User: self)" => (node, json!({ "id": own_id }), "node", String::new()),
                "node(User: another)" => (node, json!({ "id": f.other_user }), "node", String::new()),
                "Mutation.login" => (
                    "mutation($p: String!) { login(username: \"approver\", password: $p) { token } }",
                    json!({ "p": PASSWORD }),
                    "login",
                    String::new(),
                ),
                "Mutation.createProject" => {
                    let name = format!("新项目 {n}");
                    (
                        CREATE_PROJECT,
                        json!({ "input": complete_declaration(&f.own_unit, &name) }),
                        "createProject",
                        name,
                    )
                }
                "createProject(elsewhere)" => {
                    let name = format!("新项目 {n}");
                    (
                        CREATE_PROJECT,
                        json!({ "input": complete_declaration(&f.other_unit, &name) }),
                        "createProject",
                        name,
                    )
                }
                "Mutation.createDepartment" => (
                    "mutation($c: String!) { createDepartment(input: { code: $c, name: \"新部门\" }) { userErrors { code } } }",
                    json!({ "c": format!("D{n}") }),
                    "createDepartment",
                    format!("D{n}"),
                ),
                "Mutation.createBudgetUnit" => (
                    "mutation($d: ID!, $c: String!) { createBudgetUnit(input: { departmentId: $d, code: $c, name: \"新单位\" }) { userErrors { code } } }",
                    json!({ "d": f.other_dept, "c": format!("U{n}") }),
                    "createBudgetUnit",
                    format!("U{n}"),
                ),
                "Mutation.createUser" => (
                    "mutation($u: String!) { createUser(input: { username: $u, role: APPROVER, password: \"long enough pw\" }) { userErrors { code } } }",
                    json!({ "u": format!("user{n}") }),
                    "createUser",
                    format!("user{n}"),
                ),
                "Query.monitoringRounds" => {
                    ("{ monitoringRounds(fiscalYear: 2023) { id } }", json!({}), "monitoringRounds", String::new())
                }
                "Query.monitoringRound" => (
                    "query($id: ID!) { monitoringRound(id: $id) { id } }",
                    json!({ "id": f.round_2023 }),
                    "monitoringRound",
                    String::new(),
                ),
                "Mutation.openMonitoringRound" => (
                    "mutation($n: String!) { openMonitoringRound(input: { fiscalYear: 2023, name: $n, asOf: \"2023-06-30\", dueDate: \"2023-07-15\" }) { userErrors { code } } }",
                    json!({ "n": format!("轮次 {n}") }),
                    "openMonitoringRound",
                    format!("轮次 {n}"),
                ),
                other => panic!("no query for {other}"),
            };
            let r = f.client(*who).gql(query, vars.clone()).await;
            let got = classify(&r, field);
            if got != *expected {
                failures.push(format!("{op} by {who:?}: expected {expected:?}, got {got:?}: {r}"));
            } else if got == Ok && key.is_empty() && !shows(&f, op, &r["data"][field], &vars, &own_id) {
                failures.push(format!("{op} by {who:?}: answered, but without what it names: {r}"));
            } else if !key.is_empty() && created(&f, op, &key).await != (got == Ok) {
                failures.push(format!(
                    "{op} by {who:?}: answered {got:?}, but what it creates is {}there",
                    if got == Ok { "not " } else { "" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Whether a read of GLOBAL_TABLE that answered shows what it names (not an empty list).
fn shows(f: &Fixture, op: &str, got: &Value, vars: &Value, own_id: &str) -> bool {
    let non_empty = |v: &Value| v.as_array().is_some_and(|a| !a.is_empty());
    match op {
        "Query.me" => got["id"] == own_id,
        "Query.departments" => got["totalCount"].as_i64().is_some_and(|n| n >= 2),
        "Query.department" => got["id"] == f.own_dept.as_str(),
        "Query.indicatorCatalog" | "Query.labels" => non_empty(got),
        "Query.checkDeclaration" => got["findings"].is_array(),
        "node(Department)" | "node(BudgetUnit)" | "node(User: self)" | "node(User: another)" => got["id"] == vars["id"],
        "Mutation.login" => got["token"].is_string(),
        "Query.monitoringRounds" => got.as_array().is_some_and(|l| l.iter().any(|r| r["id"] == f.round_2023.as_str())),
        "Query.monitoringRound" => got["id"] == f.round_2023.as_str(),
        other => panic!("no check of what {other} shows"),
    }
}

/// The tables themselves: every role of the domain is a caller (those tied to a department
/// both of the project's and of another), and every row of a table keyed by caller runs every
/// caller exactly once, so a role added to the domain or left out of a row fails here before any
/// cell runs. (GLOBAL_TABLE and ADMIN_TABLE hold one outcome per [`ROLES`] by their type.)
#[test]
fn every_table_runs_every_role() {
    let as_roles = |callers: &[Who]| -> Vec<Option<(&'static str, bool)>> {
        let mut v: Vec<_> = callers.iter().map(|w| w.role().map(|(r, other)| (r.code(), other))).collect();
        v.sort();
        v
    };
    let mut wanted = vec![None];
    for role in jixiao_domain::Role::ALL {
        wanted.push(Some((role.code(), false)));
        if role.needs_department() {
            wanted.push(Some((role.code(), true)));
        }
    }
    wanted.sort();
    assert_eq!(as_roles(&EVERYONE), wanted, "EVERYONE: each role, own and other department where tied to one");
    let once: Vec<_> = wanted.iter().filter(|w| w.is_none_or(|(_, other)| !other)).cloned().collect();
    assert_eq!(as_roles(&ROLES), once, "ROLES: each role once, and no token");

    let keyed: Vec<(&str, Vec<(&str, Who)>)> = vec![
        ("SEES", SEES.iter().map(|(w, _)| ("read paths", *w)).collect()),
        ("MUTATION_TABLE", MUTATION_TABLE.iter().map(|(op, w, _)| (*op, *w)).collect()),
        ("EVALUATION_TABLE", EVALUATION_TABLE.iter().map(|(op, w, _)| (*op, *w)).collect()),
        ("REPORT_TABLE", REPORT_TABLE.iter().map(|(op, w, _)| (*op, *w)).collect()),
        ("COPY_TABLE", COPY_TABLE.iter().map(|(w, _)| ("copyProject", *w)).collect()),
        ("IMPORT_TABLE", IMPORT_TABLE.iter().map(|(w, _)| ("importDeclaration", *w)).collect()),
        ("RESULTS_TABLE", RESULTS_TABLE.iter().flat_map(|(op, _)| EVERYONE.iter().map(move |w| (*op, *w))).collect()),
        (
            "PUBLICATION_TABLE",
            PUBLICATION_TABLE.iter().flat_map(|(op, _)| EVERYONE.iter().map(move |w| (*op, *w))).collect(),
        ),
        ("TODO_TABLE", TODO_TABLE.iter().flat_map(|(op, _)| EVERYONE.iter().map(move |w| (*op, *w))).collect()),
        ("LIBRARY_TABLE", LIBRARY_TABLE.iter().flat_map(|(op, _)| EVERYONE.iter().map(move |w| (*op, *w))).collect()),
    ];
    let mut wrong = Vec::new();
    for (table, rows) in keyed {
        let ops: BTreeSet<&str> = rows.iter().map(|(op, _)| *op).collect();
        for op in ops {
            let callers: Vec<Who> = rows.iter().filter(|(o, _)| *o == op).map(|(_, w)| *w).collect();
            if as_roles(&callers) != wanted {
                let missing: Vec<_> = EVERYONE.iter().filter(|w| !callers.contains(w)).collect();
                wrong.push(format!("{table} {op}: callers {callers:?}, missing {missing:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "rows that do not run every caller exactly once:\n{}", wrong.join("\n"));
}

const SCHEMA_FIELDS: &str = "{ __schema { types { name kind fields { name type { ...T } } } } }
    fragment T on __Type { name kind ofType { name kind ofType { name kind ofType { name kind } } } }";

/// The named type under NON_NULL and LIST wrappers.
fn named(t: &Value) -> &str {
    match t["name"].as_str() {
        Some(name) => name,
        None => named(&t["ofType"]),
    }
}

#[tokio::test]
async fn every_path_to_data_has_a_row() {
    let world = World::with_fixture().await;
    let r = world.login("admin").await.data(SCHEMA_FIELDS, json!({})).await;
    // What a caller may or may not see: the objects with a visibility rule, and lists or counts of them.
    let data = [
        "Project",
        "ProjectConnection",
        "Department",
        "DepartmentConnection",
        "BudgetUnit",
        "User",
        "Node",
        "DeclarationSummary",
        "FindingTotal",
        "Review",
        "MonitoringReport",
        "MonitoringReportConnection",
        "MonitoringSummary",
        "SelfEvaluation",
        "SelfEvaluationSummary",
        "ApprovalIssue",
        "Publication",
        "RectificationItem",
        "BudgetSuggestion",
        "BudgetDecision",
        "PriorResult",
        "DepartmentGoals",
        "DepartmentGoalsReport",
        "DepartmentGoalsEvaluation",
    ];
    let covered: BTreeSet<String> = READ_PATHS
        .iter()
        .map(|p| p.split('(').next().unwrap().to_string())
        .chain(MUTATION_TABLE.iter().map(|r| format!("Mutation.{}", r.0)))
        .chain(GLOBAL_TABLE.iter().map(|r| r.0.to_string()))
        .chain(ADMIN_TABLE.iter().map(|r| r.0.to_string()))
        .chain(
            REPORT_TABLE
                .iter()
                .chain(EVALUATION_TABLE)
                .map(|r| if r.0.contains('.') { r.0.to_string() } else { format!("Mutation.{}", r.0) }),
        )
        .chain(["Mutation.copyProject".to_string(), "Mutation.importDeclaration".to_string()])
        .chain(FOLLOWS_ITS_PARENT.iter().map(|r| r.0.to_string()))
        .chain(PUBLICATION_TABLE.iter().map(|r| r.0.to_string()))
        .chain(RESULTS_TABLE.iter().map(|r| r.0.to_string()))
        .chain(TODO_TABLE.iter().map(|r| r.0.to_string()))
        .chain(LIBRARY_TABLE.iter().map(|r| r.0.split(' ').next().unwrap().to_string()))
        .chain(GOALS_READS.iter().map(|p| p.to_string()))
        .chain(GOALS_OPS[..GOALS_EDITS].iter().map(|(op, _)| format!("Mutation.{op}")))
        .chain(["Mutation.stepDepartmentGoals".to_string()])
        .chain(GOALS_REPORT_READS.iter().chain(&GOALS_EVALUATION_READS).map(|(p, _)| p.to_string()))
        .chain(
            GOALS_REPORT_OPS
                .iter()
                .chain(&GOALS_EVALUATION_OPS)
                .map(|(op, _)| format!("Mutation.{}", op.split(' ').next().unwrap())),
        )
        .chain(["Mutation.startDepartmentGoalsEvaluation".to_string()])
        .collect();
    let mut missing = Vec::new();
    for t in r["__schema"]["types"].as_array().unwrap() {
        let owner = t["name"].as_str().unwrap();
        // Payloads answer the mutation that made them, which has its row.
        if t["kind"] != "OBJECT"
            || owner.starts_with("__")
            || owner.ends_with("Payload")
            || owner.ends_with("Connection")
            || owner.ends_with("Edge")
        {
            continue;
        }
        for field in t["fields"].as_array().unwrap() {
            let path = format!("{owner}.{}", field["name"].as_str().unwrap());
            let leads_to_data = owner == "Query" || owner == "Mutation" || data.contains(&named(&field["type"]));
            if leads_to_data && !covered.contains(&path) {
                missing.push(path);
            }
        }
    }
    assert!(missing.is_empty(), "paths to data without a row in the authorization tables: {missing:?}");
}

/// The users rule (`domain::permissions::UserVisibility`): a submitter sees the approver who
/// acted on their project (by `node` as in the review), not one who acted only elsewhere; an
/// approver sees the submitter who submitted what they review; the other department sees
/// neither.
#[tokio::test]
async fn users_are_seen_by_admins_themselves_and_those_they_acted_for() {
    let f = Fixture::new().await;
    let t = f.project_in(Submitter, "REJECTED", 2024).await;
    let approver_id = f.approver.data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().to_string();
    let submitter_id =
        f.client(Submitter).data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().to_string();
    let node = "query($id: ID!) { node(id: $id) { ... on User { username } } }";
    let sees = |who: &Client, id: &str| {
        let (who, id) = (who.clone(), id.to_string());
        async move {
            let r = who.gql(node, json!({ "id": id })).await;
            match error_outcome(&r) {
                Some(e) => e,
                None if r["data"]["node"]["username"].is_string() => Ok,
                None => Null,
            }
        }
    };
    assert_eq!(sees(f.client(Submitter), &approver_id).await, Ok, "the approver who sent it back");
    assert_eq!(sees(&f.approver, &submitter_id).await, Ok, "the submitter who submitted it");
    assert_eq!(sees(&f.other_submitter, &approver_id).await, NotFound, "acted only on another department's project");
    assert_eq!(sees(&f.other_submitter, &submitter_id).await, NotFound);
    assert_eq!(sees(f.client(Admin), &f.other_user).await, Ok);
    // The review's actor is the same user, through the project.
    let r = f
        .client(Submitter)
        .data("query($id: ID!) { project(id: $id) { reviews { action actor { id } } } }", json!({ "id": t.id }))
        .await;
    let rejected = r["project"]["reviews"].as_array().unwrap().iter().find(|s| s["action"] == "REJECT").unwrap();
    assert_eq!(rejected["actor"]["id"], approver_id.as_str());
}

/// The parts of a project (fund items, indicators, reviews) are read through the same
/// visibility as the project, whatever ids a caller passes: an approver asking for a draft's
/// parts gets none, an admin gets them.
#[tokio::test]
async fn the_parts_of_a_project_are_as_visible_as_the_project() {
    let world = World::with_fixture().await;
    // One draft with a history: submitted, then withdrawn (so that its reviews exist to hide).
    let submitter = world.login("submitter").await;
    let first =
        submitter.data("{ projects(first: 1) { nodes { id } } }", json!({})).await["projects"]["nodes"][0]["id"]
            .clone();
    for op in ["submitProject", "withdrawProject"] {
        let r = submitter
            .data(
                &format!("mutation($id: ID!) {{ {op}(id: $id) {{ userErrors {{ code }} }} }}"),
                json!({ "id": first }),
            )
            .await;
        assert_eq!(r[op]["userErrors"], json!([]), "{op}: {r}");
    }
    let store = world.db.store().await;
    let admin = jixiao_domain::Actor { user_id: 0, role: jixiao_domain::Role::Admin, department_id: None };
    let approver = jixiao_domain::Actor { user_id: 0, role: jixiao_domain::Role::Approver, department_id: None };
    let drafts: Vec<i64> =
        store.scope(admin).projects().get_many(&(1..=100).collect::<Vec<_>>()).await.unwrap().into_keys().collect();
    assert_eq!(drafts.len(), 5, "the seed's five drafts");
    let (admin_scope, approver_scope) = (store.scope(admin), store.scope(approver));
    let everything = admin_scope.projects();
    assert!(!everything.indicators_of(&drafts).await.unwrap().is_empty());
    assert!(!everything.fund_items_of(&drafts).await.unwrap().is_empty());
    assert_eq!(everything.reviews_of(&drafts).await.unwrap().len(), 1, "the withdrawn draft's history");
    let outsider = approver_scope.projects();
    assert!(outsider.indicators_of(&drafts).await.unwrap().is_empty(), "an approver sees no draft's indicators");
    assert!(outsider.fund_items_of(&drafts).await.unwrap().is_empty());
    assert!(outsider.reviews_of(&drafts).await.unwrap().is_empty());
}

/// A user made for one cell (`role`, in the other department when a submitter), its id and a
/// client signed in as it.
async fn throwaway_user(f: &Fixture, role: &str) -> (String, String, Client) {
    let username = format!("tmp{}", NAMES.fetch_add(1, Ordering::Relaxed));
    let needs_department = jixiao_domain::Role::from_code(role).is_some_and(|r| r.needs_department());
    let department = needs_department.then_some("OTHER");
    add_user(&f._world.db.url, &username, role, department).await;
    let client = f._world.login(&username).await;
    let id = client.data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().to_string();
    (username, id, client)
}

/// A budget unit made for one cell (in the other department), and its id.
async fn throwaway_unit(f: &Fixture) -> (String, String) {
    let code = format!("TMP-U{}", NAMES.fetch_add(1, Ordering::Relaxed));
    let r = f
        .client(Admin)
        .data(
            "mutation($d: ID!, $c: String!) { createBudgetUnit(input: { departmentId: $d, code: $c, name: \"临时单位\" }) { budgetUnit { id } } }",
            json!({ "d": f.other_dept, "c": code }),
        )
        .await;
    (code, r["createBudgetUnit"]["budgetUnit"]["id"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn every_admin_operation_for_every_role() {
    let f = Fixture::new().await;
    // The role of the user each changePassword cell makes for itself.
    let roles = ROLES.map(|who| (who, who.role().map_or("APPROVER", |(role, _)| role.code())));
    let admin = f.client(Admin).clone();
    let mut failures = Vec::new();
    for (op, outcomes) in ADMIN_TABLE {
        for ((who, role), expected) in roles.iter().zip(outcomes) {
            let caller = f.client(*who).clone();
            let user_state = |id: String| {
                let admin = admin.clone();
                async move {
                    let r = admin
                        .data(
                            "query($id: ID!) { node(id: $id) { ... on User { displayName role disabled } } }",
                            json!({ "id": id }),
                        )
                        .await;
                    r["node"].clone()
                }
            };
            // (response, field, whether the effect the operation names is there afterwards)
            let (r, field, effect): (Value, &str, bool) = match *op {
                "Query.users" => {
                    let r = caller.gql("{ users(first: 100) { totalCount nodes { username } } }", json!({})).await;
                    let listed = r["data"]["users"]["nodes"]
                        .as_array()
                        .is_some_and(|n| n.iter().any(|u| u["username"] == "approver"));
                    (r, "users", listed)
                }
                "Query.auditLog" => {
                    let r = caller.gql("{ auditLog(first: 5) { totalCount nodes { operation } } }", json!({})).await;
                    let listed = r["data"]["auditLog"]["totalCount"].as_i64().is_some_and(|n| n > 0);
                    (r, "auditLog", listed)
                }
                "Mutation.updateDepartment" => {
                    let name = format!("改名部门 {}", NAMES.fetch_add(1, Ordering::Relaxed));
                    let r = caller.gql("mutation($id: ID!, $n: String!) { updateDepartment(input: { id: $id, name: $n }) { userErrors { code } } }", json!({ "id": f.other_dept, "n": name })).await;
                    let now = admin
                        .data(
                            "query($id: ID!) { node(id: $id) { ... on Department { name } } }",
                            json!({ "id": f.other_dept }),
                        )
                        .await;
                    (r, "updateDepartment", now["node"]["name"] == name.as_str())
                }
                "Mutation.updateBudgetUnit" => {
                    let (_, unit) = throwaway_unit(&f).await;
                    let r = caller.gql("mutation($id: ID!) { updateBudgetUnit(input: { id: $id, name: \"改名单位\" }) { userErrors { code } } }", json!({ "id": unit })).await;
                    let now = admin
                        .data("query($id: ID!) { node(id: $id) { ... on BudgetUnit { name } } }", json!({ "id": unit }))
                        .await;
                    (r, "updateBudgetUnit", now["node"]["name"] == "改名单位")
                }
                "Mutation.deleteBudgetUnit" => {
                    let (_, unit) = throwaway_unit(&f).await;
                    let r = caller.gql("mutation($id: ID!) { deleteBudgetUnit(id: $id) { deletedBudgetUnitId userErrors { code } } }", json!({ "id": unit })).await;
                    let gone = admin.gql("query($id: ID!) { node(id: $id) { id } }", json!({ "id": unit })).await;
                    (r, "deleteBudgetUnit", gone["errors"][0]["extensions"]["code"] == "NOT_FOUND")
                }
                "Mutation.updateUser" => {
                    let (_, id, _) = throwaway_user(&f, "APPROVER").await;
                    let r = caller.gql("mutation($id: ID!) { updateUser(input: { id: $id, displayName: \"新名字\" }) { userErrors { code } } }", json!({ "id": id })).await;
                    (r, "updateUser", user_state(id).await["displayName"] == "新名字")
                }
                "Mutation.disableUser" => {
                    let (_, id, _) = throwaway_user(&f, "APPROVER").await;
                    let r = caller
                        .gql("mutation($id: ID!) { disableUser(id: $id) { userErrors { code } } }", json!({ "id": id }))
                        .await;
                    (r, "disableUser", user_state(id).await["disabled"] == true)
                }
                "Mutation.enableUser" => {
                    let (username, id, _) = throwaway_user(&f, "APPROVER").await;
                    let out =
                        jixiao_tests::jixiao(&f._world.db.url, &["user", "disable", "--username", &username], None)
                            .await;
                    assert!(out.status.success());
                    let r = caller
                        .gql("mutation($id: ID!) { enableUser(id: $id) { userErrors { code } } }", json!({ "id": id }))
                        .await;
                    (r, "enableUser", user_state(id).await["disabled"] == false)
                }
                "Mutation.setPassword" => {
                    let (username, id, _) = throwaway_user(&f, "APPROVER").await;
                    let r = caller.gql("mutation($id: ID!) { setPassword(id: $id, password: \"a brand new password\") { userErrors { code } } }", json!({ "id": id })).await;
                    let login = f._world.anonymous().gql("mutation($u: String!) { login(username: $u, password: \"a brand new password\") { token } }", json!({ "u": username })).await;
                    (r, "setPassword", login["data"]["login"]["token"].is_string())
                }
                "Mutation.assignApprover" | "Mutation.unassignApprover" => {
                    let (_, id, _) = throwaway_user(&f, "APPROVER").await;
                    let pair = json!({ "u": id, "d": f.other_dept });
                    let assign = "mutation($u: ID!, $d: ID!) { assignApprover(input: { userId: $u, departmentId: $d }) { userErrors { code } } }";
                    let unassign = "mutation($u: ID!, $d: ID!) { unassignApprover(input: { userId: $u, departmentId: $d }) { userErrors { code } } }";
                    let (query, name) = if *op == "Mutation.assignApprover" {
                        (assign, "assignApprover")
                    } else {
                        admin.data(assign, pair.clone()).await;
                        (unassign, "unassignApprover")
                    };
                    let r = caller.gql(query, pair).await;
                    let now = admin
                        .data(
                            "query($id: ID!) { node(id: $id) { ... on User { assignedDepartments { id } } } }",
                            json!({ "id": id }),
                        )
                        .await;
                    let assigned = now["node"]["assignedDepartments"].as_array().is_some_and(|d| d.len() == 1);
                    // The effect named: assigned after assignApprover, no longer after unassignApprover.
                    (r, name, if name == "assignApprover" { assigned } else { !assigned })
                }
                "Mutation.changePassword" => {
                    let (username, _, own) = throwaway_user(&f, role).await;
                    let caller = if *who == Anonymous { f._world.anonymous() } else { own };
                    let r = caller.gql("mutation($p: String!) { changePassword(oldPassword: $p, newPassword: \"a brand new password\") { token userErrors { code } } }", json!({ "p": PASSWORD })).await;
                    let login = f._world.anonymous().gql("mutation($u: String!) { login(username: $u, password: \"a brand new password\") { token } }", json!({ "u": username })).await;
                    (r, "changePassword", login["data"]["login"]["token"].is_string())
                }
                other => panic!("no query for {other}"),
            };
            let got = classify(&r, field);
            if got != *expected {
                failures.push(format!("{op} by {who:?}: expected {expected:?}, got {got:?}: {r}"));
            } else if effect != (got == Ok) {
                failures.push(format!(
                    "{op} by {who:?}: answered {got:?}, but the effect is {}there",
                    if effect { "" } else { "not " }
                ));
            }
        }
    }
    // Every write of the table is in the audit trail, done and refused alike.
    for (op, outcomes) in ADMIN_TABLE {
        let Some(name) = op.strip_prefix("Mutation.") else { continue };
        for (outcome, code) in [(Ok, "ok"), (Forbidden, "FORBIDDEN"), (Unauth, "UNAUTHENTICATED")] {
            if outcomes.contains(&outcome) && recorded(&admin, &format!("mutation.{name}"), Some(code)).await == 0 {
                failures.push(format!("{op}: no audit record with the outcome {code}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// How many audit records `operation` left (with `outcome`, when given).
async fn recorded(admin: &Client, operation: &str, outcome: Option<&str>) -> i64 {
    let r = admin
        .data(
            "query($f: AuditLogFilter) { auditLog(filter: $f) { totalCount } }",
            json!({ "f": { "operation": operation, "outcome": outcome } }),
        )
        .await;
    r["auditLog"]["totalCount"].as_i64().unwrap_or(0)
}

/// `copyProject`: the source's department's submitters copy it whatever its status; the new
/// DRAFT exists exactly when the answer says so, and the source is untouched.
const COPY_TABLE: [(Who, [Outcome; 8]); 8] = [
    (Anonymous, [Unauth; 8]),
    (Submitter, [Ok; 8]),
    (OtherSubmitter, [NotFound; 8]),
    (Approver, [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden]),
    (Admin, [Forbidden; 8]),
    (DepartmentReviewer, [NotFound, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden]),
    (OtherReviewer, [NotFound; 8]),
    (Auditor, [Forbidden; 8]),
];

#[tokio::test]
async fn copy_project_for_every_role_department_and_status() {
    let f = Fixture::new().await;
    let mut failures = Vec::new();
    for (who, outcomes) in COPY_TABLE {
        for (status, expected) in STATUSES.iter().zip(outcomes) {
            let t = f.project_in(who, status, 2024).await;
            let before = f.state(&t.id).await;
            let r = f
                .client(who)
                .gql(
                    "mutation($id: ID!) { copyProject(input: { id: $id, fiscalYear: 2025 }) { project { id } userErrors { code } } }",
                    json!({ "id": t.id }),
                )
                .await;
            let got = classify(&r, "copyProject");
            let copies = f
                .client(Admin)
                .data(
                    "{ projects(filter: { fiscalYear: 2025 }, first: 100) { nodes { previousProject { id } } } }",
                    json!({}),
                )
                .await;
            let copied = copies["projects"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["previousProject"]["id"] == t.id.as_str());
            if got != expected {
                failures.push(format!(
                    "copyProject by {who:?} of a {status} project: expected {expected:?}, got {got:?}: {r}"
                ));
            } else if copied != (got == Ok) || f.state(&t.id).await != before {
                failures
                    .push(format!("copyProject by {who:?} of a {status} project: answered {got:?}, copied: {copied}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A monitoring report of the matrix: its project, round and the report itself.
struct ReportTarget {
    id: String,
    project: String,
    round: String,
}

impl Fixture {
    /// A report taken to `status` by its unit and the approver. For reads (`alone`), its project
    /// is approved in a fiscal year of its own and a round opened over it, so that counts count
    /// it alone; otherwise in the shared year of the mutation cells, whose round is opened once.
    async fn report_in(&self, who: Who, status: &str, alone: bool) -> ReportTarget {
        let year = if alone { REPORT_YEARS.fetch_add(1, Ordering::Relaxed) } else { SHARED_REPORT_YEAR };
        let mut shared = self.shared_round.lock().await;
        let open = |year: i32| async move {
            let r = self
                .client(Admin)
                .data(
                    "mutation($y: Int!, $a: Date!, $d: Date!) { openMonitoringRound(input: { fiscalYear: $y, name: \"上半年\", asOf: $a, dueDate: $d }) { round { id } userErrors { message } } }",
                    json!({ "y": year, "a": format!("{year}-06-30"), "d": format!("{year}-07-15") }),
                )
                .await;
            r["openMonitoringRound"]["round"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_string()
        };
        if !alone && shared.is_none() {
            *shared = Some(open(year).await);
        }
        let project = self.project_in(who, "APPROVED", year).await;
        let round = if alone { open(year).await } else { shared.clone().unwrap() };
        drop(shared);
        let report = self
            .client(Admin)
            .data(
                "query($id: ID!) { project(id: $id) { monitoringReports { id version indicators { indicator { id } } } } }",
                json!({ "id": project.id }),
            )
            .await["project"]["monitoringReports"][0]
            .clone();
        let id = report["id"].as_str().unwrap().to_string();
        let owner = if outsider(who) { &self.other_submitter } else { self.client(Submitter) };
        // Filled in whole, so that submitting it can succeed.
        jixiao_tests::fill_report_whole(owner, &report).await;
        if status != "DRAFT" {
            report_step(owner, "submitMonitoringReport", &id, "").await;
        }
        match status {
            "ACCEPTED" => report_step(&self.approver, "acceptMonitoringReport", &id, "").await,
            "RETURNED" => report_step(&self.approver, "returnMonitoringReport", &id, ", reason: \"请补充\"").await,
            _ => {}
        }
        ReportTarget { id, project: project.id, round }
    }

    /// The report as the admin sees it: status and version.
    async fn report_state(&self, id: &str) -> (String, i64) {
        let r = self
            .client(Admin)
            .data("query($id: ID!) { monitoringReport(id: $id) { status version } }", json!({ "id": id }))
            .await;
        let report = &r["monitoringReport"];
        (report["status"].as_str().unwrap().to_string(), report["version"].as_i64().unwrap())
    }
}

async fn report_step(client: &Client, op: &str, id: &str, extra: &str) {
    let q = format!(
        "mutation($id: ID!) {{ {op}(id: $id{extra}) {{ report {{ status }} userErrors {{ code message }} }} }}"
    );
    let r = client.data(&q, json!({ "id": id })).await;
    assert!(r[op]["report"].is_object(), "{op}: {r}");
}

/// One cell of REPORT_TABLE: a read (is the report shown, or counted?) or a mutation (done as
/// it says, or refused with nothing changed).
async fn report_cell(f: &Fixture, op: &str, who: Who, t: &ReportTarget) -> Result<Outcome, String> {
    let client = f.client(who);
    let read = |query: &'static str, vars: Value| async move { client.gql(query, vars).await };
    let shown = |r: &Value, yes: bool| -> Outcome {
        if let Some(e) = error_outcome(r) {
            e
        } else if yes {
            Ok
        } else {
            NotFound
        }
    };
    match op {
        "Query.monitoringReport" => {
            let r = read("query($id: ID!) { monitoringReport(id: $id) { id } }", json!({ "id": t.id })).await;
            return Result::Ok(shown(&r, r["data"]["monitoringReport"]["id"] == t.id.as_str()));
        }
        "MonitoringRound.reports" => {
            let r = read(
                "query($id: ID!) { monitoringRound(id: $id) { reports { totalCount nodes { id } } } }",
                json!({ "id": t.round }),
            )
            .await;
            let page = &r["data"]["monitoringRound"]["reports"];
            let listed = page["nodes"].as_array().is_some_and(|n| n.iter().any(|n| n["id"] == t.id.as_str()));
            if error_outcome(&r).is_none() && page["totalCount"] != page["nodes"].as_array().map_or(0, |n| n.len()) {
                return Err(format!("totalCount differs from the list: {r}"));
            }
            return Result::Ok(shown(&r, listed));
        }
        "MonitoringRound.summary" => {
            let r = read(
                "query($id: ID!) { monitoringRound(id: $id) { summary { reportCount } } }",
                json!({ "id": t.round }),
            )
            .await;
            return Result::Ok(shown(&r, r["data"]["monitoringRound"]["summary"]["reportCount"] == 1));
        }
        "Project.monitoringReports" => {
            let r =
                read("query($id: ID!) { project(id: $id) { monitoringReports { id } } }", json!({ "id": t.project }))
                    .await;
            let listed = r["data"]["project"]["monitoringReports"]
                .as_array()
                .is_some_and(|l| l.iter().any(|x| x["id"] == t.id.as_str()));
            return Result::Ok(shown(&r, listed));
        }
        _ => {}
    }
    let before = f.report_state(&t.id).await;
    let payload = "{ report { status } userErrors { code } }";
    let r = match op {
        "updateMonitoringReport" => {
            client
                .gql(
                    &format!(
                        "mutation($i: UpdateMonitoringReportInput!) {{ updateMonitoringReport(input: $i) {payload} }}"
                    ),
                    json!({ "i": { "id": t.id, "expectedVersion": before.1, "budgetExecuted": "6000.00" } }),
                )
                .await
        }
        "acceptMonitoringReport" => {
            client
                .gql(
                    &format!("mutation($id: ID!) {{ acceptMonitoringReport(id: $id, comment: \"同意\") {payload} }}"),
                    json!({ "id": t.id }),
                )
                .await
        }
        "returnMonitoringReport" => {
            client
                .gql(
                    &format!("mutation($id: ID!) {{ returnMonitoringReport(id: $id, reason: \"请补充\") {payload} }}"),
                    json!({ "id": t.id }),
                )
                .await
        }
        other => {
            client.gql(&format!("mutation($id: ID!) {{ {other}(id: $id) {payload} }}"), json!({ "id": t.id })).await
        }
    };
    let outcome = classify(&r, op);
    let after = f.report_state(&t.id).await;
    let expected_status = match op {
        "updateMonitoringReport" => before.0.as_str(),
        "submitMonitoringReport" => "SUBMITTED",
        "acceptMonitoringReport" => "ACCEPTED",
        "returnMonitoringReport" => "RETURNED",
        other => panic!("no expected status for {other}"),
    };
    let changed_as_said = after.0 == expected_status && after.1 == before.1 + 1;
    match outcome {
        Ok if !changed_as_said => Err(format!("answered as done, but the report is {after:?} (was {before:?})")),
        Ok => Result::Ok(Ok),
        other if after != before => {
            Err(format!("answered {other:?}, but the report changed to {after:?} (was {before:?})"))
        }
        other => Result::Ok(other),
    }
}

/// The read-only report for (who, status) of the reads test, made on first use.
async fn read_report(
    f: &Fixture,
    made: &mut HashMap<(Who, &'static str), ReportTarget>,
    who: Who,
    status: &'static str,
) -> String {
    if !made.contains_key(&(who, status)) {
        let t = f.report_in(who, status, true).await;
        made.insert((who, status), t);
    }
    made[&(who, status)].id.clone()
}

#[tokio::test]
async fn every_report_path_and_mutation_for_every_role_department_and_status() {
    let f = Fixture::new().await;
    let mut failures = Vec::new();
    let mut made: HashMap<(Who, &'static str), ReportTarget> = HashMap::new();
    for (op, who, outcomes) in REPORT_TABLE {
        for (status, expected) in REPORT_STATUSES.iter().zip(outcomes) {
            let is_read = op.contains('.');
            let fresh;
            let t = if is_read {
                read_report(&f, &mut made, *who, status).await;
                &made[&(*who, *status)]
            } else {
                fresh = f.report_in(*who, status, false).await;
                &fresh
            };
            match report_cell(&f, op, *who, t).await {
                Result::Ok(got) if got == *expected => {}
                Result::Ok(got) => {
                    failures.push(format!("{op} by {who:?} on a {status} report: expected {expected:?}, got {got:?}"))
                }
                Err(e) => failures.push(format!("{op} by {who:?} on a {status} report: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} cells differ:\n{}", failures.len(), failures.join("\n"));
}

impl Fixture {
    /// A self-evaluation taken to `status`: its project approved in fiscal year `year`,
    /// started and filled in whole by its unit, then moved by the unit and the approver.
    async fn evaluation_in(&self, who: Who, status: &str, year: i32) -> (String, String) {
        let project = self.project_in(who, "APPROVED", year).await;
        let owner = if outsider(who) { &self.other_submitter } else { self.client(Submitter) };
        let started = owner
            .data(
                "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) { selfEvaluation { id version indicators { indicator { id } target } } } }",
                json!({ "p": project.id }),
            )
            .await;
        let e = &started["startSelfEvaluation"]["selfEvaluation"];
        let id = e["id"].as_str().unwrap_or_else(|| panic!("{started}")).to_string();
        // complete_declaration's targets: ≥95%, 提高 (qualitative), ＞＝90％.
        let results: Vec<Value> = e["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| match i["target"].as_str().unwrap_or_else(|| panic!("{i}")) {
                "提高" => json!({ "indicatorId": i["indicator"]["id"], "achievement": "ACHIEVED", "score": "30" }),
                _ => json!({ "indicatorId": i["indicator"]["id"], "actual": "99%" }),
            })
            .collect();
        let r = owner
            .data(
                "mutation($i: UpdateSelfEvaluationInput!) { updateSelfEvaluation(input: $i) { userErrors { message } } }",
                json!({ "i": { "id": id, "expectedVersion": e["version"], "budgetExecuted": "15000.00", "indicators": results } }),
            )
            .await;
        assert_eq!(r["updateSelfEvaluation"]["userErrors"], json!([]), "{r}");
        let go = |client: &Client, op: &'static str, extra: &'static str| {
            let id = id.clone();
            let client = client.clone();
            async move {
                let q = format!(
                    "mutation($id: ID!) {{ {op}(id: $id{extra}) {{ selfEvaluation {{ status }} userErrors {{ message }} }} }}"
                );
                let r = client.data(&q, json!({ "id": id })).await;
                assert!(r[op]["selfEvaluation"].is_object(), "{op}: {r}");
            }
        };
        if status != "DRAFT" {
            go(owner, "submitSelfEvaluation", "").await;
        }
        match status {
            "ACCEPTED" => go(&self.approver, "acceptSelfEvaluation", "").await,
            "RETURNED" => go(&self.approver, "returnSelfEvaluation", ", reason: \"请补充\"").await,
            _ => {}
        }
        (id, project.id)
    }

    async fn evaluation_state(&self, id: &str) -> (String, i64) {
        let r = self
            .client(Admin)
            .data(
                "query($p: ID!) { project(id: $p) { selfEvaluation { status version } } }",
                json!({ "p": self.evaluation_projects.lock().await[id] }),
            )
            .await;
        let e = &r["project"]["selfEvaluation"];
        (e["status"].as_str().unwrap().to_string(), e["version"].as_i64().unwrap())
    }
}

async fn evaluation_cell(
    f: &Fixture,
    op: &str,
    who: Who,
    id: &str,
    project: &str,
    year: i32,
) -> Result<Outcome, String> {
    let client = f.client(who);
    if op == "Query.selfEvaluationSummary" {
        // The evaluation is alone in its year: counted once, or not at all.
        let r = client
            .gql("query($y: Int!) { selfEvaluationSummary(fiscalYear: $y) { count } }", json!({ "y": year }))
            .await;
        if let Some(e) = error_outcome(&r) {
            return Result::Ok(e);
        }
        return match r["data"]["selfEvaluationSummary"]["count"].as_i64() {
            Some(1) => Result::Ok(Ok),
            Some(0) => Result::Ok(NotFound),
            _ => Err(format!("counted what is not there: {r}")),
        };
    }
    if op == "Project.selfEvaluation" {
        let r = client
            .gql("query($id: ID!) { project(id: $id) { selfEvaluation { id } } }", json!({ "id": project }))
            .await;
        if let Some(e) = error_outcome(&r) {
            return Result::Ok(e);
        }
        return Result::Ok(if r["data"]["project"]["selfEvaluation"]["id"] == id { Ok } else { NotFound });
    }
    let before = f.evaluation_state(id).await;
    let payload = "{ selfEvaluation { status } userErrors { code } }";
    let r = match op {
        "updateSelfEvaluation" => {
            client
                .gql(
                    &format!(
                        "mutation($i: UpdateSelfEvaluationInput!) {{ updateSelfEvaluation(input: $i) {payload} }}"
                    ),
                    json!({ "i": { "id": id, "expectedVersion": before.1, "budgetExecuted": "14000.00" } }),
                )
                .await
        }
        "returnSelfEvaluation" => {
            client
                .gql(
                    &format!("mutation($id: ID!) {{ returnSelfEvaluation(id: $id, reason: \"请补充\") {payload} }}"),
                    json!({ "id": id }),
                )
                .await
        }
        other => client.gql(&format!("mutation($id: ID!) {{ {other}(id: $id) {payload} }}"), json!({ "id": id })).await,
    };
    let outcome = classify(&r, op);
    let after = f.evaluation_state(id).await;
    let expected_status = match op {
        "updateSelfEvaluation" => before.0.as_str(),
        "submitSelfEvaluation" => "SUBMITTED",
        "acceptSelfEvaluation" => "ACCEPTED",
        "returnSelfEvaluation" => "RETURNED",
        other => panic!("no expected status for {other}"),
    };
    match outcome {
        Ok if after.0 == expected_status && after.1 == before.1 + 1 => Result::Ok(Ok),
        Ok => Err(format!("answered as done, but the evaluation is {after:?} (was {before:?})")),
        other if after != before => Err(format!("answered {other:?}, but it changed to {after:?} (was {before:?})")),
        other => Result::Ok(other),
    }
}

#[tokio::test]
async fn every_self_evaluation_path_and_mutation_for_every_role_department_and_status() {
    let f = Fixture::new().await;
    let mut failures = Vec::new();
    for (op, who, outcomes) in EVALUATION_TABLE {
        for (status, expected) in REPORT_STATUSES.iter().zip(outcomes) {
            // The summary's evaluation alone in its year; the others' in the shared year.
            let alone = *op == "Query.selfEvaluationSummary";
            let year = if alone { evaluation_year() } else { 2024 };
            let (id, project) = f.evaluation_in(*who, status, year).await;
            f.evaluation_projects.lock().await.insert(id.clone(), project.clone());
            match evaluation_cell(&f, op, *who, &id, &project, year).await {
                Result::Ok(got) if got == *expected => {}
                Result::Ok(got) => failures
                    .push(format!("{op} by {who:?} on a {status} evaluation: expected {expected:?}, got {got:?}")),
                Err(e) => failures.push(format!("{op} by {who:?} on a {status} evaluation: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} cells differ:\n{}", failures.len(), failures.join("\n"));
}

/// Who may import a book of the seed's department (below).
const IMPORT_TABLE: [(Who, &str); 8] = [
    (Anonymous, "UNSUPPORTED_MEDIA_TYPE"),
    (Submitter, "CREATED"),
    (OtherSubmitter, "FORBIDDEN"),
    (Approver, "FORBIDDEN"),
    (Admin, "FORBIDDEN"),
    (DepartmentReviewer, "FORBIDDEN"),
    (OtherReviewer, "FORBIDDEN"),
    (Auditor, "FORBIDDEN"),
];

/// `importDeclaration` (an upload, so outside the JSON tables): submitters import into their own
/// department only; the project exists exactly when the answer says it was created. Without a
/// token an upload is not even read (UNSUPPORTED_MEDIA_TYPE, before GraphQL).
#[tokio::test]
async fn import_declaration_for_every_role() {
    let f = Fixture::new().await;
    let unit = "上海市松江区人民政府信访办公室";
    // A book of the seed's department (SJQ-XFB), as `/export/declarations/…` writes it.
    let book = |name: &str| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let form = book.add_worksheet();
        form.set_name("项目1").unwrap();
        for (row, label, value) in [(2, "项目名称", name), (3, "主管部门", unit), (4, "实施单位", unit)] {
            form.write_string(row, 0, label).unwrap();
            form.write_string(row, 1, value).unwrap();
        }
        let meta = book.add_worksheet();
        meta.set_name("_jixiao").unwrap();
        for (row, label, code, name) in
            [(0, "主管部门编码", "SJQ-XFB", ""), (1, "主管部门", unit, ""), (3, "预算单位", "SJQ-XFB", unit)]
        {
            meta.write_string(row, 0, label).unwrap();
            meta.write_string(row, 1, code).unwrap();
            meta.write_string(row, 2, name).unwrap();
        }
        meta.write_string(2, 0, "预算年度").unwrap();
        meta.write_number(2, 1, 2031.0).unwrap();
        meta.set_hidden(true);
        book.save_to_buffer().unwrap()
    };
    let mut failures = Vec::new();
    for (who, expected) in IMPORT_TABLE {
        let name = format!("导入 {who:?}");
        // The other department's own people, uploading a book of the seed's department.
        let client = match who {
            OtherSubmitter => &f.other_submitter,
            OtherReviewer => &f.other_reviewer,
            _ => f.client(who),
        };
        let (_, r) = client
            .upload(
                "mutation($file: Upload!) { importDeclaration(file: $file) { created { id } userErrors { field message } } }",
                json!({}),
                "book.xlsx",
                &book(&name),
            )
            .await;
        let got = match r["errors"][0]["extensions"]["code"].as_str() {
            Some(code) => code.to_string(),
            None if r["data"]["importDeclaration"]["created"].as_array().is_some_and(|c| c.len() == 1) => {
                "CREATED".to_string()
            }
            None => format!("{r}"),
        };
        let listed = f
            .client(Admin)
            .data("{ projects(filter: { fiscalYear: 2031 }, first: 100) { nodes { name } } }", json!({}))
            .await;
        let exists = listed["projects"]["nodes"].as_array().unwrap().iter().any(|p| p["name"] == name.as_str());
        if got != expected || exists != (expected == "CREATED") {
            failures.push(format!(
                "importDeclaration by {who:?}: expected {expected}, got {got}; project exists: {exists}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const ISSUE: &str =
    "mutation($i: IssueApprovalsInput!) { issueApprovals(input: $i) { issue { documentNo } userErrors { code } } }";
const MARK: &str = "mutation($i: MarkPublishedInput!) { markPublished(input: $i) { publication { publishedOn } userErrors { code } } }";

/// A read's outcome: its error, or whether it shows what it names.
fn shown(r: &Value, shows: impl Fn(&Value) -> bool) -> Outcome {
    match error_outcome(r) {
        Some(e) => e,
        None if shows(&r["data"]) => Ok,
        None => NotFound,
    }
}

#[tokio::test]
async fn issuing_and_publication_for_every_role() {
    let f = Fixture::new().await;
    let code_of = async |dept: &str| {
        let q = "query($d: ID!) { node(id: $d) { ... on Department { code } } }";
        f.approver.data(q, json!({ "d": dept })).await["node"]["code"].as_str().unwrap().to_string()
    };
    // A year of its own per cell; those published in the past, since a publication is dated
    // no later than today.
    let (mut past, mut later) = (2000, 2030);
    let mut failures = Vec::new();
    for (op, outcomes) in PUBLICATION_TABLE {
        for (who, expected) in EVERYONE.iter().zip(outcomes) {
            let year = if *op == "Mutation.markPublished" || op.ends_with("(published)") {
                past += 1;
                past
            } else {
                later += 1;
                later
            };
            // The project is of the own department, or of the other for an outsider (who then
            // asks about a department not theirs); its submitter publishes.
            let t = f.project_in(*who, "APPROVED", year).await;
            let dept_code = code_of(&t.dept).await;
            let publisher = if outsider(*who) { &f.other_submitter } else { f.client(Submitter) };
            let act = json!({ "i": { "departmentId": t.dept, "fiscalYear": year,
                "documentNo": format!("松财预〔{year}〕1号"), "issuedOn": format!("{year}-01-20") } });
            let publish = json!({ "i": { "departmentId": t.dept, "fiscalYear": year,
                "publishedOn": format!("{year}-02-01"), "url": "https://www.example.gov.cn/p" } });
            if *op != "Mutation.issueApprovals" {
                let r = f.approver.data(ISSUE, act.clone()).await;
                assert!(r["issueApprovals"]["issue"].is_object(), "{r}");
            }
            if op.ends_with("(published)") {
                let r = publisher.data(MARK, publish.clone()).await;
                assert!(r["markPublished"]["publication"].is_object(), "{r}");
            }
            let client = f.client(*who);
            let vars = json!({ "c": dept_code, "y": year });
            let issued = async || {
                let q = "query($id: ID!) { project(id: $id) { issue { documentNo } } }";
                f.approver.data(q, json!({ "id": t.id })).await["project"]["issue"].is_object()
            };
            let published = async || {
                let q = "query($c: String!, $y: Int!) { department(code: $c) { publication(fiscalYear: $y) { publishedOn } } }";
                f.approver.data(q, vars.clone()).await["department"]["publication"]["publishedOn"].is_string()
            };
            let got = match *op {
                "Mutation.issueApprovals" => {
                    let got = classify(&client.gql(ISSUE, act).await, "issueApprovals");
                    if issued().await != (got == Ok) {
                        failures.push(format!("{op} by {who:?}: answered {got:?}, and the project's issue disagrees"));
                    }
                    got
                }
                "Mutation.markPublished" => {
                    let got = classify(&client.gql(MARK, publish).await, "markPublished");
                    if published().await != (got == Ok) {
                        failures.push(format!("{op} by {who:?}: answered {got:?}, and the publication disagrees"));
                    }
                    got
                }
                "Department.approvalIssues" => {
                    let q = "query($c: String!, $y: Int!) { department(code: $c) { approvalIssues(fiscalYear: $y) { documentNo } } }";
                    let r = client.gql(q, vars.clone()).await;
                    shown(&r, |d| d["department"]["approvalIssues"].as_array().is_some_and(|a| a.len() == 1))
                }
                "Department.publication" => {
                    let q = "query($c: String!, $y: Int!) { department(code: $c) { publication(fiscalYear: $y) { dueOn } } }";
                    let r = client.gql(q, vars.clone()).await;
                    shown(&r, |d| d["department"]["publication"]["dueOn"] == format!("{year}-02-09"))
                }
                "Query.publications" => {
                    let r = client
                        .gql(
                            "query($y: Int!) { publications(fiscalYear: $y) { department { code } } }",
                            json!({ "y": year }),
                        )
                        .await;
                    shown(&r, |d| {
                        d["publications"]
                            .as_array()
                            .is_some_and(|a| a.len() == 1 && a[0]["department"]["code"] == dept_code.as_str())
                    })
                }
                _ => {
                    let response = reqwest::Client::new()
                        .get(format!("{}/export/publication/{dept_code}/{year}.html", client.base_url))
                        .bearer_auth(client.token())
                        .send()
                        .await
                        .unwrap();
                    match response.status().as_u16() {
                        200 => Ok,
                        401 => Unauth,
                        403 => Forbidden,
                        404 => NotFound,
                        other => panic!("{op} by {who:?}: HTTP {other}"),
                    }
                }
            };
            if got != *expected {
                failures.push(format!("{op} by {who:?}: expected {expected:?}, got {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A project of `year` (of the other department for an outsider) whose self-evaluation was
/// accepted graded 差 (nothing done, nothing spent): its rectification items, the project first,
/// each `(id, version)`.
async fn poor_items(f: &Fixture, who: Who, year: i32) -> Vec<(String, i64)> {
    let t = f.project_in(who, "APPROVED", year).await;
    let owner = if outsider(who) { &f.other_submitter } else { f.client(Submitter) };
    let start = "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) {
        selfEvaluation { id version indicators { indicator { id } } } userErrors { code } } }";
    let e = owner.data(start, json!({ "p": t.id })).await["startSelfEvaluation"]["selfEvaluation"].clone();
    let rows: Vec<Value> = e["indicators"].as_array().unwrap().iter().map(|r| r["indicator"]["id"].clone()).collect();
    let why = "未开展";
    let results = json!([
        { "indicatorId": rows[0], "actual": "0%", "explanation": why },
        { "indicatorId": rows[1], "achievement": "NOT_ACHIEVED", "score": "0", "explanation": why },
        { "indicatorId": rows[2], "actual": "0%", "explanation": why },
    ]);
    let update =
        "mutation($i: UpdateSelfEvaluationInput!) { updateSelfEvaluation(input: $i) { userErrors { field message } } }";
    let r = owner
        .data(update, json!({ "i": { "id": e["id"], "expectedVersion": e["version"], "budgetExecuted": "0.00", "indicators": results } }))
        .await;
    assert_eq!(r["updateSelfEvaluation"]["userErrors"], json!([]), "{r}");
    let r = owner
        .data(
            "mutation($id: ID!) { submitSelfEvaluation(id: $id) { userErrors { field message } } }",
            json!({ "id": e["id"] }),
        )
        .await;
    assert_eq!(r["submitSelfEvaluation"]["userErrors"], json!([]), "{r}");
    let r = f
        .approver
        .data(
            "mutation($id: ID!) { acceptSelfEvaluation(id: $id) { userErrors { field message } } }",
            json!({ "id": e["id"] }),
        )
        .await;
    assert_eq!(r["acceptSelfEvaluation"]["userErrors"], json!([]), "{r}");
    let items = f
        .approver
        .data("query($id: ID!) { project(id: $id) { rectifications { id version } } }", json!({ "id": t.id }))
        .await;
    items["project"]["rectifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap().to_string(), i["version"].as_i64().unwrap()))
        .collect()
}

const ANSWER: &str = "mutation($i: AnswerRectificationInput!) { answerRectification(input: $i) { item { status } userErrors { code } } }";
const CLOSE: &str =
    "mutation($i: RectificationStepInput!) { closeRectification(input: $i) { item { status } userErrors { code } } }";
const REOPEN: &str =
    "mutation($i: RectificationStepInput!) { reopenRectification(input: $i) { item { status } userErrors { code } } }";

#[tokio::test]
async fn results_applied_and_rectification_for_every_role() {
    let f = Fixture::new().await;
    // A fiscal year of its own per cell (80 of 2000–2100, the seed's 2023 left alone).
    let mut year = 2000;
    let mut failures = Vec::new();
    for (op, outcomes) in RESULTS_TABLE {
        for (who, expected) in EVERYONE.iter().zip(outcomes) {
            year += if year == 2022 { 2 } else { 1 };
            let client = f.client(*who);
            let owner = if outsider(*who) { &f.other_submitter } else { f.client(Submitter) };
            let item_status = async |id: &str| {
                let q = "query($id: ID!) { node(id: $id) { ... on RectificationItem { status } } }";
                f.approver.data(q, json!({ "id": id })).await["node"]["status"].as_str().unwrap().to_string()
            };
            let got = match *op {
                "Query.resultRules" => {
                    let r = client
                        .gql("query($y: Int!) { resultRules(fiscalYear: $y) { grade } }", json!({ "y": year }))
                        .await;
                    shown(&r, |d| d["resultRules"].as_array().is_some_and(|a| a.len() == 4))
                }
                "Query.resultsApplication" => {
                    f.project_in(*who, "SUBMITTED", year).await;
                    let q = "query($y: Int!) { resultsApplication(fiscalYear: $y) { requests } }";
                    let r = client.gql(q, json!({ "y": year })).await;
                    shown(&r, |d| d["resultsApplication"]["requests"] == 1)
                }
                "Mutation.setResultRules" => {
                    let q = "mutation($y: Int!) { setResultRules(input: { fiscalYear: $y, rules: [{ grade: FAIR, action: REDUCE, cutPercent: \"20\", hold: true }] }) { userErrors { code } } }";
                    let got = classify(&client.gql(q, json!({ "y": year })).await, "setResultRules");
                    let now = f
                        .approver
                        .data("query($y: Int!) { resultRules(fiscalYear: $y) { cutPercent } }", json!({ "y": year }))
                        .await;
                    if (now["resultRules"][2]["cutPercent"] == "20.00") != (got == Ok) {
                        failures.push(format!("{op} by {who:?}: answered {got:?}, and the rules disagree"));
                    }
                    got
                }
                "Mutation.recordFinanceEvaluation" => {
                    let t = f.project_in(*who, "APPROVED", year).await;
                    let q = "mutation($p: ID!) { recordFinanceEvaluation(input: { projectId: $p, score: \"88\" }) { grade userErrors { code } } }";
                    classify(&client.gql(q, json!({ "p": t.id })).await, "recordFinanceEvaluation")
                }
                "Mutation.decideBudget" => {
                    let t = f.project_in(*who, "SUBMITTED", year).await;
                    let q = "mutation($p: ID!) { decideBudget(input: { projectId: $p, amount: \"15000.00\" }) { userErrors { code } } }";
                    let got = classify(&client.gql(q, json!({ "p": t.id })).await, "decideBudget");
                    let d = f
                        .approver
                        .data(
                            "query($id: ID!) { project(id: $id) { budgetDecision { amount } } }",
                            json!({ "id": t.id }),
                        )
                        .await;
                    if d["project"]["budgetDecision"].is_object() != (got == Ok) {
                        failures.push(format!("{op} by {who:?}: answered {got:?}, and the decision disagrees"));
                    }
                    got
                }
                "Project.budgetSuggestion" | "Project.budgetDecision" => {
                    let t = f.project_in(*who, "SUBMITTED", year).await;
                    let decide = "mutation($p: ID!) { decideBudget(input: { projectId: $p, amount: \"15000.00\" }) { userErrors { code } } }";
                    f.approver.data(decide, json!({ "p": t.id })).await;
                    let field = op.trim_start_matches("Project.");
                    let q = format!("query($id: ID!) {{ project(id: $id) {{ {field} {{ __typename }} }} }}");
                    let r = client.gql(&q, json!({ "id": t.id })).await;
                    shown(&r, |d| d["project"][field].is_object())
                }
                "Query.rectifications" => {
                    let items = poor_items(&f, *who, year).await;
                    let r = client
                        .gql(
                            "query($y: Int!) { rectifications(filter: { fiscalYear: $y }) { id } }",
                            json!({ "y": year }),
                        )
                        .await;
                    shown(&r, |d| {
                        d["rectifications"].as_array().is_some_and(|a| a.len() == items.len() && !a.is_empty())
                    })
                }
                "Mutation.answerRectification" => {
                    let items = poor_items(&f, *who, year).await;
                    let (id, version) = &items[0];
                    let input = json!({ "i": { "id": id, "expectedVersion": version, "measure": "整改", "dueOn": format!("{year}-06-30") } });
                    let got = classify(&client.gql(ANSWER, input).await, "answerRectification");
                    if (item_status(id).await == "ANSWERED") != (got == Ok) {
                        failures.push(format!("{op} by {who:?}: answered {got:?}, and the item disagrees"));
                    }
                    got
                }
                _ => {
                    let items = poor_items(&f, *who, year).await;
                    let (id, version) = &items[0];
                    let answer = json!({ "i": { "id": id, "expectedVersion": version, "measure": "整改", "dueOn": format!("{year}-06-30") } });
                    assert!(owner.data(ANSWER, answer).await["answerRectification"]["item"].is_object());
                    let (query, field, wanted, at) = if *op == "Mutation.closeRectification" {
                        (CLOSE, "closeRectification", "CLOSED", version + 1)
                    } else {
                        let close = json!({ "i": { "id": id, "expectedVersion": version + 1 } });
                        assert!(f.approver.data(CLOSE, close).await["closeRectification"]["item"].is_object());
                        (REOPEN, "reopenRectification", "OPEN", version + 2)
                    };
                    let input = json!({ "i": { "id": id, "expectedVersion": at, "reason": "未落实" } });
                    let got = classify(&client.gql(query, input).await, field);
                    if (item_status(id).await == wanted) != (got == Ok) {
                        failures.push(format!("{op} by {who:?}: answered {got:?}, and the item disagrees"));
                    }
                    got
                }
            };
            if got != *expected {
                failures.push(format!("{op} by {who:?}: expected {expected:?}, got {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The years of the to-do cells: later ones for the lists, past ones for what is overdue today.
static TODO_YEARS: AtomicI32 = AtomicI32::new(2040);
static PAST_YEARS: AtomicI32 = AtomicI32::new(2011);

const SET_DEADLINE: &str =
    "mutation($i: SetDeadlineInput!) { setDeadline(input: $i) { deadlines { stage } userErrors { field code } } }";

/// Every page of the caller's to-do list (or its error).
async fn whole_todo_list(client: &Client) -> Result<Vec<Value>, Outcome> {
    let mut items = Vec::new();
    let mut after = Value::Null;
    loop {
        let r = client
            .gql(
                "query($a: String) { todo(first: 100, after: $a) { edges { node { kind subjectId } } pageInfo { hasNextPage endCursor } } }",
                json!({ "a": after }),
            )
            .await;
        if let Some(e) = error_outcome(&r) {
            return Err(e);
        }
        let page = &r["data"]["todo"];
        items.extend(page["edges"].as_array().unwrap().iter().map(|e| e["node"].clone()));
        if page["pageInfo"]["hasNextPage"] != true {
            return Result::Ok(items);
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

async fn todo_total(client: &Client) -> Result<i64, Outcome> {
    let r = client.gql("{ todoCounts { total } }", json!({})).await;
    match error_outcome(&r) {
        Some(e) => Err(e),
        None => Result::Ok(r["data"]["todoCounts"]["total"].as_i64().unwrap()),
    }
}

#[tokio::test]
async fn todo_and_deadlines_for_every_role() {
    let f = Fixture::new().await;
    let mut failures = Vec::new();
    for (op, outcomes) in TODO_TABLE {
        for (who, expected) in EVERYONE.iter().zip(outcomes) {
            let client = match who {
                OtherSubmitter => &f.other_submitter,
                OtherReviewer => &f.other_reviewer,
                _ => f.client(*who),
            };
            let waits = match who {
                Approver => "SUBMITTED",
                DepartmentReviewer | OtherReviewer => "DEPARTMENT_REVIEW",
                _ => "DRAFT",
            };
            let got = match *op {
                "Query.todo" => {
                    let t = f.project_in(Submitter, waits, TODO_YEARS.fetch_add(1, Ordering::Relaxed)).await;
                    match whole_todo_list(client).await {
                        Err(e) => e,
                        Result::Ok(items) if items.iter().any(|i| i["subjectId"] == t.id.as_str()) => Ok,
                        Result::Ok(_) => NotFound,
                    }
                }
                "Query.todoCounts" => {
                    let before = todo_total(client).await;
                    f.project_in(Submitter, waits, TODO_YEARS.fetch_add(1, Ordering::Relaxed)).await;
                    match (before, todo_total(client).await) {
                        (Err(e), _) | (_, Err(e)) => e,
                        (Result::Ok(b), Result::Ok(a)) if a == b + 1 => Ok,
                        (Result::Ok(b), Result::Ok(a)) if a == b => NotFound,
                        (b, a) => panic!("todoCounts by {who:?} went from {b:?} to {a:?}"),
                    }
                }
                "Query.deadlines" | "Query.deadlineChanges" => {
                    let year = TODO_YEARS.fetch_add(1, Ordering::Relaxed);
                    for department in [Value::Null, json!(f.own_dept)] {
                        let i = json!({ "i": { "fiscalYear": year, "stage": "DECLARATION",
                            "departmentId": department, "dueOn": format!("{}-10-31", year - 1) } });
                        let r = f.approver.data(SET_DEADLINE, i).await;
                        assert_eq!(r["setDeadline"]["userErrors"], json!([]), "{r}");
                    }
                    let (q, list) = if *op == "Query.deadlines" {
                        ("query($y: Int!) { deadlines(fiscalYear: $y) { department { id } } }", "deadlines")
                    } else {
                        ("query($y: Int!) { deadlineChanges(fiscalYear: $y) { department { id } } }", "deadlineChanges")
                    };
                    let r = client.gql(q, json!({ "y": year })).await;
                    shown(&r, |d| {
                        d[list].as_array().unwrap().iter().any(|x| x["department"]["id"] == f.own_dept.as_str())
                    })
                }
                "Query.overdueSummary" => {
                    let year = PAST_YEARS.fetch_add(1, Ordering::Relaxed);
                    let i = json!({ "i": { "fiscalYear": year, "stage": "DECLARATION", "dueOn": format!("{}-10-31", year - 1) } });
                    assert_eq!(f.approver.data(SET_DEADLINE, i).await["setDeadline"]["userErrors"], json!([]));
                    f.project_in(Submitter, "DRAFT", year).await;
                    let r = client
                        .gql(
                            "query($y: Int!) { overdueSummary(fiscalYear: $y) { department { id } stage count } }",
                            json!({ "y": year }),
                        )
                        .await;
                    shown(&r, |d| {
                        d["overdueSummary"].as_array().unwrap().iter().any(|o| {
                            o["department"]["id"] == f.own_dept.as_str()
                                && o["stage"] == "DECLARATION"
                                && o["count"] == 1
                        })
                    })
                }
                "Mutation.setDeadline" => {
                    let year = TODO_YEARS.fetch_add(1, Ordering::Relaxed);
                    let i = json!({ "i": { "fiscalYear": year, "stage": "SELF_EVALUATION", "dueOn": format!("{}-03-31", year + 1) } });
                    let r = client.gql(SET_DEADLINE, i).await;
                    let set = f
                        .approver
                        .data("query($y: Int!) { deadlines(fiscalYear: $y) { stage } }", json!({ "y": year }))
                        .await;
                    let kept = set["deadlines"].as_array().unwrap().len() == 1;
                    match classify(&r, "setDeadline") {
                        Ok if kept => Ok,
                        Ok => panic!("setDeadline by {who:?} answered without error but kept nothing: {r}"),
                        other if kept => panic!("setDeadline by {who:?} was refused ({other:?}) but kept: {r}"),
                        other => other,
                    }
                }
                other => panic!("no cell for {other}"),
            };
            if got != *expected {
                failures.push(format!("{op} by {who:?}: expected {expected:?}, got {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Names of library entries made by the matrix: one of its own for every cell.
static LIBRARY_NAMES: AtomicI32 = AtomicI32::new(1);

const ADD_LIBRARY_ENTRY: &str = "mutation($i: AddLibraryEntryInput!) { addLibraryEntry(input: $i) {
    entry { id version status } userErrors { field code } } }";

fn library_entry_input(department: Value) -> Value {
    let name = format!("矩阵指标{}满意度", LIBRARY_NAMES.fetch_add(1, Ordering::Relaxed));
    json!({ "i": { "departmentId": department, "entry": {
        "level1": "SATISFACTION", "level2": "SERVICE_SATISFACTION", "name": name, "unit": "%",
        "direction": "HIGHER_IS_BETTER", "valueBasis": "HISTORY" } } })
}

#[tokio::test]
async fn the_indicator_library_for_every_role() {
    let f = Fixture::new().await;
    let mut failures = Vec::new();
    for (op, outcomes) in LIBRARY_TABLE {
        for (who, expected) in EVERYONE.iter().zip(outcomes) {
            let client = match who {
                OtherSubmitter => &f.other_submitter,
                OtherReviewer => &f.other_reviewer,
                _ => f.client(*who),
            };
            let input = library_entry_input(json!(f.own_dept));
            let name = input["i"]["entry"]["name"].as_str().unwrap().to_string();
            let made = f.approver.data(ADD_LIBRARY_ENTRY, input.clone()).await;
            let entry = made["addLibraryEntry"]["entry"].clone();
            assert_eq!(entry["status"], "CONFIRMED", "{made}");
            let id = entry["id"].as_str().unwrap().to_string();
            let kept = |r: &Value, field: &str| match classify(r, field) {
                Ok if r["data"][field]["userErrors"] == json!([]) => Ok,
                Ok => panic!("{field} by {who:?}: {r}"),
                other => other,
            };
            let got = match *op {
                "Query.indicatorLibrary" => {
                    let q = "query($n: String) { indicatorLibrary(filter: { nameContains: $n }) { nodes { id } } }";
                    let r = client.gql(q, json!({ "n": name })).await;
                    shown(&r, |d| {
                        d["indicatorLibrary"]["nodes"].as_array().unwrap().iter().any(|e| e["id"] == id.as_str())
                    })
                }
                "Query.libraryEntry" => {
                    let r =
                        client.gql("query($id: ID!) { libraryEntry(id: $id) { id name } }", json!({ "id": id })).await;
                    shown(&r, |d| d["libraryEntry"]["name"] == name.as_str())
                }
                "Query.suggestIndicators" => {
                    let q = "query($t: String!, $d: ID) { suggestIndicators(level2: SERVICE_SATISFACTION, text: $t, departmentId: $d) { entry { id } uses } }";
                    let r = client.gql(q, json!({ "t": name, "d": f.own_dept })).await;
                    shown(&r, |d| {
                        d["suggestIndicators"].as_array().unwrap().iter().any(|s| s["entry"]["id"] == id.as_str())
                    })
                }
                "Mutation.addLibraryEntry" => kept(
                    &client.gql(ADD_LIBRARY_ENTRY, library_entry_input(json!(f.own_dept))).await,
                    "addLibraryEntry",
                ),
                "Mutation.addLibraryEntry (common)" => {
                    kept(&client.gql(ADD_LIBRARY_ENTRY, library_entry_input(Value::Null)).await, "addLibraryEntry")
                }
                "Mutation.updateLibraryEntry" => {
                    let mut i = input.clone();
                    i["i"]["entry"]["definition"] = json!("改过的解释");
                    let q = "mutation($i: UpdateLibraryEntryInput!) { updateLibraryEntry(input: $i) { entry { definition } userErrors { field code } } }";
                    let r = client
                        .gql(q, json!({ "i": { "id": id, "expectedVersion": 1, "entry": i["i"]["entry"] } }))
                        .await;
                    kept(&r, "updateLibraryEntry")
                }
                "Mutation.setLibraryEntryStatus" => {
                    let q = "mutation($i: SetLibraryEntryStatusInput!) { setLibraryEntryStatus(input: $i) { entry { status } userErrors { field code } } }";
                    let r =
                        client.gql(q, json!({ "i": { "id": id, "expectedVersion": 1, "status": "RETIRED" } })).await;
                    kept(&r, "setLibraryEntryStatus")
                }
                "Mutation.importIndicatorLibrary" => {
                    let added = format!("导入{name}");
                    let mut workbook = rust_xlsxwriter::Workbook::new();
                    let ws = workbook.add_worksheet();
                    ws.set_name("指标库").unwrap();
                    let row = [
                        "共性指标",
                        "",
                        "",
                        "满意度指标",
                        "服务对象满意度指标",
                        added.as_str(),
                        "%",
                        "正向指标（越高越好）",
                        "",
                        "",
                        "历史标准",
                    ];
                    for (col, text) in row.iter().enumerate() {
                        ws.write_string(1, col as u16, *text).unwrap();
                    }
                    let bytes = workbook.save_to_buffer().unwrap();
                    let q = "mutation($file: Upload!) { importIndicatorLibrary(file: $file) { created userErrors { field } } }";
                    let (_, r) = client.upload(q, json!({}), "指标库.xlsx", &bytes).await;
                    let listed = f
                        .approver
                        .data(
                            "query($n: String) { indicatorLibrary(filter: { nameContains: $n }) { nodes { id } } }",
                            json!({ "n": added }),
                        )
                        .await;
                    let kept = !listed["indicatorLibrary"]["nodes"].as_array().unwrap().is_empty();
                    // An upload without a token is refused before it is read (no form can post one
                    // across sites): the anonymous caller's refusal.
                    if r["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE" && !kept {
                        Unauth
                    } else {
                        match error_outcome(&r) {
                            Some(e) if !kept => e,
                            None if kept && r["data"]["importIndicatorLibrary"]["created"] == 1 => Ok,
                            _ => panic!("importIndicatorLibrary by {who:?}: {r}, kept {kept}"),
                        }
                    }
                }
                "GET /export/library.xlsx" => {
                    let (status, bytes) = client.download("/export/library.xlsx").await;
                    match status {
                        200 => {
                            use calamine::Reader;
                            let mut book: calamine::Xlsx<_> =
                                calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
                            let sheet = book.worksheet_range("指标库").unwrap();
                            if sheet.rows().any(|r| r.iter().any(|c| c.to_string() == name)) { Ok } else { NotFound }
                        }
                        401 => Unauth,
                        403 => Forbidden,
                        other => panic!("the library's book for {who:?}: {other}"),
                    }
                }
                "Mutation.seedIndicatorLibrary" => {
                    let q = "mutation { seedIndicatorLibrary(fiscalYear: 2099) { entriesCreated } }";
                    let r = client.gql(q, json!({})).await;
                    error_outcome(&r).unwrap_or(Ok)
                }
                other => panic!("no cell for {other}"),
            };
            if got != *expected {
                failures.push(format!("{op} by {who:?}: expected {expected:?}, got {got:?}"));
            }
            // What a refused change left: the entry as it was.
            if op.starts_with("Mutation.") && !op.contains("add") && !op.contains("seed") && got != Ok {
                let r =
                    f.approver.data("query($id: ID!) { libraryEntry(id: $id) { version } }", json!({ "id": id })).await;
                assert_eq!(r["libraryEntry"]["version"], 1, "{op} by {who:?} was refused but changed the entry");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// 部门整体绩效目标 lives a project's life: each of its operations is the project operation named
/// beside it, and must give what that project row gives, for every caller and every status the
/// form can reach (all but NOT_APPROVED: the form is not graded). Its reads follow [`SEES`].
const GOALS_OPS: [(&str, &str); 13] = [
    ("saveDepartmentGoals", "updateProject"),
    ("addDepartmentGoalIndicator", "addIndicator"),
    ("updateDepartmentGoalIndicator", "addIndicator"),
    ("removeDepartmentGoalIndicator", "addIndicator"),
    ("moveDepartmentGoalIndicator", "addIndicator"),
    ("startDepartmentGoalsEvaluation", "startSelfEvaluation"),
    ("SUBMIT", "submitProject"),
    ("WITHDRAW", "withdrawProject"),
    ("FORWARD", "forwardProject"),
    ("APPROVE", "approveProject"),
    ("REJECT", "rejectProject"),
    ("START_ADJUSTMENT", "startAdjustment"),
    ("CANCEL_ADJUSTMENT", "cancelAdjustment"),
];

/// How many of [`GOALS_OPS`] are mutations of their own (the rest: `stepDepartmentGoals`' actions).
const GOALS_EDITS: usize = 6;

/// The read paths of the form, each following [`SEES`].
const GOALS_READS: [&str; 3] = ["Department.overallGoals", "Query.departmentGoals", "node(DepartmentGoals)"];

/// The statuses a form reaches, by their index in [`STATUSES`].
const GOALS_STATUSES: [usize; 7] = [0, 1, 2, 3, 4, 5, 7];

/// The years of the forms (a form alone in its year: the whole range, the seed's 2023 among them,
/// where its projects are in no task: a warning), of the forms' test and of their reports' (each
/// test has a database of its own).
static GOALS_YEARS: AtomicI32 = AtomicI32::new(2000);
static GOALS_REPORT_YEARS: AtomicI32 = AtomicI32::new(2030);

/// A new department-wide form in `status`, of the own department (of the other for an
/// outsider), alone in its year: one task carried by basic expenditure, the levels a set needs.
async fn goals_in(f: &Fixture, who: Who, status: &str, years: &AtomicI32) -> (String, i64, String, i32) {
    let (owner, reviewer, dept) = if outsider(who) {
        (&f.other_submitter, &f.other_reviewer, &f.other_dept)
    } else {
        (f.client(Submitter), f.client(DepartmentReviewer), &f.own_dept)
    };
    let year = years.fetch_add(1, Ordering::Relaxed);
    let row = |l1: &str, l2: &str, name: &str, measures: &[i32]| json!({ "indicator": { "level1": l1, "level2": l2, "name": name, "target": "≥95%", "measures": measures } });
    let input = json!({
        "departmentId": dept, "fiscalYear": year, "functions": "职能", "overallGoal": "目标",
        "tasks": [{ "name": "任务", "basicExpenditure": "100.00" }],
        "personnelExpenditure": "100.00", "incomeFiscal": "100.00",
        "indicators": [row("OUTPUT", "QUALITY", "办结率", &[0]), row("BENEFIT", "SOCIAL_BENEFIT", "化解率", &[]),
                       row("SATISFACTION", "SERVICE_SATISFACTION", "满意度", &[])],
    });
    let r = owner
        .data(
            "mutation($i: SaveDepartmentGoalsInput!) { saveDepartmentGoals(input: $i) { departmentGoals { id } userErrors { code field message } } }",
            json!({ "i": input }),
        )
        .await;
    let id = r["saveDepartmentGoals"]["departmentGoals"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_string();
    let mut path: Vec<(&Client, &str)> = match status {
        "DRAFT" => vec![],
        "DEPARTMENT_REVIEW" => vec![(owner, "SUBMIT")],
        _ => vec![(owner, "SUBMIT"), (reviewer, "FORWARD")],
    };
    match status {
        "APPROVED" | "ADJUSTING" | "ADJUSTMENT_SUBMITTED" => path.push((&f.approver, "APPROVE")),
        "REJECTED" => path.push((&f.approver, "REJECT")),
        _ => {}
    }
    if status.starts_with("ADJUST") {
        path.push((owner, "START_ADJUSTMENT"));
    }
    if status == "ADJUSTMENT_SUBMITTED" {
        path.push((owner, "SUBMIT"));
    }
    for (client, action) in path {
        let version = goals_state(f, &id).await.1;
        let r = goals_step(client, &id, version, action).await;
        assert!(r["data"]["stepDepartmentGoals"]["userErrors"] == json!([]), "{action}: {r}");
    }
    assert_eq!(goals_state(f, &id).await.0, status);
    let version = goals_state(f, &id).await.1;
    (id, version, dept.clone(), year)
}

async fn goals_step(client: &Client, id: &str, version: i64, action: &str) -> Value {
    let q = "mutation($i: DepartmentGoalsStepInput!) { stepDepartmentGoals(input: $i) { departmentGoals { status } userErrors { code message } } }";
    let input = json!({ "id": id, "action": action, "expectedVersion": version, "comment": "理由" });
    client.gql(q, json!({ "i": input })).await
}

/// Whether the form has its self-evaluation, as the admin sees it.
async fn goals_evaluated(f: &Fixture, id: &str) -> bool {
    let q = "query($id: ID!) { node(id: $id) { ... on DepartmentGoals { selfEvaluation { id } } } }";
    f.client(Admin).data(q, json!({ "id": id })).await["node"]["selfEvaluation"].is_object()
}

/// The form's status and version as the admin sees it.
async fn goals_state(f: &Fixture, id: &str) -> (String, i64) {
    let q = "query($id: ID!) { node(id: $id) { ... on DepartmentGoals { status version } } }";
    let r = f.client(Admin).data(q, json!({ "id": id })).await;
    (r["node"]["status"].as_str().unwrap().to_string(), r["node"]["version"].as_i64().unwrap())
}

async fn goals_mutation(f: &Fixture, op: &str, who: Who, id: &str, version: i64, dept: &str, year: i32) -> Value {
    let client = f.client(who);
    let row = json!({ "level1": "OUTPUT", "level2": "QUANTITY", "name": "件数", "target": "≥1件" });
    let payload = "{ departmentGoals { status } userErrors { code message } }";
    let (mutation, input) = match op {
        "saveDepartmentGoals" => (
            "SaveDepartmentGoalsInput",
            json!({ "departmentId": dept, "fiscalYear": year, "expectedVersion": version, "functions": "改" }),
        ),
        "addDepartmentGoalIndicator" => {
            ("AddGoalIndicatorInput", json!({ "id": id, "expectedVersion": version, "indicator": row }))
        }
        "updateDepartmentGoalIndicator" => {
            ("UpdateGoalIndicatorInput", json!({ "id": id, "expectedVersion": version, "rowId": 1, "indicator": row }))
        }
        "removeDepartmentGoalIndicator" => {
            ("RemoveGoalIndicatorInput", json!({ "id": id, "expectedVersion": version, "rowId": 1 }))
        }
        "moveDepartmentGoalIndicator" => {
            ("MoveGoalIndicatorInput", json!({ "id": id, "expectedVersion": version, "rowId": 1, "position": 2 }))
        }
        "startDepartmentGoalsEvaluation" => {
            let q = "mutation($g: ID!) { startDepartmentGoalsEvaluation(goalsId: $g) { selfEvaluation { id } userErrors { code message } } }";
            return client.gql(q, json!({ "g": id })).await;
        }
        action => return goals_step(client, id, version, action).await,
    };
    let q = format!("mutation($i: {mutation}!) {{ {op}(input: $i) {payload} }}");
    client.gql(&q, json!({ "i": input })).await
}

#[tokio::test]
async fn every_department_goals_path_and_mutation_for_every_role_department_and_status() {
    let f = Fixture::new().await;
    let mut failures = Vec::new();
    // A form per department and status, shared by the cells that must leave it as it is (a form
    // is one per department and year, and the budget's years are few); a cell that must change
    // it gets a fresh one, and a shared one changed by mistake is replaced.
    let mut shared: HashMap<(bool, usize), (String, i64, String, i32)> = HashMap::new();
    for &s in &GOALS_STATUSES {
        let status = STATUSES[s];
        for who in EVERYONE {
            let form = match shared.get(&(outsider(who), s)) {
                Some(form) => form.clone(),
                None => goals_in(&f, who, status, &GOALS_YEARS).await,
            };
            shared.insert((outsider(who), s), form.clone());
            let (id, _, dept, year) = form;
            let expected = SEES.iter().find(|(w, _)| *w == who).unwrap().1[s];
            for path in GOALS_READS {
                let (q, at): (&str, &[&str]) = match path {
                    "Department.overallGoals" => (
                        "query($d: ID!, $y: Int!) { node(id: $d) { ... on Department { overallGoals(fiscalYear: $y) { id } } } }",
                        &["node", "overallGoals", "id"],
                    ),
                    "Query.departmentGoals" => {
                        ("query($y: Int!) { departmentGoals(fiscalYear: $y) { id } }", &["departmentGoals"])
                    }
                    _ => ("query($id: ID!) { node(id: $id) { id } }", &["node", "id"]),
                };
                let r = f.client(who).gql(q, json!({ "d": dept, "y": year, "id": id })).await;
                let got = error_outcome(&r).unwrap_or_else(|| {
                    let v = at.iter().fold(&r["data"], |v, k| &v[*k]);
                    let shown = v == &json!(id) || v.as_array().is_some_and(|a| a.iter().any(|g| g["id"] == json!(id)));
                    if shown { Ok } else { NotFound }
                });
                if got != expected {
                    failures
                        .push(format!("{path} of a {status} form by {who:?}: expected {expected:?}, got {got:?}: {r}"));
                }
            }
        }
        for (op, project_op) in GOALS_OPS {
            for who in EVERYONE {
                let row = MUTATION_TABLE.iter().find(|(o, w, _)| *o == project_op && *w == who);
                let expected = row.unwrap_or_else(|| panic!("no row {project_op} {who:?}")).2[s];
                let key = (outsider(who), s);
                let (id, version, dept, year) = match (expected, shared.get(&key)) {
                    (Ok, _) | (_, None) => goals_in(&f, who, status, &GOALS_YEARS).await,
                    (_, Some(form)) => form.clone(),
                };
                let r = goals_mutation(&f, op, who, &id, version, &dept, year).await;
                let field =
                    if GOALS_OPS[GOALS_EDITS..].iter().any(|(o, _)| *o == op) { "stepDepartmentGoals" } else { op };
                let got = classify(&r, field);
                let after = goals_state(&f, &id).await.1;
                if after != version && expected != Ok {
                    shared.remove(&key);
                }
                // Starting its self-evaluation leaves the form as it is, and makes the evaluation.
                let starts = op == "startDepartmentGoalsEvaluation";
                let done =
                    if starts { after == version && goals_evaluated(&f, &id).await } else { after == version + 1 };
                if starts && got == Ok {
                    shared.remove(&key);
                }
                if got != expected {
                    failures
                        .push(format!("{op} on a {status} form by {who:?}: expected {expected:?}, got {got:?}: {r}"));
                } else if (got == Ok) != done {
                    failures.push(format!(
                        "{op} on a {status} form by {who:?}: answered {got:?}, version {version} → {after}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} cells wrong:\n{}", failures.len(), failures.join("\n"));
}

/// A department's report on its overall goals and its self-evaluation live by a report's rules:
/// each of their reads and operations must give what the project's report ([`REPORT_TABLE`]) or
/// self-evaluation ([`EVALUATION_TABLE`]) row named beside it gives, for every caller and every
/// status. An operation with an action is named "mutation ACTION".
const GOALS_REPORT_READS: [(&str, &str); 2] = [
    ("DepartmentGoals.reports", "Project.monitoringReports"),
    ("node(DepartmentGoalsReport)", "Query.monitoringReport"),
];
const GOALS_REPORT_OPS: [(&str, &str); 4] = [
    ("updateDepartmentGoalsReport", "updateMonitoringReport"),
    ("stepDepartmentGoalsReport SUBMIT", "submitMonitoringReport"),
    ("stepDepartmentGoalsReport ACCEPT", "acceptMonitoringReport"),
    ("stepDepartmentGoalsReport RETURN", "returnMonitoringReport"),
];
const GOALS_EVALUATION_READS: [(&str, &str); 2] = [
    ("DepartmentGoals.selfEvaluation", "Project.selfEvaluation"),
    ("node(DepartmentGoalsEvaluation)", "Project.selfEvaluation"),
];
const GOALS_EVALUATION_OPS: [(&str, &str); 4] = [
    ("updateDepartmentGoalsEvaluation", "updateSelfEvaluation"),
    ("stepDepartmentGoalsEvaluation SUBMIT", "submitSelfEvaluation"),
    ("stepDepartmentGoalsEvaluation ACCEPT", "acceptSelfEvaluation"),
    ("stepDepartmentGoalsEvaluation RETURN", "returnSelfEvaluation"),
];

/// Approved goals with their report of a round and their self-evaluation, both filled in whole
/// by the owner and taken to `status`.
#[derive(Clone)]
struct GoalsReportTarget {
    goals: String,
    report: String,
    evaluation: String,
}

async fn goals_reported_in(f: &Fixture, who: Who, status: &str) -> GoalsReportTarget {
    let (goals, _, _, year) = goals_in(f, who, "APPROVED", &GOALS_REPORT_YEARS).await;
    let owner = if outsider(who) { &f.other_submitter } else { f.client(Submitter) };
    let r = f
        .client(Admin)
        .data(
            "mutation($y: Int!, $a: Date!, $d: Date!) { openMonitoringRound(input: { fiscalYear: $y, name: \"上半年\", asOf: $a, dueDate: $d }) { round { id } userErrors { message } } }",
            json!({ "y": year, "a": format!("{year}-06-30"), "d": format!("{year}-07-15") }),
        )
        .await;
    assert!(r["openMonitoringRound"]["round"].is_object(), "{r}");
    let q = "query($id: ID!) { node(id: $id) { ... on DepartmentGoals { reports { id version } } } }";
    let report = f.client(Admin).data(q, json!({ "id": goals })).await["node"]["reports"][0].clone();
    let certain: Vec<Value> = (1..=3).map(|row| json!({ "rowId": row, "likelihood": "CERTAIN" })).collect();
    let r = owner
        .data(
            "mutation($i: UpdateDepartmentGoalsReportInput!) { updateDepartmentGoalsReport(input: $i) { userErrors { message } } }",
            json!({ "i": { "id": report["id"], "expectedVersion": report["version"], "budgetExecuted": "50.00", "indicators": certain } }),
        )
        .await;
    assert_eq!(r["updateDepartmentGoalsReport"]["userErrors"], json!([]), "{r}");
    let r = owner
        .data(
            "mutation($g: ID!) { startDepartmentGoalsEvaluation(goalsId: $g) { selfEvaluation { id version } userErrors { message } } }",
            json!({ "g": goals }),
        )
        .await;
    let e = r["startDepartmentGoalsEvaluation"]["selfEvaluation"].clone();
    let met: Vec<Value> = (1..=3).map(|row| json!({ "rowId": row, "actual": "96%" })).collect();
    let r = owner
        .data(
            "mutation($i: UpdateDepartmentGoalsEvaluationInput!) { updateDepartmentGoalsEvaluation(input: $i) { userErrors { message } } }",
            json!({ "i": { "id": e["id"], "expectedVersion": e["version"], "budgetExecuted": "100.00", "indicators": met } }),
        )
        .await;
    assert_eq!(r["updateDepartmentGoalsEvaluation"]["userErrors"], json!([]), "{r}");
    let t = GoalsReportTarget {
        goals,
        report: report["id"].as_str().unwrap().to_string(),
        evaluation: e["id"].as_str().unwrap().to_string(),
    };
    let mut path: Vec<(&Client, &str)> = vec![];
    if status != "DRAFT" {
        path.push((owner, "SUBMIT"));
    }
    match status {
        "ACCEPTED" => path.push((&f.approver, "ACCEPT")),
        "RETURNED" => path.push((&f.approver, "RETURN")),
        _ => {}
    }
    for (client, action) in path {
        for (mutation, id) in
            [("stepDepartmentGoalsReport", &t.report), ("stepDepartmentGoalsEvaluation", &t.evaluation)]
        {
            let r = goals_report_step(client, mutation, id, action).await;
            assert_eq!(r["data"][mutation]["userErrors"], json!([]), "{mutation} {action}: {r}");
        }
    }
    t
}

async fn goals_report_step(client: &Client, mutation: &str, id: &str, action: &str) -> Value {
    let object = if mutation == "stepDepartmentGoalsReport" { "report" } else { "selfEvaluation" };
    let q = format!(
        "mutation($i: DepartmentGoalsReportStepInput!) {{ {mutation}(input: $i) {{ {object} {{ status }} userErrors {{ code message }} }} }}"
    );
    client.gql(&q, json!({ "i": { "id": id, "action": action, "comment": "理由" } })).await
}

/// A report's or a self-evaluation's status and version as the admin sees it.
async fn report_like_state(f: &Fixture, id: &str) -> (String, i64) {
    let q = "query($id: ID!) { node(id: $id) { ... on DepartmentGoalsReport { status version } ... on DepartmentGoalsEvaluation { status version } } }";
    let r = f.client(Admin).data(q, json!({ "id": id })).await;
    (r["node"]["status"].as_str().unwrap().to_string(), r["node"]["version"].as_i64().unwrap())
}

/// One read cell: is the report or the evaluation shown on `path`?
async fn goals_report_read(f: &Fixture, path: &str, who: Who, t: &GoalsReportTarget) -> (Outcome, Value) {
    let (q, id, at): (&str, &str, &[&str]) = match path {
        "DepartmentGoals.reports" => (
            "query($id: ID!) { node(id: $id) { ... on DepartmentGoals { reports { id } } } }",
            &t.goals,
            &["node", "reports"],
        ),
        "DepartmentGoals.selfEvaluation" => (
            "query($id: ID!) { node(id: $id) { ... on DepartmentGoals { selfEvaluation { id } } } }",
            &t.goals,
            &["node", "selfEvaluation", "id"],
        ),
        "node(DepartmentGoalsReport)" => ("query($id: ID!) { node(id: $id) { id } }", &t.report, &["node", "id"]),
        _ => ("query($id: ID!) { node(id: $id) { id } }", &t.evaluation, &["node", "id"]),
    };
    let wanted =
        if path.contains("selfEvaluation") || path.contains("Evaluation)") { &t.evaluation } else { &t.report };
    let r = f.client(who).gql(q, json!({ "id": id })).await;
    let got = error_outcome(&r).unwrap_or_else(|| {
        let v = at.iter().fold(&r["data"], |v, k| &v[*k]);
        let shown = v == &json!(wanted) || v.as_array().is_some_and(|a| a.iter().any(|g| g["id"] == json!(wanted)));
        if shown { Ok } else { NotFound }
    });
    (got, r)
}

/// One operation cell: done as the table says (the status it leads to, the version moved by
/// one), or refused with nothing changed.
async fn goals_report_op(f: &Fixture, op: &str, who: Who, id: &str) -> Result<Outcome, String> {
    let client = f.client(who);
    let before = report_like_state(f, id).await;
    let (mutation, action) = op.split_once(' ').unwrap_or((op, ""));
    let r = match mutation {
        "updateDepartmentGoalsReport" | "updateDepartmentGoalsEvaluation" => {
            let (input, object) = if mutation.ends_with("Report") {
                ("UpdateDepartmentGoalsReportInput", "report")
            } else {
                ("UpdateDepartmentGoalsEvaluationInput", "selfEvaluation")
            };
            let q = format!(
                "mutation($i: {input}!) {{ {mutation}(input: $i) {{ {object} {{ status }} userErrors {{ code message }} }} }}"
            );
            client.gql(&q, json!({ "i": { "id": id, "expectedVersion": before.1, "budgetExecuted": "60.00" } })).await
        }
        _ => goals_report_step(client, mutation, id, action).await,
    };
    let got = classify(&r, mutation);
    let after = report_like_state(f, id).await;
    let expected_status = match action {
        "" => before.0.as_str(),
        "SUBMIT" => "SUBMITTED",
        "ACCEPT" => "ACCEPTED",
        _ => "RETURNED",
    };
    match got {
        Ok if after.0 == expected_status && after.1 == before.1 + 1 => Result::Ok(Ok),
        Ok => Err(format!("answered as done, but it is {after:?} (was {before:?}): {r}")),
        other if after != before => Err(format!("answered {other:?}, but it changed to {after:?} (was {before:?})")),
        other => Result::Ok(other),
    }
}

#[tokio::test]
async fn every_department_goals_report_and_self_evaluation_path_for_every_role_and_status() {
    let f = Fixture::new().await;
    let mut failures = Vec::new();
    let tables: [(&[(&str, &str)], &[(&str, &str)], &[(&str, Who, [Outcome; 4])]); 2] = [
        (&GOALS_REPORT_READS, &GOALS_REPORT_OPS, REPORT_TABLE),
        (&GOALS_EVALUATION_READS, &GOALS_EVALUATION_OPS, EVALUATION_TABLE),
    ];
    let expected_of = |table: &[(&str, Who, [Outcome; 4])], project_op: &str, who: Who, s: usize| {
        table.iter().find(|(o, w, _)| *o == project_op && *w == who).unwrap_or_else(|| panic!("no row {project_op}")).2
            [s]
    };
    // Targets per department and status, shared by the cells that must leave them as they are.
    let mut shared: HashMap<(bool, usize), GoalsReportTarget> = HashMap::new();
    for (s, status) in REPORT_STATUSES.iter().enumerate() {
        for (reads, ops, table) in tables {
            for who in EVERYONE {
                let key = (outsider(who), s);
                if !shared.contains_key(&key) {
                    shared.insert(key, goals_reported_in(&f, who, status).await);
                }
                let t = shared[&key].clone();
                for (path, project_path) in reads {
                    let expected = expected_of(table, project_path, who, s);
                    let (got, r) = goals_report_read(&f, path, who, &t).await;
                    if got != expected {
                        failures.push(format!("{path} ({status}) by {who:?}: expected {expected:?}, got {got:?}: {r}"));
                    }
                }
                for (op, project_op) in ops {
                    let expected = expected_of(table, project_op, who, s);
                    let t =
                        if expected == Ok { goals_reported_in(&f, who, status).await } else { shared[&key].clone() };
                    let id = if op.contains("Report") { &t.report } else { &t.evaluation };
                    match goals_report_op(&f, op, who, id).await {
                        Result::Ok(got) if got == expected => {}
                        Result::Ok(got) => {
                            failures.push(format!("{op} ({status}) by {who:?}: expected {expected:?}, got {got:?}"))
                        }
                        Err(e) => {
                            shared.remove(&key);
                            failures.push(format!("{op} ({status}) by {who:?}: {e}"));
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} cells wrong:\n{}", failures.len(), failures.join("\n"));
}
