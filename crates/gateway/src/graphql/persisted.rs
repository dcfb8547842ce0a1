//! Persisted operations: a request may send an id in place of its document.
//!
//! - **Automatic persisted queries** (Apollo's protocol, also urql's): `extensions.persistedQuery
//!   { version: 1, sha256Hash }`. An id this instance has not seen is answered
//!   PERSISTED_QUERY_NOT_FOUND, and the client sends the id with the whole text once; the text is
//!   checked against its hash and kept (in memory, bounded, per instance: another instance asks
//!   for the text once too).
//! - **Trusted documents**: the operations of a deployment's own front end, by the ids its build
//!   gave them (`jixiao documents add`), in the database and so shared by every instance; asked by
//!   the same `persistedQuery` extension, by `extensions.documentId` or a GET's `documentId`
//!   (`sha256:` before the id is optional); a text sent beside a trusted id is not what runs.
//!   With `JIXIAO_TRUSTED_DOCUMENTS_ONLY=true` nothing else runs: a text sent alone is only
//!   accepted when its sha256 is the id of the same trusted text, and a
//!   document asking only for `__schema`, `__type` and `__typename` runs where introspection is
//!   on (GraphiQL's explorer), following that setting.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::{DocumentOperations, Selection};
use async_graphql::{Name, Value};
use jixiao_domain::Message;
use jixiao_store::Store;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// At most this many texts are kept per instance (automatic persisted queries, and trusted
/// documents read from the database), and at most this many bytes of them.
const KEPT_TEXTS: usize = 1_024;
const MAX_KEPT_BYTES: usize = 4 * 1024 * 1024;
/// An id is a hash; anything longer is not one of ours.
const MAX_ID_BYTES: usize = 128;

pub struct PersistedDocuments {
    trusted_only: bool,
    /// Texts sent with their sha256 (automatic persisted queries), by hash.
    automatic: Mutex<Kept>,
    /// Trusted documents read from the database, by id (they never change under their id).
    trusted: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    texts: HashMap<Box<str>, Arc<str>>,
    bytes: usize,
}

impl Kept {
    fn get(&self, id: &str) -> Option<Arc<str>> {
        self.texts.get(id).cloned()
    }

    /// Keeps `text` under `id`; when full, arbitrary entries make room (a client sending ever new
    /// texts costs what it would without the cache, and no more memory).
    fn keep(&mut self, id: &str, text: Arc<str>) {
        if text.len() > MAX_KEPT_BYTES / 8 || self.texts.contains_key(id) {
            return;
        }
        while self.texts.len() >= KEPT_TEXTS || self.bytes + text.len() > MAX_KEPT_BYTES {
            let Some(any) = self.texts.keys().next().cloned() else { break };
            if let Some(gone) = self.texts.remove(&any) {
                self.bytes -= gone.len();
            }
        }
        self.bytes += text.len();
        self.texts.insert(id.into(), text);
    }
}

/// The id a request sends for its document, and whether it came by Apollo's protocol.
struct AskedId {
    id: String,
    automatic: bool,
}

impl PersistedDocuments {
    pub fn new(trusted_only: bool) -> PersistedDocuments {
        PersistedDocuments { trusted_only, automatic: Mutex::default(), trusted: Mutex::default() }
    }

