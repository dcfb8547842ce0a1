//! 绩效目标申报表: one project's declaration, the form's boxes as types.
//!
//! A [`DeclarationInput`] is the form as entered (amounts and targets as text). [`DeclarationInput::check`]
//! turns it into a [`Declaration`] or reports every problem at once; a draft must pass this
//! check to be saved. [`Declaration::check_submission`] adds what a complete declaration needs
//! before it may be submitted for review.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::Framework;
use crate::funds::{FundItem, FundItemInput, Funds, FundsInput, MAX_FUND_ITEMS, parse_fund_items};
use crate::indicator::{Indicator, IndicatorInput, MAX_INDICATOR_NAME, MAX_INDICATORS, parse_indicators};
use crate::message::Message;
use crate::problem::{Problem, ProblemCode, Problems};
use crate::target_value::TargetValue;

pub const MAX_NAME: usize = 200;
pub const MAX_SECTION: usize = 20_000;
pub const MAX_GOAL: usize = 10_000;
pub const FISCAL_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

// 项目类别.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "ProjectCategory"))]
pub enum Category {
    /// 经常性项目
    Recurring,
    /// 一次性项目
    OneOff,
    // Its total is the whole multi-year amount, its annual request this year's share.
    /// 阶段性项目 (multi-year)
    Phased,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Recurring, Category::OneOff, Category::Phased];

    pub const fn code(self) -> &'static str {
        match self {
            Category::Recurring => "RECURRING",
            Category::OneOff => "ONE_OFF",
            Category::Phased => "PHASED",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Category::Recurring => "经常性项目",
            Category::OneOff => "一次性项目",
            Category::Phased => "阶段性项目",
        }
    }

    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The six description sections of the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
#[serde(rename_all = "camelCase", default)]
pub struct Sections {
    /// 项目概述
    pub overview: String,
    /// 立项依据
    pub basis: String,
    /// 实施主体
    pub implementing_body: String,
    /// 实施方案
    pub plan: String,
    /// 实施周期
    pub cycle: String,
    /// 年度预算安排
    pub budget_arrangement: String,
}

impl Sections {
    /// Each section with its field name and its (Chinese, English) label, in the form's order.
    pub fn labelled(&self) -> [(&'static str, (&'static str, &'static str), &str); 6] {
        [
            ("overview", ("项目概述", "the project overview"), &self.overview),
            ("basis", ("立项依据", "the basis"), &self.basis),
            ("implementingBody", ("实施主体", "the implementing body"), &self.implementing_body),
            ("plan", ("实施方案", "the implementation plan"), &self.plan),
            ("cycle", ("实施周期", "the implementation period"), &self.cycle),
            ("budgetArrangement", ("年度预算安排", "the annual budget arrangement"), &self.budget_arrangement),
        ]
    }

    fn check(&self, problems: &mut Problems) {
        for (field, label, text) in self.labelled() {
            problems.check_text(&format!("sections.{field}"), label, text, MAX_SECTION, false);
        }
    }
}

/// The form's words (项目名称, 项目类别, the planned dates, the six sections, the two goals): one
/// definition shared by the declaration as entered, as checked, as stored and in the import
/// file. The amounts, fund items and indicators are beside it, as text or parsed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormText {
    pub name: String,
    /// Not chosen yet in a draft (a CATEGORY_MISSING finding until it is).
    #[serde(default)]
    pub category: Option<Category>,
    #[serde(default)]
    pub planned_start: Option<NaiveDate>,
    #[serde(default)]
    pub planned_end: Option<NaiveDate>,
    #[serde(default)]
    pub sections: Sections,
    #[serde(default)]
    pub overall_goal: String,
    #[serde(default)]
    pub annual_goal: String,
    /// 指标体系 the project says it is declared under; `None`: its indicators say
    /// ([`Declaration::framework`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator_framework: Option<Framework>,
}

