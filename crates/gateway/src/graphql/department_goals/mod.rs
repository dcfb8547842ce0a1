//! 部门整体绩效目标 on the API, one feature in one folder: the form as an object (`types.rs`), its
//! history (`steps.rs`), its inputs and mutations (`inputs.rs`, `mutations.rs`). The store's
//! `department_goals` handle does the work; `Department.overallGoals` and
//! `Query.departmentGoals` read it. Monitored in each round and self-evaluated at year end by a
//! report's rules: `monitored.rs`, `evaluated.rs` (their rows shown as a project's are), and
//! `report_mutations.rs`. Their steps to subscribers: `events.rs`.

pub mod evaluated;
pub mod events;
mod form_of;
pub(crate) mod inputs;
mod loaders;
pub mod monitored;
pub(crate) mod mutations;
mod objects;
pub(crate) mod report_mutations;
pub mod steps;
pub mod types;
