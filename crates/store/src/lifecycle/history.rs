//! One shape of review history for every form: each step's action, from and to statuses, actor,
//! comment and time, in the form's own history table.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jixiao_domain::{FormAction, FormStatus};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use super::compare_and_set::compare_and_set_at;
use super::{FormColumn, FormRecord, HistoryColumn, ReviewedForm};
use crate::children::Keep;
use crate::error::{StoreError, StoreResult};

/// A step about to be taken on a form: what it records.
pub(crate) struct Step<'a, F: ReviewedForm> {
    pub form_id: i64,
    pub action: F::Action,
    pub from: F::Status,
    pub to: F::Status,
    pub actor_id: i64,
    pub comment: &'a str,
    pub at: DateTime<Utc>,
}

/// A history row as read, whatever its form.
pub(crate) trait StepRow {
    fn id(&self) -> i64;
    fn form_id(&self) -> i64;
    fn action(&self) -> &str;
    fn from_status(&self) -> &str;
    fn to_status(&self) -> &str;
    fn actor_id(&self) -> i64;
    fn comment(&self) -> &str;
    fn at(&self) -> DateTime<Utc>;
}

/// One step of a form's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRecord<S, A> {
    pub id: i64,
    /// The form it was taken on.
    pub form_id: i64,
    pub action: A,
    pub from_status: S,
    pub to_status: S,
    pub actor_id: i64,
    pub comment: String,
    pub at: DateTime<Utc>,
}

impl<S: FormStatus, A: FormAction> StepRecord<S, A> {
    pub(crate) fn read(row: &impl StepRow) -> Result<StepRecord<S, A>, DbErr> {
        let corrupt = |what: &str, code: &str| DbErr::Type(format!("unexpected {what} {code:?} in a form's history"));
        let status = |code: &str| S::from_code(code).ok_or_else(|| corrupt("status", code));
        Ok(StepRecord {
            id: row.id(),
            form_id: row.form_id(),
            action: A::from_code(row.action()).ok_or_else(|| corrupt("action", row.action()))?,
            from_status: status(row.from_status())?,
            to_status: status(row.to_status())?,
            actor_id: row.actor_id(),
            comment: row.comment().to_string(),
            at: row.at(),
        })
    }
}

/// Moves `form` (as read) to `step.to` by compare-and-set, and records the step; a form handed in
/// gets its time of submission.
pub(crate) async fn take_step<F: ReviewedForm, C: ConnectionTrait>(
    conn: &C,
    form: &F::Record,
    step: &Step<'_, F>,
    extra: F::StepExtra,
    conflict: fn() -> StoreError,
) -> StoreResult<()> {
    take_step_writing::<F, C>(conn, form, step, extra, Vec::new(), conflict).await
}

/// [`take_step`], writing `columns` of the form in the same compare-and-set: what the step
/// changes besides its status (a rectification item's answer, say).
pub(crate) async fn take_step_writing<F: ReviewedForm, C: ConnectionTrait>(
    conn: &C,
    form: &F::Record,
    step: &Step<'_, F>,
    extra: F::StepExtra,
    mut columns: Vec<(FormColumn<F>, SimpleExpr)>,
    conflict: fn() -> StoreError,
) -> StoreResult<()> {
    columns.push((F::STATUS, Expr::value(step.to.code())));
    if step.action.submits() {
        columns.push((F::SUBMITTED_AT, Expr::value(step.at)));
    }
    debug_assert_eq!(form.id(), step.form_id);
    compare_and_set_at::<F, C>(conn, form, columns, step.at, conflict).await?;
    F::History::insert(F::step_row(step, extra)).exec(conn).await?;
    Ok(())
}

/// The history of each form `forms` selects (by the history's form column; the caller narrows
/// them to those it found visible): its newest [`crate::record::REVIEWS_SHOWN`] steps, oldest
/// first, converted by `convert`.
pub(crate) async fn steps_of<F, C, T>(
    conn: &C,
    forms: impl FnOnce(HistoryColumn<F>) -> SimpleExpr,
    form_of: fn(&<F::History as EntityTrait>::Model) -> i64,
    convert: impl Fn(<F::History as EntityTrait>::Model) -> Result<T, DbErr>,
) -> StoreResult<HashMap<i64, Vec<T>>>
where
    F: ReviewedForm,
    C: ConnectionTrait,
{
    let newest = Keep::Newest { project: F::STEP_FORM, count: crate::record::REVIEWS_SHOWN };
    crate::children::rows_by_project::<F::History, _, _>(
        conn,
        forms(F::STEP_FORM),
        F::STEP_ID,
        newest,
        form_of,
        convert,
    )
    .await
}
