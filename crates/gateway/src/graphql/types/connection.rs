//! Relay connections with keyset cursors: a page is "the next `first` rows after this id", so
//! pages stay stable while rows are inserted, and no OFFSET is ever scanned.

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jixiao_store::{Keyset, ProjectFilter, ProjectOrder, ProjectOrderField, SortKey};
use serde_json::{Value, json};

use super::enums::{ProjectCategory, ProjectStatus};
use super::organization::Department;
use super::project::Project;
use crate::graphql::access::access;
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::{Kind, decode};

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

/// A cursor is opaque to clients: base64url of `[ordering, key, id]`, so a page continues in the
/// order it was asked in, and a cursor of another ordering is refused rather than misread.
fn encode_cursor(order: &str, key: Value, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(json!([order, key, id]).to_string())
}

fn decode_cursor(c: &str, order: &str) -> ApiResult<(Value, i64)> {
    let bad = || {
        ApiError::BadUserInput(format!(
            "\"{c}\" is not a cursor of this list: pass an endCursor or edge cursor exactly as returned"
        ))
    };
    let bytes = URL_SAFE_NO_PAD.decode(c).map_err(|_| bad())?;
    let parts: Vec<Value> = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    match parts.as_slice() {
        [Value::String(o), key, Value::Number(id)] if o == order => Ok((key.clone(), id.as_i64().ok_or_else(bad)?)),
        [Value::String(_), _, _] => Err(ApiError::BadUserInput(
            "this cursor belongs to another ordering: start again from the first page".into(),
        )),
        _ => Err(bad()),
    }
}

/// Checks `first` against its bounds: a larger request is refused, not silently cut.
pub fn page_size(first: Option<i32>) -> ApiResult<u64> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(ApiError::BadUserInput(format!("`first` must be between 1 and {MAX_PAGE}, got {first}")));
    }
    Ok(first as u64)
}

fn page_info(cursors: &[String], has_next_page: bool) -> PageInfo {
    PageInfo {
        has_next_page,
        has_previous_page: false,
        start_cursor: cursors.first().cloned(),
        end_cursor: cursors.last().cloned(),
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProjectOrderBy {
    /// Creation order.
    #[default]
    Created,
    Name,
    /// 项目资金总额
    TotalFunds,
    PlannedStart,
    UpdatedAt,
    /// Submission time: with `status: [SUBMITTED]`, the approvers' queue, oldest first.
    SubmittedAt,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

/// How a list of projects is ordered; ties are broken by creation order, and projects without
/// the key (not yet submitted, no planned start) come last.
#[derive(InputObject, Default)]
pub struct ProjectOrderInput {
    #[graphql(default)]
    pub field: ProjectOrderBy,
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl ProjectOrderInput {
    fn into_store(self) -> ProjectOrder {
        let field = match self.field {
            ProjectOrderBy::Created => ProjectOrderField::Id,
            ProjectOrderBy::Name => ProjectOrderField::Name,
            ProjectOrderBy::TotalFunds => ProjectOrderField::TotalFunds,
            ProjectOrderBy::PlannedStart => ProjectOrderField::PlannedStart,
            ProjectOrderBy::UpdatedAt => ProjectOrderField::UpdatedAt,
            ProjectOrderBy::SubmittedAt => ProjectOrderField::SubmittedAt,
        };
        ProjectOrder { field, descending: self.direction == OrderDirection::Desc }
    }
}

fn order_code(order: &ProjectOrder) -> String {
    format!("{:?}{}", order.field, if order.descending { "-" } else { "+" })
}

fn key_json(key: SortKey) -> Value {
    match key {
        SortKey::Int(v) => json!(v),
        SortKey::Text(v) => json!(v),
        SortKey::Date(v) => json!(v.map(|d| d.to_string())),
        SortKey::Time(v) => {
            json!(v.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)))
        }
    }
}

fn key_from_json(field: ProjectOrderField, v: &Value) -> Option<SortKey> {
    Some(match field {
        ProjectOrderField::Id | ProjectOrderField::TotalFunds => SortKey::Int(v.as_i64()?),
        ProjectOrderField::Name => SortKey::Text(v.as_str()?.to_string()),
        ProjectOrderField::PlannedStart => SortKey::Date(match v {
            Value::Null => None,
            v => Some(v.as_str()?.parse().ok()?),
        }),
        ProjectOrderField::UpdatedAt | ProjectOrderField::SubmittedAt => SortKey::Time(match v {
            Value::Null => None,
            v => Some(chrono::DateTime::parse_from_rfc3339(v.as_str()?).ok()?.with_timezone(&chrono::Utc)),
        }),
    })
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
            implementing_unit_id: self
                .implementing_unit_id
                .as_ref()
                .map(|id| decode(id, Kind::BudgetUnit))
                .transpose()?,
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

/// Arguments of every project list (`Query.projects`, `Department.projects`, `BudgetUnit.projects`).
pub struct ProjectListArgs {
    pub filter: ProjectFilter,
    pub order_by: Option<ProjectOrderInput>,
    pub first: Option<i32>,
    pub after: Option<String>,
}

pub async fn project_connection(ctx: &Context<'_>, args: ProjectListArgs) -> ApiResult<ProjectConnection> {
    let first = page_size(args.first)?;
    let order = args.order_by.unwrap_or_default().into_store();
    let code = order_code(&order);
    let after = match args.after.as_deref() {
        Some(c) => {
            let (key, id) = decode_cursor(c, &code)?;
            let key = key_from_json(order.field, &key)
                .ok_or_else(|| ApiError::BadUserInput(format!("\"{c}\" is not a cursor of this list")))?;
            Some(Keyset { key, id })
        }
        None => None,
    };
    let mut rows = access(ctx)?.projects().list(&args.filter, order, after.as_ref(), first + 1).await?;
    let has_next = rows.len() as u64 > first;
    rows.truncate(first as usize);
    let edges: Vec<ProjectEdge> = rows
        .into_iter()
        .map(|r| ProjectEdge { cursor: encode_cursor(&code, key_json(order.key_of(&r)), r.id), node: Project(r) })
        .collect();
    let cursors: Vec<String> = edges.iter().map(|e| e.cursor.clone()).collect();
    Ok(ProjectConnection { filter: args.filter, page_info: page_info(&cursors, has_next), edges })
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

pub async fn department_connection(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<DepartmentConnection> {
    const ORDER: &str = "department";
    let first = page_size(first)?;
    let after = after.as_deref().map(|c| decode_cursor(c, ORDER).map(|(_, id)| id)).transpose()?;
    let mut rows = access(ctx)?.store.departments_page(after, first + 1).await?;
    let has_next = rows.len() as u64 > first;
    rows.truncate(first as usize);
    let edges: Vec<DepartmentEdge> = rows
        .into_iter()
        .map(|d| DepartmentEdge { cursor: encode_cursor(ORDER, Value::Null, d.id), node: Department(d) })
        .collect();
    let cursors: Vec<String> = edges.iter().map(|e| e.cursor.clone()).collect();
    Ok(DepartmentConnection { page_info: page_info(&cursors, has_next), edges })
}
