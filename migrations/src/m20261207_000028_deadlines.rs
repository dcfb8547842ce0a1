//! Deadlines of the year (申报截止, 部门审核截止, 财政审核截止, 自评截止): one per fiscal year and
//! stage for every department, and at most one extension per department on top of it; each change
//! is kept in `deadline_changes` (who, when, from what to what). Indexes by status let the to-do
//! list find what waits in each form without reading a year. Going down is refused once a
//! deadline is set.

use crate::columns::{id, index, reference, timestamp};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn stage_and_scope(table: &'static str) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(id())
        .col(ColumnDef::new("fiscal_year").integer().not_null())
        .col(ColumnDef::new("stage").string_len(24).not_null())
        // NULL: every department; otherwise an extension for that department alone.
        .col(ColumnDef::new("department_id").big_integer().null())
        .foreign_key(&mut reference("department_id", "departments"))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            stage_and_scope("deadlines")
                .col(ColumnDef::new("due_on").date().not_null())
                .col(ColumnDef::new("set_by").big_integer().not_null())
                .col(timestamp("set_at"))
                .foreign_key(&mut reference("set_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            stage_and_scope("deadline_changes")
                // NULL before: the first setting; NULL after: an extension withdrawn.
                .col(ColumnDef::new("due_before").date().null())
                .col(ColumnDef::new("due_after").date().null())
                .col(ColumnDef::new("changed_by").big_integer().not_null())
                .col(timestamp("changed_at"))
                .foreign_key(&mut reference("changed_by", "users"))
                .to_owned(),
        )
        .await?;
        // One general deadline and one extension per department, on both backends (a unique index
        // over a NULL column would let two general rows in).
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX deadlines_general ON deadlines (fiscal_year, stage) WHERE department_id IS NULL",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX deadlines_extension ON deadlines (fiscal_year, stage, department_id) \
             WHERE department_id IS NOT NULL",
        )
        .await?;
        m.create_index(index("deadline_changes_year", "deadline_changes", &["fiscal_year", "id"], false)).await?;
        for (name, table) in [
            ("monitoring_reports_status", "monitoring_reports"),
            ("self_evaluations_status", "self_evaluations"),
            ("rectification_items_status", "rectification_items"),
        ] {
            m.create_index(index(name, table, &["status", "department_id"], false)).await?;
        }
        // The projects waiting in a status, with what their deadline is looked up by, read from the
        // index alone (an approver's badges over a 10,000-project year: BENCHMARKS.md).
        db.execute_unprepared(
            "CREATE INDEX projects_waiting ON projects (status, fiscal_year, department_id, id) WHERE deleted_at IS NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let held = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT 1 AS n FROM deadlines LIMIT 1"))
            .await?;
        if held.is_some() {
            return Err(DbErr::Migration(
                "deadlines holds the year's deadlines: the older schema cannot keep them".to_string(),
            ));
        }
        for (name, table) in [
            ("monitoring_reports_status", "monitoring_reports"),
            ("self_evaluations_status", "self_evaluations"),
            ("rectification_items_status", "rectification_items"),
        ] {
            m.drop_index(Index::drop().name(name).table(table).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("projects_waiting").table("projects").to_owned()).await?;
        m.drop_table(Table::drop().table("deadline_changes").to_owned()).await?;
        m.drop_table(Table::drop().table("deadlines").to_owned()).await
    }
}
