//! Saving a department's overall goals: the whole form (created on its first save), or one
//! indicator row at a time. Every write is one compare-and-set on the form's row at the version
//! the client loaded; the form after it is checked whole (what a draft may hold), and its rows
//! keep their ids.

use jixiao_domain::department_goals::{DepartmentGoalsInput, GoalIndicatorInput};
use jixiao_domain::{Message, Problem, ProblemCode, ProjectOp, Status};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, DatabaseTransaction, EntityTrait, TransactionTrait};

use super::DepartmentGoalsStore;
use super::form::DepartmentGoalsForm;
use super::records::{DepartmentGoalsRecord, StoredGoals};
use crate::entity::{department, department_goal as goals};
use crate::error::{StoreError, StoreResult, allow, version_conflict};
use crate::lifecycle::{FormColumn, compare_and_set, find_visible};

/// A whole form as saved: the content, and for each indicator row the id it keeps (`None`: a
/// new row).
pub struct SaveGoals {
    pub input: DepartmentGoalsInput,
    pub indicator_ids: Vec<Option<i64>>,
}

/// One edit of one indicator row. `position` is where the row goes, from 0; past the end (or
/// none, for an added row) means last.
pub enum GoalRowEdit {
    Add { position: Option<usize>, row: GoalIndicatorInput },
    Update { row_id: i64, row: GoalIndicatorInput },
    Remove { row_id: i64 },
    Move { row_id: i64, position: usize },
}

