//! `GET /export/publication/{departmentCode}/{fiscalYear}.html|.xlsx`: the public table, with the
//! same token as GraphQL. Before the department publishes, only it and the bureau may read it
//! (others: FORBIDDEN); after, anyone signed in. Every download is in the audit trail.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::excel::http::{
    Answered, ExportState, api_error, audited, download, meta_of, offload, refusal, signed_in, store_error,
};
use crate::lang::say;

/// The page's own policy: its inline style and nothing else (no script, no outside resource).
const PAGE_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

/// The public table's route, with the downloads' state (`http.rs` merges it beside theirs).
pub fn router(state: ExportState) -> axum::Router {
    axum::Router::new().route("/export/publication/{code}/{file}", axum::routing::get(public_table)).with_state(state)
}

enum Shape {
    Html,
    Xlsx,
}

pub async fn public_table(
    State(state): State<ExportState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((code, file)): Path<(String, String)>,
) -> Response {
    let meta = meta_of(&state, peer, &headers);
    offload(&state.clone(), &headers.clone(), async move {
        let answered = answer(&state, &headers, &code, &file).await;
        audited(&state, &meta, "download.publication", answered).await
    })
    .await
}

async fn answer(state: &ExportState, headers: &HeaderMap, code: &str, file: &str) -> Answered {
    let (year, shape) = match (file.strip_suffix(".html"), file.strip_suffix(".xlsx")) {
        (Some(year), _) => (year, Shape::Html),
        (_, Some(year)) => (year, Shape::Xlsx),
        _ => {
            return refusal(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                &say(
                    format!("没有“{file}”：公开表的地址以 .html 或 .xlsx 结尾"),
                    format!("no “{file}” here: public table addresses end in .html or .xlsx"),
                ),
            )
            .into();
        }
    };
    let Ok(year) = year.parse::<i32>() else {
        return api_error(ApiError::bad_input(
            format!("“{year}”不是预算年度，如 2023"),
            format!("“{year}” is not a fiscal year, e.g. 2023"),
        ))
        .into();
    };
    let who = match signed_in(state, headers).await {
        Ok(who) => who,
        Err(r) => return r.into(),
    };
    let table = match who.scope.publication().public_table(code, year).await {
        Ok(table) => table,
        Err(e) => {
            let response = store_error(e, ("已下达的批复", "issued approval"));
            return Answered { response, who: Some(who.user), objects: vec![] };
        }
    };
    let name = format!("{}{}年度绩效目标公开表", table.department, table.fiscal_year);
    let response = match shape {
        Shape::Html => {
            let mut response = (StatusCode::OK, super::html::page(&table)).into_response();
            let h = response.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_POLICY));
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            response
        }
        Shape::Xlsx => match super::xlsx::workbook(&table) {
            Ok(bytes) => download(bytes, &name),
            Err(e) => api_error(ApiError::internal(&e)),
        },
    };
    Answered { response, who: Some(who.user), objects: vec![format!("Department:{}", table.department_code)] }
}
