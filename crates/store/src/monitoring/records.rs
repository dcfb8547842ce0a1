//! What monitoring keeps: rounds, reports, and what the unit enters, typed.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_domain::TargetValue;
use jixiao_domain::monitoring::{
    BudgetComparison, BudgetRule, IndicatorProgress, Light, Percent, ReportAction, ReportStatus, TimeBasis,
    indicator_light,
};
use jixiao_domain::{Money, Total};
use sea_orm::DbErr;

use crate::entity::monitoring_report;
use crate::lifecycle::StepRecord;

/// A monitoring round is its row, as departments and budget units are theirs.
pub use crate::entity::monitoring_round::Model as RoundRecord;

impl RoundRecord {
    /// The rule that lights its reports' budgets, as it was opened with.
    pub fn budget_rule(&self) -> Result<BudgetRule, DbErr> {
        Ok(BudgetRule {
            comparison: BudgetComparison::from_code(&self.budget_comparison)
                .ok_or_else(|| corrupt("budget_comparison", &self.budget_comparison))?,
            time: TimeBasis::from_code(&self.time_basis).ok_or_else(|| corrupt("time_basis", &self.time_basis))?,
            lower: Percent(i64::from(self.lower_threshold)),
            upper: Percent(i64::from(self.upper_threshold)),
        })
    }

    /// 时间进度 at its `as_of`, as its rule counts time.
    pub fn time_progress(&self) -> Result<Percent, DbErr> {
        Ok(self.budget_rule()?.time_progress(self.as_of))
    }

    /// An indicator's light in this round: by its stated likelihood and its progress, or, in a
    /// round opened before progress counted, by the likelihood alone, as it was.
    pub fn indicator_light(&self, target: &TargetValue, progress: &IndicatorProgress) -> Option<Light> {
        if self.progress_lights {
            indicator_light(target, progress, self.as_of)
        } else {
            progress.likelihood.map(|l| l.light())
        }
    }
}

/// One project's report in one round.
#[derive(Clone, Debug)]
pub struct ReportRecord {
    pub id: i64,
    pub round_id: i64,
    pub project_id: i64,
    pub department_id: i64,
    pub status: ReportStatus,
    pub version: i32,
    /// 年度资金申请总额 of the declaration in force.
    pub annual_request: Money,
    /// 批复金额 in force: what the execution rate divides by.
    pub approved: Money,
    pub budget_executed: Option<Money>,
    pub execution_rate: Option<Percent>,
    pub budget_light: Option<Light>,
    pub light: Option<Light>,
    /// Each indicator's progress, by the id of the indicator in force.
    pub indicators: BTreeMap<i64, IndicatorProgress>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

pub(super) fn corrupt(what: &str, value: &str) -> DbErr {
    DbErr::Custom(format!("unknown {what} {value:?} in the monitoring tables"))
}

fn light(code: Option<String>) -> Result<Option<Light>, DbErr> {
    code.map(|c| Light::from_code(&c).ok_or_else(|| corrupt("light", &c))).transpose()
}

impl TryFrom<monitoring_report::Model> for ReportRecord {
    type Error = DbErr;

    fn try_from(m: monitoring_report::Model) -> Result<Self, DbErr> {
        Ok(ReportRecord {
            id: m.id,
            round_id: m.round_id,
            project_id: m.project_id,
            department_id: m.department_id,
            status: ReportStatus::from_code(&m.status).ok_or_else(|| corrupt("status", &m.status))?,
            version: m.version,
            annual_request: Money::from_fen(m.annual_request_fen),
            approved: Money::from_fen(m.approved_fen),
            budget_executed: m.budget_executed_fen.map(Money::from_fen),
            execution_rate: m.execution_rate.map(Percent),
            budget_light: light(m.budget_light)?,
            light: light(m.light)?,
            indicators: serde_json::from_str(&m.indicators)
                .map_err(|e| DbErr::Custom(format!("report {}: {e}", m.id)))?,
            submitted_at: m.submitted_at,
            updated_at: m.updated_at,
        })
    }
}

/// One step of a report's history.
pub type ReportReviewRecord = StepRecord<ReportStatus, ReportAction>;

/// A round to open.
#[derive(Clone, Debug)]
pub struct NewRound {
    pub fiscal_year: i32,
    pub name: String,
    pub as_of: NaiveDate,
    pub due_date: NaiveDate,
    /// How its reports' budgets are lit (`BudgetRule::DEFAULT` unless the admin chooses).
    pub budget_rule: BudgetRule,
}

/// What the unit enters: the budget executed (`None`: left as it is; `Some(None)`: not known),
/// and, for the indicators given, their progress (replacing what was there).
#[derive(Clone, Debug, Default)]
pub struct ReportChanges {
    pub budget_executed: Option<Option<Money>>,
    pub indicators: Vec<(i64, IndicatorProgress)>,
}

/// Which reports of a round to list.
#[derive(Clone, Debug, Default)]
pub struct ReportFilter {
    pub department_id: Option<i64>,
    /// Any of these; empty: every status.
    pub statuses: Vec<ReportStatus>,
    /// Any of these lights; empty: every report.
    pub lights: Vec<Light>,
    /// Only the overdue ones (`Some(true)`), only the others (`Some(false)`), or all.
    pub overdue: Option<bool>,
}

/// A round at a glance, over the reports the actor may see.
#[derive(Clone, Debug, Default)]
pub struct RoundSummary {
    pub reports: i64,
    pub by_status: Vec<(ReportStatus, i64)>,
    pub green: i64,
    /// Ahead of plan (an indicator at 120% or more of what was expected by now).
    pub blue: i64,
    pub yellow: i64,
    pub red: i64,
    /// Reports with no light yet (nothing entered).
    pub unlit: i64,
    /// Reports not submitted by the round's due date.
    pub overdue: i64,
    pub budget_executed: Total,
    pub annual_request: Total,
    /// 批复金额 in force, summed: what the execution rate of the whole divides by.
    pub approved: Total,
    pub execution_rate: Option<Percent>,
}
