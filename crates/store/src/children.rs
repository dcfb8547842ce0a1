//! Rows that belong to projects (fund items, indicators, reviews), read the one way: the rows
//! under a condition on their project, in their own order, grouped by project.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, sea_query::IntoCondition};

use crate::error::StoreResult;

/// The rows of `E` whose project satisfies `projects`, ordered by `order` (which keeps each
/// project's rows in their order), grouped by `project_of`, each turned into `T`.
pub(crate) async fn rows_by_project<E, C, T>(
    conn: &C,
    projects: impl IntoCondition,
    order: E::Column,
    project_of: fn(&E::Model) -> i64,
    convert: impl Fn(E::Model) -> Result<T, DbErr>,
) -> StoreResult<HashMap<i64, Vec<T>>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let rows = E::find().filter(projects).order_by_asc(order).all(conn).await?;
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(project_of(&row)).or_default().push(convert(row)?);
    }
    Ok(out)
}
