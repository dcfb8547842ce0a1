//! Answers to reads are kept between requests (the gateway's kept answers) and must be dropped
//! the moment anything they were read from changes, whoever changes it (this service, another
//! instance, the command line, an operator in psql). Every statement that writes any table a
//! read may read therefore announces itself on `jixiao_changes`, on commit only, with one and the
//! same (empty) payload: PostgreSQL folds identical notices of one transaction into one, so a
//! write costs one notice however many tables it touches.
//!
//! Every table of the schema gets the trigger, but those whose writes must not drop what everyone
//! reads: the login throttle's (never read by a query), the audit trail (written after every
//! mutation and sign-in; an answer that read it is never kept, store `Scope::audit_trail`) and
//! the migrations' own.
//! A table made by a later migration must get it too (`columns::announce_changes`):
//! `tests/tests/kept_answers.rs` fails while a table has neither the trigger nor a place in
//! `UNANNOUNCED`. SQLite has no notifications;
//! there no answer is kept and this step does nothing.

use crate::columns::{announce_changes, on_postgres};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose writes drop no kept answer.
pub const UNANNOUNCED: [&str; 3] = ["audit_log", "login_throttles", "seaql_migrations"];

/// The trigger each announced table has (`<table>_changes_noticed`), and the function it runs.
pub const FUNCTION: &str = "jixiao_changes_noticed";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};
        let db = m.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let mut sql = format!(
            "CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 PERFORM pg_notify('jixiao_changes', '');
                 RETURN NULL;
             END $$;"
        );
        let tables = db
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
            ))
            .await?;
        for row in tables {
            let table: String = row.try_get("", "tablename")?;
            if !UNANNOUNCED.contains(&table.as_str()) {
                sql.push_str(&announce_changes(&table));
            }
        }
        on_postgres(m, &sql).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        on_postgres(
            m,
            &format!(
                "DO $$
                 DECLARE r record;
                 BEGIN
                     FOR r IN SELECT tgname, tgrelid::regclass AS rel FROM pg_trigger WHERE tgname LIKE '%\\_changes\\_noticed'
                     LOOP
                         EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
                     END LOOP;
                 END $$;
                 DROP FUNCTION IF EXISTS {FUNCTION}();"
            ),
        )
        .await
    }
}
