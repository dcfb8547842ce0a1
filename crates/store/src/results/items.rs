//! 整改事项: opened once, when a self-evaluation is accepted (the project graded 中 or 差, and each
//! row scored below 60% of its weight); answered by the department (its measure and due date),
//! closed by the bureau, or reopened with a reason. Each change is a new version.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_domain::results::{RectificationStatus, check_item_text, rectification_items};
use jixiao_domain::{Message, ProblemCode, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};

use super::Results;
use crate::entity::rectification_item;
use crate::error::{StoreError, StoreResult};
use crate::evaluations::EvaluationRecord;
use crate::snapshots::IdentifiedDeclaration;

/// An item as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRecord {
    pub id: i64,
    pub project_id: i64,
    pub evaluation_id: i64,
    pub department_id: i64,
    pub fiscal_year: i32,
    pub indicator_id: Option<i64>,
    pub problem: String,
    pub measure: String,
    pub due_on: Option<NaiveDate>,
    pub status: RectificationStatus,
    pub version: i32,
    pub reason: String,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<rectification_item::Model> for ItemRecord {
    type Error = sea_orm::DbErr;
    fn try_from(m: rectification_item::Model) -> Result<ItemRecord, sea_orm::DbErr> {
        Ok(ItemRecord {
            status: RectificationStatus::from_code(&m.status)
                .ok_or_else(|| sea_orm::DbErr::Type(format!("unknown rectification status {:?}", m.status)))?,
            id: m.id,
            project_id: m.project_id,
            evaluation_id: m.evaluation_id,
            department_id: m.department_id,
            fiscal_year: m.fiscal_year,
            indicator_id: m.indicator_id,
            problem: m.problem,
            measure: m.measure,
            due_on: m.due_on,
            version: m.version,
            reason: m.reason,
            updated_at: m.updated_at,
        })
    }
}

/// Which items to list; every condition given holds.
#[derive(Clone, Debug, Default)]
pub struct ItemFilter {
    pub fiscal_year: Option<i32>,
    pub department_id: Option<i64>,
    pub project_id: Option<i64>,
    pub status: Option<RectificationStatus>,
}

/// The most items one page of `rectifications` answers.
pub const MAX_ITEMS_LISTED: u64 = 100;

/// The most items one project has: one for the project, one per indicator row.
pub const MAX_ITEMS_PER_PROJECT: u64 = 1 + jixiao_domain::indicator::MAX_INDICATORS as u64;

/// Items of project `project_id` not closed yet.
pub(crate) async fn open_items_of<C: ConnectionTrait>(conn: &C, project_id: i64) -> StoreResult<u64> {
    Ok(rectification_item::Entity::find()
        .filter(rectification_item::Column::ProjectId.eq(project_id))
        .filter(rectification_item::Column::Status.ne(RectificationStatus::Closed.code()))
        .count(conn)
        .await?)
}

/// Opens the items of an evaluation just accepted (in its transaction), scored against `d`, the
/// declaration in force. Accepting is final, so this runs once per evaluation.
pub(crate) async fn open_items<C: ConnectionTrait>(
    conn: &C,
    e: &EvaluationRecord,
    d: &IdentifiedDeclaration,
    scored: &jixiao_domain::evaluation::Scored,
) -> StoreResult<()> {
    let rows: Vec<(&str, _, _)> = d
        .declaration
        .indicators
        .iter()
        .zip(&scored.indicators)
        .map(|(i, s)| (i.name.as_str(), s.weight, s.score))
        .collect();
    let now = Utc::now();
    let drafts = rectification_items(scored.grade, scored.total, &rows);
    if !drafts.is_empty() {
        announce(conn, e.project_id).await?;
    }
    for draft in drafts {
        rectification_item::Entity::insert(rectification_item::ActiveModel {
            id: NotSet,
            project_id: Set(e.project_id),
            evaluation_id: Set(e.id),
            department_id: Set(e.department_id),
            fiscal_year: Set(e.fiscal_year),
            indicator_id: Set(draft.indicator.and_then(|n| d.indicator_ids.get(n).copied())),
            problem: Set(draft.problem),
            measure: Set(String::new()),
            due_on: Set(None),
            status: Set(RectificationStatus::Open.code().to_string()),
            version: Set(1),
            reason: Set(String::new()),
            updated_at: Set(now),
        })
        .exec(conn)
        .await?;
    }
    Ok(())
}

