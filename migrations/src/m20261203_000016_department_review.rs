//! Two levels of review: the DEPARTMENT_REVIEWER role (部门审核人) is longer than the 16
//! characters the first schema allowed for a role, so the column widens to 32 (PostgreSQL;
//! SQLite does not enforce a VARCHAR length). The DEPARTMENT_REVIEW status and the FORWARD step
//! fit the status and action columns step 8 widened.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn role_width(m: &SchemaManager<'_>, len: u32) -> Result<(), DbErr> {
    if m.get_database_backend() == DbBackend::Sqlite {
        return Ok(());
    }
    m.alter_table(
        Table::alter().table("users").modify_column(ColumnDef::new("role").string_len(len).not_null()).to_owned(),
    )
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        role_width(m, 32).await
    }

    /// Only while no department reviewer exists and no project is or was in department review
    /// (the older schema cannot hold the role, and the history would lose a level).
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let sql = "SELECT (SELECT COUNT(*) FROM users WHERE role = 'DEPARTMENT_REVIEWER') \
                   + (SELECT COUNT(*) FROM projects WHERE status = 'DEPARTMENT_REVIEW') \
                   + (SELECT COUNT(*) FROM reviews WHERE action = 'FORWARD' OR to_status = 'DEPARTMENT_REVIEW') AS n";
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
        let found: i64 = row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
        if found > 0 {
            return Err(DbErr::Migration(format!(
                "{found} department reviewers, projects in department review or review steps of one exist, which the older schema cannot hold: going back would lose them"
            )));
        }
        role_width(m, 16).await
    }
}
