//! Failed logins per username, shared by every instance through the database.

use chrono::{DateTime, Duration, Utc};
use jixiao_domain::login_throttle::lock_after;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::Store;
use crate::entity::login_failure::{ActiveModel, Column, Entity};
use crate::error::StoreResult;

/// Failures are forgotten after a day without one.
const FORGET_AFTER_HOURS: i64 = 24;

impl Store {
    /// Until when `username` is locked, if it is now.
    pub async fn login_locked_until(&self, username: &str) -> StoreResult<Option<DateTime<Utc>>> {
        let row = Entity::find_by_id(username.to_string()).one(&self.db).await?;
        Ok(row.and_then(|r| r.locked_until).filter(|until| *until > Utc::now()))
    }

    /// Counts one more failure for `username` (atomically, whichever instance) and locks it
    /// when the count calls for it. Returns the lock's end, if any.
    pub async fn record_login_failure(&self, username: &str) -> StoreResult<Option<DateTime<Utc>>> {
        let now = Utc::now();
        Entity::delete_many()
            .filter(Column::LastFailureAt.lt(now - Duration::hours(FORGET_AFTER_HOURS)))
            .exec(&self.db)
            .await?;
        let row = Entity::insert(ActiveModel {
            username: Set(username.to_string()),
            failures: Set(1),
            last_failure_at: Set(now),
            locked_until: Set(None),
        })
        .on_conflict(
            OnConflict::column(Column::Username)
                .value(Column::Failures, Expr::col((Entity, Column::Failures)).add(1))
                .value(Column::LastFailureAt, now)
                .to_owned(),
        )
        .exec_with_returning(&self.db)
        .await?;
        let lock = lock_after(u32::try_from(row.failures).unwrap_or(0))
            .map(|d| now + Duration::from_std(d).unwrap_or_default());
        if lock.is_some() {
            Entity::update_many()
                .col_expr(Column::LockedUntil, Expr::value(lock))
                .filter(Column::Username.eq(username))
                .exec(&self.db)
                .await?;
        }
        Ok(lock)
    }

    /// A successful login starts the count afresh.
    pub async fn clear_login_failures(&self, username: &str) -> StoreResult<()> {
        Entity::delete_by_id(username.to_string()).exec(&self.db).await?;
        Ok(())
    }
}
