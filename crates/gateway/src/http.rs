//! HTTP: mounts the GraphQL schema on axum. `POST /graphql` runs a request, `GET /graphql`
//! serves GraphiQL (unless switched off), `/healthz` says the process is alive, `/readyz` that
//! the database answers and its migrations are current, `/metrics` speaks Prometheus.
//!
//! Every request gets an id (`x-request-id`, taken from the client when it is sane), returned
//! in the response and attached to its log line with the operation name, duration and outcome.
//! Requests that cannot be run are refused before parsing with a GraphQL-shaped error and a code
//! of their own: PAYLOAD_TOO_LARGE, BATCH_NOT_SUPPORTED, UNSUPPORTED_MEDIA_TYPE, BAD_USER_INPUT
//! (not JSON); a request that runs too long ends with TIMEOUT.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_graphql::http::GraphiQLSource;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jixiao_store::Store;
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tracing::Instrument;

use crate::auth::{JwtKeys, Session};
use crate::graphql::access::{Access, RequestAuth};
use crate::graphql::schema::{JixiaoSchema, execute};
use crate::metrics::Metrics;

/// What the HTTP layer lets through.
#[derive(Clone, Debug)]
pub struct HttpLimits {
    /// Larger bodies are refused before they are parsed.
    pub max_body_bytes: usize,
    /// A request still running after this is ended with TIMEOUT (its transaction rolls back).
    pub request_timeout: Duration,
    pub graphiql: bool,
    /// Origins whose browsers may call the API (CORS); none means same-origin only.
    pub cors_origins: Vec<HeaderValue>,
}

impl Default for HttpLimits {
    fn default() -> HttpLimits {
        HttpLimits {
            max_body_bytes: 4 * 1024 * 1024,
            request_timeout: Duration::from_secs(15),
            graphiql: true,
            cors_origins: Vec::new(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub schema: JixiaoSchema,
    pub store: Store,
    pub keys: JwtKeys,
    pub limits: HttpLimits,
    pub metrics: Arc<Metrics>,
}

pub fn router(state: AppState) -> Router {
    let graphql = if state.limits.graphiql { get(graphiql).post(graphql) } else { axum::routing::post(graphql) };
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(state.limits.cors_origins.clone()))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, HeaderName::from_static("x-request-id")])
        .expose_headers([HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_secs(600));
    Router::new()
        .route("/graphql", graphql)
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(state.limits.max_body_bytes))
        .layer(cors)
        .with_state(state)
}

/// An error before any GraphQL runs, shaped like a GraphQL response so clients handle it alike.
fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": code } }] })))
        .into_response()
}

fn request_id(headers: &HeaderMap) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let given = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    match given {
        Some(id)
            if !id.is_empty()
                && id.len() <= 64
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            id.to_string()
        }
        _ => format!("{:x}-{:x}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)),
    }
}

async fn graphql(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let started = Instant::now();
    let id = request_id(&headers);
    let span = tracing::info_span!("request", request_id = %id);
    let (mut response, operation, outcome) = run(&state, &headers, body).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    state.metrics.record_request(operation.as_deref(), outcome, elapsed);
    tracing::info!(parent: &span, operation = operation.as_deref().unwrap_or("-"), outcome, ms = elapsed.as_millis() as u64, "graphql");
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// Runs one request; returns the response, its operation name and its outcome for the log.
async fn run(
    state: &AppState,
    headers: &HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> (Response, Option<String>, &'static str) {
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let msg = format!("the request body is larger than {} bytes", state.limits.max_body_bytes);
            return (refusal(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", &msg), None, "refused");
        }
        Err(_) => {
            return (
                refusal(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", "the request body could not be read"),
                None,
                "refused",
            );
        }
    };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("application/json");
    if !content_type.contains("json") {
        let msg = format!("send GraphQL requests as application/json, not {content_type}");
        return (refusal(StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", &msg), None, "refused");
    }
    let request = match serde_json::from_slice::<async_graphql::BatchRequest>(&body) {
        Ok(async_graphql::BatchRequest::Single(r)) => r,
        Ok(async_graphql::BatchRequest::Batch(_)) => {
            let msg = "batched requests (a JSON array) are not accepted: send one operation per request";
            return (refusal(StatusCode::BAD_REQUEST, "BATCH_NOT_SUPPORTED", msg), None, "refused");
        }
        Err(e) => {
            let msg = format!(
                "the body is not a GraphQL request in JSON ({e}): send {{\"query\": \"…\", \"variables\": {{…}}}}"
            );
            return (refusal(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &msg), None, "refused");
        }
    };
    let operation = request.operation_name.clone();
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let auth = match Session::from_header(&state.store, &state.keys, authorization).await {
        Ok(Session::User { actor, user }) => RequestAuth::Granted(Access::new(actor, user, state.store.clone())),
        Ok(Session::Anonymous) => RequestAuth::Missing,
        Ok(Session::Invalid) => RequestAuth::Invalid,
        Err(e) => return (refusal(StatusCode::OK, e.code(), &e.message()), operation, "error"),
    };
    match tokio::time::timeout(state.limits.request_timeout, execute(&state.schema, request, auth)).await {
        Ok(response) => {
            let outcome = if response.errors.is_empty() { "ok" } else { "error" };
            (async_graphql_axum::GraphQLResponse::from(response).into_response(), operation, outcome)
        }
        Err(_) => {
            let msg = format!(
                "the request took longer than {} ms and was stopped; nothing it was writing was saved",
                state.limits.request_timeout.as_millis()
            );
            (refusal(StatusCode::OK, "TIMEOUT", &msg), operation, "timeout")
        }
    }
}

async fn graphiql() -> Html<String> {
    Html(GraphiQLSource::build().endpoint("/graphql").title("Jixiao 绩效 GraphQL").finish())
}

async fn healthz() -> &'static str {
    "ok"
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render(&state.store))
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if let Err(e) = state.store.ping().await {
        tracing::warn!(error = %e, "readiness: database does not answer");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "ready": false, "reason": "the database does not answer" })),
        );
    }
    match state.store.pending_migrations().await {
        Ok(0) => (StatusCode::OK, Json(json!({ "ready": true }))),
        Ok(n) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "ready": false, "reason": format!("{n} migrations are pending: run `jixiao migrate`") })),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: cannot read migrations");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "ready": false, "reason": "the migration state cannot be read" })),
            )
        }
    }
}
