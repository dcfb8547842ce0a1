//! Adding, editing, confirming and retiring entries; each change keeps the entry whole in
//! `library_entry_versions`.

use chrono::Utc;
use jixiao_domain::library::{
    Entry, EntryContent, LibraryChange, LibraryEntryStatus, LibraryScope, may_move, starting_status,
};
use jixiao_domain::{Message, ProblemCode};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, TransactionTrait,
};

use super::{Library, LibraryEntryRecord};
use crate::entity::{indicator, library_entry, library_entry_version};
use crate::error::{StoreError, StoreResult, allow, version_conflict};
use crate::row_lock::lock_key;

/// The JSON a version keeps: the entry with its scope and status.
fn version_json(record: &LibraryEntryRecord) -> StoreResult<String> {
    let value = serde_json::json!({
        "scope": record.scope.code(),
        "departmentId": record.department_id,
        "status": record.status.code(),
        "entry": record.entry,
    });
    Ok(value.to_string())
}

pub(super) async fn keep_version<C: ConnectionTrait>(
    conn: &C,
    record: &LibraryEntryRecord,
    action: LibraryChange,
    user_id: i64,
) -> StoreResult<()> {
    library_entry_version::ActiveModel {
        id: NotSet,
        entry_id: Set(record.id),
        version: Set(record.version),
        action: Set(action.code().to_string()),
        entry: Set(version_json(record)?),
        changed_by: Set(user_id),
        changed_at: Set(Utc::now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

fn name_taken(name: &str) -> StoreError {
    StoreError::problem(
        "name",
        ProblemCode::AlreadyExists,
        Message::new(
            format!("指标库中已有确认的“{name}”（同一范围、同一二级指标）"),
            format!("the library already holds a confirmed “{name}” in this scope under this level 2"),
        ),
    )
}

/// Refuses a second confirmed entry of the same name under the same level 2 in the same scope
/// (other than `except`); the partial unique index holds it against a concurrent writer too.
async fn check_name_free(
    txn: &DatabaseTransaction,
    department_id: Option<i64>,
    level2: &str,
    name: &str,
    except: Option<i64>,
) -> StoreResult<()> {
    let mut same = library_entry::Entity::find()
        .filter(library_entry::Column::Status.eq(LibraryEntryStatus::Confirmed.code()))
        .filter(library_entry::Column::Level2.eq(level2))
        .filter(library_entry::Column::Name.eq(name));
    same = match department_id {
        Some(d) => same.filter(library_entry::Column::DepartmentId.eq(d)),
        None => same.filter(library_entry::Column::DepartmentId.is_null()),
    };
    if let Some(id) = except {
        same = same.filter(library_entry::Column::Id.ne(id));
    }
    if same.one(txn).await?.is_some() { Err(name_taken(name)) } else { Ok(()) }
}

/// A unique violation of the confirmed-name index, as the problem it is.
fn unique_to_problem(name: &str) -> impl FnOnce(sea_orm::DbErr) -> StoreError + '_ {
    move |e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => name_taken(name),
        _ => StoreError::Database(e),
    }
}

/// Inserts `entry` of `department_id` (`None`: COMMON) in `status`, its first version kept as
/// `action` (CREATE, SEED, IMPORT); a confirmed name already taken is ALREADY_EXISTS on `name`.
pub(super) async fn insert_entry<C: ConnectionTrait>(
    conn: &C,
    department_id: Option<i64>,
    entry: &Entry,
    status: LibraryEntryStatus,
    user_id: i64,
    action: LibraryChange,
) -> StoreResult<LibraryEntryRecord> {
    let now = Utc::now();
    let saved = library_entry::ActiveModel {
        id: NotSet,
        scope: Set(LibraryScope::of(department_id).code().to_string()),
        department_id: Set(department_id),
        level1: Set(entry.level1.code().to_string()),
        level2: Set(entry.level2.code().to_string()),
        name: Set(entry.name.clone()),
        unit: Set(entry.unit.clone()),
        direction: Set(entry.direction.code().to_string()),
        definition: Set(entry.definition.clone()),
        formula: Set(entry.formula.clone()),
        value_basis: Set(entry.value_basis.code().to_string()),
        reference_value: Set(entry.reference_value.clone()),
        benchmark_value: Set(entry.benchmark_value.clone()),
        status: Set(status.code().to_string()),
        aliases: Set(serde_json::Value::from(entry.aliases.clone()).to_string()),
        version: Set(1),
        created_by: Set(user_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await
    .map_err(unique_to_problem(&entry.name))?;
    let record = LibraryEntryRecord::try_from(saved)?;
    keep_version(conn, &record, action, user_id).await?;
    Ok(record)
}

/// Writes `record`'s status, version and time of change over the stored entry, and keeps the
/// version as `action`.
async fn save_status<C: ConnectionTrait>(
    conn: &C,
    record: &LibraryEntryRecord,
    action: LibraryChange,
    user_id: i64,
) -> StoreResult<()> {
    library_entry::Entity::update_many()
        .col_expr(library_entry::Column::Status, Expr::value(record.status.code()))
        .col_expr(library_entry::Column::Version, Expr::value(record.version))
        .col_expr(library_entry::Column::UpdatedAt, Expr::value(record.updated_at))
        .filter(library_entry::Column::Id.eq(record.id))
        .exec(conn)
        .await
        .map_err(unique_to_problem(&record.entry.name))?;
    keep_version(conn, record, action, user_id).await
}

impl Library<'_> {
    /// Adds an entry of `department_id` (`None`: a COMMON entry): the bureau's CONFIRMED at once,
    /// a department's PROPOSED.
    pub async fn add(&self, department_id: Option<i64>, content: EntryContent) -> StoreResult<LibraryEntryRecord> {
        let entry = content.check().map_err(StoreError::Rejected)?;
        let scope = LibraryScope::of(department_id);
        allow(self.actor.may_add_library_entry(scope, department_id, &entry))?;
        let status = starting_status(&self.actor);
        let txn = self.db.begin().await?;
        if let Some(id) = department_id {
            crate::organization::require_department(&txn, id).await?;
        }
        if status == LibraryEntryStatus::Confirmed {
            check_name_free(&txn, department_id, entry.level2.code(), &entry.name, None).await?;
        }
        let record =
            insert_entry(&txn, department_id, &entry, status, self.actor.user_id, LibraryChange::Create).await?;
        self.commit(txn).await?;
        Ok(record)
    }

    /// The entry `id` locked for a change by the bureau, at `expected_version`.
    async fn for_change(
        &self,
        txn: &DatabaseTransaction,
        id: i64,
        expected_version: i32,
    ) -> StoreResult<LibraryEntryRecord> {
        lock_key(txn, "library_entry", id).await?;
        let record = self.visible(txn, id).await?;
        allow(self.actor.may_govern_library())?;
        if record.version != expected_version {
            return Err(version_conflict());
        }
        Ok(record)
    }

    /// Replaces an entry's content (the bureau's); its scope and status stay.
    pub async fn update(
        &self,
        id: i64,
        expected_version: i32,
        content: EntryContent,
    ) -> StoreResult<LibraryEntryRecord> {
        let entry = content.check().map_err(StoreError::Rejected)?;
        let txn = self.db.begin().await?;
        let before = self.for_change(&txn, id, expected_version).await?;
        if before.status == LibraryEntryStatus::Confirmed {
            check_name_free(&txn, before.department_id, entry.level2.code(), &entry.name, Some(id)).await?;
        }
        let record = LibraryEntryRecord { entry, version: before.version + 1, updated_at: Utc::now(), ..before };
        let e = &record.entry;
        library_entry::Entity::update_many()
            .col_expr(library_entry::Column::Level1, Expr::value(e.level1.code()))
            .col_expr(library_entry::Column::Level2, Expr::value(e.level2.code()))
            .col_expr(library_entry::Column::Name, Expr::value(e.name.clone()))
            .col_expr(library_entry::Column::Unit, Expr::value(e.unit.clone()))
            .col_expr(library_entry::Column::Direction, Expr::value(e.direction.code()))
            .col_expr(library_entry::Column::Definition, Expr::value(e.definition.clone()))
            .col_expr(library_entry::Column::Formula, Expr::value(e.formula.clone()))
            .col_expr(library_entry::Column::ValueBasis, Expr::value(e.value_basis.code()))
            .col_expr(library_entry::Column::ReferenceValue, Expr::value(e.reference_value.clone()))
            .col_expr(library_entry::Column::BenchmarkValue, Expr::value(e.benchmark_value.clone()))
            .col_expr(
                library_entry::Column::Aliases,
                Expr::value(serde_json::Value::from(e.aliases.clone()).to_string()),
            )
            .col_expr(library_entry::Column::Version, Expr::value(record.version))
            .col_expr(library_entry::Column::UpdatedAt, Expr::value(record.updated_at))
            .filter(library_entry::Column::Id.eq(id))
            .exec(&txn)
            .await
            .map_err(unique_to_problem(&record.entry.name))?;
        keep_version(&txn, &record, LibraryChange::Update, self.actor.user_id).await?;
        self.commit(txn).await?;
        Ok(record)
    }

    /// Confirms, retires or brings back an entry (the bureau's). Confirming an entry that lists
    /// other spellings (a merge seeding proposed) retires the confirmed entries of those
    /// spellings and of its own name in the same scope and level 2, and moves their rows' links
    /// to it, so that their history is its history.
    pub async fn set_status(
        &self,
        id: i64,
        expected_version: i32,
        to: LibraryEntryStatus,
    ) -> StoreResult<LibraryEntryRecord> {
        let txn = self.db.begin().await?;
        let before = self.for_change(&txn, id, expected_version).await?;
        may_move(before.status, to).map_err(|m| StoreError::problem("status", ProblemCode::InvalidTransition, m))?;
        if to == LibraryEntryStatus::Confirmed {
            self.absorb_spellings(&txn, &before).await?;
            check_name_free(&txn, before.department_id, before.entry.level2.code(), &before.entry.name, Some(id))
                .await?;
        }
        let record = LibraryEntryRecord { status: to, version: before.version + 1, updated_at: Utc::now(), ..before };
        save_status(&txn, &record, to.into(), self.actor.user_id).await?;
        self.commit(txn).await?;
        Ok(record)
    }

    /// Retires the confirmed entries a merge takes in (its name and aliases, same scope and level
    /// 2) and links their rows to `merged`.
    async fn absorb_spellings(&self, txn: &DatabaseTransaction, merged: &LibraryEntryRecord) -> StoreResult<()> {
        if merged.entry.aliases.is_empty() {
            return Ok(());
        }
        let mut names = merged.entry.aliases.clone();
        names.push(merged.entry.name.clone());
        let mut members = library_entry::Entity::find()
            .filter(library_entry::Column::Status.eq(LibraryEntryStatus::Confirmed.code()))
            .filter(library_entry::Column::Level2.eq(merged.entry.level2.code()))
            .filter(library_entry::Column::Name.is_in(names))
            .filter(library_entry::Column::Id.ne(merged.id));
        members = match merged.department_id {
            Some(d) => members.filter(library_entry::Column::DepartmentId.eq(d)),
            None => members.filter(library_entry::Column::DepartmentId.is_null()),
        };
        for member in members.all(txn).await? {
            let member = LibraryEntryRecord::try_from(member)?;
            let retired = LibraryEntryRecord {
                status: LibraryEntryStatus::Retired,
                version: member.version + 1,
                updated_at: Utc::now(),
                ..member
            };
            save_status(txn, &retired, LibraryChange::Merged, self.actor.user_id).await?;
            indicator::Entity::update_many()
                .col_expr(indicator::Column::LibraryEntryId, Expr::value(Some(merged.id)))
                .filter(indicator::Column::LibraryEntryId.eq(retired.id))
                .exec(txn)
                .await?;
        }
        Ok(())
    }
}
