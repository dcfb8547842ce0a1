//! Every change to a user is announced: after an update or a delete of a `users` row, PostgreSQL
//! NOTIFYs the channel `jixiao_users` with the user's id, whoever made the change. Each serving
//! instance listens and forgets the user it kept, so a disabled user, a changed role or a new
//! password takes effect on every instance at once (store `user_cache.rs`). SQLite has no
//! notifications; there nothing is kept and this step does nothing.

use crate::columns::on_postgres;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        on_postgres(
            m,
            "CREATE OR REPLACE FUNCTION jixiao_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 PERFORM pg_notify('jixiao_users', OLD.id::text);
                 RETURN NULL;
             END $$;
             CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users
                 FOR EACH ROW EXECUTE FUNCTION jixiao_user_changed();",
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        on_postgres(m, "DROP TRIGGER IF EXISTS users_changed ON users; DROP FUNCTION IF EXISTS jixiao_user_changed();")
            .await
    }
}
