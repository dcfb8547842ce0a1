//! The department-wide form's objects as types of their own, each with what it is made from:
//! the form, its report of a round and its self-evaluation point at each other, and their
//! resolvers (`types.rs`, `monitored.rs`, `evaluated.rs`) lead from one to another without a
//! circle of imports.

use jixiao_domain::Indicator;
use jixiao_domain::department_goals::DepartmentGoals as Goals;
use jixiao_store::department_goals::{
    DepartmentGoalsRecord, GoalsEvaluationRecord, GoalsEvaluationScores, GoalsReportRecord, YearProjectRow,
};
use tokio::sync::OnceCell;

/// 部门整体绩效目标: a department's goals for a fiscal year, built on its projects, living a
/// project's life (the same statuses and steps). Its fields: `types.rs`.
pub struct DepartmentGoals {
    pub record: DepartmentGoalsRecord,
    /// The department's projects of the year, read at most once per object.
    pub(super) projects: OnceCell<Vec<YearProjectRow>>,
}

impl DepartmentGoals {
    pub fn new(record: DepartmentGoalsRecord) -> DepartmentGoals {
        DepartmentGoals { record, projects: OnceCell::new() }
    }
}

/// 部门整体绩效监控表 (its fields: `monitored.rs`).
pub struct DepartmentGoalsReport {
    pub record: GoalsReportRecord,
    pub(super) form: FormOf,
}

impl DepartmentGoalsReport {
    pub fn new(record: GoalsReportRecord, form: FormOf) -> DepartmentGoalsReport {
        DepartmentGoalsReport { record, form }
    }

    pub fn alone(record: GoalsReportRecord) -> DepartmentGoalsReport {
        let form = FormOf::by_id(record.goals_id);
        DepartmentGoalsReport { record, form }
    }
}

/// 部门整体绩效自评表 (its fields: `evaluated.rs`).
pub struct DepartmentGoalsEvaluation {
    pub record: GoalsEvaluationRecord,
    pub(super) form: FormOf,
    /// Scored at most once per object, against the form's indicators in force.
    pub(super) scores: OnceCell<GoalsEvaluationScores>,
}

impl DepartmentGoalsEvaluation {
    pub fn new(record: GoalsEvaluationRecord, form: FormOf) -> DepartmentGoalsEvaluation {
        DepartmentGoalsEvaluation { record, form, scores: OnceCell::new() }
    }

    pub fn alone(record: GoalsEvaluationRecord) -> DepartmentGoalsEvaluation {
        let form = FormOf::by_id(record.goals_id);
        DepartmentGoalsEvaluation::new(record, form)
    }
}

/// The form a report or a self-evaluation belongs to, read at most once per object (handed down
/// when the object is reached from its form; read by `form_of.rs` otherwise).
pub struct FormOf {
    pub(super) goals_id: i64,
    pub(super) form: OnceCell<DepartmentGoalsRecord>,
}

impl FormOf {
    /// The form `goals_id`, read when first asked for.
    pub fn by_id(goals_id: i64) -> FormOf {
        FormOf { goals_id, form: OnceCell::new() }
    }

    /// A form already read.
    pub fn known(form: DepartmentGoalsRecord) -> FormOf {
        FormOf { goals_id: form.id, form: OnceCell::new_with(Some(form)) }
    }
}

/// 部门整体绩效指标: a row of the department-wide indicators (its fields: `types.rs`).
pub struct GoalIndicator {
    pub(super) row_id: i64,
    pub(super) indicator: Indicator,
    pub(super) measures: Vec<usize>,
}

impl GoalIndicator {
    pub(super) fn row_id_and_target(&self) -> (i64, &jixiao_domain::TargetValue) {
        (self.row_id, &self.indicator.target)
    }
}

/// The form's indicator rows, given their ids in order.
pub(super) fn indicators_of(goals: &Goals, ids: &[i64]) -> Vec<GoalIndicator> {
    let rows = goals.indicators.iter().zip(&goals.measures).zip(ids);
    rows.map(|((indicator, measures), &row_id)| GoalIndicator {
        row_id,
        indicator: indicator.clone(),
        measures: measures.clone(),
    })
    .collect()
}
