use async_graphql::{Context, Object, Result, SimpleObject};
use jixiao_domain::Total;
use jixiao_store::Summary;

use crate::error::ApiError;
use crate::graphql::access::access;
use crate::graphql::types::enums::{IndicatorLevel1, ProjectCategory, ProjectStatus};

use crate::error::ApiResult;
use crate::graphql::access::Access;
use crate::graphql::types::nodes::Department;

/// How many department-wide forms stand in one status.
#[derive(SimpleObject)]
pub struct GoalsStatusCount {
    pub status: ProjectStatus,
    pub label: &'static str,
    pub count: i64,
}

/// What was declared in a fiscal year, as the declaration's first paragraph states it:
/// how many budget units declared, how many projects, and the total funds.
pub struct DeclarationSummary {
    summary: Summary,
    department_id: Option<i64>,
}

impl DeclarationSummary {
    pub async fn load(access: &Access, fiscal_year: i32, department_id: Option<i64>) -> ApiResult<DeclarationSummary> {
        Ok(DeclarationSummary { summary: access.projects().summary(fiscal_year, department_id).await?, department_id })
    }
}

#[Object]
impl DeclarationSummary {
    async fn fiscal_year(&self) -> i32 {
        self.summary.fiscal_year
    }
    /// The department summarised, when one was asked for.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        match self.department_id {
            Some(id) => Ok(Some(Department::of(ctx, id).await?)),
            None => Ok(None),
        }
    }
    /// Budget units that declared at least one project that year (not every unit of the department).
    async fn budget_unit_count(&self) -> i64 {
        self.summary.budget_unit_count
    }
    async fn project_count(&self) -> i64 {
        self.summary.project_count
    }
    /// The sum of the projects' annual requests (年度资金申请总额) in yuan, e.g. "2914171.00";
    /// a phased project counts with this year's share, not its multi-year total.
    async fn total_funds(&self) -> String {
        self.summary.total_funds.to_string()
    }
    /// The same in 万元, rounded half up to two places, e.g. "291.42".
    async fn total_funds_wan_yuan(&self) -> String {
        self.summary.total_funds.wan_yuan()
    }
    /// 批复金额: the sum of the amounts approved in force of the projects ever approved, in yuan.
    async fn approved_funds(&self) -> String {
        self.summary.approved_funds.to_string()
    }
    /// The same in 万元, rounded half up to two places.
    async fn approved_funds_wan_yuan(&self) -> String {
        self.summary.approved_funds.wan_yuan()
    }
    /// 部门整体绩效目标 of the year (of the department, when one was asked for) that you may see,
    /// per status (statuses with none left out).
    async fn department_goals_by_status(&self, ctx: &Context<'_>) -> Result<Vec<GoalsStatusCount>> {
        let rows = access(ctx)?
            .scope
            .department_goals()
            .count_by_status(self.summary.fiscal_year, self.department_id)
            .await
            .map_err(ApiError::from)?;
        Ok(rows.into_iter().map(|(s, count)| GoalsStatusCount { status: s, label: s.label(), count }).collect())
    }
    /// Projects and funds per status (statuses with no project are left out).
    async fn by_status(&self, ctx: &Context<'_>) -> Result<Vec<StatusTotal>> {
        let rows = access(ctx)?
            .projects()
            .summary_by_status(self.summary.fiscal_year, self.department_id)
            .await
            .map_err(ApiError::from)?;
        Ok(rows
            .into_iter()
            .map(|(s, n, m)| StatusTotal { status: s.into(), label: s.label(), totals: Totals::new(n, m) })
            .collect())
    }
    /// Projects and funds per category.
    async fn by_category(&self, ctx: &Context<'_>) -> Result<Vec<CategoryTotal>> {
        let rows = access(ctx)?
            .projects()
            .summary_by_category(self.summary.fiscal_year, self.department_id)
            .await
            .map_err(ApiError::from)?;
        Ok(rows
            .into_iter()
            .map(|(c, n, m)| CategoryTotal { category: c.into(), label: c.label(), totals: Totals::new(n, m) })
            .collect())
    }
    /// How many indicators of each kind (一级指标) the projects declare.
    async fn indicators_by_level1(&self, ctx: &Context<'_>) -> Result<Vec<IndicatorCount>> {
        let rows = access(ctx)?
            .projects()
            .indicator_counts(self.summary.fiscal_year, self.department_id)
            .await
            .map_err(ApiError::from)?;
        Ok(rows
            .into_iter()
            .map(|(l, n)| IndicatorCount { level1: l.into(), label: l.label(), indicator_count: n })
            .collect())
    }
}

#[derive(SimpleObject)]
pub struct Totals {
    pub project_count: i64,
    /// Sum of annual requests, yuan.
    pub total_funds: String,
    pub total_funds_wan_yuan: String,
}

impl Totals {
    fn new(project_count: i64, funds: Total) -> Totals {
        Totals { project_count, total_funds: funds.to_string(), total_funds_wan_yuan: funds.wan_yuan() }
    }
}

#[derive(SimpleObject)]
pub struct StatusTotal {
    pub status: ProjectStatus,
    pub label: &'static str,
    #[graphql(flatten)]
    pub totals: Totals,
}

#[derive(SimpleObject)]
pub struct CategoryTotal {
    pub category: ProjectCategory,
    pub label: &'static str,
    #[graphql(flatten)]
    pub totals: Totals,
}

#[derive(SimpleObject)]
pub struct IndicatorCount {
    pub level1: IndicatorLevel1,
    pub label: &'static str,
    pub indicator_count: i64,
}
