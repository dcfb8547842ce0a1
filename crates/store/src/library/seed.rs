//! `seedIndicatorLibrary`: the library built from what exists, a year's approved projects.
//! Idempotent: a spelling that already has an entry is linked to it, a merge already proposed or
//! confirmed is not proposed again, and a row already linked keeps its link.

use std::collections::HashMap;

use jixiao_domain::library::{Entry, LibraryChange, LibraryEntryStatus, ValueBasis, direction_of, unit_of};
use jixiao_domain::library_seed::{SeedEntry, SeedRow, seed_plan};
use jixiao_domain::{Level1, Level2, Status, TargetValue};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};

use super::writes::insert_entry;
use super::{Library, LibraryEntryRecord};
use crate::entity::{indicator, library_entry, project};
use crate::error::{StoreResult, allow};
use crate::row_lock::lock_key;

/// What seeding did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// Entries made CONFIRMED, one per new spelling.
    pub entries_created: u64,
    /// Merges of near spellings proposed.
    pub proposals_created: u64,
    /// Rows linked to their entry (rows already linked are left as they are).
    pub rows_linked: u64,
}

/// Rows linked in one statement at most.
const LINK_BATCH: usize = 500;

impl Library<'_> {
    /// Builds the library from `fiscal_year`'s approved projects (admins).
    pub async fn seed(&self, fiscal_year: i32) -> StoreResult<SeedReport> {
        allow(self.actor.may_seed_library())?;
        let txn = self.db.begin().await?;
        // Two seedings of the same year take turns: the second finds the first's entries.
        lock_key(&txn, "library_seed", 0).await?;
        let plan = seed_plan(&approved_rows(&txn, fiscal_year).await?);
        let mut report = SeedReport::default();
        for planned in plan {
            match planned.status {
                LibraryEntryStatus::Proposed => {
                    if !self.merge_known(&txn, &planned).await? {
                        self.insert(&txn, &planned).await?;
                        report.proposals_created += 1;
                    }
                }
                _ => {
                    let id = match self.spelling_entry(&txn, &planned).await? {
                        Some(id) => id,
                        None => {
                            report.entries_created += 1;
                            self.insert(&txn, &planned).await?
                        }
                    };
                    report.rows_linked += link(&txn, id, &planned.indicator_ids).await?;
                }
            }
        }
        self.commit(txn).await?;
        tracing::info!(fiscal_year, ?report, "indicator library seeded");
        Ok(report)
    }

    async fn insert(&self, txn: &DatabaseTransaction, e: &SeedEntry) -> StoreResult<i64> {
        let entry = Entry {
            level1: e.level1,
            level2: e.level2,
            name: e.name.clone(),
            unit: e.unit.clone(),
            direction: e.direction,
            definition: String::new(),
            formula: String::new(),
            // What a department's own past values are: the historical standard.
            value_basis: ValueBasis::History,
            reference_value: None,
            benchmark_value: None,
            aliases: e.aliases.clone(),
        };
        Ok(insert_entry(txn, Some(e.department_id), &entry, e.status, self.actor.user_id, LibraryChange::Seed)
            .await?
            .id)
    }

    /// The entry a spelling already has: its confirmed entry, or the confirmed entry it was
    /// merged into (its name an alias there), or its retired entry.
    async fn spelling_entry(&self, txn: &DatabaseTransaction, e: &SeedEntry) -> StoreResult<Option<i64>> {
        let same_levels = library_entry::Entity::find()
            .filter(library_entry::Column::DepartmentId.eq(e.department_id))
            .filter(library_entry::Column::Level2.eq(e.level2.code()))
            .filter(library_entry::Column::Status.ne(LibraryEntryStatus::Proposed.code()))
            .order_by_asc(library_entry::Column::Id)
            .all(txn)
            .await?;
        let records: Vec<LibraryEntryRecord> =
            same_levels.into_iter().map(LibraryEntryRecord::try_from).collect::<StoreResult<_>>()?;
        let confirmed = |r: &&LibraryEntryRecord| r.status == LibraryEntryStatus::Confirmed;
        Ok(records
            .iter()
            .filter(confirmed)
            .find(|r| r.entry.name == e.name)
            .or_else(|| records.iter().filter(confirmed).find(|r| r.entry.aliases.contains(&e.name)))
            .or_else(|| records.iter().find(|r| r.entry.name == e.name))
            .map(|r| r.id))
    }

    /// Whether a merge of these spellings is already proposed or confirmed.
    async fn merge_known(&self, txn: &DatabaseTransaction, e: &SeedEntry) -> StoreResult<bool> {
        let merges = library_entry::Entity::find()
            .filter(library_entry::Column::DepartmentId.eq(e.department_id))
            .filter(library_entry::Column::Level2.eq(e.level2.code()))
            .filter(library_entry::Column::Aliases.ne("[]"))
            .filter(library_entry::Column::Status.ne(LibraryEntryStatus::Retired.code()))
            .all(txn)
            .await?;
        let mut spellings = e.aliases.clone();
        spellings.push(e.name.clone());
        for m in merges {
            let r = LibraryEntryRecord::try_from(m)?;
            let known = |s: &String| r.entry.name == *s || r.entry.aliases.contains(s);
            if spellings.iter().all(known) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The indicator rows of the year's approved projects, in project and form order.
async fn approved_rows(txn: &DatabaseTransaction, fiscal_year: i32) -> StoreResult<Vec<SeedRow>> {
    let approved: Vec<&str> = Status::ALL.iter().filter(|s| s.was_approved()).map(|s| s.code()).collect();
    let projects: HashMap<i64, i64> = project::Entity::find()
        .filter(project::Column::FiscalYear.eq(fiscal_year))
        .filter(project::Column::DeletedAt.is_null())
        .filter(project::Column::Status.is_in(approved))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.department_id))
        .collect();
    let mut ids: Vec<i64> = projects.keys().copied().collect();
    ids.sort_unstable();
    let mut rows = Vec::new();
    for chunk in ids.chunks(LINK_BATCH) {
        let found = indicator::Entity::find()
            .filter(indicator::Column::ProjectId.is_in(chunk.iter().copied()))
            .order_by_asc(indicator::Column::ProjectId)
            .order_by_asc(indicator::Column::Position)
            .all(txn)
            .await?;
        for m in found {
            let (Some(level1), Some(level2)) = (Level1::from_code(&m.level1), Level2::from_code(&m.level2)) else {
                continue;
            };
            let target = TargetValue::as_typed(&m.target_text);
            rows.push(SeedRow {
                department_id: projects[&m.project_id],
                level1,
                level2,
                name: m.name.trim().to_string(),
                unit: unit_of(&target),
                direction: direction_of(&target),
                indicator_id: m.id,
                project_id: m.project_id,
            });
        }
    }
    Ok(rows.into_iter().filter(|r| !r.name.is_empty()).collect())
}

/// Links the rows of `ids` not linked yet to `entry_id`; how many were.
async fn link(txn: &DatabaseTransaction, entry_id: i64, ids: &[i64]) -> StoreResult<u64> {
    let mut linked = 0;
    for chunk in ids.chunks(LINK_BATCH) {
        let done = indicator::Entity::update_many()
            .col_expr(indicator::Column::LibraryEntryId, Expr::value(Some(entry_id)))
            .filter(indicator::Column::Id.is_in(chunk.iter().copied()))
            .filter(indicator::Column::LibraryEntryId.is_null())
            .exec(txn)
            .await?;
        linked += done.rows_affected;
    }
    Ok(linked)
}
