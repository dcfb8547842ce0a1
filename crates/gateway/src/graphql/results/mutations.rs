//! The mutations of results applied: the bureau's evaluation and decision, the year's rules, and
//! the rectification items' answers, closing and reopening.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use jixiao_domain::evaluation::{Grade, Points};
use jixiao_domain::monitoring::Percent;
use jixiao_domain::results::{BudgetAction, ResultRule};
use jixiao_domain::{Message, Money, Problem, ProblemCode};
use jixiao_store::StoreError;

use super::nodes::{BudgetDecision, RectificationItem};
use super::types::ResultRuleView;
use crate::graphql::access::access;
use crate::graphql::payload::{UserError, outcome};
use crate::graphql::scalars::Date;
use crate::ids::{Kind, decode};

#[derive(InputObject)]
pub struct FinanceEvaluationInput {
    pub project_id: ID,
    /// 0 to 100, at most two decimals ("76.00").
    pub score: String,
    pub comment: Option<String>,
}

#[derive(SimpleObject)]
pub struct FinanceEvaluationPayload {
    /// The grade the score earns, once recorded.
    pub grade: Option<Grade>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct ResultRuleInput {
    pub grade: Grade,
    pub action: BudgetAction,
    /// % with at most two places, 0 for SUPPORT ("10", "12.5").
    pub cut_percent: String,
    pub hold: bool,
}

#[derive(InputObject)]
pub struct SetResultRulesInput {
    pub fiscal_year: i32,
    /// Some grades' rules; the others keep theirs. At most one per grade.
    pub rules: Vec<ResultRuleInput>,
}

#[derive(SimpleObject)]
pub struct ResultRulesPayload {
    /// The year's four rules as they now are.
    pub rules: Vec<ResultRuleView>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct DecideBudgetInput {
    pub project_id: ID,
    /// 安排数 in yuan: at most the request; other than the suggestion only with a `reason`.
    pub amount: String,
    pub reason: Option<String>,
}

#[derive(SimpleObject)]
pub struct BudgetDecisionPayload {
    pub decision: Option<BudgetDecision>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct AnswerRectificationInput {
    pub id: ID,
    pub expected_version: i32,
    /// 整改措施, 1 to 2,000 characters.
    pub measure: String,
    /// 整改期限.
    pub due_on: Date,
}

#[derive(InputObject)]
pub struct RectificationStepInput {
    pub id: ID,
    pub expected_version: i32,
    /// Why it is reopened (required to reopen).
    pub reason: Option<String>,
}

#[derive(SimpleObject)]
pub struct RectificationPayload {
    pub item: Option<RectificationItem>,
    pub user_errors: Vec<UserError>,
}

fn invalid(field: &str, message: Message) -> StoreError {
    StoreError::Rejected(vec![Problem::new(field, ProblemCode::InvalidInput, message)])
}

/// A percentage as typed ("10", "12.5", "12.50"), in hundredths.
fn percent(field: &str, text: &str) -> Result<Percent, StoreError> {
    let points = Points::parse(text).ok_or_else(|| {
        invalid(
            field,
            Message::new(
                format!("“{text}”不是 0 到 100 之间的百分比"),
                format!("“{text}” is not a percentage from 0 to 100"),
            ),
        )
    })?;
    Ok(Percent(points.0))
}

#[derive(Default)]
pub struct ResultsMutation;

#[Object]
impl ResultsMutation {
    /// 财政评价: the bureau's own score of a project that ran its year (approvers); it outranks
    /// the project's self-evaluation as the result that counts for its successor. A later one
    /// replaces it.
    async fn record_finance_evaluation(
        &self,
        ctx: &Context<'_>,
        input: FinanceEvaluationInput,
    ) -> Result<FinanceEvaluationPayload> {
        let access = access(ctx)?;
        let project = decode(&input.project_id, Kind::Project)?;
        let result = match Points::parse(&input.score) {
            Some(score) => {
                access
                    .scope
                    .results()
                    .record_finance_evaluation(project, score, input.comment.as_deref().unwrap_or(""))
                    .await
            }
            None => Err(invalid(
                "score",
                Message::new(
                    "评价得分应为 0 到 100 的数，最多两位小数",
                    "a score is a number from 0 to 100 with at most two places",
                ),
            )),
        };
        let (kept, user_errors) = outcome(result)?;
        Ok(FinanceEvaluationPayload { grade: kept.and_then(|k| Grade::from_code(&k.grade)), user_errors })
    }

