//! Findings on a department's overall goals (部门整体绩效目标): what the form must say, how its
//! tasks rest on the year's projects, whether its sums are the bureau's, and the general
//! indicator rules (`indicators.rs`) over its own indicators.

use std::collections::BTreeSet;

use super::indicators::{IndicatorSet, review_set};
use super::{Finding, FindingCode};
use crate::department_goals::{DepartmentGoals, YearProject};
use crate::message::Message;
use crate::money::Total;

/// How many of the department-wide indicators (at least) make them a copy of one project's.
pub const COPIED_MIN: usize = 3;

/// Every finding of `goals` among the department's projects of the year, in the form's order:
/// the texts, the tasks, the funds, the indicators.
pub fn review_department_goals(goals: &DepartmentGoals, projects: &[YearProject<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    texts(goals, &mut out);
    tasks(goals, projects, &mut out);
    funds(goals, projects, &mut out);
    let set = IndicatorSet {
        indicators: &goals.indicators,
        declared: goals.indicator_framework,
        counted_in: vec![],
        whose: ("部门整体绩效目标", "the department-wide goals"),
    };
    review_set(&set, &mut out);
    copied_from_a_project(goals, projects, &mut out);
    out.into_iter().map(Finding::with_row).collect()
}

fn incomplete(field: impl Into<String>, zh: &str, en: &str) -> Finding {
    Finding::new(FindingCode::DepartmentFormIncomplete, field, Message::new(zh, en))
}

fn texts(goals: &DepartmentGoals, out: &mut Vec<Finding>) {
    if goals.functions.is_empty() {
        out.push(incomplete("functions", "没有填写部门职能。", "The department's functions (部门职能) are missing."));
    }
    if goals.overall_goal.is_empty() {
        out.push(incomplete("overallGoal", "没有填写年度总体目标。", "The overall goal of the year is missing."));
    }
    if goals.tasks.is_empty() {
        out.push(incomplete(
            "tasks",
            "没有年度主要任务：请列出本年度的主要任务及承担它们的项目。",
            "No main task of the year: list them, with the projects that carry each.",
        ));
    }
}

fn tasks(goals: &DepartmentGoals, projects: &[YearProject<'_>], out: &mut Vec<Finding>) {
    let of_year: BTreeSet<i64> = projects.iter().map(|p| p.id).collect();
    let measured: BTreeSet<usize> = goals.measures.iter().flatten().copied().collect();
    for (n, task) in goals.tasks.iter().enumerate() {
        let what = if task.name.is_empty() {
            format!("第 {} 项任务", n + 1)
        } else {
            format!("任务“{}”", task.name)
        };
        let what_en =
            if task.name.is_empty() { format!("Task {}", n + 1) } else { format!("The task “{}”", task.name) };
        if task.name.is_empty() {
            out.push(incomplete(format!("tasks[{n}].name"), "没有填写任务名称。", "The task's name is missing."));
        }
        let unknown: Vec<String> =
            task.project_ids.iter().filter(|id| !of_year.contains(id)).map(|id| id.to_string()).collect();
        if !unknown.is_empty() {
            out.push(Finding::new(
                FindingCode::TaskProjectUnknown,
                format!("tasks[{n}].projectIds"),
                Message::new(
                    format!("{what}关联的项目（编号 {}）不是本部门本年度的项目（或已删除、不予通过）：请移除。", unknown.join("、")),
                    format!(
                        "{what_en} names projects ({}) that are not the department's projects of the year (or were deleted or not approved): remove them.",
                        unknown.join(", ")
                    ),
                ),
            ));
        }
        let funded = task.basic_expenditure.is_some_and(|m| m.fen() > 0);
        if task.project_ids.iter().all(|id| !of_year.contains(id)) && !funded {
            out.push(Finding::new(
                FindingCode::TaskWithoutFunds,
                format!("tasks[{n}]"),
                Message::new(
                    format!("{what}既没有关联项目，也没有基本支出：请关联承担它的项目，或填写其基本支出金额。"),
                    format!(
                        "{what_en} has neither a project nor basic expenditure: name the projects that carry it, or its amount of basic expenditure."
                    ),
                ),
            ));
        }
        if !measured.contains(&n) {
            out.push(Finding::new(
                FindingCode::TaskNotMeasured,
                format!("tasks[{n}]"),
                Message::new(
                    format!("{what}没有衡量它的绩效指标：请为它设置至少一条指标，并在指标上注明所衡量的任务。"),
                    format!(
                        "No indicator measures {}: set at least one and name the task it measures.",
                        if task.name.is_empty() { format!("task {}", n + 1) } else { format!("“{}”", task.name) }
                    ),
                ),
            ));
        }
    }
    let linked = goals.linked_projects();
    for p in projects.iter().filter(|p| !linked.contains(&p.id)) {
        out.push(Finding::new(
            FindingCode::ProjectNotInTask,
            "tasks",
            Message::new(
                format!(
                    "本年度项目“{}”（{} 元）没有归入任何一项年度主要任务：请把它关联到它所承担的任务。",
                    p.name, p.amount
                ),
                format!(
                    "The project “{}” ({} yuan) of the year is attached to no task: attach it to the task it carries.",
                    p.name, p.amount
                ),
            ),
        ));
    }
}

fn funds(goals: &DepartmentGoals, projects: &[YearProject<'_>], out: &mut Vec<Finding>) {
    let computed = goals.linked_project_expenditure(projects);
    if let Some(entered) = goals.project_expenditure {
        if Total::from(entered) != computed {
            out.push(Finding::new(
                FindingCode::ProjectExpenditureMismatch,
                "projectExpenditure",
                Message::new(
                    format!(
                        "项目支出填为 {entered} 元（{} 万元），而所关联项目的金额之和为 {computed} 元（{} 万元）：项目支出应等于各任务关联项目之和。",
                        entered.wan_yuan(),
                        computed.wan_yuan()
                    ),
                    format!(
                        "Project expenditure is entered as {entered} yuan, while the linked projects add up to {computed} yuan: it must equal their sum."
                    ),
                ),
            ));
        }
    }
    let (income, spending) = (goals.total_income(), goals.total_expenditure(projects));
    if income != spending {
        out.push(Finding::new(
            FindingCode::DepartmentIncomeMismatch,
            "incomeFiscal",
            Message::new(
                format!(
                    "收入合计 {income} 元（财政拨款 {} 元 + 其他 {} 元）不等于支出合计 {spending} 元（基本支出 {} 元 + 项目支出 {} 元）。",
                    goals.income_fiscal,
                    goals.income_other,
                    goals.basic_expenditure(),
                    goals.project_expenditure(projects)
                ),
                format!(
                    "Income of {income} yuan (fiscal {} + other {}) does not equal expenditure of {spending} yuan (basic {} + projects {}).",
                    goals.income_fiscal,
                    goals.income_other,
                    goals.basic_expenditure(),
                    goals.project_expenditure(projects)
                ),
            ),
        ));
    }
}

/// The department-wide indicators taken word for word from one project: at least half of them
/// (and at least [`COPIED_MIN`]) are that project's names. A department's goals sum its year up;
/// one project's outputs are not that.
fn copied_from_a_project(goals: &DepartmentGoals, projects: &[YearProject<'_>], out: &mut Vec<Finding>) {
    let ours: BTreeSet<&str> = goals.indicators.iter().map(|i| i.name.trim()).filter(|n| !n.is_empty()).collect();
    if ours.len() < COPIED_MIN {
        return;
    }
    for p in projects {
        let theirs: BTreeSet<&str> = p.indicator_names.iter().map(|n| n.trim()).collect();
        let shared = ours.intersection(&theirs).count();
        if shared >= COPIED_MIN && shared * 2 >= ours.len() {
            out.push(Finding::new(
                FindingCode::IndicatorsCopiedFromProject,
                "indicators",
                Message::new(
                    format!(
                        "部门整体绩效指标 {} 条中有 {shared} 条与项目“{}”的指标一字不差：部门整体目标应概括全年各项任务的产出和效果，而不是照搬一个项目的指标。",
                        ours.len(),
                        p.name
                    ),
                    format!(
                        "{shared} of the {} department-wide indicators are word for word those of the project “{}”: the department's goals sum up the year's tasks, not one project's.",
                        ours.len(),
                        p.name
                    ),
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Level1, Level2};
    use crate::department_goals::{DepartmentGoalsInput, GoalIndicatorInput, GoalTask};
    use crate::indicator::IndicatorInput;
    use crate::money::Money;

    fn yuan(text: &str) -> Money {
        Money::parse_yuan(text).unwrap()
    }

    fn projects() -> Vec<YearProject<'static>> {
        let names = |names: &[&'static str]| names.to_vec();
        vec![
            YearProject { id: 1, name: "维稳工作", amount: yuan("1200000.00"), indicator_names: names(&[]) },
            YearProject {
                id: 2,
                name: "网络信息系统开发、升级、建设",
                amount: yuan("600000.00"),
                indicator_names: names(&["系统开发完成率", "系统验收合格率", "系统上线及时率", "使用人员满意度"]),
            },
            YearProject {
                id: 3,
                name: "网络信息系统运行与维护",
                amount: yuan("514171.00"),
                indicator_names: names(&[]),
            },
            YearProject { id: 4, name: "宣传与推广", amount: yuan("300000.00"), indicator_names: names(&[]) },
            YearProject { id: 5, name: "课题与规划", amount: yuan("300000.00"), indicator_names: names(&[]) },
        ]
    }

    fn indicator(l1: Level1, l2: Level2, name: &str, target: &str, measures: &[usize]) -> GoalIndicatorInput {
        GoalIndicatorInput {
            row: IndicatorInput {
                level1: l1,
                level2: l2,
                name: name.into(),
                target: target.into(),
                note: None,
                library_entry_id: None,
            },
            measures: measures.to_vec(),
        }
    }

    /// The seed's office: four tasks carrying its five projects, basic expenditure of
    /// 5,000,000.00, income to match, an indicator for each task and the levels a set needs.
    fn seed() -> DepartmentGoalsInput {
        let task = |name: &str, ids: &[i64]| GoalTask {
            name: name.into(),
            description: String::new(),
            project_ids: ids.to_vec(),
            basic_expenditure: None,
        };
        use Level1::*;
        use Level2::*;
        DepartmentGoalsInput {
            functions: "负责全区信访工作".into(),
            overall_goal: "化解信访矛盾，提升信访工作信息化水平".into(),
            tasks: vec![
                task("信访矛盾化解", &[1]),
                task("信访信息化", &[2, 3]),
                task("信访宣传", &[4]),
                task("课题研究", &[5]),
            ],
            personnel_expenditure: yuan("3000000.00"),
            public_expenditure: yuan("2000000.00"),
            project_expenditure: None,
            income_fiscal: yuan("7914171.00"),
            income_other: Money::ZERO,
            indicator_framework: None,
            indicators: vec![
                indicator(Output, Quantity, "化解信访矛盾件数", "≥100件", &[0]),
                indicator(Output, Quality, "信息系统正常运行率", "≥99%", &[1]),
                indicator(Output, Timeliness, "宣传活动按时完成率", "=100%", &[2]),
                indicator(Output, Level2::Cost, "课题研究成本", "≤30万元", &[3]),
                indicator(Benefit, SocialBenefit, "信访秩序", "持续好转", &[]),
                indicator(Satisfaction, ServiceSatisfaction, "信访群众满意度", "≥90%", &[]),
            ],
        }
    }

    fn codes(input: &DepartmentGoalsInput) -> Vec<&'static str> {
        let goals = input.check().unwrap();
        review_department_goals(&goals, &projects()).iter().map(|f| f.code.code()).collect()
    }

    fn findings(input: &DepartmentGoalsInput, code: FindingCode) -> Vec<Finding> {
        let goals = input.check().unwrap();
        review_department_goals(&goals, &projects()).into_iter().filter(|f| f.code == code).collect()
    }

    #[test]
    fn the_seed_office_has_nothing_to_fix() {
        let none: Vec<&str> = vec![];
        assert_eq!(codes(&seed()), none);
    }

    #[test]
    fn a_project_left_out_of_every_task_is_named() {
        let mut input = seed();
        input.tasks[2].project_ids.clear();
        input.tasks[2].basic_expenditure = Some(yuan("300000.00"));
        input.income_fiscal = yuan("7614171.00");
        let found = findings(&input, FindingCode::ProjectNotInTask);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.zh().contains("宣传与推广"), "{}", found[0].message.zh());
        assert_eq!(found[0].severity(), crate::Severity::Warning);
        assert_eq!(codes(&input), ["PROJECT_NOT_IN_TASK"], "the task itself is funded as basic expenditure");
    }

    #[test]
    fn a_task_carried_by_nothing_is_an_error_and_basic_expenditure_carries_it() {
        let mut input = seed();
        input.tasks.push(GoalTask { name: "队伍建设".into(), ..GoalTask::default() });
        input.indicators[4].measures = vec![4];
        let found = findings(&input, FindingCode::TaskWithoutFunds);
        assert_eq!(found.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["tasks[4]"]);
        assert!(found[0].message.zh().contains("队伍建设"));
        assert_eq!(found[0].severity(), crate::Severity::Error);
        input.tasks[4].basic_expenditure = Some(yuan("0.00"));
        assert_eq!(findings(&input, FindingCode::TaskWithoutFunds).len(), 1, "zero carries nothing");
        input.tasks[4].basic_expenditure = Some(yuan("500000.00"));
        assert!(findings(&input, FindingCode::TaskWithoutFunds).is_empty());
        input.tasks[4].basic_expenditure = None;
        input.tasks[4].project_ids = vec![99];
        assert_eq!(
            findings(&input, FindingCode::TaskWithoutFunds).len(),
            1,
            "a project not of the year carries nothing"
        );
        assert_eq!(findings(&input, FindingCode::TaskProjectUnknown)[0].field, "tasks[4].projectIds");
    }

    #[test]
    fn project_expenditure_entered_by_hand_must_be_the_sum_with_both_figures_shown() {
        let mut input = seed();
        input.project_expenditure = Some(yuan("2900000.00"));
        input.income_fiscal = yuan("7900000.00");
        let found = findings(&input, FindingCode::ProjectExpenditureMismatch);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.zh().contains("2900000.00") && found[0].message.zh().contains("2914171.00"));
        assert!(found[0].message.zh().contains("290.00 万元") && found[0].message.zh().contains("291.42 万元"));
        assert_eq!(found[0].severity(), crate::Severity::Error);
        assert_eq!(codes(&input), ["PROJECT_EXPENDITURE_MISMATCH"], "income matches the total as entered");
        input.project_expenditure = Some(yuan("2914171.00"));
        input.income_fiscal = yuan("7914171.00");
        assert!(codes(&input).is_empty(), "the right sum entered by hand is fine");
    }

    #[test]
    fn income_must_cover_expenditure_to_the_fen() {
        let mut input = seed();
        input.income_fiscal = yuan("7914170.99");
        let found = findings(&input, FindingCode::DepartmentIncomeMismatch);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.zh().contains("7914170.99") && found[0].message.zh().contains("7914171.00"));
        input.income_fiscal = yuan("7000000.00");
        input.income_other = yuan("914171.00");
        assert!(findings(&input, FindingCode::DepartmentIncomeMismatch).is_empty());
    }

    #[test]
    fn a_task_no_indicator_measures_is_named() {
        let mut input = seed();
        input.indicators[1].measures.clear();
        let found = findings(&input, FindingCode::TaskNotMeasured);
        assert_eq!(found.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["tasks[1]"]);
        assert!(found[0].message.zh().contains("信访信息化"));
        assert_eq!(found[0].severity(), crate::Severity::Warning);
    }

    #[test]
    fn indicators_copied_from_one_project_are_named_and_a_few_shared_are_not() {
        use Level1::*;
        use Level2::*;
        let mut input = seed();
        input.indicators = vec![
            indicator(Output, Quantity, "系统开发完成率", "=100%", &[0, 1, 2, 3]),
            indicator(Output, Quality, "系统验收合格率", "=100%", &[]),
            indicator(Output, Timeliness, "系统上线及时率", "=100%", &[]),
            indicator(Output, Level2::Cost, "课题研究成本", "≤30万元", &[]),
            indicator(Benefit, SocialBenefit, "信访秩序", "持续好转", &[]),
            indicator(Satisfaction, ServiceSatisfaction, "使用人员满意度", "≥90%", &[]),
        ];
        let found = findings(&input, FindingCode::IndicatorsCopiedFromProject);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.zh().contains("网络信息系统开发、升级、建设") && found[0].message.zh().contains("4 条")
        );
        // Two shared names of six: the department's own goals that happen to share a measure.
        input.indicators[1].row.name = "信访事项按期办结率".into();
        input.indicators[2].row.name = "信访信息录入及时率".into();
        assert!(findings(&input, FindingCode::IndicatorsCopiedFromProject).is_empty());
    }

    #[test]
    fn the_general_indicator_rules_hold_for_the_department_wide_set() {
        let mut input = seed();
        input.indicators.retain(|i| i.row.level1 != Level1::Satisfaction);
        input.indicators[1].row.target = "≥".into();
        let found = codes(&input);
        assert!(found.contains(&"MISSING_LEVEL1") && found.contains(&"TARGET_INVALID"), "{found:?}");
        let missing = findings(&input, FindingCode::MissingLevel1);
        assert!(missing[0].message.zh().contains("部门整体绩效目标至少要有"), "{}", missing[0].message.zh());
        let invalid = findings(&input, FindingCode::TargetInvalid);
        assert!(invalid[0].message.zh().starts_with("绩效指标第 2 行"), "{}", invalid[0].message.zh());
    }

    #[test]
    fn an_empty_form_says_what_it_lacks() {
        let found = codes(&DepartmentGoalsInput::default());
        assert_eq!(
            found.iter().filter(|c| **c == "DEPARTMENT_FORM_INCOMPLETE").count(),
            3,
            "functions, goal, tasks: {found:?}"
        );
        assert_eq!(found.iter().filter(|c| **c == "PROJECT_NOT_IN_TASK").count(), 5);
    }

    #[test]
    fn submission_is_refused_for_errors_only_with_their_fields() {
        assert_eq!(seed().check().unwrap().check_submission(&projects()), Ok(()));
        let mut input = seed();
        input.indicators[1].measures.clear(); // a warning: does not block
        input.project_expenditure = Some(yuan("2900000.00"));
        let problems = input.check().unwrap().check_submission(&projects()).unwrap_err();
        let got: Vec<_> = problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
        use crate::problem::ProblemCode::FundsMismatch;
        assert_eq!(got, [("projectExpenditure", FundsMismatch), ("incomeFiscal", FundsMismatch)]);
    }
}
