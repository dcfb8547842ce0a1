//! 部门整体绩效目标: a department's goals for the whole year (中发〔2018〕34号; 沪财绩〔2019〕19号),
//! declared beside its projects' and built on them: its functions, its main tasks of the year
//! (each carried by projects of that year, or by staff and running costs as basic expenditure),
//! its overall goal, its funds and its own three-level indicators.
//!
//! It lives a project's life (the same statuses, steps and rules: `workflow.rs`,
//! `permissions.rs`), as one more instance of the store's reviewed-form lifecycle; what is its
//! own is here: the form's values, what a draft may hold, and the figures the bureau computes
//! (项目支出 from the linked projects, the totals). Its findings are
//! `findings::department_wide`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::catalog::{Framework, coded_enum};
use crate::indicator::{Indicator, IndicatorInput, parse_indicators};
use crate::message::Message;
use crate::money::{Money, Total};
use crate::problem::{Problem, ProblemCode, Problems};
use crate::workflow::Status;

coded_enum!(
    /// Which life of a department's overall goals a step belongs to (`departmentGoalsEvents`).
    DepartmentGoalsStage as "DepartmentGoalsStage" {
        /// 申报: the form declared, reviewed, approved or adjusted.
        Declaration => ("DECLARATION", "申报"),
        /// 监控: its report in a monitoring round.
        Monitoring => ("MONITORING", "监控"),
        /// 自评: its self-evaluation at year end.
        SelfEvaluation => ("SELF_EVALUATION", "自评"),
    }
);

pub const MAX_TASKS: usize = 50;
/// Projects one task may name: a department has tens of projects a year, not hundreds.
pub const MAX_TASK_PROJECTS: usize = 200;
pub const MAX_TASK_NAME: usize = 200;
pub const MAX_TASK_DESCRIPTION: usize = 2_000;
/// 部门职能 and 年度总体目标: a few paragraphs each.
pub const MAX_TEXT: usize = 5_000;

/// 年度主要任务: one of the department's main tasks of the year.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GoalTask {
    pub name: String,
    pub description: String,
    /// The projects of the year that carry it (their ids), in the order entered, each once.
    pub project_ids: Vec<i64>,
    /// 基本支出 for a task carried by staff and running costs, if any.
    pub basic_expenditure: Option<Money>,
}

/// The form as entered: indicators with their targets as typed. Each indicator may name the
/// tasks it measures by their position (`measures`, from 0); none means the department as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepartmentGoalsInput {
    /// 部门职能.
    pub functions: String,
    /// 年度总体目标.
    pub overall_goal: String,
    pub tasks: Vec<GoalTask>,
    /// 基本支出—人员经费.
    pub personnel_expenditure: Money,
    /// 基本支出—公用经费.
    pub public_expenditure: Money,
    /// 项目支出 as entered by hand; `None` takes the sum of the linked projects.
    pub project_expenditure: Option<Money>,
    /// 收入—财政拨款.
    pub income_fiscal: Money,
    /// 收入—其他.
    pub income_other: Money,
    pub indicator_framework: Option<Framework>,
    pub indicators: Vec<GoalIndicatorInput>,
}

/// An indicator of the department-wide form: a project's row, and the tasks it measures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GoalIndicatorInput {
    #[serde(flatten)]
    pub row: IndicatorInput,
    /// Positions (from 0) of the tasks it measures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<usize>,
}

/// The form as the rules read it: indicators parsed (targets kept as typed where they do not
/// parse: that is a finding, as on a project).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepartmentGoals {
    pub functions: String,
    pub overall_goal: String,
    pub tasks: Vec<GoalTask>,
    pub personnel_expenditure: Money,
    pub public_expenditure: Money,
    pub project_expenditure: Option<Money>,
    pub income_fiscal: Money,
    pub income_other: Money,
    pub indicator_framework: Option<Framework>,
    pub indicators: Vec<Indicator>,
    /// For each indicator, the tasks it measures.
    pub measures: Vec<Vec<usize>>,
}

/// A project of the department's year as the form reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearProject<'a> {
    pub id: i64,
    pub name: &'a str,
    /// Its approved amount once approved (批复金额), else its annual request.
    pub amount: Money,
    pub indicator_names: Vec<&'a str>,
}

impl YearProject<'_> {
    /// Whether a project in `status` is one of the year's the form is read among: every live
    /// one that may still run (a project sent back 不予通过 will not).
    pub fn counts_in_year(status: Status) -> bool {
        status != Status::NotApproved
    }

    /// What a project in `status` adds to 项目支出: its approved amount (批复金额) once approved,
    /// else its annual request; nothing while neither is entered.
    pub fn amount_of(status: Status, annual_request: Option<Money>, approved: Option<Money>) -> Money {
        let amount = if status.was_approved() { approved.or(annual_request) } else { annual_request };
        amount.unwrap_or(Money::ZERO)
    }
}

