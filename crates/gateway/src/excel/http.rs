//! `GET /export/projects/{id}.xlsx` and `GET /export/declarations/{departmentCode}/{fiscalYear}.xlsx`:
//! the same token and visibility as GraphQL (what the caller may not see is a 404, as NOT_FOUND),
//! errors as JSON with a code and a message in the reader's language.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jixiao_store::{Scope, StoreError};
use serde_json::json;

use super::data::{self, BookError};
use super::write::{Book, TemplateFor, form_workbook, template_workbook};
use crate::auth::{JwtKeys, Session};
use crate::graphql::error::ApiError;
use crate::graphql::ids::{Kind, decode};
use crate::lang::{self, say};

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
}

/// How many workbooks are built at once; more downloads wait their turn.
pub const BUILDING_AT_ONCE: usize = 2;

/// Builds a download on the work runtime, at most [`BUILDING_AT_ONCE`] at a time, within the
/// request timeout, in the reader's language.
async fn offload<F>(state: &ExportState, headers: &HeaderMap, build: F) -> Response
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
        .with_state(state)
}

fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))).into_response()
}

fn api_error(e: ApiError) -> Response {
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

/// The caller's scope, from the same bearer token GraphQL takes.
async fn scope(state: &ExportState, headers: &HeaderMap) -> Result<Scope, Response> {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    match Session::from_header(&state.store, &state.keys, authorization).await {
        Ok(Session::User { actor, .. }) => Ok(state.store.scope(actor)),
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

/// `attachment; filename*=UTF-8''…`: the Chinese name survives in every browser.
fn download(bytes: Vec<u8>, name: &str) -> Response {
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

fn not_xlsx(file: &str) -> Response {
    refusal(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        &say(
            format!("没有“{file}”：下载地址以 .xlsx 结尾"),
            format!("no “{file}” here: download addresses end in .xlsx"),
        ),
    )
}

fn store_error(e: StoreError, what: (&str, &str)) -> Response {
    match e {
        StoreError::NotFound => api_error(ApiError::not_found(what)),
        other => api_error(other.into()),
    }
}

/// One project's 申报表.
pub async fn project(State(state): State<ExportState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    offload(&state.clone(), &headers.clone(), async move {
        let Some(id) = file.strip_suffix(".xlsx") else { return not_xlsx(&file) };
        let id = match decode(&async_graphql::ID(id.to_string()), Kind::Project) {
            Ok(id) => id,
            Err(e) => return api_error(e),
        };
        let scope = match scope(&state, &headers).await {
            Ok(s) => s,
            Err(r) => return r,
        };
        let form = match data::form(&scope, id).await {
            Ok(f) => f,
            Err(e) => return store_error(e, ("项目", "project")),
        };
        match form_workbook(&form) {
            Ok(bytes) => download(bytes, &format!("{}绩效目标申报表", form.declaration.text.name)),
            Err(e) => api_error(ApiError::internal(&e)),
        }
    })
    .await
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
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<TemplateQuery>,
) -> Response {
    offload(&state.clone(), &headers.clone(), async move {
        let scope = match scope(&state, &headers).await {
            Ok(s) => s,
            Err(r) => return r,
        };
        use chrono::Datelike;
        let year = query.year.unwrap_or_else(|| chrono::Utc::now().year());
        let to = match template_for(&scope).await {
            Ok(to) => to,
            Err(e) => return api_error(e.into()),
        };
        match template_workbook(year, to.as_ref()) {
            Ok(bytes) => download(bytes, "绩效目标申报表模板"),
            Err(e) => api_error(ApiError::internal(&e)),
        }
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
    headers: HeaderMap,
    Path((code, file)): Path<(String, String)>,
) -> Response {
    offload(&state.clone(), &headers.clone(), async move {
        let Some(year) = file.strip_suffix(".xlsx") else { return not_xlsx(&file) };
        let Ok(year) = year.parse::<i32>() else {
            return api_error(ApiError::bad_input(
                format!("“{year}”不是预算年度，如 2023"),
                format!("“{year}” is not a fiscal year, e.g. 2023"),
            ));
        };
        let scope = match scope(&state, &headers).await {
            Ok(s) => s,
            Err(r) => return r,
        };
        let department = match scope.department_by_code(&code).await {
            Ok(Some(d)) => d,
            Ok(None) => return api_error(ApiError::not_found(("主管部门", "department"))),
            Err(e) => return api_error(e.into()),
        };
        match build_book(&scope, &department, year).await {
            Ok(bytes) => download(bytes, &format!("{}{year}年度绩效目标申报表", department.name)),
            Err(r) => r,
        }
    })
    .await
}

/// The book's bytes, or the response that says why not.
pub async fn build_book(scope: &Scope, department: &jixiao_store::Department, year: i32) -> Result<Vec<u8>, Response> {
    let mut book = Book::new();
    let read = data::book(scope, department.id, year, |page| {
        page.iter().try_for_each(|form| book.add(form)).map_err(|e| e.to_string())
    })
    .await;
    match read {
        Ok(()) => book.finish(&department.code, &department.name, year).map_err(|e| api_error(ApiError::internal(&e))),
        Err(BookError::Store(e)) => Err(api_error(e.into())),
        Err(BookError::Write(e)) => Err(api_error(ApiError::internal(&e))),
    }
}
