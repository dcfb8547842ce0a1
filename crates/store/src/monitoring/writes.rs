//! The unit fills its report; the unit submits it, approvers accept or return it.

use jixiao_domain::monitoring::{IndicatorProgress, ReportAction, check_report};
use jixiao_domain::{Message, Money, ProblemCode, ReportOp};
use sea_orm::sea_query::Expr;
use sea_orm::{DatabaseTransaction, DbErr, EntityTrait, TransactionTrait};

use super::Monitoring;
use super::enrolment::{figures, in_force};
use super::form::{ReportForm, report_steps};
use super::records::{ReportChanges, ReportRecord};
use crate::entity::{monitoring_report, monitoring_round, project};
use crate::error::{StoreError, StoreResult, allow, version_conflict};
use crate::lifecycle::{compare_and_set, find_visible, not_now, reviewed_step};
use crate::record::ProjectRecord;

fn problem(field: &str, zh: String, en: String) -> StoreError {
    StoreError::problem(field, ProblemCode::InvalidInput, Message::new(zh, en))
}

/// A box of text the unit writes, checked by the domain's rule.
fn check_text(field: &str, text: &Option<String>) -> StoreResult<()> {
    jixiao_domain::monitoring::check_text(field, text.as_deref()).map_err(|p| StoreError::Rejected(vec![p]))
}

impl Monitoring<'_> {
    /// The unit fills its report (DRAFT or RETURNED) at `expected_version`: the budget executed
    pub async fn update_report(
        &self,
        id: i64,
        expected_version: i32,
        changes: ReportChanges,
    ) -> StoreResult<ReportRecord> {
        let txn = self.db.begin().await?;
        let report = find_visible::<ReportForm, _>(&txn, &self.actor, id).await?;
        allow(self.actor.decide_report(ReportOp::Fill, report.department_id, report.status))?;
        if !report.status.is_editable() {
            return Err(not_now::<ReportForm>(report.status, "修改", "changed"));
        }
        if report.version != expected_version {
            return Err(version_conflict());
        }
        let round =
            monitoring_round::Entity::find_by_id(report.round_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let project = project::Entity::find_by_id(report.project_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let (_, in_force) = in_force(&txn, &ProjectRecord::try_from(project)?).await?;
        let executed = changes.budget_executed.unwrap_or(report.budget_executed);
        if let Some(e) = executed.filter(|e| *e > report.approved) {
            return Err(problem(
                "budgetExecuted",
                format!("预算执行数 {e} 元超过了批复金额 {} 元", report.approved),
                format!("the budget executed, {e} yuan, is more than the approved amount of {} yuan", report.approved),
            ));
        }
        let mut progress = report.indicators.clone();
        for (n, (indicator_id, p)) in changes.indicators.into_iter().enumerate() {
            let at = |f: &str| format!("indicators[{n}].{f}");
            if !in_force.iter().any(|(id, _)| *id == indicator_id) {
                return Err(problem(
                    &at("indicatorId"),
                    "这条指标不在本项目批复的绩效指标中".into(),
                    "this indicator is not among the project's targets in force".into(),
                ));
            }
            for (field, text) in [
                ("actualToDate", &p.actual_to_date),
                ("forecast", &p.forecast),
                ("explanation", &p.explanation),
                ("measures", &p.measures),
            ] {
                check_text(&at(field), text)?;
            }
            progress.insert(indicator_id, p.normalized());
        }
        let (rate, budget, light) = figures(&round, report.approved, executed, &progress, &in_force)?;
        let json = serde_json::to_string(&progress).map_err(|e| StoreError::Database(DbErr::Custom(e.to_string())))?;
        use monitoring_report::Column;
        let columns = vec![
            (Column::BudgetExecutedFen, Expr::value(executed.map(Money::fen))),
            (Column::ExecutionRate, Expr::value(rate.map(|r| r.0))),
            (Column::BudgetLight, Expr::value(budget.map(|l| l.code()))),
            (Column::Light, Expr::value(light.map(|l| l.code()))),
            (Column::Indicators, Expr::value(json)),
        ];
        compare_and_set::<ReportForm, _>(&txn, &report, columns, version_conflict).await?;
        let updated = find_visible::<ReportForm, _>(&txn, &self.actor, id).await?;
        self.commits.commit(txn).await?;
        Ok(updated)
    }

    /// Submits (the unit: refused with everything the report still lacks), accepts or returns
    /// (approvers, with a reason to return) a report, and records the step.
    pub async fn transition(&self, id: i64, action: ReportAction, comment: &str) -> StoreResult<ReportRecord> {
        let txn = self.db.begin().await?;
        let lacks = async |txn: &DatabaseTransaction, report: &ReportRecord| {
            let project = project::Entity::find_by_id(report.project_id).one(txn).await?.ok_or(StoreError::NotFound)?;
            let (_, in_force) = in_force(txn, &ProjectRecord::try_from(project)?).await?;
            let empty = IndicatorProgress::default();
            let rows: Vec<(&str, &IndicatorProgress)> =
                in_force.iter().map(|(id, i)| (i.name.as_str(), report.indicators.get(id).unwrap_or(&empty))).collect();
            Ok(check_report(report.budget_executed, &rows))
        };
        let updated =
            reviewed_step(&txn, &self.actor, id, action, comment, report_steps::<ReportForm>(), lacks).await?;
        self.commits.commit(txn).await?;
        Ok(updated)
    }
}
