//! The Jixiao gateway: the GraphQL API (`graphql`), its HTTP server (`http`), authentication
//! (`auth`) and the `jixiao` command line (`cli`).

pub mod auth;
pub mod cli;
pub mod demo;
pub mod graphql;
pub mod http;
pub mod memory;
pub mod metrics;
