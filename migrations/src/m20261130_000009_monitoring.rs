//! 绩效运行监控: monitoring rounds, one report per approved project in each, and the reports'
//! history. A report keeps its own figures (the annual request in force, the rate, the lights)
//! beside the unit's answers, so that a round's summary is one SQL aggregate.

use sea_orm_migration::prelude::*;

use crate::columns::{history_table, id, index, reference, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("monitoring_rounds")
                .col(id())
                .col(ColumnDef::new("fiscal_year").integer().not_null())
                .col(text("name"))
                .col(ColumnDef::new("as_of").date().not_null())
                .col(ColumnDef::new("due_date").date().not_null())
                .col(ColumnDef::new("created_by").big_integer().not_null())
                .col(timestamp("created_at"))
                .foreign_key(&mut reference("created_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("monitoring_rounds_name", "monitoring_rounds", &["fiscal_year", "name"], true)).await?;
        m.create_table(
            Table::create()
                .table("monitoring_reports")
                .col(id())
                .col(ColumnDef::new("round_id").big_integer().not_null())
                .col(ColumnDef::new("project_id").big_integer().not_null())
                .col(ColumnDef::new("department_id").big_integer().not_null())
                .col(ColumnDef::new("status").string_len(16).not_null())
                .col(ColumnDef::new("version").integer().not_null())
                .col(ColumnDef::new("annual_request_fen").big_integer().not_null())
                .col(ColumnDef::new("budget_executed_fen").big_integer().null())
                // Hundredths of a percent, and the lights, as of the last save.
                .col(ColumnDef::new("execution_rate").big_integer().null())
                .col(ColumnDef::new("budget_light").string_len(8).null())
                .col(ColumnDef::new("light").string_len(8).null())
                // Each indicator's progress, by indicator id (JSON).
                .col(text("indicators"))
                .col(ColumnDef::new("submitted_at").timestamp_with_time_zone().null())
                .col(timestamp("updated_at"))
                .foreign_key(&mut reference("round_id", "monitoring_rounds"))
                .foreign_key(&mut reference("project_id", "projects"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("monitoring_reports_project", "monitoring_reports", &["round_id", "project_id"], true))
            .await?;
        m.create_index(index("monitoring_reports_light", "monitoring_reports", &["round_id", "light", "id"], false))
            .await?;
        m.create_table(history_table("monitoring_report_reviews", "report_id", "monitoring_reports")).await?;
        m.create_index(index(
            "monitoring_report_reviews_report",
            "monitoring_report_reviews",
            &["report_id", "id"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["monitoring_report_reviews", "monitoring_reports", "monitoring_rounds"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
