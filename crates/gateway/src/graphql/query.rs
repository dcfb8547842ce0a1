use async_graphql::{Context, ID, Object, Result};

use crate::error::ApiError;
use crate::graphql::access::{Access, access, signed_in};
use crate::graphql::cost::list_cost;
use crate::graphql::declaration::findings::FindingTotal;
use crate::graphql::declaration::inputs::UserFilterInput;
use crate::graphql::declaration::project::Project;
use crate::graphql::declaration::project_list::{
    ProjectConnection, ProjectFilterInput, ProjectListArgs, ProjectOrderInput, parts_asked, prefetch,
    project_connection,
};
use crate::graphql::declaration::summary::DeclarationSummary;
use crate::graphql::evaluation::types::SelfEvaluationSummary;
use crate::graphql::form_lane::FormArgument;
use crate::graphql::monitoring::loaders::RoundKey;
use crate::graphql::monitoring::types::{MonitoringReport, MonitoringRound};
use crate::graphql::organization::departments::{DepartmentConnection, department_connection};
use crate::graphql::organization::loaders::{DepartmentKey, UnitKey, UserKey};
use crate::graphql::organization::user_list::{UserConnection, user_connection};
use crate::graphql::payload::{DeclarationCheck, user_errors};
use crate::graphql::plain::PlainList;
use crate::graphql::publication::Publication;
use crate::graphql::types::audit_log::{AuditEntryConnection, AuditLogFilter, audit_connection};
use crate::graphql::types::catalog::{CatalogLevel1, catalog};
use crate::graphql::types::connection::{PageRequest, page_cost};
use crate::graphql::types::labels::{EnumLabels, labels};
use crate::graphql::types::node::Node;
use crate::graphql::types::nodes::User;
use crate::graphql::types::nodes::{BudgetUnit, Department};
use crate::ids::{Kind, decode, decode_any};

pub struct Query;

/// A row per rule of the reviewer's assistant at most (there are fewer than 50).
const FINDING_CODES_COST: usize = 50;
/// The catalog's level 1s times their level 2s, rounded up.
const CATALOG_COST: usize = 10;
/// A row per department of a year's publications: a few hundred at most in one deployment.
const PUBLICATIONS_COST: usize = 500;
/// Findings of one form, as for one project's `findings`.
const CHECK_COST: usize = 50;

/// The row id of the department `id` names, NOT_FOUND when there is none (a summary of a
/// department that does not exist is a mistake to report, not an empty answer).
async fn existing_department(access: &Access, id: Option<&ID>) -> Result<Option<i64>> {
    let Some(id) = id else { return Ok(None) };
    let row = decode(id, Kind::Department)?;
    match access.loader().load_one(DepartmentKey(row)).await? {
        Some(_) => Ok(Some(row)),
        None => Err(ApiError::not_found(("主管部门", "department")).into()),
    }
}

/// A row of a project (an indicator, a fund item, a remark, its self-evaluation) as a node, when
/// its project is one the caller may see (and, for an evaluation, the reports rule shows it).
async fn row_node(access: &Access, kind: Kind, row: i64) -> Result<Option<Node>> {
    use crate::graphql::declaration::loaders::{FundItemsOf, IndicatorsOf, ProjectKey, RemarksOf};
    use crate::graphql::declaration::parts::{FundItem, Indicator};
    use crate::graphql::evaluation::loaders::EvaluationOf;
    use jixiao_store::row_owner::OwnedRow;
    let owned = match kind {
        Kind::Indicator => OwnedRow::Indicator,
        Kind::FundItem => OwnedRow::FundItem,
        Kind::ReviewRemark => OwnedRow::Remark,
        _ => OwnedRow::SelfEvaluation,
    };
    let Some(project) = access.scope.project_of_row(owned, row).await.map_err(ApiError::from)? else { return Ok(None) };
    if access.loader().load_one(ProjectKey(project)).await?.is_none() {
        return Ok(None);
    }
    Ok(match owned {
        OwnedRow::Indicator => {
            let rows = access.loader().load_one(IndicatorsOf(project)).await?.unwrap_or_default();
            Indicator::list(rows).into_iter().find(|i| i.id == row).map(Node::Indicator)
        }
        OwnedRow::FundItem => {
            let rows = access.loader().load_one(FundItemsOf(project)).await?.unwrap_or_default();
            FundItem::list(rows).into_iter().find(|i| i.id == row).map(Node::FundItem)
        }
        OwnedRow::Remark => {
            let rows = access.loader().load_one(RemarksOf(project)).await?.unwrap_or_default();
            rows.into_iter()
                .find(|r| r.id == row)
                .map(|r| Node::ReviewRemark(crate::graphql::declaration::review_remark::ReviewRemark(r)))
        }
        OwnedRow::SelfEvaluation => access
            .loader()
            .load_one(EvaluationOf(project))
            .await?
            .filter(|e| e.id == row)
            .map(|e| Node::SelfEvaluation(crate::graphql::evaluation::node::SelfEvaluation::new(e))),
    })
}

