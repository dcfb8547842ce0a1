//! A department's overall goals monitored: forms with goals in force get a report in each round
//! of their year (when the round opens, or when the goals are approved), filled by the
//! department against the indicators in force and the form's 支出合计 in force, and moved by a
//! report's rules. Filling and lacking are the monitoring's own rules (`monitoring::fill`).

use std::collections::HashMap;

use chrono::Utc;
use jixiao_domain::department_goals::YearProject;
use jixiao_domain::monitoring::{ReportAction, ReportStatus};
use jixiao_domain::{Money, ReportOp, Status};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use sea_orm::{DatabaseTransaction, TransactionTrait};

use super::DepartmentGoalsStore;
use super::reads::{YearProjectRow, linked_projects};
use super::records::DepartmentGoalsRecord;
use super::report_records::{GoalsReportForm, GoalsReportRecord, GoalsReportStep, rows_in_force};
use crate::entity::{department_goal as goals, department_goal_report as report, monitoring_round};
use crate::error::{StoreError, StoreResult, allow, version_conflict};
use crate::lifecycle::{StepRecord, compare_and_set, find_visible, not_now, reviewed_step, steps_of, visible};
use crate::monitoring::RoundRecord;
use crate::monitoring::form::report_steps;
use crate::monitoring::{ReportChanges, figures, fill, lacks};

/// 支出合计 of the goals in force: their basic expenditure and their linked projects' amounts,
/// whoever asks.
pub(crate) async fn budget_in_force<C: ConnectionTrait>(conn: &C, form: &DepartmentGoalsRecord) -> StoreResult<Money> {
    let Some(in_force) = &form.in_force else { return Ok(Money::ZERO) };
    let projects = linked_projects(conn, form, &in_force.linked_projects()).await?;
    let views: Vec<YearProject<'_>> = projects.iter().map(YearProjectRow::view).collect();
    let total = in_force.total_expenditure(&views).fen();
    Ok(Money::from_fen(i64::try_from(total).unwrap_or(i64::MAX)))
}

