//! Every change of a form is a compare-and-set on (id, status, version): it writes only when the
//! form is still where the writer read it, and moves its version on.

use chrono::Utc;
use jixiao_domain::FormStatus;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::{FormColumn, FormRecord, ReviewedForm};
use crate::error::{StoreError, StoreResult};

/// This form, still in this status and at this version.
pub(crate) fn cas<F: ReviewedForm>(id: i64, status: F::Status, version: i32) -> Condition {
    F::live().add(F::ID.eq(id)).add(F::STATUS.eq(status.code())).add(F::VERSION.eq(version))
}

/// Writes `columns` to `form` (as read), with its version moved on and its time of change; when
/// someone else wrote it in between, nothing is written and the answer is `conflict()`.
pub(crate) async fn compare_and_set<F: ReviewedForm, C: ConnectionTrait>(
    conn: &C,
    form: &F::Record,
    columns: Vec<(FormColumn<F>, SimpleExpr)>,
    conflict: fn() -> StoreError,
) -> StoreResult<()> {
    compare_and_set_at::<F, C>(conn, form, columns, Utc::now(), conflict).await
}

/// [`compare_and_set`], its time of change `at`.
pub(crate) async fn compare_and_set_at<F: ReviewedForm, C: ConnectionTrait>(
    conn: &C,
    form: &F::Record,
    columns: Vec<(FormColumn<F>, SimpleExpr)>,
    at: chrono::DateTime<Utc>,
    conflict: fn() -> StoreError,
) -> StoreResult<()> {
    let mut update = F::Entity::update_many()
        .col_expr(F::VERSION, Expr::value(form.version() + 1))
        .col_expr(F::UPDATED_AT, Expr::value(at));
    for (column, value) in columns {
        update = update.col_expr(column, value);
    }
    let result = update.filter(cas::<F>(form.id(), form.status(), form.version())).exec(conn).await?;
    if result.rows_affected == 1 { Ok(()) } else { Err(conflict()) }
}
