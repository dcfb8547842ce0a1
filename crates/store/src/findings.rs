//! The findings of each project, stored beside it: rewritten in the same transaction as the
//! declaration, read for filters (`hasWarnings`) and for a department's totals by code.

use jixiao_domain::findings::review;
use jixiao_domain::{Declaration, FindingCode, Severity};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entity::{project, project_finding};
use crate::error::StoreResult;
use crate::projects::{ProjectFilter, Projects};

/// Replaces the stored findings of a project with those of `declaration`.
pub(crate) async fn store_findings<C: ConnectionTrait>(
    conn: &C,
    project_id: i64,
    declaration: &Declaration,
) -> StoreResult<()> {
    project_finding::Entity::delete_many().filter(project_finding::Column::ProjectId.eq(project_id)).exec(conn).await?;
    let rows: Vec<_> = review(declaration)
        .into_iter()
        .map(|f| project_finding::ActiveModel {
            id: NotSet,
            project_id: Set(project_id),
            code: Set(f.code.code().to_string()),
            severity: Set(f.severity().code().to_string()),
        })
        .collect();
    if !rows.is_empty() {
        project_finding::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}

/// The condition "the project has a finding of this severity", for project filters.
pub(crate) fn has_finding(severity: Severity) -> sea_orm::sea_query::SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(project_finding::Entity)
            .and_where(
                Expr::col((project_finding::Entity, project_finding::Column::ProjectId))
                    .equals((project::Entity, project::Column::Id)),
            )
            .and_where(Expr::col((project_finding::Entity, project_finding::Column::Severity)).eq(severity.code()))
            .to_owned(),
    )
}

/// How often one rule fired across a set of projects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FindingTotal {
    pub code: FindingCode,
    pub findings: i64,
    pub projects: i64,
}

impl Projects<'_> {
    /// Findings by code over the visible projects of a year (and department), in SQL.
    pub async fn finding_totals(&self, fiscal_year: i32, department_id: Option<i64>) -> StoreResult<Vec<FindingTotal>> {
        let filter = ProjectFilter { fiscal_year: Some(fiscal_year), department_id, ..Default::default() };
        let projects = Query::select()
            .column(project::Column::Id)
            .from(project::Entity)
            .cond_where(self.filtered(&filter))
            .to_owned();
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
