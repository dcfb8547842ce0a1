//! What monitoring keeps: rounds, reports, and what the unit enters, typed.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_domain::monitoring::{IndicatorProgress, Light, Percent, ReportAction, ReportStatus};
use jixiao_domain::{Money, Total};
use sea_orm::DbErr;

use crate::entity::monitoring_report;
use crate::lifecycle::StepRecord;

/// A monitoring round is its row, as departments and budget units are theirs.
pub use crate::entity::monitoring_round::Model as RoundRecord;

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
    DbErr::Custom(format!("unknown {what} {value:?} in monitoring_reports"))
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
}

/// A round at a glance, over the reports the actor may see.
#[derive(Clone, Debug, Default)]
pub struct RoundSummary {
    pub reports: i64,
    pub by_status: Vec<(ReportStatus, i64)>,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    /// Reports with no light yet (nothing entered).
    pub unlit: i64,
    pub budget_executed: Total,
    pub annual_request: Total,
    pub execution_rate: Option<Percent>,
}
