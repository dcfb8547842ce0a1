//! A round's budget rule on the API: how its reports' budgets are lit, chosen when it is opened.

use async_graphql::{InputObject, SimpleObject};
use jixiao_domain::monitoring::{BudgetComparison, BudgetRule, Percent, TimeBasis};

use crate::error::{ApiError, ApiResult};

/// 预算执行预警规则: how a round lights its reports' budgets. With RATIO, RED below
/// `lowerThreshold` % of the time progress, YELLOW below `upperThreshold` %, GREEN from it; with
/// DIFFERENCE, GREEN up to `lowerThreshold` points behind time, YELLOW up to `upperThreshold`, RED
/// beyond.
#[derive(SimpleObject)]
pub struct BudgetLightRule {
    pub comparison: BudgetComparison,
    pub comparison_label: &'static str,
    pub time_basis: TimeBasis,
    pub time_basis_label: &'static str,
    /// With two places, e.g. "60.00".
    pub lower_threshold: String,
    /// With two places, e.g. "80.00".
    pub upper_threshold: String,
}

impl From<BudgetRule> for BudgetLightRule {
    fn from(r: BudgetRule) -> BudgetLightRule {
        BudgetLightRule {
            comparison: r.comparison,
            comparison_label: r.comparison.label(),
            time_basis: r.time,
            time_basis_label: r.time.label(),
            lower_threshold: r.lower.to_string(),
            upper_threshold: r.upper.to_string(),
        }
    }
}

/// The rule a new round lights budgets by. Left out, the rule bureaus' warning modules use: RATIO
/// by MONTHS, 60 and 80. A threshold left out is the comparison's usual one (RATIO 60 and 80,
/// DIFFERENCE 10 and 20).
#[derive(InputObject)]
pub struct BudgetLightRuleInput {
    pub comparison: BudgetComparison,
    #[graphql(default_with = "TimeBasis::Months")]
    pub time_basis: TimeBasis,
    /// A number with at most two places, e.g. "60".
    pub lower_threshold: Option<String>,
    pub upper_threshold: Option<String>,
}

impl BudgetLightRuleInput {
    pub fn into_rule(self) -> ApiResult<BudgetRule> {
        let usual = BudgetRule::usual(self.comparison);
        let threshold = |field: &str, text: Option<String>, usual: Percent| match text {
            None => Ok(usual),
            Some(t) => Percent::parse(&t).ok_or_else(|| {
                ApiError::bad_input(
                    format!("budgetRule.{field}：“{t}”不是最多两位小数的非负数"),
                    format!("budgetRule.{field}: “{t}” is not a non-negative number with at most two places"),
                )
            }),
        };
        Ok(BudgetRule {
            comparison: self.comparison,
            time: self.time_basis,
            lower: threshold("lowerThreshold", self.lower_threshold, usual.lower)?,
            upper: threshold("upperThreshold", self.upper_threshold, usual.upper)?,
        })
    }
}
