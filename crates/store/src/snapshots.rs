//! Targets in force: each approval keeps a snapshot of the declaration it approved (with its
//! rows' ids, so that what an adjustment changes can be told row by row), and cancelling an
//! adjustment puts the snapshot in force back.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jixiao_domain::{Declaration, DeclarationInput, FundItem, Indicator, Money, ReviewAction};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};

use crate::children::{Keep, rows_by_project};
use crate::entity::{project_snapshot, review, submission_snapshot};
use crate::error::{StoreError, StoreResult};
use crate::record::{ProjectRecord, Row};

/// One approved version of a project's declaration.
#[derive(Clone, Debug)]
pub struct SnapshotRecord {
    pub id: i64,
    pub project_id: i64,
    /// The project's version right after the approval.
    pub version: i32,
    pub approved_at: DateTime<Utc>,
    pub approved_by: Option<i64>,
    /// Why the targets were adjusted (empty for a first approval).
    pub reason: String,
    pub comment: String,
    pub declaration: Declaration,
    pub fund_item_ids: Vec<i64>,
    pub indicator_ids: Vec<i64>,
    /// 批复金额: what the approval granted (`None` for a submission kept, which grants nothing).
    pub approved_amount: Option<Money>,
}

/// A declaration with its rows' ids, as the current one is read or a snapshot is kept.
#[derive(Clone, Debug)]
pub struct IdentifiedDeclaration {
    pub declaration: Declaration,
    pub fund_item_ids: Vec<i64>,
    pub indicator_ids: Vec<i64>,
}

/// The declaration a snapshot keeps, with its rows' ids.
impl From<SnapshotRecord> for IdentifiedDeclaration {
    fn from(s: SnapshotRecord) -> IdentifiedDeclaration {
        IdentifiedDeclaration {
            declaration: s.declaration,
            fund_item_ids: s.fund_item_ids,
            indicator_ids: s.indicator_ids,
        }
    }
}

impl IdentifiedDeclaration {
    pub fn identified(&self) -> jixiao_domain::changes::Identified<'_> {
        jixiao_domain::changes::Identified {
            declaration: &self.declaration,
            fund_item_ids: &self.fund_item_ids,
            indicator_ids: &self.indicator_ids,
        }
    }
}

impl SnapshotRecord {
    pub fn identified(&self) -> jixiao_domain::changes::Identified<'_> {
        jixiao_domain::changes::Identified {
            declaration: &self.declaration,
            fund_item_ids: &self.fund_item_ids,
            indicator_ids: &self.indicator_ids,
        }
    }
}

/// The JSON a snapshot keeps: the form as entered (exactly what was approved) and the row ids.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    declaration: DeclarationInput,
    fund_item_ids: Vec<i64>,
    indicator_ids: Vec<i64>,
}

impl TryFrom<project_snapshot::Model> for SnapshotRecord {
    type Error = DbErr;

    fn try_from(m: project_snapshot::Model) -> Result<Self, DbErr> {
        let stored = decode(&m.declaration, m.id)?;
        // An approved declaration passed every check, so it reads back exactly.
        let declaration = stored.declaration.as_far_as_it_parses();
        Ok(SnapshotRecord {
            id: m.id,
            project_id: m.project_id,
            version: m.version,
            approved_at: m.approved_at,
            approved_by: m.approved_by,
            reason: m.reason,
            comment: m.comment,
            approved_amount: m.approved_fen.map(Money::from_fen).or(declaration.funds.annual_request),
            declaration,
            fund_item_ids: stored.fund_item_ids,
            indicator_ids: stored.indicator_ids,
        })
    }
}

/// The project's declaration as it is now, with its rows' ids, inside the caller's transaction.
pub(crate) async fn load_identified<C: ConnectionTrait>(
    conn: &C,
    p: &ProjectRecord,
) -> StoreResult<IdentifiedDeclaration> {
    let (mut items, mut indicators) = rows_of(conn, &[p.id]).await?;
    Ok(identified(p, items.remove(&p.id).unwrap_or_default(), indicators.remove(&p.id).unwrap_or_default()))
}

/// The fund items and the indicators of the projects `ids`, in form order, by project.
async fn rows_of<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> StoreResult<(RowsBy<FundItem>, RowsBy<Indicator>)> {
    let items = crate::children::fund_items_where(conn, |c| c.is_in(ids.iter().copied())).await?;
    let indicators = crate::children::indicators_where(conn, |c| c.is_in(ids.iter().copied())).await?;
    Ok((items, indicators))
}

