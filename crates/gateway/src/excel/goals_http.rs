//! `GET /export/department-goals/{id}.xlsx`: a department's overall goals as printed
//! (`goals_book.rs`), to whoever may see the form, audited like every download.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use jixiao_domain::department_goals::YearProject;
use jixiao_store::department_goals::YearProjectRow;

use super::goals_book::goals_workbook;
use super::http::{
    Answered, ExportState, api_error, audited, download, meta_of, not_xlsx, offload, reader, store_error,
};
use crate::error::ApiError;
use crate::ids::{Kind, decode};

/// The route, with its state; `http.rs` merges it beside the other downloads.
pub fn router(state: ExportState) -> axum::Router {
    axum::Router::new().route("/export/department-goals/{file}", axum::routing::get(goals)).with_state(state)
}

pub async fn goals(
    State(state): State<ExportState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let meta = meta_of(&state, peer, &headers);
    offload(&state.clone(), &headers.clone(), async move {
        let answered = goals_form(&state, &headers, &file).await;
        audited(&state, &meta, "download.department_goals", answered).await
    })
    .await
}

async fn goals_form(state: &ExportState, headers: &HeaderMap, file: &str) -> Answered {
    let Some(id) = file.strip_suffix(".xlsx") else { return not_xlsx(file).into() };
    let id = match decode(&async_graphql::ID(id.to_string()), Kind::DepartmentGoals) {
        Ok(id) => id,
        Err(e) => return api_error(e).into(),
    };
    let who = match reader(state, headers).await {
        Ok(who) => who,
        Err(r) => return r.into(),
    };
    let answer =
        |response| Answered { response, who: Some(who.user.clone()), objects: vec![format!("DepartmentGoals:{id}")] };
    let goals = who.scope.department_goals();
    let form = match goals.get(id).await {
        Ok(form) => form,
        Err(e) => return answer(store_error(e, ("部门整体绩效目标", "department-wide goals"))),
    };
    let (projects, department) =
        match (goals.year_projects(&form).await, who.scope.departments_by_ids(&[form.department_id]).await) {
            (Ok(p), Ok(d)) => (p, d),
            (Err(e), _) | (_, Err(e)) => return answer(api_error(e.into())),
        };
    let name = department.into_iter().next().map(|(_, d)| d.name).unwrap_or_default();
    let views: Vec<YearProject<'_>> = projects.iter().map(YearProjectRow::view).collect();
    let findings = jixiao_domain::findings::review_department_goals(&form.goals, &views);
    match goals_workbook(&name, &form, &views, &findings) {
        Ok(bytes) => answer(download(bytes, &format!("{name}{}年度部门整体绩效目标申报表", form.fiscal_year))),
        Err(e) => answer(api_error(ApiError::internal(&e))),
    }
}
