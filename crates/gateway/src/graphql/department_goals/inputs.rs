//! The inputs of the department-wide form: amounts as decimal strings of yuan, projects by their
//! global IDs, indicator rows by their `rowId` within the form.

use async_graphql::{ID, InputObject};
use jixiao_domain::department_goals::{DepartmentGoalsInput, GoalIndicatorInput, GoalTask};
use jixiao_domain::{IndicatorInput, Message, Money, Problem, ProblemCode};
use jixiao_store::department_goals::SaveGoals;

use crate::graphql::types::enums::{IndicatorFramework, IndicatorLevel1, IndicatorLevel2};
use crate::ids::{Kind, decode};

#[derive(InputObject)]
pub struct GoalTaskInput {
    pub name: String,
    #[graphql(default)]
    pub description: String,
    /// The projects of the year that carry it.
    #[graphql(default)]
    pub project_ids: Vec<ID>,
    /// 基本支出 that carries it, yuan ("500000.00"); none for a task carried by projects only.
    pub basic_expenditure: Option<String>,
}

#[derive(InputObject)]
pub struct GoalIndicatorRowInput {
    pub level1: IndicatorLevel1,
    pub level2: IndicatorLevel2,
    /// 三级指标.
    pub name: String,
    /// 年度指标值 as text: "≥100件", "=100%", "持续好转" …
    pub target: String,
    pub note: Option<String>,
    /// The tasks it measures, by position from 0; none: the department as a whole.
    #[graphql(default)]
    pub measures: Vec<i32>,
}

#[derive(InputObject)]
pub struct GoalIndicatorSaveInput {
    /// The row's id to keep it (from `indicators.rowId`); none for a new row.
    pub row_id: Option<i64>,
    pub indicator: GoalIndicatorRowInput,
}

#[derive(InputObject)]
pub struct SaveDepartmentGoalsInput {
    pub department_id: ID,
    pub fiscal_year: i32,
    /// The version you loaded; none to create the department's form of the year.
    pub expected_version: Option<i32>,
    /// 部门职能.
    #[graphql(default)]
    pub functions: String,
    /// 年度总体目标.
    #[graphql(default)]
    pub overall_goal: String,
    #[graphql(default)]
    pub tasks: Vec<GoalTaskInput>,
    /// 基本支出—人员经费, yuan.
    pub personnel_expenditure: Option<String>,
    /// 基本支出—公用经费, yuan.
    pub public_expenditure: Option<String>,
    /// 项目支出 by hand, yuan; none to take the linked projects' sum.
    pub project_expenditure: Option<String>,
    /// 收入—财政拨款, yuan.
    pub income_fiscal: Option<String>,
    /// 收入—其他, yuan.
    pub income_other: Option<String>,
    pub indicator_framework: Option<IndicatorFramework>,
    #[graphql(default)]
    pub indicators: Vec<GoalIndicatorSaveInput>,
}

/// An amount as typed, or a problem at `field`; none or blank is none.
fn amount(field: &str, text: Option<&str>, problems: &mut Vec<Problem>) -> Option<Money> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    match Money::parse_yuan(text) {
        Ok(m) => Some(m),
        Err(e) => {
            problems.push(Problem::new(field, ProblemCode::InvalidInput, e.message()));
            None
        }
    }
}

impl GoalIndicatorRowInput {
    pub(crate) fn into_domain(self, at: &str, problems: &mut Vec<Problem>) -> GoalIndicatorInput {
        let measures = self
            .measures
            .iter()
            .filter_map(|&m| {
                usize::try_from(m).ok().or_else(|| {
                    problems.push(Problem::new(
                        format!("{at}.measures"),
                        ProblemCode::InvalidInput,
                        Message::new(
                            format!("任务序号 {m} 无效：从 0 起数"),
                            format!("task position {m} is invalid: count from 0"),
                        ),
                    ));
                    None
                })
            })
            .collect();
        GoalIndicatorInput {
            row: IndicatorInput {
                level1: self.level1,
                level2: self.level2,
                name: self.name,
                target: self.target,
                note: self.note,
                library_entry_id: None,
            },
            measures,
        }
    }
}

impl SaveDepartmentGoalsInput {
    /// The form as the store saves it, or every problem of the input at once.
    pub(crate) fn into_store(self) -> Result<(i64, i32, Option<i32>, SaveGoals), Vec<Problem>> {
        let mut problems = Vec::new();
        let department_id = match decode(&self.department_id, Kind::Department) {
            Ok(id) => id,
            Err(_) => {
                problems.push(Problem::new(
                    "departmentId",
                    ProblemCode::InvalidInput,
                    Message::new("departmentId 不是主管部门的 ID", "departmentId is not a department's ID"),
                ));
                0
            }
        };
        let mut tasks = Vec::with_capacity(self.tasks.len());
        for (n, t) in self.tasks.into_iter().enumerate() {
            let mut project_ids = Vec::with_capacity(t.project_ids.len());
            for (m, id) in t.project_ids.iter().enumerate() {
                match decode(id, Kind::Project) {
                    Ok(id) => project_ids.push(id),
                    Err(_) => problems.push(Problem::new(
                        format!("tasks[{n}].projectIds[{m}]"),
                        ProblemCode::InvalidInput,
                        Message::new("不是项目的 ID", "not a project's ID"),
                    )),
                }
            }
            let basic_expenditure =
                amount(&format!("tasks[{n}].basicExpenditure"), t.basic_expenditure.as_deref(), &mut problems);
            tasks.push(GoalTask { name: t.name, description: t.description, project_ids, basic_expenditure });
        }
        let mut money = |field: &str, text: &Option<String>| amount(field, text.as_deref(), &mut problems);
        let personnel_expenditure = money("personnelExpenditure", &self.personnel_expenditure).unwrap_or_default();
        let public_expenditure = money("publicExpenditure", &self.public_expenditure).unwrap_or_default();
        let project_expenditure = money("projectExpenditure", &self.project_expenditure);
        let income_fiscal = money("incomeFiscal", &self.income_fiscal).unwrap_or_default();
        let income_other = money("incomeOther", &self.income_other).unwrap_or_default();
        let mut indicator_ids = Vec::with_capacity(self.indicators.len());
        let mut indicators = Vec::with_capacity(self.indicators.len());
        for (n, i) in self.indicators.into_iter().enumerate() {
            indicator_ids.push(i.row_id);
            indicators.push(i.indicator.into_domain(&format!("indicators[{n}]"), &mut problems));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let input = DepartmentGoalsInput {
            functions: self.functions,
            overall_goal: self.overall_goal,
            tasks,
            personnel_expenditure,
            public_expenditure,
            project_expenditure,
            income_fiscal,
            income_other,
            indicator_framework: self.indicator_framework,
            indicators,
        };
        Ok((department_id, self.fiscal_year, self.expected_version, SaveGoals { input, indicator_ids }))
    }
}
