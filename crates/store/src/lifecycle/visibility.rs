//! Which forms an actor sees, as a condition the database applies.

use jixiao_domain::{Actor, FormStatus, ProjectVisibility};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::ReviewedForm;
use crate::error::{StoreError, StoreResult};

/// The forms of `F` that `actor` may see: live ones within their visibility, a department's
/// drafts only to that department.
pub(crate) fn visible<F: ReviewedForm>(actor: &Actor) -> Condition {
    let draft = F::Status::DRAFT.code();
    let live = F::live();
    match actor.project_visibility() {
        ProjectVisibility::Everything => live,
        ProjectVisibility::Department(d) => live.add(F::DEPARTMENT.eq(d)),
        ProjectVisibility::AllButDrafts => live.add(F::STATUS.ne(draft)),
        ProjectVisibility::DepartmentButDrafts(d) => live.add(F::DEPARTMENT.eq(d)).add(F::STATUS.ne(draft)),
    }
}

/// Form `id`, when `actor` may see it; NOT_FOUND otherwise (whether or not it exists).
pub(crate) async fn find_visible<F: ReviewedForm, C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    id: i64,
) -> StoreResult<F::Record> {
    let row = F::Entity::find().filter(F::ID.eq(id)).filter(visible::<F>(actor)).one(conn).await?;
    Ok(F::Record::try_from(row.ok_or(StoreError::NotFound)?)?)
}
