//! 绩效运行监控 on the API: rounds, their reports (against the targets in force), a round's
//! summary, and each report's history.

use async_graphql::{ComplexObject, Context, ID, InputObject, MergedObject, Object, Result, SimpleObject};
use jixiao_domain::monitoring::{BudgetRule, IndicatorProgress, Percent};
use jixiao_store::monitoring::{ReportFilter, RoundRecord, RoundSummary};
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::graphql::access::access;
use crate::graphql::declaration::loaders::{ProjectKey, SnapshotsOf};
use crate::graphql::declaration::parts::Indicator;
use crate::graphql::declaration::project::Project;
use crate::graphql::monitoring::budget_rule::{BudgetLightRule, BudgetLightRuleInput};
use crate::graphql::monitoring::loaders::{ReportReviewsOf, RoundKey};
pub use crate::graphql::monitoring::report::MonitoringReport;
use crate::graphql::scalars::{Date, DateTime};
use crate::graphql::types::connection::{PageInfo, PageRequest, decode_cursor, encode_cursor, page_cost};
use crate::graphql::types::enums::{DeviationReason, Light, Likelihood, MonitoringReportStatus};
use crate::ids::{Kind, decode, encode};

pub struct MonitoringRound(pub RoundRecord);

/// 监控轮次: e.g. “2023年1-7月”, as of 2023-07-31, due 2023-08-15.
#[Object]
impl MonitoringRound {
    pub async fn id(&self) -> ID {
        encode(Kind::MonitoringRound, self.0.id)
    }
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 监控时点: the date the figures are as of.
    async fn as_of(&self) -> Date {
        Date(self.0.as_of)
    }
    /// 填报截止日期
    async fn due_date(&self) -> Date {
        Date(self.0.due_date)
    }
    /// 时间进度 at `asOf` as the round's budget rule counts time, in % with two places: by whole
    /// months, "58.33" as of 31 July (7/12); by days from 1 January, both included, "58.08".
    async fn time_progress(&self) -> Result<String> {
        Ok(self.0.time_progress().map_err(|e| ApiError::internal(&e))?.to_string())
    }
    /// Whether its indicators are lit by their progress as well as by the stated likelihood (every
    /// round opened since the rule came; the rounds before it keep the likelihood alone).
    async fn progress_lights(&self) -> bool {
        self.0.progress_lights
    }
    /// How the round lights its reports' budgets, as it was opened.
    async fn budget_rule(&self) -> Result<BudgetLightRule> {
        Ok(self.0.budget_rule().map_err(|e| ApiError::internal(&e))?.into())
    }
    /// The round's reports you may see, in creation order.
    #[graphql(complexity = "page_cost(first, None, child_complexity)")]
    async fn reports(
        &self,
        ctx: &Context<'_>,
        filter: Option<MonitoringReportFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<MonitoringReportConnection> {
        let page = PageRequest::new(first, after, None, None)?;
        Ok(report_connection(ctx, self.0.id, filter.unwrap_or_default(), page).await?)
    }
    /// The round at a glance, over the reports you may see (of one department, when given).
    async fn summary(&self, ctx: &Context<'_>, department_id: Option<ID>) -> Result<MonitoringSummary> {
        let department_id = department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?;
        let s = access(ctx)?.scope.monitoring().summary(self.0.id, department_id).await.map_err(ApiError::from)?;
        Ok(MonitoringSummary(s))
    }
}

/// Narrows a round's reports. Every condition given must hold.
#[derive(InputObject, Default)]
pub struct MonitoringReportFilterInput {
    pub department_id: Option<ID>,
    /// Any of these statuses.
    pub status: Option<Vec<MonitoringReportStatus>>,
    /// Any of these lights, e.g. `[RED]` for the reports that will miss.
    pub light: Option<Vec<Light>>,
    /// `true`: only the reports not submitted by the round's due date; `false`: only the others.
    pub overdue: Option<bool>,
}

impl MonitoringReportFilterInput {
    fn into_store(self) -> ApiResult<ReportFilter> {
        Ok(ReportFilter {
            department_id: self.department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?,
            statuses: self.status.unwrap_or_default().into_iter().map(Into::into).collect(),
            lights: self.light.unwrap_or_default().into_iter().map(Into::into).collect(),
            overdue: self.overdue,
        })
    }
}

#[derive(SimpleObject)]
pub struct MonitoringReportEdge {
    pub cursor: String,
    pub node: MonitoringReport,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct MonitoringReportConnection {
    pub edges: Vec<MonitoringReportEdge>,
    pub page_info: PageInfo,
    #[graphql(skip)]
    round_id: i64,
    #[graphql(skip)]
    filter: ReportFilter,
}

#[ComplexObject]
impl MonitoringReportConnection {
    async fn nodes(&self) -> Vec<&MonitoringReport> {
        self.edges.iter().map(|e| &e.node).collect()
    }
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let n =
            access(ctx)?.scope.monitoring().count_reports(self.round_id, &self.filter).await.map_err(ApiError::from)?;
        Ok(n as i64)
    }
}

async fn report_connection(
    ctx: &Context<'_>,
    round_id: i64,
    filter: MonitoringReportFilterInput,
    page: PageRequest,
) -> ApiResult<MonitoringReportConnection> {
    const ORDER: &str = "monitoringReport";
    let filter = filter.into_store()?;
    let after = page.cursor.as_deref().map(|c| decode_cursor(c, ORDER).map(|(_, id)| id)).transpose()?;
    let rows = access(ctx)?.scope.monitoring().reports(round_id, &filter, after, page.size + 1).await?;
    let (edges, page_info) = page.finish(rows, |r| encode_cursor(ORDER, Value::Null, r.id));
    let edges =
        edges.into_iter().map(|(cursor, r)| MonitoringReportEdge { cursor, node: MonitoringReport(r) }).collect();
    Ok(MonitoringReportConnection { edges, page_info, round_id, filter })
}

impl MonitoringReport {
    async fn round_record(&self, ctx: &Context<'_>) -> Result<RoundRecord> {
        let round = access(ctx)?.loader().load_one(RoundKey(self.0.round_id)).await?;
        Ok(round.ok_or_else(|| ApiError::internal(&format!("round {} is missing", self.0.round_id)))?)
    }
}

fn percent(p: Option<Percent>) -> Option<String> {
    p.map(|p| p.to_string())
}

/// 监控表: one project's report in one round, against its targets in force.
#[Object]
impl MonitoringReport {
    pub async fn id(&self) -> ID {
        encode(Kind::MonitoringReport, self.0.id)
    }
    async fn round(&self, ctx: &Context<'_>) -> Result<MonitoringRound> {
        Ok(MonitoringRound(self.round_record(ctx).await?))
    }
    async fn project(&self, ctx: &Context<'_>) -> Result<Project> {
        let p = access(ctx)?.loader().load_one(ProjectKey(self.0.project_id)).await?;
        Ok(Project(p.ok_or_else(|| ApiError::internal(&format!("project {} is missing", self.0.project_id)))?))
    }
    async fn status(&self) -> MonitoringReportStatus {
        self.0.status.into()
    }
    /// Increases with every change; send it back as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 年度资金申请总额 in force, in yuan.
    async fn annual_request(&self) -> String {
        self.0.annual_request.to_string()
    }
    /// 批复金额 in force, in yuan: what the execution rate divides by (the amount approved,
    /// with its approved adjustments; the request when approved whole).
    async fn approved_amount(&self) -> String {
        self.0.approved.to_string()
    }
    /// 预算执行数 to `asOf`, in yuan; null until entered.
    async fn budget_executed(&self) -> Option<String> {
        self.0.budget_executed.map(|m| m.to_string())
    }
    /// 预算执行率: budgetExecuted / approvedAmount, in % with two places ("40.00").
    async fn execution_rate(&self) -> Option<String> {
        percent(self.0.execution_rate)
    }
    /// 时间进度 of the round (as its budget rule counts time), in % with two places.
    async fn time_progress(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.round_record(ctx).await?.time_progress().map_err(|e| ApiError::internal(&e))?.to_string())
    }
    /// executionRate ÷ timeProgress, in % with two places ("65.06"): what a RATIO rule compares;
    /// null until the budget executed is entered, or before any time has passed.
    async fn budget_ratio(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let time = self.round_record(ctx).await?.time_progress().map_err(|e| ApiError::internal(&e))?;
        Ok(percent(self.0.execution_rate.and_then(|rate| BudgetRule::ratio(time, rate))))
    }
    /// 逾期: not submitted by the round's due date (DRAFT or RETURNED after it, counted in days in
    /// China).
    async fn overdue(&self, ctx: &Context<'_>) -> Result<bool> {
        let due = self.round_record(ctx).await?.due_date;
        Ok(self.0.status.is_overdue(due, access(ctx)?.scope.today()))
    }
    /// The budget's light by the round's rule (`MonitoringRound.budgetRule`).
    async fn budget_light(&self) -> Option<Light> {
        self.0.budget_light.map(Into::into)
    }
    /// The worst of the budget's light and the indicators' lights.
    async fn light(&self) -> Option<Light> {
        self.0.light.map(Into::into)
    }
    /// Every indicator in force, in the form's order, with what the unit reported.
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_domain::indicator::MAX_INDICATORS, child_complexity)"
    )]
    async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<IndicatorMonitoring>> {
        let loader = &*access(ctx)?.loader();
        let snapshots = loader.load_one(SnapshotsOf(self.0.project_id)).await?.unwrap_or_default();
        let rows = match snapshots.last() {
            Some(s) => {
                s.indicator_ids.iter().copied().zip(s.declaration.indicators.iter().cloned()).collect::<Vec<_>>()
            }
            // Approved before snapshots were kept: its frozen rows are the ones in force.
            None => {
                let rows = loader
                    .load_one(crate::graphql::declaration::loaders::IndicatorsOf(self.0.project_id))
                    .await?
                    .unwrap_or_default();
                rows.into_iter().map(|r| (r.id, r.value)).collect()
            }
        };
        let round = self.round_record(ctx).await?;
        Ok(rows
            .into_iter()
            .enumerate()
            .map(|(position, (id, indicator))| {
                let progress = self.0.indicators.get(&id).cloned().unwrap_or_default();
                let light = round.indicator_light(&indicator.target, &progress);
                IndicatorMonitoring(
                    IndicatorInForce(Indicator { id, position, indicator }),
                    ReportedProgress { progress, light },
                )
            })
            .collect())
    }
    async fn submitted_at(&self) -> Option<DateTime> {
        self.0.submitted_at.map(DateTime)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// Every step, oldest first (the newest 200 of a longer history).
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_store::record::REVIEWS_SHOWN as usize, child_complexity)"
    )]
    async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<MonitoringReview>> {
        let rows = access(ctx)?.loader().load_one(ReportReviewsOf(self.0.id)).await?;
        Ok(rows.unwrap_or_default().into_iter().map(MonitoringReview).collect())
    }
}

