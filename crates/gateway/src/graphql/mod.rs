//! The GraphQL API: schema, resolvers and loaders. It knows nothing of HTTP; `http.rs` mounts it.

pub mod access;
pub(crate) mod audit_plan;
pub mod checked_documents;
pub(crate) mod cost;
pub mod declaration;
pub mod evaluation;
pub(crate) mod field_errors;
pub mod form_lane;
pub mod guard;
pub(crate) mod input_shapes;
pub(crate) mod key_order;
pub(crate) mod loaders;
pub mod monitoring;
pub(crate) mod mutation;
pub mod organization;
pub(crate) mod payload;
pub(crate) mod persisted;
pub(crate) mod plain;
pub mod publication;
pub(crate) mod query;
pub mod results;
pub(crate) mod scalars;
pub mod schema;
pub(crate) mod subscription;
pub mod todo;
pub(crate) mod types;
