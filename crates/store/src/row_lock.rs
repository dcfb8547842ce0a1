//! Caps held by the database, not by a read-then-write: a count and the insert it allows run in
//! one transaction under a lock on the row that owns what is counted (the project for its
//! remarks, the department for its units, the user for their hourly creations). Two writers at
//! the cap's edge then count one after the other, so thirty concurrent remarks at 190 end at 200,
//! never 201. PostgreSQL takes `FOR UPDATE`; SQLite, which has one writer at a time anyway,
//! leaves the clause out.

use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, PrimaryKeyTrait, QuerySelect, Statement};

use crate::error::StoreResult;

/// Locks the row `id` of `E` until the transaction `conn` ends; whether it exists.
pub(crate) async fn lock_row<E, C>(conn: &C, id: i64) -> StoreResult<bool>
where
    E: EntityTrait,
    C: ConnectionTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    Ok(E::find_by_id(id).lock_exclusive().one(conn).await?.is_some())
}

/// Locks the key (`what`, `n`) until the transaction `conn` ends, where a cap counts rows that no
/// single row owns (a fiscal year's monitoring rounds): a PostgreSQL advisory lock; SQLite, one
/// writer at a time, needs none.
pub(crate) async fn lock_key<C: ConnectionTrait>(conn: &C, what: &str, n: i64) -> StoreResult<()> {
    if conn.get_database_backend() == DbBackend::Postgres {
        let statement = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtext($1), $2::int)",
            [what.into(), n.into()],
        );
        conn.execute_raw(statement).await?;
    }
    Ok(())
}
