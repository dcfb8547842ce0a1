//! The events of departments' overall goals: each step of a form (申报), of its monitoring report
//! in a round (监控) and of its self-evaluation (自评), announced by migration 33's triggers
//! (`goals_review:<id>`, `goals_report_review:<id>`, `goals_evaluation_review:<id>`) or found by
//! SQLite's poll in the three step tables, and read here as they are when heard.

pub use jixiao_domain::department_goals::DepartmentGoalsStage as GoalsStage;
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};

use crate::department_goals::{
    DepartmentGoalsRecord, DepartmentGoalsStep, GoalsEvaluationRecord, GoalsReportRecord, GoalsReportStep,
};
use crate::entity::{
    department_goal, department_goal_evaluation, department_goal_evaluation_review, department_goal_report,
    department_goal_report_review, department_goal_review,
};
use crate::error::StoreResult;
use crate::lifecycle::StepRecord;

/// A step of a department's overall goals, of their report or of their self-evaluation, with
/// what it was taken on as it is right after.
#[derive(Clone, Debug)]
pub enum GoalsEvent {
    Step { goals: DepartmentGoalsRecord, step: DepartmentGoalsStep },
    Report { report: GoalsReportRecord, fiscal_year: i32, step: GoalsReportStep },
    Evaluation { evaluation: GoalsEvaluationRecord, step: GoalsReportStep },
}

impl GoalsEvent {
    pub fn stage(&self) -> GoalsStage {
        match self {
            GoalsEvent::Step { .. } => GoalsStage::Declaration,
            GoalsEvent::Report { .. } => GoalsStage::Monitoring,
            GoalsEvent::Evaluation { .. } => GoalsStage::SelfEvaluation,
        }
    }

    pub fn department_id(&self) -> i64 {
        match self {
            GoalsEvent::Step { goals, .. } => goals.department_id,
            GoalsEvent::Report { report, .. } => report.department_id,
            GoalsEvent::Evaluation { evaluation, .. } => evaluation.department_id,
        }
    }

    pub fn fiscal_year(&self) -> i32 {
        match self {
            GoalsEvent::Step { goals, .. } => goals.fiscal_year,
            GoalsEvent::Report { fiscal_year, .. } => *fiscal_year,
            GoalsEvent::Evaluation { evaluation, .. } => evaluation.fiscal_year,
        }
    }

    /// The form the step's subject belongs to.
    pub fn goals_id(&self) -> i64 {
        match self {
            GoalsEvent::Step { goals, .. } => goals.id,
            GoalsEvent::Report { report, .. } => report.goals_id,
            GoalsEvent::Evaluation { evaluation, .. } => evaluation.goals_id,
        }
    }
}

/// The kind each notice names, the step table's id beside it.
pub(super) fn notice(kind: &str) -> Option<GoalsStage> {
    match kind {
        "goals_review" => Some(GoalsStage::Declaration),
        "goals_report_review" => Some(GoalsStage::Monitoring),
        "goals_evaluation_review" => Some(GoalsStage::SelfEvaluation),
        _ => None,
    }
}

/// The step `id` of `stage` and what it was taken on, as they are now (`None`: gone meanwhile).
pub(super) async fn resolve(db: &DatabaseConnection, stage: GoalsStage, id: i64) -> StoreResult<Option<GoalsEvent>> {
    Ok(match stage {
        GoalsStage::Declaration => {
            let Some(row) = department_goal_review::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
            let step: DepartmentGoalsStep = StepRecord::read(&row)?;
            let Some(goals) = department_goal::Entity::find_by_id(step.form_id).one(db).await? else {
                return Ok(None);
            };
            Some(GoalsEvent::Step { goals: goals.try_into()?, step })
        }
        GoalsStage::Monitoring => {
            let Some(row) = department_goal_report_review::Entity::find_by_id(id).one(db).await? else {
                return Ok(None);
            };
            let step: GoalsReportStep = StepRecord::read(&row)?;
            let Some(report) = department_goal_report::Entity::find_by_id(step.form_id).one(db).await? else {
                return Ok(None);
            };
            let report: GoalsReportRecord = report.try_into()?;
            let year: Option<i32> = department_goal::Entity::find_by_id(report.goals_id)
                .select_only()
                .column(department_goal::Column::FiscalYear)
                .into_tuple()
                .one(db)
                .await?;
            let Some(fiscal_year) = year else { return Ok(None) };
            Some(GoalsEvent::Report { report, fiscal_year, step })
        }
        GoalsStage::SelfEvaluation => {
            let Some(row) = department_goal_evaluation_review::Entity::find_by_id(id).one(db).await? else {
                return Ok(None);
            };
            let step: GoalsReportStep = StepRecord::read(&row)?;
            let Some(evaluation) = department_goal_evaluation::Entity::find_by_id(step.form_id).one(db).await? else {
                return Ok(None);
            };
            Some(GoalsEvent::Evaluation { evaluation: evaluation.try_into()?, step })
        }
    })
}