#[Object]
impl Query {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> Result<User> {
        let access = signed_in(ctx)?;
        // The caller's own user: an answer for them alone, not for their class.
        access.scope.answer_not_for_class();
        Ok(User(access.user.clone()))
    }

    /// Any object by its global ID. NOT_FOUND when it does not exist or you may not see it.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let access = access(ctx)?;
        let (kind, row) = decode_any(&id)?;
        let node = match kind {
            // Like `project(id)`: what the query asks of the project is loaded before it is
            // resolved, so the statements a node costs do not depend on how loads batch up.
            Kind::Project => {
                let asks = |path: &[&str]| path.iter().fold(ctx.look_ahead(), |l, f| l.field(f)).exists();
                let wanted = parts_asked(asks);
                match access.projects().get_with(row, wanted).await {
                    Ok(found) => prefetch(wanted, access, vec![found]).await?.pop().map(|p| Node::Project(Project(p))),
                    Err(jixiao_store::StoreError::NotFound) => None,
                    Err(other) => return Err(ApiError::from(other).into()),
                }
            }
            Kind::Department => {
                access.loader().load_one(DepartmentKey(row)).await?.map(|d| Node::Department(Department(d)))
            }
            Kind::BudgetUnit => access.loader().load_one(UnitKey(row)).await?.map(|u| Node::BudgetUnit(BudgetUnit(u))),
            // The users rule (domain::permissions::UserVisibility) is applied by the scope.
            Kind::User => access.loader().load_one(UserKey(row)).await?.map(|u| Node::User(User(u))),
            Kind::MonitoringRound => {
                access.loader().load_one(RoundKey(row)).await?.map(|r| Node::MonitoringRound(MonitoringRound(r)))
            }
            Kind::MonitoringReport => match access.scope.monitoring().report(row).await {
                Ok(report) => Some(Node::MonitoringReport(MonitoringReport(report))),
                Err(jixiao_store::StoreError::NotFound) => None,
                Err(other) => return Err(ApiError::from(other).into()),
            },
            // The items the caller follows (its department's, or every one for the bureau).
            Kind::RectificationItem => match access.scope.results().item_by_id(row).await {
                Ok(item) => Some(Node::RectificationItem(crate::graphql::results::nodes::RectificationItem(item))),
                Err(jixiao_store::StoreError::NotFound) => None,
                Err(other) => return Err(ApiError::from(other).into()),
            },
            Kind::LibraryEntry => match access.scope.library().get(row).await {
                Ok(entry) => Some(Node::LibraryEntry(crate::graphql::library::types::LibraryEntry(entry))),
                Err(jixiao_store::StoreError::NotFound) => None,
                Err(other) => return Err(ApiError::from(other).into()),
            },
            Kind::DepartmentGoals => match access.scope.department_goals().get(row).await {
                Ok(form) => {
                    Some(Node::DepartmentGoals(crate::graphql::department_goals::types::DepartmentGoals::new(form)))
                }
                Err(jixiao_store::StoreError::NotFound) => None,
                Err(other) => return Err(ApiError::from(other).into()),
            },
            Kind::DepartmentGoalsReport => match access.scope.department_goals().report(row).await {
                Ok(report) => Some(Node::DepartmentGoalsReport(
                    crate::graphql::department_goals::monitored::DepartmentGoalsReport::alone(report),
                )),
                Err(jixiao_store::StoreError::NotFound) => None,
                Err(other) => return Err(ApiError::from(other).into()),
            },
            Kind::DepartmentGoalsEvaluation => match access.scope.department_goals().evaluation(row).await {
                Ok(e) => Some(Node::DepartmentGoalsEvaluation(
                    crate::graphql::department_goals::evaluated::DepartmentGoalsEvaluation::alone(e),
                )),
                Err(jixiao_store::StoreError::NotFound) => None,
                Err(other) => return Err(ApiError::from(other).into()),
            },
            // A row of a project is read through its project, under the project's visibility.
            Kind::Indicator | Kind::FundItem | Kind::SelfEvaluation | Kind::ReviewRemark => {
                row_node(access, kind, row).await?
            }
        };
        Ok(Some(node.ok_or_else(|| ApiError::not_found(("对象", "object")))?))
    }

    /// Every department, in the order they were created.
    #[graphql(complexity = "page_cost(first, None, child_complexity)")]
    async fn departments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<DepartmentConnection> {
        Ok(department_connection(ctx, first, after).await?)
    }

    /// One department, by `id` or by `code` (exactly one of them).
    async fn department(&self, ctx: &Context<'_>, id: Option<ID>, code: Option<String>) -> Result<Option<Department>> {
        let access = access(ctx)?;
        let found = match (id, code) {
            (Some(id), None) => access.loader().load_one(DepartmentKey(decode(&id, Kind::Department)?)).await?,
            (None, Some(code)) => access.scope.department_by_code(&code).await.map_err(ApiError::from)?,
            _ => {
                return Err(ApiError::bad_input(
                    "`id` 与 `code` 须且只须给一个",
                    "give exactly one of `id` and `code`",
                )
                .into());
            }
        };
        Ok(Some(Department(found.ok_or_else(|| ApiError::not_found(("主管部门", "department")))?)))
    }

    /// The projects you may see, filtered, a page at a time in creation order.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProjectFilterInput>,
        order_by: Option<ProjectOrderInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<ProjectConnection> {
        let filter = filter.unwrap_or_default().into_store()?;
        Ok(project_connection(
            ctx,
            ProjectListArgs { filter, order_by, page: PageRequest::new(first, after, last, before)? },
        )
        .await?)
    }

    async fn project(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Project>> {
        let access = access(ctx)?;
        let asks = |path: &[&str]| path.iter().fold(ctx.look_ahead(), |l, f| l.field(f)).exists();
        let wanted = parts_asked(asks);
        let found = access.projects().get_with(decode(&id, Kind::Project)?, wanted).await.map_err(|e| match e {
            jixiao_store::StoreError::NotFound => ApiError::not_found(("项目", "project")),
            other => other.into(),
        })?;
        let found = prefetch(wanted, access, vec![found]).await?.pop().expect("the project read");
        Ok(Some(Project(found)))
    }

    /// What was declared in `fiscalYear` (optionally by one department), over the projects you may see.
    async fn declaration_summary(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
        department_id: Option<ID>,
    ) -> Result<DeclarationSummary> {
        let access = access(ctx)?;
        let department_id = existing_department(access, department_id.as_ref()).await?;
        Ok(DeclarationSummary::load(access, fiscal_year, department_id).await?)
    }

    /// The reviewer's assistant over a year (and optionally a department): how often each rule
    /// fired, over the projects you may see, most frequent first.
    #[graphql(complexity = "list_cost(FINDING_CODES_COST, child_complexity)")]
    async fn declaration_review(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
        department_id: Option<ID>,
    ) -> Result<Vec<FindingTotal>> {
        let access = access(ctx)?;
        let department_id = existing_department(access, department_id.as_ref()).await?;
        let mut totals = access.projects().finding_totals(fiscal_year, department_id).await.map_err(ApiError::from)?;
        totals.sort_by(|a, b| b.findings.cmp(&a.findings).then(a.code.cmp(&b.code)));
        Ok(totals.into_iter().map(Into::into).collect())
    }

    /// The people who sign in, filtered, a page at a time in creation order. Admins only.
    #[graphql(complexity = "page_cost(first, None, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        filter: Option<UserFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<UserConnection> {
        Ok(user_connection(ctx, filter, first, after).await?)
    }

    /// 审计日志: every login, write, download and change of a user or a rule, newest first, with
    /// who, when, from where, what and the outcome. Admins and security auditors only.
    #[graphql(complexity = "page_cost(first, None, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditLogFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<AuditEntryConnection> {
        Ok(audit_connection(ctx, filter, first, after).await?)
    }

    /// The reviewer's assistant on a form that is not saved (the shape of `createProject`'s
    /// input): what saving it would refuse, and its findings. Nothing is written; cheap enough to
    /// call as the user types.
    #[graphql(complexity = "list_cost(CHECK_COST, child_complexity)")]
    async fn check_declaration(&self, ctx: &Context<'_>, input: FormArgument) -> Result<DeclarationCheck> {
        let access = access(ctx)?;
        let input = input.into_form(ctx)?;
        let unit_id = decode(&input.implementing_unit_id, Kind::BudgetUnit)?;
        let (mut declaration, read) = input.into_domain();
        let at = |i| format!("indicators[{i}]");
        let read =
            crate::graphql::library::pick::fill_picked(&access.scope, &mut declaration.indicators, read, at).await?;
        let (mut problems, findings) = access.projects().check_unsaved(unit_id, &declaration).await?;
        problems.extend(read);
        Ok(DeclarationCheck {
            user_errors: user_errors(problems),
            finding_counts: jixiao_domain::findings::counts(&findings).into(),
            findings: PlainList(findings.into_iter().map(Into::into).collect()),
        })
    }

    /// 绩效运行监控: the monitoring rounds of a year, in the order they were opened (at most 24).
    #[graphql(complexity = "list_cost(jixiao_domain::monitoring::MAX_ROUNDS_PER_YEAR as usize, child_complexity)")]
    async fn monitoring_rounds(&self, ctx: &Context<'_>, fiscal_year: i32) -> Result<Vec<MonitoringRound>> {
        let rounds = access(ctx)?.scope.monitoring().rounds(fiscal_year).await.map_err(ApiError::from)?;
        Ok(rounds.into_iter().map(MonitoringRound).collect())
    }

    /// One monitoring round.
    async fn monitoring_round(&self, ctx: &Context<'_>, id: ID) -> Result<Option<MonitoringRound>> {
        let id = decode(&id, Kind::MonitoringRound)?;
        let round = access(ctx)?.loader().load_one(crate::graphql::monitoring::loaders::RoundKey(id)).await?;
        Ok(Some(MonitoringRound(round.ok_or_else(|| ApiError::not_found(("监控轮次", "monitoring round")))?)))
    }

    /// One monitoring report, if you may see it.
    async fn monitoring_report(&self, ctx: &Context<'_>, id: ID) -> Result<Option<MonitoringReport>> {
        let id = decode(&id, Kind::MonitoringReport)?;
        let report = access(ctx)?.scope.monitoring().report(id).await.map_err(|e| match e {
            jixiao_store::StoreError::NotFound => ApiError::not_found(("监控表", "monitoring report")),
            other => other.into(),
        })?;
        Ok(Some(MonitoringReport(report)))
    }

    /// 结果应用情况 of a year (and a department), for the bureau (approvers and admins).
    async fn results_application(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
        department_id: Option<ID>,
    ) -> Result<crate::graphql::results::report::ResultsApplication> {
        let access = access(ctx)?;
        let department_id = existing_department(access, department_id.as_ref()).await?;
        let report = access.scope.results().report(fiscal_year, department_id).await.map_err(ApiError::from)?;
        Ok(crate::graphql::results::report::ResultsApplication(report))
    }

    /// 结果应用规则 of a year: per grade SUPPORT or REDUCE (with its cut) and whether to hold until
    /// rectified; the defaults for grades the admins have not set.
    async fn result_rules(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
    ) -> Result<Vec<crate::graphql::results::types::ResultRuleView>> {
        let rules = access(ctx)?.scope.results().rules(fiscal_year).await.map_err(ApiError::from)?;
        Ok(rules.into_iter().map(Into::into).collect())
    }

    /// 待办: what waits for your action, each with its deadline; for approvers their assigned
    /// departments' first, then by deadline (none last), then the longest waiting. `first` 1–100
    /// (default 20) after a cursor of this list.
    #[graphql(complexity = "crate::graphql::types::connection::page_cost(first, None, child_complexity)")]
    async fn todo(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<crate::graphql::todo::types::TodoConnection> {
        crate::graphql::todo::list::todo(ctx, first, after).await
    }

    /// How many items wait for you, by kind and overdue (badges), in one statement.
    async fn todo_counts(&self, ctx: &Context<'_>) -> Result<crate::graphql::todo::types::TodoCounts> {
        crate::graphql::todo::list::todo_counts(ctx).await
    }

    /// 指标库: the common entries and your department's (the bureau: every entry), in the order
    /// they were added, at most 100 a page.
    #[graphql(complexity = "page_cost(first, None, child_complexity)")]
    async fn indicator_library(
        &self,
        ctx: &Context<'_>,
        filter: Option<crate::graphql::library::list::LibraryFilterInput>,
        first: Option<i32>,
        after: Option<ID>,
    ) -> Result<crate::graphql::library::types::LibraryEntryConnection> {
        crate::graphql::library::list::indicator_library(ctx, filter, first, after).await
    }

    /// One entry of the library. NOT_FOUND when it does not exist or you may not read it.
    async fn library_entry(&self, ctx: &Context<'_>, id: ID) -> Result<crate::graphql::library::types::LibraryEntry> {
        crate::graphql::library::list::library_entry(ctx, id).await
    }

    /// At most 10 confirmed entries for what is being typed (name or another spelling contains
    /// `text`, at most 50 characters), under `level2` when given: the common ones and the
    /// department's (yours; the bureau names one with `departmentId`), most used first.
    #[graphql(complexity = "list_cost(jixiao_domain::library::MAX_SUGGESTIONS as usize, child_complexity)")]
    async fn suggest_indicators(
        &self,
        ctx: &Context<'_>,
        level2: Option<jixiao_domain::Level2>,
        text: String,
        department_id: Option<ID>,
    ) -> Result<Vec<crate::graphql::library::types::IndicatorSuggestion>> {
        crate::graphql::library::list::suggest(ctx, level2, text, department_id).await
    }

    /// The year's deadlines you work to (the bureau: all; a department: the general ones and its
    /// own extensions), by stage.
    #[graphql(complexity = "list_cost(PUBLICATIONS_COST * 4, child_complexity)")]
    async fn deadlines(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
    ) -> Result<Vec<crate::graphql::todo::types::Deadline>> {
        crate::graphql::todo::list::deadlines(ctx, fiscal_year).await
    }

    /// The last 1,000 changes of the year's deadlines, oldest first (approvers and admins).
    #[graphql(complexity = "list_cost(jixiao_store::todo::MAX_CHANGES_LISTED as usize, child_complexity)")]
    async fn deadline_changes(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
    ) -> Result<Vec<crate::graphql::todo::types::DeadlineChangeView>> {
        crate::graphql::todo::list::deadline_changes(ctx, fiscal_year).await
    }

    /// What is overdue in a year, per department and stage (the bureau: every department; a
    /// department's users: their own); only where something is.
    #[graphql(complexity = "list_cost(PUBLICATIONS_COST * 7, child_complexity)")]
    async fn overdue_summary(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
    ) -> Result<Vec<crate::graphql::todo::types::Overdue>> {
        crate::graphql::todo::list::overdue(ctx, fiscal_year).await
    }

    /// 整改事项 you follow (your department's; every department's for the bureau), oldest first:
    /// `first` (1–100, default 50) after the item `after`.
    #[graphql(complexity = "list_cost(jixiao_store::results::MAX_ITEMS_LISTED as usize, child_complexity)")]
    async fn rectifications(
        &self,
        ctx: &Context<'_>,
        filter: Option<crate::graphql::results::types::RectificationFilterInput>,
        first: Option<i32>,
        after: Option<ID>,
    ) -> Result<Vec<crate::graphql::results::nodes::RectificationItem>> {
        let crate::graphql::results::types::RectificationFilterInput { fiscal_year, department_id, status, overdue } =
            filter.unwrap_or_default();
        let access = access(ctx)?;
        let first = first.unwrap_or(50);
        if !(1..=100).contains(&first) {
            return Err(ApiError::bad_input(
                format!("first 应在 1 到 100 之间，而不是 {first}"),
                format!("first is 1 to 100, not {first}"),
            )
            .into());
        }
        let filter = jixiao_store::results::ItemFilter {
            fiscal_year,
            department_id: department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?,
            project_id: None,
            status,
            overdue,
        };
        let after = after.as_ref().map(|a| decode(a, Kind::RectificationItem)).transpose()?;
        let items = access.scope.results().items(&filter, after, first as u64).await.map_err(ApiError::from)?;
        Ok(items.into_iter().map(crate::graphql::results::nodes::RectificationItem).collect())
    }

    /// 部门整体绩效目标 of a year that you may see (the bureau: every department's once handed
    /// in; a department's users: their own), by department, in `status` when given.
    #[graphql(complexity = "list_cost(jixiao_store::department_goals::MAX_FORMS_LISTED as usize, child_complexity)")]
    async fn department_goals(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
        status: Option<jixiao_domain::Status>,
    ) -> Result<Vec<crate::graphql::department_goals::types::DepartmentGoals>> {
        let forms = access(ctx)?.scope.department_goals().of_year(fiscal_year, status).await.map_err(ApiError::from)?;
        Ok(forms.into_iter().map(crate::graphql::department_goals::types::DepartmentGoals::new).collect())
    }

    /// 绩效公开 of a year, for the bureau: every department with an issued act, its due date and
    /// whether it published (overdue, stale); a department's own users see their own row only.
    #[graphql(complexity = "list_cost(PUBLICATIONS_COST, child_complexity)")]
    async fn publications(&self, ctx: &Context<'_>, fiscal_year: i32) -> Result<Vec<Publication>> {
        let statuses = access(ctx)?.scope.publication().statuses(fiscal_year).await.map_err(ApiError::from)?;
        Ok(statuses.into_iter().map(Publication).collect())
    }

    /// 绩效自评 of a year (and optionally a department) at a glance, over the self-evaluations you may see.
    async fn self_evaluation_summary(
        &self,
        ctx: &Context<'_>,
        fiscal_year: i32,
        department_id: Option<ID>,
    ) -> Result<SelfEvaluationSummary> {
        let access = access(ctx)?;
        let department_id = existing_department(access, department_id.as_ref()).await?;
        let s = access.scope.evaluations().summary(fiscal_year, department_id).await.map_err(ApiError::from)?;
        Ok(s.into())
    }

    /// The Chinese (and English) label of every value of every enum of the API, e.g.
    /// `ProjectStatus.DRAFT` → 草稿. Needs no token: a sign-in screen shows role names too.
    async fn labels(&self) -> Vec<EnumLabels> {
        labels()
    }

    /// 一级指标 → 二级指标, with Chinese labels.
    #[graphql(complexity = "list_cost(CATALOG_COST, child_complexity)")]
    async fn indicator_catalog(&self, ctx: &Context<'_>) -> Result<Vec<CatalogLevel1>> {
        access(ctx)?;
        Ok(catalog())
    }
}
