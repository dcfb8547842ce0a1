//! Errors as clients see them: a stable `extensions.code` and a message a person can act on.
//!
//! Internal causes (database errors, anything unexpected) are logged with an id, and the client
//! gets only `INTERNAL` with that id: never SQL text, a constraint name or a stack trace.

use async_graphql::ErrorExtensions;
use jixiao_store::StoreError;

/// The codes of top-level errors. Problems a user can fix in a mutation's input are
/// `userErrors` instead (see `payload.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    Unauthenticated(String),
    Forbidden(String),
    NotFound(String),
    BadUserInput(String),
    /// The request nests too deep (QUERY_TOO_DEEP) or asks for too much (QUERY_TOO_COMPLEX).
    TooDeep(String),
    TooComplex(String),
    /// Too many attempts, or too many at once: the client may retry after a pause.
    RateLimited(String),
    /// The database cannot be reached now; the client may retry.
    Unavailable,
    Internal {
        incident: String,
    },
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::BadUserInput(_) => "BAD_USER_INPUT",
            ApiError::TooDeep(_) => "QUERY_TOO_DEEP",
            ApiError::TooComplex(_) => "QUERY_TOO_COMPLEX",
            ApiError::RateLimited(_) => "RATE_LIMITED",
            ApiError::Unavailable => "UNAVAILABLE",
            ApiError::Internal { .. } => "INTERNAL",
        }
    }

    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated(m)
            | ApiError::Forbidden(m)
            | ApiError::NotFound(m)
            | ApiError::BadUserInput(m)
            | ApiError::TooDeep(m)
            | ApiError::TooComplex(m)
            | ApiError::RateLimited(m) => m.clone(),
            ApiError::Unavailable => {
                "the service cannot reach its database right now; try again in a few seconds".into()
            }
            ApiError::Internal { incident } => {
                format!(
                    "an internal error occurred (incident {incident}); it has been logged, please try again or report the incident id"
                )
            }
        }
    }

    /// Logs an unexpected failure under a fresh incident id and returns the error the client sees.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        let incident = incident_id();
        tracing::error!(incident = %incident, error = %cause, "internal error");
        ApiError::Internal { incident }
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::NotFound(format!("no {what} with this id exists, or you may not see it"))
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound => ApiError::NotFound("no such object exists, or you may not see it".into()),
            StoreError::Forbidden(why) => ApiError::Forbidden(why),
            StoreError::RateLimited(why) => ApiError::RateLimited(why),
            StoreError::Rejected(problems) => ApiError::BadUserInput(
                problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; "),
            ),
            e if e.is_unavailable() => {
                tracing::warn!(error = %e, "database unavailable");
                ApiError::Unavailable
            }
            StoreError::Database(db) => ApiError::internal(&db),
        }
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> async_graphql::Error {
        async_graphql::Error::new(e.message()).extend_with(|_, ext| ext.set("code", e.code()))
    }
}

/// Short, unique enough to find one incident in the logs.
fn incident_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{:x}-{:x}", (nanos as u64) & 0xffff_ffff_ffff, COUNTER.fetch_add(1, Ordering::Relaxed))
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Gives every error that async-graphql itself raised a code; ours carry theirs already. The
/// limits get codes of their own (QUERY_TOO_DEEP, QUERY_TOO_COMPLEX); everything else it raises
/// is the client's query or variables not parsing or validating: BAD_USER_INPUT.
pub fn add_missing_codes(response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        let has_code = error.extensions.as_ref().is_some_and(|ext| ext.get("code").is_some());
        if !has_code {
            let code = match error.message.as_str() {
                "Query is nested too deep." => "QUERY_TOO_DEEP",
                "Query is too complex." => "QUERY_TOO_COMPLEX",
                _ => "BAD_USER_INPUT",
            };
            error.extensions.get_or_insert_with(Default::default).set("code", code);
        }
    }
}
