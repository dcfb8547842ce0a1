//! 项目: one declared project, with the whole declaration and its review history.

use async_graphql::{Context, ID, Object, Result};
use jixiao_store::ProjectRecord;

use crate::error::ApiError;
use crate::graphql::access::access;
use crate::graphql::cost::list_cost;
use crate::graphql::declaration::findings::{Finding, FindingCounts};
use crate::graphql::declaration::loaders::{
    DepartmentYear, FundItemsOf, IndicatorsOf, LibraryFactsOf, ProjectKey, ReviewsOf, SnapshotsOf, SubmissionsOf,
};
use crate::graphql::declaration::parts::{FundItem, Funds, Indicator, Sections};
use crate::graphql::declaration::review::Review;
use crate::graphql::declaration::snapshot::{DeclarationChange, ProjectSnapshot};
use crate::graphql::organization::loaders::UnitKey;
use crate::graphql::plain::{Plain, PlainList};
use crate::graphql::scalars::{Date, DateTime};
use crate::graphql::types::enums::{IndicatorFramework, ProjectCategory, ProjectStatus};
use crate::graphql::types::nodes::{BudgetUnit, Department};
use crate::ids::{Kind, encode};
use jixiao_domain::findings::review_in;
use jixiao_domain::funds::MAX_FUND_ITEMS;
use jixiao_domain::indicator::MAX_INDICATORS;
use jixiao_store::SnapshotRecord;

/// What a project's findings count as in a query's cost: one per indicator twice over and a few
/// per project is more than the rules ever find.
const FINDINGS_COST: usize = 2 * MAX_INDICATORS + 30;
/// The snapshots a read returns at most (the newest; a project is approved a few times a year).
const SNAPSHOTS_COST: usize = jixiao_store::snapshots::SNAPSHOTS_SHOWN as usize;
/// A project has a report per monitoring round of its year, at most 24.
const REPORTS_COST: usize = jixiao_domain::monitoring::MAX_ROUNDS_PER_YEAR as usize;
/// A project carries at most this many remarks (held by the database, store `projects/remarks.rs`).
const REMARKS_COST: usize = jixiao_domain::review_remark::MAX_REMARKS as usize;
/// Every box, and every field of every row, on both sides.
const CHANGES_COST: usize = 30 + 6 * (MAX_INDICATORS + MAX_FUND_ITEMS);

/// The steps of a project's history a read returns at most (its newest).
const REVIEWS_COST: usize = jixiao_store::record::REVIEWS_SHOWN as usize;

pub struct Project(pub ProjectRecord);

impl Project {
    /// The findings of this project's declaration, from its (batched, cached) parts, with those
    /// on indicators copied from the department's other projects of the year that the caller
    /// may see; with the ids of the fund items and indicators in the form's order.
    async fn review(&self, ctx: &Context<'_>) -> Result<(Vec<jixiao_domain::Finding>, Vec<i64>, Vec<i64>)> {
        let loader = &*access(ctx)?.loader();
        let items = loader.load_one(FundItemsOf(self.0.id)).await?.unwrap_or_default();
        let indicators = loader.load_one(IndicatorsOf(self.0.id)).await?.unwrap_or_default();
        let year = loader.load_one(DepartmentYear(self.0.department_id, self.0.fiscal_year)).await?.unwrap_or_default();
        let facts = loader.load_one(LibraryFactsOf(self.0.id)).await?.unwrap_or_default();
        let (item_ids, indicator_ids): (Vec<i64>, Vec<i64>) =
            (items.iter().map(|r| r.id).collect(), indicators.iter().map(|r| r.id).collect());
        let declaration = self
            .0
            .declaration(jixiao_store::record::values(Some(items)), jixiao_store::record::values(Some(indicators)));
        let findings = review_in(&declaration, &jixiao_store::findings::context_of_saved(&year, self.0.id, &facts));
        Ok((findings, item_ids, indicator_ids))
    }
}

impl Project {
    /// The project `id` when the caller may see it (batched with the request's other reads).
    pub async fn visible(ctx: &Context<'_>, id: i64) -> Result<Option<Project>> {
        Ok(access(ctx)?.loader().load_one(ProjectKey(id)).await?.map(Project))
    }

