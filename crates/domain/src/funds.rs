//! 项目资金（元）: the project's funds and their arithmetic.
//!
//! - 项目资金总额 (total) = 财政资金 (fiscal) + 其他资金 (other)
//! - 年度资金申请总额 (annual request) = 当年财政拨款 (current-year appropriation)
//!   + 上年结转资金 (prior-year carryover) + 其他资金 (annual other)
//! - annual request ≤ total (for a PHASED project the total is the whole multi-year amount)
//! - 资金明细 (fund items), when present, sum to the annual request.

use serde::{Deserialize, Serialize};

use crate::message::Message;
use crate::money::Money;
use crate::problem::{Label, ProblemCode, Problems};

/// The funds box of the form, as amounts; `None` is an amount not known yet (a draft may hold
/// one; submitting needs all seven, see the AMOUNT_MISSING finding).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Funds {
    pub total: Option<Money>,
    pub fiscal: Option<Money>,
    pub other: Option<Money>,
    pub annual_request: Option<Money>,
    pub current_year_appropriation: Option<Money>,
    pub carryover: Option<Money>,
    pub annual_other: Option<Money>,
}

// The funds box as entered: decimal strings in yuan; absent, null or blank is not known yet.
// An unknown key is refused, as GraphQL refuses it (and a misspelt amount in a file is not
// silently an unknown one).
/// 项目资金（元）: decimal strings of yuan, at most two decimals, e.g. "214167.00". An amount
/// left out (or null, or blank) is not known yet: a draft may be saved so, with an
/// AMOUNT_MISSING finding (an ERROR: it blocks submission) until it is filled in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FundsInput {
    pub total: Option<String>,
    pub fiscal: Option<String>,
    pub other: Option<String>,
    pub annual_request: Option<String>,
    pub current_year_appropriation: Option<String>,
    pub carryover: Option<String>,
    pub annual_other: Option<String>,
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

