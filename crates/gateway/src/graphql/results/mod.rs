//! 结果应用 and 整改 on the graph: a request's prior result and the bureau's suggestion and
//! decision (`Project.priorResult`, `budgetSuggestion`, `budgetDecision`), the year's rules, and
//! rectification items (`types.rs`) with their history (`steps.rs`); their mutations (`mutations.rs`).

pub mod mutations;
pub mod nodes;
pub mod report;
pub mod steps;
pub mod types;