    /// The declaration as it is now, with its rows' ids (batched, cached).
    async fn current(&self, ctx: &Context<'_>) -> Result<SnapshotRecord> {
        let loader = &*access(ctx)?.loader();
        let items = loader.load_one(FundItemsOf(self.0.id)).await?.unwrap_or_default();
        let indicators = loader.load_one(IndicatorsOf(self.0.id)).await?.unwrap_or_default();
        let (fund_item_ids, indicator_ids) =
            (items.iter().map(|r| r.id).collect(), indicators.iter().map(|r| r.id).collect());
        Ok(SnapshotRecord {
            id: 0,
            project_id: self.0.id,
            version: self.0.version,
            approved_at: self.0.updated_at,
            approved_by: None,
            reason: String::new(),
            comment: String::new(),
            declaration: self
                .0
                .declaration(jixiao_store::record::values(Some(items)), jixiao_store::record::values(Some(indicators))),
            fund_item_ids,
            indicator_ids,
            approved_amount: None,
        })
    }

    async fn snapshot_list(&self, ctx: &Context<'_>) -> Result<Vec<SnapshotRecord>> {
        Ok(access(ctx)?.loader().load_one(SnapshotsOf(self.0.id)).await?.unwrap_or_default())
    }
}

#[Object]
impl Project {
    pub async fn id(&self) -> ID {
        encode(Kind::Project, self.0.id)
    }
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    /// 项目名称
    async fn name(&self) -> &str {
        &self.0.text.name
    }
    /// 项目类别
    /// `null` while a draft has not chosen it.
    async fn category(&self) -> Option<ProjectCategory> {
        self.0.text.category.map(Into::into)
    }
    async fn status(&self) -> ProjectStatus {
        self.0.status.into()
    }
    /// 批复金额 in force, in yuan: what its latest approval granted; null until approved.
    async fn approved_amount(&self) -> Option<String> {
        self.0.approved_amount.map(|m| m.to_string())
    }
    /// 核减: how much less than the annual request in force was approved, in yuan ("0.00" when
    /// approved whole); null until approved.
    async fn cut(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let Some(approved) = self.0.approved_amount else { return Ok(None) };
        // An approved project's own request is the one in force; an adjusting one's is kept
        // with its latest approval.
        let request = if self.0.status == jixiao_domain::Status::Approved {
            self.0.funds.annual_request
        } else {
            self.snapshot_list(ctx).await?.last().and_then(|s| s.declaration.funds.annual_request)
        };
        Ok(Some(jixiao_domain::approval::cut(request.unwrap_or_default(), approved).to_string()))
    }
    /// 上年评价结果 (结果应用): the result that counts for this request: its nearest predecessor's
    /// (the `previousProject` chain, else the same name in an earlier year) with one, the bureau's
    /// evaluation before the accepted self-evaluation; null when there is none.
    async fn prior_result(&self, ctx: &Context<'_>) -> Result<Option<crate::graphql::results::nodes::PriorResult>> {
        let prior = access(ctx)?.scope.results().prior_result(&self.0).await.map_err(ApiError::from)?;
        Ok(prior.map(crate::graphql::results::nodes::PriorResult))
    }
    /// 建议数: what the year's rules suggest for the request. The bureau's working figure: null
    /// for anyone but approvers and admins.
    async fn budget_suggestion(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::results::nodes::BudgetSuggestion>> {
        match access(ctx)?.scope.results().suggestion(&self.0).await {
            Ok(s) => Ok(Some(crate::graphql::results::nodes::BudgetSuggestion(s))),
            Err(jixiao_store::StoreError::Forbidden(_)) => Ok(None),
            Err(other) => Err(ApiError::from(other).into()),
        }
    }
    /// 安排数: the bureau's decision on the request, once made; null for anyone but approvers and
    /// admins.
    async fn budget_decision(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::results::nodes::BudgetDecision>> {
        match access(ctx)?.scope.results().decision_of(self.0.id).await {
            Ok(d) => Ok(d.map(crate::graphql::results::nodes::BudgetDecision)),
            Err(jixiao_store::StoreError::Forbidden(_)) => Ok(None),
            Err(other) => Err(ApiError::from(other).into()),
        }
    }
    /// 整改事项 its accepted self-evaluation opened, oldest first.
    #[graphql(complexity = "list_cost(jixiao_store::results::MAX_ITEMS_PER_PROJECT as usize, child_complexity)")]
    async fn rectifications(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::results::nodes::RectificationItem>> {
        let filter = jixiao_store::results::ItemFilter { project_id: Some(self.0.id), ..Default::default() };
        let items = access(ctx)?
            .scope
            .results()
            .items(&filter, None, jixiao_store::results::MAX_ITEMS_PER_PROJECT)
            .await
            .map_err(ApiError::from)?;
        Ok(items.into_iter().map(crate::graphql::results::nodes::RectificationItem).collect())
    }
    /// 批复下达: the act that issued the project to its department; null until issued.
    async fn issue(&self, ctx: &Context<'_>) -> Result<Option<crate::graphql::publication::ApprovalIssue>> {
        crate::graphql::publication::ApprovalIssue::of_project(ctx, self.0.approval_issue_id).await
    }
    /// Increases with every change; send it back as `expectedVersion` when editing.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// 主管部门
    async fn department(&self, ctx: &Context<'_>) -> Result<Department> {
        Department::of(ctx, self.0.department_id).await
    }
    /// 实施单位
    async fn implementing_unit(&self, ctx: &Context<'_>) -> Result<BudgetUnit> {
        let unit = access(ctx)?.loader().load_one(UnitKey(self.0.implementing_unit_id)).await?;
        Ok(BudgetUnit(
            unit.ok_or_else(|| ApiError::internal(&format!("budget unit {} is missing", self.0.implementing_unit_id)))?,
        ))
    }
    /// 计划开始日期
    async fn planned_start(&self) -> Option<Date> {
        self.0.text.planned_start.map(Date)
    }
    /// 计划完成日期
    async fn planned_end(&self) -> Option<Date> {
        self.0.text.planned_end.map(Date)
    }
    async fn sections(&self) -> Plain<Sections> {
        Plain(self.0.text.sections.clone().into())
    }
    /// 项目总目标 (may span years)
    async fn overall_goal(&self) -> &str {
        &self.0.text.overall_goal
    }
    /// 年度总目标
    async fn annual_goal(&self) -> &str {
        &self.0.text.annual_goal
    }
    /// 指标体系 the project is declared under: the one it says, or else the one its indicators
    /// imply (a COST level 1 means CENTRAL_2021).
    async fn indicator_framework(&self, ctx: &Context<'_>) -> Result<IndicatorFramework> {
        if let Some(declared) = self.0.text.indicator_framework {
            return Ok(declared.into());
        }
        let rows = access(ctx)?.loader().load_one(IndicatorsOf(self.0.id)).await?.unwrap_or_default();
        Ok(jixiao_domain::Framework::inferred(rows.iter().map(|r| r.value.level1)).into())
    }
    /// Whether `indicatorFramework` was implied by the indicators rather than chosen.
    async fn indicator_framework_inferred(&self) -> bool {
        self.0.text.indicator_framework.is_none()
    }
    async fn funds(&self) -> Plain<Funds> {
        Plain(Funds(self.0.funds))
    }
    /// 资金明细, in the form's order.
    #[graphql(complexity = "list_cost(MAX_FUND_ITEMS, child_complexity)")]
    async fn fund_items(&self, ctx: &Context<'_>) -> Result<PlainList<FundItem>> {
        let items = access(ctx)?.loader().load_one(FundItemsOf(self.0.id)).await?;
        Ok(PlainList(FundItem::list(items.unwrap_or_default())))
    }
    /// 绩效指标, in the form's order.
    #[graphql(complexity = "list_cost(MAX_INDICATORS, child_complexity)")]
    async fn indicators(&self, ctx: &Context<'_>) -> Result<PlainList<Indicator>> {
        let rows = access(ctx)?.loader().load_one(IndicatorsOf(self.0.id)).await?;
        Ok(PlainList(Indicator::list(rows.unwrap_or_default())))
    }
    /// What the reviewer's assistant finds in the declaration (computed from it as it is now).
    /// ERROR findings are what blocks submission.
    #[graphql(complexity = "list_cost(FINDINGS_COST, child_complexity)")]
    async fn findings(&self, ctx: &Context<'_>) -> Result<PlainList<Finding>> {
        let (findings, item_ids, indicator_ids) = self.review(ctx).await?;
        Ok(PlainList(findings.into_iter().map(|f| Finding::on_rows(f, &item_ids, &indicator_ids)).collect()))
    }
    async fn finding_counts(&self, ctx: &Context<'_>) -> Result<FindingCounts> {
        Ok(jixiao_domain::findings::counts(&self.review(ctx).await?.0).into())
    }
    /// 批复版本: the declaration as each approval approved it, oldest first (the newest 50 of a
    /// longer history).
    #[graphql(complexity = "list_cost(SNAPSHOTS_COST, child_complexity)")]
    async fn snapshots(&self, ctx: &Context<'_>) -> Result<Vec<ProjectSnapshot>> {
        Ok(self.snapshot_list(ctx).await?.into_iter().map(ProjectSnapshot).collect())
    }
    /// The targets in force (the last approval), while the project is approved or being
    /// adjusted; null before its first approval. Monitoring reads these targets.
    async fn in_force(&self, ctx: &Context<'_>) -> Result<Option<ProjectSnapshot>> {
        let last = self.snapshot_list(ctx).await?.pop();
        if last.is_none() && self.0.status == jixiao_domain::Status::Approved {
            // Approved before snapshots were kept: frozen since, so what it holds is in force.
            return Ok(Some(ProjectSnapshot(self.current(ctx).await?)));
        }
        Ok(last.map(ProjectSnapshot))
    }
    /// What differs between the snapshot approved at `fromVersion` and the one at `toVersion`,
    /// or the declaration as it is now when `toVersion` is left out: every box, fund item and
    /// indicator that changed, with its old and new value. Without `fromVersion`: since the
    /// previous submission (the one sent back or withdrawn), what a reviewer looks at on a
    /// project submitted again and its unit while editing; empty before a second submission.
    #[graphql(complexity = "list_cost(CHANGES_COST, child_complexity)")]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        from_version: Option<i32>,
        to_version: Option<i32>,
    ) -> Result<Vec<DeclarationChange>> {
        let snapshots = self.snapshot_list(ctx).await?;
        let find = |version: i32| {
            snapshots.iter().find(|s| s.version == version).cloned().ok_or_else(|| {
                let known: Vec<String> = snapshots.iter().map(|s| s.version.to_string()).collect();
                let known = if known.is_empty() { "无".to_string() } else { known.join("、") };
                ApiError::bad_input(
                    format!("没有版本 {version} 的批复快照（已有：{known}）"),
                    format!("there is no approved snapshot at version {version} (there are: {known})"),
                )
            })
        };
        let from = match from_version {
            Some(v) => find(v)?,
            None => {
                let submissions = access(ctx)?.loader().load_one(SubmissionsOf(self.0.id)).await?.unwrap_or_default();
                match jixiao_store::Projects::previous_submission(submissions, self.0.status) {
                    Some(submitted) => submitted,
                    None => return Ok(vec![]),
                }
            }
        };
        let to = match to_version {
            Some(v) => find(v)?,
            None => self.current(ctx).await?,
        };
        Ok(jixiao_domain::changes::changes(from.identified(), to.identified()).into_iter().map(Into::into).collect())
    }
    /// Its reports in the monitoring rounds of its year (those you may see), oldest round first.
    #[graphql(complexity = "list_cost(REPORTS_COST, child_complexity)")]
    async fn monitoring_reports(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::monitoring::report::MonitoringReport>> {
        let rows =
            access(ctx)?.loader().load_one(crate::graphql::monitoring::loaders::ReportsOfProject(self.0.id)).await?;
        Ok(rows.unwrap_or_default().into_iter().map(crate::graphql::monitoring::report::MonitoringReport).collect())
    }
    /// 审核意见: the reviewers' remarks on lines of the form, oldest first, with the unit's
    /// answers. Every one must be answered before the project is submitted again.
    #[graphql(complexity = "list_cost(REMARKS_COST, child_complexity)")]
    async fn remarks(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::declaration::review_remark::ReviewRemark>> {
        let rows = access(ctx)?.loader().load_one(crate::graphql::declaration::loaders::RemarksOf(self.0.id)).await?;
        Ok(rows.unwrap_or_default().into_iter().map(crate::graphql::declaration::review_remark::ReviewRemark).collect())
    }
    /// Its year-end self-evaluation (绩效自评), when started and you may see it.
    async fn self_evaluation(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::evaluation::node::SelfEvaluation>> {
        let e = access(ctx)?.loader().load_one(crate::graphql::evaluation::loaders::EvaluationOf(self.0.id)).await?;
        Ok(e.map(crate::graphql::evaluation::node::SelfEvaluation::new))
    }
    /// Every workflow step, oldest first (the newest 200 of a longer history).
    #[graphql(complexity = "list_cost(REVIEWS_COST, child_complexity)")]
    async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<Review>> {
        let rows = access(ctx)?.loader().load_one(ReviewsOf(self.0.id)).await?;
        Ok(rows.unwrap_or_default().into_iter().map(Review).collect())
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// When it was last submitted for review.
    async fn submitted_at(&self) -> Option<DateTime> {
        self.0.submitted_at.map(DateTime)
    }
    /// The project this one continues (`copyProject`), when you may see it.
    async fn previous_project(&self, ctx: &Context<'_>) -> Result<Option<Project>> {
        let Some(id) = self.0.previous_project_id else { return Ok(None) };
        Ok(access(ctx)?.loader().load_one(ProjectKey(id)).await?.map(Project))
    }
}
