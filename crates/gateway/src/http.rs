//! HTTP: mounts the GraphQL schema on axum. `POST /graphql` runs a request, `GET /graphql` runs a
//! query from the URL (`http/get.rs`), serves GraphiQL to a browser (unless switched off) or opens
//! a WebSocket for subscriptions (`ws.rs`); `/healthz` says the process is alive, `/readyz` that
//! the database answers and its migrations are current, `/metrics` speaks Prometheus
//! (`http/probes.rs`), and `/export/…` downloads workbooks (`export/http.rs`). A POST's body is
//! read into its request in `http/post.rs`.
//!
//! Every request gets an id (`x-request-id`, taken from the client when it is sane), returned
//! in the response and attached to its log line with the operation name, duration and outcome.
//! Requests that cannot be run are refused before parsing with a GraphQL-shaped error and a code
//! of their own: PAYLOAD_TOO_LARGE, BATCH_NOT_SUPPORTED, UNSUPPORTED_MEDIA_TYPE, BAD_USER_INPUT
//! (not JSON); a request that runs too long ends with TIMEOUT. A file upload comes as the GraphQL
//! multipart request convention, and only with a token (`is_upload`). The answer's media type
//! and what a refusal looks like in it follow the client's `Accept` (`media.rs`); a document may
//! come by id (`graphql/persisted.rs`).
//!
//! With replicas (`jixiao_store::replicas`), a query runs on the one the store routes the caller
//! to, and again on the primary should the replica fail it; after a mutation, where the
//! primary's log stands is remembered for the writer before the answer leaves.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::http::WebSocketProtocols;
use async_graphql::parser::types::OperationType;
use axum::body::Bytes;
use axum::extract::ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jixiao_store::Store;
use jixiao_store::replicas::{ReadFrom, ReplicaSet};
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tracing::Instrument;

use crate::auth::{JwtKeys, Session};
use crate::error::ApiError;
use crate::graphiql;
use crate::graphql::access::{Access, RequestAuth};
use crate::graphql::audit_plan;
use crate::graphql::checked_documents::{CheckedDocuments, KeptDocument};
use crate::graphql::guard::{self, clip};
use crate::graphql::persisted::PersistedDocuments;
use crate::graphql::schema::{JixiaoSchema, VariablesAgain, execute, read_again};
use crate::kept_answers::{AnswerKey, KeptAnswers};
use crate::lang::{self, Lang, say};
use crate::media::{Media, RequestError};
use crate::metrics::Metrics;
use crate::request_meta::{RequestMeta, client_address, request_id};
use crate::ws::SocketState;

mod get;
mod post;
mod probes;

use get::GetParams;
use post::read_post;
use probes::{healthz, metrics, readyz};

/// What the HTTP layer lets through.
#[derive(Clone, Debug)]
pub struct HttpLimits {
    /// Larger bodies are refused before they are parsed.
    pub max_body_bytes: usize,
    /// A request still running after this is ended with TIMEOUT (its transaction rolls back).
    pub request_timeout: Duration,
    /// Most fields a document may expand to once its fragments are spread (QUERY_TOO_COMPLEX).
    pub max_fields: u64,
    /// Largest answer sent (RESPONSE_TOO_LARGE beyond it).
    pub max_response_bytes: usize,
    /// Whether the client address comes from `X-Forwarded-For` (behind a proxy).
    pub trust_proxy: bool,
    /// Whether `/metrics` is served, and the bearer token it asks for, if any.
    pub metrics: bool,
    pub metrics_token: Option<String>,
    pub graphiql: bool,
    /// Whether `__schema` and `__type` are answered (JIXIAO_INTROSPECTION).
    pub introspection: bool,
    /// Origins whose browsers may call the API (CORS); none means same-origin only.
    pub cors_origins: Vec<HeaderValue>,
}

