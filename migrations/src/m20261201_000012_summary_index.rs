//! `declarationSummary` of a whole year reads every project of that year. This index holds every
//! column it reads (the year, the unit, the annual request, and the status and department the
//! caller's visibility filters on) for the live projects, ordered by unit: PostgreSQL answers
//! from the index alone and sums per unit as it reads, without touching the table or sorting.
//! SQLite has no INCLUDE; there the columns are keys.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let sql = match db.get_database_backend() {
            DbBackend::Postgres => {
                "CREATE INDEX projects_year_unit_summary ON projects (fiscal_year, implementing_unit_id)
                 INCLUDE (annual_request_fen, status, department_id) WHERE deleted_at IS NULL"
            }
            _ => {
                "CREATE INDEX projects_year_unit_summary ON projects
                 (fiscal_year, implementing_unit_id, annual_request_fen, status, department_id) WHERE deleted_at IS NULL"
            }
        };
        db.execute_unprepared(sql).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX IF EXISTS projects_year_unit_summary").await?;
        Ok(())
    }
}
