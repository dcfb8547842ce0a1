//! `departments`: every department, a page at a time in creation order.

use async_graphql::{ComplexObject, Context, Result, SimpleObject};
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::graphql::access::access;
use crate::graphql::types::connection::{PageInfo, PageRequest, decode_cursor, encode_cursor};
use crate::graphql::types::nodes::Department;

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
        Ok(access(ctx)?.scope.department_count().await.map_err(ApiError::from)? as i64)
    }
}

pub async fn department_connection(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<DepartmentConnection> {
    const ORDER: &str = "department";
    let page = PageRequest::new(first, after, None, None)?;
    let after = page.cursor.as_deref().map(|c| decode_cursor(c, ORDER).map(|(_, id)| id)).transpose()?;
    let rows = access(ctx)?.scope.departments_page(after, page.size + 1).await?;
    let (edges, page_info) = page.finish(rows, |d| encode_cursor(ORDER, Value::Null, d.id));
    let edges = edges.into_iter().map(|(cursor, d)| DepartmentEdge { cursor, node: Department(d) }).collect();
    Ok(DepartmentConnection { page_info, edges })
}
