//! The findings of each project (the reviewer's assistant), kept beside it so that lists can be
//! filtered by them and a department's findings summed in SQL. Rewritten whenever the
//! declaration is written.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("project_findings")
                .col(ColumnDef::new("id").big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new("project_id").big_integer().not_null())
                .col(ColumnDef::new("code").string_len(40).not_null())
                .col(ColumnDef::new("severity").string_len(8).not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from_col("project_id")
                        .to("projects", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("project_findings_project")
                .table("project_findings")
                .col("project_id")
                .col("severity")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("project_findings").to_owned()).await
    }
}
