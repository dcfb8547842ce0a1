//! 指标库 on the graph: the entry and its history (`types.rs`, batched by `loaders.rs`), the library screen and
//! suggestions as people type (`list.rs`), and adding, editing, confirming, retiring and seeding
//! (`mutations.rs`); rows picked from it on their way to the store (`pick.rs`).

pub mod list;
pub mod loaders;
pub mod mutations;
pub mod pick;
pub mod types;
