//! Scoring rules change (the direction of `=` targets, say): the totals and grades kept for the
//! year's summary are then scored again from what each evaluation holds, as the detail view
//! scores it on every read. Run with the findings by `jixiao refresh-findings` after an upgrade.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};

use super::records::EvaluationRecord;
use super::scoring::scored;
use crate::entity::{project, self_evaluation};
use crate::error::{StoreError, StoreResult};
use crate::record::ProjectRecord;

impl crate::Store {
    /// Scores every self-evaluation again and writes the total and grade where they changed (a
    /// derived figure, not an edit: the version stays). Returns how many changed; `progress` is
    /// told how many were read, a page at a time.
    pub async fn rescore_evaluations(&self, mut progress: impl FnMut(u64)) -> StoreResult<u64> {
        let (mut after, mut read, mut changed) = (0i64, 0u64, 0u64);
        loop {
            let page = self_evaluation::Entity::find()
                .filter(self_evaluation::Column::Id.gt(after))
                .order_by_asc(self_evaluation::Column::Id)
                .limit(200)
                .all(&self.db)
                .await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            let txn = self.db.begin().await?;
            for row in page {
                let e = EvaluationRecord::try_from(row)?;
                let p = project::Entity::find_by_id(e.project_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
                let d = crate::snapshots::in_force_declaration(&txn, &ProjectRecord::try_from(p)?).await?;
                let (s, _, _) = scored(&d, &e);
                if (s.total, s.grade) != (e.total, e.grade) {
                    self_evaluation::Entity::update_many()
                        .col_expr(self_evaluation::Column::TotalScore, Expr::value(s.total.0))
                        .col_expr(self_evaluation::Column::Grade, Expr::value(s.grade.code()))
                        .filter(self_evaluation::Column::Id.eq(e.id))
                        .exec(&txn)
                        .await?;
                    changed += 1;
                }
                read += 1;
            }
            txn.commit().await?;
            progress(read);
        }
        Ok(changed)
    }
}
