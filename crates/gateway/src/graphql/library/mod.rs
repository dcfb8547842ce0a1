//! 指标库 on the graph: the entry and its history (`types.rs`, batched by `loaders.rs`), the library screen and
//! suggestions as people type (`list.rs`), and adding, editing, confirming, retiring and seeding
//! (`mutations.rs`).

pub mod list;
pub mod loaders;
pub mod mutations;
pub mod types;
