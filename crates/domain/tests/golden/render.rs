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
    report(inputs.iter().map(DeclarationInput::as_far_as_it_parses), &golden_library())
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
