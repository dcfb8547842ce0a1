//! What a declaration needs before review: no ERROR finding. Kept beside the rules (not in
//! `declaration.rs`) so that the rules may read declarations without the declaration reading
//! the rules back.

use super::{FindingCode, Severity, review};
use crate::declaration::Declaration;
use crate::problem::{Problem, ProblemCode, Problems};

impl Declaration {
    /// Every ERROR finding as a problem, all at once, each with its field; funds faults as
    /// FUNDS_MISMATCH, the rest as INCOMPLETE (or INVALID_TARGET / INVALID_INPUT where that is
    /// what they are).
    pub fn check_submission(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        for f in review(self).into_iter().filter(|f| f.severity() == Severity::Error) {
            let code = match f.code {
                FindingCode::FundsTotalMismatch
                | FindingCode::FundsAnnualMismatch
                | FindingCode::FundsAnnualOverTotal
                | FindingCode::FundItemsMismatch => ProblemCode::FundsMismatch,
                FindingCode::RateOver100 => ProblemCode::InvalidTarget,
                FindingCode::Level2WrongParent => ProblemCode::InvalidInput,
                _ => ProblemCode::Incomplete,
            };
            problems.push(f.field, code, f.message);
        }
        problems.into_result(())
    }
}
