//! 指标体系: the framework a project says it is declared under (`SHANGHAI_2023`, `CENTRAL_2021`),
//! or NULL when its indicators say it (a COST level 1 means the 2021 guideline). Existing
//! projects keep NULL: their framework stays what their indicators imply.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("projects")
                .add_column(ColumnDef::new("indicator_framework").string_len(16).null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("projects").drop_column("indicator_framework").to_owned()).await
    }
}