async fn insert_report<C: ConnectionTrait>(
    conn: &C,
    round_id: i64,
    form: &DepartmentGoalsRecord,
    budget: Money,
) -> StoreResult<()> {
    let now = Utc::now();
    report::Entity::insert(report::ActiveModel {
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
        round_id: Set(round_id),
        execution_rate: Set(None),
        budget_light: Set(None),
        light: Set(None),
        indicators: Set("{}".to_string()),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// A round just opened: every form of its year with goals in force gets its report.
pub(crate) async fn enroll_round<C: ConnectionTrait>(conn: &C, round: &RoundRecord) -> StoreResult<()> {
    let forms = goals::Entity::find()
        .filter(goals::Column::FiscalYear.eq(round.fiscal_year))
        // In force: approved, or being adjusted (the domain's rule).
        .filter(goals::Column::Status.is_in(Status::codes_where(Status::was_approved)))
        .order_by_asc(goals::Column::Id)
        .all(conn)
        .await?;
    for row in forms {
        let form = DepartmentGoalsRecord::try_from(row)?;
        let budget = budget_in_force(conn, &form).await?;
        insert_report(conn, round.id, &form, budget).await?;
    }
    Ok(())
}

/// Goals just approved (or an adjustment of them): a report in every round of the year that
/// has none yet, and the new budget in force on those not yet accepted.
pub(crate) async fn enroll<C: ConnectionTrait>(conn: &C, form: &DepartmentGoalsRecord) -> StoreResult<()> {
    let rounds = crate::monitoring::rounds_of_year(conn, form.fiscal_year).await?;
    if rounds.is_empty() {
        return Ok(());
    }
    let budget = budget_in_force(conn, form).await?;
    let targets = rows_in_force(form);
    for round in rounds {
        let existing = report::Entity::find()
            .filter(report::Column::RoundId.eq(round.id))
            .filter(report::Column::GoalsId.eq(form.id))
            .one(conn)
            .await?;
        match existing {
            None => insert_report(conn, round.id, form, budget).await?,
            Some(r) if r.status != ReportStatus::Accepted.code() => {
                let r = GoalsReportRecord::try_from(r)?;
                let (rate, budget_light, light) = figures(&round, budget, r.budget_executed, &r.indicators, &targets)?;
                report::Entity::update_many()
                    .col_expr(report::Column::AnnualRequestFen, Expr::value(budget.fen()))
                    .col_expr(report::Column::ApprovedFen, Expr::value(budget.fen()))
                    .col_expr(report::Column::ExecutionRate, Expr::value(rate.map(|r| r.0)))
                    .col_expr(report::Column::BudgetLight, Expr::value(budget_light.map(|l| l.code())))
                    .col_expr(report::Column::Light, Expr::value(light.map(|l| l.code())))
                    .filter(report::Column::Id.eq(r.id))
                    .exec(conn)
                    .await?;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The form a report or self-evaluation belongs to, as stored.
pub(super) async fn goals_of<C: ConnectionTrait>(conn: &C, goals_id: i64) -> StoreResult<DepartmentGoalsRecord> {
    let row = goals::Entity::find_by_id(goals_id).one(conn).await?.ok_or(StoreError::NotFound)?;
    Ok(DepartmentGoalsRecord::try_from(row)?)
}

impl DepartmentGoalsStore<'_> {
    /// Report `id`; NOT_FOUND when the actor may not see it.
    pub async fn report(&self, id: i64) -> StoreResult<GoalsReportRecord> {
        find_visible::<GoalsReportForm, _>(self.db, &self.actor, id).await
    }

    /// The visible reports of each form among `goals_ids`, oldest round first.
    pub async fn reports_of(&self, goals_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<GoalsReportRecord>>> {
        let rows = report::Entity::find()
            .filter(
                visible::<GoalsReportForm>(&self.actor).add(report::Column::GoalsId.is_in(goals_ids.iter().copied())),
            )
            .order_by_asc(report::Column::RoundId)
            .all(self.db)
            .await?;
        let mut by_form: HashMap<i64, Vec<GoalsReportRecord>> = HashMap::new();
        for row in rows {
            let r = GoalsReportRecord::try_from(row)?;
            by_form.entry(r.goals_id).or_default().push(r);
        }
        Ok(by_form)
    }

    /// The newest steps of each report among `ids` (read through [`Self::report`] or
    /// [`Self::reports_of`]), oldest first.
    pub async fn report_histories(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<GoalsReportStep>>> {
        steps_of::<GoalsReportForm, _, _>(
            self.db,
            |column| column.is_in(ids.iter().copied()),
            |row| row.report_id,
            |row| StepRecord::read(&row),
        )
        .await
    }

    /// The department fills its report (DRAFT or RETURNED) at `expected_version`, by the
    /// monitoring's rule, against the goals in force.
    pub async fn update_report(
        &self,
        id: i64,
        expected_version: i32,
        changes: ReportChanges,
    ) -> StoreResult<GoalsReportRecord> {
        let txn = self.db.begin().await?;
        let r = find_visible::<GoalsReportForm, _>(&txn, &self.actor, id).await?;
        allow(self.actor.decide_report(ReportOp::Fill, r.department_id, r.status))?;
        if !r.status.is_editable() {
            return Err(not_now::<GoalsReportForm>(r.status, "修改", "changed"));
        }
        if r.version != expected_version {
            return Err(version_conflict());
        }
        let round = monitoring_round::Entity::find_by_id(r.round_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let form = goals_of(&txn, r.goals_id).await?;
        let filled = fill(&round, r.approved, r.budget_executed, &r.indicators, changes, &rows_in_force(&form))?;
        let columns = vec![
            (report::Column::BudgetExecutedFen, Expr::value(filled.executed.map(Money::fen))),
            (report::Column::ExecutionRate, Expr::value(filled.rate.map(|r| r.0))),
            (report::Column::BudgetLight, Expr::value(filled.budget_light.map(|l| l.code()))),
            (report::Column::Light, Expr::value(filled.light.map(|l| l.code()))),
            (report::Column::Indicators, Expr::value(filled.progress_json()?)),
        ];
        compare_and_set::<GoalsReportForm, _>(&txn, &r, columns, version_conflict).await?;
        let updated = find_visible::<GoalsReportForm, _>(&txn, &self.actor, id).await?;
        self.commits.commit(txn).await?;
        Ok(updated)
    }

    /// Submits (the department: refused with everything the report still lacks), accepts or
    /// returns (approvers, with a reason to return) a report, and records the step.
    pub async fn step_report(&self, id: i64, action: ReportAction, comment: &str) -> StoreResult<GoalsReportRecord> {
        let txn = self.db.begin().await?;
        let lacking = async |txn: &DatabaseTransaction, r: &GoalsReportRecord| {
            let form = goals_of(txn, r.goals_id).await?;
            Ok(lacks(r.budget_executed, &r.indicators, &rows_in_force(&form)))
        };
        let rules = report_steps::<GoalsReportForm>();
        let updated = reviewed_step(&txn, &self.actor, id, action, comment, rules, lacking).await?;
        self.commits.commit(txn).await?;
        Ok(updated)
    }
}
