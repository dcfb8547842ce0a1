//! A self-evaluation scored against its project's declaration in force.

use jixiao_domain::Problem;
use jixiao_domain::evaluation::{IndicatorResult, Points, Scored, Weights, default_weights, score};

use super::records::{EvaluationRecord, StoredWeights};
use crate::snapshots::IdentifiedDeclaration;

/// The weights the rules use: the evaluator's (in the order of the rows in force), or the default.
fn weights_for(d: &IdentifiedDeclaration, stored: Option<&StoredWeights>) -> Weights {
    match stored {
        Some(w) => Weights {
            execution: w.execution,
            indicators: d.indicator_ids.iter().map(|id| w.indicators.get(id).copied().unwrap_or_default()).collect(),
        },
        None => default_weights(&d.declaration.indicators)
            .unwrap_or(Weights { execution: Points::HUNDRED, indicators: vec![] }),
    }
}

/// Scores `e` against `d`, the declaration in force; returns the scores, the problems that refuse
/// a save, and what blocks submission.
pub(super) fn scored(d: &IdentifiedDeclaration, e: &EvaluationRecord) -> (Scored, Vec<Problem>, Vec<Problem>) {
    let weights = weights_for(d, e.weights.as_ref());
    let empty = IndicatorResult::default();
    let results: Vec<IndicatorResult> =
        d.indicator_ids.iter().map(|id| e.results.get(id).unwrap_or(&empty).clone()).collect();
    score(&d.declaration.indicators, &weights, e.budget_executed, e.approved, &results)
}