#[derive(Clone)]
pub struct AppState {
    pub schema: JixiaoSchema,
    pub store: Store,
    pub keys: JwtKeys,
    pub limits: HttpLimits,
    pub metrics: Arc<Metrics>,
    /// The runtime GraphQL requests run on, apart from the one that serves HTTP.
    pub work: tokio::runtime::Handle,
    /// The store over a small pool opened on the HTTP runtime, for the form checks answered
    /// there (`run`); `store`'s pool was opened on the GraphQL runtime.
    pub check_store: Store,
    /// The request guard, with the documents that passed it kept by their text.
    pub documents: Arc<CheckedDocuments>,
    /// Documents sent by id: automatic persisted queries and trusted documents (`persisted.rs`).
    pub persisted: Arc<PersistedDocuments>,
    /// Open subscriptions per user, over every WebSocket of this instance (`ws_slots.rs`).
    pub user_slots: crate::ws_slots::UserSlots,
    /// Streaming replicas that take reads (JIXIAO_REPLICA_URLS), if any.
    pub replicas: Option<Arc<ReplicaSet>>,
    /// Reads' answers kept between requests (`kept_answers.rs`); none when switched off.
    pub answers: Option<Arc<KeptAnswers>>,
    /// Subscriptions served once per selection and class (`ws_feeds.rs`).
    pub feeds: crate::ws_feeds::Feeds,
}

pub fn router(state: AppState) -> Router {
    let graphql = get(graphql_get).post(graphql);
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(state.limits.cors_origins.clone()))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, HeaderName::from_static("x-request-id")])
        .expose_headers([HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_secs(600));
    let mut router =
        Router::new().route("/graphql", graphql).route("/healthz", get(healthz)).route("/readyz", get(readyz));
    if state.limits.graphiql {
        router = router.route("/graphiql/{file}", get(graphiql::asset));
    }
    if state.limits.metrics {
        router = router.route("/metrics", get(metrics));
    }
    // Downloads have routes and state of their own (`excel/http.rs`, `public_table/http.rs`),
    // behind the same layers, building at most BUILDING_AT_ONCE files between them.
    let downloads = crate::excel::http::ExportState {
        store: state.store.clone(),
        keys: state.keys.clone(),
        work: state.work.clone(),
        timeout: state.limits.request_timeout,
        building: Arc::new(tokio::sync::Semaphore::new(crate::excel::http::BUILDING_AT_ONCE)),
        trust_proxy: state.limits.trust_proxy,
        replicas: state.replicas.clone(),
    };
    let public_table = crate::public_table::http::router(downloads.clone());
    let library = crate::excel::library_http::router(downloads.clone());
    let department_goals = crate::excel::goals_http::router(downloads.clone());
    let downloads = crate::excel::http::router(downloads);
    let max_body = state.limits.max_body_bytes;
    router
        .with_state(state)
        .merge(downloads)
        .merge(department_goals)
        .merge(public_table)
        .merge(library)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(cors)
}

/// `GET /graphql`: a WebSocket for subscriptions (`ws.rs`) when the client asks to upgrade; a
/// query when the URL carries one (`http/get.rs`); GraphiQL when a browser asks for a page and
/// GraphiQL is on.
async fn graphql_get(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    params: Result<Query<GetParams>, axum::extract::rejection::QueryRejection>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let lang = lang::of(&headers);
    if let Ok(upgrade) = upgrade {
        return subscribe(state, &headers, upgrade, lang);
    }
    // A browser opening the address gets GraphiQL (with `?query=…` in its editor, not run).
    if state.limits.graphiql && get::wants_a_page(&headers) {
        return graphiql::page().await.into_response();
    }
    let params = match params {
        Ok(Query(params)) if params.is_empty() => None,
        Ok(Query(params)) => Some(params.request().map(Box::new)),
        Err(rejection) => Some(Err(("query", rejection.body_text()))),
    };
    let mut response = match params {
        Some(parsed) => handle(&state, peer, &headers, Received::Get(parsed)).await,
        None => {
            let msg = lang::scoped(lang, async {
                say(
                    "GET /graphql 须带 query 参数（URL 编码的 GraphQL 查询）；变更请用 POST",
                    "GET /graphql needs a query parameter (a URL-encoded GraphQL query); send mutations by POST",
                )
            })
            .await;
            Media::of(&headers).shape(refusal(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &msg))
        }
    };
    get::add_cache_headers(&mut response);
    response
}

