//! The library screen a page at a time, one entry, and suggestions as people type.

use async_graphql::{Context, ID, InputObject, Result};
use jixiao_domain::library::{LibraryEntryStatus, LibraryScope, MAX_SUGGEST_TEXT};
use jixiao_domain::{Level1, Level2};
use jixiao_store::library::LibraryFilter;

use super::types::{IndicatorSuggestion, LibraryEntry, LibraryEntryConnection};
use crate::error::ApiError;
use crate::graphql::access::access;
use crate::graphql::types::connection::PageInfo;
use crate::ids::{Kind, decode, encode};

#[derive(InputObject, Default)]
pub struct LibraryFilterInput {
    pub scope: Option<LibraryScope>,
    pub department_id: Option<ID>,
    pub level1: Option<Level1>,
    pub level2: Option<Level2>,
    /// Part of the name (at most 50 characters).
    pub name_contains: Option<String>,
    pub status: Option<LibraryEntryStatus>,
}

fn first_within(first: Option<i32>) -> Result<u64> {
    let max = jixiao_store::library::MAX_PAGE as i32;
    let first = first.unwrap_or(50);
    if !(1..=max).contains(&first) {
        return Err(ApiError::bad_input(
            format!("`first` 须在 1 到 {max} 之间，收到 {first}"),
            format!("`first` must be between 1 and {max}, got {first}"),
        )
        .into());
    }
    Ok(first as u64)
}

fn text_within(field: &str, text: Option<String>) -> Result<Option<String>> {
    match text {
        Some(t) if t.chars().count() > MAX_SUGGEST_TEXT => Err(ApiError::bad_input(
            format!("`{field}` 最多 {MAX_SUGGEST_TEXT} 个字"),
            format!("`{field}` is at most {MAX_SUGGEST_TEXT} characters"),
        )
        .into()),
        other => Ok(other),
    }
}

/// `indicatorLibrary(filter, first, after)`.
pub async fn indicator_library(
    ctx: &Context<'_>,
    filter: Option<LibraryFilterInput>,
    first: Option<i32>,
    after: Option<ID>,
) -> Result<LibraryEntryConnection> {
    let access = access(ctx)?;
    let first = first_within(first)?;
    let f = filter.unwrap_or_default();
    let filter = LibraryFilter {
        scope: f.scope,
        department_id: f.department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?,
        level1: f.level1,
        level2: f.level2,
        name_contains: text_within("nameContains", f.name_contains)?,
        status: f.status,
    };
    let after_id = after.as_ref().map(|a| decode(a, Kind::LibraryEntry)).transpose()?;
    let (entries, more) = access.scope.library().list(&filter, after_id, first).await.map_err(ApiError::from)?;
    let cursor = |e: Option<&jixiao_store::library::LibraryEntryRecord>| e.map(|e| encode(Kind::LibraryEntry, e.id).0);
    let page_info = PageInfo {
        has_next_page: more,
        has_previous_page: after_id.is_some(),
        start_cursor: cursor(entries.first()),
        end_cursor: cursor(entries.last()),
    };
    Ok(LibraryEntryConnection { nodes: entries.into_iter().map(LibraryEntry).collect(), page_info })
}

/// `libraryEntry(id)`: NOT_FOUND when it does not exist or you may not read it.
pub async fn library_entry(ctx: &Context<'_>, id: ID) -> Result<LibraryEntry> {
    let row = decode(&id, Kind::LibraryEntry)?;
    Ok(LibraryEntry(access(ctx)?.scope.library().get(row).await.map_err(ApiError::from)?))
}

/// `suggestIndicators(level2, text, departmentId)`.
pub async fn suggest(
    ctx: &Context<'_>,
    level2: Option<Level2>,
    text: String,
    department_id: Option<ID>,
) -> Result<Vec<IndicatorSuggestion>> {
    let text = text_within("text", Some(text))?.unwrap_or_default();
    let department = department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?;
    let found = access(ctx)?.scope.library().suggest(level2, &text, department).await.map_err(ApiError::from)?;
    Ok(found.into_iter().map(|(e, uses)| IndicatorSuggestion { entry: LibraryEntry(e), uses: uses as i32 }).collect())
}
