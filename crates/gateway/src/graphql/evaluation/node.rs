//! The self-evaluation as a type of its own, so that a project can show its self-evaluation
//! while the self-evaluation's fields (in `self_evaluation.rs`) lead back to the project without
//! a circle of imports.

use jixiao_store::evaluations::{EvaluationRecord, EvaluationScores};
use tokio::sync::OnceCell;

/// 绩效自评表 (its fields: `self_evaluation.rs`).
pub struct SelfEvaluation {
    pub record: EvaluationRecord,
    /// Scored at most once per object, against the declaration in force.
    pub(super) scores: OnceCell<EvaluationScores>,
}

impl SelfEvaluation {
    pub fn new(record: EvaluationRecord) -> SelfEvaluation {
        SelfEvaluation { record, scores: OnceCell::new() }
    }
}