    /// Gives the request its document when it sent an id instead, checks a text sent with its
    /// hash, and keeps it for next time. Returns whether the document is a trusted one.
    pub async fn resolve(&self, store: &Store, request: &mut async_graphql::Request) -> Result<bool, ApiError> {
        let Some(asked) = asked_id(&request.extensions)? else {
            if self.trusted_only && !request.query.is_empty() {
                // Known only by its text: trusted if its sha256 is a trusted id (an id the
                // manifest gave otherwise must be sent as the id).
                return Ok(self.trusted(store, &sha256_hex(&request.query)).await?.as_deref() == Some(&request.query));
            }
            return Ok(false);
        };
        let sent_text = !request.query.is_empty();
        let hash = asked.id.to_ascii_lowercase();
        if !self.trusted_only {
            // The usual path: the text is kept here once, then asked by its hash.
            if sent_text {
                if asked.automatic {
                    if sha256_hex(&request.query) != hash {
                        return Err(ApiError::bad_input(
                            "persistedQuery 的 sha256Hash 与随附的查询文本不符：请重新计算查询文本的 SHA-256",
                            "the persistedQuery's sha256Hash does not match the query text sent with it: compute the text's SHA-256 again",
                        ));
                    }
                    self.automatic.lock().unwrap_or_else(|p| p.into_inner()).keep(&hash, request.query.as_str().into());
                }
                return Ok(false);
            }
            if let Some(text) = self.automatic.lock().unwrap_or_else(|p| p.into_inner()).get(&hash) {
                request.query = text.to_string();
                return Ok(false);
            }
        }
        match self.trusted(store, &asked.id).await? {
            // The trusted text is what runs, whatever text came beside its id: a client library
            // may send its own printing of the operation (Apollo's adds `__typename`), and only
            // the id is trusted.
            Some(trusted) => {
                request.query = trusted.to_string();
                Ok(true)
            }
            None if self.trusted_only => Err(trusted_document_required()),
            None => Err(ApiError::PersistedQueryNotFound(Message::new(
                "服务尚无此 id 的查询文本（PersistedQueryNotFound）：请连同查询文本再发送一次",
                "this id's query text is not known here (PersistedQueryNotFound): send it again with the query text",
            ))),
        }
    }

    /// With trusted documents only, whether a parsed request may run: a trusted document, or
    /// (where introspection is on) one that asks about the schema alone.
    pub fn admit(
        &self,
        request: &mut async_graphql::Request,
        trusted: bool,
        introspection: bool,
    ) -> Result<(), ApiError> {
        if !self.trusted_only || trusted {
            return Ok(());
        }
        if introspection && request.parsed_query().is_ok_and(asks_only_about_the_schema) {
            return Ok(());
        }
        Err(trusted_document_required())
    }

    /// The trusted document of `id`: from this instance's copies, else from the database.
    async fn trusted(&self, store: &Store, id: &str) -> Result<Option<Arc<str>>, ApiError> {
        if let Some(text) = self.trusted.lock().unwrap_or_else(|p| p.into_inner()).get(id) {
            return Ok(Some(text));
        }
        let Some(text) = store.trusted_document(id).await? else { return Ok(None) };
        let text: Arc<str> = text.into();
        self.trusted.lock().unwrap_or_else(|p| p.into_inner()).keep(id, text.clone());
        Ok(Some(text))
    }
}

fn trusted_document_required() -> ApiError {
    ApiError::TrustedDocumentRequired(Message::new(
        "本服务只执行已登记的可信文档（JIXIAO_TRUSTED_DOCUMENTS_ONLY）：请发送前端构建生成的文档 id，或由运维用 jixiao documents add 登记该操作",
        "this service runs trusted documents only (JIXIAO_TRUSTED_DOCUMENTS_ONLY): send the document id your front end's build gave it, or have operators add the operation with jixiao documents add",
    ))
}

/// The id a request sends, if any: `extensions.persistedQuery.sha256Hash` (version 1) or
/// `extensions.documentId`, without a leading `sha256:`.
fn asked_id(extensions: &HashMap<String, Value>) -> Result<Option<AskedId>, ApiError> {
    let (id, automatic) = match (extensions.get("persistedQuery"), extensions.get("documentId")) {
        (Some(Value::Object(persisted)), _) => {
            let version = persisted.get("version");
            if version.is_some_and(|v| *v != Value::Number(1.into())) {
                return Err(ApiError::bad_input(
                    "persistedQuery 只支持 version 1",
                    "persistedQuery: only version 1 is supported",
                ));
            }
            match persisted.get("sha256Hash") {
                Some(Value::String(hash)) => (hash.as_str(), true),
                _ => return Err(malformed_id()),
            }
        }
        (Some(_), _) => return Err(malformed_id()),
        (None, Some(Value::String(id))) => (id.as_str(), false),
        (None, Some(_)) => return Err(malformed_id()),
        (None, None) => return Ok(None),
    };
    let id = document_id(id).ok_or_else(malformed_id)?;
    Ok(Some(AskedId { id: id.to_string(), automatic }))
}

