//! Aggregates over the projects an actor may see, computed in SQL (nothing is loaded row by
//! row): the declaration summary and its breakdowns, and the findings summed by rule.

use jixiao_domain::{Category, FindingCode, Level1, Status, Total};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{indicator, project, project_finding};
use crate::error::StoreResult;
use crate::projects::{ProjectFilter, Projects};

/// What a department declared in a fiscal year, as the seed's first paragraph states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub fiscal_year: i32,
    /// Budget units that declared at least one project that year.
    pub budget_unit_count: i64,
    pub project_count: i64,
    /// The sum of the projects' annual requests (年度资金申请总额).
    pub total_funds: Total,
    /// The sum of the amounts approved in force (批复金额) of the projects ever approved.
    pub approved_funds: Total,
}

/// How often one rule fired across a set of projects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FindingTotal {
    pub code: FindingCode,
    pub findings: i64,
    pub projects: i64,
}

/// The annual requests are summed in two parts that cannot overflow a BIGINT on any backend
/// (SQLite's SUM raises an error on overflow; a cast of PostgreSQL's NUMERIC sum would too):
/// the whole billions of fen and the rest, put together in Rust as a [`Total`].
const SUM_HIGH: &str = "CAST(COALESCE(SUM(annual_request_fen / 1000000000), 0) AS BIGINT)";
const SUM_LOW: &str = "CAST(COALESCE(SUM(annual_request_fen % 1000000000), 0) AS BIGINT)";
const APPROVED_HIGH: &str = "CAST(COALESCE(SUM(approved_fen / 1000000000), 0) AS BIGINT)";
const APPROVED_LOW: &str = "CAST(COALESCE(SUM(approved_fen % 1000000000), 0) AS BIGINT)";

/// The visible projects of a fiscal year (and department), the set every aggregate is over.
fn year_filter(fiscal_year: i32, department_id: Option<i64>) -> ProjectFilter {
    ProjectFilter { fiscal_year: Some(fiscal_year), department_id, ..Default::default() }
}

fn total(high: i64, low: i64) -> Total {
    Total::from_fen(i128::from(high) * 1_000_000_000 + i128::from(low))
}

