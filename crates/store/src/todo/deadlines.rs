//! The year's deadlines: set by the bureau per stage for every department, extended for one
//! department, every change kept with who and when.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_domain::todo::{DeadlineStage, check_deadline};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};

use super::Todo;
use crate::entity::{deadline, deadline_change};
use crate::error::{StoreError, StoreResult, allow};
use crate::row_lock::lock_key;

/// Changes of a year's deadlines one read lists (the most recent).
pub const MAX_CHANGES_LISTED: u64 = 1000;

/// A stage's deadline of a year, for every department or one (an extension).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlineRecord {
    pub fiscal_year: i32,
    pub stage: DeadlineStage,
    /// `None`: every department.
    pub department_id: Option<i64>,
    pub due_on: NaiveDate,
    pub set_by: i64,
    pub set_at: DateTime<Utc>,
}

/// One change of a deadline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlineChange {
    pub id: i64,
    pub fiscal_year: i32,
    pub stage: DeadlineStage,
    pub department_id: Option<i64>,
    /// `None`: set for the first time.
    pub due_before: Option<NaiveDate>,
    /// `None`: an extension withdrawn (or a deadline cleared).
    pub due_after: Option<NaiveDate>,
    pub changed_by: i64,
    pub changed_at: DateTime<Utc>,
}

fn stage_of(code: &str) -> StoreResult<DeadlineStage> {
    DeadlineStage::from_code(code)
        .ok_or_else(|| StoreError::Database(sea_orm::DbErr::Custom(format!("a deadline of an unknown stage {code}"))))
}

impl TryFrom<deadline::Model> for DeadlineRecord {
    type Error = StoreError;
    fn try_from(m: deadline::Model) -> StoreResult<DeadlineRecord> {
        Ok(DeadlineRecord {
            fiscal_year: m.fiscal_year,
            stage: stage_of(&m.stage)?,
            department_id: m.department_id,
            due_on: m.due_on,
            set_by: m.set_by,
            set_at: m.set_at,
        })
    }
}

impl TryFrom<deadline_change::Model> for DeadlineChange {
    type Error = StoreError;
    fn try_from(m: deadline_change::Model) -> StoreResult<DeadlineChange> {
        Ok(DeadlineChange {
            id: m.id,
            fiscal_year: m.fiscal_year,
            stage: stage_of(&m.stage)?,
            department_id: m.department_id,
            due_before: m.due_before,
            due_after: m.due_after,
            changed_by: m.changed_by,
            changed_at: m.changed_at,
        })
    }
}

fn same_scope(fiscal_year: i32, stage: DeadlineStage, department_id: Option<i64>) -> Condition {
    let department = match department_id {
        Some(id) => deadline::Column::DepartmentId.eq(id),
        None => deadline::Column::DepartmentId.is_null(),
    };
    Condition::all()
        .add(deadline::Column::FiscalYear.eq(fiscal_year))
        .add(deadline::Column::Stage.eq(stage.code()))
        .add(department)
}

impl Todo<'_> {
    /// Sets (or with `due_on` `None` clears) the deadline of `stage` in `fiscal_year`, for every
    /// department or as `department_id`'s extension; records the change (none when the date is
    /// the same). Approvers and admins. Answers the year's deadlines after it.
    pub async fn set_deadline(
        &self,
        fiscal_year: i32,
        stage: DeadlineStage,
        department_id: Option<i64>,
        due_on: Option<NaiveDate>,
    ) -> StoreResult<Vec<DeadlineRecord>> {
        allow(self.actor.may_set_deadlines())?;
        check_deadline(stage, fiscal_year, due_on).map_err(|p| StoreError::Rejected(vec![p]))?;
        let txn = self.db.begin().await?;
        if let Some(id) = department_id {
            crate::organization::require_department(&txn, id).await?;
        }
        // Two setters of the same year take turns, so that a change's "before" is what it replaced.
        lock_key(&txn, "deadlines", i64::from(fiscal_year)).await?;
        let existing = deadline::Entity::find().filter(same_scope(fiscal_year, stage, department_id)).one(&txn).await?;
        let before = existing.as_ref().map(|d| d.due_on);
        if before != due_on {
            let now = Utc::now();
            match (existing, due_on) {
                (Some(row), Some(due)) => {
                    let mut row: deadline::ActiveModel = row.into();
                    row.due_on = Set(due);
                    row.set_by = Set(self.actor.user_id);
                    row.set_at = Set(now);
                    row.update(&txn).await?;
                }
                (None, Some(due)) => {
                    deadline::ActiveModel {
                        id: NotSet,
                        fiscal_year: Set(fiscal_year),
                        stage: Set(stage.code().to_string()),
                        department_id: Set(department_id),
                        due_on: Set(due),
                        set_by: Set(self.actor.user_id),
                        set_at: Set(now),
                    }
                    .insert(&txn)
                    .await?;
                }
                (Some(row), None) => {
                    deadline::Entity::delete_by_id(row.id).exec(&txn).await?;
                }
                (None, None) => {}
            }
            deadline_change::ActiveModel {
                id: NotSet,
                fiscal_year: Set(fiscal_year),
                stage: Set(stage.code().to_string()),
                department_id: Set(department_id),
                due_before: Set(before),
                due_after: Set(due_on),
                changed_by: Set(self.actor.user_id),
                changed_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
        let after = self.deadlines_in(&txn, fiscal_year).await?;
        self.commits.commit(txn).await?;
        Ok(after)
    }

    /// The deadlines of `fiscal_year` the caller works to: every one for the bureau, the general
    /// ones and their own department's extensions for a department's users.
    pub async fn deadlines(&self, fiscal_year: i32) -> StoreResult<Vec<DeadlineRecord>> {
        self.deadlines_in(self.db, fiscal_year).await
    }

    async fn deadlines_in<C: sea_orm::ConnectionTrait>(
        &self,
        conn: &C,
        fiscal_year: i32,
    ) -> StoreResult<Vec<DeadlineRecord>> {
        let rows = deadline::Entity::find()
            .filter(deadline::Column::FiscalYear.eq(fiscal_year))
            .order_by_asc(deadline::Column::Id)
            .all(conn)
            .await?;
        let mut records = rows
            .into_iter()
            .filter(|d| d.department_id.is_none_or(|id| self.actor.follows_department(id)))
            .map(DeadlineRecord::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        let position = |s: DeadlineStage| DeadlineStage::ALL.iter().position(|x| *x == s);
        records.sort_by_key(|d| (position(d.stage), d.department_id.is_some(), d.department_id));
        Ok(records)
    }

    /// The last [`MAX_CHANGES_LISTED`] changes of `fiscal_year`'s deadlines, oldest first (the
    /// bureau's).
    pub async fn deadline_changes(&self, fiscal_year: i32) -> StoreResult<Vec<DeadlineChange>> {
        allow(self.actor.may_set_deadlines())?;
        let mut changes = deadline_change::Entity::find()
            .filter(deadline_change::Column::FiscalYear.eq(fiscal_year))
            .order_by_desc(deadline_change::Column::Id)
            .limit(MAX_CHANGES_LISTED)
            .all(self.db)
            .await?
            .into_iter()
            .map(DeadlineChange::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        changes.reverse();
        Ok(changes)
    }
}
