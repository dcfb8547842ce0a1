//! Opening a pool of connections, directly to PostgreSQL (or SQLite) or through a transaction
//! pooler such as PgBouncer.
//!
//! **Behind a transaction pooler** (`Pooler::Transaction`, JIXIAO_DB_POOLER=transaction) a server
//! connection is ours only from BEGIN to COMMIT; between two statements outside a transaction
//! the pooler may hand it to another client. sqlx prepares a statement in one round trip and
//! runs it in the next, under a name it never closes when its cache is off, so outside a
//! transaction the second half can reach a server that never saw the first, and two clients'
//! `sqlx_s_1` meet on one server ("prepared statement already exists": seen with PgBouncer 1.18,
//! Debian 12's, which cannot track prepared statements; `max_prepared_statements` came in 1.21).
//! So in this mode every checkout of a pool connection is one transaction (BEGIN when it is
//! handed out, COMMIT when it comes back) and the statement cache is off; a write's own
//! transaction runs inside it unchanged (its BEGIN finds one open, which PostgreSQL allows with a
//! warning, and its COMMIT or ROLLBACK ends it). What sqlx prepared in a transaction stays on
//! that server under its name, so the pooler must clear it when the server goes back to its
//! pool: PgBouncer's `server_reset_query = DEALLOCATE ALL` with `server_reset_query_always = 1`
//! (docs/scaling.md gives the whole configuration; the tests run with it).
//! The price is two round trips per checkout, and a prepared statement per statement
//! (docs/scaling.md measures it).

use std::str::FromStr;
use std::time::Duration;

use sea_orm::sqlx::Executor;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr, RuntimeErr, SqlxPostgresConnector};

use crate::metrics::StoreMetrics;

/// How pools reach PostgreSQL.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pooler {
    /// Straight to the server (or through a pooler in session mode): statements are prepared
    /// once per connection and kept.
    #[default]
    Direct,
    /// Through a pooler in transaction mode (PgBouncer `pool_mode = transaction`).
    Transaction,
}

impl FromStr for Pooler {
    type Err = String;
    fn from_str(text: &str) -> Result<Pooler, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "none" | "direct" | "session" => Ok(Pooler::Direct),
            "transaction" => Ok(Pooler::Transaction),
            other => Err(format!("\"{other}\": expected direct or transaction")),
        }
    }
}

/// Whether a pool connects now (and fails now when the server does not answer) or at first use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lazily {
    Yes,
    No,
}

pub(crate) async fn open_pool(
    url: &str,
    max_connections: u32,
    metrics: &std::sync::Arc<StoreMetrics>,
    pooler: Pooler,
    lazily: Lazily,
) -> Result<DatabaseConnection, DbErr> {
    let sqlite = url.starts_with("sqlite:");
    let mut db = if pooler == Pooler::Transaction && !sqlite {
        through_transaction_pooler(url, max_connections, lazily).await?
    } else {
        let mut options = ConnectOptions::new(url.to_string());
        // SQLite serialises writers anyway; one connection avoids SQLITE_BUSY between our own
        // transactions. PostgreSQL gets a real pool.
        options
            .max_connections(if sqlite { 1 } else { max_connections })
            .min_connections(if sqlite { 1 } else { 0 })
            .connect_timeout(Duration::from_secs(5))
            // When the database is gone, requests fail within seconds instead of queueing.
            .acquire_timeout(Duration::from_secs(3))
            // A connection is tried (a round trip) before use only when it has been idle a
            // second: one left over from before a database restart is caught, while connections
            // in use under load, which answered a moment ago, go straight to work instead of
            // paying a round trip per statement or transaction (BENCHMARKS.md, step 15).
            .test_before_acquire_if_idle_for(Duration::from_secs(1))
            .sqlx_logging(false)
            .connect_lazy(lazily == Lazily::Yes);
        Database::connect(options).await?
    };
    let recorder = metrics.clone();
    db.set_metric_callback(move |info| recorder.record(info));
    Ok(db)
}

/// A pool whose every checkout is one transaction.
async fn through_transaction_pooler(
    url: &str,
    max_connections: u32,
    lazily: Lazily,
) -> Result<DatabaseConnection, DbErr> {
    let options = PgConnectOptions::from_str(url).map_err(sqlx_error)?.statement_cache_capacity(0);
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(3))
        // BEGIN answers or the connection is replaced: the check costs nothing more.
        .test_before_acquire(false)
        .after_connect(|conn, _| Box::pin(begin(conn)))
        .before_acquire(|conn, _| Box::pin(async move { begin(conn).await.map(|()| true) }))
        .after_release(|conn, _| {
            Box::pin(async move {
                conn.execute("COMMIT").await?;
                Ok(true)
            })
        });
    let pool = match lazily {
        Lazily::Yes => pool.connect_lazy_with(options),
        Lazily::No => pool.connect_with(options).await.map_err(sqlx_error)?,
    };
    Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
}

async fn begin(conn: &mut PgConnection) -> Result<(), sea_orm::sqlx::Error> {
    conn.execute("BEGIN").await.map(|_| ())
}

fn sqlx_error(e: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(std::sync::Arc::new(e)))
}

#[cfg(test)]
mod tests {
    use super::Pooler;

    #[test]
    fn the_pooler_setting_reads_its_two_modes() {
        assert_eq!("transaction".parse(), Ok(Pooler::Transaction));
        assert_eq!(" Transaction ".parse(), Ok(Pooler::Transaction));
        assert_eq!("direct".parse(), Ok(Pooler::Direct));
        assert_eq!("".parse(), Ok(Pooler::Direct));
        assert!("statement".parse::<Pooler>().is_err(), "statement mode cannot run a transaction");
    }
}
