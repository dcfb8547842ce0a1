//! The service always keeps one enabled admin (`domain::organization::check_an_admin_remains`):
//! a change that would demote or disable the last one is refused inside its transaction, with
//! every enabled admin's row locked in id order first, so two admins changing each other are
//! decided one after the other (and never wait on each other in a circle).

use jixiao_domain::Role;
use jixiao_domain::organization;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::user;
use crate::error::{StoreError, StoreResult};

pub(crate) fn is_enabled_admin(user: &user::Model) -> bool {
    user.role == Role::Admin.code() && !user.disabled
}

/// Refuses, inside the caller's transaction, to let `leaving` be the last enabled admin: every
/// enabled admin's row is locked (`FOR UPDATE`) while they are counted, so two admins demoting
/// each other at once are decided one after the other and the second is refused.
pub(crate) async fn keep_an_admin<C: ConnectionTrait>(conn: &C, leaving: i64) -> StoreResult<()> {
    let admins = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin.code()))
        .filter(user::Column::Disabled.eq(false))
        .order_by_asc(user::Column::Id)
        .lock_exclusive()
        .all(conn)
        .await?;
    let others = admins.iter().filter(|a| a.id != leaving).count();
    organization::check_an_admin_remains(others).map_err(|p| StoreError::Rejected(vec![p]))
}

/// Disables (ending their tokens) or enables the one user `which` selects, keeping an enabled
/// admin; whether such a user exists.
pub(crate) async fn set_disabled_where<C: ConnectionTrait>(
    conn: &C,
    which: sea_orm::sea_query::SimpleExpr,
    disabled: bool,
) -> StoreResult<bool> {
    let Some(target) = user::Entity::find().filter(which).one(conn).await? else {
        return Ok(false);
    };
    // The admins' locks first, then the target's (see `update_user`).
    if disabled && is_enabled_admin(&target) {
        keep_an_admin(conn, target.id).await?;
    }
    user::Entity::find_by_id(target.id).lock_exclusive().one(conn).await?;
    let mut update = user::Entity::update_many().col_expr(user::Column::Disabled, Expr::value(disabled));
    if disabled {
        update = update.col_expr(user::Column::TokenVersion, Expr::col(user::Column::TokenVersion).add(1));
    }
    update.filter(user::Column::Id.eq(target.id)).exec(conn).await?;
    Ok(true)
}
