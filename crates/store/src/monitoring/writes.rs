//! The unit fills its report; the unit submits it, approvers accept or return it.

use std::collections::BTreeMap;

use jixiao_domain::monitoring::{IndicatorProgress, Light, Percent, ReportAction, check_report};
use jixiao_domain::{Indicator, Message, Money, ProblemCode, ReportOp};
use sea_orm::sea_query::Expr;
use sea_orm::{DatabaseTransaction, DbErr, EntityTrait, TransactionTrait};

use super::Monitoring;
use super::enrolment::{figures, in_force};
use super::form::{ReportForm, report_steps};
use super::records::{ReportChanges, ReportRecord, RoundRecord};
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
        let filled = fill(&round, report.approved, report.budget_executed, &report.indicators, changes, &in_force)?;
        let json = filled.progress_json()?;
        use monitoring_report::Column;
        let columns = vec![
            (Column::BudgetExecutedFen, Expr::value(filled.executed.map(Money::fen))),
            (Column::ExecutionRate, Expr::value(filled.rate.map(|r| r.0))),
            (Column::BudgetLight, Expr::value(filled.budget_light.map(|l| l.code()))),
            (Column::Light, Expr::value(filled.light.map(|l| l.code()))),
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
            Ok(lacks(report.budget_executed, &report.indicators, &in_force))
        };
        let updated =
            reviewed_step(&txn, &self.actor, id, action, comment, report_steps::<ReportForm>(), lacks).await?;
        self.commits.commit(txn).await?;
        Ok(updated)
    }
}

/// A report as filled: what was entered over what it held, and the figures that follow.
pub(crate) struct Filled {
    pub executed: Option<Money>,
    pub progress: BTreeMap<i64, IndicatorProgress>,
    pub rate: Option<Percent>,
    pub budget_light: Option<Light>,
    pub light: Option<Light>,
}

impl Filled {
    pub(crate) fn progress_json(&self) -> StoreResult<String> {
        serde_json::to_string(&self.progress).map_err(|e| StoreError::Database(DbErr::Custom(e.to_string())))
    }
}

/// `changes` entered over a report of `round` that held `executed` and `progress`, against the
/// amount `approved` and the indicators `in_force` (by row id): refused when more is executed
/// than approved, an indicator is not in force or a text is too long; else the report as filled.
/// Every form that is monitored (a project's report, a department's) is filled by this rule.
pub(crate) fn fill(
    round: &RoundRecord,
    approved: Money,
    executed: Option<Money>,
    progress: &BTreeMap<i64, IndicatorProgress>,
    changes: ReportChanges,
    in_force: &[(i64, Indicator)],
) -> StoreResult<Filled> {
    let executed = changes.budget_executed.unwrap_or(executed);
    if let Some(e) = executed.filter(|e| *e > approved) {
        return Err(problem(
            "budgetExecuted",
            format!("预算执行数 {e} 元超过了批复金额 {approved} 元"),
            format!("the budget executed, {e} yuan, is more than the approved amount of {approved} yuan"),
        ));
    }
    let mut progress = progress.clone();
    for (n, (indicator_id, p)) in changes.indicators.into_iter().enumerate() {
        let at = |f: &str| format!("indicators[{n}].{f}");
        if !in_force.iter().any(|(id, _)| *id == indicator_id) {
            return Err(problem(
                &at("indicatorId"),
                "这条指标不在批复（在执行中）的绩效指标中".into(),
                "this indicator is not among the targets in force".into(),
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
    let (rate, budget_light, light) = figures(round, approved, executed, &progress, in_force)?;
    Ok(Filled { executed, progress, rate, budget_light, light })
}

/// What a report still lacks before it is submitted: its budget executed and, for each
/// indicator in force, what the rules require.
pub(crate) fn lacks(
    executed: Option<Money>,
    progress: &BTreeMap<i64, IndicatorProgress>,
    in_force: &[(i64, Indicator)],
) -> Vec<jixiao_domain::Problem> {
    let empty = IndicatorProgress::default();
    let rows: Vec<(&str, &IndicatorProgress)> =
        in_force.iter().map(|(id, i)| (i.name.as_str(), progress.get(id).unwrap_or(&empty))).collect();
    check_report(executed, &rows)
}
