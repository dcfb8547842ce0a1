#![no_main]
//! Any bytes as a declaration file: parsed and checked, or refused, never a panic.

use jixiao_domain::DeclarationDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = serde_json::from_slice::<DeclarationDocument>(data) {
        if let Ok(projects) = doc.check() {
            for p in projects {
                let _ = p.declaration.check().map(|d| d.check_submission());
            }
        }
    }
});
