//! 部门整体绩效目标 as an object: the form as entered, the figures the bureau computes from the
//! department's projects of the year, its findings and its history.

use async_graphql::{Context, ID, Object, Result};
use jixiao_domain::department_goals::{DepartmentGoals as Goals, GoalTask as Task, YearProject};
use jixiao_domain::{Money, Status, Total};
use jixiao_store::department_goals::YearProjectRow;

use super::loaders::{GoalEvaluationOf, GoalReportsOf, GoalStepsOf};
pub use super::objects::{DepartmentGoals, GoalIndicator};
use super::objects::{DepartmentGoalsEvaluation, DepartmentGoalsReport, FormOf, indicators_of};
use super::steps::DepartmentGoalsReview;
use crate::error::ApiError;
use crate::graphql::access::access;
use crate::graphql::declaration::findings::{Finding, FindingCounts};
use crate::graphql::declaration::loaders::ProjectKey;
use crate::graphql::declaration::parts::Target;
use crate::graphql::declaration::project::Project;
use crate::graphql::scalars::DateTime;
use crate::graphql::types::enums::{IndicatorFramework, IndicatorLevel1, IndicatorLevel2};
use crate::graphql::types::nodes::Department;
use crate::ids::{Kind, encode};

impl DepartmentGoals {
    async fn projects(&self, ctx: &Context<'_>) -> Result<Vec<YearProject<'_>>> {
        let rows = self
            .projects
            .get_or_try_init(|| async {
                access(ctx)?.scope.department_goals().year_projects(&self.record).await.map_err(ApiError::from)
            })
            .await?;
        Ok(rows.iter().map(YearProjectRow::view).collect())
    }

    fn goals(&self) -> &Goals {
        &self.record.goals
    }
}

fn yuan(total: Total) -> String {
    total.to_string()
}

#[Object]
impl DepartmentGoals {
    pub async fn id(&self) -> ID {
        encode(Kind::DepartmentGoals, self.record.id)
    }
    async fn department(&self, ctx: &Context<'_>) -> Result<Department> {
        Department::of(ctx, self.record.department_id).await
    }
    async fn fiscal_year(&self) -> i32 {
        self.record.fiscal_year
    }
    async fn status(&self) -> Status {
        self.record.status
    }
    /// The status's label, e.g. 已审核通过.
    async fn status_label(&self) -> &'static str {
        self.record.status.label()
    }
    /// Checked on every write (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.record.version
    }
    /// 部门职能.
    async fn functions(&self) -> &str {
        &self.goals().functions
    }
    /// 年度总体目标.
    async fn overall_goal(&self) -> &str {
        &self.goals().overall_goal
    }
    /// 年度主要任务, in the form's order (`measures` on an indicator counts from 0 in it).
    async fn tasks(&self) -> Vec<GoalTask<'_>> {
        tasks_of(self.goals())
    }
    /// 基本支出—人员经费, yuan.
    async fn personnel_expenditure(&self) -> String {
        self.goals().personnel_expenditure.to_string()
    }
    /// 基本支出—公用经费, yuan.
    async fn public_expenditure(&self) -> String {
        self.goals().public_expenditure.to_string()
    }
    /// 基本支出: 人员经费 + 公用经费, yuan.
    async fn basic_expenditure(&self) -> String {
        yuan(self.goals().basic_expenditure())
    }
    /// 项目支出 as entered by hand, or null when the form takes the linked projects' sum.
    async fn project_expenditure_entered(&self) -> Option<String> {
        self.goals().project_expenditure.map(|m| m.to_string())
    }
    /// 项目支出 as the bureau computes it: the linked projects' approved amounts once approved,
    /// else their requests, each project once.
    async fn linked_project_expenditure(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(yuan(self.goals().linked_project_expenditure(&self.projects(ctx).await?)))
    }
    /// 项目支出 as the form states it: as entered, else as computed.
    async fn project_expenditure(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(yuan(self.goals().project_expenditure(&self.projects(ctx).await?)))
    }
    /// 支出合计: 基本支出 + 项目支出, yuan.
    async fn total_expenditure(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(yuan(self.goals().total_expenditure(&self.projects(ctx).await?)))
    }
    /// 支出合计 in 万元, rounded half up to two places.
    async fn total_expenditure_wan_yuan(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.goals().total_expenditure(&self.projects(ctx).await?).wan_yuan())
    }
    /// 收入—财政拨款, yuan.
    async fn income_fiscal(&self) -> String {
        self.goals().income_fiscal.to_string()
    }
    /// 收入—其他, yuan.
    async fn income_other(&self) -> String {
        self.goals().income_other.to_string()
    }
    /// 收入合计, yuan.
    async fn total_income(&self) -> String {
        yuan(self.goals().total_income())
    }
    /// 指标体系 the form says it follows; null: its indicators say.
    async fn indicator_framework(&self) -> Option<IndicatorFramework> {
        self.goals().indicator_framework
    }
    /// 部门整体绩效指标, in the form's order.
    async fn indicators(&self) -> Vec<GoalIndicator> {
        indicators_of(self.goals(), &self.record.indicator_ids)
    }
    /// The reviewer's assistant: every finding of the form among the department's projects of
    /// the year (docs/review-rules.md), computed when read.
    async fn findings(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        let findings = jixiao_domain::findings::review_department_goals(self.goals(), &self.projects(ctx).await?);
        Ok(findings.into_iter().map(Finding::from).collect())
    }
    async fn finding_counts(&self, ctx: &Context<'_>) -> Result<FindingCounts> {
        let findings = jixiao_domain::findings::review_department_goals(self.goals(), &self.projects(ctx).await?);
        Ok(jixiao_domain::findings::counts(&findings).into())
    }
    /// The form's history, oldest first (its newest 200 steps).
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_store::record::REVIEWS_SHOWN as usize, child_complexity)"
    )]
    async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<DepartmentGoalsReview>> {
        let steps = access(ctx)?.loader().load_one(GoalStepsOf(self.record.id)).await?;
        Ok(steps.unwrap_or_default().into_iter().map(DepartmentGoalsReview).collect())
    }
    /// The goals in force (the last approval), while approved or being adjusted; null before
    /// the first approval.
    async fn in_force(&self) -> Option<GoalsInForce<'_>> {
        self.record.in_force.as_ref().map(|goals| GoalsInForce { goals, ids: &self.record.in_force_ids })
    }
    /// 部门整体绩效监控: its report in each monitoring round of the year (once approved), oldest
    /// round first, those you may see.
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_domain::monitoring::MAX_ROUNDS_PER_YEAR as usize, child_complexity)"
    )]
    async fn reports(&self, ctx: &Context<'_>) -> Result<Vec<DepartmentGoalsReport>> {
        let reports = access(ctx)?.loader().load_one(GoalReportsOf(self.record.id)).await?.unwrap_or_default();
        Ok(reports.into_iter().map(|r| DepartmentGoalsReport::new(r, FormOf::known(self.record.clone()))).collect())
    }
    /// 部门整体绩效自评: its year-end self-evaluation, once started (when you may see it).
    async fn self_evaluation(&self, ctx: &Context<'_>) -> Result<Option<DepartmentGoalsEvaluation>> {
        let found = access(ctx)?.loader().load_one(GoalEvaluationOf(self.record.id)).await?;
        Ok(found.map(|e| DepartmentGoalsEvaluation::new(e, FormOf::known(self.record.clone()))))
    }
    async fn submitted_at(&self) -> Option<DateTime> {
        self.record.submitted_at.map(DateTime)
    }
    async fn approved_at(&self) -> Option<DateTime> {
        self.record.approved_at.map(DateTime)
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.record.created_at)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.record.updated_at)
    }
}

