//! Failed logins per username, so that guessing is slowed down across every instance of the
//! service (the count lives in the database, not in one process).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("login_failures")
                .col(ColumnDef::new("username").string_len(64).not_null().primary_key())
                .col(ColumnDef::new("failures").integer().not_null())
                .col(ColumnDef::new("last_failure_at").timestamp_with_time_zone().not_null())
                .col(ColumnDef::new("locked_until").timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("login_failures").to_owned()).await
    }
}
