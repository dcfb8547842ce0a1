//! The GraphQL API: schema, resolvers and loaders. It knows nothing of HTTP; `http.rs` mounts it.

pub mod access;
pub mod cost;
pub mod error;
pub mod field_errors;
pub mod guard;
pub mod ids;
pub mod inputs;
pub mod loaders;
pub mod mutation;
pub mod payload;
pub mod query;
pub mod scalars;
pub mod schema;
pub mod types;