/// The WebSocket of a client's subscriptions.
fn subscribe(state: AppState, headers: &HeaderMap, upgrade: WebSocketUpgrade, lang: Lang) -> Response {
    let asked = headers.get(header::SEC_WEBSOCKET_PROTOCOL).and_then(|v| v.to_str().ok()).unwrap_or("");
    // The client's first protocol that we speak; graphql-transport-ws when it names none.
    let protocol = asked
        .split(',')
        .find_map(|p| p.trim().parse::<WebSocketProtocols>().ok())
        .unwrap_or(WebSocketProtocols::GraphQLWS);
    // A client sends only small messages (init, subscribe, ping): small read buffers keep a
    // thousand connections from holding 128 KiB each, and a message is at most what a request
    // body may be.
    let max_message = state.limits.max_body_bytes;
    let upgrade = upgrade
        .read_buffer_size(4 * 1024)
        .write_buffer_size(16 * 1024)
        .max_message_size(max_message)
        .max_frame_size(max_message);
    upgrade.protocols([protocol.sec_websocket_protocol()]).on_upgrade(move |socket| {
        let state = SocketState {
            schema: state.schema,
            store: state.store,
            keys: state.keys,
            metrics: state.metrics,
            max_fields: state.limits.max_fields,
            introspection: state.limits.introspection,
            user_slots: state.user_slots,
            persisted: state.persisted,
            feeds: state.feeds,
        };
        lang::scoped(lang, crate::ws::serve(socket, state, protocol))
    })
}

/// A request refused before any GraphQL ran, shaped like a GraphQL response so clients handle it
/// alike; marked as a request error, which `application/graphql-response+json` answers without
/// `data` (`media.rs`).
fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    let errors = json!([{ "message": message, "extensions": { "code": code } }]);
    let mut response = (status, Json(json!({ "data": null, "errors": errors.clone() }))).into_response();
    response.extensions_mut().insert(RequestError(errors));
    response
}

