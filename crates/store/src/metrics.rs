//! Counts of the SQL statements the store runs, for `/metrics` and for the tests that prove a
//! page of projects costs the same number of statements whatever its size.

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct StoreMetrics {
    statements: AtomicU64,
    failed: AtomicU64,
    micros: AtomicU64,
}

/// A snapshot of [`StoreMetrics`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatementCounts {
    pub statements: u64,
    pub failed: u64,
    pub total_micros: u64,
}

impl StoreMetrics {
    pub(crate) fn record(&self, info: &sea_orm::metric::Info<'_>) {
        // The SQL with its placeholders only: the values (which may be personal) are not logged.
        tracing::debug!(target: "jixiao_store::sql", micros = info.elapsed.as_micros() as u64, failed = info.failed, sql = %info.statement.sql);
        self.statements.fetch_add(1, Ordering::Relaxed);
        if info.failed {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
        self.micros.fetch_add(info.elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> StatementCounts {
        StatementCounts {
            statements: self.statements.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            total_micros: self.micros.load(Ordering::Relaxed),
        }
    }
}