impl Results<'_> {
    /// The items the filter selects that the caller follows (its department's, or every one for
    /// the bureau), oldest first, at most `first` after `after`.
    pub async fn items(&self, filter: &ItemFilter, after: Option<i64>, first: u64) -> StoreResult<Vec<ItemRecord>> {
        use rectification_item::Column as C;
        let mut query = rectification_item::Entity::find();
        if let Some(y) = filter.fiscal_year {
            query = query.filter(C::FiscalYear.eq(y));
        }
        if let Some(d) = filter.department_id {
            query = query.filter(C::DepartmentId.eq(d));
        }
        if let Some(p) = filter.project_id {
            query = query.filter(C::ProjectId.eq(p));
        }
        if let Some(s) = filter.status {
            query = query.filter(C::Status.eq(s.code()));
        }
        if let Some(after) = after {
            query = query.filter(C::Id.gt(after));
        }
        query = match self.actor.role {
            Role::Approver | Role::Admin => query,
            Role::Submitter | Role::DepartmentReviewer => {
                query.filter(C::DepartmentId.eq(self.actor.department_id.unwrap_or(-1)))
            }
            Role::SecurityAuditor => return Ok(vec![]),
        };
        let rows = query.order_by_asc(C::Id).limit(first).all(self.db).await?;
        Ok(rows.into_iter().map(ItemRecord::try_from).collect::<Result<_, _>>()?)
    }

    /// An item the caller follows, or NotFound.
    pub async fn item_by_id(&self, id: i64) -> StoreResult<ItemRecord> {
        self.item(self.db, id).await
    }

    /// An item the caller follows, in `conn`, or NotFound.
    async fn item<C: ConnectionTrait>(&self, conn: &C, id: i64) -> StoreResult<ItemRecord> {
        let row = rectification_item::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
        let item = ItemRecord::try_from(row)?;
        if !self.follows(item.department_id) {
            return Err(StoreError::NotFound);
        }
        Ok(item)
    }

    /// Answers an item (the department's submitters): its measure and due date; again while not
    /// closed.
    pub async fn answer(&self, id: i64, version: i32, measure: &str, due_on: NaiveDate) -> StoreResult<ItemRecord> {
        let txn = self.db.begin().await?;
        let item = self.item(&txn, id).await?;
        if !(self.actor.role == Role::Submitter && self.actor.department_id == Some(item.department_id)) {
            return Err(StoreError::Forbidden(Message::new(
                "整改措施由项目所在部门的申报人员填写",
                "the project's department's submitters answer its rectification items",
            )));
        }
        if item.status == RectificationStatus::Closed {
            return Err(not_now(item.status));
        }
        let measure = check_item_text("measure", measure).map_err(|p| StoreError::Rejected(vec![p]))?;
        let changed = vec![
            (rectification_item::Column::Measure, Expr::value(measure)),
            (rectification_item::Column::DueOn, Expr::value(due_on)),
            (rectification_item::Column::Status, Expr::value(RectificationStatus::Answered.code())),
        ];
        self.write(txn, item, version, changed).await
    }

    /// Closes an answered item (approvers).
    pub async fn close(&self, id: i64, version: i32) -> StoreResult<ItemRecord> {
        let txn = self.db.begin().await?;
        let item = self.item(&txn, id).await?;
        self.ensure_reviewer()?;
        if item.status != RectificationStatus::Answered {
            return Err(not_now(item.status));
        }
        let changed = vec![(rectification_item::Column::Status, Expr::value(RectificationStatus::Closed.code()))];
        self.write(txn, item, version, changed).await
    }

    /// Reopens a closed item with the reason (approvers).
    pub async fn reopen(&self, id: i64, version: i32, reason: &str) -> StoreResult<ItemRecord> {
        let txn = self.db.begin().await?;
        let item = self.item(&txn, id).await?;
        self.ensure_reviewer()?;
        if item.status != RectificationStatus::Closed {
            return Err(not_now(item.status));
        }
        let reason = check_item_text("reason", reason).map_err(|p| StoreError::Rejected(vec![p]))?;
        let changed = vec![
            (rectification_item::Column::Status, Expr::value(RectificationStatus::Open.code())),
            (rectification_item::Column::Reason, Expr::value(reason)),
        ];
        self.write(txn, item, version, changed).await
    }

    fn ensure_reviewer(&self) -> StoreResult<()> {
        if self.actor.role == Role::Approver {
            return Ok(());
        }
        Err(StoreError::Forbidden(Message::new(
            "整改事项由审核人员办结或重新打开",
            "approvers close and reopen rectification items",
        )))
    }

    /// Writes `changed` if the item is still at `version`, as its next version.
    async fn write(
        &self,
        txn: sea_orm::DatabaseTransaction,
        item: ItemRecord,
        version: i32,
        mut changed: Vec<(rectification_item::Column, sea_orm::sea_query::SimpleExpr)>,
    ) -> StoreResult<ItemRecord> {
        use rectification_item::Column as C;
        changed.push((C::Version, Expr::value(item.version + 1)));
        changed.push((C::UpdatedAt, Expr::value(Utc::now())));
        let mut update = rectification_item::Entity::update_many();
        for (column, value) in changed {
            update = update.col_expr(column, value);
        }
        let done = update.filter(C::Id.eq(item.id)).filter(C::Version.eq(version)).exec(&txn).await?;
        if done.rows_affected == 0 {
            return Err(StoreError::problem(
                "expectedVersion",
                ProblemCode::VersionConflict,
                Message::new(
                    "整改事项已被他人修改：请刷新后重试",
                    "the item was changed meanwhile: reload it and try again",
                ),
            ));
        }
        let written = self.item(&txn, item.id).await?;
        announce(&txn, item.project_id).await?;
        self.commits.commit(txn).await?;
        Ok(written)
    }
}

/// Tells subscribers on every instance that a project's items changed (`rectify:<project>` on
/// `jixiao_events`, sent at commit; PostgreSQL only, as the acts of publication are).
async fn announce<C: ConnectionTrait>(conn: &C, project_id: i64) -> StoreResult<()> {
    if conn.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    let sql = "SELECT pg_notify($1, 'rectify:' || $2)";
    let values = [crate::events::CHANNEL.into(), project_id.to_string().into()];
    conn.execute_raw(sea_orm::Statement::from_sql_and_values(sea_orm::DatabaseBackend::Postgres, sql, values)).await?;
    Ok(())
}

fn not_now(status: RectificationStatus) -> StoreError {
    StoreError::problem(
        "id",
        ProblemCode::InvalidTransition,
        Message::new(
            format!("{}的整改事项不能这样处理", status.label()),
            format!("a {} rectification item cannot take this step", status.code()),
        ),
    )
}