type RowsBy<T> = HashMap<i64, Vec<Row<T>>>;

/// `p`'s declaration with these rows, and their ids.
fn identified(p: &ProjectRecord, items: Vec<Row<FundItem>>, indicators: Vec<Row<Indicator>>) -> IdentifiedDeclaration {
    IdentifiedDeclaration {
        fund_item_ids: items.iter().map(|r| r.id).collect(),
        indicator_ids: indicators.iter().map(|r| r.id).collect(),
        declaration: p.declaration(
            items.into_iter().map(|r| r.value).collect(),
            indicators.into_iter().map(|r| r.value).collect(),
        ),
    }
}

/// Keeps the declaration of `p` as approved at `version`.
pub(crate) async fn keep<C: ConnectionTrait>(
    conn: &C,
    p: &ProjectRecord,
    version: i32,
    approved: (DateTime<Utc>, Option<i64>),
    reason: &str,
    comment: &str,
) -> StoreResult<()> {
    let json = stored_json(load_identified(conn, p).await?)?;
    // What the approval granted; an approval of before migration 24 granted the request.
    let granted = p.approved_amount.or(p.funds.annual_request).unwrap_or_default();
    project_snapshot::Entity::insert(project_snapshot::ActiveModel {
        id: NotSet,
        project_id: Set(p.id),
        version: Set(version),
        approved_at: Set(approved.0),
        approved_by: Set(approved.1),
        reason: Set(reason.to_string()),
        comment: Set(comment.to_string()),
        declaration: Set(json),
        approved_fen: Set(Some(granted.fen())),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// Keeps `submitted` (the declaration of `p`, read in the submitting transaction) as submitted
/// at `version` (what the next submission is compared with).
pub(crate) async fn keep_submitted<C: ConnectionTrait>(
    conn: &C,
    p: &ProjectRecord,
    submitted: IdentifiedDeclaration,
    version: i32,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let json = stored_json(submitted)?;
    submission_snapshot::Entity::insert(submission_snapshot::ActiveModel {
        id: NotSet,
        project_id: Set(p.id),
        version: Set(version),
        submitted_at: Set(at),
        declaration: Set(json),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// The submissions of the projects `condition` keeps, oldest first, as snapshots dated by
/// their submission.
pub(crate) async fn submissions<C: ConnectionTrait>(
    conn: &C,
    condition: impl sea_orm::sea_query::IntoCondition,
) -> StoreResult<Vec<SnapshotRecord>> {
    let rows = submission_snapshot::Entity::find()
        .filter(condition)
        .order_by_asc(submission_snapshot::Column::Version)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|m| {
            let stored = decode(&m.declaration, m.id)?;
            Ok(SnapshotRecord {
                id: m.id,
                project_id: m.project_id,
                version: m.version,
                approved_at: m.submitted_at,
                approved_by: None,
                reason: String::new(),
                comment: String::new(),
                declaration: stored.declaration.as_far_as_it_parses(),
                fund_item_ids: stored.fund_item_ids,
                indicator_ids: stored.indicator_ids,
                approved_amount: None,
            })
        })
        .collect()
}

fn stored_json(current: IdentifiedDeclaration) -> StoreResult<String> {
    let stored = Stored {
        declaration: current.declaration.to_input(),
        fund_item_ids: current.fund_item_ids,
        indicator_ids: current.indicator_ids,
    };
    serde_json::to_string(&stored).map_err(|e| StoreError::Database(DbErr::Custom(e.to_string())))
}

fn decode(json: &str, id: i64) -> Result<Stored, DbErr> {
    serde_json::from_str(json).map_err(|e| DbErr::Custom(format!("snapshot {id} does not read: {e}")))
}

/// The snapshot in force of project `id`: its latest.
pub(crate) async fn in_force<C: ConnectionTrait>(conn: &C, id: i64) -> StoreResult<Option<SnapshotRecord>> {
    let row = project_snapshot::Entity::find()
        .filter(project_snapshot::Column::ProjectId.eq(id))
        .order_by_desc(project_snapshot::Column::Version)
        .one(conn)
        .await?;
    Ok(row.map(SnapshotRecord::try_from).transpose()?)
}

/// The declaration in force of an approved (or adjusting) project, with its rows' ids: its last
/// snapshot, or, for a project approved before snapshots were kept (frozen since), its own.
pub(crate) async fn in_force_declaration<C: ConnectionTrait>(
    conn: &C,
    p: &ProjectRecord,
) -> StoreResult<IdentifiedDeclaration> {
    Ok(match in_force(conn, p.id).await? {
        Some(s) => s.into(),
        None => load_identified(conn, p).await?,
    })
}

/// [`in_force_declaration`] of every project of `projects` at once, in a constant number of
/// statements whatever their number (a page of self-evaluations is scored with it): their
/// snapshots, then the rows of those that have none. Keyed by project id.
pub(crate) async fn in_force_declarations<C: ConnectionTrait>(
    conn: &C,
    projects: &[ProjectRecord],
) -> StoreResult<HashMap<i64, IdentifiedDeclaration>> {
    let ids: Vec<i64> = projects.iter().map(|p| p.id).collect();
    let mut out: HashMap<i64, IdentifiedDeclaration> =
        snapshots_of(conn, project_snapshot::Column::ProjectId.is_in(ids))
            .await?
            .into_iter()
            .filter_map(|(id, kept)| kept.into_iter().next_back().map(|s| (id, s.into())))
            .collect();
    let unkept: Vec<&ProjectRecord> = projects.iter().filter(|p| !out.contains_key(&p.id)).collect();
    if unkept.is_empty() {
        return Ok(out);
    }
    let unkept_ids: Vec<i64> = unkept.iter().map(|p| p.id).collect();
    let (mut items, mut indicators) = rows_of(conn, &unkept_ids).await?;
    for p in unkept {
        let items = items.remove(&p.id).unwrap_or_default();
        let indicators = indicators.remove(&p.id).unwrap_or_default();
        out.insert(p.id, identified(p, items, indicators));
    }
    Ok(out)
}

/// A project approved before snapshots were kept has none: the first adjustment keeps its
/// declaration as approved (unchanged since, being frozen), dated by its last approval.
pub(crate) async fn ensure_in_force<C: ConnectionTrait>(conn: &C, p: &ProjectRecord) -> StoreResult<()> {
    if in_force(conn, p.id).await?.is_some() {
        return Ok(());
    }
    let approval = review::Entity::find()
        .filter(review::Column::ProjectId.eq(p.id))
        .filter(review::Column::Action.eq(ReviewAction::Approve.code()))
        .order_by_desc(review::Column::Id)
        .one(conn)
        .await?;
    let (at, by, comment) = match approval {
        Some(r) => (r.at, Some(r.actor_id), r.comment),
        None => (p.updated_at, None, String::new()),
    };
    keep(conn, p, p.version, (at, by), "", &comment).await
}

/// The most approved snapshots a read returns per project (its newest, which include the one in
/// force): approvals come a few times a year, and one read stays bounded however many there were.
pub const SNAPSHOTS_SHOWN: u64 = 50;

/// The snapshots of the projects `projects` selects, oldest first, grouped by project: the last
/// [`SNAPSHOTS_SHOWN`] of each.
pub(crate) async fn snapshots_of<C: ConnectionTrait>(
    conn: &C,
    projects: impl sea_orm::sea_query::IntoCondition,
) -> StoreResult<HashMap<i64, Vec<SnapshotRecord>>> {
    rows_by_project::<project_snapshot::Entity, _, _>(
        conn,
        projects,
        project_snapshot::Column::Version,
        Keep::Newest { project: project_snapshot::Column::ProjectId, count: SNAPSHOTS_SHOWN },
        |r| r.project_id,
        SnapshotRecord::try_from,
    )
    .await
}

/// The reason given when the adjustment now being approved was started.
pub(crate) async fn adjustment_reason<C: ConnectionTrait>(conn: &C, project_id: i64) -> StoreResult<String> {
    let started = review::Entity::find()
        .filter(review::Column::ProjectId.eq(project_id))
        .filter(review::Column::Action.eq(ReviewAction::StartAdjustment.code()))
        .order_by_desc(review::Column::Id)
        .one(conn)
        .await?;
    Ok(started.map(|r| r.comment).unwrap_or_default())
}
