//! `GET /export/projects/{id}.xlsx` and `GET /export/declarations/{departmentCode}/{fiscalYear}.xlsx`:
//! the same token and visibility as GraphQL (what the caller may not see is a 404, as NOT_FOUND),
//! errors as JSON with a code and a message in the reader's language.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jixiao_store::{Scope, StoreError};
use serde_json::json;

use super::audit_book;
use super::data::{self, BookError};
use super::write::{Book, TemplateFor, form_workbook, template_workbook};
use crate::auth::{JwtKeys, Session};
use crate::error::ApiError;
use crate::ids::{Kind, decode};
use crate::lang::{self, say};
use crate::request_meta::{RequestMeta, client_address, request_id};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What a download needs: the store and the keys that check its token, and where and how long
/// its workbook may be built.
#[derive(Clone)]
pub struct ExportState {
    pub store: jixiao_store::Store,
    pub keys: JwtKeys,
    /// The runtime GraphQL requests run on: building a book is a burst of CPU (a 500-project
    /// book about 0.3 s) that must not hold up `/healthz` or other connections.
    pub work: tokio::runtime::Handle,
    /// A download still being built after this is refused with TIMEOUT, as a GraphQL request is.
    pub timeout: std::time::Duration,
    /// Workbooks being built at once: each is held whole in memory until it is sent (a 500-project
    /// book about 30 MB), so their number bounds the memory downloads take.
    pub building: std::sync::Arc<tokio::sync::Semaphore>,
    /// Whether client addresses come from a trusted proxy's `X-Forwarded-For` (the audit trail).
    pub trust_proxy: bool,
    /// Streaming replicas that take reads, if any: a download is a read.
    pub replicas: Option<std::sync::Arc<jixiao_store::replicas::ReplicaSet>>,
}

/// How many workbooks are built at once; more downloads wait their turn.
pub const BUILDING_AT_ONCE: usize = 2;

/// Builds a download on the work runtime, at most [`BUILDING_AT_ONCE`] at a time, within the
/// request timeout, in the reader's language.
pub(crate) async fn offload<F>(state: &ExportState, headers: &HeaderMap, build: F) -> Response
where
    F: std::future::Future<Output = Response> + Send + 'static,
{
    let lang = lang::of(headers);
    let timeout = state.timeout;
    let building = state.building.clone();
    let task = state.work.spawn(lang::scoped(lang, async move {
        let Ok(_permit) = building.acquire_owned().await else {
            return api_error(ApiError::Unavailable);
        };
        build.await
    }));
    let abort = task.abort_handle();
    match tokio::time::timeout(timeout, task).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => lang::scoped(lang, async { api_error(ApiError::internal(&e)) }).await,
        Err(_) => {
            abort.abort();
            let ms = timeout.as_millis();
            let message = lang::scoped(lang, async {
                say(
                    format!("下载超过 {ms} 毫秒仍未生成，已停止：请稍后再试"),
                    format!("the download was not ready within {ms} ms and was stopped: try again later"),
                )
            })
            .await;
            refusal(StatusCode::SERVICE_UNAVAILABLE, "TIMEOUT", &message)
        }
    }
}

/// The download routes, with their state; `http.rs` merges them beside GraphQL.
pub fn router(state: ExportState) -> axum::Router {
    use axum::routing::get;
    axum::Router::new()
        .route("/export/template.xlsx", get(template))
        .route("/export/projects/{file}", get(project))
        .route("/export/declarations/{code}/{file}", get(declaration))
        .route("/export/audit.xlsx", get(audit))
        .with_state(state)
}

pub(crate) fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))).into_response()
}

