//! Monitoring and self-evaluating a department's overall goals: the department fills and
//! submits its report of a round and its year-end self-evaluation, approvers accept or return
//! them (a report's rules, the actions of `MonitoringAction`). Indicators are named by their
//! row id in the form (`GoalIndicator.rowId`).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use jixiao_domain::monitoring::ReportAction;
use jixiao_store::StoreError;
use jixiao_store::department_goals::{GoalsEvaluationRecord, GoalsReportRecord};
use jixiao_store::evaluations::{EvaluationChanges, StoredWeights};
use jixiao_store::monitoring::ReportChanges;

use super::evaluated::DepartmentGoalsEvaluation;
use super::monitored::DepartmentGoalsReport;
use crate::graphql::access::access;
use crate::graphql::declaration::inputs::money_patch;
use crate::graphql::evaluation::types::{ResultInput, points};
use crate::graphql::monitoring::types::ProgressInput;
use crate::graphql::payload::{UserError, outcome};
use crate::ids::{Kind, decode};

/// One department-wide indicator's progress; the fields given replace what was reported.
#[derive(InputObject)]
pub struct GoalIndicatorProgressInput {
    /// The row in force (`GoalIndicator.rowId`).
    pub row_id: i64,
    #[graphql(flatten)]
    pub progress: ProgressInput,
}

/// What the department reports of its goals in a round, at the version it loaded.
#[derive(InputObject)]
pub struct UpdateDepartmentGoalsReportInput {
    pub id: ID,
    pub expected_version: i32,
    /// 预算执行数 to the round's `asOf`, in yuan (at most the 支出合计 in force); `null` clears it.
    pub budget_executed: MaybeUndefined<String>,
    #[graphql(default)]
    pub indicators: Vec<GoalIndicatorProgressInput>,
}

/// A step of a department-wide report or self-evaluation.
#[derive(InputObject)]
pub struct DepartmentGoalsReportStepInput {
    pub id: ID,
    pub action: ReportAction,
    /// The reason (required to return), or a comment.
    pub comment: Option<String>,
}

/// One department-wide indicator's result.
#[derive(InputObject)]
pub struct GoalIndicatorResultInput {
    /// The row in force (`GoalIndicator.rowId`).
    pub row_id: i64,
    #[graphql(flatten)]
    pub result: ResultInput,
}

/// One row's weight, in points with at most two places.
#[derive(InputObject)]
pub struct GoalIndicatorWeightInput {
    pub row_id: i64,
    pub weight: String,
}

/// The evaluator's weights: the execution rate's and every row's, summing to 100.
#[derive(InputObject)]
pub struct GoalEvaluationWeightsInput {
    pub execution: String,
    pub indicators: Vec<GoalIndicatorWeightInput>,
}

#[derive(InputObject)]
pub struct UpdateDepartmentGoalsEvaluationInput {
    pub id: ID,
    pub expected_version: i32,
    /// 全年预算执行数 in yuan; `null` clears it.
    pub budget_executed: MaybeUndefined<String>,
    /// The evaluator's weights; `null` goes back to the default ones.
    pub weights: MaybeUndefined<GoalEvaluationWeightsInput>,
    #[graphql(default)]
    pub indicators: Vec<GoalIndicatorResultInput>,
}

impl GoalEvaluationWeightsInput {
    fn into_store(self) -> Result<StoredWeights> {
        let mut indicators = std::collections::BTreeMap::new();
        for (n, w) in self.indicators.into_iter().enumerate() {
            indicators.insert(w.row_id, points(&format!("weights.indicators[{n}].weight"), &w.weight)?);
        }
        Ok(StoredWeights { execution: points("weights.execution", &self.execution)?, indicators })
    }
}

