//! Each monitoring round keeps the rule that lights its budget: how it compares the execution rate
//! with time (RATIO or DIFFERENCE), how it counts time (MONTHS or DAYS) and its two thresholds, in
//! hundredths — and whether its indicators are lit by their progress as well as by the stated
//! likelihood. The columns' defaults are what every round opened before this step did (the
//! difference by days, 10 and 20; the likelihood alone), so those rounds answer as they did; new
//! rounds are opened with their rules written out.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "monitoring_rounds";

fn columns() -> [ColumnDef; 5] {
    [
        ColumnDef::new("budget_comparison").string_len(16).not_null().default("DIFFERENCE").to_owned(),
        ColumnDef::new("time_basis").string_len(16).not_null().default("DAYS").to_owned(),
        ColumnDef::new("lower_threshold").integer().not_null().default(1_000).to_owned(),
        ColumnDef::new("upper_threshold").integer().not_null().default(2_000).to_owned(),
        ColumnDef::new("progress_lights").boolean().not_null().default(false).to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in columns() {
            m.alter_table(Table::alter().table(TABLE).add_column(column).to_owned()).await?;
        }
        Ok(())
    }

    /// Only while every round uses the rule of before: going back would light the others by it.
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let sql = "SELECT COUNT(*) AS n FROM monitoring_rounds WHERE budget_comparison <> 'DIFFERENCE' \
                   OR time_basis <> 'DAYS' OR lower_threshold <> 1000 OR upper_threshold <> 2000 OR progress_lights = TRUE";
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
        let others: i64 = row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
        if others > 0 {
            return Err(DbErr::Migration(format!(
                "{others} monitoring rounds light their budgets or indicators by rules the older schema cannot hold: going back would light them otherwise"
            )));
        }
        for column in ["budget_comparison", "time_basis", "lower_threshold", "upper_threshold", "progress_lights"] {
            m.alter_table(Table::alter().table(TABLE).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
