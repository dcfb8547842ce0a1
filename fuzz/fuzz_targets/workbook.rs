#![no_main]
//! Any bytes as an uploaded workbook: read under a small budget of cells and time into a
//! declaration, or refused with problems, never a panic, an abort or an allocation that follows
//! the distance between cells instead of what the file holds.

use std::time::Duration;

use jixiao_domain::document::OrgRef;
use jixiao_gateway::excel::read::{Destination, read};
use jixiao_gateway::excel::sheet::Budget;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let to = Destination {
        department: OrgRef { code: "SJQ-XFB".into(), name: "上海市松江区信访办公室".into() },
        budget_units: vec![OrgRef { code: "SJQ-XFB-01".into(), name: "上海市松江区信访办公室".into() }],
        fiscal_year: Some(2023),
    };
    let mut budget = Budget::new(100_000, Duration::from_secs(2));
    let _ = read(data, None, &mut budget.clone());
    let _ = read(data, Some(&to), &mut budget);
});