/// One indicator in force, and its progress as the unit reported it.
#[derive(MergedObject)]
pub struct IndicatorMonitoring(pub IndicatorInForce, pub ReportedProgress);

/// A project's indicator in force, as the report and the self-evaluation show it.
pub struct IndicatorInForce(pub Indicator);

#[Object]
impl IndicatorInForce {
    async fn indicator(&self) -> &Indicator {
        &self.0
    }
    /// 年度指标值 in force, as typed.
    async fn target(&self) -> String {
        self.0.indicator.target.text().to_string()
    }
}

/// What was reported of one indicator in a round, and its light: the same for every form that
/// is monitored (a project's report, a department's).
pub struct ReportedProgress {
    pub progress: IndicatorProgress,
    pub light: Option<jixiao_domain::monitoring::Light>,
}

#[Object]
impl ReportedProgress {
    /// 1-7月执行情况: what has been achieved to date.
    async fn actual_to_date(&self) -> Option<&str> {
        self.progress.actual_to_date.as_deref()
    }
    /// 全年预计完成情况
    async fn forecast(&self) -> Option<&str> {
        self.progress.forecast.as_deref()
    }
    async fn likelihood(&self) -> Option<Likelihood> {
        self.progress.likelihood.map(Into::into)
    }
    async fn deviation_reasons(&self) -> Vec<DeviationReason> {
        self.progress.deviation_reasons.iter().map(|r| (*r).into()).collect()
    }
    /// 原因说明
    async fn explanation(&self) -> Option<&str> {
        self.progress.explanation.as_deref()
    }
    /// 纠偏措施
    async fn measures(&self) -> Option<&str> {
        self.progress.measures.as_deref()
    }
    /// The worse of the stated likelihood's light (GREEN when CERTAIN, YELLOW when POSSIBLE, RED
    /// when IMPOSSIBLE) and the progress's, where the target is a number and `actualToDate` one in
    /// its unit: a count against its share of the months passed, any other measure against the
    /// target itself; below 60% RED, from 60% YELLOW, from 80% GREEN, from 120% BLUE; a
    /// lower-is-better target GREEN at or below it, RED above. In a round opened before progress
    /// counted (`MonitoringRound.progressLights` false), the likelihood alone. Null until either
    /// is known.
    async fn light(&self) -> Option<Light> {
        self.light
    }
}

