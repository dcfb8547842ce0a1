//! `users`: the people who sign in, a page at a time in creation order (admins only).

use async_graphql::{ComplexObject, Context, Result, SimpleObject};
use jixiao_store::UserFilter;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::graphql::access::access;
use crate::graphql::declaration::inputs::UserFilterInput;
use crate::graphql::types::connection::{PageInfo, PageRequest, decode_cursor, encode_cursor};
use crate::graphql::types::nodes::User;
use crate::ids::{Kind, decode};

#[derive(SimpleObject)]
pub struct UserEdge {
    pub cursor: String,
    pub node: User,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct UserConnection {
    pub edges: Vec<UserEdge>,
    pub page_info: PageInfo,
    #[graphql(skip)]
    pub filter: UserFilter,
}

#[ComplexObject]
impl UserConnection {
    async fn nodes(&self) -> Vec<&User> {
        self.edges.iter().map(|e| &e.node).collect()
    }

    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        Ok(admin.user_count(&self.filter).await.map_err(ApiError::from)? as i64)
    }
}

impl UserFilterInput {
    fn into_store(self) -> ApiResult<UserFilter> {
        Ok(UserFilter {
            role: self.role.map(Into::into),
            department_id: self.department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?,
            disabled: self.disabled,
            name_contains: self.name_contains,
        })
    }
}

pub async fn user_connection(
    ctx: &Context<'_>,
    filter: Option<UserFilterInput>,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<UserConnection> {
    const ORDER: &str = "user";
    let admin = access(ctx)?.scope.admin()?;
    let filter = filter.unwrap_or_default().into_store()?;
    let page = PageRequest::new(first, after, None, None)?;
    let after = page.cursor.as_deref().map(|c| decode_cursor(c, ORDER).map(|(_, id)| id)).transpose()?;
    let rows = admin.users_page(&filter, after, page.size + 1).await?;
    let (edges, page_info) = page.finish(rows, |u| encode_cursor(ORDER, Value::Null, u.id));
    let edges = edges.into_iter().map(|(cursor, u)| UserEdge { cursor, node: User(u) }).collect();
    Ok(UserConnection { edges, page_info, filter })
}
