//! The declaration on the API, one feature in one folder: the project (`project.rs`), lists of
//! projects (`project_list.rs`), the form's parts (`parts.rs`), its findings (`findings.rs`), its
//! history, remarks and snapshots (`review.rs`, `review_remark.rs`, `snapshot.rs`), a year's
//! summary (`summary.rs`); the inputs (`inputs.rs`, `row_inputs.rs`, `grading.rs`,
//! `amendment_inputs.rs`) and the
//! mutations (`mutations.rs`: the whole form and its steps; `row_mutations.rs`,
//! `bulk_mutations.rs`, `remark_mutations.rs`, `import_mutations.rs`). The store's `Projects`
//! handle does the work.

pub(crate) mod amendment_inputs;
pub(crate) mod bulk_mutations;
pub mod findings;
pub(crate) mod grading;
pub(crate) mod import_mutations;
pub(crate) mod inputs;
pub(crate) mod loaders;
pub(crate) mod mutations;
pub mod parts;
pub mod project;
pub mod project_list;
pub(crate) mod remark_mutations;
pub mod review;
pub mod review_remark;
pub(crate) mod row_inputs;
pub(crate) mod row_mutations;
pub mod snapshot;
pub mod summary;
