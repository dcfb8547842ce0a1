//! A self-evaluation as an instance of the reviewed-form lifecycle: it lives by a report's rules.

use crate::monitoring::form::report_rules_form;

report_rules_form!(
    /// Self-evaluations.
    EvaluationForm,
    self_evaluation,
    self_evaluation_review,
    EvaluationId,
    super::records::EvaluationRecord,
    ("自评", "self-evaluation")
);
