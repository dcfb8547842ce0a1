//! 主管部门 (Department) and 预算单位 (BudgetUnit): front ends walk both ways, from a
//! department to its units and projects and from a project back to both.

use async_graphql::{Context, ID, Object, Result};
use jixiao_domain::organization::MAX_UNITS_PER_DEPARTMENT;

use crate::error::ApiError;
use crate::graphql::access::access;
use crate::graphql::declaration::project_list::{
    ProjectConnection, ProjectFilterInput, ProjectListArgs, ProjectOrderInput, project_connection,
};
use crate::graphql::declaration::summary::DeclarationSummary;
use crate::graphql::organization::loaders::{DepartmentKey, UnitsOfDepartment};
use crate::graphql::publication::{ApprovalIssue, Publication};
use crate::graphql::types::connection::{PageRequest, page_cost};
use crate::graphql::types::nodes::{BudgetUnit, Department};
use crate::ids::{Kind, encode};

/// 主管部门: a department that owns budget units and declares projects.
#[Object]
impl Department {
    pub async fn id(&self) -> ID {
        encode(Kind::Department, self.0.id)
    }

    /// Our code for the department (the form has none), e.g. `SJQ-XFB`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// 预算单位: the department's budget units, in the order they were created.
    #[graphql(complexity = "crate::graphql::cost::list_cost(MAX_UNITS_PER_DEPARTMENT, child_complexity)")]
    async fn budget_units(&self, ctx: &Context<'_>) -> Result<Vec<BudgetUnit>> {
        let units = access(ctx)?.loader().load_one(UnitsOfDepartment(self.0.id)).await?;
        Ok(units.unwrap_or_default().into_iter().map(BudgetUnit).collect())
    }

    /// The department's projects that you may see.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProjectFilterInput>,
        order_by: Option<ProjectOrderInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<ProjectConnection> {
        let mut filter = filter.unwrap_or_default().into_store()?;
        filter.department_id = Some(self.0.id);
        Ok(project_connection(
            ctx,
            ProjectListArgs { filter, order_by, page: PageRequest::new(first, after, last, before)? },
        )
        .await?)
    }

    /// What the department declared in `fiscalYear` (the projects you may see).
    async fn summary(&self, ctx: &Context<'_>, fiscal_year: i32) -> Result<DeclarationSummary> {
        Ok(DeclarationSummary::load(access(ctx)?, fiscal_year, Some(self.0.id)).await?)
    }

    /// 批复下达: the acts that issued the department's projects of `fiscalYear`, oldest first
    /// (the bureau and the department's own users; empty for others).
    async fn approval_issues(&self, ctx: &Context<'_>, fiscal_year: i32) -> Result<Vec<ApprovalIssue>> {
        let acts = access(ctx)?.scope.publication().acts_of(self.0.id, fiscal_year).await.map_err(ApiError::from)?;
        Ok(acts.into_iter().map(ApprovalIssue).collect())
    }

    /// 部门整体绩效目标: the department's goals of `fiscalYear`, when it has declared them and you
    /// may see them (a draft is the department's own).
    async fn overall_goals(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
    ) -> Result<Option<crate::graphql::department_goals::types::DepartmentGoals>> {
        let goals = access(ctx)?.scope.department_goals().of_department(self.0.id, fiscal_year).await;
        Ok(goals.map_err(ApiError::from)?.map(crate::graphql::department_goals::types::DepartmentGoals::new))
    }

    /// 绩效公开: where the department's year stands once something was issued (null before, and
    /// for users of other departments).
    async fn publication(&self, ctx: &Context<'_>, fiscal_year: i32) -> Result<Option<Publication>> {
        let status =
            access(ctx)?.scope.publication().status_of(self.0.id, fiscal_year).await.map_err(ApiError::from)?;
        Ok(status.map(Publication))
    }
}

/// 预算单位 / 实施单位: the unit that carries a project out.
#[Object]
impl BudgetUnit {
    pub async fn id(&self) -> ID {
        encode(Kind::BudgetUnit, self.0.id)
    }

    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn department(&self, ctx: &Context<'_>) -> Result<Department> {
        Department::of(ctx, self.0.department_id).await
    }

    /// The projects this unit carries out that you may see.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProjectFilterInput>,
        order_by: Option<ProjectOrderInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<ProjectConnection> {
        let mut filter = filter.unwrap_or_default().into_store()?;
        filter.implementing_unit_id = Some(self.0.id);
        Ok(project_connection(
            ctx,
            ProjectListArgs { filter, order_by, page: PageRequest::new(first, after, last, before)? },
        )
        .await?)
    }
}

impl Department {
    /// The department with this row id, through the request's loader. Rows reference
    /// departments by foreign key, so a missing one is an internal fault, not the client's.
    pub async fn of(ctx: &Context<'_>, id: i64) -> Result<Department> {
        let found = access(ctx)?.loader().load_one(DepartmentKey(id)).await?;
        Ok(Department(found.ok_or_else(|| crate::error::ApiError::internal(&format!("department {id} is missing")))?))
    }
}
