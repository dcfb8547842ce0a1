//! HTTP: mounts the GraphQL schema on axum. `POST /graphql` runs a request, `GET /graphql`
//! serves GraphiQL, `/healthz` says the process is alive, `/readyz` that the database answers
//! and its migrations are current.

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use jixiao_store::Store;
use serde_json::json;

use crate::auth::{JwtKeys, Session};
use crate::graphql::access::{Access, RequestAuth};
use crate::graphql::error::ApiError;
use crate::graphql::schema::{JixiaoSchema, execute};

/// Requests larger than this are refused before they are parsed. Large enough for a whole
/// declaration with long narrative sections; each text is then bounded by the domain.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub schema: JixiaoSchema,
    pub store: Store,
    pub keys: JwtKeys,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

async fn graphql(State(state): State<AppState>, headers: HeaderMap, request: GraphQLRequest) -> GraphQLResponse {
    let header = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let auth = match Session::from_header(&state.store, &state.keys, header).await {
        Ok(Session::User { actor, user }) => RequestAuth::Granted(Access::new(actor, user, state.store.clone())),
        Ok(Session::Anonymous) => RequestAuth::Missing,
        Ok(Session::Invalid) => RequestAuth::Invalid,
        Err(e) => return error_response(e),
    };
    execute(&state.schema, request.into_inner(), auth).await.into()
}

fn error_response(e: ApiError) -> GraphQLResponse {
    let error: async_graphql::Error = e.into();
    async_graphql::Response::from_errors(vec![error.into_server_error(Default::default())]).into()
}

async fn graphiql() -> Html<String> {
    Html(GraphiQLSource::build().endpoint("/graphql").title("Jixiao 绩效 GraphQL").finish())
}

async fn healthz() -> &'static str {
    "ok"
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