pub use crate::graphql::types::form_step::MonitoringReview;

/// Reports of a round in one status.
#[derive(SimpleObject)]
pub struct MonitoringStatusCount {
    pub status: MonitoringReportStatus,
    pub label: &'static str,
    pub count: i64,
}

pub struct MonitoringSummary(pub RoundSummary);

/// A round at a glance: computed in SQL over the reports you may see.
#[Object]
impl MonitoringSummary {
    async fn report_count(&self) -> i64 {
        self.0.reports
    }
    async fn by_status(&self) -> Vec<MonitoringStatusCount> {
        let count = |&(status, count): &(jixiao_domain::monitoring::ReportStatus, i64)| MonitoringStatusCount {
            status,
            label: status.label(),
            count,
        };
        self.0.by_status.iter().map(count).collect()
    }
    async fn green(&self) -> i64 {
        self.0.green
    }
    /// Ahead of plan: an indicator at 120% or more of what was expected by now, and nothing worse.
    async fn blue(&self) -> i64 {
        self.0.blue
    }
    async fn yellow(&self) -> i64 {
        self.0.yellow
    }
    async fn red(&self) -> i64 {
        self.0.red
    }
    /// Reports with nothing entered yet.
    async fn unlit(&self) -> i64 {
        self.0.unlit
    }
    /// Reports not submitted by the round's due date (still DRAFT or RETURNED after it).
    async fn overdue(&self) -> i64 {
        self.0.overdue
    }
    /// 预算执行数, summed, in yuan.
    async fn budget_executed(&self) -> String {
        self.0.budget_executed.to_string()
    }
    /// 年度资金申请总额 in force, summed, in yuan.
    async fn annual_request(&self) -> String {
        self.0.annual_request.to_string()
    }
    /// 批复金额 in force, summed, in yuan.
    async fn approved_amount(&self) -> String {
        self.0.approved.to_string()
    }
    /// The execution rate of the whole (executed / approved), in % with two places; null when
    /// nothing is approved.
    async fn execution_rate(&self) -> Option<String> {
        percent(self.0.execution_rate)
    }
}