/// The declaration as entered. Field names follow the fixture format and the GraphQL input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeclarationInput {
    pub fiscal_year: i32,
    #[serde(flatten)]
    pub text: FormText,
    #[serde(default)]
    pub funds: FundsInput,
    #[serde(default)]
    pub fund_items: Vec<FundItemInput>,
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
}

/// A declaration that may be stored: every value within what its column holds. A draft's may
/// be half filled (unknown amounts, targets kept as typed, funds that do not add up); the
/// findings say what is missing, and ERROR findings block submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    pub fiscal_year: i32,
    pub text: FormText,
    pub funds: Funds,
    pub fund_items: Vec<FundItem>,
    pub indicators: Vec<Indicator>,
}

impl DeclarationInput {
    /// Checks what every saved declaration must satisfy, drafts included: what cannot be stored
    /// faithfully is refused (a year outside the budget's, a missing name, a text over its limit
    /// or with a NUL, an amount that is negative, over-precise or too large, too many rows).
    /// Everything else a draft may hold as it is; the findings report it.
    pub fn check(&self) -> Result<Declaration, Vec<Problem>> {
        let mut problems = Problems::default();
        if !FISCAL_YEARS.contains(&self.fiscal_year) {
            let (year, from, to) = (self.fiscal_year, FISCAL_YEARS.start(), FISCAL_YEARS.end());
            problems.push(
                "fiscalYear",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("预算年度 {year} 不在 {from}–{to} 之内"),
                    format!("fiscal year {year} is outside {from}–{to}"),
                ),
            );
        }
        problems.check_text("name", ("项目名称", "the project name"), &self.text.name, MAX_NAME, true);
        for (field, date) in [("plannedStart", self.text.planned_start), ("plannedEnd", self.text.planned_end)] {
            if let Some(Err(message)) = date.map(crate::dates::check_year) {
                problems.push(field, ProblemCode::InvalidInput, message);
            }
        }
        self.text.sections.check(&mut problems);
        problems.check_text(
            "overallGoal",
            ("项目总目标", "the overall goal"),
            &self.text.overall_goal,
            MAX_GOAL,
            false,
        );
        problems.check_text("annualGoal", ("年度总目标", "the annual goal"), &self.text.annual_goal, MAX_GOAL, false);
        let funds = self.funds.parse(&mut problems);
        let fund_items = parse_fund_items(&self.fund_items, &mut problems);
        let indicators = parse_indicators(&self.indicators, &mut problems);
        let text = FormText { name: self.text.name.trim().to_string(), ..self.text.clone() };
        problems.into_result(Declaration { fiscal_year: self.fiscal_year, text, funds, fund_items, indicators })
    }
}

impl DeclarationInput {
    /// The form as far as it parses, without the save-time refusals: what the reviewer's
    /// assistant reads of a form that is not (or cannot yet be) saved. An amount that does not
    /// parse counts as unknown, and a target that does not parse is kept as typed, so that
    /// every row keeps its place (and every finding its row); [`check`] says what is wrong.
    /// The rules read no more than a saved form may hold (the first [`MAX_INDICATORS`] rows and
    /// [`MAX_FUND_ITEMS`] items, names cut at their limit), so an oversized form costs no more
    /// than the largest one that can be saved.
    ///
    /// [`check`]: DeclarationInput::check
    pub fn as_far_as_it_parses(&self) -> Declaration {
        let mut ignored = Problems::default();
        let indicators = self.indicators.iter().take(MAX_INDICATORS).map(|row| {
            let mut indicator = row.with_target(TargetValue::as_typed(&row.target));
            indicator.name = indicator.name.chars().take(MAX_INDICATOR_NAME).collect();
            indicator
        });
        let items = &self.fund_items[..self.fund_items.len().min(MAX_FUND_ITEMS)];
        Declaration {
            fiscal_year: self.fiscal_year,
            text: FormText { name: self.text.name.trim().to_string(), ..self.text.clone() },
            funds: self.funds.parse(&mut ignored),
            fund_items: parse_fund_items(items, &mut ignored),
            indicators: indicators.collect(),
        }
    }
}