pub(crate) fn api_error(e: ApiError) -> Response {
    let status = match e.code() {
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
        "UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    refusal(status, e.code(), &e.message())
}

/// Who asked for a download, once their token was read.
pub(crate) struct Downloader {
    pub(crate) scope: Scope,
    pub(crate) user: jixiao_store::User,
}

/// The caller, from the same bearer token GraphQL takes.
pub(crate) async fn signed_in(state: &ExportState, headers: &HeaderMap) -> Result<Downloader, Response> {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    match Session::from_header(&state.store, &state.keys, authorization).await {
        Ok(Session::User { actor, user }) => {
            // Downloads write nothing: a replica that has replayed the caller's writes may build it.
            let store = state.replicas.as_deref().map_or(&state.store, |set| set.route(Some(actor.user_id)).1);
            Ok(Downloader { scope: store.scope(actor), user })
        }
        Ok(Session::Anonymous | Session::Invalid) => Err(refusal(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            &say(
                "请先登录：在 Authorization 请求头中提供有效的令牌",
                "sign in first: send a valid token in the Authorization header",
            ),
        )),
        Err(e) => Err(api_error(e)),
    }
}

/// The caller, who may download forms (a security auditor reads the audit trail only).
pub(crate) async fn reader(state: &ExportState, headers: &HeaderMap) -> Result<Downloader, Response> {
    let who = signed_in(state, headers).await?;
    if who.scope.actor().reads_only_the_audit_log() {
        return Err(api_error(ApiError::Forbidden(jixiao_domain::permissions::auditor_reads_only())));
    }
    Ok(who)
}

/// A download's answer, with who asked and what it named, for the audit trail.
pub(crate) struct Answered {
    pub(crate) response: Response,
    pub(crate) who: Option<jixiao_store::User>,
    pub(crate) objects: Vec<String>,
}

impl From<Response> for Answered {
    fn from(response: Response) -> Answered {
        Answered { response, who: None, objects: vec![] }
    }
}

/// Records a download in the audit trail (who, what, the outcome) and returns its answer.
pub(crate) async fn audited(state: &ExportState, meta: &RequestMeta, operation: &str, answered: Answered) -> Response {
    let outcome = match answered.response.status() {
        StatusCode::OK => "ok",
        StatusCode::UNAUTHORIZED => "UNAUTHENTICATED",
        StatusCode::FORBIDDEN => "FORBIDDEN",
        StatusCode::NOT_FOUND => "NOT_FOUND",
        StatusCode::BAD_REQUEST => "BAD_USER_INPUT",
        StatusCode::SERVICE_UNAVAILABLE => "UNAVAILABLE",
        _ => "INTERNAL",
    };
    let event = jixiao_store::AuditEvent {
        actor_id: answered.who.as_ref().map(|u| u.id),
        actor: answered.who.as_ref().map_or_else(|| "-".to_string(), |u| u.username.clone()),
        address: meta.address.0.clone(),
        request_id: meta.request_id.clone(),
        operation: operation.to_string(),
        objects: answered.objects,
        outcome: outcome.to_string(),
        ..Default::default()
    };
    if let Err(e) = state.store.audit(&event).await {
        tracing::error!(error = %e, operation, "the audit trail could not be written");
    }
    answered.response
}

/// A download's request id and client address.
pub(crate) fn meta_of(state: &ExportState, peer: SocketAddr, headers: &HeaderMap) -> RequestMeta {
    RequestMeta { request_id: request_id(headers), address: client_address(state.trust_proxy, peer, headers) }
}

/// `attachment; filename*=UTF-8''…`: the Chinese name survives in every browser.
pub(crate) fn download(bytes: Vec<u8>, name: &str) -> Response {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    let disposition = format!("attachment; filename=\"export.xlsx\"; filename*=UTF-8''{encoded}.xlsx");
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

pub(crate) fn not_xlsx(file: &str) -> Response {
    refusal(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        &say(
            format!("没有“{file}”：下载地址以 .xlsx 结尾"),
            format!("no “{file}” here: download addresses end in .xlsx"),
        ),
    )
}

pub(crate) fn store_error(e: StoreError, what: (&str, &str)) -> Response {
    match e {
        StoreError::NotFound => api_error(ApiError::not_found(what)),
        other => api_error(other.into()),
    }
}

/// One project's 申报表.
pub async fn project(
    State(state): State<ExportState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let meta = meta_of(&state, peer, &headers);
    offload(&state.clone(), &headers.clone(), async move {
        let answered = project_form(&state, &headers, &file).await;
        audited(&state, &meta, "download.form", answered).await
    })
    .await
}

async fn project_form(state: &ExportState, headers: &HeaderMap, file: &str) -> Answered {
    let Some(id) = file.strip_suffix(".xlsx") else { return not_xlsx(file).into() };
    let id = match decode(&async_graphql::ID(id.to_string()), Kind::Project) {
        Ok(id) => id,
        Err(e) => return api_error(e).into(),
    };
    let who = match reader(state, headers).await {
        Ok(who) => who,
        Err(r) => return r.into(),
    };
    let response = match data::form(&who.scope, id).await {
        Ok(form) => match form_workbook(&form) {
            Ok(bytes) => download(bytes, &format!("{}绩效目标申报表", form.declaration.text.name)),
            Err(e) => api_error(ApiError::internal(&e)),
        },
        Err(e) => store_error(e, ("项目", "project")),
    };
    Answered { response, who: Some(who.user), objects: vec![format!("Project:{id}")] }
}

/// The year a template is for: `?year=2024`, else this year.
#[derive(serde::Deserialize)]
pub struct TemplateQuery {
    year: Option<i32>,
}

/// The empty form units fill offline, with drop-down lists (any signed-in user); a submitter's
/// has their department written in and its units to choose from.
pub async fn template(
    State(state): State<ExportState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<TemplateQuery>,
) -> Response {
    let meta = meta_of(&state, peer, &headers);
    offload(&state.clone(), &headers.clone(), async move {
        let who = match reader(&state, &headers).await {
            Ok(who) => who,
            Err(r) => return audited(&state, &meta, "download.template", r.into()).await,
        };
        use chrono::Datelike;
        let year = query.year.unwrap_or_else(|| chrono::Utc::now().year());
        let response = match template_for(&who.scope).await {
            Ok(to) => match template_workbook(year, to.as_ref()) {
                Ok(bytes) => download(bytes, "绩效目标申报表模板"),
                Err(e) => api_error(ApiError::internal(&e)),
            },
            Err(e) => api_error(e.into()),
        };
        audited(&state, &meta, "download.template", Answered { response, who: Some(who.user), objects: vec![] }).await
    })
    .await
}

/// A submitter's department and its units, for their template.
async fn template_for(scope: &Scope) -> Result<Option<TemplateFor>, StoreError> {
    let Some(id) = scope.actor().department_id else { return Ok(None) };
    let Some(department) = scope.departments_by_ids(&[id]).await?.remove(&id) else { return Ok(None) };
    let units = scope.units_of_departments(&[id]).await?.remove(&id).unwrap_or_default();
    Ok(Some(TemplateFor { department: department.name, units: units.into_iter().map(|u| u.name).collect() }))
}

/// A department's declaration book of a year.
pub async fn declaration(
    State(state): State<ExportState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((code, file)): Path<(String, String)>,
) -> Response {
    let meta = meta_of(&state, peer, &headers);
    offload(&state.clone(), &headers.clone(), async move {
        let answered = department_book(&state, &headers, &code, &file).await;
        audited(&state, &meta, "download.book", answered).await
    })
    .await
}

async fn department_book(state: &ExportState, headers: &HeaderMap, code: &str, file: &str) -> Answered {
    let Some(year) = file.strip_suffix(".xlsx") else { return not_xlsx(file).into() };
    let Ok(year) = year.parse::<i32>() else {
        return api_error(ApiError::bad_input(
            format!("“{year}”不是预算年度，如 2023"),
            format!("“{year}” is not a fiscal year, e.g. 2023"),
        ))
        .into();
    };
    let who = match reader(state, headers).await {
        Ok(who) => who,
        Err(r) => return r.into(),
    };
    let department = match who.scope.department_by_code(code).await {
        Ok(Some(d)) => d,
        Ok(None) => {
            let response = api_error(ApiError::not_found(("主管部门", "department")));
            return Answered { response, who: Some(who.user), objects: vec![] };
        }
        Err(e) => return Answered { response: api_error(e.into()), who: Some(who.user), objects: vec![] },
    };
    let response = match build_book(&who.scope, &department, year).await {
        Ok(bytes) => download(bytes, &format!("{}{year}年度绩效目标申报表", department.name)),
        Err(r) => r,
    };
    Answered { response, who: Some(who.user), objects: vec![format!("Department:{}", department.id)] }
}

/// Which records an audit workbook holds: `?from=…&to=…` (RFC 3339), `operation`, `outcome`.
#[derive(serde::Deserialize)]
pub struct AuditQuery {
    from: Option<String>,
    to: Option<String>,
    operation: Option<String>,
    outcome: Option<String>,
}

/// The audit trail as a workbook (admins and security auditors).
pub async fn audit(
    State(state): State<ExportState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<AuditQuery>,
) -> Response {
    let meta = meta_of(&state, peer, &headers);
    offload(&state.clone(), &headers.clone(), async move {
        let answered = audit_export(&state, &headers, query).await;
        audited(&state, &meta, "download.audit", answered).await
    })
    .await
}

async fn audit_export(state: &ExportState, headers: &HeaderMap, query: AuditQuery) -> Answered {
    let who = match signed_in(state, headers).await {
        Ok(who) => who,
        Err(r) => return r.into(),
    };
    let answer = |response| Answered { response, who: Some(who.user.clone()), objects: vec![] };
    let moment = |text: &Option<String>, field: &str| match text {
        None => Ok(None),
        Some(t) => chrono::DateTime::parse_from_rfc3339(t).map(|d| Some(d.to_utc())).map_err(|_| {
            api_error(ApiError::bad_input(
                format!("{field}“{t}”不是时间：请写成 2026-12-01T00:00:00+08:00"),
                format!("{field} “{t}” is not a moment: write it as 2026-12-01T00:00:00+08:00"),
            ))
        }),
    };
    let (from, to) = match (moment(&query.from, "from"), moment(&query.to, "to")) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(r), _) | (_, Err(r)) => return answer(r),
    };
    let trail = match who.scope.audit_trail() {
        Ok(trail) => trail,
        Err(e) => return answer(api_error(e.into())),
    };
    let filter = jixiao_store::AuditFilter {
        from,
        to,
        operation: query.operation,
        outcome: query.outcome,
        ..Default::default()
    };
    let mut records = Vec::new();
    let mut before = None;
    loop {
        let page = match trail.page(&filter, before, 1000).await {
            Ok(page) => page,
            Err(e) => return answer(api_error(e.into())),
        };
        let Some(last) = page.last() else { break };
        before = Some(last.id);
        records.extend(page);
        if records.len() as u64 > audit_book::MAX_ROWS {
            let max = audit_book::MAX_ROWS;
            return answer(api_error(ApiError::bad_input(
                format!("所选范围的审计记录超过 {max} 条：请用 from 和 to 缩小时间范围"),
                format!("the range holds more than {max} audit records: narrow it with from and to"),
            )));
        }
    }
    match audit_book::audit_workbook(&records) {
        Ok(bytes) => answer(download(bytes, "审计日志")),
        Err(e) => answer(api_error(ApiError::internal(&e))),
    }
}

