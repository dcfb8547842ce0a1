//! Remarks on a line of the form (审核意见) and what each submission held: a reviewer's remark
//! points at a field path or an indicator and is answered by the unit before it submits again;
//! each submission keeps the declaration as submitted, so that the next reviewer sees what
//! changed since the one sent back.

use sea_orm_migration::prelude::*;

use crate::columns::{id, index, owned_by_project, reference, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("review_remarks")
                .col(id())
                .col(ColumnDef::new("project_id").big_integer().not_null())
                .col(ColumnDef::new("author_id").big_integer().not_null())
                // The field path ('' when the remark is on an indicator as a whole).
                .col(text("field"))
                // No foreign key: an indicator removed later leaves the remark (and its answer) as
                // it was, pointing at a row that is gone.
                .col(ColumnDef::new("indicator_id").big_integer().null())
                .col(text("text"))
                .col(timestamp("created_at"))
                .col(ColumnDef::new("answer").text().null())
                .col(ColumnDef::new("answered_at").timestamp_with_time_zone().null())
                .col(ColumnDef::new("answered_by").big_integer().null())
                .foreign_key(&mut owned_by_project())
                .foreign_key(&mut reference("author_id", "users"))
                .foreign_key(&mut reference("answered_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("review_remarks_project", "review_remarks", &["project_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("submission_snapshots")
                .col(id())
                .col(ColumnDef::new("project_id").big_integer().not_null())
                // The project's version right after the submission.
                .col(ColumnDef::new("version").integer().not_null())
                .col(timestamp("submitted_at"))
                // The declaration as submitted, with its rows' ids (JSON, as project_snapshots).
                .col(text("declaration"))
                .foreign_key(&mut owned_by_project())
                .to_owned(),
        )
        .await?;
        m.create_index(index("submission_snapshots_version", "submission_snapshots", &["project_id", "version"], true))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("submission_snapshots").to_owned()).await?;
        m.drop_table(Table::drop().table("review_remarks").to_owned()).await
    }
}
