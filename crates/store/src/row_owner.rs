//! Which project a row belongs to, for `node(id)` on the ids the API hands out for rows (an
//! indicator, a fund item, a remark, a self-evaluation): the caller then reads the row through
//! its project, under the project's visibility, so that knowing an id reveals nothing.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::{fund_item, indicator, review_remark, self_evaluation};
use crate::error::StoreResult;
use crate::scope::Scope;

/// The kinds of row that belong to one project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnedRow {
    Indicator,
    FundItem,
    Remark,
    SelfEvaluation,
}

impl Scope {
    /// The project row `id` of `kind` belongs to, if the row exists (visible or not: the caller
    /// reads it through the project's visibility).
    pub async fn project_of_row(&self, kind: OwnedRow, id: i64) -> StoreResult<Option<i64>> {
        let db = self.store().connection();
        Ok(match kind {
            OwnedRow::Indicator => {
                owner::<indicator::Entity, _>(db, indicator::Column::Id, indicator::Column::ProjectId, id).await?
            }
            OwnedRow::FundItem => {
                owner::<fund_item::Entity, _>(db, fund_item::Column::Id, fund_item::Column::ProjectId, id).await?
            }
            OwnedRow::Remark => {
                owner::<review_remark::Entity, _>(db, review_remark::Column::Id, review_remark::Column::ProjectId, id)
                    .await?
            }
            OwnedRow::SelfEvaluation => {
                owner::<self_evaluation::Entity, _>(
                    db,
                    self_evaluation::Column::Id,
                    self_evaluation::Column::ProjectId,
                    id,
                )
                .await?
            }
        })
    }
}

async fn owner<E: EntityTrait, C: sea_orm::ConnectionTrait>(
    db: &C,
    id_column: E::Column,
    project_column: E::Column,
    id: i64,
) -> StoreResult<Option<i64>> {
    Ok(E::find().select_only().column(project_column).filter(id_column.eq(id)).into_tuple::<i64>().one(db).await?)
}
