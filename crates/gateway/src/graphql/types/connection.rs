//! Relay connections with keyset cursors: a page is "the next `first` rows after this row" (or
//! "the `last` rows before it"), so pages stay stable while rows are inserted and no OFFSET is
//! ever scanned.

use async_graphql::SimpleObject;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};

pub const DEFAULT_PAGE: i32 = 20;
pub const MAX_PAGE: i32 = 100;

#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    /// Reading forwards, true when the page was asked for `after` a cursor (rows may lie before it).
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

/// A cursor is opaque to clients: base64url of `[ordering, key, id]`, so a page continues in the
/// order it was asked in, and a cursor of another ordering is refused rather than misread.
pub fn encode_cursor(order: &str, key: Value, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(json!([order, key, id]).to_string())
}

pub fn decode_cursor(c: &str, order: &str) -> ApiResult<(Value, i64)> {
    let bad = || {
        ApiError::bad_input(
            format!("“{c}”不是本列表的游标：请原样传回 endCursor 或某一行的 cursor"),
            format!("\"{c}\" is not a cursor of this list: pass an endCursor or edge cursor exactly as returned"),
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(c).map_err(|_| bad())?;
    let parts: Vec<Value> = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    match parts.as_slice() {
        [Value::String(o), key, Value::Number(id)] if o == order => Ok((key.clone(), id.as_i64().ok_or_else(bad)?)),
        [Value::String(_), _, _] => Err(ApiError::bad_input(
            "此游标属于另一种排序：请从第一页重新开始",
            "this cursor belongs to another ordering: start again from the first page",
        )),
        _ => Err(bad()),
    }
}

/// What a page may cost in the complexity limit: its size times what each row costs, so that
/// nested lists multiply as the work they cause does.
pub fn page_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let size = first.or(last).unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE) as usize;
    size.saturating_mul(child_complexity.max(1))
}

/// Which page of a list: `first` rows `after` a cursor, or the `last` rows `before` one.
pub struct PageRequest {
    pub size: u64,
    pub cursor: Option<String>,
    pub backward: bool,
}

impl PageRequest {
    /// Checks the arguments: one direction at a time, and a size within bounds (a larger
    /// request is refused, not silently cut).
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PageRequest> {
        let bounded = |name: &str, n: i32| {
            if (1..=MAX_PAGE).contains(&n) {
                Ok(n as u64)
            } else {
                Err(ApiError::bad_input(
                    format!("`{name}` 须在 1 到 {MAX_PAGE} 之间，收到 {n}"),
                    format!("`{name}` must be between 1 and {MAX_PAGE}, got {n}"),
                ))
            }
        };
        let backward = last.is_some() || before.is_some();
        if first.is_some() && last.is_some() {
            return Err(ApiError::bad_input("`first` 与 `last` 只能给一个", "give `first` or `last`, not both"));
        }
        if backward && (first.is_some() || after.is_some()) {
            return Err(ApiError::bad_input(
                "向后翻页用 `first`/`after`，向前翻页用 `last`/`before`，不能混用",
                "page forwards with `first`/`after` or backwards with `last`/`before`",
            ));
        }
        let size = bounded(if backward { "last" } else { "first" }, first.or(last).unwrap_or(DEFAULT_PAGE))?;
        Ok(PageRequest { size, cursor: if backward { before } else { after }, backward })
    }

    /// Turns the rows read (at most `size + 1`, nearest first) into a page in list order.
    pub fn finish<T>(&self, mut rows: Vec<T>, cursor_of: impl Fn(&T) -> String) -> (Vec<(String, T)>, PageInfo) {
        let more = rows.len() as u64 > self.size;
        rows.truncate(self.size as usize);
        if self.backward {
            rows.reverse();
        }
        let edges: Vec<(String, T)> = rows.into_iter().map(|r| (cursor_of(&r), r)).collect();
        let info = PageInfo {
            has_next_page: if self.backward { self.cursor.is_some() } else { more },
            has_previous_page: if self.backward { more } else { self.cursor.is_some() },
            start_cursor: edges.first().map(|e| e.0.clone()),
            end_cursor: edges.last().map(|e| e.0.clone()),
        };
        (edges, info)
    }
}
