//! 绩效自评 on the API, one feature in one folder: the self-evaluation object (`node.rs`), its
//! scores and summary types (`types.rs`), its mutations (`mutations.rs`) and its batched
//! look-ups (`loaders.rs`). The store's `evaluations` handle does the work.

pub(crate) mod loaders;
pub(crate) mod mutations;
pub mod node;
pub mod types;
