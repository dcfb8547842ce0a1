//! What the reviewer's rules read of the library for one department (`LibraryFact`): its own
//! and the common entries, confirmed or retired, each with the department's last accepted
//! actual value.

use jixiao_domain::findings::LibraryFact;
use jixiao_domain::library::LibraryEntryStatus;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::LibraryEntryRecord;
use super::reads::last_actuals;
use crate::entity::library_entry;
use crate::error::StoreResult;

/// The entries one department's findings read at most (a department's own and the common ones;
/// far more than any library holds, so that a runaway library costs a bounded read).
pub const MAX_FACTS: u64 = 5000;

/// The library as the rules read it for `department_id`'s declarations.
pub async fn facts_for<C: ConnectionTrait>(conn: &C, department_id: i64) -> StoreResult<Vec<LibraryFact>> {
    let rows = library_entry::Entity::find()
        .filter(
            Condition::any()
                .add(library_entry::Column::DepartmentId.is_null())
                .add(library_entry::Column::DepartmentId.eq(department_id)),
        )
        .filter(library_entry::Column::Status.ne(LibraryEntryStatus::Proposed.code()))
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

impl super::Library<'_> {
    /// The library as the rules read it for `department_id`'s declarations.
    pub async fn facts_for(&self, department_id: i64) -> StoreResult<Vec<LibraryFact>> {
        facts_for(self.db, department_id).await
    }
}
