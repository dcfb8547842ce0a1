//! What a declaration needs before review: no ERROR finding. Kept beside the rules (not in
//! `declaration.rs`) so that the rules may read declarations without the declaration reading
//! the rules back.

use super::{FindingCode, Severity, review, review_department_goals};
use crate::declaration::Declaration;
use crate::department_goals::{DepartmentGoals, YearProject};
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

impl DepartmentGoals {
    /// What the department-wide form needs before review, among the department's `projects` of
    /// the year: no ERROR finding; sums that disagree as FUNDS_MISMATCH, the rest as they are
    /// for a project.
    pub fn check_submission(&self, projects: &[YearProject<'_>]) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        for f in review_department_goals(self, projects).into_iter().filter(|f| f.severity() == Severity::Error) {
            let code = match f.code {
                FindingCode::ProjectExpenditureMismatch | FindingCode::DepartmentIncomeMismatch => {
                    ProblemCode::FundsMismatch
                }
                FindingCode::RateOver100 => ProblemCode::InvalidTarget,
                FindingCode::Level2WrongParent | FindingCode::TaskProjectUnknown => ProblemCode::InvalidInput,
                _ => ProblemCode::Incomplete,
            };
            problems.push(f.field, code, f.message);
        }
        problems.into_result(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{clean, set_target};
    use crate::catalog::Level2;
    use crate::money::Money;
    use crate::problem::ProblemCode;

    fn problems(d: &crate::declaration::Declaration) -> Vec<(String, ProblemCode)> {
        d.check_submission().err().unwrap_or_default().into_iter().map(|p| (p.field, p.code)).collect()
    }

    /// What blocks a submission is each ERROR finding, with the code a client switches on:
    /// funds faults FUNDS_MISMATCH, a rate over 100% INVALID_TARGET, a level 2 under another
    /// level 1 INVALID_INPUT, anything missing INCOMPLETE; warnings do not block.
    #[test]
    fn each_error_blocks_with_its_code_and_warnings_do_not() {
        assert_eq!(problems(&clean()), []);
        let mut d = clean();
        d.funds.fiscal = Some(Money::from_fen(1));
        assert!(problems(&d).iter().any(|(_, c)| *c == ProblemCode::FundsMismatch), "{:?}", problems(&d));
        let mut d = clean();
        set_target(&mut d, 1, ">=120%");
        assert_eq!(problems(&d), [("indicators[1].target".to_string(), ProblemCode::InvalidTarget)]);
        let mut d = clean();
        d.indicators[0].level2 = Level2::SocialBenefit;
        assert_eq!(problems(&d), [("indicators[0].level2".to_string(), ProblemCode::InvalidInput)]);
        let mut d = clean();
        d.text.category = None;
        assert_eq!(problems(&d), [("category".to_string(), ProblemCode::Incomplete)]);
        let mut d = clean();
        d.text.sections.budget_arrangement = "年度预算为 99 万元。".into();
        assert!(!super::super::review(&d).is_empty(), "a warning is found");
        assert_eq!(problems(&d), [], "and does not block");
    }
}
