//! Adding, editing, confirming and retiring library entries, and seeding the library from a
//! year's approved projects.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject, Upload};
use jixiao_domain::library::{EntryContent, IndicatorDirection, LibraryEntryStatus, ValueBasis};
use jixiao_domain::{Level1, Level2};

use super::types::LibraryEntry;
use crate::error::ApiError;
use crate::graphql::access::access;
use crate::graphql::payload::{UserError, outcome, user_errors};
use crate::ids::{Kind, decode};

/// An entry's content.
#[derive(InputObject)]
pub struct LibraryEntryInput {
    pub level1: Level1,
    pub level2: Level2,
    pub name: String,
    #[graphql(default)]
    pub unit: String,
    pub direction: IndicatorDirection,
    #[graphql(default)]
    pub definition: String,
    #[graphql(default)]
    pub formula: String,
    pub value_basis: ValueBasis,
    pub reference_value: Option<String>,
    /// 标杆值: the bureau's alone.
    pub benchmark_value: Option<String>,
    /// Other spellings of the same indicator (at most 20).
    #[graphql(default)]
    pub aliases: Vec<String>,
}

impl From<LibraryEntryInput> for EntryContent {
    fn from(i: LibraryEntryInput) -> EntryContent {
        EntryContent {
            level1: Some(i.level1),
            level2: Some(i.level2),
            name: i.name,
            unit: i.unit,
            direction: Some(i.direction),
            definition: i.definition,
            formula: i.formula,
            value_basis: Some(i.value_basis),
            reference_value: i.reference_value,
            benchmark_value: i.benchmark_value,
            aliases: i.aliases,
        }
    }
}

#[derive(InputObject)]
pub struct AddLibraryEntryInput {
    /// The department of a DEPARTMENT entry; left out: a COMMON entry (the bureau's alone).
    pub department_id: Option<ID>,
    pub entry: LibraryEntryInput,
}

#[derive(InputObject)]
pub struct UpdateLibraryEntryInput {
    pub id: ID,
    pub expected_version: i32,
    pub entry: LibraryEntryInput,
}

#[derive(InputObject)]
pub struct SetLibraryEntryStatusInput {
    pub id: ID,
    pub expected_version: i32,
    /// CONFIRMED (a merge seeding proposed retires the spellings it takes in) or RETIRED.
    pub status: LibraryEntryStatus,
}

#[derive(SimpleObject)]
pub struct LibraryEntryPayload {
    pub entry: Option<LibraryEntry>,
    pub user_errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct SeedLibraryPayload {
    /// Entries made, one per new spelling (CONFIRMED).
    pub entries_created: i32,
    /// Merges of near spellings proposed (PROPOSED, aliases kept).
    pub proposals_created: i32,
    /// Indicator rows linked to their entry.
    pub rows_linked: i32,
}

fn payload(
    result: Result<jixiao_store::library::LibraryEntryRecord, jixiao_store::StoreError>,
) -> Result<LibraryEntryPayload> {
    let (entry, user_errors) = outcome(result)?;
    Ok(LibraryEntryPayload { entry: entry.map(LibraryEntry), user_errors })
}

#[derive(SimpleObject)]
pub struct ImportLibraryPayload {
    /// Entries made (CONFIRMED).
    pub created: i32,
    /// The names of the rows whose confirmed entry already existed, and of those the book shows as
    /// 待确认 or 已停用: left as they were.
    pub unchanged: Vec<String>,
    /// Each problem at its cell (`指标库!D5`, or `file`); nothing was imported when there is one.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct LibraryMutation;

#[Object]
impl LibraryMutation {
    /// Adds an entry: approvers and admins any (CONFIRMED at once); a department's submitters and
    /// reviewers propose their own department's (PROPOSED, without a benchmark).
    async fn add_library_entry(&self, ctx: &Context<'_>, input: AddLibraryEntryInput) -> Result<LibraryEntryPayload> {
        let access = access(ctx)?;
        let department = input.department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?;
        payload(access.scope.library().add(department, input.entry.into()).await)
    }

    /// Replaces an entry's content (approvers and admins), if it is still at `expectedVersion`.
    async fn update_library_entry(
        &self,
        ctx: &Context<'_>,
        input: UpdateLibraryEntryInput,
    ) -> Result<LibraryEntryPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::LibraryEntry)?;
        payload(access.scope.library().update(id, input.expected_version, input.entry.into()).await)
    }

    /// Confirms, retires or brings back an entry (approvers and admins).
    async fn set_library_entry_status(
        &self,
        ctx: &Context<'_>,
        input: SetLibraryEntryStatusInput,
    ) -> Result<LibraryEntryPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::LibraryEntry)?;
        payload(access.scope.library().set_status(id, input.expected_version, input.status).await)
    }

    /// Imports the library's workbook (the layout `/export/library.xlsx` writes; approvers and
    /// admins): every row a CONFIRMED entry, COMMON unless 范围 is 个性指标 with its department's
    /// code; all or nothing, every problem at its cell.
    async fn import_indicator_library(&self, ctx: &Context<'_>, file: Upload) -> Result<ImportLibraryPayload> {
        use crate::excel::import::{WorkbookRefused, in_turn};
        let access = access(ctx)?;
        if let jixiao_domain::Decision::Forbidden(m) = access.actor.may_govern_library() {
            return Err(ApiError::Forbidden(m).into());
        }
        let upload = file.value(ctx)?;
        let read = in_turn(upload.content, crate::excel::library_book::read_library).await;
        let refused =
            |problems| ImportLibraryPayload { created: 0, unchanged: vec![], user_errors: user_errors(problems) };
        let read = match read {
            Ok(read) => read,
            Err(WorkbookRefused::Problems(problems)) => return Ok(refused(problems)),
            Err(WorkbookRefused::Store(e)) => return Err(ApiError::from(e).into()),
            Err(WorkbookRefused::Busy(message)) => return Err(ApiError::RateLimited(message).into()),
        };
        match access.scope.library().import(read.entries).await {
            Ok(report) => Ok(ImportLibraryPayload {
                created: i32::try_from(report.created).unwrap_or(i32::MAX),
                unchanged: report.unchanged.into_iter().chain(read.skipped).collect(),
                user_errors: vec![],
            }),
            Err(jixiao_store::StoreError::Rejected(problems)) => Ok(refused(problems)),
            Err(e) => Err(ApiError::from(e).into()),
        }
    }

    /// Builds the library from `fiscalYear`'s approved projects (admins; idempotent): one
    /// CONFIRMED entry per department, level 1, level 2 and name, each use linked; spellings the
    /// near-duplicate rule joins proposed as one entry with the others as aliases.
    async fn seed_indicator_library(&self, ctx: &Context<'_>, fiscal_year: i32) -> Result<SeedLibraryPayload> {
        let access = access(ctx)?;
        if !(2000..=2100).contains(&fiscal_year) {
            return Err(ApiError::bad_input(
                format!("预算年度应在 2000 到 2100 之间，而不是 {fiscal_year}"),
                format!("the fiscal year is 2000 to 2100, not {fiscal_year}"),
            )
            .into());
        }
        let report = access.scope.library().seed(fiscal_year).await.map_err(ApiError::from)?;
        let count = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
        Ok(SeedLibraryPayload {
            entries_created: count(report.entries_created),
            proposals_created: count(report.proposals_created),
            rows_linked: count(report.rows_linked),
        })
    }
}
