//! A department's overall goals self-evaluated at year end: one per form, started once the goals
//! are approved, scored against the indicators in force and the form's 支出合计 in force by the
//! same rules as a project's (`evaluations::scoring::score_rows`), filled by the same rule
//! (`evaluations::writes::enter`), moved by a report's rules.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use jixiao_domain::evaluation::{Grade, Points, Scored};
use jixiao_domain::monitoring::{ReportAction, ReportStatus};
use jixiao_domain::{Indicator, Message, Money, ProblemCode, ReportOp, Status};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use sea_orm::{DatabaseTransaction, TransactionTrait};

use super::DepartmentGoalsStore;
use super::form::DepartmentGoalsForm;
use super::records::DepartmentGoalsRecord;
use super::report_records::{GoalsEvaluationForm, GoalsEvaluationRecord, GoalsReportStep, rows_in_force};
use super::reports::{budget_in_force, goals_of};
use crate::entity::department_goal_evaluation as evaluation;
use crate::error::{StoreError, StoreResult, allow, version_conflict};
use crate::evaluations::EvaluationChanges;
use crate::evaluations::scoring::score_rows;
use crate::evaluations::writes::{enter, json};
use crate::lifecycle::{StepRecord, compare_and_set, find_visible, not_now, reviewed_step, steps_of, visible};
use crate::monitoring::form::report_steps;

/// A self-evaluation scored, beside the rows in force it was scored against.
#[derive(Clone, Debug)]
pub struct GoalsEvaluationScores {
    pub scored: Scored,
    /// The indicators in force, with their row ids, in the form's order.
    pub rows: Vec<(i64, Indicator)>,
}

/// `e` scored against `rows`; with the problems that refuse a save and what blocks submission.
fn scored(
    rows: &[(i64, Indicator)],
    e: &GoalsEvaluationRecord,
) -> (Scored, Vec<jixiao_domain::Problem>, Vec<jixiao_domain::Problem>) {
    let (ids, indicators): (Vec<i64>, Vec<Indicator>) = rows.iter().cloned().unzip();
    score_rows(&ids, &indicators, &e.answers())
}