/// A request that ran and failed as a whole (it timed out, the service failed): `data` is null.
fn failure(code: &str, message: &str) -> Response {
    (StatusCode::OK, Json(json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": code } }] })))
        .into_response()
}

/// A request as it came: a POST's body, or a GET's parameters read into a request (or what is
/// wrong with them).
enum Received {
    Post(Result<Bytes, axum::extract::rejection::BytesRejection>),
    Get(Result<Box<async_graphql::Request>, (&'static str, String)>),
}

async fn graphql(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    handle(&state, peer, &headers, Received::Post(body)).await
}

/// Runs a request (POST or GET) and logs it; the answer in the media type the client accepts.
async fn handle(state: &AppState, peer: SocketAddr, headers: &HeaderMap, received: Received) -> Response {
    let started = Instant::now();
    let id = request_id(headers);
    let span = tracing::info_span!("request", request_id = %id);
    let meta = RequestMeta { request_id: id.clone(), address: client_address(state.limits.trust_proxy, peer, headers) };
    let lang = lang::of(headers);
    let media = Media::of(headers);
    let (response, operation, outcome) =
        lang::scoped(lang, run(state, headers, meta, received, lang, media)).instrument(span.clone()).await;
    let mut response = media.shape(response);
    let elapsed = started.elapsed();
    state.metrics.record_request(operation.as_deref(), outcome, elapsed);
    tracing::info!(parent: &span, operation = operation.as_deref().unwrap_or("-"), outcome, ms = elapsed.as_millis() as u64, "graphql");
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// Runs one request; returns the response, its operation name (clipped, for the log) and its
/// outcome. Everything after reading the body runs on the GraphQL runtime (`state.work`), so a
/// request that keeps a core busy cannot hold up `/healthz`, other connections or shutdown, and
/// the timeout answers on time even when the work itself cannot be interrupted: the task is
/// aborted at its next await, which rolls back its transaction.
///
/// Except a form check that took its lane (`form_lane.rs`): it is answered here, its one
/// statement on a pool opened on this runtime. Its work is bounded whatever the body holds: the
/// body is already read, the document was validated before (so its fields are within
/// `max_fields`), the rules read no more rows than a saved form may hold (`MAX_INDICATORS`,
/// `MAX_FUND_ITEMS`) and it writes nothing. The two hops between runtimes it skips (there and
/// back, each a wake-up of a thread on two cores that are already busy) were a third of its p99
/// at 8 connections (BENCHMARKS.md, step 22).
async fn run(
    state: &AppState,
    headers: &HeaderMap,
    meta: RequestMeta,
    received: Received,
    lang: Lang,
    media: Media,
) -> (Response, Option<String>, &'static str) {
    let (request, json_body, checked_here, method) = match received {
        Received::Post(body) => match read_post(state, headers, body).await {
            Ok(posted) => (posted.request, posted.json_body, posted.checked_here, Method::POST),
            Err(refused) => return (refused, None, "refused"),
        },
        Received::Get(Ok(request)) => (*request, None, false, Method::GET),
        Received::Get(Err((parameter, detail))) => {
            let detail = clip(&detail, 200);
            let msg = say(
                format!(
                    "GET 请求的 {parameter} 参数无法读取（{detail}）：variables 与 extensions 须为 URL 编码的 JSON 对象"
                ),
                format!(
                    "the GET request's {parameter} parameter could not be read ({detail}): variables and extensions are URL-encoded JSON objects"
                ),
            );
            return (refusal(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &msg), None, "refused");
        }
    };
    let given_operation = request.operation_name.as_deref().map(|name| clip(name, 64));
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    // The work runs on another runtime: it takes the request's language with it.
    let request = request.data(meta.address.clone());
    if checked_here {
        state.metrics.form_checks_on_lane.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let answering = answer(
            state,
            &state.check_store,
            authorization,
            request,
            json_body,
            Asked { meta: &meta, method, media, may_use_replicas: false, may_keep: false },
        );
        return match tokio::time::timeout(state.limits.request_timeout, answering).await {
            Ok(answered) => answered,
            Err(_) => timed_out(state, given_operation),
        };
    }
    let running = state.clone();
    let task = state.work.spawn(lang::scoped(lang, async move {
        let asked = Asked { meta: &meta, method, media, may_use_replicas: true, may_keep: true };
        answer(&running, &running.store, authorization, request, json_body, asked).await
    }));
    let abort = task.abort_handle();
    match tokio::time::timeout(state.limits.request_timeout, task).await {
        Ok(Ok((response, operation, outcome))) => (response, operation, outcome),
        Ok(Err(e)) => {
            let error = ApiError::internal(&e);
            (failure(error.code(), &error.message()), given_operation, "error")
        }
        Err(_) => {
            abort.abort();
            timed_out(state, given_operation)
        }
    }
}

/// TIMEOUT, for a request stopped after `request_timeout`.
fn timed_out(state: &AppState, operation: Option<String>) -> (Response, Option<String>, &'static str) {
    let ms = state.limits.request_timeout.as_millis();
    let msg = say(
        format!("请求超过 {ms} 毫秒，已停止；其正在写入的内容均未保存"),
        format!("the request took longer than {ms} ms and was stopped; nothing it was writing was saved"),
    );
    (failure("TIMEOUT", &msg), operation, "timeout")
}

/// Checks the request's shape, reads its credentials and executes it with `store` (the pool of
/// the runtime it runs on). Returns the answer, the operation's name (for the log) and the outcome.
async fn answer(
    state: &AppState,
    store: &Store,
    authorization: Option<String>,
    mut request: async_graphql::Request,
    json_body: Option<Bytes>,
    asked: Asked<'_>,
) -> (Response, Option<String>, &'static str) {
    let trusted = match state.persisted.resolve(store, &mut request).await {
        Ok(trusted) => trusted,
        Err(e) => return (refusal(StatusCode::OK, e.code(), &e.message()), None, "refused"),
    };
    if request.query.trim().is_empty() {
        let msg = say(
            "请求缺少 query（GraphQL 查询语句）：请发送 {\"query\": \"…\"}",
            "the request has no query (the GraphQL document): send {\"query\": \"…\"}",
        );
        return (refusal(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &msg), None, "refused");
    }
    let kept = match state.documents.check(&mut request) {
        Ok(kept) => kept,
        Err(e) => {
            let operation = request.operation_name.as_deref().map(|name| clip(name, 64));
            return (refusal(StatusCode::OK, e.code(), &e.message()), operation, "refused");
        }
    };
    let operation = guard::operation_name(&mut request);
    if let Err(e) = state.persisted.admit(&mut request, trusted, state.limits.introspection) {
        return (refusal(StatusCode::OK, e.code(), &e.message()), operation, "refused");
    }
    let writes = changes_or_streams(&mut request);
    if asked.method == Method::GET && writes {
        let msg = say(
            "GET 只能执行查询：变更与订阅请用 POST（订阅用 WebSocket）",
            "GET runs queries only: send mutations by POST, and subscriptions over a WebSocket",
        );
        let mut refused = refusal(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", &msg);
        refused.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
        return (refused, operation, "refused");
    }
    let variables = match &json_body {
        Some(body) => VariablesAgain::FromBody(body),
        None => VariablesAgain::Copied,
    };
    let asked =
        Asked { may_use_replicas: asked.may_use_replicas && !writes, may_keep: asked.may_keep && !writes, ..asked };
    let (response, outcome) = respond(state, store, authorization, request, variables, kept.as_deref(), asked).await;
    (response, operation, outcome)
}

/// The caller's credentials over `store`: the primary's, or a replica's for a read.
fn credentials(session: &Session, store: &Store) -> RequestAuth {
    match session {
        Session::User { actor, user } => RequestAuth::Granted(Access::new(user.clone(), store.scope(*actor))),
        Session::Anonymous => RequestAuth::Missing,
        Session::Invalid => RequestAuth::Invalid,
    }
}

/// Whether an error says the server could not do the work (UNAVAILABLE, INTERNAL) rather than
/// anything about the request: on a replica, worth running again on the primary.
fn failed_for_want_of_the_server(error: &async_graphql::ServerError) -> bool {
    let code = error.extensions.as_ref().and_then(|ext| ext.get("code"));
    matches!(code, Some(async_graphql::Value::String(code)) if code == "UNAVAILABLE" || code == "INTERNAL")
}

/// How a request was asked: its id and address, its method, the media type it accepts,
/// whether a read may go to a replica (not on the form lane, whose pool is the primary's) and
/// whether its answer may be kept (a read, not on the form lane: each check is another form).
struct Asked<'a> {
    meta: &'a RequestMeta,
    method: Method,
    media: Media,
    may_use_replicas: bool,
    may_keep: bool,
}

/// Whether the operation the request runs is a mutation or a subscription (its document was
/// parsed by the guard; an operation it does not name runs nowhere, and fails as it would).
fn changes_or_streams(request: &mut async_graphql::Request) -> bool {
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else { return false };
    guard::operation(document, name.as_deref()).is_some_and(|op| op.node.ty != OperationType::Query)
}

/// Runs a checked request with the caller's credentials; the answer is measured before it is sent.
async fn respond(
    state: &AppState,
    store: &Store,
    authorization: Option<String>,
    mut request: async_graphql::Request,
    variables: VariablesAgain<'_>,
    kept: Option<&KeptDocument>,
    asked: Asked<'_>,
) -> (Response, &'static str) {
    let meta = asked.meta;
    // Who the caller is is always the primary's to say: a user disabled a moment ago is disabled.
    let session = match Session::from_header(store, &state.keys, authorization.as_deref()).await {
        Ok(session) => session,
        Err(e) => return (failure(e.code(), &e.message()), "error"),
    };
    // A read's answer kept for the caller's class, if it is there; else the generation of data
    // changes it is read at, to be kept under.
    let keeping = match (&state.answers, &session) {
        (Some(answers), Session::User { actor, .. }) if asked.may_keep => {
            state.store.data_changes().generation().map(|generation| {
                let today = state.store.clock().today();
                (answers, AnswerKey::new(actor.visibility_class(), crate::lang::current(), today, &request), generation)
            })
        }
        _ => None,
    };
    if let Some((answers, key, generation)) = &keeping
        && let Some(answer) = answers.get(key, *generation)
    {
        let content_type = [(header::CONTENT_TYPE, asked.media.content_type())];
        return ((StatusCode::OK, content_type, answer).into_response(), "ok");
    }
    let replicas = state.replicas.as_deref().filter(|_| asked.may_use_replicas);
    let caller = match &session {
        Session::User { actor, .. } => Some(actor.user_id),
        _ => None,
    };
    let (read_from, reader) = replicas.map_or((ReadFrom::Primary, store), |set| set.route(caller));
    let again = (read_from != ReadFrom::Primary).then(|| read_again(&request, variables)).flatten();
    let auth = credentials(&session, reader);
    // A mutation is planned for the audit trail before it runs, and recorded after (a query is not).
    let planned = audit_plan::plan(&mut request);
    let who = match &auth {
        RequestAuth::Granted(access) => (Some(access.user.id), access.user.username.clone()),
        RequestAuth::Missing | RequestAuth::Invalid => (None, "-".to_string()),
    };
    // Whether what the read reads is its class's (the scope says when it used the person).
    let scope = match &auth {
        RequestAuth::Granted(access) => Some(access.scope.clone()),
        RequestAuth::Missing | RequestAuth::Invalid => None,
    };
    let mut response = execute(&state.schema, request, variables, auth, kept).await;
    if planned.is_some() && scope.is_some() {
        // This instance's kept answers go before the write's answer leaves (others' go when
        // they hear the database's notice): the writer reads what they wrote.
        state.store.data_changes().changed();
    }
    let keeping = keeping.filter(|_| {
        read_from == ReadFrom::Primary
            && response.errors.is_empty()
            && scope.as_ref().is_some_and(|s| s.answer_is_for_class())
    });
    if let (ReadFrom::Replica(index), Some(set), Some(again)) = (read_from, replicas, again) {
        // A replica that failed the read (gone, restarting, or cancelling a query that conflicts
        // with what it replays) costs the caller nothing: the read runs again on the primary.
        if response.errors.iter().any(|e| failed_for_want_of_the_server(e)) {
            set.failed(index);
            tracing::warn!(replica = index, "a read failed on a replica: run again on the primary");
            response = execute(&state.schema, again, VariablesAgain::Copied, credentials(&session, store), kept).await;
        }
    }
    if planned.is_some()
        && let (Some(set), Some(user)) = (state.replicas.as_deref(), caller)
    {
        // The writer's next screens wait for a replica that has replayed this (on every instance).
        if let Err(e) = set.wrote(user).await {
            tracing::warn!(error = %e, "could not say where the primary's log stands after a write");
        }
    }
    if let Some(planned) = planned {
        let caller = audit_plan::Caller {
            actor_id: who.0,
            actor: &who.1,
            address: &meta.address.0,
            request_id: &meta.request_id,
        };
        for event in audit_plan::events(planned, &caller, &response) {
            if let Err(e) = store.audit(&event).await {
                tracing::error!(error = %e, operation = %event.operation, "the audit trail could not be written");
            }
        }
    }
    let outcome = if response.errors.is_empty() { "ok" } else { "error" };
    let status = asked.media.status_of(&response);
    let serialized = if status == StatusCode::OK {
        serde_json::to_vec(&response)
    } else {
        // A request error under application/graphql-response+json: no `data` at all.
        serde_json::to_vec(&json!({ "errors": response.errors }))
    };
    match serialized {
        Ok(bytes) if bytes.len() <= state.limits.max_response_bytes => {
            let bytes = Bytes::from(bytes);
            if let Some((answers, key, generation)) = keeping
                && status == StatusCode::OK
            {
                answers.put(key, generation, state.store.data_changes().generation(), bytes.clone());
            }
            let content_type = [(header::CONTENT_TYPE, asked.media.content_type())];
            ((status, content_type, bytes).into_response(), outcome)
        }
        Ok(bytes) => {
            let (size, max) = (bytes.len(), state.limits.max_response_bytes);
            let msg = say(
                format!("应答将有 {size} 字节，超过上限 {max}：请少取一些行或字段（用更小的分页）"),
                format!(
                    "the answer would be {size} bytes, more than the {max} allowed: ask for fewer rows or fields (smaller pages)"
                ),
            );
            (failure("RESPONSE_TOO_LARGE", &msg), "refused")
        }
        Err(e) => {
            let error = ApiError::internal(&e);
            (failure(error.code(), &error.message()), "error")
        }
    }
}
