//! Starting a self-evaluation, filling it, and moving it along its steps.

use std::collections::BTreeMap;

use chrono::Utc;
use jixiao_domain::evaluation::{Grade, IndicatorResult, Points};
use jixiao_domain::monitoring::{ReportAction, ReportStatus};
use jixiao_domain::{Message, Money, ProblemCode, ReportOp, Status};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, TransactionTrait,
};
use serde::Serialize;

use super::Evaluations;
use super::form::EvaluationForm;
use super::records::{EvaluationChanges, EvaluationRecord, StoredWeights};
use super::scoring::scored;
use crate::entity::{project, self_evaluation};
use crate::error::{StoreError, StoreResult, allow, version_conflict};
use crate::lifecycle::{compare_and_set, find_visible, not_now, reviewed_step};
use crate::monitoring::form::report_steps;
use crate::record::ProjectRecord;

impl Evaluations<'_> {
    async fn project_of<C: ConnectionTrait>(conn: &C, project_id: i64) -> StoreResult<ProjectRecord> {
        let p = project::Entity::find_by_id(project_id).one(conn).await?.ok_or(StoreError::NotFound)?;
        Ok(ProjectRecord::try_from(p)?)
    }

    /// Starts the self-evaluation of an APPROVED project (one per project). The unit's submitters.
    pub async fn start(&self, project_id: i64) -> StoreResult<EvaluationRecord> {
        let txn = self.db.begin().await?;
        let row = project::Entity::find_by_id(project_id)
            .filter(project::Column::DeletedAt.is_null())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let p = ProjectRecord::try_from(row)?;
        if !self.actor.can_see(p.department_id, p.status) {
            return Err(StoreError::NotFound);
        }
        // Whoever sees the project learns whether they may evaluate it: asked as of an evaluation
        // already submitted (which approvers see), so that they get FORBIDDEN, not NOT_FOUND.
        allow(self.actor.decide_report(ReportOp::Fill, p.department_id, ReportStatus::Submitted))?;
        if p.status != Status::Approved {
            return Err(StoreError::problem(
                "projectId",
                ProblemCode::InvalidTransition,
                Message::new(
                    format!("{}状态的项目不能自评：只有已审核通过的项目可以自评", p.status.label()),
                    format!("a {} project cannot be self-evaluated; only APPROVED ones can", p.status.code()),
                ),
            ));
        }
        let exists =
            self_evaluation::Entity::find().filter(self_evaluation::Column::ProjectId.eq(p.id)).one(&txn).await?;
        if exists.is_some() {
            return Err(StoreError::problem(
                "projectId",
                ProblemCode::AlreadyExists,
                Message::new("该项目本年度已有自评", "this project already has its self-evaluation"),
            ));
        }
        let d = crate::snapshots::in_force_declaration(&txn, &p).await?;
        let annual = d.declaration.funds.annual_request.unwrap_or_default();
        // What the year's execution is scored against: the amount approved in force.
        let approved = p.approved_amount.unwrap_or(annual);
        let fresh = EvaluationRecord {
            id: 0,
            project_id: p.id,
            department_id: p.department_id,
            fiscal_year: p.fiscal_year,
            status: ReportStatus::Draft,
            version: 1,
            annual_request: annual,
            approved,
            budget_executed: None,
            weights: None,
            results: BTreeMap::new(),
            total: Points(0),
            grade: Grade::Poor,
            submitted_at: None,
            updated_at: Utc::now(),
        };
        let (s, _, _) = scored(&d, &fresh);
        let now = Utc::now();
        let inserted = self_evaluation::Entity::insert(self_evaluation::ActiveModel {
            id: NotSet,
            project_id: Set(p.id),
            department_id: Set(p.department_id),
            fiscal_year: Set(p.fiscal_year),
            status: Set(ReportStatus::Draft.code().to_string()),
            version: Set(1),
            annual_request_fen: Set(annual.fen()),
            approved_fen: Set(approved.fen()),
            budget_executed_fen: Set(None),
            weights: Set(None),
            results: Set("{}".to_string()),
            total_score: Set(s.total.0),
            grade: Set(s.grade.code().to_string()),
            submitted_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_with_returning(&txn)
        .await?;
        self.commits.commit(txn).await?;
        Ok(inserted.try_into()?)
    }

    /// The unit fills its evaluation (DRAFT or RETURNED) at `expected_version`. What the rules
    /// refuse (weights that do not sum to 100, an actual in another unit, a score outside its
    /// band, an indicator not in force, more executed than requested) is not saved.
    pub async fn update(
        &self,
        id: i64,
        expected_version: i32,
        changes: EvaluationChanges,
    ) -> StoreResult<EvaluationRecord> {
        let txn = self.db.begin().await?;
        let mut e = find_visible::<EvaluationForm, _>(&txn, &self.actor, id).await?;
        allow(self.actor.decide_report(ReportOp::Fill, e.department_id, e.status))?;
        if !e.status.is_editable() {
            return Err(not_now::<EvaluationForm>(e.status, "修改", "changed"));
        }
        if e.version != expected_version {
            return Err(version_conflict());
        }
        let p = Self::project_of(&txn, e.project_id).await?;
        let d = crate::snapshots::in_force_declaration(&txn, &p).await?;
        enter(changes, e.approved, &d.indicator_ids, &mut e.budget_executed, &mut e.weights, &mut e.results)?;
        let (s, problems, _) = scored(&d, &e);
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
        let results = json(&e.results)?;
        let weights = e.weights.as_ref().map(json).transpose()?;
        use self_evaluation::Column;
        let columns = vec![
            (Column::BudgetExecutedFen, Expr::value(e.budget_executed.map(Money::fen))),
            (Column::Weights, Expr::value(weights)),
            (Column::Results, Expr::value(results)),
            (Column::TotalScore, Expr::value(s.total.0)),
            (Column::Grade, Expr::value(s.grade.code())),
        ];
        compare_and_set::<EvaluationForm, _>(&txn, &e, columns, version_conflict).await?;
        let updated = find_visible::<EvaluationForm, _>(&txn, &self.actor, id).await?;
        self.commits.commit(txn).await?;
        Ok(updated)
    }

    /// Submits (the unit: refused with everything still missing), accepts or returns (approvers,
    /// with a reason to return) an evaluation, and records the step.
    pub async fn transition(&self, id: i64, action: ReportAction, comment: &str) -> StoreResult<EvaluationRecord> {
        let txn = self.db.begin().await?;
        let lacks = async |txn: &DatabaseTransaction, e: &EvaluationRecord| {
            let p = Self::project_of(txn, e.project_id).await?;
            let d = crate::snapshots::in_force_declaration(txn, &p).await?;
            let (_, mut problems, incomplete) = scored(&d, e);
            problems.extend(incomplete);
            Ok(problems)
        };
        let rules = report_steps::<EvaluationForm>();
        let updated = reviewed_step(&txn, &self.actor, id, action, comment, rules, lacks).await?;
        // Accepting is final: the rectification items its scores call for are opened with it.
        if action == ReportAction::Accept {
            let p = Self::project_of(&txn, updated.project_id).await?;
            let d = crate::snapshots::in_force_declaration(&txn, &p).await?;
            let (s, _, _) = scored(&d, &updated);
            crate::results::open_items(&txn, &updated, &d, &s).await?;
        }
        self.commits.commit(txn).await?;
        Ok(updated)
    }
}

/// `changes` entered over an evaluation's answers (`executed`, `weights`, `results`), against the
/// amount `approved` and the rows in force `ids`: refused when more is executed than approved, a
/// weight or a result names a row not in force, or a text is too long. Every form that is
/// self-evaluated is filled by this rule.
pub(crate) fn enter(
    changes: EvaluationChanges,
    approved: Money,
    ids: &[i64],
    executed: &mut Option<Money>,
    weights: &mut Option<StoredWeights>,
    results: &mut BTreeMap<i64, IndicatorResult>,
) -> StoreResult<()> {
    let not_in_force = |field: String| {
        StoreError::problem(
            &field,
            ProblemCode::InvalidInput,
            Message::new(
                "这条指标不在批复（在执行中）的绩效指标中",
                "this indicator is not among the targets in force",
            ),
        )
    };
    if let Some(entered) = changes.budget_executed {
        if let Some(x) = entered.filter(|x| *x > approved) {
            return Err(StoreError::problem(
                "budgetExecuted",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("全年预算执行数 {x} 元超过了批复金额 {approved} 元"),
                    format!("the budget executed, {x} yuan, is more than the approved amount of {approved} yuan"),
                ),
            ));
        }
        *executed = entered;
    }
    if let Some(entered) = changes.weights {
        if let Some(w) = &entered {
            if w.indicators.keys().any(|id| !ids.contains(id)) {
                return Err(not_in_force("weights".into()));
            }
        }
        *weights = entered;
    }
    for (n, (indicator_id, result)) in changes.results.into_iter().enumerate() {
        if !ids.contains(&indicator_id) {
            return Err(not_in_force(format!("indicators[{n}].indicatorId")));
        }
        let texts = [
            ("actual", &result.actual),
            ("explanation", &result.explanation),
            ("deductionReason", &result.deduction_reason),
        ];
        for (field, text) in texts {
            jixiao_domain::monitoring::check_text(&format!("indicators[{n}].{field}"), text.as_deref())
                .map_err(|p| StoreError::Rejected(vec![p]))?;
        }
        results.insert(indicator_id, result);
    }
    Ok(())
}

/// What an evaluation keeps as JSON.
pub(crate) fn json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Database(DbErr::Custom(e.to_string())))
}
