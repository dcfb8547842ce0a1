//! The audit trail (安全审计): who did what, when, from where and with what outcome, append-only.
//!
//! `audit_log` is written only by inserts. An update, a delete or a truncate is refused by the
//! database itself (triggers, on both backends), so neither the service nor anyone with its
//! credentials can edit the past through SQL. The one exception is pruning by age (`jixiao audit
//! prune`): its transaction first inserts a row into `audit_prune_permits`, which the delete
//! trigger looks for, and removes it before committing; a delete in any other transaction sees no
//! permit and is refused. Each record also carries the hash of the one before it (store
//! `audit.rs`), so a record altered or removed by someone who turned the triggers off is found by
//! `jixiao audit verify`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::columns::{id, index, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("audit_log")
                .col(id())
                .col(timestamp("at"))
                // No foreign key: a record outlives whatever it names.
                .col(ColumnDef::new("actor_id").big_integer().null())
                // The username (or the login name tried, or `operator` for the command line).
                .col(text("actor"))
                .col(text("address"))
                .col(text("request_id"))
                // `login`, `mutation.approveProject`, `download.book`, `cli.import` …
                .col(text("operation"))
                // The objects acted on, as `Kind:row` separated by spaces.
                .col(text("objects"))
                .col(ColumnDef::new("version_before").big_integer().null())
                .col(ColumnDef::new("version_after").big_integer().null())
                // `ok`, `rejected` (userErrors), or the error code (`FORBIDDEN` …).
                .col(text("outcome"))
                .col(text("detail"))
                .col(text("prev_hash"))
                .col(text("hash"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("audit_log_at", "audit_log", &["at"], false)).await?;
        m.create_index(index("audit_log_actor", "audit_log", &["actor_id", "id"], false)).await?;
        m.create_index(index("audit_log_operation", "audit_log", &["operation", "id"], false)).await?;
        m.create_table(
            Table::create()
                .table("audit_prune_permits")
                .col(ColumnDef::new("pruning").text().not_null().primary_key())
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let statements: &[&str] = match db.get_database_backend() {
            DbBackend::Postgres => &[
                "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                     IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_prune_permits) THEN
                         RETURN OLD;
                     END IF;
                     RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
                         USING ERRCODE = 'insufficient_privilege';
                 END $$",
                "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
                "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
            ],
            _ => &[
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                     WHEN NOT EXISTS (SELECT 1 FROM audit_prune_permits)
                     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END",
            ],
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
                 DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
                 DROP FUNCTION IF EXISTS audit_log_append_only();",
            )
            .await?;
        }
        m.drop_table(Table::drop().table("audit_prune_permits").to_owned()).await?;
        m.drop_table(Table::drop().table("audit_log").to_owned()).await
    }
}
