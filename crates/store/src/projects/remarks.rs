//! Remarks on a line of the form (审核意见): written by whoever may decide the project now (an
//! approver on a submitted project or adjustment, the department reviewer during its review),
//! answered one by one by the unit while it edits, and required to be answered before it
//! submits again.

use std::collections::HashMap;

use chrono::Utc;
use jixiao_domain::review_remark::{self as rules, RemarkInput};
use jixiao_domain::{Message, ProblemCode, ProjectOp};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

use crate::children::{Keep, rows_by_project};
use crate::entity::{indicator, project, review_remark};
use crate::error::{StoreError, StoreResult, allow};
pub use crate::projects::remark_rows::RemarkRecord;
use crate::projects::{Projects, ensure_editable};
use crate::row_lock::lock_row;

impl Projects<'_> {
    /// Adds a remark to project `project_id`, about a field path and/or one of its indicators.
    pub async fn add_remark(
        &self,
        project_id: i64,
        field: Option<&str>,
        indicator_id: Option<i64>,
        text: &str,
    ) -> StoreResult<RemarkRecord> {
        let txn = self.db().begin().await?;
        let p = self.find_visible(&txn, project_id).await?;
        allow(self.actor().decide(ProjectOp::Remark, p.department_id, p.status))?;
        if !p.status.is_under_review() {
            return Err(StoreError::problem(
                "projectId",
                ProblemCode::InvalidTransition,
                Message::new(
                    format!("{}状态的项目不在审核中，不能提出审核意见", p.status.label()),
                    format!("a {} project is not under review: remarks are made while reviewing", p.status.code()),
                ),
            ));
        }
        let field = field.map(str::trim).filter(|f| !f.is_empty());
        rules::check_remark(&RemarkInput { field, indicator_id, text }).map_err(StoreError::Rejected)?;
        // The count and the insert below under the project's lock: the cap holds under concurrency.
        lock_row::<project::Entity, _>(&txn, project_id).await?;
        let remarks =
            review_remark::Entity::find().filter(review_remark::Column::ProjectId.eq(project_id)).count(&txn).await?;
        if remarks >= rules::MAX_REMARKS {
            return Err(StoreError::Rejected(vec![rules::too_many()]));
        }
        if let Some(indicator_id) = indicator_id {
            let found = indicator::Entity::find_by_id(indicator_id)
                .filter(indicator::Column::ProjectId.eq(project_id))
                .count(&txn)
                .await?;
            if found == 0 {
                return Err(StoreError::problem(
                    "indicatorId",
                    ProblemCode::InvalidInput,
                    Message::new("该项目没有这个绩效指标", "this project has no such indicator"),
                ));
            }
        }
        let row = review_remark::ActiveModel {
            id: NotSet,
            project_id: Set(project_id),
            author_id: Set(self.actor().user_id),
            field: Set(field.unwrap_or_default().to_string()),
            indicator_id: Set(indicator_id),
            text: Set(text.trim().to_string()),
            created_at: Set(Utc::now()),
            answer: Set(None),
            answered_at: Set(None),
            answered_by: Set(None),
        };
        let inserted = review_remark::Entity::insert(row).exec_with_returning(&txn).await?;
        self.commits.commit(txn).await?;
        Ok(inserted.into())
    }

    /// Answers remark `remark_id` (again, if it was: the last answer stands) while the project is
    /// being edited. Submitters of the project's department.
    pub async fn answer_remark(&self, remark_id: i64, answer: &str) -> StoreResult<RemarkRecord> {
        let txn = self.db().begin().await?;
        let remark = review_remark::Entity::find_by_id(remark_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let p = self.find_visible(&txn, remark.project_id).await?;
        allow(self.actor().decide(ProjectOp::Edit, p.department_id, p.status))?;
        ensure_editable(&p)?;
        rules::check_answer(answer).map_err(StoreError::Rejected)?;
        let mut row: review_remark::ActiveModel = remark.into();
        row.answer = Set(Some(answer.trim().to_string()));
        row.answered_at = Set(Some(Utc::now()));
        row.answered_by = Set(Some(self.actor().user_id));
        let updated = sea_orm::ActiveModelTrait::update(row, &txn).await?;
        self.commits.commit(txn).await?;
        Ok(updated.into())
    }

    /// The remarks of each of `project_ids` this actor may see, oldest first.
    pub async fn remarks_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<RemarkRecord>>> {
        let projects = review_remark::Column::ProjectId.in_subquery(self.visible_among(project_ids));
        rows_by_project::<review_remark::Entity, _, _>(
            self.db(),
            projects,
            review_remark::Column::Id,
            Keep::All,
            |r| r.project_id,
            |r| Ok(RemarkRecord::from(r)),
        )
        .await
    }
}
