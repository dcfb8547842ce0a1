//! 绩效自评 on the API: a project's self-evaluation with its scores (computed by the domain's
//! rules against the targets in force), and a year's summary.

use async_graphql::{Context, ID, InputObject, MergedObject, Object, Result, SimpleObject};
use jixiao_domain::evaluation::{IndicatorResult, IndicatorScore, Points};
use jixiao_domain::monitoring::execution_rate;
use jixiao_store::IdentifiedDeclaration;
use jixiao_store::evaluations::{EvaluationScores, EvaluationSummary, Evaluations};

use crate::error::{ApiError, ApiResult};
use crate::graphql::access::access;
use crate::graphql::declaration::parts::Indicator;
use crate::graphql::evaluation::loaders::{EvaluationReviewsOf, InForceOfEvaluated};
use crate::graphql::monitoring::types::IndicatorInForce;
use crate::graphql::scalars::DateTime;
use crate::graphql::types::enums::{Achievement, Grade, IndicatorLevel1, MonitoringReportStatus};
use crate::ids::{Kind, decode, encode};

pub use crate::graphql::evaluation::node::SelfEvaluation;

impl SelfEvaluation {
    /// Scored once per object against the declaration in force, read with those of every other
    /// evaluation of the response (one batch, whatever the page size).
    async fn scores(&self, ctx: &Context<'_>) -> Result<&EvaluationScores> {
        let loader = &*access(ctx)?.loader();
        let project_id = self.record.project_id;
        Ok(self
            .scores
            .get_or_try_init(|| async {
                let in_force = loader.load_one(InForceOfEvaluated(project_id)).await?;
                let in_force =
                    in_force.ok_or_else(|| ApiError::internal(&format!("project {project_id} is missing")))?;
                Ok::<_, ApiError>(Evaluations::scores(&self.record, IdentifiedDeclaration::clone(&in_force)))
            })
            .await?)
    }
}

/// 绩效自评表: one project's year scored against its targets in force.
#[Object]
impl SelfEvaluation {
    pub async fn id(&self) -> ID {
        encode(Kind::SelfEvaluation, self.record.id)
    }
    async fn project(&self, ctx: &Context<'_>) -> Result<crate::graphql::declaration::project::Project> {
        let p = access(ctx)?
            .loader()
            .load_one(crate::graphql::declaration::loaders::ProjectKey(self.record.project_id))
            .await?;
        Ok(crate::graphql::declaration::project::Project(
            p.ok_or_else(|| ApiError::internal(&format!("project {} is missing", self.record.project_id)))?,
        ))
    }
    async fn status(&self) -> MonitoringReportStatus {
        self.record.status.into()
    }
    async fn version(&self) -> i32 {
        self.record.version
    }
    /// 年度资金申请总额 in force, in yuan.
    async fn annual_request(&self) -> String {
        self.record.annual_request.to_string()
    }
    /// 批复金额 in force, in yuan: what the execution is scored against.
    async fn approved_amount(&self) -> String {
        self.record.approved.to_string()
    }
    /// 全年预算执行数, in yuan.
    async fn budget_executed(&self) -> Option<String> {
        self.record.budget_executed.map(|m| m.to_string())
    }
    /// 预算执行率 (budgetExecuted / approvedAmount) in % with two places.
    async fn execution_rate(&self) -> Option<String> {
        self.record.budget_executed.and_then(|e| execution_rate(e, self.record.approved)).map(|p| p.to_string())
    }
    /// The execution rate's weight.
    async fn execution_weight(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.scores(ctx).await?.scored.execution_weight.to_string())
    }
    /// 预算执行得分.
    async fn execution_score(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.scores(ctx).await?.scored.execution_score.to_string())
    }
    /// Every indicator in force, with its weight, what the evaluator stated and its score.
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_domain::indicator::MAX_INDICATORS, child_complexity)"
    )]
    async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<IndicatorEvaluation>> {
        let s = self.scores(ctx).await?;
        let d = &s.in_force;
        Ok(d.indicator_ids
            .iter()
            .zip(&d.declaration.indicators)
            .zip(&s.scored.indicators)
            .enumerate()
            .map(|(position, ((id, indicator), scored))| {
                IndicatorEvaluation(
                    IndicatorInForce(Indicator { id: *id, position, indicator: indicator.clone() }),
                    ScoredResult::of(*id, &self.record.results, scored),
                )
            })
            .collect())
    }
    /// The points of each level 1 and what it scored.
    async fn level1_scores(&self, ctx: &Context<'_>) -> Result<Vec<Level1Score>> {
        let s = self.scores(ctx).await?;
        Ok(s.scored.by_level1(&s.in_force.declaration.indicators).into_iter().map(Level1Score::from).collect())
    }
    /// 总分: the sum of the rounded scores.
    async fn total_score(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.scores(ctx).await?.scored.total.to_string())
    }
    async fn grade(&self, ctx: &Context<'_>) -> Result<Grade> {
        Ok(self.scores(ctx).await?.scored.grade.into())
    }
    /// 优, 良, 中 or 差.
    async fn grade_label(&self, ctx: &Context<'_>) -> Result<&'static str> {
        Ok(self.scores(ctx).await?.scored.grade.label())
    }
    async fn submitted_at(&self) -> Option<DateTime> {
        self.record.submitted_at.map(DateTime)
    }
    /// Every step, oldest first (the newest 200 of a longer history).
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_store::record::REVIEWS_SHOWN as usize, child_complexity)"
    )]
    async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<EvaluationReview>> {
        let rows = access(ctx)?.loader().load_one(EvaluationReviewsOf(self.record.id)).await?;
        Ok(rows.unwrap_or_default().into_iter().map(EvaluationReview).collect())
    }
}

