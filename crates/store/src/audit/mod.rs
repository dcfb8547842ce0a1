//! The audit trail: who did what, when, from where, as a hash chain no one can alter unseen.
//!
//! By file: the chain, its records and their verification and pruning (`chain.rs`); reading it,
//! for admins and security auditors (`trail.rs`); the writer that records them in groups after
//! the answers (`writer.rs`).

pub mod chain;
pub mod trail;
pub(crate) mod writer;
