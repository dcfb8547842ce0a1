//! 延续项目: a project copied from last year's (`copyProject`) names the project it continues.
//! Projects are never removed (deleting hides them), so the reference always resolves; it is a
//! plain column because SQLite cannot add a foreign key to an existing table.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("projects")
                .add_column(ColumnDef::new("previous_project_id").big_integer().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("projects").drop_column("previous_project_id").to_owned()).await
    }
}
