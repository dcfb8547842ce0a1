//! What the reviewer's rules read of the library for a declaration (`LibraryFact`): of its
//! department's and the common entries, confirmed or retired, those its rows can concern (their
//! names, the entries they were picked from, and every entry with other spellings), each with the
//! department's last accepted actual value. Only those: forms are checked as people type, and a
//! department's whole library with its history would cost every check a scan of its uses.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jixiao_domain::findings::LibraryFact;
use jixiao_domain::library::LibraryEntryStatus;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
    sea_query::ExprTrait,
};

use super::LibraryEntryRecord;
use super::reads::last_actuals;
use crate::entity::{indicator, library_entry, project};
use crate::error::StoreResult;

/// The entries one department's findings read at most: a bound on what a runaway library costs.
pub const MAX_FACTS: u64 = 5000;

/// What one department's declarations can concern: the names of their rows and the entries they
/// were picked from.
#[derive(Clone, Debug, Default)]
pub struct Concerns {
    pub names: BTreeSet<String>,
    pub linked: BTreeSet<i64>,
}

impl Concerns {
    pub fn of_rows<'a>(rows: impl IntoIterator<Item = &'a jixiao_domain::Indicator>) -> Concerns {
        let mut c = Concerns::default();
        for row in rows {
            c.names.insert(row.name.clone());
            c.linked.extend(row.library_entry_id);
        }
        c
    }
}

/// The library as the rules read it for `department_id`'s declarations that concern `concerns`
/// (`None`: all of it, what a check as the user types keeps between checks).
pub async fn facts_for<C: ConnectionTrait>(
    conn: &C,
    department_id: i64,
    concerns: Option<&Concerns>,
) -> StoreResult<Vec<LibraryFact>> {
    let concerned = match concerns {
        Some(concerns) => Condition::any()
            .add(library_entry::Column::Name.is_in(concerns.names.iter().map(String::as_str)))
            .add(library_entry::Column::Id.is_in(concerns.linked.iter().copied()))
            // Few entries have other spellings (merges), and any row may be one of them.
            .add(Expr::col(library_entry::Column::Aliases).ne("[]")),
        None => Condition::all(),
    };
    let rows = library_entry::Entity::find()
        .filter(
            Condition::any()
                .add(library_entry::Column::DepartmentId.is_null())
                .add(library_entry::Column::DepartmentId.eq(department_id)),
        )
        .filter(library_entry::Column::Status.ne(LibraryEntryStatus::Proposed.code()))
        .filter(concerned)
        .order_by_asc(library_entry::Column::Id)
        .limit(MAX_FACTS)
        .all(conn)
        .await?;
    let records: Vec<LibraryEntryRecord> =
        rows.into_iter().map(LibraryEntryRecord::try_from).collect::<StoreResult<_>>()?;
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let mut history = last_actuals(conn, &ids, Some(department_id)).await?;
    Ok(records
        .into_iter()
        .map(|r| LibraryFact {
            entry_id: r.id,
            level2: r.entry.level2,
            history_value: history.remove(&r.id),
            name: r.entry.name,
            aliases: r.entry.aliases,
            status: r.status,
        })
        .collect())
}

/// The library as the rules read it for each of the saved `projects` (its department's facts for
/// what that department's projects among them concern): two reads of their rows, then two
/// statements per department.
pub async fn facts_for_projects<C: ConnectionTrait>(
    conn: &C,
    projects: &[i64],
) -> StoreResult<HashMap<i64, std::sync::Arc<Vec<LibraryFact>>>> {
    let departments: HashMap<i64, i64> = project::Entity::find()
        .select_only()
        .column(project::Column::Id)
        .column(project::Column::DepartmentId)
        .filter(project::Column::Id.is_in(projects.iter().copied()))
        .into_tuple::<(i64, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let rows: Vec<(i64, String, Option<i64>)> = indicator::Entity::find()
        .select_only()
        .column(indicator::Column::ProjectId)
        .column(indicator::Column::Name)
        .column(indicator::Column::LibraryEntryId)
        .filter(indicator::Column::ProjectId.is_in(projects.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    let mut by_department: BTreeMap<i64, (Concerns, BTreeSet<i64>)> = BTreeMap::new();
    for (&project_id, &department_id) in &departments {
        by_department.entry(department_id).or_default().1.insert(project_id);
    }
    for (project_id, name, linked) in rows {
        let Some(department_id) = departments.get(&project_id) else { continue };
        let (concerns, _) = by_department.entry(*department_id).or_default();
        concerns.names.insert(name);
        concerns.linked.extend(linked);
    }
    let mut out = HashMap::new();
    for (department_id, (concerns, members)) in by_department {
        let facts = std::sync::Arc::new(facts_for(conn, department_id, Some(&concerns)).await?);
        for p in members {
            out.insert(p, facts.clone());
        }
    }
    Ok(out)
}

impl super::Library<'_> {
    /// The library as the rules read it for each of the saved `projects`.
    pub async fn facts_for_projects(
        &self,
        projects: &[i64],
    ) -> StoreResult<HashMap<i64, std::sync::Arc<Vec<LibraryFact>>>> {
        facts_for_projects(self.db, projects).await
    }
}
