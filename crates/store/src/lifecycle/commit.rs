//! What a committed write makes others forget. Every write through a handle commits here: the
//! handle's count of commits moves on (a request's scope has a count of its own, so whatever the
//! request cached before its own write is known to be old without a list of what the write
//! touched), and a write of declarations forgets what forms are compared with. Announcing is the
//! database's: every form's table has a trigger that notifies (`events.rs`), so a write cannot
//! forget to.

use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::DatabaseTransaction;

use crate::error::StoreResult;

/// How many writes were committed through one handle.
#[derive(Debug, Default)]
pub struct Commits(AtomicU64);

impl Commits {
    /// Moves on with every commit: a cache built at one generation is stale at the next.
    pub fn generation(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Counts a write committed on its own (one statement outside a transaction), once it is.
    pub(crate) fn wrote<T>(&self, written: T) -> T {
        self.0.fetch_add(1, Ordering::AcqRel);
        written
    }

    /// Commits `txn`, then counts it (after, so that a reader who sees the new generation reads
    /// the committed rows).
    pub(crate) async fn commit(&self, txn: DatabaseTransaction) -> StoreResult<()> {
        txn.commit().await?;
        self.0.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }
}
