//! 结果应用 and 整改: the bureau's own evaluations of projects (财政评价), the year's rules per grade,
//! the rectification items an accepted self-evaluation opens, and the bureau's decision on a
//! request. Going down is refused once any of them holds a row.

use crate::columns::{fen, id, index, reference, text, timestamp};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::Statement;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 4] = ["budget_decisions", "rectification_items", "result_rules", "finance_evaluations"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("finance_evaluations")
                .col(id())
                .col(ColumnDef::new("project_id").big_integer().not_null().unique_key())
                .col(ColumnDef::new("score").big_integer().not_null())
                .col(ColumnDef::new("grade").string_len(16).not_null())
                .col(text("comment"))
                .col(ColumnDef::new("evaluated_by").big_integer().not_null())
                .col(timestamp("evaluated_at"))
                .foreign_key(&mut reference("project_id", "projects"))
                .foreign_key(&mut reference("evaluated_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("result_rules")
                .col(ColumnDef::new("fiscal_year").integer().not_null())
                .col(ColumnDef::new("grade").string_len(16).not_null())
                .col(ColumnDef::new("action").string_len(16).not_null())
                .col(ColumnDef::new("cut").big_integer().not_null())
                .col(ColumnDef::new("hold").boolean().not_null())
                .col(ColumnDef::new("set_by").big_integer().not_null())
                .col(timestamp("set_at"))
                .primary_key(Index::create().col("fiscal_year").col("grade"))
                .foreign_key(&mut reference("set_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("rectification_items")
                .col(id())
                .col(ColumnDef::new("project_id").big_integer().not_null())
                .col(ColumnDef::new("evaluation_id").big_integer().not_null())
                .col(ColumnDef::new("department_id").big_integer().not_null())
                .col(ColumnDef::new("fiscal_year").integer().not_null())
                .col(ColumnDef::new("indicator_id").big_integer().null())
                .col(text("problem"))
                .col(text("measure"))
                .col(ColumnDef::new("due_on").date().null())
                .col(ColumnDef::new("status").string_len(16).not_null())
                .col(ColumnDef::new("version").integer().not_null())
                .col(text("reason"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut reference("project_id", "projects"))
                .foreign_key(&mut reference("evaluation_id", "self_evaluations"))
                .foreign_key(&mut reference("department_id", "departments"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "rectification_items_year",
            "rectification_items",
            &["fiscal_year", "department_id"],
            false,
        ))
        .await?;
        m.create_index(index("rectification_items_project", "rectification_items", &["project_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("budget_decisions")
                .col(ColumnDef::new("project_id").big_integer().not_null().primary_key())
                .col(fen("amount_fen"))
                .col(text("reason"))
                .col(ColumnDef::new("decided_by").big_integer().not_null())
                .col(timestamp("decided_at"))
                .foreign_key(&mut reference("project_id", "projects"))
                .foreign_key(&mut reference("decided_by", "users"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let counted = TABLES.map(|t| format!("(SELECT COUNT(*) FROM {t})")).join(" + ");
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), format!("SELECT {counted} AS n")))
            .await?;
        let kept: i64 = row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
        if kept > 0 {
            return Err(DbErr::Migration(format!(
                "{kept} evaluations, rules, rectification items or decisions exist: the older schema cannot hold them"
            )));
        }
        for table in TABLES {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
