//! Review remarks as rows: typed, and the ones a submission still waits on (read by the
//! workflow's submit step, written by `remarks.rs`).

use chrono::{DateTime, Utc};
use jixiao_domain::Problem;
use jixiao_domain::review_remark as rules;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::review_remark;
use crate::error::StoreResult;

/// One remark, with its answer once given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemarkRecord {
    pub id: i64,
    pub project_id: i64,
    pub author_id: i64,
    /// The field path it is about, if any.
    pub field: Option<String>,
    /// The indicator it is about, if any (it may have been removed since).
    pub indicator_id: Option<i64>,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_by: Option<i64>,
}

impl From<review_remark::Model> for RemarkRecord {
    fn from(m: review_remark::Model) -> Self {
        RemarkRecord {
            id: m.id,
            project_id: m.project_id,
            author_id: m.author_id,
            field: Some(m.field).filter(|f| !f.is_empty()),
            indicator_id: m.indicator_id,
            text: m.text,
            created_at: m.created_at,
            answer: m.answer,
            answered_at: m.answered_at,
            answered_by: m.answered_by,
        }
    }
}

/// What stops project `project_id` from being submitted again: each remark not answered yet, at
/// `remarks[i]` (its place among the project's remarks, oldest first).
pub(crate) async fn unanswered<C: ConnectionTrait>(conn: &C, project_id: i64) -> StoreResult<Vec<Problem>> {
    let remarks = review_remark::Entity::find()
        .filter(review_remark::Column::ProjectId.eq(project_id))
        .order_by_asc(review_remark::Column::Id)
        .all(conn)
        .await?;
    Ok(remarks
        .iter()
        .enumerate()
        .filter(|(_, r)| r.answer.is_none())
        .map(|(i, r)| rules::unanswered(i, &r.text))
        .collect())
}
