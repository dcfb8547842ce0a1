//! The GraphQL types every feature shares: enums and their labels, connections, ids and nodes,
//! the catalog, the audit log, and the step of a report-rules form (`form_step.rs`). A feature's
//! own types live in its folder (`declaration/`, `monitoring/`, `evaluation/`, `organization/`).

pub mod audit_log;
pub mod catalog;
pub mod connection;
pub mod enums;
pub mod form_step;
pub mod labels;
pub mod node;
pub mod nodes;
