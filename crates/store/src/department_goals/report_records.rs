//! What a department's monitoring report and self-evaluation of its overall goals keep, typed,
//! and the lifecycle instances they are: both live by a report's rules (`report_rules_form!`),
//! as a project's report and self-evaluation do.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use jixiao_domain::evaluation::{Grade, IndicatorResult, Points};
use jixiao_domain::monitoring::{IndicatorProgress, Light, Percent, ReportAction, ReportStatus};
use jixiao_domain::{Indicator, Money};
use sea_orm::DbErr;

use super::records::DepartmentGoalsRecord;
use crate::entity::{department_goal_evaluation, department_goal_report};
use crate::evaluations::{Answers, StoredWeights};
use crate::lifecycle::StepRecord;
use crate::monitoring::form::report_rules_form;

report_rules_form!(
    /// Departments' monitoring reports on their overall goals.
    GoalsReportForm,
    department_goal_report,
    department_goal_report_review,
    ReportId,
    GoalsReportRecord,
    ("部门整体绩效监控表", "department-wide monitoring report")
);

report_rules_form!(
    /// Departments' self-evaluations of their overall goals.
    GoalsEvaluationForm,
    department_goal_evaluation,
    department_goal_evaluation_review,
    EvaluationId,
    GoalsEvaluationRecord,
    ("部门整体绩效自评", "department-wide self-evaluation")
);

/// The indicators in force of a form (the goals last approved), with their row ids.
pub(crate) fn rows_in_force(goals: &DepartmentGoalsRecord) -> Vec<(i64, Indicator)> {
    match &goals.in_force {
        Some(g) => goals.in_force_ids.iter().copied().zip(g.indicators.iter().cloned()).collect(),
        None => Vec::new(),
    }
}

/// A department's report on its overall goals in one round.
#[derive(Clone, Debug)]
pub struct GoalsReportRecord {
    pub id: i64,
    pub round_id: i64,
    pub goals_id: i64,
    pub department_id: i64,
    pub status: ReportStatus,
    pub version: i32,
    /// 支出合计 of the goals in force.
    pub annual_request: Money,
    /// The same, as approved: what the execution rate divides by.
    pub approved: Money,
    pub budget_executed: Option<Money>,
    pub execution_rate: Option<Percent>,
    pub budget_light: Option<Light>,
    pub light: Option<Light>,
    /// Each indicator's progress, by the row id of the indicator in force.
    pub indicators: BTreeMap<i64, IndicatorProgress>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

fn corrupt(table: &str, what: &str, value: &str) -> DbErr {
    DbErr::Custom(format!("unknown {what} {value:?} in {table}"))
}

fn status(table: &str, code: &str) -> Result<ReportStatus, DbErr> {
    ReportStatus::from_code(code).ok_or_else(|| corrupt(table, "status", code))
}

fn light(code: Option<String>) -> Result<Option<Light>, DbErr> {
    code.map(|c| Light::from_code(&c).ok_or_else(|| corrupt("department_goal_reports", "light", &c))).transpose()
}

impl TryFrom<department_goal_report::Model> for GoalsReportRecord {
    type Error = DbErr;

    fn try_from(m: department_goal_report::Model) -> Result<Self, DbErr> {
        Ok(GoalsReportRecord {
            id: m.id,
            round_id: m.round_id,
            goals_id: m.goals_id,
            department_id: m.department_id,
            status: status("department_goal_reports", &m.status)?,
            version: m.version,
            annual_request: Money::from_fen(m.annual_request_fen),
            approved: Money::from_fen(m.approved_fen),
            budget_executed: m.budget_executed_fen.map(Money::from_fen),
            execution_rate: m.execution_rate.map(Percent),
            budget_light: light(m.budget_light)?,
            light: light(m.light)?,
            indicators: serde_json::from_str(&m.indicators)
                .map_err(|e| DbErr::Custom(format!("department-wide report {}: {e}", m.id)))?,
            submitted_at: m.submitted_at,
            updated_at: m.updated_at,
        })
    }
}

/// A department's self-evaluation of its overall goals.
#[derive(Clone, Debug)]
pub struct GoalsEvaluationRecord {
    pub id: i64,
    pub goals_id: i64,
    pub department_id: i64,
    pub fiscal_year: i32,
    pub status: ReportStatus,
    pub version: i32,
    /// 支出合计 of the goals in force.
    pub annual_request: Money,
    /// The same, as approved: what the execution is scored against.
    pub approved: Money,
    pub budget_executed: Option<Money>,
    pub weights: Option<StoredWeights>,
    /// Each indicator's result, by the row id of the indicator in force.
    pub results: BTreeMap<i64, IndicatorResult>,
    pub total: Points,
    pub grade: Grade,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl GoalsEvaluationRecord {
    /// What the evaluator answered, as the rules score it.
    pub(crate) fn answers(&self) -> Answers<'_> {
        Answers {
            approved: self.approved,
            budget_executed: self.budget_executed,
            weights: self.weights.as_ref(),
            results: &self.results,
        }
    }
}

impl TryFrom<department_goal_evaluation::Model> for GoalsEvaluationRecord {
    type Error = DbErr;

    fn try_from(m: department_goal_evaluation::Model) -> Result<Self, DbErr> {
        let table = "department_goal_evaluations";
        let json = |e: serde_json::Error| DbErr::Custom(format!("department-wide self-evaluation {}: {e}", m.id));
        Ok(GoalsEvaluationRecord {
            id: m.id,
            goals_id: m.goals_id,
            department_id: m.department_id,
            fiscal_year: m.fiscal_year,
            status: status(table, &m.status)?,
            version: m.version,
            annual_request: Money::from_fen(m.annual_request_fen),
            approved: Money::from_fen(m.approved_fen),
            budget_executed: m.budget_executed_fen.map(Money::from_fen),
            weights: m.weights.as_deref().map(serde_json::from_str).transpose().map_err(json)?,
            results: serde_json::from_str(&m.results).map_err(json)?,
            total: Points(m.total_score),
            grade: Grade::from_code(&m.grade).ok_or_else(|| corrupt(table, "grade", &m.grade))?,
            submitted_at: m.submitted_at,
            updated_at: m.updated_at,
        })
    }
}

/// One step of a department-wide report's or self-evaluation's history.
pub type GoalsReportStep = StepRecord<ReportStatus, ReportAction>;