/// The admin's round to open.
#[derive(InputObject)]
pub struct OpenMonitoringRoundInput {
    pub fiscal_year: i32,
    /// e.g. “2023年1-7月”.
    pub name: String,
    pub as_of: Date,
    pub due_date: Date,
    /// How its reports' budgets are lit; left out, RATIO by MONTHS, 60 and 80.
    pub budget_rule: Option<BudgetLightRuleInput>,
}

/// One indicator's progress; the fields given replace what was reported.
#[derive(InputObject)]
pub struct IndicatorProgressInput {
    /// The indicator in force (`MonitoringReport.indicators.indicator.id`).
    pub indicator_id: ID,
    #[graphql(flatten)]
    pub progress: ProgressInput,
}

/// What is reported of one indicator, whatever the form it belongs to.
#[derive(InputObject)]
pub struct ProgressInput {
    pub actual_to_date: Option<String>,
    pub forecast: Option<String>,
    pub likelihood: Option<Likelihood>,
    #[graphql(default)]
    pub deviation_reasons: Vec<DeviationReason>,
    pub explanation: Option<String>,
    pub measures: Option<String>,
}

/// What the unit reports, at the version it loaded.
#[derive(InputObject)]
pub struct UpdateMonitoringReportInput {
    pub id: ID,
    pub expected_version: i32,
    /// 预算执行数 to `asOf`, in yuan (at most the approved amount in force); `null` clears it.
    pub budget_executed: async_graphql::MaybeUndefined<String>,
    #[graphql(default)]
    pub indicators: Vec<IndicatorProgressInput>,
}

impl IndicatorProgressInput {
    pub fn into_store(self) -> ApiResult<(i64, IndicatorProgress)> {
        Ok((decode(&self.indicator_id, Kind::Indicator)?, self.progress.into()))
    }
}

impl From<ProgressInput> for IndicatorProgress {
    fn from(p: ProgressInput) -> IndicatorProgress {
        IndicatorProgress {
            actual_to_date: p.actual_to_date,
            forecast: p.forecast,
            likelihood: p.likelihood.map(Into::into),
            deviation_reasons: p.deviation_reasons.into_iter().map(Into::into).collect(),
            explanation: p.explanation,
            measures: p.measures,
        }
    }
}
