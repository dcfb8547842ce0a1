//! The department-wide goals monitored and self-evaluated: a report in each monitoring round and
//! one self-evaluation at year end for each form with goals in force, shaped as a project's
//! report and self-evaluation are (the same figures, lights, weights, results and scores), each
//! with its history in the common shape. The money they measure against (`annual_request_fen`,
//! `approved_fen`) is the form's 支出合计 in force. Going down is refused while one is kept.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::Statement;

use crate::columns::{announce_changes, history_table, id, index, on_postgres, reference, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 4] = [
    "department_goal_reports",
    "department_goal_report_reviews",
    "department_goal_evaluations",
    "department_goal_evaluation_reviews",
];

/// What every department-wide report and evaluation starts with: its form, department, status
/// and version, and the money in force.
fn form_columns(table: &'static str) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(id())
        .col(ColumnDef::new("goals_id").big_integer().not_null())
        .col(ColumnDef::new("department_id").big_integer().not_null())
        .col(ColumnDef::new("status").string_len(16).not_null())
        .col(ColumnDef::new("version").integer().not_null())
        .col(ColumnDef::new("annual_request_fen").big_integer().not_null())
        .col(ColumnDef::new("approved_fen").big_integer().not_null())
        .col(ColumnDef::new("budget_executed_fen").big_integer().null())
        .col(ColumnDef::new("submitted_at").timestamp_with_time_zone().null())
        .col(timestamp("created_at"))
        .col(timestamp("updated_at"))
        .foreign_key(&mut reference("goals_id", "department_goals"))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            form_columns("department_goal_reports")
                .col(ColumnDef::new("round_id").big_integer().not_null())
                // Hundredths of a percent.
                .col(ColumnDef::new("execution_rate").big_integer().null())
                .col(ColumnDef::new("budget_light").string_len(8).null())
                .col(ColumnDef::new("light").string_len(8).null())
                // Each indicator's progress by row id (JSON).
                .col(text("indicators"))
                .foreign_key(&mut reference("round_id", "monitoring_rounds"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "department_goal_reports_round",
            "department_goal_reports",
            &["round_id", "goals_id"],
            true,
        ))
        .await?;
        m.create_index(index("department_goal_reports_goals", "department_goal_reports", &["goals_id"], false)).await?;
        m.create_table(history_table("department_goal_report_reviews", "report_id", "department_goal_reports")).await?;
        m.create_index(index(
            "department_goal_report_reviews_report",
            "department_goal_report_reviews",
            &["report_id", "id"],
            false,
        ))
        .await?;
        m.create_table(
            form_columns("department_goal_evaluations")
                .col(ColumnDef::new("fiscal_year").integer().not_null())
                // The evaluator's weights (JSON), or NULL for the default ones.
                .col(ColumnDef::new("weights").text().null())
                // Each indicator's result, by row id (JSON).
                .col(text("results"))
                // Hundredths of a point, and the grade, as of the last save.
                .col(ColumnDef::new("total_score").big_integer().not_null())
                .col(ColumnDef::new("grade").string_len(16).not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(index("department_goal_evaluations_goals", "department_goal_evaluations", &["goals_id"], true))
            .await?;
        m.create_table(history_table(
            "department_goal_evaluation_reviews",
            "evaluation_id",
            "department_goal_evaluations",
        ))
        .await?;
        m.create_index(index(
            "department_goal_evaluation_reviews_evaluation",
            "department_goal_evaluation_reviews",
            &["evaluation_id", "id"],
            false,
        ))
        .await?;
        for table in TABLES {
            on_postgres(m, &announce_changes(table)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for table in ["department_goal_reports", "department_goal_evaluations"] {
            let sql = format!("SELECT 1 AS n FROM {table} LIMIT 1");
            if db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?.is_some() {
                return Err(DbErr::Migration(format!(
                    "{table} holds departments' monitoring and self-evaluation: the older schema cannot keep them"
                )));
            }
        }
        for table in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(*table).to_owned()).await?;
        }
        Ok(())
    }
}
