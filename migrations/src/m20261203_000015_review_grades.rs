//! A grade with a decision (优良中差) and the four criteria's scores it rests on, kept on the
//! review step that made the decision; a project sent back graded 差 is NOT_APPROVED, a status
//! code the widened status columns already hold.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SCORES: [&str; 4] = ["completeness_score", "relevance_score", "appropriateness_score", "feasibility_score"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        m.alter_table(
            Table::alter().table("reviews").add_column(ColumnDef::new("grade").string_len(16).null()).to_owned(),
        )
        .await?;
        for score in SCORES {
            m.alter_table(
                Table::alter().table("reviews").add_column(ColumnDef::new(score).small_integer().null()).to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    /// Only while no decision was graded (the older schema cannot hold a grade, and a
    /// NOT_APPROVED project's history would lose why).
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let sql = "SELECT (SELECT COUNT(*) FROM reviews WHERE grade IS NOT NULL) \
                   + (SELECT COUNT(*) FROM projects WHERE status = 'NOT_APPROVED') AS n";
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
        let graded: i64 = row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
        if graded > 0 {
            return Err(DbErr::Migration(format!(
                "{graded} graded decisions or NOT_APPROVED projects exist, which the older schema cannot hold: going back would lose them"
            )));
        }
        for column in std::iter::once("grade").chain(SCORES) {
            m.alter_table(Table::alter().table("reviews").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
