//! GraphQL over GET, as the GraphQL-over-HTTP specification has it: the request in the URL's
//! query string (`query`, `operationName`, and `variables` and `extensions` as URL-encoded JSON),
//! for queries only (a GET must not change anything: mutations and subscriptions are refused with
//! 405 and `Allow: POST`). An answer to a GET may be kept by the browser that asked, never by a
//! shared cache: it is one user's data.

use axum::http::{HeaderValue, header};
use axum::response::Response;
use serde::Deserialize;

/// The parameters of a GET, as sent (each at most once; a second is a malformed request).
/// Others are ignored, as in a POST's body (a cache-busting `_=…` say).
#[derive(Deserialize, Default)]
pub struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
    /// A trusted document's id (`sha256:<hash>`), the persisted-documents convention.
    #[serde(rename = "documentId")]
    document_id: Option<String>,
}

impl GetParams {
    /// Whether the GET carries a request at all (else it is a browser opening GraphiQL, or a
    /// request without its `query`).
    pub fn is_empty(&self) -> bool {
        self.query.is_none() && self.extensions.is_none() && self.document_id.is_none()
    }

    /// The request the parameters spell, or what is wrong with them (the parameter and the
    /// parser's words, for the message).
    pub fn request(self) -> Result<async_graphql::Request, (&'static str, String)> {
        let variables = match self.variables.as_deref().filter(|v| !v.is_empty()) {
            None => async_graphql::Variables::default(),
            Some(text) => match serde_json::from_str::<Option<async_graphql::Variables>>(text) {
                Ok(v) => v.unwrap_or_default(),
                Err(e) => return Err(("variables", e.to_string())),
            },
        };
        let extensions = match self.extensions.as_deref().filter(|v| !v.is_empty()) {
            None => Default::default(),
            Some(text) => match serde_json::from_str(text) {
                Ok(e) => e,
                Err(e) => return Err(("extensions", e.to_string())),
            },
        };
        let mut request = async_graphql::Request::new(self.query.unwrap_or_default()).variables(variables);
        request.operation_name = self.operation_name;
        request.extensions = extensions;
        if let Some(id) = self.document_id {
            request.extensions.insert("documentId".to_string(), async_graphql::Value::String(id));
        }
        Ok(request)
    }
}

/// Headers of every answer to a GET of `/graphql`: the browser may keep it but must ask again
/// before using it, no shared cache may keep it, and it differs by who asks, in which language,
/// and in which media type.
pub fn add_cache_headers(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("Accept, Accept-Language, Authorization"));
}

/// Whether the browser asks for a page (GraphiQL) rather than an answer.
pub fn wants_a_page(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.split(',').any(|range| range.trim().starts_with("text/html")))
}
