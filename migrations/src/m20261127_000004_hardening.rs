//! Hardening: login throttling by (username, client address) and by address instead of a lock
//! per username (which anyone could hold on anyone); a token version per user, so that tokens
//! issued before a disable stay dead after the user is enabled again; usernames stored in lower
//! case, so that `sub1` and `SUB1` are one user; an index for counting a user's recent creations.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("login_throttles")
                // `pair:<username>|<address>` or `address:<address>`.
                .col(ColumnDef::new("key").string_len(200).not_null().primary_key())
                .col(ColumnDef::new("failures").integer().not_null())
                .col(ColumnDef::new("last_failure_at").timestamp_with_time_zone().not_null())
                .col(ColumnDef::new("blocked_until").timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("login_failures").to_owned()).await?;
        m.alter_table(
            Table::alter()
                .table("users")
                .add_column(ColumnDef::new("token_version").integer().not_null().default(0))
                .to_owned(),
        )
        .await?;
        // Fails (and the step rolls back on PostgreSQL) if two usernames differ only in case:
        // rename one with the old binary first.
        m.get_connection().execute_unprepared("UPDATE users SET username = LOWER(username)").await?;
        m.create_index(
            Index::create()
                .name("projects_created_by_created_at")
                .table("projects")
                .col("created_by")
                .col("created_at")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("projects_created_by_created_at").table("projects").to_owned()).await?;
        m.alter_table(Table::alter().table("users").drop_column("token_version").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("login_failures")
                .col(ColumnDef::new("username").string_len(64).not_null().primary_key())
                .col(ColumnDef::new("failures").integer().not_null())
                .col(ColumnDef::new("last_failure_at").timestamp_with_time_zone().not_null())
                .col(ColumnDef::new("locked_until").timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("login_throttles").to_owned()).await
    }
}
