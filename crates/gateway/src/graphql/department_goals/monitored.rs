//! 部门整体绩效监控表 on the API: a department's report on its overall goals in one round, against
//! the indicators in force and the form's 支出合计 in force, shown as a project's report is.

use async_graphql::{Context, ID, MergedObject, Object, Result};

use super::loaders::GoalReportStepsOf;
pub use super::objects::DepartmentGoalsReport;
use super::objects::{DepartmentGoals, GoalIndicator};
use crate::error::{ApiError, ApiResult};
use crate::graphql::access::access;
use crate::graphql::monitoring::loaders::RoundKey;
use crate::graphql::monitoring::types::{MonitoringReview, MonitoringRound, ReportedProgress};
use crate::graphql::scalars::DateTime;
use crate::graphql::types::enums::{Light, MonitoringReportStatus};
use crate::ids::{Kind, encode};

impl DepartmentGoalsReport {
    async fn round(&self, ctx: &Context<'_>) -> ApiResult<jixiao_store::monitoring::RoundRecord> {
        let round = access(ctx)?.loader().load_one(RoundKey(self.record.round_id)).await?;
        round.ok_or_else(|| ApiError::internal(&format!("round {} is missing", self.record.round_id)))
    }
}

/// 部门整体绩效监控表: a department's overall goals in one monitoring round.
#[Object]
impl DepartmentGoalsReport {
    pub async fn id(&self) -> ID {
        encode(Kind::DepartmentGoalsReport, self.record.id)
    }
    #[graphql(name = "round")]
    async fn monitoring_round(&self, ctx: &Context<'_>) -> Result<MonitoringRound> {
        Ok(MonitoringRound(self.round(ctx).await?))
    }
    /// The form monitored.
    async fn department_goals(&self, ctx: &Context<'_>) -> Result<DepartmentGoals> {
        Ok(DepartmentGoals::new(self.form.get(ctx).await?.clone()))
    }
    async fn status(&self) -> MonitoringReportStatus {
        self.record.status.into()
    }
    /// Increases with every change; send it back as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.record.version
    }
    /// 支出合计 of the goals in force, in yuan.
    async fn annual_request(&self) -> String {
        self.record.annual_request.to_string()
    }
    /// The same as approved, in yuan: what the execution rate divides by.
    async fn approved_amount(&self) -> String {
        self.record.approved.to_string()
    }
    /// 预算执行数 to the round's `asOf`, in yuan; null until entered.
    async fn budget_executed(&self) -> Option<String> {
        self.record.budget_executed.map(|m| m.to_string())
    }
    /// 预算执行率: budgetExecuted / approvedAmount, in % with two places.
    async fn execution_rate(&self) -> Option<String> {
        self.record.execution_rate.map(|p| p.to_string())
    }
    /// 逾期: not submitted by the round's due date.
    async fn overdue(&self, ctx: &Context<'_>) -> Result<bool> {
        let due = self.round(ctx).await?.due_date;
        Ok(self.record.status.is_overdue(due, access(ctx)?.scope.today()))
    }
    /// The budget's light by the round's rule.
    async fn budget_light(&self) -> Option<Light> {
        self.record.budget_light
    }
    /// The worst of the budget's light and the indicators' lights.
    async fn light(&self) -> Option<Light> {
        self.record.light
    }
    /// Every department-wide indicator in force, in the form's order, with what was reported.
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_domain::indicator::MAX_INDICATORS, child_complexity)"
    )]
    async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<GoalIndicatorMonitoring>> {
        let round = self.round(ctx).await?;
        let rows = self.form.rows_in_force(ctx).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let (id, target) = row.row_id_and_target();
                let progress = self.record.indicators.get(&id).cloned().unwrap_or_default();
                let light = round.indicator_light(target, &progress);
                GoalIndicatorMonitoring(GoalIndicatorInForce(row), ReportedProgress { progress, light })
            })
            .collect())
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
    async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<MonitoringReview>> {
        let steps = access(ctx)?.loader().load_one(GoalReportStepsOf(self.record.id)).await?;
        Ok(steps.unwrap_or_default().into_iter().map(MonitoringReview).collect())
    }
}

/// One department-wide indicator in force, and its progress as the department reported it.
#[derive(MergedObject)]
pub struct GoalIndicatorMonitoring(GoalIndicatorInForce, ReportedProgress);

/// A department-wide indicator in force.
pub struct GoalIndicatorInForce(pub GoalIndicator);

#[Object]
impl GoalIndicatorInForce {
    async fn indicator(&self) -> &GoalIndicator {
        &self.0
    }
    /// 年度指标值 in force, as typed.
    async fn target(&self) -> String {
        self.0.row_id_and_target().1.text().to_string()
    }
}
