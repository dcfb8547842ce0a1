//! 项目资金（元）: the project's funds and their arithmetic.
//!
//! - 项目资金总额 (total) = 财政资金 (fiscal) + 其他资金 (other)
//! - 年度资金申请总额 (annual request) = 当年财政拨款 (current-year appropriation)
//!   + 上年结转资金 (prior-year carryover) + 其他资金 (annual other)
//! - annual request ≤ total (for a PHASED project the total is the whole multi-year amount)
//! - 资金明细 (fund items), when present, sum to the annual request.

use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::problem::{ProblemCode, Problems};

/// The funds box of the form, as amounts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Funds {
    pub total: Money,
    pub fiscal: Money,
    pub other: Money,
    pub annual_request: Money,
    pub current_year_appropriation: Money,
    pub carryover: Money,
    pub annual_other: Money,
}

/// The funds box as entered: decimal strings in yuan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FundsInput {
    pub total: String,
    pub fiscal: String,
    pub other: String,
    pub annual_request: String,
    pub current_year_appropriation: String,
    pub carryover: String,
    pub annual_other: String,
}

/// 资金明细: a named part of the annual request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundItem {
    pub name: String,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundItemInput {
    pub name: String,
    pub amount: String,
}

pub const MAX_FUND_ITEMS: usize = 100;
pub const MAX_FUND_ITEM_NAME: usize = 200;

impl FundsInput {
    /// Parses every amount, reporting each one that is not an exact non-negative yuan amount.
    pub fn parse(&self, problems: &mut Problems) -> Funds {
        let mut amount = |field: &str, text: &str| {
            Money::parse_yuan(text).unwrap_or_else(|e| {
                problems.push(format!("funds.{field}"), ProblemCode::InvalidInput, e.to_string());
                Money::ZERO
            })
        };
        Funds {
            total: amount("total", &self.total),
            fiscal: amount("fiscal", &self.fiscal),
            other: amount("other", &self.other),
            annual_request: amount("annualRequest", &self.annual_request),
            current_year_appropriation: amount("currentYearAppropriation", &self.current_year_appropriation),
            carryover: amount("carryover", &self.carryover),
            annual_other: amount("annualOther", &self.annual_other),
        }
    }
}

impl Funds {
    pub fn to_input(&self) -> FundsInput {
        FundsInput {
            total: self.total.to_string(),
            fiscal: self.fiscal.to_string(),
            other: self.other.to_string(),
            annual_request: self.annual_request.to_string(),
            current_year_appropriation: self.current_year_appropriation.to_string(),
            carryover: self.carryover.to_string(),
            annual_other: self.annual_other.to_string(),
        }
    }

    /// The rules of the form's arithmetic that do not hold, in the form's order.
    pub fn mismatches(&self, items: &[FundItem]) -> Vec<FundsMismatch> {
        let mut out = Vec::new();
        if self.fiscal + self.other != self.total {
            out.push(FundsMismatch::Total { expected: self.fiscal + self.other });
        }
        let annual_parts = self.current_year_appropriation + self.carryover + self.annual_other;
        if annual_parts != self.annual_request {
            out.push(FundsMismatch::Annual { expected: annual_parts });
        }
        if self.annual_request > self.total {
            out.push(FundsMismatch::AnnualOverTotal);
        }
        if !items.is_empty() {
            let sum: Money = items.iter().map(|i| i.amount).sum();
            if sum != self.annual_request {
                out.push(FundsMismatch::Items { sum });
            }
        }
        out
    }

    /// Checks the arithmetic of the form, reporting every rule that does not hold.
    pub fn check_arithmetic(&self, items: &[FundItem], problems: &mut Problems) {
        let mismatch = ProblemCode::FundsMismatch;
        for m in self.mismatches(items) {
            match m {
                FundsMismatch::Total { expected } => problems.push(
                    "funds.total",
                    mismatch,
                    format!(
                        "项目资金总额 {} must equal 财政资金 {} + 其他资金 {} = {expected}",
                        self.total, self.fiscal, self.other
                    ),
                ),
                FundsMismatch::Annual { expected } => problems.push(
                    "funds.annualRequest",
                    mismatch,
                    format!(
                        "年度资金申请总额 {} must equal 当年财政拨款 {} + 上年结转资金 {} + 其他资金 {} = {expected}",
                        self.annual_request, self.current_year_appropriation, self.carryover, self.annual_other
                    ),
                ),
                FundsMismatch::AnnualOverTotal => problems.push(
                    "funds.annualRequest",
                    mismatch,
                    format!("年度资金申请总额 {} is more than 项目资金总额 {}", self.annual_request, self.total),
                ),
                FundsMismatch::Items { sum } => problems.push(
                    "fundItems",
                    mismatch,
                    format!("资金明细 sum to {sum}, but 年度资金申请总额 is {}", self.annual_request),
                ),
            }
        }
    }
}

/// A rule of the funds box that does not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FundsMismatch {
    /// 项目资金总额 ≠ 财政资金 + 其他资金 (which is `expected`).
    Total { expected: Money },
    /// 年度资金申请总额 ≠ the sum of its three parts (`expected`).
    Annual { expected: Money },
    /// 年度资金申请总额 > 项目资金总额.
    AnnualOverTotal,
    /// The fund items sum to `sum`, not to the annual request.
    Items { sum: Money },
}

