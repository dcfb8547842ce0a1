//! The to-do list a page at a time, its counts, the year's deadlines and the overdue figures.

use async_graphql::{Context, Result};
use chrono::{NaiveDate, TimeZone, Utc};
use jixiao_domain::todo::TodoKind;
use jixiao_store::todo::TodoCursor;
use serde_json::{Value, json};

use super::types::{Deadline, DeadlineChangeView, Overdue, TodoConnection, TodoCounts, TodoEdge, TodoItemView};
use crate::error::{ApiError, ApiResult};
use crate::graphql::access::access;
use crate::graphql::types::connection::{DEFAULT_PAGE, MAX_PAGE, PageInfo, decode_cursor, encode_cursor};

const ORDER: &str = "todo";

fn cursor_text(c: &TodoCursor) -> String {
    let key = json!([c.rank, c.deadline_key.to_string(), c.since.timestamp_micros(), c.kind.code()]);
    encode_cursor(ORDER, key, c.object_id)
}

fn read_cursor(text: &str) -> ApiResult<TodoCursor> {
    let (key, object_id) = decode_cursor(text, ORDER)?;
    let bad = || {
        ApiError::bad_input(
            format!("“{text}”不是待办列表的游标：请原样传回 endCursor"),
            format!("\"{text}\" is not a cursor of the to-do list: pass an endCursor exactly as returned"),
        )
    };
    let Value::Array(parts) = key else { return Err(bad()) };
    let [rank, deadline, since, kind] = parts.as_slice() else { return Err(bad()) };
    Ok(TodoCursor {
        rank: rank.as_i64().and_then(|r| i32::try_from(r).ok()).ok_or_else(bad)?,
        deadline_key: deadline.as_str().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).ok_or_else(bad)?,
        since: since.as_i64().and_then(|m| Utc.timestamp_micros(m).single()).ok_or_else(bad)?,
        kind: kind.as_str().and_then(TodoKind::from_code).ok_or_else(bad)?,
        object_id,
    })
}

/// `todo(first, after)`.
pub async fn todo(ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> Result<TodoConnection> {
    let access = access(ctx)?;
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(ApiError::bad_input(
            format!("`first` 须在 1 到 {MAX_PAGE} 之间，收到 {first}"),
            format!("`first` must be between 1 and {MAX_PAGE}, got {first}"),
        )
        .into());
    }
    let cursor = after.as_deref().map(read_cursor).transpose()?;
    let page = access.scope.todo().page(cursor.as_ref(), first as u64).await.map_err(ApiError::from)?;
    let edges: Vec<TodoEdge> = page
        .items
        .into_iter()
        .map(|(c, item)| TodoEdge { cursor: cursor_text(&c), node: TodoItemView(item) })
        .collect();
    let page_info = PageInfo {
        has_next_page: page.has_next_page,
        has_previous_page: cursor.is_some(),
        start_cursor: edges.first().map(|e| e.cursor.clone()),
        end_cursor: edges.last().map(|e| e.cursor.clone()),
    };
    Ok(TodoConnection { edges, page_info })
}

/// `todoCounts`.
pub async fn todo_counts(ctx: &Context<'_>) -> Result<TodoCounts> {
    Ok(access(ctx)?.scope.todo().counts().await.map_err(ApiError::from)?.into())
}

/// `deadlines(fiscalYear)`.
pub async fn deadlines(ctx: &Context<'_>, fiscal_year: i32) -> Result<Vec<Deadline>> {
    let all = access(ctx)?.scope.todo().deadlines(fiscal_year).await.map_err(ApiError::from)?;
    Ok(all.into_iter().map(Deadline).collect())
}

/// `deadlineChanges(fiscalYear)`.
pub async fn deadline_changes(ctx: &Context<'_>, fiscal_year: i32) -> Result<Vec<DeadlineChangeView>> {
    let all = access(ctx)?.scope.todo().deadline_changes(fiscal_year).await.map_err(ApiError::from)?;
    Ok(all.into_iter().map(DeadlineChangeView).collect())
}

/// `overdueSummary(fiscalYear)`.
pub async fn overdue(ctx: &Context<'_>, fiscal_year: i32) -> Result<Vec<Overdue>> {
    let all = access(ctx)?.scope.todo().overdue(fiscal_year).await.map_err(ApiError::from)?;
    Ok(all.into_iter().map(Overdue).collect())
}
