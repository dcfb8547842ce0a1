//! The GraphQL API: schema, resolvers and loaders. It knows nothing of HTTP; `http.rs` mounts it.

pub mod access;
pub mod checked_documents;
pub(crate) mod admin_mutation;
pub(crate) mod bulk_mutation;
pub(crate) mod cost;
pub(crate) mod error;
pub(crate) mod evaluation_mutation;
pub(crate) mod field_errors;
pub(crate) mod grading;
pub mod guard;
pub(crate) mod ids;
pub(crate) mod import_mutation;
pub(crate) mod inputs;
pub(crate) mod loaders;
pub(crate) mod monitoring_mutation;
pub(crate) mod mutation;
pub(crate) mod payload;
pub(crate) mod plain;
pub(crate) mod query;
pub(crate) mod remark_mutation;
pub(crate) mod row_inputs;
pub(crate) mod row_mutation;
pub(crate) mod scalars;
pub mod schema;
pub(crate) mod subscription;
pub(crate) mod types;