/// One indicator in force, scored.
#[derive(MergedObject)]
pub struct IndicatorEvaluation(pub IndicatorInForce, pub ScoredResult);

/// What the evaluator stated of one indicator, and what it scored: the same for every form that
/// is self-evaluated (a project's, a department's).
pub struct ScoredResult {
    pub result: IndicatorResult,
    pub weight: Points,
    pub score: Points,
    pub deduction: Points,
}

impl ScoredResult {
    /// The row `scored` of an evaluation whose answers are `results`, by row id `id`.
    pub fn of(
        id: i64,
        results: &std::collections::BTreeMap<i64, IndicatorResult>,
        scored: &IndicatorScore,
    ) -> ScoredResult {
        ScoredResult {
            result: results.get(&id).cloned().unwrap_or_default(),
            weight: scored.weight,
            score: scored.score,
            deduction: scored.deduction,
        }
    }
}

#[Object]
impl ScoredResult {
    /// Its points, with two places.
    async fn weight(&self) -> String {
        self.weight.to_string()
    }
    /// 实际完成值 as typed.
    async fn actual(&self) -> Option<&str> {
        self.result.actual.as_deref()
    }
    async fn achievement(&self) -> Option<Achievement> {
        self.result.achievement.map(Into::into)
    }
    /// Its score, rounded half up to the hundredth, less its deduction.
    async fn score(&self) -> String {
        self.score.to_string()
    }
    /// Why it scored below its weight, or went far beyond its target (120% or more of a floor,
    /// 80% or less of a ceiling): required in both cases before submission.
    async fn explanation(&self) -> Option<&str> {
        self.result.explanation.as_deref()
    }
    /// 扣分: the points taken off for a target set too low ("0.00" without one).
    async fn deduction(&self) -> String {
        self.deduction.to_string()
    }
    /// Why the points were taken off.
    async fn deduction_reason(&self) -> Option<&str> {
        self.result.deduction_reason.as_deref()
    }
}

/// A level 1's points and score.
#[derive(SimpleObject)]
pub struct Level1Score {
    pub level1: IndicatorLevel1,
    pub label: &'static str,
    /// Its points, with two places.
    pub weight: String,
    /// What its indicators scored together.
    pub score: String,
}

impl From<(jixiao_domain::Level1, Points, Points)> for Level1Score {
    fn from((l1, weight, score): (jixiao_domain::Level1, Points, Points)) -> Level1Score {
        Level1Score { level1: l1.into(), label: l1.label(), weight: weight.to_string(), score: score.to_string() }
    }
}

pub use crate::graphql::types::form_step::EvaluationReview;

/// Evaluations (or results, in `resultsApplication`) of one grade.
#[derive(SimpleObject)]
pub struct GradeCount {
    pub grade: Grade,
    pub label: &'static str,
    pub count: i64,
}

/// A year's self-evaluations at a glance (computed in SQL over those you may see).
#[derive(SimpleObject)]
pub struct SelfEvaluationSummary {
    pub count: i64,
    pub submitted: i64,
    pub accepted: i64,
    /// Over the submitted and accepted ones, with two places; null when there is none.
    pub average_score: Option<String>,
    /// Of the submitted and accepted ones.
    pub by_grade: Vec<GradeCount>,
}

