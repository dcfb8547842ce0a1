//! Trusted documents: the operations a deployment's own front end sends, by the id its build
//! gave each (the manifest of the GraphQL Code Generator's client preset), loaded with `jixiao
//! documents add` and shared by every instance. With `JIXIAO_TRUSTED_DOCUMENTS_ONLY` nothing else
//! runs. Going down is refused once a document is loaded (a deployment relying on them would
//! lose them).

use crate::columns::{text, timestamp};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::Statement;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("trusted_documents")
                .col(ColumnDef::new("id").string_len(128).not_null().primary_key())
                .col(text("document"))
                .col(ColumnDef::new("added_by").string_len(200).not_null())
                .col(timestamp("added_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let held =
            db.query_one_raw(Statement::from_string(backend, "SELECT 1 AS n FROM trusted_documents LIMIT 1")).await?;
        if held.is_some() {
            return Err(DbErr::Migration(
                "trusted_documents holds documents: delete them first if they are no longer wanted".to_string(),
            ));
        }
        m.drop_table(Table::drop().table("trusted_documents").to_owned()).await
    }
}
