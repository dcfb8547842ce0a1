//! The GraphQL object types, one file each, named as the form names them.

pub mod audit_log;
pub mod catalog;
pub mod connection;
pub mod declaration;
pub mod enums;
pub mod findings;
pub mod form_step;
pub mod labels;
pub mod node;
pub mod nodes;
pub mod project;
pub mod project_list;
pub mod review;
pub mod review_remark;
pub mod snapshot;
pub mod summary;