impl DepartmentGoalsStore<'_> {
    /// Saves the department's form of `fiscal_year` whole. With no form yet it is created
    /// (`expected_version` none, DRAFT, version 1); an existing one is replaced at
    /// `expected_version`, while it is editable (DRAFT, REJECTED, ADJUSTING). Who may write is
    /// decided before the input is read.
    pub async fn save(
        &self,
        department_id: i64,
        fiscal_year: i32,
        expected_version: Option<i32>,
        save: SaveGoals,
    ) -> StoreResult<DepartmentGoalsRecord> {
        check_year(fiscal_year)?;
        if save.indicator_ids.len() != save.input.indicators.len() {
            return Err(StoreError::Database(sea_orm::DbErr::Custom("one id (or none) per indicator row".into())));
        }
        let txn = self.db.begin().await?;
        let existing = self.of_department_in(&txn, department_id, fiscal_year).await?;
        let record = match existing {
            None => {
                if expected_version.is_some() {
                    return Err(version_conflict());
                }
                self.create(&txn, department_id, fiscal_year, &save).await?
            }
            Some(form) => {
                self.ensure_editable(&form, expected_version)?;
                let checked = checked(&save.input)?;
                let mut next = form.next_row_id;
                let ids = keep_ids(&form.indicator_ids, &save.indicator_ids, &mut next)?;
                self.write(&txn, &form, &StoredGoals::of(&checked, &ids), next).await?
            }
        };
        self.commits.commit(txn).await?;
        Ok(record)
    }

    /// One edit of one indicator row of form `id`, at `expected_version`.
    pub async fn edit_indicator(
        &self,
        id: i64,
        expected_version: i32,
        edit: GoalRowEdit,
    ) -> StoreResult<DepartmentGoalsRecord> {
        let txn = self.db.begin().await?;
        let form = find_visible::<DepartmentGoalsForm, _>(&txn, &self.actor, id).await?;
        self.ensure_editable(&form, Some(expected_version))?;
        let mut stored = form.stored();
        let mut next = form.next_row_id;
        let rows = &mut stored.indicators;
        let at = |row_id: i64, rows: &[super::records::StoredIndicator]| {
            rows.iter().position(|r| r.id == row_id).ok_or_else(|| no_such_row(row_id))
        };
        match edit {
            GoalRowEdit::Add { position, row } => {
                let position = position.unwrap_or(rows.len()).min(rows.len());
                rows.insert(position, super::records::StoredIndicator { id: next, row });
                next += 1;
            }
            GoalRowEdit::Update { row_id, row } => {
                let n = at(row_id, rows)?;
                rows[n].row = row;
            }
            GoalRowEdit::Remove { row_id } => {
                let n = at(row_id, rows)?;
                rows.remove(n);
            }
            GoalRowEdit::Move { row_id, position } => {
                let n = at(row_id, rows)?;
                let row = rows.remove(n);
                rows.insert(position.min(rows.len()), row);
            }
        }
        let ids: Vec<i64> = stored.indicators.iter().map(|i| i.id).collect();
        let stored = StoredGoals::of(&checked(&stored.input())?, &ids);
        let record = self.write(&txn, &form, &stored, next).await?;
        self.commits.commit(txn).await?;
        Ok(record)
    }

    pub(super) async fn of_department_in(
        &self,
        txn: &DatabaseTransaction,
        department_id: i64,
        fiscal_year: i32,
    ) -> StoreResult<Option<DepartmentGoalsRecord>> {
        use sea_orm::{ColumnTrait, QueryFilter};
        let row = goals::Entity::find()
            .filter(goals::Column::DepartmentId.eq(department_id))
            .filter(goals::Column::FiscalYear.eq(fiscal_year))
            .one(txn)
            .await?;
        match row {
            // Another department's form exists or not alike for whoever may not see it.
            Some(row) => {
                let form = DepartmentGoalsRecord::try_from(row)?;
                if !self.actor.can_see(form.department_id, form.status) {
                    return Err(StoreError::NotFound);
                }
                Ok(Some(form))
            }
            None => Ok(None),
        }
    }

    fn ensure_editable(&self, form: &DepartmentGoalsRecord, expected_version: Option<i32>) -> StoreResult<()> {
        allow(self.actor.decide(ProjectOp::Edit, form.department_id, form.status))?;
        if !form.status.is_editable() {
            return Err(StoreError::problem(
                "id",
                ProblemCode::InvalidTransition,
                Message::new(
                    format!(
                        "{}的部门整体绩效目标不能修改：只有草稿、已退回或调整中的可以修改（已批复的请先申请调整）",
                        form.status.label()
                    ),
                    format!(
                        "{} department-wide goals cannot be changed; only DRAFT, REJECTED or ADJUSTING ones can (adjust approved ones first)",
                        form.status.code()
                    ),
                ),
            ));
        }
        if expected_version != Some(form.version) {
            return Err(version_conflict());
        }
        Ok(())
    }

    async fn create(
        &self,
        txn: &DatabaseTransaction,
        department_id: i64,
        fiscal_year: i32,
        save: &SaveGoals,
    ) -> StoreResult<DepartmentGoalsRecord> {
        allow(self.actor.may_create_project_in(Some(department_id)))?;
        if department::Entity::find_by_id(department_id).one(txn).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        // What a draft may hold, once the actor may write it (a refusal says nothing of the input).
        let checked = checked(&save.input)?;
        if save.indicator_ids.iter().any(Option::is_some) {
            return Err(no_such_row(save.indicator_ids.iter().flatten().next().copied().unwrap_or_default()));
        }
        let ids: Vec<i64> = (1..=save.input.indicators.len() as i64).collect();
        let stored = StoredGoals::of(&checked, &ids);
        let now = crate::projects::stored_now();
        let mut row = goals::ActiveModel {
            id: NotSet,
            department_id: Set(department_id),
            fiscal_year: Set(fiscal_year),
            status: Set(Status::Draft.code().to_string()),
            version: Set(1),
            next_row_id: Set(ids.len() as i64 + 1),
            in_force: Set(None),
            submitted_at: Set(None),
            approved_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        content(&mut row, &stored)?;
        let inserted = goals::Entity::insert(row).exec_with_returning(txn).await.map_err(|e| match e.sql_err() {
            // Two first saves at once: the second finds the first's form and must reload.
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => version_conflict(),
            _ => StoreError::Database(e),
        })?;
        Ok(DepartmentGoalsRecord::try_from(inserted)?)
    }

    /// Writes `stored` over `form` (as read) by compare-and-set, and reads it back.
    pub(super) async fn write(
        &self,
        txn: &DatabaseTransaction,
        form: &DepartmentGoalsRecord,
        stored: &StoredGoals,
        next_row_id: i64,
    ) -> StoreResult<DepartmentGoalsRecord> {
        let mut columns = content_columns(stored)?;
        columns.push((goals::Column::NextRowId, Expr::value(next_row_id)));
        compare_and_set::<DepartmentGoalsForm, _>(txn, form, columns, version_conflict).await?;
        let row = goals::Entity::find_by_id(form.id).one(txn).await?.ok_or(StoreError::NotFound)?;
        Ok(DepartmentGoalsRecord::try_from(row)?)
    }
}

