//! A page of projects (or one project) read together with the parts a screen asks for, in one
//! statement. Each part is a correlated subquery that aggregates the part's rows as JSON text
//! beside the project's row; the rows are the tables' own (`row_to_json`), decoded into the
//! same models and records as when each part is read by its own statement, so what a screen
//! shows does not depend on the way it was read.
//!
//! PostgreSQL only: on SQLite (the embedded default) the projects come back without their parts
//! and the caller reads each part by its own statement, as before.

use jixiao_domain::{FundItem, Indicator};
use sea_orm::sea_query::Expr;
use sea_orm::{DatabaseBackend, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, QueryTrait, Select};

use crate::PageOf;
use crate::entity::{fund_item, indicator, project, review};
use crate::error::{StoreError, StoreResult};
use crate::projects::Projects;
use crate::record::{ProjectRecord, ReviewRecord, Row, fund_item_from, indicator_from};
use crate::{BudgetUnit, Department, User};

/// Which parts to read with the projects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Parts {
    pub department: bool,
    pub unit: bool,
    pub fund_items: bool,
    pub indicators: bool,
    pub reviews: bool,
    /// The users who made the reviews (only with `reviews`).
    pub review_actors: bool,
}

/// A project and the parts that were asked for and could be read with it; a part that was not
/// read is `None` (not asked for, or the database reads parts one statement each).
#[derive(Debug)]
pub struct ProjectWithParts {
    pub record: ProjectRecord,
    pub department: Option<Department>,
    pub unit: Option<BudgetUnit>,
    pub fund_items: Option<Vec<Row<FundItem>>>,
    pub indicators: Option<Vec<Row<Indicator>>>,
    pub reviews: Option<Vec<ReviewRecord>>,
    pub review_actors: Option<Vec<User>>,
}

/// A project read without its parts.
impl From<ProjectRecord> for ProjectWithParts {
    fn from(record: ProjectRecord) -> ProjectWithParts {
        ProjectWithParts {
            record,
            department: None,
            unit: None,
            fund_items: None,
            indicators: None,
            reviews: None,
            review_actors: None,
        }
    }
}

/// Each part's subquery, correlated with the outer `projects` row, and its column's name. Parts
/// are read only for a project the outer statement found visible, and the users among them are
/// only the reviewers of that project, whom every actor who may see the project may see
/// (`UserVisibility::SelfAndActorsOnVisibleProjects`).
const DEPARTMENT: (&str, &str) =
    ("part_department", r#"(SELECT row_to_json(d)::text FROM departments d WHERE d.id = "projects"."department_id")"#);
const UNIT: (&str, &str) = (
    "part_unit",
    r#"(SELECT row_to_json(u)::text FROM budget_units u WHERE u.id = "projects"."implementing_unit_id")"#,
);
/// The rows of the two parts a list page carries most of (fund items, indicators) are JSON arrays
/// of their columns **in the order of the model's fields**, which serde reads into the model as
/// it reads an object: without the column names, the indicators' JSON of a 20-project page is
/// 12.6 KB instead of 26.5 KB to build, send, check and read (BENCHMARKS.md, step 11).
/// `parts_together.rs` compares every field read this way with the same field read by its own
/// statement.
const FUND_ITEMS: (&str, &str) = (
    "part_fund_items",
    r#"(SELECT json_agg(json_build_array(f.id, f.project_id, f.position, f.name, f.amount_fen) ORDER BY f.position)::text
        FROM fund_items f WHERE f.project_id = "projects"."id")"#,
);
const INDICATORS: (&str, &str) = (
    "part_indicators",
    r#"(SELECT json_agg(json_build_array(i.id, i.project_id, i.position, i.level1, i.level2, i.name, i.target_text, i.note, i.library_entry_id)
        ORDER BY i.position)::text FROM indicators i WHERE i.project_id = "projects"."id")"#,
);
/// The newest [`crate::record::REVIEWS_SHOWN`] steps, oldest first, as `reviews_of` reads them.
const REVIEWS: (&str, &str) = (
    "part_reviews",
    r#"(SELECT json_agg(r ORDER BY r.id)::text FROM (SELECT * FROM reviews n WHERE n.project_id = "projects"."id"
        ORDER BY n.id DESC LIMIT 200) r)"#,
);
const REVIEW_ACTORS: (&str, &str) = (
    "part_review_actors",
    r#"(SELECT json_agg(u)::text FROM users u WHERE u.id IN (SELECT n.actor_id FROM (SELECT actor_id FROM reviews n
        WHERE n.project_id = "projects"."id" ORDER BY n.id DESC LIMIT 200) n))"#,
);