#[derive(SimpleObject)]
pub struct DepartmentGoalsReportPayload {
    pub report: Option<DepartmentGoalsReport>,
    pub user_errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct DepartmentGoalsEvaluationPayload {
    pub self_evaluation: Option<DepartmentGoalsEvaluation>,
    pub user_errors: Vec<UserError>,
}

fn report_payload(result: Result<GoalsReportRecord, StoreError>) -> Result<DepartmentGoalsReportPayload> {
    let (record, user_errors) = outcome(result)?;
    Ok(DepartmentGoalsReportPayload { report: record.map(DepartmentGoalsReport::alone), user_errors })
}

fn evaluation_payload(result: Result<GoalsEvaluationRecord, StoreError>) -> Result<DepartmentGoalsEvaluationPayload> {
    let (record, user_errors) = outcome(result)?;
    Ok(DepartmentGoalsEvaluationPayload { self_evaluation: record.map(DepartmentGoalsEvaluation::alone), user_errors })
}

#[derive(Default)]
pub struct DepartmentGoalsReportMutation;

#[Object]
impl DepartmentGoalsReportMutation {
    /// The department fills its report on its overall goals (DRAFT or RETURNED), if it is still
    /// at `expectedVersion`. Submitters of the department.
    async fn update_department_goals_report(
        &self,
        ctx: &Context<'_>,
        input: UpdateDepartmentGoalsReportInput,
    ) -> Result<DepartmentGoalsReportPayload> {
        let id = decode(&input.id, Kind::DepartmentGoalsReport)?;
        let budget_executed = money_patch("budgetExecuted", input.budget_executed)?;
        let indicators = input.indicators.into_iter().map(|i| (i.row_id, i.progress.into())).collect();
        let changes = ReportChanges { budget_executed, indicators };
        report_payload(access(ctx)?.scope.department_goals().update_report(id, input.expected_version, changes).await)
    }

    /// SUBMIT (the department, after the checks a project's report has: every missing one at
    /// once, as INCOMPLETE user errors), ACCEPT or RETURN (approvers; RETURN with a reason).
    async fn step_department_goals_report(
        &self,
        ctx: &Context<'_>,
        input: DepartmentGoalsReportStepInput,
    ) -> Result<DepartmentGoalsReportPayload> {
        let id = decode(&input.id, Kind::DepartmentGoalsReport)?;
        let comment = input.comment.unwrap_or_default();
        report_payload(access(ctx)?.scope.department_goals().step_report(id, input.action, &comment).await)
    }

    /// Starts the year-end self-evaluation of APPROVED department-wide goals (one per form),
    /// scored against the indicators in force. Submitters of the department.
    async fn start_department_goals_evaluation(
        &self,
        ctx: &Context<'_>,
        goals_id: ID,
    ) -> Result<DepartmentGoalsEvaluationPayload> {
        let goals_id = decode(&goals_id, Kind::DepartmentGoals)?;
        evaluation_payload(access(ctx)?.scope.department_goals().start_evaluation(goals_id).await)
    }

    /// Fills a DRAFT or RETURNED department-wide self-evaluation at `expectedVersion`, as a
    /// project's is filled (weights summing to 100, actuals in their target's unit).
    async fn update_department_goals_evaluation(
        &self,
        ctx: &Context<'_>,
        input: UpdateDepartmentGoalsEvaluationInput,
    ) -> Result<DepartmentGoalsEvaluationPayload> {
        let id = decode(&input.id, Kind::DepartmentGoalsEvaluation)?;
        let budget_executed = money_patch("budgetExecuted", input.budget_executed)?;
        let weights = match input.weights {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(w) => Some(Some(w.into_store()?)),
        };
        let mut results = Vec::with_capacity(input.indicators.len());
        for (n, r) in input.indicators.into_iter().enumerate() {
            results.push((r.row_id, r.result.into_store(n)?));
        }
        let changes = EvaluationChanges { budget_executed, weights, results };
        evaluation_payload(
            access(ctx)?.scope.department_goals().update_evaluation(id, input.expected_version, changes).await,
        )
    }

    /// SUBMIT (the department, after the checks a project's self-evaluation has), ACCEPT or
    /// RETURN (approvers; RETURN with a reason).
    async fn step_department_goals_evaluation(
        &self,
        ctx: &Context<'_>,
        input: DepartmentGoalsReportStepInput,
    ) -> Result<DepartmentGoalsEvaluationPayload> {
        let id = decode(&input.id, Kind::DepartmentGoalsEvaluation)?;
        let comment = input.comment.unwrap_or_default();
        evaluation_payload(access(ctx)?.scope.department_goals().step_evaluation(id, input.action, &comment).await)
    }
}