    /// Sets a year's rules of results applied (admins): per grade SUPPORT or REDUCE by a
    /// percentage, and whether to hold the money until the rectification items are closed.
    async fn set_result_rules(&self, ctx: &Context<'_>, input: SetResultRulesInput) -> Result<ResultRulesPayload> {
        let access = access(ctx)?;
        let mut rules = Vec::with_capacity(input.rules.len());
        let mut problems = Vec::new();
        for (n, r) in input.rules.iter().enumerate() {
            if input.rules[..n].iter().any(|earlier| earlier.grade == r.grade) {
                problems.push(Problem::new(
                    format!("rules[{n}].grade"),
                    ProblemCode::InvalidInput,
                    Message::new("同一等级给出了两条规则", "two rules for one grade"),
                ));
                continue;
            }
            match percent(&format!("rules[{n}].cutPercent"), &r.cut_percent) {
                Ok(cut) => rules.push(ResultRule { grade: r.grade, action: r.action, cut, hold: r.hold }),
                Err(StoreError::Rejected(p)) => problems.extend(p),
                Err(other) => return Err(crate::error::ApiError::from(other).into()),
            }
        }
        let result = if problems.is_empty() {
            access.scope.results().set_rules(input.fiscal_year, &rules).await
        } else {
            Err(StoreError::Rejected(problems))
        };
        let (now, user_errors) = outcome(result)?;
        Ok(ResultRulesPayload { rules: now.unwrap_or_default().into_iter().map(Into::into).collect(), user_errors })
    }

    /// 安排数: decides a request waiting for the bureau (approvers): at most the request, other
    /// than the suggestion only with a reason. `approveProject` then grants it unless it names an
    /// amount of its own.
    async fn decide_budget(&self, ctx: &Context<'_>, input: DecideBudgetInput) -> Result<BudgetDecisionPayload> {
        let access = access(ctx)?;
        let project = decode(&input.project_id, Kind::Project)?;
        let result = match Money::parse_yuan(&input.amount) {
            Ok(amount) => access.scope.results().decide(project, amount, input.reason.as_deref().unwrap_or("")).await,
            Err(e) => Err(invalid("amount", e.message())),
        };
        let (decision, user_errors) = outcome(result)?;
        Ok(BudgetDecisionPayload { decision: decision.map(BudgetDecision), user_errors })
    }

    /// Answers a rectification item (the department's submitters): the measure and its due date;
    /// again, while it is not closed.
    async fn answer_rectification(
        &self,
        ctx: &Context<'_>,
        input: AnswerRectificationInput,
    ) -> Result<RectificationPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::RectificationItem)?;
        let result = access.scope.results().answer(id, input.expected_version, &input.measure, input.due_on.0).await;
        let (item, user_errors) = outcome(result)?;
        Ok(RectificationPayload { item: item.map(RectificationItem), user_errors })
    }

    /// Closes an answered rectification item (approvers).
    async fn close_rectification(
        &self,
        ctx: &Context<'_>,
        input: RectificationStepInput,
    ) -> Result<RectificationPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::RectificationItem)?;
        let (item, user_errors) = outcome(access.scope.results().close(id, input.expected_version).await)?;
        Ok(RectificationPayload { item: item.map(RectificationItem), user_errors })
    }

    /// Reopens a closed rectification item with a reason (approvers).
    async fn reopen_rectification(
        &self,
        ctx: &Context<'_>,
        input: RectificationStepInput,
    ) -> Result<RectificationPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::RectificationItem)?;
        let reason = input.reason.as_deref().unwrap_or("");
        let (item, user_errors) = outcome(access.scope.results().reopen(id, input.expected_version, reason).await)?;
        Ok(RectificationPayload { item: item.map(RectificationItem), user_errors })
    }
}
