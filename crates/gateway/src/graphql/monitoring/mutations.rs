//! 绩效运行监控's mutations: the admin opens a round; units fill and submit their reports;
//! approvers accept or return them.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use jixiao_domain::monitoring::{BudgetRule, ReportAction};
use jixiao_store::monitoring::{NewRound, ReportChanges};

use crate::graphql::access::access;
use crate::graphql::monitoring::types::{
    MonitoringReport, MonitoringRound, OpenMonitoringRoundInput, UpdateMonitoringReportInput,
};
use crate::graphql::payload::{UserError, outcome};
use crate::ids::{Kind, decode};

#[derive(SimpleObject)]
pub struct MonitoringRoundPayload {
    pub round: Option<MonitoringRound>,
    pub user_errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct MonitoringReportPayload {
    pub report: Option<MonitoringReport>,
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct MonitoringMutation;

impl MonitoringMutation {
    async fn step(ctx: &Context<'_>, id: ID, action: ReportAction, comment: &str) -> Result<MonitoringReportPayload> {
        let id = decode(&id, Kind::MonitoringReport)?;
        let (report, user_errors) = outcome(access(ctx)?.scope.monitoring().transition(id, action, comment).await)?;
        Ok(MonitoringReportPayload { report: report.map(MonitoringReport), user_errors })
    }
}

#[Object]
impl MonitoringMutation {
    /// Opens a monitoring round for a fiscal year, e.g. “2023年1-7月” as of 2023-07-31, due
    /// 2023-08-15: every project with targets in force that year gets a report in it (and every
    /// project approved later, when it is). Admins only.
    async fn open_monitoring_round(
        &self,
        ctx: &Context<'_>,
        input: OpenMonitoringRoundInput,
    ) -> Result<MonitoringRoundPayload> {
        let new = NewRound {
            fiscal_year: input.fiscal_year,
            name: input.name,
            as_of: input.as_of.0,
            due_date: input.due_date.0,
            budget_rule: input.budget_rule.map(|r| r.into_rule()).transpose()?.unwrap_or(BudgetRule::DEFAULT),
        };
        let (round, user_errors) = outcome(access(ctx)?.scope.monitoring().open_round(&new).await)?;
        Ok(MonitoringRoundPayload { round: round.map(MonitoringRound), user_errors })
    }

    /// The unit fills its report (DRAFT or RETURNED), if it is still at `expectedVersion`.
    /// Submitters of the project's department.
    async fn update_monitoring_report(
        &self,
        ctx: &Context<'_>,
        input: UpdateMonitoringReportInput,
    ) -> Result<MonitoringReportPayload> {
        let id = decode(&input.id, Kind::MonitoringReport)?;
        let budget_executed =
            crate::graphql::declaration::inputs::money_patch("budgetExecuted", input.budget_executed)?;
        let indicators = input.indicators.into_iter().map(|i| i.into_store()).collect::<Result<Vec<_>, _>>()?;
        let changes = ReportChanges { budget_executed, indicators };
        let result = access(ctx)?.scope.monitoring().update_report(id, input.expected_version, changes).await;
        let (report, user_errors) = outcome(result)?;
        Ok(MonitoringReportPayload { report: report.map(MonitoringReport), user_errors })
    }

    /// Sends the report to the approvers, after checking it: the budget executed, each
    /// indicator's likelihood, a reason and an explanation for each one not CERTAIN, measures for
    /// each IMPOSSIBLE one (every missing one at once, as INCOMPLETE user errors).
    async fn submit_monitoring_report(&self, ctx: &Context<'_>, id: ID) -> Result<MonitoringReportPayload> {
        Self::step(ctx, id, ReportAction::Submit, "").await
    }

    /// Accepts a SUBMITTED report. Approvers only.
    async fn accept_monitoring_report(
        &self,
        ctx: &Context<'_>,
        id: ID,
        comment: Option<String>,
    ) -> Result<MonitoringReportPayload> {
        Self::step(ctx, id, ReportAction::Accept, comment.as_deref().unwrap_or("")).await
    }

    /// Returns a SUBMITTED report to its unit with a reason. Approvers only.
    async fn return_monitoring_report(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> Result<MonitoringReportPayload> {
        Self::step(ctx, id, ReportAction::Return, &reason).await
    }
}
