//! 指标库 in the database: the entries and their versions (`writes.rs`), the screens' reads,
//! suggestions and each entry's history (`reads.rs`), seeding from a year's approved projects
//! (`seed.rs`), the bureau's workbook (`import.rs`), and what the reviewer's rules read of it
//! (`facts.rs`). Who may do what, what an
//! entry must hold and how spellings are grouped are the domain's (`library.rs`).

mod facts;
mod import;
mod reads;
mod seed;
mod writes;

use chrono::{DateTime, Utc};
use jixiao_domain::library::{Entry, IndicatorDirection, LibraryEntryStatus, LibraryScope, ValueBasis};
use jixiao_domain::{Actor, Level1, Level2};
use sea_orm::DatabaseConnection;

pub use facts::{Concerns, MAX_FACTS, facts_for, facts_for_projects};
pub use import::{ImportedEntry, LibraryImportReport, MAX_IMPORTED};
pub use reads::{
    EntryUse, EntryVersion, LibraryFilter, MAX_EXPORTED, MAX_PAGE, MAX_USES_LISTED, MAX_VERSIONS_LISTED, history_value,
};
pub use seed::SeedReport;

use crate::entity::library_entry;
use crate::error::{StoreError, StoreResult};
use crate::lifecycle::Commits;

/// The indicator library, for one actor.
pub struct Library<'a> {
    db: &'a DatabaseConnection,
    commits: &'a Commits,
    /// What form checks keep of the library, forgotten at every write of ours.
    names: &'a crate::indicator_names_cache::IndicatorNamesCache,
    actor: Actor,
}

impl crate::Store {
    pub fn library(&self, actor: Actor) -> Library<'_> {
        Library { db: &self.db, commits: &self.commits, names: &self.names, actor }
    }
}

impl Library<'_> {
    /// Commits `txn`, then forgets what form checks keep here, so that the next check on this
    /// instance reads the change (other instances hear of it from PostgreSQL: migration 29).
    async fn commit(&self, txn: sea_orm::DatabaseTransaction) -> StoreResult<()> {
        self.commits.commit(txn).await?;
        self.names.forget();
        Ok(())
    }
}

/// One entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibraryEntryRecord {
    pub id: i64,
    pub scope: LibraryScope,
    /// `None` for a COMMON entry.
    pub department_id: Option<i64>,
    pub entry: Entry,
    pub status: LibraryEntryStatus,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn corrupt(what: &str, code: &str) -> StoreError {
    StoreError::Database(sea_orm::DbErr::Custom(format!("a library entry with an unknown {what} {code}")))
}

fn coded<T>(from: fn(&str) -> Option<T>, what: &str, code: &str) -> StoreResult<T> {
    from(code).ok_or_else(|| corrupt(what, code))
}

impl TryFrom<library_entry::Model> for LibraryEntryRecord {
    type Error = StoreError;
    fn try_from(m: library_entry::Model) -> StoreResult<LibraryEntryRecord> {
        let aliases: Vec<String> = serde_json::from_str(&m.aliases).map_err(|_| corrupt("alias list", &m.aliases))?;
        Ok(LibraryEntryRecord {
            id: m.id,
            scope: coded(LibraryScope::from_code, "scope", &m.scope)?,
            department_id: m.department_id,
            entry: Entry {
                level1: coded(Level1::from_code, "level 1", &m.level1)?,
                level2: coded(Level2::from_code, "level 2", &m.level2)?,
                name: m.name,
                unit: m.unit,
                direction: coded(IndicatorDirection::from_code, "direction", &m.direction)?,
                definition: m.definition,
                formula: m.formula,
                value_basis: coded(ValueBasis::from_code, "value basis", &m.value_basis)?,
                reference_value: m.reference_value,
                benchmark_value: m.benchmark_value,
                aliases,
            },
            status: coded(LibraryEntryStatus::from_code, "status", &m.status)?,
            version: m.version,
            created_by: m.created_by,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}
