//! The declaration file that `jixiao import` reads: one department's declaration for one fiscal
//! year (the format of `fixtures/songjiang-2023.json`, described in the README).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::declaration::{DeclarationInput, FormText};
use crate::funds::{FundItemInput, FundsInput};
use crate::indicator::IndicatorInput;
use crate::message::Message;
use crate::money::Money;
use crate::problem::{Problem, ProblemCode, Problems};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRef {
    pub code: String,
    pub name: String,
}

/// What the document states about itself, checked against what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatedSummary {
    pub budget_unit_count: usize,
    pub project_count: usize,
    pub total_funds_wan_yuan: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeclarationDocument {
    #[serde(default)]
    pub title: Option<String>,
    pub fiscal_year: i32,
    pub department: OrgRef,
    pub budget_units: Vec<OrgRef>,
    #[serde(default)]
    pub stated_summary: Option<StatedSummary>,
    #[serde(default)]
    pub computed_total_funds: Option<String>,
    pub projects: Vec<DocumentProject>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentProject {
    #[serde(flatten)]
    pub text: FormText,
    /// 主管部门, by name: must be the document's department.
    pub competent_department: String,
    /// 实施单位, by name: one of the document's budget units.
    pub implementing_unit: String,
    pub funds: FundsInput,
    #[serde(default)]
    pub fund_items: Vec<FundItemInput>,
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
}

/// One project of a document, ready to store: its declaration and its unit's code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProject {
    pub unit_code: String,
    pub declaration: DeclarationInput,
}

impl DeclarationDocument {
    /// Checks the whole document before anything is written: each project's declaration, its
    /// department and unit references, duplicate names, and the document's own stated totals.
    /// Problem fields are prefixed with the project's index (`projects[3].funds.total`).
    pub fn check(&self) -> Result<Vec<ImportProject>, Vec<Problem>> {
        let mut problems = Problems::default();
        if let Err(errs) = crate::organization::check_code_and_name(&self.department.code, &self.department.name) {
            errs.into_iter().for_each(|p| problems.push(format!("department.{}", p.field), p.code, p.message));
        }
        for (i, unit) in self.budget_units.iter().enumerate() {
            if let Err(errs) = crate::organization::check_code_and_name(&unit.code, &unit.name) {
                errs.into_iter()
                    .for_each(|p| problems.push(format!("budgetUnits[{i}].{}", p.field), p.code, p.message));
            }
        }
        let mut names = BTreeSet::new();
        let mut units_declaring = BTreeSet::new();
        let mut total = Money::ZERO;
        let mut out = Vec::new();
        for (i, p) in self.projects.iter().enumerate() {
            let at = |f: &str| format!("projects[{i}].{f}");
            if p.competent_department.trim() != self.department.name.trim() {
                problems.push(
                    at("competentDepartment"),
                    ProblemCode::InvalidInput,
                    Message::new(
                        format!(
                            "主管部门 \"{}\" 不是本文件的部门 \"{}\"",
                            p.competent_department, self.department.name
                        ),
                        format!(
                            "主管部门 \"{}\" is not the document's department \"{}\"",
                            p.competent_department, self.department.name
                        ),
                    ),
                );
            }
            let unit = self.budget_units.iter().find(|u| u.name.trim() == p.implementing_unit.trim());
            match unit {
                Some(u) => {
                    units_declaring.insert(u.code.clone());
                }
                None => problems.push(
                    at("implementingUnit"),
                    ProblemCode::InvalidInput,
                    Message::new(
                        format!("实施单位 \"{}\" 不在本文件的预算单位（budgetUnits）之中", p.implementing_unit),
                        format!("实施单位 \"{}\" is not one of the document's budgetUnits", p.implementing_unit),
                    ),
                ),
            }
            if !names.insert(p.text.name.trim().to_string()) {
                problems.push(
                    at("name"),
                    ProblemCode::AlreadyExists,
                    Message::new(
                        format!("项目 \"{}\" 在文件中出现了两次", p.text.name),
                        format!("project \"{}\" appears twice in the document", p.text.name),
                    ),
                );
            }
            let declaration = p.to_declaration_input(self.fiscal_year);
            match declaration.check() {
                Ok(d) => total = total + d.funds.annual_request.unwrap_or_default(),
                Err(errs) => errs.into_iter().for_each(|e| problems.push(at(&e.field), e.code, e.message)),
            }
            out.push(ImportProject { unit_code: unit.map(|u| u.code.clone()).unwrap_or_default(), declaration });
        }
        if problems.is_empty() {
            self.check_stated_totals(total, units_declaring.len(), &mut problems);
        }
        problems.into_result(out)
    }