impl Parts {
    fn columns(self) -> impl Iterator<Item = (&'static str, &'static str)> {
        [
            (self.department, DEPARTMENT),
            (self.unit, UNIT),
            (self.fund_items, FUND_ITEMS),
            (self.indicators, INDICATORS),
            (self.reviews, REVIEWS),
            (self.reviews && self.review_actors, REVIEW_ACTORS),
        ]
        .into_iter()
        .filter_map(|(wanted, column)| wanted.then_some(column))
    }
}

impl Projects<'_> {
    /// [`Projects::list`] with `parts`.
    pub async fn list_with(&self, page: &PageOf<'_>, parts: Parts) -> StoreResult<Vec<ProjectWithParts>> {
        if !self.reads_parts_together(parts) {
            let records = self.list(page).await?;
            return Ok(records.into_iter().map(ProjectWithParts::from).collect());
        }
        self.read_with(self.page_select(page), parts).await
    }

    /// [`Projects::get`] with `parts`.
    pub async fn get_with(&self, id: i64, parts: Parts) -> StoreResult<ProjectWithParts> {
        if !self.reads_parts_together(parts) {
            return Ok(ProjectWithParts::from(self.get(id).await?));
        }
        let select = project::Entity::find_by_id(id).filter(self.visible());
        self.read_with(select, parts).await?.pop().ok_or(StoreError::NotFound)
    }

    fn reads_parts_together(&self, parts: Parts) -> bool {
        self.parts_together
            && parts != Parts::default()
            && sea_orm::ConnectionTrait::get_database_backend(self.db()) == DatabaseBackend::Postgres
    }

    async fn read_with(&self, mut select: Select<project::Entity>, parts: Parts) -> StoreResult<Vec<ProjectWithParts>> {
        for (name, subquery) in parts.columns() {
            select = select.column_as(Expr::cust(subquery), name);
        }
        let statement = select.into_query();
        let rows = sea_orm::ConnectionTrait::query_all(self.db(), &statement).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let record = ProjectRecord::try_from(project::Model::from_query_result(&row, "")?)?;
            let asked = |column: (&str, &str)| parts.columns().any(|(name, _)| name == column.0);
            let one = |column: (&str, &str)| -> Result<Option<String>, DbErr> {
                if asked(column) { row.try_get::<Option<String>>("", column.0) } else { Ok(None) }
            };
            // A project without rows of a part has NULL there (json_agg of nothing): an empty list.
            let many = |column: (&str, &str)| -> Result<Option<String>, DbErr> {
                if !asked(column) {
                    return Ok(None);
                }
                Ok(Some(row.try_get::<Option<String>>("", column.0)?.unwrap_or_else(|| "[]".to_string())))
            };
            out.push(ProjectWithParts {
                record,
                department: one(DEPARTMENT)?.map(|t| decode::<Department>(&t)).transpose()?,
                unit: one(UNIT)?.map(|t| decode::<BudgetUnit>(&t)).transpose()?,
                fund_items: many(FUND_ITEMS)?
                    .map(|t| {
                        Ok::<_, DbErr>(decode::<Vec<fund_item::Model>>(&t)?.into_iter().map(fund_item_from).collect())
                    })
                    .transpose()?,
                indicators: many(INDICATORS)?
                    .map(|t| decode::<Vec<indicator::Model>>(&t)?.into_iter().map(indicator_from).collect())
                    .transpose()?,
                reviews: many(REVIEWS)?
                    .map(|t| decode::<Vec<review::Model>>(&t)?.into_iter().map(ReviewRecord::try_from).collect())
                    .transpose()?,
                review_actors: many(REVIEW_ACTORS)?.map(|t| decode::<Vec<User>>(&t)).transpose()?,
            });
        }
        Ok(out)
    }
}

/// Only where decoding failed is kept in the error, not serde's text: that can quote the value,
/// and the users' rows hold password hashes.
fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, DbErr> {
    serde_json::from_str(json).map_err(|e| {
        DbErr::Type(format!("a part read as JSON does not decode ({:?} at column {})", e.classify(), e.column()))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_reviews_part_reads_as_many_steps_as_reviews_of() {
        let limit = format!("LIMIT {}", crate::record::REVIEWS_SHOWN);
        assert!(super::REVIEWS.1.contains(&limit) && super::REVIEW_ACTORS.1.contains(&limit));
    }
}
