//! 部门整体绩效目标 in the database: one form per department and fiscal year, an instance of the
//! reviewed-form lifecycle (`form.rs`) that lives a project's life. The form itself and its rules
//! are the domain's (`jixiao_domain::department_goals`, `findings::department_wide`).
//!
//! What the [`DepartmentGoalsStore`] handle offers, by file: reading a department's form, the
//! bureau's list of a year, histories, and the projects of the year the form is read among
//! (`reads.rs`); saving the form whole or one indicator row at a time (`writes.rs`); moving it
//! along its steps (`steps.rs`); monitoring it in each round (`reports.rs`) and self-evaluating
//! it at year end (`evaluation.rs`), both living by a report's rules (`report_records.rs`).

mod evaluation;
pub(crate) mod form;
mod reads;
mod records;
mod report_records;
mod reports;
mod steps;
mod writes;

use jixiao_domain::Actor;
use sea_orm::DatabaseConnection;

pub use evaluation::GoalsEvaluationScores;
pub use reads::{MAX_FORMS_LISTED, YearProjectRow};
pub use records::{DepartmentGoalsRecord, DepartmentGoalsStep};
pub use report_records::{GoalsEvaluationRecord, GoalsReportRecord, GoalsReportStep};
pub(crate) use reports::enroll_round;
pub use writes::{GoalRowEdit, SaveGoals};

use crate::lifecycle::Commits;

/// Departments' overall goals, for one actor.
pub struct DepartmentGoalsStore<'a> {
    db: &'a DatabaseConnection,
    commits: &'a Commits,
    actor: Actor,
}

impl crate::Store {
    pub fn department_goals(&self, actor: Actor) -> DepartmentGoalsStore<'_> {
        DepartmentGoalsStore { db: &self.db, commits: &self.commits, actor }
    }
}
