//! A rectification item lives the reviewed-form lifecycle: its steps (answered, closed, reopened,
//! by whom, when, with what reason) are kept in a history table of the common shape, and the time
//! it was last answered beside it. Items answered before keep no steps of that time. Going down is
//! refused once a step is recorded.

use crate::columns::{history_table, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::Statement;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(history_table("rectification_item_steps", "item_id", "rectification_items")).await?;
        m.create_index(index("rectification_item_steps_item", "rectification_item_steps", &["item_id", "id"], false))
            .await?;
        m.alter_table(
            Table::alter()
                .table("rectification_items")
                .add_column(ColumnDef::new("submitted_at").timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let sql = "SELECT 1 AS n FROM rectification_item_steps LIMIT 1";
        if db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?.is_some() {
            return Err(DbErr::Migration(
                "rectification_item_steps holds steps: the older schema cannot keep an item's history".to_string(),
            ));
        }
        m.alter_table(Table::alter().table("rectification_items").drop_column("submitted_at").to_owned()).await?;
        m.drop_table(Table::drop().table("rectification_item_steps").to_owned()).await
    }
}
