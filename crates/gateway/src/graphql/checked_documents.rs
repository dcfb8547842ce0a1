//! Documents that passed the request guard, kept by their text, so that a query a screen sends
//! over and over is parsed and checked once. Parsing (async-graphql's pest grammar) was about a
//! seventh of the list screen's instructions and more of the one-project screen's, whose query
//! text is longer (BENCHMARKS.md, step 9).
//!
//! What the guard decides about a document depends only on its text and on the server's limits,
//! which are fixed for this cache's life; the variables come with each request and are checked
//! every time. The cache is bounded in entries and in the length of the texts it keeps; when it
//! is full an arbitrary entry makes room, so a client sending ever new texts costs what it cost
//! before the cache, and no more memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::ExecutableDocument;

use super::error::ApiError;
use super::guard;

/// At most this many documents are kept.
const KEPT_DOCUMENTS: usize = 256;
/// Longer texts are checked every time (a screen's queries are far shorter).
const MAX_KEPT_TEXT_BYTES: usize = 8 * 1024;

pub struct CheckedDocuments {
    max_fields: u64,
    introspection: bool,
    kept: Mutex<HashMap<Box<str>, Arc<ExecutableDocument>>>,
}

impl CheckedDocuments {
    pub fn new(max_fields: u64, introspection: bool) -> CheckedDocuments {
        CheckedDocuments { max_fields, introspection, kept: Mutex::default() }
    }

    /// [`guard::check`], answered from the kept document when this text passed before.
    pub fn check(&self, request: &mut async_graphql::Request) -> Result<(), ApiError> {
        if let Some(document) = self.kept(&request.query) {
            guard::check_variables(request)?;
            request.set_parsed_query(ExecutableDocument::clone(&document));
            return Ok(());
        }
        guard::check(request, self.max_fields, self.introspection)?;
        if request.query.len() <= MAX_KEPT_TEXT_BYTES
            && let Ok(document) = request.parsed_query()
        {
            let document = Arc::new(document.clone());
            self.keep(request.query.as_str(), document);
        }
        Ok(())
    }

    fn kept(&self, text: &str) -> Option<Arc<ExecutableDocument>> {
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(text).cloned()
    }

    fn keep(&self, text: &str, document: Arc<ExecutableDocument>) {
        let mut kept = self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if kept.len() >= KEPT_DOCUMENTS
            && let Some(any) = kept.keys().next().cloned()
        {
            kept.remove(&any);
        }
        kept.insert(text.into(), document);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.kept.lock().unwrap().len()
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
}
