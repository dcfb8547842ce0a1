//! Failed logins per throttle key (see `domain::login_throttle`), shared by every instance
//! through the database.

use chrono::{DateTime, Duration, Utc};
use jixiao_domain::login_throttle::{FORGET_AFTER, Scope, wait_after};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::Store;
use crate::entity::login_throttle::{ActiveModel, Column, Entity};
use crate::error::StoreResult;

impl Store {
    /// Until when the next attempt of `username` from `address` must wait, if it must: the
    /// later of the pair's and the address's waits.
    pub async fn login_blocked_until(&self, username: &str, address: &str) -> StoreResult<Option<DateTime<Utc>>> {
        let keys = [Scope::Pair.key(username, address), Scope::Address.key(username, address)];
        let rows = Entity::find().filter(Column::Key.is_in(keys)).all(&self.db).await?;
        let now = Utc::now();
        Ok(rows.into_iter().filter_map(|r| r.blocked_until).filter(|until| *until > now).max())
    }

    /// Counts one more failure for the pair and the address (atomically, whichever instance)
    /// and sets the wait each count calls for.
    pub async fn record_login_failure(&self, username: &str, address: &str) -> StoreResult<()> {
        let now = Utc::now();
        let forget = Duration::from_std(FORGET_AFTER).unwrap_or_default();
        Entity::delete_many().filter(Column::LastFailureAt.lt(now - forget)).exec(&self.db).await?;
        for scope in [Scope::Pair, Scope::Address] {
            let key = scope.key(username, address);
            let row = Entity::insert(ActiveModel {
                key: Set(key.clone()),
                failures: Set(1),
                last_failure_at: Set(now),
                blocked_until: Set(None),
            })
            .on_conflict(
                OnConflict::column(Column::Key)
                    .value(Column::Failures, Expr::col((Entity, Column::Failures)).add(1))
                    .value(Column::LastFailureAt, now)
                    .to_owned(),
            )
            .exec_with_returning(&self.db)
            .await?;
            let wait = wait_after(scope, u32::try_from(row.failures).unwrap_or(0));
            if let Some(wait) = wait {
                let until = now + Duration::from_std(wait).unwrap_or_default();
                Entity::update_many()
                    .col_expr(Column::BlockedUntil, Expr::value(Some(until)))
                    .filter(Column::Key.eq(key))
                    .exec(&self.db)
                    .await?;
            }
        }
        Ok(())
    }

    /// A successful login starts the pair's count afresh (the address's count stays: one right
    /// password must not reset a spraying address).
    pub async fn clear_login_failures(&self, username: &str, address: &str) -> StoreResult<()> {
        Entity::delete_by_id(Scope::Pair.key(username, address)).exec(&self.db).await?;
        Ok(())
    }
}
