//! 绩效运行监控 on the API, one feature in one folder: its object types (`types.rs`, the report
//! itself in `report.rs`, a round's budget rule in `budget_rule.rs`), its mutations
//! (`mutations.rs`) and its batched look-ups (`loaders.rs`). The store's `monitoring` handle does the work.

pub mod budget_rule;
pub(crate) mod loaders;
pub(crate) mod mutations;
pub mod report;
pub mod types;
