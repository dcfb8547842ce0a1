//! 绩效自评: one self-evaluation per approved project, scored against its targets in force, and
//! its history. The total and the grade are kept beside the answers, so that a year's summary is
//! one SQL aggregate.

use sea_orm_migration::prelude::*;

use crate::columns::{history_table, id, index, reference, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("self_evaluations")
                .col(id())
                .col(ColumnDef::new("project_id").big_integer().not_null())
                .col(ColumnDef::new("department_id").big_integer().not_null())
                .col(ColumnDef::new("fiscal_year").integer().not_null())
                .col(ColumnDef::new("status").string_len(16).not_null())
                .col(ColumnDef::new("version").integer().not_null())
                .col(ColumnDef::new("annual_request_fen").big_integer().not_null())
                .col(ColumnDef::new("budget_executed_fen").big_integer().null())
                // The evaluator's weights (JSON), or NULL for the default ones.
                .col(ColumnDef::new("weights").text().null())
                // Each indicator's result, by indicator id (JSON).
                .col(text("results"))
                // Hundredths of a point, and the grade, as of the last save.
                .col(ColumnDef::new("total_score").big_integer().not_null())
                .col(ColumnDef::new("grade").string_len(16).not_null())
                .col(ColumnDef::new("submitted_at").timestamp_with_time_zone().null())
                .col(timestamp("created_at"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut reference("project_id", "projects"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("self_evaluations_project", "self_evaluations", &["project_id"], true)).await?;
        m.create_index(index("self_evaluations_year", "self_evaluations", &["fiscal_year", "department_id"], false))
            .await?;
        m.create_table(history_table("self_evaluation_reviews", "evaluation_id", "self_evaluations")).await?;
        m.create_index(index(
            "self_evaluation_reviews_evaluation",
            "self_evaluation_reviews",
            &["evaluation_id", "id"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["self_evaluation_reviews", "self_evaluations"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
