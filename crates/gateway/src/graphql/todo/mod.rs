//! 待办 and deadlines on the graph: the caller's list (`todo`), its badges (`todoCounts`), the
//! year's deadlines and their changes, the bureau's overdue figures (`types.rs`, `list.rs`),
//! `setDeadline` (`mutations.rs`), and `todoEvents` (`events.rs`).

pub mod events;
pub mod list;
pub mod mutations;
pub mod types;
