use async_graphql::{Context, Object, Result};
use jixiao_store::Summary;

use super::organization::{Department, department_of};
use crate::graphql::access::Access;
use crate::graphql::error::ApiResult;

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
            Some(id) => Ok(Some(department_of(ctx, id).await?)),
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
}