/// The form's tasks, each with its position.
fn tasks_of(goals: &Goals) -> Vec<GoalTask<'_>> {
    goals.tasks.iter().enumerate().map(|(position, task)| GoalTask { position, task }).collect()
}

/// 年度主要任务.
pub struct GoalTask<'a> {
    position: usize,
    task: &'a Task,
}

#[Object]
impl GoalTask<'_> {
    /// Its place in the form, from 0 (what an indicator's `measures` names).
    async fn position(&self) -> i32 {
        self.position as i32
    }
    async fn name(&self) -> &str {
        &self.task.name
    }
    async fn description(&self) -> &str {
        &self.task.description
    }
    /// The ids of the projects that carry it, as entered.
    async fn project_ids(&self) -> Vec<ID> {
        self.task.project_ids.iter().map(|id| encode(Kind::Project, *id)).collect()
    }
    /// Those projects that you may see.
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_domain::department_goals::MAX_TASK_PROJECTS, child_complexity)"
    )]
    async fn projects(&self, ctx: &Context<'_>) -> Result<Vec<Project>> {
        let keys = self.task.project_ids.iter().map(|id| ProjectKey(*id));
        let found = access(ctx)?.loader().load_many(keys).await?;
        Ok(self.task.project_ids.iter().filter_map(|id| found.get(&ProjectKey(*id)).cloned().map(Project)).collect())
    }
    /// 基本支出 that carries it, yuan, if any.
    async fn basic_expenditure(&self) -> Option<String> {
        self.task.basic_expenditure.map(|m: Money| m.to_string())
    }
}

/// 部门整体绩效指标: a row of the department-wide indicators.
#[Object]
impl GoalIndicator {
    /// The row's id within its form (kept across edits, never reused).
    async fn row_id(&self) -> i64 {
        self.row_id
    }
    async fn level1(&self) -> IndicatorLevel1 {
        self.indicator.level1
    }
    async fn level1_label(&self) -> &'static str {
        self.indicator.level1.label()
    }
    async fn level2(&self) -> IndicatorLevel2 {
        self.indicator.level2
    }
    async fn level2_label(&self) -> &'static str {
        self.indicator.level2.label()
    }
    /// 三级指标.
    async fn name(&self) -> &str {
        &self.indicator.name
    }
    async fn target(&self) -> Target<'_> {
        Target(&self.indicator.target)
    }
    async fn note(&self) -> Option<&str> {
        self.indicator.note.as_deref()
    }
    /// The tasks it measures, by position from 0; empty: the department as a whole.
    async fn measures(&self) -> Vec<i32> {
        self.measures.iter().map(|&m| m as i32).collect()
    }
}

/// The department-wide goals as last approved: what monitoring and the self-evaluation read
/// while an adjustment is edited.
pub struct GoalsInForce<'a> {
    goals: &'a Goals,
    ids: &'a [i64],
}

#[Object]
impl GoalsInForce<'_> {
    async fn overall_goal(&self) -> &str {
        &self.goals.overall_goal
    }
    async fn tasks(&self) -> Vec<GoalTask<'_>> {
        tasks_of(self.goals)
    }
    async fn indicators(&self) -> Vec<GoalIndicator> {
        indicators_of(self.goals, self.ids)
    }
}
