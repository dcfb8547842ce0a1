//! Mutation inputs. `CreateProjectInput` has the shape of one project of the declaration file
//! (`fixtures/songjiang-2023.json`), with `fiscalYear` and `implementingUnitId` in place of the
//! two department names. Amounts go in as decimal strings of yuan; targets as their text.

use async_graphql::{ID, InputObject, InputType, MaybeUndefined};
use jixiao_domain as domain;
use jixiao_domain::Problem;
use serde::{Deserialize, Deserializer};

use crate::graphql::scalars::Date;
use crate::graphql::types::enums::{IndicatorFramework, IndicatorLevel1, IndicatorLevel2, ProjectCategory, Role};
use crate::ids::{Kind, decode};

#[derive(InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SectionsInput {
    /// 项目概述
    pub overview: Option<String>,
    /// 立项依据
    pub basis: Option<String>,
    /// 实施主体
    pub implementing_body: Option<String>,
    /// 实施方案
    pub plan: Option<String>,
    /// 实施周期
    pub cycle: Option<String>,
    /// 年度预算安排
    pub budget_arrangement: Option<String>,
}

impl SectionsInput {
    /// Writes the sections given over `sections`, keeping the others.
    pub(crate) fn apply_to(self, sections: &mut domain::Sections) {
        let fields = [
            (self.overview, &mut sections.overview),
            (self.basis, &mut sections.basis),
            (self.implementing_body, &mut sections.implementing_body),
            (self.plan, &mut sections.plan),
            (self.cycle, &mut sections.cycle),
            (self.budget_arrangement, &mut sections.budget_arrangement),
        ];
        for (given, field) in fields {
            if let Some(text) = given {
                *field = text;
            }
        }
    }
}

pub use domain::FundsInput;

#[derive(InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FundItemInput {
    pub name: String,
    /// Yuan, e.g. "1250000.00".
    pub amount: String,
}

#[derive(InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IndicatorInput {
    /// Required unless the row is picked from the library (`libraryEntryId`).
    #[serde(default, deserialize_with = "as_graphql")]
    pub level1: Option<IndicatorLevel1>,
    /// Required unless the row is picked from the library (`libraryEntryId`).
    #[serde(default, deserialize_with = "as_graphql")]
    pub level2: Option<IndicatorLevel2>,
    /// 三级指标; required unless the row is picked from the library (`libraryEntryId`).
    #[serde(default)]
    pub name: Option<String>,
    /// 年度指标值 as text: "=100%", ">=85%", "≤30天", "80%-90%", "提高" …
    pub target: String,
    pub note: Option<String>,
    /// Picked from the indicator library (`suggestIndicators`): the row takes the entry's levels
    /// and name, and its unit after a bare number; the target stays yours. Kept through copies
    /// and adjustments; send it back with the row to keep the link.
    #[serde(default, deserialize_with = "as_graphql")]
    pub library_entry_id: Option<ID>,
}

impl IndicatorInput {
    /// The row as the domain reads it. A row not picked from the library needs its levels and
    /// name: each one missing is a problem at `at` (`indicators[2].level1`). A picked row's are
    /// the entry's (the store fills them: `Library::fill_picked`), so what stands in for them
    /// here is never kept.
    pub fn into_domain(self, at: &str, problems: &mut Vec<Problem>) -> domain::IndicatorInput {
        let picked = self.library_entry_id.is_some();
        let mut needed = |missing: bool, field: &str, label: (&str, &str)| {
            if missing && !picked {
                problems.push(Problem::new(
                    format!("{at}.{field}"),
                    domain::ProblemCode::InvalidInput,
                    domain::Message::new(
                        format!("请填写{}，或从指标库选用（libraryEntryId）", label.0),
                        format!("give the {}, or pick the row from the library (libraryEntryId)", label.1),
                    ),
                ));
            }
        };
        needed(self.level1.is_none(), "level1", ("一级指标", "level 1"));
        needed(self.level2.is_none(), "level2", ("二级指标", "level 2"));
        needed(self.name.is_none(), "name", ("三级指标名称", "name"));
        domain::IndicatorInput {
            level1: self.level1.map_or(domain::Level1::Output, Into::into),
            level2: self.level2.map_or(domain::Level2::Quantity, Into::into),
            name: self.name.unwrap_or_default(),
            target: self.target,
            note: self.note,
            // An id of another kind names no entry: NOT_FOUND on the row when it is filled.
            library_entry_id: self.library_entry_id.map(|id| decode(&id, Kind::LibraryEntry).unwrap_or(0)),
        }
    }
}

impl From<FundItemInput> for domain::FundItemInput {
    fn from(i: FundItemInput) -> domain::FundItemInput {
        domain::FundItemInput { name: i.name, amount: i.amount }
    }
}

fn fund_items(items: Vec<FundItemInput>) -> Vec<domain::FundItemInput> {
    items.into_iter().map(Into::into).collect()
}

