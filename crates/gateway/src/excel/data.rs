//! What a printed form needs, gathered through the caller's scope (so a download shows exactly
//! what GraphQL would): the project, its rows, its department's and unit's names, its approval,
//! and its findings counted. A department's book loads its projects a page at a time.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jixiao_domain::findings::{FindingCounts, counts, review_in};
use jixiao_domain::{Declaration, ReviewAction};
use jixiao_store::record::values;
use jixiao_store::{
    Keyset, PageOf, ProjectFilter, ProjectIndicatorNames, ProjectOrder, ProjectRecord, Scope, SortKey, StoreResult,
};

/// One project as its printed form shows it.
pub struct FormData {
    pub record: ProjectRecord,
    pub declaration: Declaration,
    pub department: String,
    pub department_code: String,
    pub unit: String,
    pub unit_code: String,
    /// Who approved it last, and when (the approver's name when the caller may see them).
    pub approval: Option<(String, DateTime<Utc>)>,
    pub findings: FindingCounts,
}

/// How many projects a book reads at once: bounded memory per page, few statements per page.
const PAGE: u64 = 200;

/// The department-years whose projects findings are compared with, read once per book (every
/// page of a department's book is of the same year).
type Siblings = HashMap<(i64, i32), Vec<ProjectIndicatorNames>>;

/// The forms of `records`, their parts loaded in one statement per kind; `siblings` keeps the
/// department-years read so far.
async fn forms(scope: &Scope, records: Vec<ProjectRecord>, siblings: &mut Siblings) -> StoreResult<Vec<FormData>> {
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let projects = scope.projects();
    let mut items = projects.fund_items_of(&ids).await?;
    let mut indicators = projects.indicators_of(&ids).await?;
    let mut reviews = projects.reviews_of(&ids).await?;
    // The findings are counted in the context GraphQL shows them in: with the copies among the
    // department's other projects of the year that the caller may see.
    let mut years: Vec<(i64, i32)> = records.iter().map(|r| (r.department_id, r.fiscal_year)).collect();
    years.sort_unstable();
    years.dedup();
    years.retain(|y| !siblings.contains_key(y));
    if !years.is_empty() {
        let read = projects.indicator_names_by_department_year(&years).await?;
        siblings.extend(years.into_iter().map(|y| (y, Vec::new())));
        siblings.extend(read);
    }
    let library = scope.library().facts_for_projects(&ids).await?;
    let departments: Vec<i64> = records.iter().map(|r| r.department_id).collect();
    let units: Vec<i64> = records.iter().map(|r| r.implementing_unit_id).collect();
    let units = scope.units_by_ids(&units).await?;
    let departments = scope.departments_by_ids(&departments).await?;
    let approvals: HashMap<i64, (i64, DateTime<Utc>)> = ids
        .iter()
        .filter_map(|id| {
            let last = reviews.get(id)?.iter().rev().find(|r| r.action == ReviewAction::Approve)?;
            Some((*id, (last.actor_id, last.at)))
        })
        .collect();
    let approvers: Vec<i64> = approvals.values().map(|(user, _)| *user).collect();
    let users = scope.users_by_ids(&approvers).await?;
    let mut out = Vec::with_capacity(records.len());
    for record in records {
        let declaration = record.declaration(values(items.remove(&record.id)), values(indicators.remove(&record.id)));
        reviews.remove(&record.id);
        let year = siblings.get(&(record.department_id, record.fiscal_year)).map_or(&[][..], Vec::as_slice);
        let findings = counts(&review_in(
            &declaration,
            &jixiao_store::findings::context_of_saved(
                year,
                record.id,
                library.get(&record.id).map_or(&[][..], |f| f.as_slice()),
            ),
        ));
        let approval = approvals.get(&record.id).map(|(user, at)| {
            let name = users.get(user).map_or_else(String::new, |u| u.display_name.clone());
            (name, *at)
        });
        let department = departments.get(&record.department_id);
        let unit = units.get(&record.implementing_unit_id);
        out.push(FormData {
            department: department.map_or_else(String::new, |d| d.name.clone()),
            department_code: department.map_or_else(String::new, |d| d.code.clone()),
            unit: unit.map_or_else(String::new, |u| u.name.clone()),
            unit_code: unit.map_or_else(String::new, |u| u.code.clone()),
            declaration,
            approval,
            findings,
            record,
        });
    }
    Ok(out)
}

/// One project's form, if the caller may see it (NotFound otherwise).
pub async fn form(scope: &Scope, id: i64) -> StoreResult<FormData> {
    let record = scope.projects().get(id).await?;
    Ok(forms(scope, vec![record], &mut Siblings::new()).await?.remove(0))
}

/// Every project of a department's year that the caller may see, in creation order, read a page
/// at a time; `each` receives each page's forms.
pub async fn book(
    scope: &Scope,
    department_id: i64,
    fiscal_year: i32,
    mut each: impl FnMut(Vec<FormData>) -> Result<(), String>,
) -> Result<(), BookError> {
    let filter =
        ProjectFilter { department_id: Some(department_id), fiscal_year: Some(fiscal_year), ..Default::default() };
    let order = ProjectOrder::default();
    let mut after: Option<Keyset> = None;
    let mut siblings = Siblings::new();
    loop {
        let page = scope
            .projects()
            .list(&PageOf { filter: &filter, order, from: after.as_ref(), backward: false, limit: PAGE })
            .await
            .map_err(BookError::Store)?;
        let Some(last) = page.last() else { return Ok(()) };
        after = Some(Keyset { key: SortKey::Int(last.id), id: last.id });
        let full = page.len() as u64 == PAGE;
        each(forms(scope, page, &mut siblings).await.map_err(BookError::Store)?).map_err(BookError::Write)?;
        if !full {
            return Ok(());
        }
    }
}

pub enum BookError {
    Store(jixiao_store::StoreError),
    Write(String),
}
