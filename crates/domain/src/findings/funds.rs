//! Funds rules: the arithmetic of the form, and a one-off project's single-year funding.

use super::{Finding, FindingCode};
use crate::declaration::{Category, Declaration};
use crate::funds::{FUND_BOXES, FundsMismatch};
use crate::message::Message;
use crate::money::Money;

pub(super) fn review(d: &Declaration, out: &mut Vec<Finding>) {
    let f = &d.funds;
    for ((field, (zh, en)), amount) in FUND_BOXES.iter().zip(f.amounts()) {
        if amount.is_none() {
            out.push(Finding::new(
                FindingCode::AmountMissing,
                format!("funds.{field}"),
                Message::new(
                    format!("请填写{zh}（元；没有的填 0）。"),
                    format!("Fill in {en} (yuan; 0 where there is none)."),
                ),
            ));
        }
    }
    for (i, item) in d.fund_items.iter().enumerate() {
        if item.name.trim().is_empty() {
            out.push(Finding::new(
                FindingCode::RowNameMissing,
                format!("fundItems[{i}].name"),
                Message::new("没有填写名称。", "The name is missing."),
            ));
        }
    }
    // Each rule compares amounts only once they are known (see `Funds::mismatches`).
    let known = |m: Option<Money>| m.unwrap_or_default();
    let (total, fiscal, other) = (known(f.total), known(f.fiscal), known(f.other));
    let annual = known(f.annual_request);
    for m in f.mismatches(&d.fund_items) {
        out.push(match m {
            FundsMismatch::Total { expected } => Finding::new(
                FindingCode::FundsTotalMismatch,
                "funds.total",
                Message::new(
                    format!("项目资金总额 {total} 元应等于财政资金 {fiscal} 元加其他资金 {other} 元，即 {expected} 元，请核对。"),
                    format!(
                        "The project total {total} yuan should equal the fiscal funds {fiscal} plus the other funds {other}, that is {expected} yuan: check them."
                    ),
                ),
            ),
            FundsMismatch::Annual { expected } => {
                let (appropriation, carryover, annual_other) =
                    (known(f.current_year_appropriation), known(f.carryover), known(f.annual_other));
                Finding::new(
                    FindingCode::FundsAnnualMismatch,
                    "funds.annualRequest",
                    Message::new(
                        format!(
                            "年度资金申请总额 {annual} 元应等于当年财政拨款 {appropriation} 元、上年结转资金 {carryover} 元与其他资金 {annual_other} 元之和，即 {expected} 元，请核对。"
                        ),
                        format!(
                            "The annual request {annual} yuan should equal the current-year appropriation {appropriation}, the prior-year carryover {carryover} and the annual other funds {annual_other} together, that is {expected} yuan: check them."
                        ),
                    ),
                )
            }
            FundsMismatch::AnnualOverTotal => Finding::new(
                FindingCode::FundsAnnualOverTotal,
                "funds.annualRequest",
                Message::new(
                    format!("年度资金申请总额 {annual} 元大于项目资金总额 {total} 元，请核对。"),
                    format!("The annual request {annual} yuan is more than the project total {total} yuan: check them."),
                ),
            ),
            FundsMismatch::Items { sum } => Finding::new(
                FindingCode::FundItemsMismatch,
                "fundItems",
                Message::new(
                    format!("资金明细合计 {sum} 元，与年度资金申请总额 {annual} 元不符，请补齐或调整明细。"),
                    format!(
                        "The fund items add up to {sum} yuan, not to the annual request of {annual} yuan: complete or adjust them."
                    ),
                ),
            ),
        });
    }
    if f.annual_request == Some(Money::ZERO) {
        out.push(Finding::new(
            FindingCode::AnnualRequestZero,
            "funds.annualRequest",
            Message::new(
                "年度资金申请总额为零：申报项目须填写本年度申请的资金。",
                "The annual request is zero: a declared project states the funds it requests this year.",
            ),
        ));
    }
    if let (Some(Category::OneOff), Some(annual), Some(total)) = (d.text.category, f.annual_request, f.total) {
        if annual != total {
            out.push(Finding::new(
                FindingCode::OneOffAnnualNotTotal,
                "funds.annualRequest",
                Message::new(
                    format!(
                        "一次性项目应在本年度内完成，年度资金申请总额 {annual} 元却与项目资金总额 {total} 元不同：若项目跨年实施，请改为阶段性项目。"
                    ),
                    format!(
                        "A one-off project is completed within the year, yet its annual request {annual} yuan differs from its total {total} yuan: if it spans years, declare it as phased."
                    ),
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{clean, codes, requesting};
    use crate::declaration::Category;
    use crate::funds::FundItem;
    use crate::money::Money;

    #[test]
    fn arithmetic_faults_are_errors() {
        let mut d = clean();
        d.funds.fiscal = d.funds.fiscal.map(|m| Money::from_fen(m.fen() - 1));
        assert_eq!(codes(&d), ["FUNDS_TOTAL_MISMATCH"]);
        let mut d = clean();
        d.fund_items = vec![FundItem { name: "调解员补贴".into(), amount: Money::from_fen(100) }];
        assert_eq!(codes(&d), ["FUND_ITEMS_MISMATCH"]);
        d.fund_items[0].amount = d.funds.annual_request.unwrap();
        assert!(codes(&d).is_empty(), "items that sum to the annual request");
        let mut d = clean();
        d.funds.carryover = Some(Money::from_fen(1));
        assert_eq!(codes(&d), ["FUNDS_ANNUAL_MISMATCH"]);
        let mut d = clean();
        d.funds.annual_request = Some(Money::from_fen(d.funds.total.unwrap().fen() + 100));
        d.funds.current_year_appropriation = d.funds.annual_request;
        d.text.sections.budget_arrangement.clear();
        assert_eq!(codes(&d), ["FUNDS_ANNUAL_OVER_TOTAL"]);
    }

    #[test]
    fn a_one_off_project_requests_its_whole_total() {
        let mut d = clean();
        d.text.category = Some(Category::OneOff);
        assert!(codes(&d).is_empty());
        d.funds.total = Some(Money::from_fen(d.funds.total.unwrap().fen() * 2));
        d.funds.fiscal = d.funds.total;
        assert_eq!(codes(&d), ["ONE_OFF_ANNUAL_NOT_TOTAL"]);
    }

    #[test]
    fn an_unknown_amount_is_an_error_and_waits_to_be_compared() {
        let mut d = clean();
        d.funds.other = None;
        d.funds.fiscal = Some(Money::ZERO);
        assert_eq!(codes(&d), ["AMOUNT_MISSING"], "no total mismatch while other funds are unknown");
        let finding = &super::super::review(&d)[0];
        assert_eq!(finding.field, "funds.other");
        assert!(finding.message.zh().contains("其他资金"));
    }

    #[test]
    fn nothing_requested_is_an_error() {
        let mut d = clean();
        requesting(&mut d, Money::ZERO);
        d.text.sections.budget_arrangement.clear();
        assert_eq!(codes(&d), ["ANNUAL_REQUEST_ZERO"]);
    }
}