/// The rows as the domain reads them, with the problems of those missing their levels or name.
pub(crate) fn indicators(rows: Vec<IndicatorInput>) -> (Vec<domain::IndicatorInput>, Vec<Problem>) {
    let mut problems = Vec::new();
    let rows =
        rows.into_iter().enumerate().map(|(i, r)| r.into_domain(&format!("indicators[{i}]"), &mut problems)).collect();
    (rows, problems)
}

/// Reads a field as async-graphql reads it: its JSON as a GraphQL value, then the type's own
/// `parse` (for scalars and enums: a `Date`, an `ID` given as a number, an enum's name).
fn as_graphql<'de, D: Deserializer<'de>, T: InputType>(deserializer: D) -> Result<T, D::Error> {
    let value = async_graphql::Value::deserialize(deserializer)?;
    T::parse(Some(value)).map_err(|_| serde::de::Error::custom("not a value of its GraphQL type"))
}

/// The whole declaration of a new project.
// Also read without async-graphql, as async-graphql reads it, by `checkDeclaration`'s lane
// (`form_lane.rs`): a scalar or enum field through its own `parse` (`as_graphql`).
#[derive(InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateProjectInput {
    pub fiscal_year: i32,
    /// 实施单位; the project belongs to this unit's department.
    #[serde(deserialize_with = "as_graphql")]
    pub implementing_unit_id: ID,
    pub name: String,
    /// Not chosen yet: a CATEGORY_MISSING finding until it is.
    #[serde(default, deserialize_with = "as_graphql")]
    pub category: Option<ProjectCategory>,
    #[serde(default, deserialize_with = "as_graphql")]
    pub planned_start: Option<Date>,
    #[serde(default, deserialize_with = "as_graphql")]
    pub planned_end: Option<Date>,
    pub sections: Option<SectionsInput>,
    pub overall_goal: Option<String>,
    pub annual_goal: Option<String>,
    pub funds: Option<FundsInput>,
    /// 指标体系 the project is declared under; left out, its indicators say (a COST level 1
    /// means CENTRAL_2021, else SHANGHAI_2023). Under CENTRAL_2021 a cost indicator is required.
    #[serde(default, deserialize_with = "as_graphql")]
    pub indicator_framework: Option<IndicatorFramework>,
    #[graphql(default)]
    #[serde(default)]
    pub fund_items: Vec<FundItemInput>,
    #[graphql(default)]
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
}

impl CreateProjectInput {
    /// The declaration as the domain reads it, with the problems of indicator rows that name
    /// neither their levels and name nor a library entry.
    pub fn into_domain(self) -> (domain::DeclarationInput, Vec<Problem>) {
        let mut sections = domain::Sections::default();
        if let Some(given) = self.sections {
            given.apply_to(&mut sections);
        }
        let (indicators, problems) = indicators(self.indicators);
        let declaration = domain::DeclarationInput {
            fiscal_year: self.fiscal_year,
            text: domain::FormText {
                name: self.name,
                category: self.category.map(Into::into),
                planned_start: self.planned_start.map(|d| d.0),
                planned_end: self.planned_end.map(|d| d.0),
                sections,
                overall_goal: self.overall_goal.unwrap_or_default(),
                annual_goal: self.annual_goal.unwrap_or_default(),
                indicator_framework: self.indicator_framework.map(Into::into),
            },
            funds: self.funds.unwrap_or_default(),
            fund_items: fund_items(self.fund_items),
            indicators,
        };
        (declaration, problems)
    }
}

/// Changes to a DRAFT or REJECTED project, as a patch: a field left out stays, an explicit
/// `null` clears a field that may be empty (the planned dates); `funds` is itself a patch of its
/// seven amounts; a list that is given replaces the old one whole.
#[derive(InputObject)]
pub struct UpdateProjectInput {
    pub id: ID,
    /// The `version` you loaded; if the project changed since, nothing is saved (VERSION_CONFLICT).
    pub expected_version: i32,
    pub fiscal_year: Option<i32>,
    pub implementing_unit_id: Option<ID>,
    pub name: Option<String>,
    pub category: Option<ProjectCategory>,
    pub planned_start: async_graphql::MaybeUndefined<Date>,
    pub planned_end: async_graphql::MaybeUndefined<Date>,
    pub sections: Option<SectionsInput>,
    pub overall_goal: Option<String>,
    pub annual_goal: Option<String>,
    pub funds: Option<FundsPatchInput>,
    /// 指标体系; `null`: let the indicators say again.
    pub indicator_framework: MaybeUndefined<IndicatorFramework>,
    pub fund_items: Option<Vec<FundItemInput>>,
    pub indicators: Option<Vec<IndicatorInput>>,
}

/// Some of the seven amounts of 项目资金, in yuan; those left out stay, `null` makes one unknown
/// again.
#[derive(InputObject, Default)]
pub struct FundsPatchInput {
    pub total: MaybeUndefined<String>,
    pub fiscal: MaybeUndefined<String>,
    pub other: MaybeUndefined<String>,
    pub annual_request: MaybeUndefined<String>,
    pub current_year_appropriation: MaybeUndefined<String>,
    pub carryover: MaybeUndefined<String>,
    pub annual_other: MaybeUndefined<String>,
}

