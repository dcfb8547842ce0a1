//! The findings for the seed declaration and for forms written to make every rule fire, each
//! against a file reviewed by hand (`tests/golden/*-findings.txt`). The seed is a real
//! declaration with real faults; a finding that is wrong there is a bug in its rule.
//!
//! This test only compares. After a deliberate rule change, regenerate the files with
//! `cargo run -p jixiao-domain --example regenerate_golden` and read their diff line by line
//! before committing it.

#[path = "golden/render.rs"]
mod render;

use std::collections::BTreeSet;

use jixiao_domain::FindingCode;

fn compare(got: &str, path: &str) {
    let want = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(got == want, "findings changed; compare with {path}:\n{got}");
}

#[test]
fn the_seed_findings_are_the_reviewed_ones() {
    let got = render::seed_report();
    compare(&got, render::SEED_GOLDEN);
    assert!(!got.contains("ERROR "), "the seed can be submitted: no ERROR finding");
}

#[test]
fn the_second_declarations_findings_are_the_reviewed_ones() {
    let got = render::second_report();
    compare(&got, render::SECOND_GOLDEN);
    assert!(!got.contains("ERROR "), "a real declaration that adds up: a false ERROR would be a bug");
}

#[test]
fn every_rule_fires_on_its_case_as_reviewed() {
    let got = render::every_rule_report();
    compare(&got, render::EVERY_RULE_GOLDEN);
    let fired: BTreeSet<&str> = got.lines().filter_map(|l| l.split(' ').nth(1)).collect();
    let missing: Vec<&str> = FindingCode::ALL.iter().map(|c| c.code()).filter(|c| !fired.contains(c)).collect();
    assert!(missing.is_empty(), "rules that fire in no golden case: {missing:?}");
}
