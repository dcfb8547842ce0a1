//! 部门整体绩效目标 on the API, one feature in one folder: the form as an object (`types.rs`), its
//! history (`steps.rs`), its inputs and mutations (`inputs.rs`, `mutations.rs`). The store's
//! `department_goals` handle does the work; `Department.overallGoals` and
//! `Query.departmentGoals` read it.

pub(crate) mod inputs;
pub(crate) mod mutations;
pub mod steps;
pub mod types;
