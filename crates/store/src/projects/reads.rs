//! Reading projects and their parts, each narrowed to what the actor may see.

use std::collections::HashMap;

use jixiao_domain::{FundItem, Indicator};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::*;
use crate::entity::{project, project_snapshot, review, submission_snapshot};
use crate::error::{StoreError, StoreResult};
use crate::lifecycle::steps_of;
use crate::record::{ProjectRecord, ReviewRecord, Row};

impl Projects<'_> {
    pub(crate) async fn find_visible<C: ConnectionTrait>(&self, conn: &C, id: i64) -> StoreResult<ProjectRecord> {
        let row = project::Entity::find_by_id(id).filter(self.visible()).one(conn).await?;
        Ok(row.ok_or(StoreError::NotFound)?.try_into()?)
    }

    pub async fn get(&self, id: i64) -> StoreResult<ProjectRecord> {
        self.find_visible(self.db, id).await
    }

    /// The visible ones among `ids` (for `node(id)` and loaders); the others are simply absent.
    pub async fn get_many(&self, ids: &[i64]) -> StoreResult<HashMap<i64, ProjectRecord>> {
        let rows = project::Entity::find()
            .filter(self.visible())
            .filter(project::Column::Id.is_in(ids.iter().copied()))
            .all(self.db)
            .await?;
        rows.into_iter().map(|m| Ok((m.id, ProjectRecord::try_from(m)?))).collect()
    }

    /// A page of projects (`PageOf`: keyset, no OFFSET).
    pub async fn list(&self, page: &PageOf<'_>) -> StoreResult<Vec<ProjectRecord>> {
        let rows = self.page_select(page).all(self.db).await?;
        Ok(rows.into_iter().map(ProjectRecord::try_from).collect::<Result<_, _>>()?)
    }

    /// The statement behind [`Projects::list`] (also read with its parts, `with_parts.rs`).
    pub(crate) fn page_select(&self, page: &PageOf<'_>) -> sea_orm::Select<project::Entity> {
        let scan = page.order.scan(page.backward);
        let mut q = project::Entity::find().filter(self.filtered(page.filter));
        if let Some(from) = page.from {
            q = q.filter(scan.after(from));
        }
        for (expr, dir) in scan.terms() {
            q = q.order_by(expr, dir);
        }
        q.limit(page.limit)
    }

    pub async fn count(&self, filter: &ProjectFilter) -> StoreResult<u64> {
        Ok(project::Entity::find().filter(self.filtered(filter)).count(self.db).await?)
    }

    /// The fund items of each visible project among `project_ids`, in the form's order.
    pub async fn fund_items_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<Row<FundItem>>>> {
        crate::children::fund_items_where(self.db, |c| c.in_subquery(self.visible_among(project_ids))).await
    }

    /// The indicators of each visible project among `project_ids`, in the form's order.
    pub async fn indicators_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<Row<Indicator>>>> {
        crate::children::indicators_where(self.db, |c| c.in_subquery(self.visible_among(project_ids))).await
    }

    /// The approved snapshots of each visible project among `project_ids`, oldest first; the
    /// last is the one in force.
    pub async fn snapshots_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<crate::SnapshotRecord>>> {
        let projects = project_snapshot::Column::ProjectId.in_subquery(self.visible_among(project_ids));
        crate::snapshots::snapshots_of(self.db, projects).await
    }

    /// Of a project's `submissions` (oldest first, [`Projects::submissions_of`]), the one before
    /// its current state: the submission sent back (or withdrawn), to compare the one under
    /// review (or being edited) with. `None` before a project's second submission.
    pub fn previous_submission(
        mut submissions: Vec<crate::SnapshotRecord>,
        status: jixiao_domain::Status,
    ) -> Option<crate::SnapshotRecord> {
        if status.is_under_review() {
            // The latest is the submission under review itself.
            submissions.pop();
        }
        submissions.pop()
    }

    /// Every submission of each visible project among `project_ids`, oldest first: what each
    /// held when it was sent for review (one statement for a page of projects).
    pub async fn submissions_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<crate::SnapshotRecord>>> {
        let visible = submission_snapshot::Column::ProjectId.in_subquery(self.visible_among(project_ids));
        let mut by_project: HashMap<i64, Vec<crate::SnapshotRecord>> = HashMap::new();
        for submission in crate::snapshots::submissions(self.db, visible).await? {
            by_project.entry(submission.project_id).or_default().push(submission);
        }
        Ok(by_project)
    }

    /// The workflow steps of each visible project among `project_ids`, oldest first: the last
    /// [`REVIEWS_SHOWN`] of a longer history.
    pub async fn reviews_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<ReviewRecord>>> {
        let visible = |c: review::Column| c.in_subquery(self.visible_among(project_ids));
        steps_of::<ProjectForm, _, _>(self.db, visible, |r| r.project_id, ReviewRecord::try_from).await
    }
}