/// The input as it is kept: checked, and as the check reads it (texts trimmed, each project of a
/// task and each task an indicator measures once), so that what is stored is bounded by the
/// form's limits whatever the input repeated.
fn checked(input: &DepartmentGoalsInput) -> StoreResult<DepartmentGoalsInput> {
    Ok(input.check().map_err(StoreError::Rejected)?.to_input())
}

/// The columns that hold the form's content.
pub(super) fn content_columns(stored: &StoredGoals) -> StoreResult<Vec<(FormColumn<DepartmentGoalsForm>, SimpleExpr)>> {
    let json = |e: serde_json::Error| StoreError::Database(sea_orm::DbErr::Custom(e.to_string()));
    use goals::Column as C;
    Ok(vec![
        (C::Functions, Expr::value(stored.functions.clone())),
        (C::OverallGoal, Expr::value(stored.overall_goal.clone())),
        (C::Tasks, Expr::value(serde_json::to_string(&stored.tasks).map_err(json)?)),
        (C::PersonnelFen, Expr::value(stored.personnel_fen)),
        (C::PublicFen, Expr::value(stored.public_fen)),
        (C::ProjectExpenditureFen, Expr::value(stored.project_expenditure_fen)),
        (C::IncomeFiscalFen, Expr::value(stored.income_fiscal_fen)),
        (C::IncomeOtherFen, Expr::value(stored.income_other_fen)),
        (C::IndicatorFramework, Expr::value(stored.indicator_framework.map(|f| f.code().to_string()))),
        (C::Indicators, Expr::value(serde_json::to_string(&stored.indicators).map_err(json)?)),
    ])
}

fn content(row: &mut goals::ActiveModel, stored: &StoredGoals) -> StoreResult<()> {
    let json = |e: serde_json::Error| StoreError::Database(sea_orm::DbErr::Custom(e.to_string()));
    row.functions = Set(stored.functions.clone());
    row.overall_goal = Set(stored.overall_goal.clone());
    row.tasks = Set(serde_json::to_string(&stored.tasks).map_err(json)?);
    row.personnel_fen = Set(stored.personnel_fen);
    row.public_fen = Set(stored.public_fen);
    row.project_expenditure_fen = Set(stored.project_expenditure_fen);
    row.income_fiscal_fen = Set(stored.income_fiscal_fen);
    row.income_other_fen = Set(stored.income_other_fen);
    row.indicator_framework = Set(stored.indicator_framework.map(|f| f.code().to_string()));
    row.indicators = Set(serde_json::to_string(&stored.indicators).map_err(json)?);
    Ok(())
}

/// The ids the saved rows get: an id the form has is kept (once), a new row gets the next one.
fn keep_ids(has: &[i64], wanted: &[Option<i64>], next: &mut i64) -> StoreResult<Vec<i64>> {
    let mut seen = std::collections::BTreeSet::new();
    wanted
        .iter()
        .map(|id| match id {
            Some(id) if has.contains(id) && seen.insert(*id) => Ok(*id),
            Some(id) => Err(no_such_row(*id)),
            None => {
                *next += 1;
                Ok(*next - 1)
            }
        })
        .collect()
}

fn no_such_row(row_id: i64) -> StoreError {
    StoreError::Rejected(vec![Problem::new(
        "indicators",
        ProblemCode::InvalidInput,
        Message::new(
            format!("本表没有编号为 {row_id} 的指标行（或重复引用）：请刷新后重试"),
            format!("the form has no indicator row {row_id} (or it is named twice): reload and try again"),
        ),
    )])
}

fn check_year(fiscal_year: i32) -> StoreResult<()> {
    if jixiao_domain::declaration::FISCAL_YEARS.contains(&fiscal_year) {
        return Ok(());
    }
    Err(StoreError::problem(
        "fiscalYear",
        ProblemCode::InvalidInput,
        Message::new(
            format!("预算年度 {fiscal_year} 不在可申报的范围内"),
            format!("fiscal year {fiscal_year} is outside the years that can be declared"),
        ),
    ))
}
