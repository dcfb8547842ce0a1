//! The findings of each project, stored beside it: rewritten in the same transaction as the
//! declaration, read for filters (`hasWarnings`) and for a department's totals by code.

use jixiao_domain::findings::{LibraryFact, ReviewContext, Sibling, review_in};
use jixiao_domain::{Declaration, Severity};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entity::{project, project_finding};
use crate::error::StoreResult;

/// The context every path reads a declaration's findings in (`ReviewContext`), built here: its
/// siblings are `year`'s projects that `is_sibling` keeps (the reader may see them, and they are
/// not the declaration itself), each with its name and indicator names; `library` is what the
/// indicator library knows for the department (`library::facts_for`).
pub fn review_context<'a, P: 'a>(
    year: impl IntoIterator<Item = &'a P>,
    is_sibling: impl Fn(&P) -> bool,
    names: impl Fn(&'a P) -> (&'a str, &'a [String]),
    library: &'a [LibraryFact],
) -> ReviewContext<'a> {
    let siblings = year
        .into_iter()
        .filter(|p| is_sibling(p))
        .map(|p| {
            let (name, indicator_names) = names(p);
            Sibling { name, indicator_names: indicator_names.iter().map(String::as_str).collect() }
        })
        .collect();
    ReviewContext { siblings, library }
}

/// A saved project's context among `year` (its department's projects of the year the reader
/// may see, from `Projects::indicator_names_by_department_year`) with the library's `facts`.
pub fn context_of_saved<'a>(
    year: &'a [crate::ProjectIndicatorNames],
    project_id: i64,
    facts: &'a [LibraryFact],
) -> ReviewContext<'a> {
    review_context(year, |p| p.id != project_id, |p| (p.name.as_str(), p.indicator_names.as_slice()), facts)
}

/// Replaces the stored findings of a project with those of `declaration`.
pub(crate) async fn store_findings<C: ConnectionTrait>(
    conn: &C,
    project_id: i64,
    declaration: &Declaration,
) -> StoreResult<()> {
    project_finding::Entity::delete_many().filter(project_finding::Column::ProjectId.eq(project_id)).exec(conn).await?;
    insert_findings(conn, project_id, declaration).await
}

/// The findings of a project that has none stored yet (one just created).
pub(crate) async fn insert_findings<C: ConnectionTrait>(
    conn: &C,
    project_id: i64,
    declaration: &Declaration,
) -> StoreResult<()> {
    let rows: Vec<_> = review_in(declaration, &ReviewContext::ALONE)
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

impl crate::Store {
    /// Recomputes the stored findings of every live project (after the rules changed), a page of
    /// projects per transaction. Returns how many projects were refreshed.
    pub async fn refresh_findings(&self, mut progress: impl FnMut(u64)) -> StoreResult<u64> {
        use sea_orm::{QueryOrder, QuerySelect, TransactionTrait};
        let everyone = jixiao_domain::Actor { user_id: 0, role: jixiao_domain::Role::Admin, department_id: None };
        let projects = self.projects(everyone);
        let mut after = 0i64;
        let mut done = 0u64;
        loop {
            let page = project::Entity::find()
                .filter(project::Column::DeletedAt.is_null())
                .filter(project::Column::Id.gt(after))
                .order_by_asc(project::Column::Id)
                .limit(500)
                .all(&self.db)
                .await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            let ids: Vec<i64> = page.iter().map(|p| p.id).collect();
            let mut items = projects.fund_items_of(&ids).await?;
            let mut indicators = projects.indicators_of(&ids).await?;
            let txn = self.db.begin().await?;
            for row in page {
                let record = crate::ProjectRecord::try_from(row)?;
                let declaration = record.declaration(
                    crate::record::values(items.remove(&record.id)),
                    crate::record::values(indicators.remove(&record.id)),
                );
                store_findings(&txn, record.id, &declaration).await?;
                done += 1;
            }
            txn.commit().await?;
            progress(done);
        }
        Ok(done)
    }
}