    fn check_stated_totals(&self, total: Money, units: usize, problems: &mut Problems) {
        if let Some(stated) = &self.computed_total_funds {
            match Money::parse_yuan(stated) {
                Ok(m) if m == total => {}
                Ok(m) => problems.push(
                    "computedTotalFunds",
                    ProblemCode::FundsMismatch,
                    Message::new(
                        format!("文件写明合计 {m} 元，但各项目年度资金申请总额之和为 {total} 元"),
                        format!("the document states {m} yuan, but its projects' annual requests sum to {total}"),
                    ),
                ),
                Err(e) => problems.push("computedTotalFunds", ProblemCode::InvalidInput, e.message()),
            }
        }
        if let Some(s) = &self.stated_summary {
            if s.project_count != self.projects.len() {
                problems.push(
                    "statedSummary.projectCount",
                    ProblemCode::InvalidInput,
                    Message::new(
                        format!("文件写明 {} 个项目，实际有 {} 个", s.project_count, self.projects.len()),
                        format!("the document states {} projects but holds {}", s.project_count, self.projects.len()),
                    ),
                );
            }
            if s.budget_unit_count != units {
                problems.push(
                    "statedSummary.budgetUnitCount",
                    ProblemCode::InvalidInput,
                    Message::new(
                        format!("文件写明 {} 个预算单位，实际申报项目的单位有 {units} 个", s.budget_unit_count),
                        format!(
                            "the document states {} budget units but {units} declared projects",
                            s.budget_unit_count
                        ),
                    ),
                );
            }
            if s.total_funds_wan_yuan != total.wan_yuan() {
                problems.push(
                    "statedSummary.totalFundsWanYuan",
                    ProblemCode::FundsMismatch,
                    Message::new(
                        format!("文件写明 {} 万元，但各项目合计 {} 万元", s.total_funds_wan_yuan, total.wan_yuan()),
                        format!(
                            "the document states {} 万元 but its projects sum to {} 万元",
                            s.total_funds_wan_yuan,
                            total.wan_yuan()
                        ),
                    ),
                );
            }
        }
    }
}

impl DocumentProject {
    pub fn to_declaration_input(&self, fiscal_year: i32) -> DeclarationInput {
        DeclarationInput {
            fiscal_year,
            text: self.text.clone(),
            funds: self.funds.clone(),
            fund_items: self.fund_items.clone(),
            indicators: self.indicators.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target_value::TargetKind;

    const SEED: &str = include_str!("../../../fixtures/songjiang-2023.json");

    fn seed() -> DeclarationDocument {
        serde_json::from_str(SEED).expect("the seed fixture is a valid document")
    }

    #[test]
    fn the_seed_declaration_checks_whole() {
        let doc = seed();
        let projects = doc.check().expect("the seed has no blocking problem");
        assert_eq!(projects.len(), 5);
        let declarations: Vec<_> = projects.iter().map(|p| p.declaration.check().unwrap()).collect();
        let total: Money = declarations.iter().filter_map(|d| d.funds.annual_request).sum();
        assert_eq!(total.to_string(), "2914171.00");
        assert_eq!(total.wan_yuan(), "291.42");
        let indicators: Vec<_> = declarations.iter().flat_map(|d| &d.indicators).collect();
        assert_eq!(indicators.len(), 60, "all 60 indicators of the seed parse");
        let quantitative = indicators.iter().filter(|i| i.target.kind() == TargetKind::Quantitative).count();
        assert_eq!(quantitative, 29);
        assert_eq!(declarations[3].fund_items.len(), 3);
        for d in &declarations {
            d.check_submission().unwrap_or_else(|e| panic!("{} is complete: {e:?}", d.text.name));
        }
    }

    #[test]
    fn a_document_that_contradicts_itself_is_refused_whole() {
        let mut doc = seed();
        doc.computed_total_funds = Some("2914171.01".into());
        doc.projects[1].implementing_unit = "某某单位".into();
        doc.projects[2].text.name = doc.projects[0].text.name.clone();
        // A target being typed may be kept in a draft; one no column can hold may not.
        doc.projects[3].indicators[0].target = ">=abc".into();
        doc.projects[4].indicators[0].target = ">=9\0".into();
        let fields: Vec<_> = doc.check().unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["projects[1].implementingUnit", "projects[2].name", "projects[4].indicators[0].target"]);
    }
}
