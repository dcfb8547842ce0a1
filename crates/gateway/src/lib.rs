//! The Jixiao gateway: the GraphQL API (`graphql`), its HTTP server (`http`), authentication
//! (`auth`) and the `jixiao` command line (`cli`).

pub(crate) mod auth;
pub mod cli;
pub(crate) mod demo;
pub mod excel;
pub(crate) mod graphiql;
pub mod graphql;
pub(crate) mod http;
pub mod lang;
pub mod memory;
pub(crate) mod metrics;
pub(crate) mod quiet_threads;
pub(crate) mod request_meta;
pub(crate) mod ws;
pub(crate) mod ws_slots;