/// The book's bytes, or the response that says why not.
pub async fn build_book(scope: &Scope, department: &jixiao_store::Department, year: i32) -> Result<Vec<u8>, Response> {
    let mut book = Book::new();
    let read = data::book(scope, department.id, year, |page| {
        page.iter().try_for_each(|form| book.add(form)).map_err(|e| e.to_string())
    })
    .await;
    match read {
        Ok(()) => {}
        Err(BookError::Store(e)) => return Err(api_error(e.into())),
        Err(BookError::Write(e)) => return Err(api_error(ApiError::internal(&e))),
    }
    // The department's overall goals of the year, when the reader may see them.
    let goals = scope.department_goals();
    match goals.of_department(department.id, year).await {
        Ok(Some(form)) => {
            let projects = goals.year_projects(&form).await.map_err(|e| api_error(e.into()))?;
            let views: Vec<_> = projects.iter().map(jixiao_store::department_goals::YearProjectRow::view).collect();
            let findings = jixiao_domain::findings::review_department_goals(&form.goals, &views);
            book.department_goals(&department.name, &form, &views, &findings)
                .map_err(|e| api_error(ApiError::internal(&e)))?;
        }
        Ok(None) => {}
        Err(e) => return Err(api_error(e.into())),
    }
    // The bureau's book carries the year's results applied (its own figures); others' do not.
    match scope.results().report(year, Some(department.id)).await {
        Ok(report) => book.results_applied(&report).map_err(|e| api_error(ApiError::internal(&e)))?,
        Err(StoreError::Forbidden(_)) => {}
        Err(e) => return Err(api_error(e.into())),
    }
    // What is late in the year, by the to-do list's rule, for whoever may read the book.
    let overdue = scope.todo().overdue(year).await.map_err(|e| api_error(e.into()))?;
    book.overdue(scope.today(), department.id, &overdue).map_err(|e| api_error(ApiError::internal(&e)))?;
    book.finish(&department.code, &department.name, year).map_err(|e| api_error(ApiError::internal(&e)))
}
