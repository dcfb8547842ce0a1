//! The whole of a step for forms whose steps need nothing but the domain's rules (monitoring
//! reports, self-evaluations): found visible, allowed, its comment checked, its destination the
//! domain's, what a submission lacks refused, then compare-and-set and history in one
//! transaction.

use chrono::Utc;
use jixiao_domain::{Actor, FormStatus, Message, Problem, ProblemCode};
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use super::{FormRecord, ReviewedForm, Step, find_visible, take_step};
use crate::error::{StoreError, StoreResult, allow, version_conflict};

/// The rules of a step that only the form knows.
pub(crate) struct StepRules<F: ReviewedForm> {
    /// Where `action` leads from `status`, if anywhere.
    pub after: fn(F::Status, F::Action) -> Option<F::Status>,
    /// The step's comment (a reason to send back, bounded).
    pub check_comment: fn(F::Action, &str) -> Result<(), Problem>,
    /// English for the refusal "cannot be …".
    pub past_tense: fn(F::Action) -> &'static str,
    pub label: fn(F::Action) -> &'static str,
}

/// Takes `action` on form `id` as `actor` inside `txn` (not committed here): `lacks` lists what a
/// submission still lacks (nothing refuses other steps). Returns the form as written.
pub(crate) async fn reviewed_step<F: ReviewedForm<StepExtra = ()>>(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: i64,
    action: F::Action,
    comment: &str,
    rules: StepRules<F>,
    lacks: impl AsyncFnOnce(&DatabaseTransaction, &F::Record) -> StoreResult<Vec<Problem>>,
) -> StoreResult<F::Record> {
    use jixiao_domain::FormAction;
    let form = find_visible::<F, _>(txn, actor, id).await?;
    allow(F::decide(actor, action, form.department_id(), form.status()))?;
    let comment = comment.trim();
    (rules.check_comment)(action, comment).map_err(|p| StoreError::Rejected(vec![p]))?;
    let Some(to) = (rules.after)(form.status(), action) else {
        return Err(not_now::<F>(form.status(), (rules.label)(action), (rules.past_tense)(action)));
    };
    if action.submits() {
        let problems = lacks(txn, &form).await?;
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
    }
    let step =
        Step::<F> { form_id: id, action, from: form.status(), to, actor_id: actor.user_id, comment, at: Utc::now() };
    take_step::<F, _>(txn, &form, &step, (), version_conflict).await?;
    reread::<F, _>(txn, id).await
}

/// The form as it now stands in the transaction.
async fn reread<F: ReviewedForm, C: ConnectionTrait>(conn: &C, id: i64) -> StoreResult<F::Record> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let row = F::Entity::find().filter(F::ID.eq(id)).one(conn).await?.ok_or(StoreError::NotFound)?;
    Ok(F::Record::try_from(row)?)
}

/// INVALID_TRANSITION: a form in `status` cannot be `zh`/`en` ("{label}的{noun}不能{zh}").
pub(crate) fn not_now<F: ReviewedForm>(status: F::Status, zh: &str, en: &str) -> StoreError {
    StoreError::problem(
        "id",
        ProblemCode::InvalidTransition,
        Message::new(
            format!("{}的{}不能{zh}", status.label(), F::NOUN.0),
            format!("a {} {} cannot be {en}", status.code(), F::NOUN.1),
        ),
    )
}