impl Declaration {
    /// The framework the project is declared under: the one it says, or else the one its
    /// indicators imply.
    pub fn framework(&self) -> Framework {
        self.text.indicator_framework.unwrap_or_else(|| Framework::inferred(self.indicators.iter().map(|i| i.level1)))
    }

    /// 延续项目: this declaration as the starting point of the same project in `fiscal_year`:
    /// the same form, its planned dates moved by as many years (29 February becomes the 28th).
    pub fn carried_into(&self, fiscal_year: i32) -> DeclarationInput {
        use chrono::Datelike;
        let years = fiscal_year - self.fiscal_year;
        let shift = |date: Option<NaiveDate>| {
            date.and_then(|d| {
                d.with_year(d.year() + years).or_else(|| NaiveDate::from_ymd_opt(d.year() + years, d.month(), 28))
            })
        };
        let mut input = self.to_input();
        input.fiscal_year = fiscal_year;
        input.text.planned_start = shift(self.text.planned_start);
        input.text.planned_end = shift(self.text.planned_end);
        input
    }

    /// The form as text again, for edits that change some fields and keep the rest.
    pub fn to_input(&self) -> DeclarationInput {
        DeclarationInput {
            fiscal_year: self.fiscal_year,
            text: self.text.clone(),
            funds: self.funds.to_input(),
            fund_items: self
                .fund_items
                .iter()
                .map(|i| FundItemInput { name: i.name.clone(), amount: i.amount.to_string() })
                .collect(),
            indicators: self.indicators.iter().map(Indicator::to_input).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> DeclarationInput {
        serde_json::from_value(serde_json::json!({
            "fiscalYear": 2024,
            "name": "  调解项目  ",
            "plannedStart": "2024-02-29",
            "plannedEnd": "2024-12-31",
            "sections": { "plan": "方案" },
        }))
        .unwrap()
    }

    #[test]
    fn categories_keep_their_codes_and_labels() {
        let codes: Vec<&str> = Category::ALL.iter().map(|c| c.code()).collect();
        let labels: Vec<&str> = Category::ALL.iter().map(|c| c.label()).collect();
        assert_eq!(codes, ["RECURRING", "ONE_OFF", "PHASED"]);
        assert_eq!(labels, ["经常性项目", "一次性项目", "阶段性项目"]);
        for c in Category::ALL {
            assert_eq!(Category::from_code(c.code()), Some(c));
        }
        assert_eq!(Category::from_code("recurring"), None, "codes are exact");
    }

    /// The name is kept trimmed, whichever way the form is read; a section over its limit, or with
    /// a NUL character, is refused with its own field.
    #[test]
    fn names_are_trimmed_and_sections_checked() {
        let d = input().check().unwrap();
        assert_eq!(d.text.name, "调解项目");
        assert_eq!(input().as_far_as_it_parses().text.name, "调解项目");
        for bad in ["x".repeat(MAX_SECTION + 1), "含\u{0}空字符".to_string()] {
            let mut i = input();
            i.text.sections.basis = bad;
            let problems = i.check().unwrap_err();
            assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["sections.basis"]);
        }
        let mut at_limit = input();
        at_limit.text.sections.basis = "x".repeat(MAX_SECTION);
        assert!(at_limit.check().is_ok());
    }

    /// 延续项目: carried two years on, the planned dates move two years (29 February to the 28th).
    #[test]
    fn a_declaration_carried_into_a_later_year_moves_its_dates() {
        let d = input().check().unwrap();
        let carried = d.carried_into(2026);
        assert_eq!(carried.fiscal_year, 2026);
        assert_eq!(carried.text.planned_start, NaiveDate::from_ymd_opt(2026, 2, 28));
        assert_eq!(carried.text.planned_end, NaiveDate::from_ymd_opt(2026, 12, 31));
        let back = d.carried_into(2020);
        assert_eq!(back.text.planned_start, NaiveDate::from_ymd_opt(2020, 2, 29), "2020 has a 29 February");
        assert_eq!(back.text.planned_end, NaiveDate::from_ymd_opt(2020, 12, 31));
    }
}
