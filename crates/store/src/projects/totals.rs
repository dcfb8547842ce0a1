//! The year's summary from `project_totals` (migrations 13, 19): per (year, department, unit, status, stripe)
//! the number of live projects and the sum of their annual requests, kept current by a trigger
//! on every write to `projects`. A summary reads a few hundred rows instead of every project of
//! the year. PostgreSQL only; on SQLite the projects are counted themselves (`aggregates.rs`).

use jixiao_domain::{ProjectVisibility, Status, Total};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{Condition, ConnectionTrait, DbErr};

use crate::error::StoreResult;
use crate::projects::Projects;
use crate::projects::aggregates::Summary;

impl Projects<'_> {
    /// [`Projects::summary`] from the kept totals. The caller's visibility is applied to the
    /// totals' own department and status columns, as [`Projects::visible`] applies it to the
    /// projects' (only those two columns decide what a caller sees; deleted projects are not
    /// counted in the totals at all).
    pub(crate) async fn summary_from_totals(
        &self,
        fiscal_year: i32,
        department_id: Option<i64>,
    ) -> StoreResult<Summary> {
        let column = |name: &str| Expr::col((Alias::new("project_totals"), Alias::new(name)));
        let mut kept = Condition::all().add(column("fiscal_year").eq(fiscal_year)).add(column("projects").gt(0));
        if let Some(d) = department_id {
            kept = kept.add(column("department_id").eq(d));
        }
        kept = match self.actor().project_visibility() {
            ProjectVisibility::Everything => kept,
            ProjectVisibility::Department(d) => kept.add(column("department_id").eq(d)),
            ProjectVisibility::AllButDrafts => kept.add(column("status").ne(Status::Draft.code())),
            ProjectVisibility::DepartmentButDrafts(d) => {
                kept.add(column("department_id").eq(d)).add(column("status").ne(Status::Draft.code()))
            }
        };
        let query = Query::select()
            .expr_as(Expr::cust("COUNT(DISTINCT implementing_unit_id)"), Alias::new("units"))
            .expr_as(Expr::cust("CAST(COALESCE(SUM(projects), 0) AS BIGINT)"), Alias::new("projects"))
            // NUMERIC: exact, and no sum of BIGINT fen overflows it.
            .expr_as(Expr::cust("CAST(COALESCE(SUM(annual_request_fen), 0) AS TEXT)"), Alias::new("total"))
            .expr_as(Expr::cust("CAST(COALESCE(SUM(approved_fen), 0) AS TEXT)"), Alias::new("approved"))
            .from(Alias::new("project_totals"))
            .cond_where(kept)
            .to_owned();
        let row = self.db().query_one(&query).await?.ok_or_else(|| DbErr::RecordNotFound("project_totals".into()))?;
        let sum = |name: &str| -> Result<Total, DbErr> {
            let text: String = row.try_get("", name)?;
            let fen: i128 =
                text.parse().map_err(|_| DbErr::Type(format!("project_totals sums {name} to {text}, not fen")))?;
            Ok(Total::from_fen(fen))
        };
        Ok(Summary {
            fiscal_year,
            budget_unit_count: row.try_get("", "units")?,
            project_count: row.try_get("", "projects")?,
            total_funds: sum("total")?,
            approved_funds: sum("approved")?,
        })
    }
}