impl FundsPatchInput {
    fn apply_to(self, f: &mut domain::FundsInput) {
        for (given, amount) in [
            (self.total, &mut f.total),
            (self.fiscal, &mut f.fiscal),
            (self.other, &mut f.other),
            (self.annual_request, &mut f.annual_request),
            (self.current_year_appropriation, &mut f.current_year_appropriation),
            (self.carryover, &mut f.carryover),
            (self.annual_other, &mut f.annual_other),
        ] {
            patch(given, amount);
        }
    }
}

/// A value given, cleared (`null`) or left as it is (left out).
pub(crate) fn patch<T>(given: MaybeUndefined<T>, value: &mut Option<T>) {
    match given {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *value = None,
        MaybeUndefined::Value(v) => *value = Some(v),
    }
}

impl UpdateProjectInput {
    /// Writes the fields given over the declaration as entered; `id`, `expectedVersion` and
    /// `implementingUnitId` are the store's to handle.
    pub fn apply_to(self, d: &mut domain::DeclarationInput) {
        if let Some(v) = self.fiscal_year {
            d.fiscal_year = v;
        }
        if let Some(v) = self.name {
            d.text.name = v;
        }
        if let Some(v) = self.category {
            d.text.category = Some(v.into());
        }
        patch(self.planned_start.map_value(|d| d.0), &mut d.text.planned_start);
        patch(self.planned_end.map_value(|d| d.0), &mut d.text.planned_end);
        if let Some(v) = self.sections {
            v.apply_to(&mut d.text.sections);
        }
        if let Some(v) = self.overall_goal {
            d.text.overall_goal = v;
        }
        if let Some(v) = self.annual_goal {
            d.text.annual_goal = v;
        }
        if let Some(v) = self.funds {
            v.apply_to(&mut d.funds);
        }
        patch(self.indicator_framework.map_value(Into::into), &mut d.text.indicator_framework);
        if let Some(v) = self.fund_items {
            d.fund_items = fund_items(v);
        }
        // `indicators` is read before the store is asked (`updateProject`): rows may need the library.
    }
}

/// 申请调整: an APPROVED project goes to ADJUSTING, to be edited while its targets stay in force.
#[derive(InputObject)]
pub struct StartAdjustmentInput {
    pub id: ID,
    /// The `version` you loaded; if the project changed since, nothing happens (VERSION_CONFLICT).
    pub expected_version: i32,
    /// Why the approved targets must change (调整理由); required.
    pub reason: String,
}

#[derive(InputObject)]
pub struct CreateDepartmentInput {
    /// Letters, digits, '-' and '_', e.g. `SJQ-XFB`.
    pub code: String,
    pub name: String,
}

/// An approver and a department (对口科室), for `assignApprover` and `unassignApprover`.
#[derive(InputObject)]
pub struct ApproverAssignmentInput {
    /// An APPROVER.
    pub user_id: ID,
    pub department_id: ID,
}

#[derive(InputObject)]
pub struct CreateBudgetUnitInput {
    pub department_id: ID,
    pub code: String,
    pub name: String,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub username: String,
    pub display_name: Option<String>,
    pub role: Role,
    /// Required for a SUBMITTER or a DEPARTMENT_REVIEWER; none for the other roles.
    pub department_id: Option<ID>,
    /// At least 8 characters; stored only as an argon2id hash.
    #[graphql(secret)]
    pub password: String,
}

/// Changes to a user (admins only); what is left out stays. `departmentId: null` takes the
/// user out of their department (for a role that has none).
#[derive(InputObject)]
pub struct UpdateUserInput {
    pub id: ID,
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub department_id: async_graphql::MaybeUndefined<ID>,
}

#[derive(InputObject)]
pub struct UpdateDepartmentInput {
    pub id: ID,
    pub name: String,
}

#[derive(InputObject)]
pub struct UpdateBudgetUnitInput {
    pub id: ID,
    pub name: String,
}

/// Narrows the user list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct UserFilterInput {
    pub role: Option<Role>,
    pub department_id: Option<ID>,
    pub disabled: Option<bool>,
    /// Part of the username or display name.
    pub name_contains: Option<String>,
}

/// 延续项目: a project to start next year's declaration from.
#[derive(InputObject)]
pub struct CopyProjectInput {
    /// The project to copy (any status).
    pub id: ID,
    /// The year of the new DRAFT.
    pub fiscal_year: i32,
}

/// An amount in yuan given as a patch: left out (`None`), `null` (`Some(None)`: not known), or a
/// value, refused as BAD_USER_INPUT at `field` when it is not an exact amount.
pub fn money_patch(
    field: &str,
    given: MaybeUndefined<String>,
) -> crate::error::ApiResult<Option<Option<domain::Money>>> {
    Ok(match given {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(text) => Some(Some(domain::Money::parse_yuan(&text).map_err(|e| {
            crate::error::ApiError::BadUserInput(e.message().prefixed(&format!("{field}："), &format!("{field}: ")))
        })?)),
    })
}
