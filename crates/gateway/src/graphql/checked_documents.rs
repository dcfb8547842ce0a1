//! Documents that passed the request guard, kept by their text, so that a query a screen sends
//! over and over is parsed and checked once. Parsing (async-graphql's pest grammar) was about a
//! seventh of the list screen's instructions and more of the one-project screen's, whose query
//! text is longer (BENCHMARKS.md, step 9).
//!
//! What the guard decides about a document depends only on its text and on the server's limits,
//! which are fixed for this cache's life; the variables come with each request and are checked
//! every time. The cache is bounded by the texts it keeps, each and all together (a parsed
//! document is about a hundred times its text at worst, a text of nothing but fields, so 256 KiB
//! of texts hold at most a few tens of MB); when it is full, arbitrary entries make room, so a
//! client sending ever new texts costs what it cost before the cache, and no more memory.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::ExecutableDocument;

use crate::error::ApiError;
use crate::graphql::guard;

/// At most this many documents are kept.
const KEPT_DOCUMENTS: usize = 256;
/// Longer texts are checked every time (a screen's queries are far shorter).
const MAX_KEPT_TEXT_BYTES: usize = 8 * 1024;
/// The kept texts together are at most this long.
const MAX_KEPT_TOTAL_BYTES: usize = 256 * 1024;

pub struct CheckedDocuments {
    max_fields: u64,
    introspection: bool,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    documents: HashMap<Box<str>, Arc<KeptDocument>>,
    text_bytes: usize,
}

/// A document that passed the guard, and whether it has also passed async-graphql's validation
/// (with some request's variables): then it needs only its variables checked again (`schema.rs`).
pub struct KeptDocument {
    pub document: ExecutableDocument,
    validated: AtomicBool,
}

impl KeptDocument {
    pub fn validated(&self) -> bool {
        self.validated.load(Ordering::Relaxed)
    }

    /// Called once a request of this document ran with the document validated in full and
    /// without an error.
    pub fn mark_validated(&self) {
        self.validated.store(true, Ordering::Relaxed);
    }
}

impl CheckedDocuments {
    pub fn new(max_fields: u64, introspection: bool) -> CheckedDocuments {
        CheckedDocuments { max_fields, introspection, kept: Mutex::default() }
    }

    /// [`guard::check`], answered from the kept document when this text passed before. Returns
    /// the kept document (none when the text is too long to keep).
    pub fn check(&self, request: &mut async_graphql::Request) -> Result<Option<Arc<KeptDocument>>, ApiError> {
        if let Some(kept) = self.known(&request.query) {
            guard::check_variables(request)?;
            request.set_parsed_query(kept.document.clone());
            return Ok(Some(kept));
        }
        guard::check(request, self.max_fields, self.introspection)?;
        let keepable = request.query.len() <= MAX_KEPT_TEXT_BYTES;
        if keepable && let Ok(document) = request.parsed_query() {
            let kept = Arc::new(KeptDocument { document: document.clone(), validated: AtomicBool::new(false) });
            self.keep(request.query.as_str(), kept.clone());
            return Ok(Some(kept));
        }
        Ok(None)
    }

    /// The kept document of this text, if it passed the guard before (`form_lane.rs` looks
    /// before the variables are read). A text too long to be kept is not looked up either
    /// (hashing a body of megabytes for nothing).
    pub fn known(&self, text: &str) -> Option<Arc<KeptDocument>> {
        if text.len() > MAX_KEPT_TEXT_BYTES {
            return None;
        }
        self.kept(text)
    }

    fn kept(&self, text: &str) -> Option<Arc<KeptDocument>> {
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).documents.get(text).cloned()
    }

    fn keep(&self, text: &str, document: Arc<KeptDocument>) {
        let mut kept = self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while kept.documents.len() >= KEPT_DOCUMENTS || kept.text_bytes + text.len() > MAX_KEPT_TOTAL_BYTES {
            let Some(any) = kept.documents.keys().next().cloned() else { break };
            kept.documents.remove(&any);
            kept.text_bytes -= any.len();
        }
        if kept.documents.insert(text.into(), document).is_none() {
            kept.text_bytes += text.len();
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.kept.lock().unwrap().documents.len()
    }

    #[cfg(test)]
    fn text_bytes(&self) -> usize {
        self.kept.lock().unwrap().text_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str, variables: serde_json::Value) -> async_graphql::Request {
        async_graphql::Request::new(query).variables(async_graphql::Variables::from_json(variables))
    }

    #[test]
    fn a_kept_document_still_has_its_variables_checked() {
        let documents = CheckedDocuments::new(1_000, true);
        let query = "query Q($n: String) { me { username } }";
        assert!(documents.check(&mut request(query, serde_json::json!({ "n": "ok" }))).is_ok());
        assert_eq!(documents.len(), 1);
        let mut again = request(query, serde_json::json!({ "n": "nul\u{0}" }));
        assert!(documents.check(&mut again).is_err(), "a NUL in the variables passed a kept document");
        let mut fine = request(query, serde_json::json!({ "n": "fine" }));
        documents.check(&mut fine).unwrap();
        assert!(fine.parsed_query().is_ok());
    }

    #[test]
    fn refused_texts_are_not_kept_and_the_cache_is_bounded() {
        let documents = CheckedDocuments::new(1_000, false);
        assert!(documents.check(&mut request("{ __schema { types { name } } }", serde_json::json!({}))).is_err());
        assert!(documents.check(&mut request("{ me {", serde_json::json!({}))).is_err());
        assert_eq!(documents.len(), 0);
        for i in 0..KEPT_DOCUMENTS + 50 {
            documents.check(&mut request(&format!("{{ a{i}: me {{ username }} }}"), serde_json::json!({}))).unwrap();
        }
        assert_eq!(documents.len(), KEPT_DOCUMENTS);
        let long = format!("{{ me {{ username }} }} # {}", "x".repeat(MAX_KEPT_TEXT_BYTES));
        documents.check(&mut request(&long, serde_json::json!({}))).unwrap();
        assert!(documents.kept(&long).is_none());
    }

    #[test]
    fn the_kept_texts_together_stay_within_their_bound() {
        let documents = CheckedDocuments::new(100_000, false);
        let padding = "x".repeat(MAX_KEPT_TEXT_BYTES - 100);
        for i in 0..100 {
            let text = format!("{{ a{i}: me {{ username }} }} # {padding}");
            documents.check(&mut request(&text, serde_json::json!({}))).unwrap();
            assert!(documents.text_bytes() <= MAX_KEPT_TOTAL_BYTES, "{} bytes kept", documents.text_bytes());
        }
        assert!(documents.len() >= MAX_KEPT_TOTAL_BYTES / MAX_KEPT_TEXT_BYTES - 1, "{} kept", documents.len());
        // The same text again is not counted twice.
        let again = format!("{{ a99: me {{ username }} }} # {padding}");
        let before = documents.text_bytes();
        documents.check(&mut request(&again, serde_json::json!({}))).unwrap();
        assert_eq!(documents.text_bytes(), before);
    }
}
