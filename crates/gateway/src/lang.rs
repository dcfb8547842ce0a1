//! The language of the request being answered. The HTTP layer reads `Accept-Language` once and
//! runs the whole request inside [`scoped`]; every message built while answering it (errors,
//! userErrors, findings) is then read in that language through [`current`]. Chinese is the
//! default, also for work outside a request (the command line, logs).

use std::future::Future;

use axum::http::{HeaderMap, header};
pub use jixiao_domain::{Lang, Message};

tokio::task_local! {
    static LANG: Lang;
}

/// The language `Accept-Language` asks for (Chinese unless English is preferred).
pub fn of(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// Runs `work` in `lang`.
pub async fn scoped<F: Future>(lang: Lang, work: F) -> F::Output {
    LANG.scope(lang, work).await
}

/// The language of the request being answered (Chinese outside one).
pub fn current() -> Lang {
    LANG.try_with(|l| *l).unwrap_or_default()
}

/// `message` in the current request's language.
pub fn read(message: &Message) -> String {
    message.get(current()).to_string()
}

/// A message of the gateway's own, read at once in the current language.
pub fn say(zh: impl Into<String>, en: impl Into<String>) -> String {
    read(&Message::new(zh, en))
}
