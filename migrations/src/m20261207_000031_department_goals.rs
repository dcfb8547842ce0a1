//! 部门整体绩效目标: one form per department and fiscal year, living a project's life (the same
//! statuses and steps), with its review history in the common shape. Its tasks and its
//! indicators are JSON documents of the form (tasks name projects by id; indicators carry ids
//! of their own, never reused: `next_row_id`), so that a save or a row edit is one
//! compare-and-set on one row. `in_force` keeps the form as last approved (the targets in force
//! while an adjustment is edited). Going down is refused while a form is kept.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::Statement;

use crate::columns::{announce_changes, fen, history_table, id, index, on_postgres, reference, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("department_goals")
                .col(id())
                .col(ColumnDef::new("department_id").big_integer().not_null())
                .col(ColumnDef::new("fiscal_year").integer().not_null())
                .col(ColumnDef::new("status").string_len(32).not_null())
                .col(ColumnDef::new("version").integer().not_null())
                .col(text("functions"))
                .col(text("overall_goal"))
                // [{name, description, projectIds, basicExpenditure (fen)}]
                .col(text("tasks"))
                .col(fen("personnel_fen"))
                .col(fen("public_fen"))
                // NULL: the sum of the linked projects.
                .col(
                    ColumnDef::new("project_expenditure_fen")
                        .big_integer()
                        .null()
                        .check(Expr::col("project_expenditure_fen").gte(0)),
                )
                .col(fen("income_fiscal_fen"))
                .col(fen("income_other_fen"))
                .col(ColumnDef::new("indicator_framework").string_len(24).null())
                // [{id, level1, level2, name, target, note, libraryEntryId, measures}]
                .col(text("indicators"))
                .col(ColumnDef::new("next_row_id").big_integer().not_null())
                .col(ColumnDef::new("in_force").text().null())
                .col(ColumnDef::new("submitted_at").timestamp_with_time_zone().null())
                .col(ColumnDef::new("approved_at").timestamp_with_time_zone().null())
                .col(timestamp("created_at"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut reference("department_id", "departments"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("department_goals_year", "department_goals", &["department_id", "fiscal_year"], true))
            .await?;
        m.create_index(index("department_goals_status", "department_goals", &["fiscal_year", "status"], false)).await?;
        m.create_table(history_table("department_goal_reviews", "form_id", "department_goals")).await?;
        // A project's codes (ADJUSTMENT_SUBMITTED, START_ADJUSTMENT) are longer than the 16
        // characters the common history shape allows: widened as `reviews`' were (migration 8).
        for column in ["action", "from_status", "to_status"] {
            on_postgres(m, &format!("ALTER TABLE department_goal_reviews ALTER COLUMN {column} TYPE varchar(32)"))
                .await?;
        }
        m.create_index(index("department_goal_reviews_form", "department_goal_reviews", &["form_id", "id"], false))
            .await?;
        for table in ["department_goals", "department_goal_reviews"] {
            on_postgres(m, &announce_changes(table)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let sql = "SELECT 1 AS n FROM department_goals LIMIT 1";
        if db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?.is_some() {
            return Err(DbErr::Migration(
                "department_goals holds departments' overall goals: the older schema cannot keep them".to_string(),
            ));
        }
        for table in ["department_goal_reviews", "department_goals"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