/// The seven boxes: the input path of each, and its name on the form in Chinese and English.
pub const FUND_BOXES: [(&str, Label<'static>); 7] = [
    ("total", ("项目资金总额", "the project total")),
    ("fiscal", ("财政资金", "the fiscal funds")),
    ("other", ("其他资金", "the other funds")),
    ("annualRequest", ("年度资金申请总额", "the annual request")),
    ("currentYearAppropriation", ("当年财政拨款", "the current-year appropriation")),
    ("carryover", ("上年结转资金", "the prior-year carryover")),
    ("annualOther", ("年度其他资金", "the annual other funds")),
];

impl FundsInput {
    /// Parses every amount given, reporting each one that is not an exact non-negative yuan
    /// amount; a box left empty stays unknown.
    pub fn parse(&self, problems: &mut Problems) -> Funds {
        let mut amount = |field: &str, text: &Option<String>| {
            let text = text.as_deref().filter(|t| !t.trim().is_empty())?;
            Money::parse_yuan(text)
                .map_err(|e| problems.push(format!("funds.{field}"), ProblemCode::InvalidInput, e.message()))
                .ok()
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
        let text = |m: Option<Money>| m.map(|m| m.to_string());
        FundsInput {
            total: text(self.total),
            fiscal: text(self.fiscal),
            other: text(self.other),
            annual_request: text(self.annual_request),
            current_year_appropriation: text(self.current_year_appropriation),
            carryover: text(self.carryover),
            annual_other: text(self.annual_other),
        }
    }

    /// The seven amounts in the order of [`FUND_BOXES`].
    pub fn amounts(&self) -> [Option<Money>; 7] {
        [
            self.total,
            self.fiscal,
            self.other,
            self.annual_request,
            self.current_year_appropriation,
            self.carryover,
            self.annual_other,
        ]
    }

    /// The rules of the form's arithmetic that do not hold, in the form's order. A rule is
    /// checked once every amount it adds is known.
    pub fn mismatches(&self, items: &[FundItem]) -> Vec<FundsMismatch> {
        let mut out = Vec::new();
        if let (Some(total), Some(fiscal), Some(other)) = (self.total, self.fiscal, self.other) {
            if fiscal + other != total {
                out.push(FundsMismatch::Total { expected: fiscal + other });
            }
        }
        if let (Some(annual), Some(appropriation), Some(carryover), Some(annual_other)) =
            (self.annual_request, self.current_year_appropriation, self.carryover, self.annual_other)
        {
            let parts = appropriation + carryover + annual_other;
            if parts != annual {
                out.push(FundsMismatch::Annual { expected: parts });
            }
        }
        if let (Some(annual), Some(total)) = (self.annual_request, self.total) {
            if annual > total {
                out.push(FundsMismatch::AnnualOverTotal);
            }
        }
        if let (false, Some(annual)) = (items.is_empty(), self.annual_request) {
            let sum: Money = items.iter().map(|i| i.amount).sum();
            if sum != annual {
                out.push(FundsMismatch::Items { sum });
            }
        }
        out
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

/// Parses the fund items, reporting names and amounts that cannot be stored (a blank name can:
/// the rules report it, ROW_NAME_MISSING).
pub fn parse_fund_items(items: &[FundItemInput], problems: &mut Problems) -> Vec<FundItem> {
    if items.len() > MAX_FUND_ITEMS {
        problems.push(
            "fundItems",
            ProblemCode::InvalidInput,
            Message::new(
                format!("资金明细最多 {MAX_FUND_ITEMS} 项，现有 {} 项", items.len()),
                format!("at most {MAX_FUND_ITEMS} fund items are allowed, got {}", items.len()),
            ),
        );
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            problems.check_text(
                &format!("fundItems[{i}].name"),
                ("资金明细名称", "the fund item's name"),
                &item.name,
                MAX_FUND_ITEM_NAME,
                false,
            );
            let amount = Money::parse_yuan(&item.amount).unwrap_or_else(|e| {
                problems.push(format!("fundItems[{i}].amount"), ProblemCode::InvalidInput, e.message());
                Money::ZERO
            });
            FundItem { name: item.name.trim().to_string(), amount }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(s: &str) -> Option<Money> {
        Some(Money::parse_yuan(s).unwrap())
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

    fn item(amount: &str) -> FundItem {
        FundItem { name: "明细".into(), amount: yuan(amount).unwrap() }
    }

    #[test]
    fn the_seed_project_4_adds_up() {
        let f = funds("2371500.00", "2371500.00", "0.00", "2371500.00", "2371500.00", "0.00", "0.00");
        assert!(f.mismatches(&[item("1250000.00"), item("882500.00"), item("239000.00")]).is_empty());
    }

    #[test]
    fn a_phased_project_requests_a_share_of_its_total() {
        let f = funds("3000000.00", "2500000.00", "500000.00", "1000000.00", "800000.00", "150000.00", "50000.00");
        assert!(f.mismatches(&[]).is_empty());
    }

    #[test]
    fn every_broken_rule_is_reported_at_once() {
        // total ≠ fiscal + other (by one fen), annual ≠ its parts, annual > total, items ≠ annual.
        let f = funds("100.00", "99.99", "0.00", "200.00", "100.00", "0.00", "0.00");
        assert_eq!(
            f.mismatches(&[item("150.00")]),
            [
                FundsMismatch::Total { expected: yuan("99.99").unwrap() },
                FundsMismatch::Annual { expected: yuan("100.00").unwrap() },
                FundsMismatch::AnnualOverTotal,
                FundsMismatch::Items { sum: yuan("150.00").unwrap() },
            ]
        );
    }

    #[test]
    fn a_rule_waits_until_its_amounts_are_known() {
        let mut f = funds("100.00", "60.00", "30.00", "100.00", "90.00", "0.00", "0.00");
        assert_eq!(f.mismatches(&[item("1.00")]).len(), 3);
        f.other = None;
        f.carryover = None;
        assert_eq!(f.mismatches(&[item("1.00")]), [FundsMismatch::Items { sum: yuan("1.00").unwrap() }]);
        f.annual_request = None;
        assert!(f.mismatches(&[item("1.00")]).is_empty(), "nothing to compare the items with");
    }

    #[test]
    fn a_mismatch_names_the_amount_that_would_add_up() {
        let f = funds("100.00", "60.00", "30.00", "100.00", "100.00", "0.00", "0.00");
        assert_eq!(f.mismatches(&[]), [FundsMismatch::Total { expected: yuan("90.00").unwrap() }]);
    }

    #[test]
    fn funds_round_trip_through_their_text() {
        let mut f = funds("3000000.00", "2500000.00", "500000.00", "1000000.00", "800000.00", "150000.00", "50000.00");
        f.carryover = None;
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
    fn bad_amounts_are_reported_with_their_field_and_blank_ones_are_unknown() {
        let input = FundsInput {
            total: Some("-1".into()),
            fiscal: Some("1.001".into()),
            other: Some("abc".into()),
            annual_request: Some("  ".into()),
            current_year_appropriation: Some("0".into()),
            carryover: None,
            annual_other: Some("99999999999999".into()),
        };
        let mut p = Problems::default();
        let funds = input.parse(&mut p);
        let fields: Vec<_> = p.into_vec().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["funds.total", "funds.fiscal", "funds.other", "funds.annualOther"]);
        assert_eq!((funds.annual_request, funds.carryover), (None, None));
        assert_eq!(funds.current_year_appropriation, Some(Money::ZERO));
    }
}