impl DepartmentGoalsStore<'_> {
    /// Starts the self-evaluation of APPROVED goals (one per form). The department's submitters.
    pub async fn start_evaluation(&self, goals_id: i64) -> StoreResult<GoalsEvaluationRecord> {
        let txn = self.db.begin().await?;
        let form = find_visible::<DepartmentGoalsForm, _>(&txn, &self.actor, goals_id).await?;
        // Whoever sees the form learns whether they may evaluate it (FORBIDDEN, not NOT_FOUND).
        allow(self.actor.decide_report(ReportOp::Fill, form.department_id, ReportStatus::Submitted))?;
        if form.status != Status::Approved {
            return Err(StoreError::problem(
                "goalsId",
                ProblemCode::InvalidTransition,
                Message::new(
                    format!("{}状态的部门整体绩效目标不能自评：只有已审核通过的可以自评", form.status.label()),
                    format!(
                        "{} department-wide goals cannot be self-evaluated; only APPROVED ones can",
                        form.status.code()
                    ),
                ),
            ));
        }
        // Two first starts racing: the second waits here and finds the first's.
        crate::row_lock::lock_key(&txn, "department_goal_evaluations", form.id).await?;
        let exists = evaluation::Entity::find().filter(evaluation::Column::GoalsId.eq(form.id)).one(&txn).await?;
        if exists.is_some() {
            return Err(StoreError::problem(
                "goalsId",
                ProblemCode::AlreadyExists,
                Message::new(
                    "该部门本年度已有整体绩效自评",
                    "these department-wide goals already have their self-evaluation",
                ),
            ));
        }
        let budget = budget_in_force(&txn, &form).await?;
        let fresh = GoalsEvaluationRecord {
            id: 0,
            goals_id: form.id,
            department_id: form.department_id,
            fiscal_year: form.fiscal_year,
            status: ReportStatus::Draft,
            version: 1,
            annual_request: budget,
            approved: budget,
            budget_executed: None,
            weights: None,
            results: BTreeMap::new(),
            total: Points(0),
            grade: Grade::Poor,
            submitted_at: None,
            updated_at: Utc::now(),
        };
        let (s, _, _) = scored(&rows_in_force(&form), &fresh);
        let now = Utc::now();
        let inserted = evaluation::Entity::insert(evaluation::ActiveModel {
            id: NotSet,
            goals_id: Set(form.id),
            department_id: Set(form.department_id),
            status: Set(ReportStatus::Draft.code().to_string()),
            version: Set(1),
            annual_request_fen: Set(budget.fen()),
            approved_fen: Set(budget.fen()),
            budget_executed_fen: Set(None),
            submitted_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            fiscal_year: Set(form.fiscal_year),
            weights: Set(None),
            results: Set("{}".to_string()),
            total_score: Set(s.total.0),
            grade: Set(s.grade.code().to_string()),
        })
        .exec_with_returning(&txn)
        .await?;
        self.commits.commit(txn).await?;
        Ok(inserted.try_into()?)
    }

    /// Self-evaluation `id`; NOT_FOUND when the actor may not see it.
    pub async fn evaluation(&self, id: i64) -> StoreResult<GoalsEvaluationRecord> {
        find_visible::<GoalsEvaluationForm, _>(self.db, &self.actor, id).await
    }

    /// The visible self-evaluation of each form among `goals_ids`.
    pub async fn evaluations_of(&self, goals_ids: &[i64]) -> StoreResult<HashMap<i64, GoalsEvaluationRecord>> {
        let rows = evaluation::Entity::find()
            .filter(
                visible::<GoalsEvaluationForm>(&self.actor)
                    .add(evaluation::Column::GoalsId.is_in(goals_ids.iter().copied())),
            )
            .all(self.db)
            .await?;
        rows.into_iter()
            .map(|r| GoalsEvaluationRecord::try_from(r).map(|e| (e.goals_id, e)).map_err(Into::into))
            .collect()
    }

    /// `e` scored against the indicators in force of `form`, the form it evaluates.
    pub fn evaluation_scores(e: &GoalsEvaluationRecord, form: &DepartmentGoalsRecord) -> GoalsEvaluationScores {
        let rows = rows_in_force(form);
        let (scored, _, _) = scored(&rows, e);
        GoalsEvaluationScores { scored, rows }
    }

    /// The newest steps of each self-evaluation among `ids` (read through
    /// [`Self::evaluation`] or [`Self::evaluations_of`]), oldest first.
    pub async fn evaluation_histories(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<GoalsReportStep>>> {
        steps_of::<GoalsEvaluationForm, _, _>(
            self.db,
            |column| column.is_in(ids.iter().copied()),
            |row| row.evaluation_id,
            |row| StepRecord::read(&row),
        )
        .await
    }

    /// The department fills its self-evaluation (DRAFT or RETURNED) at `expected_version`. What
    /// the scoring rules refuse is not saved.
    pub async fn update_evaluation(
        &self,
        id: i64,
        expected_version: i32,
        changes: EvaluationChanges,
    ) -> StoreResult<GoalsEvaluationRecord> {
        let txn = self.db.begin().await?;
        let mut e = find_visible::<GoalsEvaluationForm, _>(&txn, &self.actor, id).await?;
        allow(self.actor.decide_report(ReportOp::Fill, e.department_id, e.status))?;
        if !e.status.is_editable() {
            return Err(not_now::<GoalsEvaluationForm>(e.status, "修改", "changed"));
        }
        if e.version != expected_version {
            return Err(version_conflict());
        }
        let rows = rows_in_force(&goals_of(&txn, e.goals_id).await?);
        let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
        enter(changes, e.approved, &ids, &mut e.budget_executed, &mut e.weights, &mut e.results)?;
        let (s, problems, _) = scored(&rows, &e);
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
        let weights = e.weights.as_ref().map(json).transpose()?;
        let columns = vec![
            (evaluation::Column::BudgetExecutedFen, Expr::value(e.budget_executed.map(Money::fen))),
            (evaluation::Column::Weights, Expr::value(weights)),
            (evaluation::Column::Results, Expr::value(json(&e.results)?)),
            (evaluation::Column::TotalScore, Expr::value(s.total.0)),
            (evaluation::Column::Grade, Expr::value(s.grade.code())),
        ];
        compare_and_set::<GoalsEvaluationForm, _>(&txn, &e, columns, version_conflict).await?;
        let updated = find_visible::<GoalsEvaluationForm, _>(&txn, &self.actor, id).await?;
        self.commits.commit(txn).await?;
        Ok(updated)
    }

    /// Submits (the department: refused with everything still missing), accepts or returns
    /// (approvers, with a reason to return) a self-evaluation, and records the step.
    pub async fn step_evaluation(
        &self,
        id: i64,
        action: ReportAction,
        comment: &str,
    ) -> StoreResult<GoalsEvaluationRecord> {
        let txn = self.db.begin().await?;
        let lacking = async |txn: &DatabaseTransaction, e: &GoalsEvaluationRecord| {
            let rows = rows_in_force(&goals_of(txn, e.goals_id).await?);
            let (_, mut problems, incomplete) = scored(&rows, e);
            problems.extend(incomplete);
            Ok(problems)
        };
        let rules = report_steps::<GoalsEvaluationForm>();
        let updated = reviewed_step(&txn, &self.actor, id, action, comment, rules, lacking).await?;
        self.commits.commit(txn).await?;
        Ok(updated)
    }
}
