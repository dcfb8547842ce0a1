//! `GET /export/projects/{id}.xlsx` and `GET /export/declarations/{departmentCode}/{fiscalYear}.xlsx`:
//! the same token and visibility as GraphQL (what the caller may not see is a 404, as NOT_FOUND),
//! errors as JSON with a code and a message in the reader's language.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jixiao_store::{Scope, StoreError};
use serde_json::json;

use super::data::{self, BookError};
use super::write::{Book, form_workbook, template_workbook};
use crate::auth::{JwtKeys, Session};
use crate::graphql::error::ApiError;
use crate::graphql::ids::{Kind, decode};
use crate::lang::{self, say};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What a download needs: the store and the keys that check its token.
#[derive(Clone)]
pub struct ExportState {
    pub store: jixiao_store::Store,
    pub keys: JwtKeys,
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
    lang::scoped(lang::of(&headers), async move {
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

/// The empty form units fill offline, with drop-down lists (any signed-in user).
pub async fn template(State(state): State<ExportState>, headers: HeaderMap) -> Response {
    lang::scoped(lang::of(&headers), async move {
        if let Err(r) = scope(&state, &headers).await {
            return r;
        }
        use chrono::Datelike;
        match template_workbook(chrono::Utc::now().year()) {
            Ok(bytes) => download(bytes, "绩效目标申报表模板"),
            Err(e) => api_error(ApiError::internal(&e)),
        }
    })
    .await
}

/// A department's declaration book of a year.
pub async fn declaration(
    State(state): State<ExportState>,
    headers: HeaderMap,
    Path((code, file)): Path<(String, String)>,
) -> Response {
    lang::scoped(lang::of(&headers), async move {
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
