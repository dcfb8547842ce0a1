//! Targets in force (谁批复预算，谁批复目标): every approval keeps a snapshot of the declaration it
//! approved, and an approved project may be adjusted (ADJUSTING, ADJUSTMENT_SUBMITTED).
//!
//! The new statuses and steps are longer than the 16 characters the first schema allowed for a
//! status or an action, so those columns widen to 32 (PostgreSQL; SQLite does not enforce a
//! VARCHAR length).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::columns::{id, index, reference, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column) of every status or action code.
const CODES: [(&str, &str); 4] =
    [("projects", "status"), ("reviews", "action"), ("reviews", "from_status"), ("reviews", "to_status")];

async fn widen(m: &SchemaManager<'_>, len: u32) -> Result<(), DbErr> {
    if m.get_database_backend() == DbBackend::Sqlite {
        return Ok(());
    }
    for (table, column) in CODES {
        m.alter_table(
            Table::alter().table(table).modify_column(ColumnDef::new(column).string_len(len).not_null()).to_owned(),
        )
        .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        widen(m, 32).await?;
        m.create_table(
            Table::create()
                .table("project_snapshots")
                .col(id())
                .col(ColumnDef::new("project_id").big_integer().not_null())
                // The project's version right after the approval.
                .col(ColumnDef::new("version").integer().not_null())
                .col(timestamp("approved_at"))
                .col(ColumnDef::new("approved_by").big_integer().null())
                // Why the targets were adjusted ('' for a first approval), and the approver's comment.
                .col(text("reason"))
                .col(text("comment"))
                // The declaration as approved, with its rows' ids (JSON).
                .col(text("declaration"))
                .foreign_key(&mut reference("project_id", "projects"))
                .foreign_key(&mut reference("approved_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_snapshots_version", "project_snapshots", &["project_id", "version"], true)).await
    }

    /// Only while no project is being adjusted or has been (the history of an adjustment cannot
    /// be written in the narrower columns, and it is never deleted).
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let count = |sql: &'static str| async move {
            let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
            Ok::<i64, DbErr>(row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0))
        };
        let adjusting =
            count("SELECT COUNT(*) AS n FROM projects WHERE status IN ('ADJUSTING', 'ADJUSTMENT_SUBMITTED')").await?;
        if adjusting > 0 {
            return Err(DbErr::Migration(format!(
                "{adjusting} projects are being adjusted: cancel or approve their adjustments before going back"
            )));
        }
        let history = count(
            "SELECT COUNT(*) AS n FROM reviews WHERE action IN ('START_ADJUSTMENT', 'CANCEL_ADJUSTMENT') OR to_status LIKE 'ADJUST%'",
        )
        .await?;
        if history > 0 {
            return Err(DbErr::Migration(format!(
                "{history} review steps record adjustments, which the older schema cannot hold: going back would lose them"
            )));
        }
        m.drop_table(Table::drop().table("project_snapshots").to_owned()).await?;
        widen(m, 16).await
    }
}
