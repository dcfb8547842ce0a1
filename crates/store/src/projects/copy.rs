//! 延续项目: next year's declaration of a recurring project starts from this year's.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

use crate::entity::project;
use crate::error::{StoreError, StoreResult};
use crate::projects::{Projects, allow, insert_declaration, load_declaration};
use crate::record::ProjectRecord;

impl Projects<'_> {
    /// A new DRAFT in `fiscal_year` for the same unit, with the form of the visible project
    /// `id` (its planned dates moved by as many years), naming `id` as the project it
    /// continues. Declaring it is the department's submitters' right, as for `create`; a live
    /// project of the same name in that year is ALREADY_EXISTS on `name`.
    pub async fn copy(&self, id: i64, fiscal_year: i32) -> StoreResult<ProjectRecord> {
        let txn = self.db().begin().await?;
        let source = self.find_visible(&txn, id).await?;
        allow(self.actor().may_create_project_in(Some(source.department_id)))?;
        let declaration =
            load_declaration(&txn, &source).await?.carried_into(fiscal_year).check().map_err(StoreError::Rejected)?;
        self.check_creation_rate(&txn, 1).await?;
        let created = insert_declaration(
            &txn,
            source.department_id,
            source.implementing_unit_id,
            &declaration,
            Some(self.actor().user_id),
        )
        .await?;
        project::Entity::update_many()
            .col_expr(project::Column::PreviousProjectId, Expr::value(Some(source.id)))
            .filter(project::Column::Id.eq(created.id))
            .exec(&txn)
            .await?;
        self.commit(txn).await?;
        Ok(ProjectRecord { previous_project_id: Some(source.id), ..created })
    }
}
