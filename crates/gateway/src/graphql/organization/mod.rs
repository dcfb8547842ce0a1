//! Departments, budget units and users on the API, one feature in one folder: the department and
//! the unit (`types.rs`), lists of departments (`departments.rs`), users and their lists
//! (`users.rs`, `user_list.rs`), the admins' mutations (`mutations.rs`) and the batched look-ups
//! (`loaders.rs`). The store's `Admin` handle and `Scope` do the work.

pub mod departments;
pub(crate) mod loaders;
pub(crate) mod mutations;
pub mod types;
pub mod user_list;
pub mod users;
