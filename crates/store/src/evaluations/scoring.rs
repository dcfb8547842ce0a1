//! A self-evaluation scored against its project's declaration in force.

use jixiao_domain::evaluation::{IndicatorResult, Points, Scored, Weights, default_weights, score};
use jixiao_domain::{Indicator, Problem};

use super::records::{Answers, EvaluationRecord, StoredWeights};
use crate::snapshots::IdentifiedDeclaration;

/// The weights the rules use: the evaluator's (in the order of the rows in force), or the default.
fn weights_for(ids: &[i64], indicators: &[Indicator], stored: Option<&StoredWeights>) -> Weights {
    match stored {
        Some(w) => Weights {
            execution: w.execution,
            indicators: ids.iter().map(|id| w.indicators.get(id).copied().unwrap_or_default()).collect(),
        },
        None => default_weights(indicators).unwrap_or(Weights { execution: Points::HUNDRED, indicators: vec![] }),
    }
}

/// Scores `answers` against the indicators in force (`indicators`, with their row ids `ids`);
/// returns the scores, the problems that refuse a save, and what blocks submission. Every form
/// that is self-evaluated (a project's, a department's) is scored by this rule.
pub(crate) fn score_rows(
    ids: &[i64],
    indicators: &[Indicator],
    answers: &Answers<'_>,
) -> (Scored, Vec<Problem>, Vec<Problem>) {
    let weights = weights_for(ids, indicators, answers.weights);
    let empty = IndicatorResult::default();
    let results: Vec<IndicatorResult> =
        ids.iter().map(|id| answers.results.get(id).unwrap_or(&empty).clone()).collect();
    score(indicators, &weights, answers.budget_executed, answers.approved, &results)
}

/// Scores `e` against `d`, the declaration in force (see [`score_rows`]).
pub(super) fn scored(d: &IdentifiedDeclaration, e: &EvaluationRecord) -> (Scored, Vec<Problem>, Vec<Problem>) {
    score_rows(&d.indicator_ids, &d.declaration.indicators, &e.answers())
}