impl DepartmentGoalsInput {
    /// What a draft may hold: bounded texts and lists, task positions that exist. Anything else
    /// (a task with no funds, sums that disagree) is a finding, not a refusal, so that a draft
    /// is saved as far as it has got.
    pub fn check(&self) -> Result<DepartmentGoals, Vec<Problem>> {
        let mut problems = Problems::default();
        problems.check_text("functions", ("部门职能", "the department's functions"), &self.functions, MAX_TEXT, false);
        problems.check_text("overallGoal", ("年度总体目标", "the overall goal"), &self.overall_goal, MAX_TEXT, false);
        if self.tasks.len() > MAX_TASKS {
            problems.push(
                "tasks",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("年度主要任务最多 {MAX_TASKS} 项，现有 {} 项", self.tasks.len()),
                    format!("at most {MAX_TASKS} tasks are allowed, got {}", self.tasks.len()),
                ),
            );
        }
        for (n, task) in self.tasks.iter().enumerate() {
            let at = |f: &str| format!("tasks[{n}].{f}");
            problems.check_text(&at("name"), ("任务名称", "the task's name"), &task.name, MAX_TASK_NAME, false);
            problems.check_text(
                &at("description"),
                ("任务说明", "the task's description"),
                &task.description,
                MAX_TASK_DESCRIPTION,
                false,
            );
            if task.project_ids.len() > MAX_TASK_PROJECTS {
                problems.push(
                    at("projectIds"),
                    ProblemCode::InvalidInput,
                    Message::new(
                        format!("一项任务最多关联 {MAX_TASK_PROJECTS} 个项目，现有 {} 个", task.project_ids.len()),
                        format!("a task carries at most {MAX_TASK_PROJECTS} projects, got {}", task.project_ids.len()),
                    ),
                );
            }
        }
        let rows: Vec<IndicatorInput> = self.indicators.iter().map(|i| i.row.clone()).collect();
        let indicators = parse_indicators(&rows, &mut problems);
        for (n, i) in self.indicators.iter().enumerate() {
            if let Some(&missing) = i.measures.iter().find(|&&t| t >= self.tasks.len()) {
                problems.push(
                    format!("indicators[{n}].measures"),
                    ProblemCode::InvalidInput,
                    Message::new(
                        format!("第 {} 项任务不存在：本表有 {} 项任务", missing + 1, self.tasks.len()),
                        format!("there is no task {}: the form has {} tasks", missing + 1, self.tasks.len()),
                    ),
                );
            }
        }
        let tasks = self
            .tasks
            .iter()
            .map(|t| GoalTask {
                name: t.name.trim().to_string(),
                description: t.description.trim().to_string(),
                project_ids: unique(t.project_ids.iter().copied()),
                basic_expenditure: t.basic_expenditure,
            })
            .collect();
        let measures = self.indicators.iter().map(|i| unique(i.measures.iter().copied())).collect();
        problems.into_result(DepartmentGoals {
            functions: self.functions.trim().to_string(),
            overall_goal: self.overall_goal.trim().to_string(),
            tasks,
            personnel_expenditure: self.personnel_expenditure,
            public_expenditure: self.public_expenditure,
            project_expenditure: self.project_expenditure,
            income_fiscal: self.income_fiscal,
            income_other: self.income_other,
            indicator_framework: self.indicator_framework,
            indicators,
            measures,
        })
    }
}

impl DepartmentGoals {
    /// The form back as input (what an edit starts from).
    pub fn to_input(&self) -> DepartmentGoalsInput {
        DepartmentGoalsInput {
            functions: self.functions.clone(),
            overall_goal: self.overall_goal.clone(),
            tasks: self.tasks.clone(),
            personnel_expenditure: self.personnel_expenditure,
            public_expenditure: self.public_expenditure,
            project_expenditure: self.project_expenditure,
            income_fiscal: self.income_fiscal,
            income_other: self.income_other,
            indicator_framework: self.indicator_framework,
            indicators: self
                .indicators
                .iter()
                .zip(&self.measures)
                .map(|(i, m)| GoalIndicatorInput { row: i.to_input(), measures: m.clone() })
                .collect(),
        }
    }

    /// The ids of every project some task names, each once.
    pub fn linked_projects(&self) -> BTreeSet<i64> {
        self.tasks.iter().flat_map(|t| t.project_ids.iter().copied()).collect()
    }

    /// 基本支出: 人员经费 + 公用经费.
    pub fn basic_expenditure(&self) -> Total {
        Total::from(self.personnel_expenditure) + Total::from(self.public_expenditure)
    }

