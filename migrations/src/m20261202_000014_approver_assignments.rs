//! 对口科室: the departments an approver is assigned to work on. An approver with assignments
//! sees those departments' projects when asking for `assignedToMe`; one with none sees every
//! department's, as before. A user's assignments go with the user; a department with approvers
//! assigned is not removed under them.

use sea_orm_migration::prelude::*;

use crate::columns::{index, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("approver_assignments")
                .col(ColumnDef::new("user_id").big_integer().not_null())
                .col(ColumnDef::new("department_id").big_integer().not_null())
                .col(timestamp("assigned_at"))
                .primary_key(Index::create().col("user_id").col("department_id"))
                .foreign_key(
                    ForeignKey::create().from_col("user_id").to("users", "id").on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from_col("department_id")
                        .to("departments", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("approver_assignments_department", "approver_assignments", &["department_id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("approver_assignments").to_owned()).await?;
        Ok(())
    }
}
