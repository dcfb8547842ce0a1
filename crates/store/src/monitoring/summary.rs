//! A round at a glance, in SQL.

use jixiao_domain::Total;
use jixiao_domain::monitoring::{Light, Percent, ReportStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

use super::Monitoring;
use super::records::{ReportFilter, RoundSummary, corrupt};
use crate::entity::monitoring_report;
use crate::error::StoreResult;

impl Monitoring<'_> {
    /// requests in force.
    pub async fn summary(&self, round_id: i64, department_id: Option<i64>) -> StoreResult<RoundSummary> {
        let filter = ReportFilter { department_id, ..Default::default() };
        // Sums in two parts that cannot overflow a BIGINT on either backend (as projects/aggregates.rs).
        let sum = |column: &str, part: &str| Expr::cust(format!("CAST(COALESCE(SUM({column} {part}), 0) AS BIGINT)"));
        let grouped = |column: monitoring_report::Column| {
            monitoring_report::Entity::find()
                .select_only()
                .column_as(column, "key")
                .column_as(Expr::cust("COUNT(*)"), "reports")
                .column_as(sum("budget_executed_fen", "/ 1000000000"), "executed_high")
                .column_as(sum("budget_executed_fen", "% 1000000000"), "executed_low")
                .column_as(sum("annual_request_fen", "/ 1000000000"), "annual_high")
                .column_as(sum("annual_request_fen", "% 1000000000"), "annual_low")
                .column_as(sum("approved_fen", "/ 1000000000"), "approved_high")
                .column_as(sum("approved_fen", "% 1000000000"), "approved_low")
                .filter(self.filtered(round_id, &filter))
                .group_by(column)
                .into_tuple::<(Option<String>, i64, i64, i64, i64, i64, i64, i64)>()
                .all(self.db)
        };
        let by_status = grouped(monitoring_report::Column::Status).await?;
        let by_light = grouped(monitoring_report::Column::Light).await?;
        let total = |high: i64, low: i64| i128::from(high) * 1_000_000_000 + i128::from(low);
        let mut s = RoundSummary::default();
        let (mut executed, mut annual, mut approved) = (0i128, 0i128, 0i128);
        for (key, reports, executed_high, executed_low, annual_high, annual_low, approved_high, approved_low) in
            &by_status
        {
            let key = key.as_deref().unwrap_or("");
            let status = ReportStatus::from_code(key).ok_or_else(|| corrupt("status", key))?;
            s.by_status.push((status, *reports));
            s.reports += reports;
            executed += total(*executed_high, *executed_low);
            annual += total(*annual_high, *annual_low);
            approved += total(*approved_high, *approved_low);
        }
        s.by_status.sort_by_key(|(status, _)| ReportStatus::ALL.iter().position(|x| x == status));
        for (key, reports, ..) in &by_light {
            match key.as_deref().and_then(Light::from_code) {
                Some(Light::Green) => s.green = *reports,
                Some(Light::Blue) => s.blue = *reports,
                Some(Light::Yellow) => s.yellow = *reports,
                Some(Light::Red) => s.red = *reports,
                None => s.unlit += reports,
            }
        }
        let overdue = ReportFilter { department_id, overdue: Some(true), ..Default::default() };
        let overdue =
            monitoring_report::Entity::find().filter(self.filtered(round_id, &overdue)).count(self.db).await?;
        s.overdue = i64::try_from(overdue).unwrap_or(i64::MAX);
        s.budget_executed = Total::from_fen(executed);
        s.annual_request = Total::from_fen(annual);
        s.approved = Total::from_fen(approved);
        s.execution_rate = Percent::of(executed, approved);
        Ok(s)
    }
}
