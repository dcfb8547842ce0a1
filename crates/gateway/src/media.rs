//! The media type of an answer, as the GraphQL-over-HTTP specification negotiates it, and what
//! it changes about the answer.
//!
//! A client that accepts `application/graphql-response+json` (Apollo Client, urql and
//! graphql-http send it first) gets it: then a request that never ran (its body, its document,
//! its variables or the limits refused it) is a 400 without `data`, so a CDN or a retry layer can
//! tell it from an answer. Everyone else (`application/json`, `*/*`, no `Accept`) gets
//! `application/json`, where the specification keeps the old habit of 200 with `data: null` for
//! a document that does not parse or validate, so existing clients keep working.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    Json,
    GraphQLResponse,
}

const JSON: &str = "application/json";
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// Set on a response that refused the request before it ran (`http::refusal`), with its errors:
/// under `application/graphql-response+json` it is answered as a 4xx without `data`.
#[derive(Clone)]
pub struct RequestError(pub serde_json::Value);

impl Media {
    /// The media type the client prefers of the two: `application/graphql-response+json` when it
    /// names it with a weight at least that of what `application/json` gets from its list.
    pub fn of(headers: &HeaderMap) -> Media {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else { return Media::Json };
        let (mut graphql_response, mut json) = (0.0_f32, 0.0_f32);
        for range in accept.split(',') {
            let mut parts = range.split(';');
            let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .next()
                .unwrap_or(1.0);
            match essence.as_str() {
                GRAPHQL_RESPONSE => graphql_response = graphql_response.max(weight),
                JSON | "application/*" | "*/*" => json = json.max(weight),
                _ => {}
            }
        }
        if graphql_response > 0.0 && graphql_response >= json { Media::GraphQLResponse } else { Media::Json }
    }

    pub fn content_type(self) -> HeaderValue {
        match self {
            Media::Json => HeaderValue::from_static("application/json; charset=utf-8"),
            Media::GraphQLResponse => HeaderValue::from_static("application/graphql-response+json; charset=utf-8"),
        }
    }

    /// Whether an executed answer is a request error: nothing ran (`data` is null and no error
    /// has a path: the document did not parse or validate, the variables did not coerce, a limit
    /// refused it).
    pub fn is_request_error(response: &async_graphql::Response) -> bool {
        response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|e| e.path.is_empty())
    }

    /// The status of an executed answer under this media type.
    pub fn status_of(self, response: &async_graphql::Response) -> StatusCode {
        if self == Media::GraphQLResponse && Media::is_request_error(response) {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        }
    }

    /// The answer's final form: its content type, and under `application/graphql-response+json`
    /// a refusal becomes a 4xx without `data`.
    pub fn shape(self, mut response: Response) -> Response {
        let is_json = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(JSON) || v.starts_with(GRAPHQL_RESPONSE));
        if !is_json {
            return response;
        }
        if self == Media::GraphQLResponse
            && let Some(RequestError(errors)) = response.extensions_mut().remove::<RequestError>()
        {
            let status = if response.status().is_success() { StatusCode::BAD_REQUEST } else { response.status() };
            let body = serde_json::to_vec(&serde_json::json!({ "errors": errors })).unwrap_or_default();
            let mut shaped = Response::new(Body::from(body));
            *shaped.status_mut() = status;
            *shaped.headers_mut() = std::mem::take(response.headers_mut());
            response = shaped;
        }
        response.headers_mut().insert(header::CONTENT_TYPE, self.content_type());
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(accept: Option<&str>) -> Media {
        let mut headers = HeaderMap::new();
        if let Some(a) = accept {
            headers.insert(header::ACCEPT, HeaderValue::from_str(a).unwrap());
        }
        Media::of(&headers)
    }

    #[test]
    fn the_client_s_preference_decides() {
        assert_eq!(of(None), Media::Json);
        assert_eq!(of(Some("*/*")), Media::Json);
        assert_eq!(of(Some("application/json")), Media::Json);
        assert_eq!(of(Some("text/html")), Media::Json);
        assert_eq!(of(Some("application/graphql-response+json")), Media::GraphQLResponse);
        assert_eq!(of(Some("application/graphql-response+json, application/json;q=0.9")), Media::GraphQLResponse);
        assert_eq!(of(Some("Application/GraphQL-Response+JSON;charset=utf-8")), Media::GraphQLResponse);
        assert_eq!(of(Some("application/graphql-response+json;q=0.5, application/json")), Media::Json);
        assert_eq!(of(Some("application/graphql-response+json;q=0, */*")), Media::Json);
    }
}
