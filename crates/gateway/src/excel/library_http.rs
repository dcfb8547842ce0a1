//! `GET /export/library.xlsx`: the indicator library the reader may read, as a workbook
//! (`library_book.rs`), audited like every download.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::http::{Answered, ExportState, api_error, audited, download, meta_of, offload, reader};
use super::library_book::{LibraryRow, library_workbook};
use crate::error::ApiError;

/// The route, with its state; `http.rs` merges it beside the other downloads.
pub fn router(state: ExportState) -> axum::Router {
    axum::Router::new().route("/export/library.xlsx", axum::routing::get(library)).with_state(state)
}

pub async fn library(
    State(state): State<ExportState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let meta = meta_of(&state, peer, &headers);
    offload(&state.clone(), &headers.clone(), async move {
        let answered = library_export(&state, &headers).await;
        audited(&state, &meta, "download.library", answered).await
    })
    .await
}

async fn library_export(state: &ExportState, headers: &HeaderMap) -> Answered {
    let who = match reader(state, headers).await {
        Ok(who) => who,
        Err(r) => return r.into(),
    };
    let answer = |response| Answered { response, who: Some(who.user.clone()), objects: vec![] };
    let entries = match who.scope.library().everything().await {
        Ok(entries) => entries,
        Err(e) => return answer(api_error(e.into())),
    };
    let mut departments: Vec<i64> = entries.iter().filter_map(|(e, _, _)| e.department_id).collect();
    departments.sort_unstable();
    departments.dedup();
    let named: HashMap<i64, (String, String)> = match who.scope.departments_by_ids(&departments).await {
        Ok(found) => found.into_iter().map(|(id, d)| (id, (d.code, d.name))).collect(),
        Err(e) => return answer(api_error(e.into())),
    };
    let rows: Vec<LibraryRow> = entries
        .into_iter()
        .map(|(record, uses, history_value)| LibraryRow {
            department: record.department_id.and_then(|d| named.get(&d).cloned()),
            record,
            uses,
            history_value,
        })
        .collect();
    match library_workbook(&rows) {
        Ok(bytes) => answer(download(bytes, "指标库")),
        Err(e) => answer(api_error(ApiError::internal(&e))),
    }
}