/// Parses the fund items, reporting names and amounts that are not acceptable.
pub fn parse_fund_items(items: &[FundItemInput], problems: &mut Problems) -> Vec<FundItem> {
    if items.len() > MAX_FUND_ITEMS {
        problems.push(
            "fundItems",
            ProblemCode::InvalidInput,
            format!("at most {MAX_FUND_ITEMS} fund items are allowed, got {}", items.len()),
        );
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            problems.check_text(
                &format!("fundItems[{i}].name"),
                "the fund item's name",
                &item.name,
                MAX_FUND_ITEM_NAME,
                true,
            );
            let amount = Money::parse_yuan(&item.amount).unwrap_or_else(|e| {
                problems.push(format!("fundItems[{i}].amount"), ProblemCode::InvalidInput, e.to_string());
                Money::ZERO
            });
            FundItem { name: item.name.trim().to_string(), amount }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(s: &str) -> Money {
        Money::parse_yuan(s).unwrap()
    }

    fn funds(total: &str, fiscal: &str, other: &str, annual: &str, appr: &str, carry: &str, aother: &str) -> Funds {
        Funds {
            total: yuan(total),
            fiscal: yuan(fiscal),
            other: yuan(other),
            annual_request: yuan(annual),
            current_year_appropriation: yuan(appr),
            carryover: yuan(carry),
            annual_other: yuan(aother),
        }
    }

    fn problems_of(f: &Funds, items: &[FundItem]) -> Vec<String> {
        let mut p = Problems::default();
        f.check_arithmetic(items, &mut p);
        p.into_vec().into_iter().map(|p| format!("{} {}", p.field, p.code)).collect()
    }

    #[test]
    fn the_seed_project_4_adds_up() {
        let f = funds("2371500.00", "2371500.00", "0.00", "2371500.00", "2371500.00", "0.00", "0.00");
        let items = [
            FundItem { name: "维稳基金".into(), amount: yuan("1250000.00") },
            FundItem { name: "劝返稳控".into(), amount: yuan("882500.00") },
            FundItem { name: "律师、心理咨询师等第三方社会力量".into(), amount: yuan("239000.00") },
        ];
        assert!(problems_of(&f, &items).is_empty());
    }

    #[test]
    fn a_phased_project_requests_a_share_of_its_total() {
        let f = funds("3000000.00", "2500000.00", "500000.00", "1000000.00", "800000.00", "150000.00", "50000.00");
        assert!(problems_of(&f, &[]).is_empty());
    }

    #[test]
    fn every_broken_rule_is_reported_at_once() {
        // total ≠ fiscal + other (by one fen), annual ≠ its parts, annual > total, items ≠ annual.
        let f = funds("100.00", "99.99", "0.00", "200.00", "100.00", "0.00", "0.00");
        let items = [FundItem { name: "x".into(), amount: yuan("150.00") }];
        assert_eq!(
            problems_of(&f, &items),
            [
                "funds.total FUNDS_MISMATCH",
                "funds.annualRequest FUNDS_MISMATCH",
                "funds.annualRequest FUNDS_MISMATCH",
                "fundItems FUNDS_MISMATCH"
            ]
        );
    }

    #[test]
    fn a_mismatch_names_the_amount_that_would_add_up() {
        let f = funds("100.00", "60.00", "30.00", "100.00", "100.00", "0.00", "0.00");
        assert_eq!(f.mismatches(&[]), [FundsMismatch::Total { expected: yuan("90.00") }]);
    }

    #[test]
    fn funds_round_trip_through_their_text() {
        let f = funds("3000000.00", "2500000.00", "500000.00", "1000000.00", "800000.00", "150000.00", "50000.00");
        let mut p = Problems::default();
        assert_eq!(f.to_input().parse(&mut p), f);
        assert!(p.is_empty());
    }

    #[test]
    fn at_most_max_fund_items() {
        let items = |n: usize| vec![FundItemInput { name: "明细".into(), amount: "1.00".into() }; n];
        let mut p = Problems::default();
        assert_eq!(parse_fund_items(&items(MAX_FUND_ITEMS), &mut p).len(), MAX_FUND_ITEMS);
        assert!(p.is_empty(), "the limit itself is allowed");
        parse_fund_items(&items(MAX_FUND_ITEMS + 1), &mut p);
        assert_eq!(p.into_vec()[0].field, "fundItems");
    }

    #[test]
    fn bad_amounts_are_reported_with_their_field() {
        let input = FundsInput {
            total: "-1".into(),
            fiscal: "1.001".into(),
            other: "abc".into(),
            annual_request: "".into(),
            current_year_appropriation: "0".into(),
            carryover: "0".into(),
            annual_other: "0".into(),
        };
        let mut p = Problems::default();
        input.parse(&mut p);
        let fields: Vec<_> = p.into_vec().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["funds.total", "funds.fiscal", "funds.other", "funds.annualRequest"]);
    }
}
