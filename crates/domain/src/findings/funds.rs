//! Funds rules: the arithmetic of the form, and a one-off project's single-year funding.

use super::{Finding, FindingCode};
use crate::declaration::{Category, Declaration};
use crate::funds::FundsMismatch;
use crate::money::Money;

pub(super) fn review(d: &Declaration, out: &mut Vec<Finding>) {
    let f = &d.funds;
    for m in f.mismatches(&d.fund_items) {
        out.push(match m {
            FundsMismatch::Total { expected } => Finding::new(
                FindingCode::FundsTotalMismatch,
                "funds.total",
                format!("项目资金总额 {} 元应等于财政资金 {} 元加其他资金 {} 元，即 {expected} 元，请核对。", f.total, f.fiscal, f.other),
            ),
            FundsMismatch::Annual { expected } => Finding::new(
                FindingCode::FundsAnnualMismatch,
                "funds.annualRequest",
                format!(
                    "年度资金申请总额 {} 元应等于当年财政拨款 {} 元、上年结转资金 {} 元与其他资金 {} 元之和，即 {expected} 元，请核对。",
                    f.annual_request, f.current_year_appropriation, f.carryover, f.annual_other
                ),
            ),
            FundsMismatch::AnnualOverTotal => Finding::new(
                FindingCode::FundsAnnualOverTotal,
                "funds.annualRequest",
                format!("年度资金申请总额 {} 元大于项目资金总额 {} 元，请核对。", f.annual_request, f.total),
            ),
            FundsMismatch::Items { sum } => Finding::new(
                FindingCode::FundItemsMismatch,
                "fundItems",
                format!("资金明细合计 {sum} 元，与年度资金申请总额 {} 元不符，请补齐或调整明细。", f.annual_request),
            ),
        });
    }
    if f.annual_request == Money::ZERO {
        out.push(Finding::new(
            FindingCode::AnnualRequestZero,
            "funds.annualRequest",
            "年度资金申请总额为零：申报项目须填写本年度申请的资金。",
        ));
    }
    if d.text.category == Category::OneOff && f.annual_request != f.total {
        out.push(Finding::new(
            FindingCode::OneOffAnnualNotTotal,
            "funds.annualRequest",
            format!(
                "一次性项目应在本年度内完成，年度资金申请总额 {} 元却与项目资金总额 {} 元不同：若项目跨年实施，请改为阶段性项目。",
                f.annual_request, f.total
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{clean, codes};
    use crate::declaration::Category;
    use crate::funds::FundItem;
    use crate::money::Money;

    #[test]
    fn arithmetic_faults_are_errors() {
        let mut d = clean();
        d.funds.fiscal = Money::from_fen(d.funds.fiscal.fen() - 1);
        assert_eq!(codes(&d), ["FUNDS_TOTAL_MISMATCH"]);
        let mut d = clean();
        d.fund_items = vec![FundItem { name: "调解员补贴".into(), amount: Money::from_fen(100) }];
        assert_eq!(codes(&d), ["FUND_ITEMS_MISMATCH"]);
        d.fund_items[0].amount = d.funds.annual_request;
        assert!(codes(&d).is_empty(), "items that sum to the annual request");
        let mut d = clean();
        d.funds.carryover = Money::from_fen(1);
        assert_eq!(codes(&d), ["FUNDS_ANNUAL_MISMATCH"]);
        let mut d = clean();
        d.funds.annual_request = Money::from_fen(d.funds.total.fen() + 100);
        d.funds.current_year_appropriation = d.funds.annual_request;
        d.text.sections.budget_arrangement.clear();
        assert_eq!(codes(&d), ["FUNDS_ANNUAL_OVER_TOTAL"]);
    }

    #[test]
    fn a_one_off_project_requests_its_whole_total() {
        let mut d = clean();
        d.text.category = Category::OneOff;
        assert!(codes(&d).is_empty());
        d.funds.total = Money::from_fen(d.funds.total.fen() * 2);
        d.funds.fiscal = d.funds.total;
        assert_eq!(codes(&d), ["ONE_OFF_ANNUAL_NOT_TOTAL"]);
    }

    #[test]
    fn nothing_requested_is_an_error() {
        let mut d = clean();
        for m in [
            &mut d.funds.total,
            &mut d.funds.fiscal,
            &mut d.funds.annual_request,
            &mut d.funds.current_year_appropriation,
        ] {
            *m = Money::ZERO;
        }
        d.text.sections.budget_arrangement.clear();
        assert_eq!(codes(&d), ["ANNUAL_REQUEST_ZERO"]);
    }
}
