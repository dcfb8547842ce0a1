//! Failed logins per throttle key (see `domain::login_throttle`), shared by every instance
//! through the database.
//!
//! An attempt is counted when it starts, not when its password has been found wrong: the wait
//! is checked and the attempt counted in one transaction, under a lock on the keys' rows, before
//! any password check. Fifty concurrent guesses of one username from one address therefore get
//! five password checks and forty-five refusals, not fifty checks (counting afterwards let every
//! guess that arrived before the first failure was written through). A success takes its count
//! back.

use chrono::{DateTime, Duration, Utc};
use jixiao_domain::login_throttle::{FORGET_AFTER, Scope, wait_after};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use crate::Store;
use crate::entity::login_throttle::{ActiveModel, Column, Entity, Model};
use crate::error::StoreResult;

/// Whether an attempt may go on to its password check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Counted; check the password, and call [`Store::login_succeeded`] if it was right.
    Counted,
    /// Refused without a check: the pair or the address must wait until then.
    Wait(DateTime<Utc>),
}

const SCOPES: [Scope; 2] = [Scope::Pair, Scope::Address];

impl Store {
    /// Counts an attempt of `username` from `address`, unless the pair or the address must still
    /// wait: atomically, whichever instance the attempts arrive at.
    pub async fn reserve_login_attempt(&self, username: &str, address: &str) -> StoreResult<Attempt> {
        let now = Utc::now();
        let forget = Duration::from_std(FORGET_AFTER).unwrap_or_default();
        let txn = self.db.begin().await?;
        Entity::delete_many().filter(Column::LastFailureAt.lt(now - forget)).exec(&txn).await?;
        let rows = locked_rows(&txn, username, address, now).await?;
        let now = Utc::now();
        if let Some(until) = rows.iter().filter_map(|(_, r)| r.blocked_until).filter(|until| *until > now).max() {
            txn.commit().await?;
            return Ok(Attempt::Wait(until));
        }
        for (scope, row) in rows {
            let failures = row.failures.saturating_add(1);
            let wait = wait_after(scope, u32::try_from(failures).unwrap_or(0));
            let until = wait.map(|w| now + Duration::from_std(w).unwrap_or_default());
            let mut update: ActiveModel = row.into();
            update.failures = Set(failures);
            update.last_failure_at = Set(now);
            if until.is_some() {
                update.blocked_until = Set(until);
            }
            Entity::update(update).exec(&txn).await?;
        }
        txn.commit().await?;
        Ok(Attempt::Counted)
    }

    /// A successful login takes its attempt back: the pair's count starts afresh, the address's
    /// loses this one attempt (one right password must not reset a spraying address), and the
    /// address's wait goes if its count is back under the free failures.
    pub async fn login_succeeded(&self, username: &str, address: &str) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        Entity::delete_by_id(Scope::Pair.key(username, address)).exec(&txn).await?;
        let key = Scope::Address.key(username, address);
        if let Some(row) = Entity::find_by_id(key).lock_exclusive().one(&txn).await? {
            let failures = (row.failures - 1).max(0);
            let free = i32::try_from(Scope::Address.free_failures()).unwrap_or(i32::MAX);
            let mut update: ActiveModel = row.into();
            update.failures = Set(failures);
            if failures < free {
                update.blocked_until = Set(None);
            }
            Entity::update(update).exec(&txn).await?;
        }
        txn.commit().await?;
        Ok(())
    }
}

/// The pair's and the address's rows, created at zero where missing, locked until `conn` ends
/// (in the order of their keys, so two attempts never wait on each other in a circle).
async fn locked_rows<C: ConnectionTrait>(
    conn: &C,
    username: &str,
    address: &str,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(Scope, Model)>> {
    let mut keys = SCOPES.map(|scope| scope.key(username, address));
    keys.sort();
    let fresh = keys.iter().map(|key| ActiveModel {
        key: Set(key.clone()),
        failures: Set(0),
        last_failure_at: Set(now),
        blocked_until: Set(None),
    });
    Entity::insert_many(fresh).on_conflict_do_nothing_on([Column::Key]).exec(conn).await?;
    let rows = Entity::find()
        .filter(Column::Key.is_in(keys.clone()))
        .order_by_asc(Column::Key)
        .lock_exclusive()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let scope = SCOPES.into_iter().find(|s| s.key(username, address) == row.key)?;
            Some((scope, row))
        })
        .collect())
}
