//! Rows that belong to projects (fund items, indicators, reviews), read the one way: the rows
//! under a condition on their project, in their own order, grouped by project.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, IntoCondition, Order, Query};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, IdenStatic, QueryFilter, QueryOrder, QueryTrait};

use jixiao_domain::{FundItem, Indicator};
use sea_orm::sea_query::SimpleExpr;

use crate::entity::{fund_item, indicator};
use crate::error::StoreResult;
use crate::record::{Row, fund_item_from, indicator_from};

/// Which of each project's rows a read keeps.
pub(crate) enum Keep<E: EntityTrait> {
    /// All of them.
    All,
    /// Only each project's `count` last rows by the read's order (still oldest first): for
    /// histories that grow with every step (reviews, snapshots), so that what one read returns
    /// and holds is bounded however long a project's life. `project` is the column `project_of`
    /// reads. One statement, a window function PostgreSQL and SQLite both have.
    Newest { project: E::Column, count: u64 },
}

/// The rows of `E` whose project satisfies `projects`, ordered by `order` (which keeps each
/// project's rows in their order), those `keep` keeps, grouped by `project_of`, each turned
/// into `T`.
pub(crate) async fn rows_by_project<E, C, T>(
    conn: &C,
    projects: impl IntoCondition,
    order: E::Column,
    keep: Keep<E>,
    project_of: fn(&E::Model) -> i64,
    convert: impl Fn(E::Model) -> Result<T, DbErr>,
) -> StoreResult<HashMap<i64, Vec<T>>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let rows = match keep {
        Keep::All => E::find().filter(projects).order_by_asc(order).all(conn).await?,
        Keep::Newest { project, count } => {
            let rank = Alias::new("newest_rank");
            let mut ranked = E::find().filter(projects).into_query();
            ranked.expr_as(
                Expr::cust(format!(
                    "ROW_NUMBER() OVER (PARTITION BY \"{}\" ORDER BY \"{}\" DESC)",
                    project.as_str(),
                    order.as_str()
                )),
                rank.clone(),
            );
            let newest_only = Query::select()
                .column(Asterisk)
                .from_subquery(ranked, Alias::new("ranked"))
                .and_where(Expr::col(rank).lte(count))
                .order_by(Alias::new(order.as_str()), Order::Asc)
                .to_owned();
            let statement = conn.get_database_backend().build(&newest_only);
            E::find().from_raw_sql(statement).all(conn).await?
        }
    };
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(project_of(&row)).or_default().push(convert(row)?);
    }
    Ok(out)
}

/// The rows of a project's table (fund items, indicators) whose project `projects` selects, in
/// the form's order, by project.
macro_rules! part_rows_where {
    ($(#[$doc:meta])* $name:ident, $table:ident, $value:ty, $convert:expr) => {
        $(#[$doc])*
        pub(crate) async fn $name<C: ConnectionTrait>(
            conn: &C,
            projects: impl FnOnce($table::Column) -> SimpleExpr,
        ) -> StoreResult<HashMap<i64, Vec<Row<$value>>>> {
            let condition = projects($table::Column::ProjectId);
            rows_by_project::<$table::Entity, _, _>(conn, condition, $table::Column::Position, Keep::All, |r| r.project_id, $convert)
                .await
        }
    };
}

part_rows_where!(
    /// The fund items of the projects `projects` selects, in the form's order, by project.
    fund_items_where,
    fund_item,
    FundItem,
    |r| Ok(fund_item_from(r))
);
part_rows_where!(
    /// The indicators of the projects `projects` selects, in the form's order, by project.
    indicators_where,
    indicator,
    Indicator,
    indicator_from
);