    /// 项目支出 as the bureau computes it: the sum of the linked projects' amounts (each project
    /// once, however many tasks name it). Ids that are not projects of the year add nothing.
    pub fn linked_project_expenditure(&self, projects: &[YearProject<'_>]) -> Total {
        let linked = self.linked_projects();
        projects.iter().filter(|p| linked.contains(&p.id)).fold(Total::ZERO, |sum, p| sum + Total::from(p.amount))
    }

    /// 项目支出 as the form states it: as entered, else as computed.
    pub fn project_expenditure(&self, projects: &[YearProject<'_>]) -> Total {
        match self.project_expenditure {
            Some(entered) => Total::from(entered),
            None => self.linked_project_expenditure(projects),
        }
    }

    /// 支出合计: 基本支出 + 项目支出.
    pub fn total_expenditure(&self, projects: &[YearProject<'_>]) -> Total {
        self.basic_expenditure() + self.project_expenditure(projects)
    }

    /// 收入合计: 财政拨款 + 其他.
    pub fn total_income(&self) -> Total {
        Total::from(self.income_fiscal) + Total::from(self.income_other)
    }
}

/// Each value once, in the order first given.
fn unique<T: Ord + Copy>(values: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = BTreeSet::new();
    values.filter(|v| seen.insert(*v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Level1, Level2};

    fn yuan(text: &str) -> Money {
        Money::parse_yuan(text).unwrap()
    }

    pub(crate) fn seed_projects() -> Vec<YearProject<'static>> {
        [
            (1, "维稳工作", "1200000.00"),
            (2, "网络信息系统开发、升级、建设", "600000.00"),
            (3, "网络信息系统运行与维护", "514171.00"),
            (4, "宣传与推广", "300000.00"),
            (5, "课题与规划", "300000.00"),
        ]
        .into_iter()
        .map(|(id, name, amount)| YearProject { id, name, amount: yuan(amount), indicator_names: vec![] })
        .collect()
    }

    #[test]
    fn the_bureau_sums_each_linked_project_once_and_adds_basic_expenditure() {
        let task = |ids: &[i64]| GoalTask { name: "任务".into(), project_ids: ids.to_vec(), ..GoalTask::default() };
        let input = DepartmentGoalsInput {
            tasks: vec![task(&[1]), task(&[2, 3, 2]), task(&[4, 3]), task(&[5])],
            personnel_expenditure: yuan("3000000.00"),
            public_expenditure: yuan("2000000.00"),
            ..DepartmentGoalsInput::default()
        };
        let goals = input.check().unwrap();
        assert_eq!(goals.tasks[1].project_ids, [2, 3], "each project once per task");
        let projects = seed_projects();
        assert_eq!(goals.linked_project_expenditure(&projects).to_string(), "2914171.00");
        assert_eq!(goals.total_expenditure(&projects).to_string(), "7914171.00");
        let by_hand = DepartmentGoals { project_expenditure: Some(yuan("2900000.00")), ..goals.clone() };
        assert_eq!(by_hand.project_expenditure(&projects).to_string(), "2900000.00");
        assert_eq!(by_hand.linked_project_expenditure(&projects).to_string(), "2914171.00");
    }

    #[test]
    fn a_project_counts_at_its_approved_amount_once_approved_and_not_at_all_when_not_approved() {
        let (request, approved) = (Some(yuan("100.00")), Some(yuan("80.00")));
        assert_eq!(YearProject::amount_of(Status::Submitted, request, approved), yuan("100.00"));
        assert_eq!(YearProject::amount_of(Status::Approved, request, approved), yuan("80.00"));
        assert_eq!(YearProject::amount_of(Status::Adjusting, request, None), yuan("100.00"));
        assert_eq!(YearProject::amount_of(Status::Draft, None, None), Money::ZERO);
        assert!(YearProject::counts_in_year(Status::Draft) && !YearProject::counts_in_year(Status::NotApproved));
    }

    #[test]
    fn a_draft_is_bounded_and_names_only_tasks_that_exist() {
        let row = IndicatorInput {
            level1: Level1::Output,
            level2: Level2::Quantity,
            name: "化解信访矛盾".into(),
            target: "≥100件".into(),
            note: None,
            library_entry_id: None,
        };
        let input = DepartmentGoalsInput {
            functions: "职".repeat(MAX_TEXT + 1),
            tasks: vec![GoalTask { project_ids: vec![1; MAX_TASK_PROJECTS + 1], ..GoalTask::default() }],
            indicators: vec![GoalIndicatorInput { row, measures: vec![0, 1] }],
            ..DepartmentGoalsInput::default()
        };
        let fields: Vec<String> = input.check().unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["functions", "tasks[0].projectIds", "indicators[0].measures"]);
        let too_many = DepartmentGoalsInput { tasks: vec![GoalTask::default(); MAX_TASKS + 1], ..Default::default() };
        let fields: Vec<String> = too_many.check().unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["tasks"]);
        let at_the_limit = DepartmentGoalsInput { tasks: vec![GoalTask::default(); MAX_TASKS], ..Default::default() };
        assert!(at_the_limit.check().is_ok());
    }
}
