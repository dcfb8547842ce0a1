//! The reviewer's assistant on a form that is not saved (`checkDeclaration`): what saving it
//! would refuse, and what the rules find in it, without writing anything.

use super::{Finding, ReviewContext, review_in};
use crate::declaration::DeclarationInput;
use crate::problem::Problem;

/// The problems that would refuse saving `input` (none when it may be saved), and the findings
/// of the form as far as it parses, in `context`: for a form that may be saved, exactly the
/// findings the saved project will have.
pub fn check_unsaved(input: &DeclarationInput, context: &ReviewContext<'_>) -> (Vec<Problem>, Vec<Finding>) {
    match input.check() {
        Ok(declaration) => (Vec::new(), review_in(&declaration, context)),
        Err(problems) => (problems, review_in(&input.as_far_as_it_parses(), context)),
    }
}

#[cfg(test)]
mod tests {
    use crate::declaration::DeclarationInput;
    use crate::indicator::MAX_INDICATORS;

    /// An oversized unsaved form is refused for its size, and the rules read only as much of it
    /// as a saved form may hold.
    #[test]
    fn an_oversized_form_is_read_only_as_far_as_a_saved_one_may_go() {
        let seed: serde_json::Value =
            serde_json::from_str(include_str!("../../../../fixtures/songjiang-2023.json")).unwrap();
        let mut project = seed["projects"][0].clone();
        let row = project["indicators"][0].clone();
        let rows: Vec<serde_json::Value> = (0..5_000)
            .map(|i| {
                let mut r = row.clone();
                r["name"] = format!("{}{i:05}", "很长的指标名称".repeat(50)).into();
                r
            })
            .collect();
        project["indicators"] = rows.into();
        project["fiscalYear"] = 2023.into();
        let input: DeclarationInput = serde_json::from_value(project).unwrap();
        let (problems, findings) = super::check_unsaved(&input, &super::ReviewContext::ALONE);
        assert!(problems.iter().any(|p| p.field == "indicators"), "refused for its size");
        let beyond = format!("indicators[{MAX_INDICATORS}]");
        assert!(findings.iter().all(|f| !f.field.starts_with(&beyond)), "no row past the limit is read");
    }
}
