//! The findings for every project of the seed declaration, against a file reviewed by hand
//! (`tests/golden/songjiang-2023-findings.txt`). The seed is a real declaration with real
//! faults; a finding that is wrong there is a bug in its rule.
//!
//! After a deliberate rule change: `UPDATE_GOLDEN=1 cargo test -p jixiao-domain --test golden`,
//! then read the diff of the file line by line before committing it.

use jixiao_domain::DeclarationDocument;
use jixiao_domain::findings::review;

const SEED: &str = include_str!("../../../fixtures/songjiang-2023.json");
const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/songjiang-2023-findings.txt");

fn render() -> String {
    let doc: DeclarationDocument = serde_json::from_str(SEED).unwrap();
    let mut out = String::new();
    for p in doc.check().expect("the seed checks") {
        let d = p.declaration.check().expect("each project parses");
        out.push_str(&format!("## {}\n", d.name));
        for f in review(&d) {
            let name = f
                .field
                .strip_prefix("indicators[")
                .and_then(|r| r.split(']').next())
                .and_then(|i| i.parse::<usize>().ok());
            let subject = name.map(|i| format!(" ({})", d.indicators[i].name)).unwrap_or_default();
            out.push_str(&format!("{} {} {}{subject}: {}\n", f.severity().code(), f.code.code(), f.field, f.message));
        }
        out.push('\n');
    }
    out
}

#[test]
fn the_seed_findings_are_the_reviewed_ones() {
    let got = render();
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        std::fs::write(GOLDEN, &got).unwrap();
    }
    let want = std::fs::read_to_string(GOLDEN).expect("the golden file exists");
    assert!(got == want, "findings changed; compare with {GOLDEN}:\n{got}");
    assert!(!got.contains("ERROR "), "the seed can be submitted: no ERROR finding");
}