impl Projects<'_> {
    /// Computed in SQL over the visible projects; nothing is loaded row by row. The projects are
    /// first summed per unit, in the order of the index `projects_year_unit_summary` (migration
    /// 12), which holds every column the query reads: PostgreSQL answers from the index alone,
    /// grouping as it reads, without sorting 100,000 unit ids for a `COUNT(DISTINCT …)`.
    /// On PostgreSQL the totals kept by the database are read instead (`totals.rs`).
    pub async fn summary(&self, fiscal_year: i32, department_id: Option<i64>) -> StoreResult<Summary> {
        use sea_orm::sea_query::{Alias, Query};
        use sea_orm::{ConnectionTrait, QueryTrait};
        if self.db().get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            return self.summary_from_totals(fiscal_year, department_id).await;
        }
        let filter = year_filter(fiscal_year, department_id);
        let per_unit = project::Entity::find()
            .select_only()
            .column(project::Column::ImplementingUnitId)
            .column_as(Expr::cust("COUNT(*)"), "projects")
            .column_as(Expr::cust(SUM_HIGH), "high")
            .column_as(Expr::cust(SUM_LOW), "low")
            .column_as(Expr::cust(APPROVED_HIGH), "approved_high")
            .column_as(Expr::cust(APPROVED_LOW), "approved_low")
            .filter(self.filtered(&filter))
            .group_by(project::Column::ImplementingUnitId)
            .into_query();
        let whole = Query::select()
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("units"))
            .expr_as(Expr::cust("CAST(COALESCE(SUM(projects), 0) AS BIGINT)"), Alias::new("projects"))
            .expr_as(Expr::cust("CAST(COALESCE(SUM(high), 0) AS BIGINT)"), Alias::new("high"))
            .expr_as(Expr::cust("CAST(COALESCE(SUM(low), 0) AS BIGINT)"), Alias::new("low"))
            .expr_as(Expr::cust("CAST(COALESCE(SUM(approved_high), 0) AS BIGINT)"), Alias::new("approved_high"))
            .expr_as(Expr::cust("CAST(COALESCE(SUM(approved_low), 0) AS BIGINT)"), Alias::new("approved_low"))
            .from_subquery(per_unit, Alias::new("per_unit"))
            .to_owned();
        let db = self.db();
        let row = db.query_one(&whole).await?;
        let Some(r) = row else {
            return Ok(Summary {
                fiscal_year,
                budget_unit_count: 0,
                project_count: 0,
                total_funds: Total::ZERO,
                approved_funds: Total::ZERO,
            });
        };
        let part = |name: &str| r.try_get::<i64>("", name);
        Ok(Summary {
            fiscal_year,
            budget_unit_count: part("units")?,
            project_count: part("projects")?,
            total_funds: total(part("high")?, part("low")?),
            approved_funds: total(part("approved_high")?, part("approved_low")?),
        })
    }

    /// Projects and their annual requests per value of `column` (status or category), in SQL.
    async fn grouped(
        &self,
        fiscal_year: i32,
        department_id: Option<i64>,
        column: project::Column,
    ) -> StoreResult<Vec<(Option<String>, i64, Total)>> {
        let filter = year_filter(fiscal_year, department_id);
        let rows: Vec<(Option<String>, i64, i64, i64)> = project::Entity::find()
            .select_only()
            .column_as(column, "key")
            .column_as(Expr::cust("COUNT(*)"), "projects")
            .column_as(Expr::cust(SUM_HIGH), "high")
            .column_as(Expr::cust(SUM_LOW), "low")
            .filter(self.filtered(&filter))
            .group_by(column)
            .order_by_asc(column)
            .into_tuple()
            .all(self.db())
            .await?;
        Ok(rows.into_iter().map(|(k, n, high, low)| (k, n, total(high, low))).collect())
    }

    pub async fn summary_by_status(
        &self,
        fiscal_year: i32,
        department_id: Option<i64>,
    ) -> StoreResult<Vec<(Status, i64, Total)>> {
        let rows = self.grouped(fiscal_year, department_id, project::Column::Status).await?;
        Ok(rows.into_iter().filter_map(|(k, n, m)| Some((Status::from_code(&k?)?, n, m))).collect())
    }

    pub async fn summary_by_category(
        &self,
        fiscal_year: i32,
        department_id: Option<i64>,
    ) -> StoreResult<Vec<(Category, i64, Total)>> {
        let rows = self.grouped(fiscal_year, department_id, project::Column::Category).await?;
        // Drafts that have not chosen a category yet are in no row of this breakdown.
        Ok(rows.into_iter().filter_map(|(k, n, m)| Some((Category::from_code(&k?)?, n, m))).collect())
    }

    /// How many indicators of each level 1 the visible projects of the year declare.
    pub async fn indicator_counts(
        &self,
        fiscal_year: i32,
        department_id: Option<i64>,
    ) -> StoreResult<Vec<(Level1, i64)>> {
        let projects = self.ids_matching(&year_filter(fiscal_year, department_id));
        let rows: Vec<(String, i64)> = indicator::Entity::find()
            .select_only()
            .column_as(indicator::Column::Level1, "level1")
            .column_as(Expr::cust("COUNT(*)"), "indicators")
            .filter(indicator::Column::ProjectId.in_subquery(projects))
            .group_by(indicator::Column::Level1)
            .order_by_asc(indicator::Column::Level1)
            .into_tuple()
            .all(self.db())
            .await?;
        Ok(rows.into_iter().filter_map(|(k, n)| Some((Level1::from_code(&k)?, n))).collect())
    }

    /// Findings by code over the visible projects of a year (and department), in SQL.
    pub async fn finding_totals(&self, fiscal_year: i32, department_id: Option<i64>) -> StoreResult<Vec<FindingTotal>> {
        let projects = self.ids_matching(&year_filter(fiscal_year, department_id));
        let rows: Vec<(String, i64, i64)> = project_finding::Entity::find()
            .select_only()
            .column_as(project_finding::Column::Code, "code")
            .column_as(Expr::cust("COUNT(*)"), "findings")
            .column_as(Expr::cust("COUNT(DISTINCT project_id)"), "projects")
            .filter(project_finding::Column::ProjectId.in_subquery(projects))
            .group_by(project_finding::Column::Code)
            .order_by_asc(project_finding::Column::Code)
            .into_tuple()
            .all(self.db())
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(code, findings, projects)| {
                Some(FindingTotal { code: FindingCode::from_code(&code)?, findings, projects })
            })
            .collect())
    }
}
