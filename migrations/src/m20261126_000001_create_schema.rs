//! The first schema: organizations, users, projects with their funds (as BIGINT fen), fund
//! items, indicators and the review history.

use sea_orm_migration::prelude::*;

use crate::columns::{fen, history_table, id, index, owned_by_project, reference, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("departments")
                .col(id())
                .col(ColumnDef::new("code").string_len(50).not_null().unique_key())
                .col(text("name"))
                .col(timestamp("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("budget_units")
                .col(id())
                .col(ColumnDef::new("department_id").big_integer().not_null())
                .col(ColumnDef::new("code").string_len(50).not_null().unique_key())
                .col(text("name"))
                .col(timestamp("created_at"))
                .foreign_key(&mut reference("department_id", "departments"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("budget_units_department", "budget_units", &["department_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("users")
                .col(id())
                .col(ColumnDef::new("username").string_len(64).not_null().unique_key())
                .col(text("display_name"))
                .col(ColumnDef::new("role").string_len(16).not_null())
                .col(ColumnDef::new("department_id").big_integer().null())
                .col(text("password_hash"))
                .col(ColumnDef::new("disabled").boolean().not_null().default(false))
                .col(timestamp("created_at"))
                .foreign_key(&mut reference("department_id", "departments"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("projects")
                .col(id())
                .col(ColumnDef::new("department_id").big_integer().not_null())
                .col(ColumnDef::new("implementing_unit_id").big_integer().not_null())
                .col(ColumnDef::new("fiscal_year").integer().not_null())
                .col(text("name"))
                .col(ColumnDef::new("category").string_len(16).not_null())
                .col(ColumnDef::new("status").string_len(16).not_null())
                .col(ColumnDef::new("version").integer().not_null())
                .col(ColumnDef::new("planned_start").date().null())
                .col(ColumnDef::new("planned_end").date().null())
                .col(text("overview"))
                .col(text("basis"))
                .col(text("implementing_body"))
                .col(text("plan"))
                .col(text("cycle"))
                .col(text("budget_arrangement"))
                .col(text("overall_goal"))
                .col(text("annual_goal"))
                .col(fen("total_fen"))
                .col(fen("fiscal_fen"))
                .col(fen("other_fen"))
                .col(fen("annual_request_fen"))
                .col(fen("current_year_appropriation_fen"))
                .col(fen("carryover_fen"))
                .col(fen("annual_other_fen"))
                .col(ColumnDef::new("created_by").big_integer().null())
                .col(timestamp("created_at"))
                .col(timestamp("updated_at"))
                .col(ColumnDef::new("submitted_at").timestamp_with_time_zone().null())
                // Deleting a project hides it; its review history stays, as reviews are kept forever.
                .col(ColumnDef::new("deleted_at").timestamp_with_time_zone().null())
                .foreign_key(&mut reference("department_id", "departments"))
                .foreign_key(&mut reference("implementing_unit_id", "budget_units"))
                .foreign_key(&mut reference("created_by", "users"))
                .to_owned(),
        )
        .await?;
        // One live project of a name per department and year: what makes `jixiao import`
        // idempotent. Partial, so a deleted project's name can be declared again; the statement
        // is the same on PostgreSQL and SQLite.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX projects_department_year_name ON projects (department_id, fiscal_year, name) \
                 WHERE deleted_at IS NULL",
            )
            .await?;
        m.create_index(index("projects_year_department", "projects", &["fiscal_year", "department_id", "id"], false))
            .await?;
        m.create_index(index("projects_status", "projects", &["status", "id"], false)).await?;
        m.create_index(index("projects_unit", "projects", &["implementing_unit_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("fund_items")
                .col(id())
                .col(ColumnDef::new("project_id").big_integer().not_null())
                .col(ColumnDef::new("position").integer().not_null())
                .col(text("name"))
                .col(fen("amount_fen"))
                .foreign_key(&mut owned_by_project())
                .to_owned(),
        )
        .await?;
        m.create_index(index("fund_items_project_position", "fund_items", &["project_id", "position"], true)).await?;

        m.create_table(
            Table::create()
                .table("indicators")
                .col(id())
                .col(ColumnDef::new("project_id").big_integer().not_null())
                .col(ColumnDef::new("position").integer().not_null())
                .col(ColumnDef::new("level1").string_len(32).not_null())
                .col(ColumnDef::new("level2").string_len(32).not_null())
                .col(text("name"))
                .col(text("target_text"))
                .col(ColumnDef::new("note").text().null())
                .foreign_key(&mut owned_by_project())
                .to_owned(),
        )
        .await?;
        m.create_index(index("indicators_project_position", "indicators", &["project_id", "position"], true)).await?;

        // The review history is kept forever and never updated; projects are only ever
        // soft-deleted, so this reference never dangles.
        m.create_table(history_table("reviews", "project_id", "projects")).await?;
        m.create_index(index("reviews_project", "reviews", &["project_id", "id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["reviews", "indicators", "fund_items", "projects", "users", "budget_units", "departments"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use sea_orm_migration::sea_orm::{ConnectionTrait, Database};

    use crate::{Migrator, MigratorTrait};

    #[tokio::test]
    async fn migrates_up_down_and_up_again_on_sqlite() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        Migrator::up(&db, None).await.unwrap();
        db.execute_unprepared(
            "INSERT INTO departments (code, name, created_at) VALUES ('D', '部门', '2023-01-01T00:00:00Z')",
        )
        .await
        .unwrap();
        let negative = "INSERT INTO budget_units (department_id, code, name, created_at) VALUES (99, 'U', 'u', '2023-01-01T00:00:00Z')";
        assert!(db.execute_unprepared("PRAGMA foreign_keys = ON").await.is_ok());
        assert!(db.execute_unprepared(negative).await.is_err(), "budget units need an existing department");
        Migrator::down(&db, None).await.unwrap();
        Migrator::up(&db, None).await.unwrap();
    }
}
