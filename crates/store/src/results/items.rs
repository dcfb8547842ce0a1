//! 整改事项: opened once, when a self-evaluation is accepted (the project graded 中 or 差, and each
//! row scored below 60% of its weight); answered by the department (its measure and due date),
//! closed by the bureau, or reopened with a reason: steps of the reviewed-form lifecycle
//! (`form.rs`), each a new version and a row of the item's history.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use jixiao_domain::rectification::{RectificationAction, check_step_comment};
use jixiao_domain::results::{RectificationStatus, check_item_text, rectification_items};
use jixiao_domain::{Message, ProblemCode, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};

use super::Results;
use super::form::RectificationForm;
use super::records::{ItemRecord, ItemStepRecord};
use crate::entity::rectification_item;
use crate::entity::rectification_item::Column as C;
use crate::error::{StoreError, StoreResult, allow};
use crate::evaluations::EvaluationRecord;
use crate::lifecycle::{ReviewedForm, Step, StepRecord, not_now, steps_of, take_step_writing};
use crate::snapshots::IdentifiedDeclaration;

/// Which items to list; every condition given holds.
#[derive(Clone, Debug, Default)]
pub struct ItemFilter {
    pub fiscal_year: Option<i32>,
    pub department_id: Option<i64>,
    pub project_id: Option<i64>,
    pub status: Option<RectificationStatus>,
    /// Only items still open past their due date (true), or the others (false).
    pub overdue: Option<bool>,
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
            submitted_at: Set(None),
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
        if let Some(wanted) = filter.overdue {
            let late = sea_orm::Condition::all()
                .add(C::Status.eq(RectificationStatus::Open.code()))
                .add(C::DueOn.is_not_null())
                .add(C::DueOn.lt(self.clock.today()));
            query = query.filter(if wanted { late } else { late.not() });
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
        let measure = check_item_text("measure", measure).map_err(|p| StoreError::Rejected(vec![p]))?;
        let answered = vec![(C::Measure, Expr::value(measure)), (C::DueOn, Expr::value(due_on))];
        self.step(id, version, RectificationAction::Answer, "", answered).await
    }

    /// Closes an answered item (approvers).
    pub async fn close(&self, id: i64, version: i32) -> StoreResult<ItemRecord> {
        self.step(id, version, RectificationAction::Close, "", Vec::new()).await
    }

    /// Reopens a closed item with the reason (approvers); the reason is the step's comment, and
    /// the item's last one.
    pub async fn reopen(&self, id: i64, version: i32, reason: &str) -> StoreResult<ItemRecord> {
        let reason = reason.trim();
        check_step_comment(RectificationAction::Reopen, reason).map_err(|p| StoreError::Rejected(vec![p]))?;
        self.step(id, version, RectificationAction::Reopen, reason, vec![(C::Reason, Expr::value(reason))]).await
    }

    /// Takes `action` on item `id`, still at `version`, writing `columns` with it: one step of the
    /// lifecycle (the domain's rule, compare-and-set, the history), announced at commit.
    async fn step(
        &self,
        id: i64,
        version: i32,
        action: RectificationAction,
        comment: &str,
        columns: Vec<(C, sea_orm::sea_query::SimpleExpr)>,
    ) -> StoreResult<ItemRecord> {
        let txn = self.db.begin().await?;
        let item = self.item(&txn, id).await?;
        allow(RectificationForm::decide(&self.actor, action, item.department_id, item.status))?;
        let Some(to) = item.status.after(action) else {
            return Err(not_now::<RectificationForm>(item.status, action.label(), action.past_tense()));
        };
        if item.version != version {
            return Err(changed_meanwhile());
        }
        let step = Step::<RectificationForm> {
            form_id: id,
            action,
            from: item.status,
            to,
            actor_id: self.actor.user_id,
            comment,
            at: Utc::now(),
        };
        take_step_writing::<RectificationForm, _>(&txn, &item, &step, (), columns, changed_meanwhile).await?;
        let written = self.item(&txn, id).await?;
        announce(&txn, item.project_id).await?;
        self.commits.commit(txn).await?;
        Ok(written)
    }

    /// The history of each item among `ids` (items the caller has read): its steps, oldest first.
    pub async fn item_steps_of(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<ItemStepRecord>>> {
        steps_of::<RectificationForm, _, _>(
            self.db,
            |c| c.is_in(ids.iter().copied()),
            |r| r.item_id,
            |r| StepRecord::read(&r),
        )
        .await
    }
}

/// VERSION_CONFLICT: someone changed the item since the caller read it.
fn changed_meanwhile() -> StoreError {
    StoreError::problem(
        "expectedVersion",
        ProblemCode::VersionConflict,
        Message::new("整改事项已被他人修改：请刷新后重试", "the item was changed meanwhile: reload it and try again"),
    )
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
