//! The findings of each project, stored beside it: rewritten in the same transaction as the
//! declaration, read for filters (`hasWarnings`) and for a department's totals by code.

use jixiao_domain::findings::review;
use jixiao_domain::{Declaration, Severity};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entity::{project, project_finding};
use crate::error::StoreResult;

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
