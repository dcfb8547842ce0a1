//! The objects of results applied and rectification.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use jixiao_domain::evaluation::Grade;
use jixiao_domain::results::{BudgetAction, RectificationStatus, ResultRule, ResultSource, SuggestedAction};

use super::nodes::{BudgetDecision, BudgetSuggestion, PriorResult, RectificationItem};
use super::steps::RectificationStep;
use crate::graphql::access::access;
use crate::graphql::declaration::project::Project;
use crate::graphql::organization::loaders::UserKey;
use crate::graphql::scalars::{Date, DateTime};
use crate::graphql::types::nodes::User;
use crate::ids::{Kind, encode};

#[Object]
impl PriorResult {
    async fn fiscal_year(&self) -> i32 {
        self.0.result.fiscal_year
    }
    /// The predecessor evaluated, when you may see it.
    async fn project(&self, ctx: &Context<'_>) -> Result<Option<Project>> {
        Project::visible(ctx, self.0.result.project_id).await
    }
    async fn source(&self) -> ResultSource {
        self.0.result.source
    }
    /// 得分, two places.
    async fn score(&self) -> String {
        self.0.result.score.to_string()
    }
    async fn grade(&self) -> Grade {
        self.0.result.grade
    }
    /// 优 良 中 差.
    async fn grade_label(&self) -> &str {
        self.0.result.grade.label()
    }
    /// The predecessor's execution rate (of its accepted self-evaluation), % with two places.
    async fn execution_rate(&self) -> Option<String> {
        self.0.execution_rate.map(|p| p.to_string())
    }
}

#[Object]
impl BudgetSuggestion {
    async fn action(&self) -> SuggestedAction {
        self.0.action
    }
    /// The rule's cut, % with two places ("10.00").
    async fn cut_percent(&self) -> String {
        self.0.cut_percent.to_string()
    }
    /// 申请数, yuan.
    async fn requested(&self) -> String {
        self.0.requested.to_string()
    }
    /// 建议数, yuan (request × (1 − cut), half up to the fen; 0.00 while held).
    async fn suggested(&self) -> String {
        self.0.suggested.to_string()
    }
    /// requested − suggested, yuan.
    async fn cut(&self) -> String {
        self.0.cut.to_string()
    }
    /// Why, in your language: the result it rests on, a hold, or no result at all (a warning).
    async fn reasons(&self) -> Vec<String> {
        self.0.reasons.iter().map(crate::lang::read).collect()
    }
}

#[Object]
impl BudgetDecision {
    async fn amount(&self) -> String {
        jixiao_domain::Money::from_fen(self.0.amount_fen).to_string()
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    async fn decided_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(access(ctx)?.loader().load_one(UserKey(self.0.decided_by)).await?.map(User))
    }
    async fn decided_at(&self) -> DateTime {
        DateTime(self.0.decided_at)
    }
}

/// Which rectification items to list; every condition given holds.
#[derive(async_graphql::InputObject, Default)]
pub struct RectificationFilterInput {
    pub fiscal_year: Option<i32>,
    pub department_id: Option<ID>,
    pub status: Option<RectificationStatus>,
    /// Only items still open past their due date (true), or the others (false).
    pub overdue: Option<bool>,
}

/// One grade's rule of a year.
#[derive(SimpleObject)]
pub struct ResultRuleView {
    pub grade: Grade,
    pub grade_label: &'static str,
    pub action: BudgetAction,
    /// % with two places.
    pub cut_percent: String,
    /// Hold the money until every rectification item is closed.
    pub hold: bool,
}

impl From<ResultRule> for ResultRuleView {
    fn from(r: ResultRule) -> ResultRuleView {
        ResultRuleView {
            grade: r.grade,
            grade_label: r.grade.label(),
            action: r.action,
            cut_percent: r.cut.to_string(),
            hold: r.hold,
        }
    }
}

#[Object]
impl RectificationItem {
    pub async fn id(&self) -> ID {
        encode(Kind::RectificationItem, self.0.id)
    }
    /// The project evaluated, when you may see it.
    async fn project(&self, ctx: &Context<'_>) -> Result<Option<Project>> {
        Project::visible(ctx, self.0.project_id).await
    }
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    /// The indicator row it is about; null for the project as a whole.
    async fn indicator_id(&self) -> Option<ID> {
        self.0.indicator_id.map(|id| encode(Kind::Indicator, id))
    }
    /// 问题, as generated.
    async fn problem(&self) -> &str {
        &self.0.problem
    }
    /// 整改措施, once answered.
    async fn measure(&self) -> &str {
        &self.0.measure
    }
    /// 整改期限, once answered.
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }
    async fn status(&self) -> RectificationStatus {
        self.0.status
    }
    async fn status_label(&self) -> &str {
        self.0.status.label()
    }
    /// Send it back as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Why it was last reopened.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// When the department last answered it.
    async fn submitted_at(&self) -> Option<DateTime> {
        self.0.submitted_at.map(DateTime)
    }
    /// Every step, oldest first (the newest 200 of a longer history): who answered, closed or
    /// reopened it, when, and why it was reopened.
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_store::record::REVIEWS_SHOWN as usize, child_complexity)"
    )]
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<RectificationStep>> {
        RectificationStep::of_item(ctx, self.0.id).await
    }
}
