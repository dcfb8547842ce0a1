//! What operators and their tools ask of an instance: `/healthz` (the process answers),
//! `/readyz` (the database answers and its migrations are current) and `/metrics` (Prometheus).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;

pub(super) async fn healthz() -> &'static str {
    "ok"
}

/// Prometheus text; with `JIXIAO_METRICS_TOKEN` set, only for `Authorization: Bearer <token>`
/// (compared in constant time).
pub(super) async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(expected) = &state.limits.metrics_token {
        let given =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|g| constant_time_eq(g.trim().as_bytes(), expected.as_bytes())) {
            return (StatusCode::UNAUTHORIZED, "send the metrics token as Authorization: Bearer <token>\n")
                .into_response();
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render(&state.store, &state.check_store))
        .into_response()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(super) async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
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
