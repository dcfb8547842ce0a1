//! 部门整体绩效自评 on the API: a department's overall goals scored at year end against the
//! indicators in force and the form's 支出合计 in force, by the rules a project's self-evaluation
//! is scored by, shown as one is.

use async_graphql::{Context, ID, MergedObject, Object, Result};
use jixiao_domain::monitoring::execution_rate;
use jixiao_store::department_goals::{DepartmentGoalsStore, GoalsEvaluationScores};

use super::loaders::GoalEvaluationStepsOf;
use super::monitored::GoalIndicatorInForce;
use super::objects::DepartmentGoals;
pub use super::objects::DepartmentGoalsEvaluation;
use crate::graphql::access::access;
use crate::graphql::evaluation::types::{EvaluationReview, Level1Score, ScoredResult};
use crate::graphql::scalars::DateTime;
use crate::graphql::types::enums::{Grade, MonitoringReportStatus};
use crate::ids::{Kind, encode};

impl DepartmentGoalsEvaluation {
    /// Scored once per object, against the form's indicators in force.
    async fn scores(&self, ctx: &Context<'_>) -> Result<&GoalsEvaluationScores> {
        Ok(self
            .scores
            .get_or_try_init(|| async {
                let form = self.form.get(ctx).await?;
                Ok::<_, async_graphql::Error>(DepartmentGoalsStore::evaluation_scores(&self.record, form))
            })
            .await?)
    }
}

/// 部门整体绩效自评表: a department's overall goals of a year, scored against those in force.
#[Object]
impl DepartmentGoalsEvaluation {
    pub async fn id(&self) -> ID {
        encode(Kind::DepartmentGoalsEvaluation, self.record.id)
    }
    /// The form evaluated.
    async fn department_goals(&self, ctx: &Context<'_>) -> Result<DepartmentGoals> {
        Ok(DepartmentGoals::new(self.form.get(ctx).await?.clone()))
    }
    async fn status(&self) -> MonitoringReportStatus {
        self.record.status.into()
    }
    async fn version(&self) -> i32 {
        self.record.version
    }
    /// 支出合计 of the goals in force, in yuan.
    async fn annual_request(&self) -> String {
        self.record.annual_request.to_string()
    }
    /// The same as approved, in yuan: what the execution is scored against.
    async fn approved_amount(&self) -> String {
        self.record.approved.to_string()
    }
    /// 全年预算执行数, in yuan.
    async fn budget_executed(&self) -> Option<String> {
        self.record.budget_executed.map(|m| m.to_string())
    }
    /// 预算执行率 (budgetExecuted / approvedAmount) in % with two places.
    async fn execution_rate(&self) -> Option<String> {
        self.record.budget_executed.and_then(|e| execution_rate(e, self.record.approved)).map(|p| p.to_string())
    }
    /// The execution rate's weight.
    async fn execution_weight(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.scores(ctx).await?.scored.execution_weight.to_string())
    }
    /// 预算执行得分.
    async fn execution_score(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.scores(ctx).await?.scored.execution_score.to_string())
    }
    /// Every department-wide indicator in force, with its weight, what was stated and its score.
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_domain::indicator::MAX_INDICATORS, child_complexity)"
    )]
    async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<GoalIndicatorEvaluation>> {
        let s = self.scores(ctx).await?;
        let rows = self.form.rows_in_force(ctx).await?;
        Ok(rows
            .into_iter()
            .zip(&s.scored.indicators)
            .map(|(row, scored)| {
                let result = ScoredResult::of(row.row_id_and_target().0, &self.record.results, scored);
                GoalIndicatorEvaluation(GoalIndicatorInForce(row), result)
            })
            .collect())
    }
    /// The points of each level 1 and what it scored.
    async fn level1_scores(&self, ctx: &Context<'_>) -> Result<Vec<Level1Score>> {
        let s = self.scores(ctx).await?;
        let indicators: Vec<jixiao_domain::Indicator> = s.rows.iter().map(|(_, i)| i.clone()).collect();
        Ok(s.scored.by_level1(&indicators).into_iter().map(Level1Score::from).collect())
    }
    /// 总分: the sum of the rounded scores.
    async fn total_score(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.scores(ctx).await?.scored.total.to_string())
    }
    async fn grade(&self, ctx: &Context<'_>) -> Result<Grade> {
        Ok(self.scores(ctx).await?.scored.grade.into())
    }
    /// 优, 良, 中 or 差.
    async fn grade_label(&self, ctx: &Context<'_>) -> Result<&'static str> {
        Ok(self.scores(ctx).await?.scored.grade.label())
    }
    async fn submitted_at(&self) -> Option<DateTime> {
        self.record.submitted_at.map(DateTime)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.record.updated_at)
    }
    /// Every step, oldest first (the newest 200 of a longer history).
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_store::record::REVIEWS_SHOWN as usize, child_complexity)"
    )]
    async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<EvaluationReview>> {
        let steps = access(ctx)?.loader().load_one(GoalEvaluationStepsOf(self.record.id)).await?;
        Ok(steps.unwrap_or_default().into_iter().map(EvaluationReview).collect())
    }
}

/// One department-wide indicator in force, scored.
#[derive(MergedObject)]
pub struct GoalIndicatorEvaluation(GoalIndicatorInForce, ScoredResult);