/// A document's id as it is kept and as it is asked for: without a leading `sha256:` (the
/// persisted-documents convention's prefix), 1 to 128 letters, digits, `-`, `_` or `.`; `None`
/// when it is not one. Loading a manifest (`jixiao documents add`) and reading a request use this
/// one rule, so an id loaded is an id that can be asked.
pub fn document_id(raw: &str) -> Option<&str> {
    let id = raw.strip_prefix("sha256:").unwrap_or(raw);
    let valid = !id.is_empty()
        && id.len() <= MAX_ID_BYTES
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    valid.then_some(id)
}

fn malformed_id() -> ApiError {
    ApiError::bad_input(
        "文档 id 格式不对：persistedQuery 须为 { version: 1, sha256Hash: \"64 位十六进制\" }，documentId 须为不超过 128 个字母、数字的字符串",
        "the document id is malformed: persistedQuery is { version: 1, sha256Hash: \"64 hex digits\" }, documentId a string of at most 128 letters and digits",
    )
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether every operation of the document asks only for `__schema`, `__type` and `__typename`
/// at its root (fragments the operations spread included).
fn asks_only_about_the_schema(document: &async_graphql::parser::types::ExecutableDocument) -> bool {
    let introspective = |name: &Name| matches!(name.as_str(), "__schema" | "__type" | "__typename");
    let operations: Vec<_> = match &document.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(ops) => ops.values().collect(),
    };
    let mut sets: Vec<_> = operations.iter().map(|op| &op.node.selection_set.node).collect();
    let mut spread = 0;
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) if introspective(&field.node.name.node) => {}
                Selection::Field(_) => return false,
                Selection::InlineFragment(fragment) => sets.push(&fragment.node.selection_set.node),
                Selection::FragmentSpread(s) => {
                    // Spreads are bounded by the guard (no cycles); count anyway.
                    spread += 1;
                    match document.fragments.get(&s.node.fragment_name.node) {
                        Some(fragment) if spread <= 1_000 => sets.push(&fragment.node.selection_set.node),
                        _ => return false,
                    }
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_the_hex_sha256_of_the_text() {
        assert_eq!(sha256_hex("{ __typename }"), "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b");
    }

    #[test]
    fn only_schema_questions_pass_as_introspection() {
        let asks = |text: &str| asks_only_about_the_schema(&async_graphql::parser::parse_query(text).unwrap());
        assert!(asks("{ __schema { types { name } } }"));
        assert!(asks("query { ...F } fragment F on Query { __typename __type(name: \"X\") { name } }"));
        assert!(!asks("{ __typename me { id } }"));
        assert!(!asks("query { ... on Query { me { id } } }"));
        assert!(!asks("query A { __typename } query B { me { id } }"));
    }

    #[test]
    fn ids_are_read_from_either_extension() {
        let ext = |json: serde_json::Value| -> HashMap<String, Value> { serde_json::from_value(json).unwrap() };
        let asked = asked_id(&ext(serde_json::json!({ "persistedQuery": { "version": 1, "sha256Hash": "ab12" } })));
        assert!(matches!(asked, Ok(Some(AskedId { ref id, automatic: true })) if id == "ab12"));
        let asked = asked_id(&ext(serde_json::json!({ "documentId": "sha256:cd34" })));
        assert!(matches!(asked, Ok(Some(AskedId { ref id, automatic: false })) if id == "cd34"));
        assert!(asked_id(&ext(serde_json::json!({ "persistedQuery": { "version": 2, "sha256Hash": "ab" } }))).is_err());
        assert!(asked_id(&ext(serde_json::json!({ "persistedQuery": "ab" }))).is_err());
        assert!(asked_id(&ext(serde_json::json!({ "documentId": "a b" }))).is_err());
        assert!(asked_id(&ext(serde_json::json!({ "some": "value" }))).unwrap().is_none());
    }
}
