//! What a self-evaluation keeps, typed.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use jixiao_domain::Money;
use jixiao_domain::evaluation::{Grade, IndicatorResult, Points, Scored};
use jixiao_domain::monitoring::{ReportAction, ReportStatus};
use sea_orm::DbErr;
use serde::{Deserialize, Serialize};

use crate::entity::self_evaluation;
use crate::lifecycle::StepRecord;
use crate::snapshots::IdentifiedDeclaration;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredWeights {
    pub execution: Points,
    pub indicators: BTreeMap<i64, Points>,
}

#[derive(Clone, Debug)]
pub struct EvaluationRecord {
    pub id: i64,
    pub project_id: i64,
    pub department_id: i64,
    pub fiscal_year: i32,
    pub status: ReportStatus,
    pub version: i32,
    pub annual_request: Money,
    /// 批复金额 in force: what the execution rate divides by.
    pub approved: Money,
    pub budget_executed: Option<Money>,
    pub weights: Option<StoredWeights>,
    pub results: BTreeMap<i64, IndicatorResult>,
    pub total: Points,
    pub grade: Grade,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

fn corrupt(what: &str, value: &str) -> DbErr {
    DbErr::Custom(format!("unknown {what} {value:?} in self_evaluations"))
}

impl TryFrom<self_evaluation::Model> for EvaluationRecord {
    type Error = DbErr;

    fn try_from(m: self_evaluation::Model) -> Result<Self, DbErr> {
        let json = |e: serde_json::Error| DbErr::Custom(format!("self-evaluation {}: {e}", m.id));
        Ok(EvaluationRecord {
            id: m.id,
            project_id: m.project_id,
            department_id: m.department_id,
            fiscal_year: m.fiscal_year,
            status: ReportStatus::from_code(&m.status).ok_or_else(|| corrupt("status", &m.status))?,
            version: m.version,
            annual_request: Money::from_fen(m.annual_request_fen),
            approved: Money::from_fen(m.approved_fen),
            budget_executed: m.budget_executed_fen.map(Money::from_fen),
            weights: m.weights.as_deref().map(serde_json::from_str).transpose().map_err(json)?,
            results: serde_json::from_str(&m.results).map_err(json)?,
            total: Points(m.total_score),
            grade: Grade::from_code(&m.grade).ok_or_else(|| corrupt("grade", &m.grade))?,
            submitted_at: m.submitted_at,
            updated_at: m.updated_at,
        })
    }
}

/// What an evaluator answered, against what it is scored: the amount approved in force.
pub(crate) struct Answers<'a> {
    pub approved: Money,
    pub budget_executed: Option<Money>,
    pub weights: Option<&'a StoredWeights>,
    pub results: &'a BTreeMap<i64, IndicatorResult>,
}

impl EvaluationRecord {
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

/// One step of an evaluation's history.
pub type EvaluationReviewRecord = StepRecord<ReportStatus, ReportAction>;

/// What the evaluator enters: the budget executed (`None`: as it is; `Some(None)`: not known),
/// weights (`None`: as they are; `Some(None)`: back to the default ones), and the results of the
/// indicators given (replacing what was there).
#[derive(Clone, Debug, Default)]
pub struct EvaluationChanges {
    pub budget_executed: Option<Option<Money>>,
    pub weights: Option<Option<StoredWeights>>,
    pub results: Vec<(i64, IndicatorResult)>,
}

/// An evaluation scored against the declaration in force: the scores, each indicator's weight,
/// and the rows in force (ids and indicators) they belong to.
#[derive(Clone, Debug)]
pub struct EvaluationScores {
    pub scored: Scored,
    pub in_force: IdentifiedDeclaration,
}

/// A year's evaluations at a glance, over those the actor may see.
#[derive(Clone, Debug, Default)]
pub struct EvaluationSummary {
    pub count: i64,
    pub submitted: i64,
    pub accepted: i64,
    /// Over the submitted and accepted ones, rounded half up to the hundredth.
    pub average: Option<Points>,
    pub by_grade: Vec<(Grade, i64)>,
}
