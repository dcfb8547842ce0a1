//! Errors as clients see them: a stable `extensions.code` and a message a person can act on.
//!
//! Internal causes (database errors, anything unexpected) are logged with an id, and the client
//! gets only `INTERNAL` with that id: never SQL text, a constraint name or a stack trace.

use async_graphql::ErrorExtensions;
use jixiao_domain::Message;
use jixiao_store::StoreError;

use crate::lang;

/// The codes of top-level errors. Problems a user can fix in a mutation's input are
/// `userErrors` instead (see `payload.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    Unauthenticated(Message),
    Forbidden(Message),
    NotFound(Message),
    BadUserInput(Message),
    /// The request nests too deep (QUERY_TOO_DEEP) or asks for too much (QUERY_TOO_COMPLEX).
    TooDeep(Message),
    TooComplex(Message),
    /// Too many attempts, or too many at once: the client may retry after a pause.
    RateLimited(Message),
    /// A persisted operation's id this instance does not know: send it again with its text
    /// (Apollo's automatic persisted queries).
    PersistedQueryNotFound(Message),
    /// Only trusted documents run here (JIXIAO_TRUSTED_DOCUMENTS_ONLY).
    TrustedDocumentRequired(Message),
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
            ApiError::PersistedQueryNotFound(_) => "PERSISTED_QUERY_NOT_FOUND",
            ApiError::TrustedDocumentRequired(_) => "TRUSTED_DOCUMENT_REQUIRED",
            ApiError::Unavailable => "UNAVAILABLE",
            ApiError::Internal { .. } => "INTERNAL",
        }
    }

    /// The message in the language of the request being answered.
    pub fn message(&self) -> String {
        lang::read(&self.text())
    }

    /// The message in both languages.
    pub fn text(&self) -> Message {
        match self {
            ApiError::Unauthenticated(m)
            | ApiError::Forbidden(m)
            | ApiError::NotFound(m)
            | ApiError::BadUserInput(m)
            | ApiError::TooDeep(m)
            | ApiError::TooComplex(m)
            | ApiError::RateLimited(m)
            | ApiError::PersistedQueryNotFound(m)
            | ApiError::TrustedDocumentRequired(m) => m.clone(),
            ApiError::Unavailable => Message::new(
                "服务暂时无法连接数据库，请几秒钟后再试",
                "the service cannot reach its database right now; try again in a few seconds",
            ),
            ApiError::Internal { incident } => Message::new(
                format!("服务内部出错（事件编号 {incident}），已记录日志：请重试，或报告此事件编号"),
                format!(
                    "an internal error occurred (incident {incident}); it has been logged, please try again or report the incident id"
                ),
            ),
        }
    }

    /// A refusal of the client's request itself (BAD_USER_INPUT).
    pub fn bad_input(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::BadUserInput(Message::new(zh, en))
    }

    /// Logs an unexpected failure under a fresh incident id and returns the error the client sees.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        let incident = incident_id();
        tracing::error!(incident = %incident, error = %cause, "internal error");
        ApiError::Internal { incident }
    }

    /// `what` names the thing in Chinese and English: `("项目", "project")`.
    pub fn not_found(what: (&str, &str)) -> ApiError {
        let (zh, en) = what;
        ApiError::NotFound(Message::new(
            format!("没有这个编号的{zh}，或您无权查看"),
            format!("no {en} with this id exists, or you may not see it"),
        ))
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound => ApiError::not_found(("对象", "object")),
            StoreError::Forbidden(why) => ApiError::Forbidden(why),
            StoreError::RateLimited(why) => ApiError::RateLimited(why),
            StoreError::Rejected(problems) => {
                let joined = |pick: fn(&Message) -> &str| {
                    problems.iter().map(|p| format!("{}: {}", p.field, pick(&p.message))).collect::<Vec<_>>().join("; ")
                };
                ApiError::BadUserInput(Message::new(joined(Message::zh), joined(Message::en)))
            }
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

/// Gives every error that async-graphql itself raised a code and a message in the request's
/// language; ours carry theirs already. The limits get codes of their own (QUERY_TOO_DEEP,
/// QUERY_TOO_COMPLEX); everything else it raises is the client's query or variables not parsing
/// or validating: BAD_USER_INPUT, its English detail (which names the field or argument) kept
/// after a sentence in the reader's language.
pub fn add_missing_codes(response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        let has_code = error.extensions.as_ref().is_some_and(|ext| ext.get("code").is_some());
        if !has_code {
            let (code, text) = match error.message.as_str() {
                "Query is nested too deep." => (
                    "QUERY_TOO_DEEP",
                    Message::new("查询嵌套过深：请减少嵌套层数", "the query nests too deep: nest fewer levels"),
                ),
                "Query is too complex." => (
                    "QUERY_TOO_COMPLEX",
                    Message::new(
                        "查询过于复杂：请少取一些字段或行",
                        "the query asks for too much: ask for fewer fields or rows",
                    ),
                ),
                detail => (
                    "BAD_USER_INPUT",
                    Message::new(
                        format!("请求有误，无法执行：{detail}"),
                        format!("the request cannot be run: {detail}"),
                    ),
                ),
            };
            error.message = lang::read(&text);
            error.extensions.get_or_insert_with(Default::default).set("code", code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code a client can meet is in the published list (`docs/api.md`, "Errors"), where
    /// the end-to-end test `messages.rs` meets each one in both languages: the codes of
    /// [`ApiError`], of userErrors, and those the HTTP and WebSocket layers set themselves.
    #[test]
    fn every_code_a_client_can_meet_is_documented() {
        let docs = include_str!("../../../docs/api.md");
        let errors_section = docs.split("## Errors").nth(1).expect("an Errors section").split("\n## ").next().unwrap();
        let documented = |code: &str| errors_section.contains(&format!("`{code}`"));
        let m = Message::new("说明", "a note");
        let every_variant = [
            ApiError::Unauthenticated(m.clone()),
            ApiError::Forbidden(m.clone()),
            ApiError::NotFound(m.clone()),
            ApiError::BadUserInput(m.clone()),
            ApiError::TooDeep(m.clone()),
            ApiError::TooComplex(m.clone()),
            ApiError::RateLimited(m.clone()),
            ApiError::PersistedQueryNotFound(m.clone()),
            ApiError::TrustedDocumentRequired(m.clone()),
            ApiError::Unavailable,
            ApiError::Internal { incident: "x".into() },
        ];
        for e in &every_variant {
            // A variant added to ApiError and not to the list above stops this from compiling.
            match e {
                ApiError::Unauthenticated(_)
                | ApiError::Forbidden(_)
                | ApiError::NotFound(_)
                | ApiError::BadUserInput(_)
                | ApiError::TooDeep(_)
                | ApiError::TooComplex(_)
                | ApiError::RateLimited(_)
                | ApiError::PersistedQueryNotFound(_)
                | ApiError::TrustedDocumentRequired(_)
                | ApiError::Unavailable
                | ApiError::Internal { .. } => assert!(documented(e.code()), "{} is not in docs/api.md", e.code()),
            }
        }
        for item in <jixiao_domain::ProblemCode as async_graphql::EnumType>::items() {
            assert!(documented(item.name), "the userError code {} is not in docs/api.md", item.name);
        }
        // The codes set by hand: a literal given to `refusal` (the HTTP layer) or set as "code".
        let mut set_by_hand = Vec::new();
        let mut sources = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(path) = sources.pop() {
            if path.is_dir() {
                sources.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for marker in ["refusal(StatusCode::", "failure(\"", "set(\"code\", \""] {
                    for (at, _) in text.match_indices(marker) {
                        let after = &text[at + marker.len()..];
                        let quoted = after.split('"').nth(if marker.ends_with('"') { 0 } else { 1 });
                        if let Some(code) =
                            quoted.filter(|c| c.len() > 3 && c.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
                        {
                            set_by_hand.push((code.to_string(), path.display().to_string()));
                        }
                    }
                }
            }
        }
        assert!(set_by_hand.len() >= 8, "the scan found the codes set by hand: {set_by_hand:?}");
        for (code, file) in set_by_hand {
            assert!(documented(&code), "{code} (set in {file}) is not in docs/api.md");
        }
    }
}
