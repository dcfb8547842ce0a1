//! The golden files' text, shared by the test (`tests/golden.rs`), which compares, and by the
//! regeneration command (`examples/regenerate_golden.rs`), which writes. The test never writes.

use jixiao_domain::findings::{LibraryFact, ReviewContext, Sibling, review_in};
use jixiao_domain::library::LibraryEntryStatus;
use jixiao_domain::{Declaration, DeclarationDocument, DeclarationInput};

pub const SEED: &str = include_str!("../../../../fixtures/songjiang-2023.json");
pub const SEED_GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/songjiang-2023-findings.txt");

/// Forms written so that every rule fires at least once, most of them beside others.
pub const EVERY_RULE: &str = include_str!("every-rule.json");
pub const EVERY_RULE_GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/every-rule-findings.txt");

/// The second real declaration (docs/second-declaration.md): nobody tuned the rules to it.
pub const SECOND: &str = include_str!("../../../../fixtures/xiangtan-2023.json");
pub const SECOND_GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/xiangtan-2023-findings.txt");

/// The seed's findings, project by project, after the import's own strict check.
pub fn seed_report() -> String {
    document_report(SEED)
}

/// The indicator library the every-rule forms are read against (the real files are read without
/// one): the department reached 92% on 群众满意度 at its last self-evaluation, the library spells
/// 受益群众满意度 as 受益对象满意度, and 信访宣传覆盖率 is retired.
fn golden_library() -> Vec<LibraryFact> {
    let fact = |entry_id, name: &str, status, history: Option<&str>, aliases: &[&str]| LibraryFact {
        entry_id,
        level2: jixiao_domain::Level2::ServiceSatisfaction,
        name: name.to_string(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        status,
        history_value: history.map(str::to_string),
    };
    vec![
        fact(1, "群众满意度", LibraryEntryStatus::Confirmed, Some("92%"), &[]),
        fact(2, "受益对象满意度", LibraryEntryStatus::Confirmed, None, &["受益群众满意度"]),
        LibraryFact {
            level2: jixiao_domain::Level2::SocialBenefit,
            ..fact(3, "信访宣传覆盖率", LibraryEntryStatus::Retired, None, &[])
        },
    ]
}

/// The second declaration's findings, likewise.
pub fn second_report() -> String {
    document_report(SECOND)
}

/// A declaration file's findings, project by project, after the import's own strict check.
pub fn document_report(file: &str) -> String {
    let doc: DeclarationDocument = serde_json::from_str(file).expect("the file parses");
    let declarations =
        doc.check().expect("the file checks").into_iter().map(|p| p.declaration.check().expect("each project parses"));
    report(declarations, &[])
}

/// The every-rule forms' findings, read as `checkDeclaration` reads an unsaved form: every value
/// parsed, but without the save-time refusals (funds that do not add up, a level 2 under the
/// wrong level 1), since those are exactly what some rules are there to report.
pub fn every_rule_report() -> String {
    let inputs: Vec<DeclarationInput> = serde_json::from_str(EVERY_RULE).expect("every-rule.json parses");
    let mut out = report(inputs.iter().map(DeclarationInput::as_far_as_it_parses), &golden_library());
    out.push_str(&department_wide_report());
    out
}

/// The seed office's department-wide goals of 2023, written so that every rule of that form
/// fires, read among the seed's five projects (ids 1–5 in the file's order, at their requests).
fn department_wide_report() -> String {
    use jixiao_domain::department_goals::{DepartmentGoalsInput, GoalIndicatorInput, GoalTask, YearProject};
    use jixiao_domain::findings::review_department_goals;
    use jixiao_domain::{IndicatorInput, Level1, Level2, Money};
    let doc: DeclarationDocument = serde_json::from_str(SEED).expect("the seed parses");
    let declarations: Vec<Declaration> =
        doc.check().expect("the seed checks").into_iter().map(|p| p.declaration.check().expect("parses")).collect();
    let projects: Vec<YearProject<'_>> = declarations
        .iter()
        .zip(1..)
        .map(|(d, id)| YearProject {
            id,
            name: &d.text.name,
            amount: d.funds.annual_request.unwrap_or(Money::ZERO),
            indicator_names: d.indicators.iter().map(|i| i.name.as_str()).collect(),
        })
        .collect();
    let yuan = |t: &str| Money::parse_yuan(t).unwrap();
    let task =
        |name: &str, ids: &[i64]| GoalTask { name: name.into(), project_ids: ids.to_vec(), ..GoalTask::default() };
    // 课题与规划's first five indicators, word for word, measuring nothing in particular.
    let copied: Vec<GoalIndicatorInput> = declarations[0].indicators[..5]
        .iter()
        .map(|i| GoalIndicatorInput { row: i.to_input(), measures: vec![] })
        .collect();
    let mut indicators = copied;
    indicators.push(GoalIndicatorInput {
        row: IndicatorInput {
            level1: Level1::Output,
            level2: Level2::Quantity,
            name: "信访矛盾化解数".into(),
            target: "≥100件".into(),
            note: None,
            library_entry_id: None,
        },
        measures: vec![0],
    });
    let goals = DepartmentGoalsInput {
        functions: "负责全区信访工作".into(),
        overall_goal: String::new(),
        // 宣传与推广 (the fifth project) is in no task; 队伍建设 has neither project nor basic
        // expenditure; 课题研究 names a project that is not of the year. 项目支出 entered by
        // hand as 2,900,000.00 against the linked 2,764,171.00.
        tasks: vec![
            task("信访矛盾化解", &[4]),
            task("信访信息化", &[2, 3]),
            task("课题研究", &[1, 99]),
            task("队伍建设", &[]),
            task("", &[]),
        ],
        personnel_expenditure: yuan("3000000.00"),
        public_expenditure: yuan("2000000.00"),
        project_expenditure: Some(yuan("2900000.00")),
        income_fiscal: yuan("7914171.00"),
        income_other: Money::ZERO,
        indicator_framework: None,
        indicators,
    }
    .check()
    .expect("the department-wide case is a draft that may be stored");
    let mut out = String::from("## 部门整体绩效目标：上海市松江区人民政府信访办公室 2023\n");
    for f in review_department_goals(&goals, &projects) {
        out.push_str(&format!("{} {} {}: {}\n", f.severity().code(), f.code.code(), f.field, f.message));
    }
    out.push('\n');
    out
}

/// Each declaration's findings, the file read as one department's year: the rule on indicators
/// copied between projects reads the others, the library's rules read `library`.
fn report(declarations: impl Iterator<Item = Declaration>, library: &[LibraryFact]) -> String {
    let declarations: Vec<Declaration> = declarations.collect();
    let mut out = String::new();
    for (n, d) in declarations.iter().enumerate() {
        let siblings: Vec<Sibling<'_>> = declarations
            .iter()
            .enumerate()
            .filter(|(m, _)| *m != n)
            .map(|(_, o)| Sibling {
                name: &o.text.name,
                indicator_names: o.indicators.iter().map(|i| i.name.as_str()).collect(),
            })
            .collect();
        out.push_str(&format!("## {}\n", d.text.name));
        for f in review_in(d, &ReviewContext { siblings, library }) {
            let subject = f.indicator_row().map(|i| format!(" ({})", d.indicators[i].name)).unwrap_or_default();
            out.push_str(&format!("{} {} {}{subject}: {}\n", f.severity().code(), f.code.code(), f.field, f.message));
        }
        out.push('\n');
    }
    out
}
