//! Relay connections with keyset cursors: a page is "the next `first` rows after this id", so
//! pages stay stable while rows are inserted, and no OFFSET is ever scanned.

use async_graphql::{ComplexObject, Context, InputObject, Object, Result, SimpleObject, ID};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jixiao_store::ProjectFilter;

use super::enums::{ProjectCategory, ProjectStatus};
use super::organization::Department;
use super::project::Project;
use crate::graphql::access::access;
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::{decode, Kind};

pub const DEFAULT_PAGE: i32 = 20;
pub const MAX_PAGE: i32 = 100;

#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    /// Always false: pages go forward from `after`.
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

pub fn cursor(id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("cursor:{id}"))
}

fn decode_cursor(c: &str) -> ApiResult<i64> {
    URL_SAFE_NO_PAD
        .decode(c)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("cursor:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| ApiError::BadUserInput(format!("\"{c}\" is not a cursor: pass an endCursor or edge cursor exactly as returned")))
}

/// Checks `first` against its bounds (a larger request is refused, not silently cut) and
/// decodes `after`.
pub fn page_args(first: Option<i32>, after: Option<String>) -> ApiResult<(u64, Option<i64>)> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(ApiError::BadUserInput(format!("`first` must be between 1 and {MAX_PAGE}, got {first}")));
    }
    let after = after.as_deref().map(decode_cursor).transpose()?;
    Ok((first as u64, after))
}

fn page_info(ids: &[i64], has_next_page: bool) -> PageInfo {
    PageInfo {
        has_next_page,
        has_previous_page: false,
        start_cursor: ids.first().map(|&id| cursor(id)),
        end_cursor: ids.last().map(|&id| cursor(id)),
    }
}

/// Narrows a list of projects. Every condition given must hold.
#[derive(InputObject, Default)]
pub struct ProjectFilterInput {
    pub fiscal_year: Option<i32>,
    pub department_id: Option<ID>,
    pub implementing_unit_id: Option<ID>,
    /// Any of these statuses.
    pub status: Option<Vec<ProjectStatus>>,
    pub category: Option<ProjectCategory>,
}

impl ProjectFilterInput {
    pub fn into_store(self) -> ApiResult<ProjectFilter> {
        Ok(ProjectFilter {
            fiscal_year: self.fiscal_year,
            department_id: self.department_id.as_ref().map(|id| decode(id, Kind::Department)).transpose()?,
            implementing_unit_id: self.implementing_unit_id.as_ref().map(|id| decode(id, Kind::BudgetUnit)).transpose()?,
            statuses: self.status.unwrap_or_default().into_iter().map(Into::into).collect(),
            category: self.category.map(Into::into),
        })
    }
}

#[derive(SimpleObject)]
pub struct ProjectEdge {
    pub cursor: String,
    pub node: Project,
}

pub struct ProjectConnection {
    filter: ProjectFilter,
    edges: Vec<ProjectEdge>,
    page_info: PageInfo,
}

#[Object]
impl ProjectConnection {
    async fn edges(&self) -> &[ProjectEdge] {
        &self.edges
    }
    async fn nodes(&self) -> Vec<&Project> {
        self.edges.iter().map(|e| &e.node).collect()
    }
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
    /// How many projects match the filter (that you may see), over all pages. Counted only when asked for.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(access(ctx)?.projects().count(&self.filter).await.map_err(ApiError::from)? as i64)
    }
}

pub async fn project_connection(ctx: &Context<'_>, filter: ProjectFilter, first: Option<i32>, after: Option<String>) -> ApiResult<ProjectConnection> {
    let (first, after) = page_args(first, after)?;
    let mut rows = access(ctx)?.projects().list(&filter, after, first + 1).await?;
    let has_next = rows.len() as u64 > first;
    rows.truncate(first as usize);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    Ok(ProjectConnection {
        filter,
        page_info: page_info(&ids, has_next),
        edges: rows.into_iter().map(|r| ProjectEdge { cursor: cursor(r.id), node: Project(r) }).collect(),
    })
}

#[derive(SimpleObject)]
pub struct DepartmentEdge {
    pub cursor: String,
    pub node: Department,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct DepartmentConnection {
    pub edges: Vec<DepartmentEdge>,
    pub page_info: PageInfo,
}

#[ComplexObject]
impl DepartmentConnection {
    async fn nodes(&self) -> Vec<&Department> {
        self.edges.iter().map(|e| &e.node).collect()
    }
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(access(ctx)?.store.department_count().await.map_err(ApiError::from)? as i64)
    }
}

pub async fn department_connection(ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> ApiResult<DepartmentConnection> {
    let (first, after) = page_args(first, after)?;
    let mut rows = access(ctx)?.store.departments_page(after, first + 1).await?;
    let has_next = rows.len() as u64 > first;
    rows.truncate(first as usize);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    Ok(DepartmentConnection {
        page_info: page_info(&ids, has_next),
        edges: rows.into_iter().map(|d| DepartmentEdge { cursor: cursor(d.id), node: Department(d) }).collect(),
    })
}
