//! The Jixiao gateway: the GraphQL API (`graphql`), its HTTP server (`http`), downloads and
//! uploads of workbooks (`excel`), authentication (`auth`) and the `jixiao` command line (`cli`).
//! What they all answer with lives at the root: errors as clients see them (`error`) and global
//! IDs (`ids`), so that no part imports another's internals to speak.

pub(crate) mod auth;
pub mod cli;
pub(crate) mod demo;
pub(crate) mod error;
pub mod excel;
pub(crate) mod graphiql;
pub mod graphql;
pub(crate) mod http;
pub(crate) mod ids;
pub(crate) mod kept_answers;
pub mod lang;
pub(crate) mod media;
pub mod memory;
pub(crate) mod metrics;
pub mod public_table;
pub(crate) mod quiet_threads;
pub(crate) mod request_meta;
pub(crate) mod ws;
pub(crate) mod ws_feeds;
pub(crate) mod ws_slots;