impl From<EvaluationSummary> for SelfEvaluationSummary {
    fn from(s: EvaluationSummary) -> SelfEvaluationSummary {
        SelfEvaluationSummary {
            count: s.count,
            submitted: s.submitted,
            accepted: s.accepted,
            average_score: s.average.map(|p| p.to_string()),
            by_grade: s
                .by_grade
                .into_iter()
                .map(|(g, count)| GradeCount { grade: g.into(), label: g.label(), count })
                .collect(),
        }
    }
}

/// One weight, in points with at most two places.
#[derive(InputObject)]
pub struct IndicatorWeightInput {
    pub indicator_id: ID,
    pub weight: String,
}

/// The evaluator's weights: the execution rate's and every indicator's, summing to 100.
#[derive(InputObject)]
pub struct EvaluationWeightsInput {
    pub execution: String,
    pub indicators: Vec<IndicatorWeightInput>,
}

/// One indicator's result.
#[derive(InputObject)]
pub struct IndicatorResultInput {
    pub indicator_id: ID,
    #[graphql(flatten)]
    pub result: ResultInput,
}

/// What the evaluator states of one indicator, whatever the form it belongs to.
#[derive(InputObject)]
pub struct ResultInput {
    /// 实际完成值, typed like the target (`96%`, `18个`).
    pub actual: Option<String>,
    /// For a qualitative target.
    pub achievement: Option<Achievement>,
    /// For a qualitative target: a score inside the achievement's band, e.g. "4.50".
    pub score: Option<String>,
    /// Required below full marks, and far beyond the target (120% or more of a floor, 80% or
    /// less of a ceiling).
    pub explanation: Option<String>,
    /// 扣分 for a target set too low: points (at most the row's weight) taken off its score, e.g. "2.00".
    pub deduction: Option<String>,
    /// Why the points are taken off: required with a deduction.
    pub deduction_reason: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateSelfEvaluationInput {
    pub id: ID,
    pub expected_version: i32,
    /// 全年预算执行数 in yuan; `null` clears it.
    pub budget_executed: async_graphql::MaybeUndefined<String>,
    /// The evaluator's weights; `null` goes back to the default ones.
    pub weights: async_graphql::MaybeUndefined<EvaluationWeightsInput>,
    #[graphql(default)]
    pub indicators: Vec<IndicatorResultInput>,
}

#[derive(InputObject)]
pub struct StartSelfEvaluationInput {
    pub project_id: ID,
}

pub(crate) fn points(field: &str, text: &str) -> ApiResult<Points> {
    Points::parse(text).ok_or_else(|| {
        ApiError::bad_input(
            format!("{field}：“{text}”不是 0–100 之间最多两位小数的分值"),
            format!("{field}: “{text}” is not a score from 0 to 100 with at most two decimals"),
        )
    })
}

impl EvaluationWeightsInput {
    pub fn into_store(self) -> ApiResult<jixiao_store::evaluations::StoredWeights> {
        let mut indicators = std::collections::BTreeMap::new();
        for (n, w) in self.indicators.into_iter().enumerate() {
            indicators.insert(
                decode(&w.indicator_id, Kind::Indicator)?,
                points(&format!("weights.indicators[{n}].weight"), &w.weight)?,
            );
        }
        Ok(jixiao_store::evaluations::StoredWeights {
            execution: points("weights.execution", &self.execution)?,
            indicators,
        })
    }
}

impl IndicatorResultInput {
    pub fn into_store(self, n: usize) -> ApiResult<(i64, IndicatorResult)> {
        Ok((decode(&self.indicator_id, Kind::Indicator)?, self.result.into_store(n)?))
    }
}

impl ResultInput {
    /// The result of the `n`th row entered.
    pub fn into_store(self, n: usize) -> ApiResult<IndicatorResult> {
        Ok(IndicatorResult {
            actual: self.actual,
            achievement: self.achievement.map(Into::into),
            score: self.score.as_deref().map(|s| points(&format!("indicators[{n}].score"), s)).transpose()?,
            explanation: self.explanation,
            deduction: self
                .deduction
                .as_deref()
                .map(|s| points(&format!("indicators[{n}].deduction"), s))
                .transpose()?,
            deduction_reason: self.deduction_reason,
        })
    }
}
