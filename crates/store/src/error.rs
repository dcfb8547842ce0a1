//! The one error type of the store. User-fixable problems travel as `Rejected`; database
//! failures as `Database`, whose text is logged by the gateway and never sent to a client.

use jixiao_domain::{Problem, ProblemCode};
use sea_orm::{DbErr, RuntimeErr, SqlErr, sqlx};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing does not exist, or the actor may not know that it does.
    #[error("not found")]
    NotFound,
    /// The actor can see the thing but may not do this to it.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Problems the user can fix, each with its field and code.
    #[error("rejected: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Rejected(Vec<Problem>),
    /// Too many of these too quickly; the message says what and when to try again.
    #[error("rate limited: {0}")]
    RateLimited(String),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl StoreError {
    pub fn problem(field: &str, code: ProblemCode, message: impl Into<String>) -> StoreError {
        StoreError::Rejected(vec![Problem::new(field, code, message)])
    }

    /// The database could not be reached, or went away in the middle of the work (no connection
    /// could be made or had from the pool; the connection broke; the server is shutting down or
    /// starting up): worth retrying later, unlike every other failure. A transaction cut off
    /// this way was rolled back by the server.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(DbErr::Conn(_) | DbErr::ConnectionAcquire(_)) => true,
            StoreError::Database(DbErr::Exec(e) | DbErr::Query(e)) => connection_lost(e),
            _ => false,
        }
    }

    /// Turns a unique-key violation into an ALREADY_EXISTS problem on `field`; other database
    /// errors stay database errors.
    pub fn unique_as(field: &str, message: impl Into<String>) -> impl FnOnce(DbErr) -> StoreError {
        let field = field.to_string();
        let message = message.into();
        move |e| match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                StoreError::problem(&field, ProblemCode::AlreadyExists, message)
            }
            _ => StoreError::Database(e),
        }
    }
}

/// Whether a statement failed because its connection did: broken I/O, or PostgreSQL's classes
/// 08 (connection exception) and 57P01–57P03 (shutting down, crashed, not yet accepting).
fn connection_lost(e: &RuntimeErr) -> bool {
    let RuntimeErr::SqlxError(e) = e else { return false };
    match &**e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            db.code().is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03"))
        }
        _ => false,
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
