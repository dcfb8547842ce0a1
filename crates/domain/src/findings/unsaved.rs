//! The reviewer's assistant on a form that is not saved (`checkDeclaration`): what saving it
//! would refuse, and what the rules find in it, without writing anything.

use super::{Finding, review};
use crate::declaration::DeclarationInput;
use crate::problem::Problem;

/// The problems that would refuse saving `input` (none when it may be saved), and the findings
/// of the form as far as it parses: for a form that may be saved, exactly the findings the saved
/// project will have.
pub fn check_unsaved(input: &DeclarationInput) -> (Vec<Problem>, Vec<Finding>) {
    match input.check() {
        Ok(declaration) => (Vec::new(), review(&declaration)),
        Err(problems) => (problems, review(&input.as_far_as_it_parses())),
    }
}
