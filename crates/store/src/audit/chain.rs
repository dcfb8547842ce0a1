//! The audit trail's writing side: records appended one after another, each carrying the hash of
//! the one before, so that a record altered or removed behind the database's back (its
//! append-only triggers turned off) is found by [`Store::verify_audit_log`]; and pruning by age,
//! which leaves a record of itself naming where the remaining chain now starts.
//!
//! Appends take a transaction-scoped advisory lock on PostgreSQL (SQLite has one writer
//! anyway): each record's predecessor is the last one committed, never one being written beside
//! it, and record ids follow the chain. The service's records are written in groups
//! (`writer.rs`): one transaction, one lock and one commit for every record that arrived
//! while the last group was being written.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::Store;
use crate::entity::audit_record::{self, ActiveModel, Column, Entity, Model};
use crate::error::StoreResult;

/// What the first record follows.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The operation a pruning is recorded under.
pub const PRUNE_OPERATION: &str = "audit.prune";

/// What happened, as the trail keeps it. Never a password, a token or a secret: only who (user
/// id and name), from where (address, request id), what (operation, objects, versions) and how
/// it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditEvent {
    pub actor_id: Option<i64>,
    /// The username, the name tried at a login, or `operator` for the command line.
    pub actor: String,
    pub address: String,
    pub request_id: String,
    /// `login`, `mutation.approveProject`, `download.book`, `cli.import` …
    pub operation: String,
    /// `Kind:row` of each object acted on.
    pub objects: Vec<String>,
    pub version_before: Option<i64>,
    pub version_after: Option<i64>,
    /// `ok`, `rejected` (the input was refused), or an error code (`FORBIDDEN` …).
    pub outcome: String,
    /// A short note (a file name, a count), never a secret.
    pub detail: String,
}

/// Fields of client origin are bounded before they are kept.
fn bounded(text: &str, chars: usize) -> String {
    text.chars().filter(|c| *c != '\0').take(chars).collect()
}

/// The objects column: each id between spaces, so that a filter on one is an exact match.
pub(crate) fn objects_column(objects: &[String]) -> String {
    let kept: Vec<String> = objects.iter().take(100).map(|o| bounded(o, 80).replace(' ', "")).collect();
    if kept.is_empty() { String::new() } else { format!(" {} ", kept.join(" ")) }
}

/// The hash of a record: SHA-256 over the previous hash and every field, each written with its
/// length first, so that no two different records write the same bytes.
fn record_hash(prev_hash: &str, r: &Model) -> String {
    let mut hasher = Sha256::new();
    let at = r.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let actor_id = r.actor_id.map(|i| i.to_string()).unwrap_or_default();
    let before = r.version_before.map(|v| v.to_string()).unwrap_or_default();
    let after = r.version_after.map(|v| v.to_string()).unwrap_or_default();
    for field in [
        prev_hash,
        &at,
        &actor_id,
        &r.actor,
        &r.address,
        &r.request_id,
        &r.operation,
        &r.objects,
        &before,
        &after,
        &r.outcome,
        &r.detail,
    ] {
        hasher.update(field.len().to_string().as_bytes());
        hasher.update(b":");
        hasher.update(field.as_bytes());
        hasher.update(b";");
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends `events`, in order, after the last record, inside `conn`'s transaction.
pub(crate) async fn append_on<C: ConnectionTrait>(
    conn: &C,
    events: &[AuditEvent],
    at: DateTime<Utc>,
) -> StoreResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    if conn.get_database_backend() == DbBackend::Postgres {
        conn.execute_unprepared("SELECT pg_advisory_xact_lock(2026120621)").await?;
    }
    let last = Entity::find().select_only().column(Column::Hash).order_by_desc(Column::Id).into_tuple::<String>();
    let mut prev_hash = last.one(conn).await?.unwrap_or_else(|| GENESIS.to_string());
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        let mut record = Model {
            id: 0,
            at: at.trunc_subsecs(6),
            actor_id: event.actor_id,
            actor: bounded(&event.actor, 64),
            address: bounded(&event.address, 64),
            request_id: bounded(&event.request_id, 64),
            operation: bounded(&event.operation, 80),
            objects: objects_column(&event.objects),
            version_before: event.version_before,
            version_after: event.version_after,
            outcome: bounded(&event.outcome, 40),
            detail: bounded(&event.detail, 500),
            prev_hash: prev_hash.clone(),
            hash: String::new(),
        };
        record.hash = record_hash(&prev_hash, &record);
        prev_hash = record.hash.clone();
        rows.push(ActiveModel {
            id: NotSet,
            at: Set(record.at),
            actor_id: Set(record.actor_id),
            actor: Set(record.actor),
            address: Set(record.address),
            request_id: Set(record.request_id),
            operation: Set(record.operation),
            objects: Set(record.objects),
            version_before: Set(record.version_before),
            version_after: Set(record.version_after),
            outcome: Set(record.outcome),
            detail: Set(record.detail),
            prev_hash: Set(record.prev_hash),
            hash: Set(record.hash),
        });
    }
    // Inserted in the order given, so ids follow the chain.
    Entity::insert_many(rows).exec(conn).await?;
    Ok(())
}

/// What `jixiao audit verify` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditVerdict {
    pub checked: u64,
    /// The first record that does not hold, and why.
    pub broken: Option<(i64, BrokenLink)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrokenLink {
    /// Its fields no longer give its hash: it was altered.
    Altered,
    /// It does not follow the record before it: one between them was removed (or the first
    /// ones, other than by a recorded pruning).
    Missing,
}

/// Where a pruning left the chain: the hash the first remaining record follows.
fn prune_detail(through: i64, anchor: &str, removed: u64, cutoff: DateTime<Utc>) -> String {
    format!("through={through} anchor={anchor} removed={removed} before={}", cutoff.to_rfc3339())
}

fn anchor_of(detail: &str) -> Option<&str> {
    detail.split(' ').find_map(|part| part.strip_prefix("anchor="))
}

impl Store {
    /// Appends one record to the audit trail.
    pub async fn audit(&self, event: &AuditEvent) -> StoreResult<()> {
        self.audit_writer.append(&self.db, event.clone()).await
    }

    /// Walks the whole trail in order, recomputing each record's hash and its link to the one
    /// before. The first record may follow the genesis or the anchor a pruning recorded.
    pub async fn verify_audit_log(&self) -> StoreResult<AuditVerdict> {
        let prunings = Entity::find().filter(Column::Operation.eq(PRUNE_OPERATION)).all(&self.db).await?;
        let anchors: Vec<String> = prunings.iter().filter_map(|p| anchor_of(&p.detail)).map(str::to_string).collect();
        let mut expected: Option<String> = None;
        let mut after = 0i64;
        let mut checked = 0u64;
        loop {
            let page =
                Entity::find().filter(Column::Id.gt(after)).order_by_asc(Column::Id).limit(1000).all(&self.db).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for record in page {
                let follows = match &expected {
                    Some(prev) => record.prev_hash == *prev,
                    None => record.prev_hash == GENESIS || anchors.contains(&record.prev_hash),
                };
                if !follows {
                    return Ok(AuditVerdict { checked, broken: Some((record.id, BrokenLink::Missing)) });
                }
                if record_hash(&record.prev_hash, &record) != record.hash {
                    return Ok(AuditVerdict { checked, broken: Some((record.id, BrokenLink::Altered)) });
                }
                checked += 1;
                expected = Some(record.hash);
            }
        }
        Ok(AuditVerdict { checked, broken: None })
    }

    /// Removes the records older than `cutoff` and, in the same transaction, appends a record
    /// of the pruning (`by`'s, with the outcome and the anchor the remaining chain follows).
    /// Returns how many were removed.
    pub async fn prune_audit_log(&self, cutoff: DateTime<Utc>, by: &AuditEvent) -> StoreResult<u64> {
        let txn = self.db.begin().await?;
        let last_old = Entity::find().filter(Column::At.lt(cutoff)).order_by_desc(Column::Id).one(&txn).await?;
        let mut removed = 0;
        let mut record = by.clone();
        record.operation = PRUNE_OPERATION.into();
        record.outcome = "ok".into();
        if let Some(last_old) = last_old {
            txn.execute_unprepared("INSERT INTO audit_prune_permits (pruning) VALUES ('now')").await?;
            removed = Entity::delete_many().filter(Column::Id.lte(last_old.id)).exec(&txn).await?.rows_affected;
            txn.execute_unprepared("DELETE FROM audit_prune_permits").await?;
            record.detail = prune_detail(last_old.id, &last_old.hash, removed, cutoff);
        } else {
            record.detail = format!("removed=0 before={}", cutoff.to_rfc3339());
        }
        append_on(&txn, std::slice::from_ref(&record), Utc::now()).await?;
        txn.commit().await?;
        Ok(removed)
    }
}

/// The trail's rows as kept, for the readers (`audit_trail.rs`).
pub type AuditRecord = audit_record::Model;

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Model {
        Model {
            id: 1,
            at: DateTime::from_timestamp(1_765_000_000, 123_456_000).unwrap(),
            actor_id: Some(7),
            actor: "wang".into(),
            address: "10.0.0.1".into(),
            request_id: "r-1".into(),
            operation: "mutation.approveProject".into(),
            objects: objects_column(&["Project:42".into()]),
            version_before: Some(3),
            version_after: Some(4),
            outcome: "ok".into(),
            detail: String::new(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn every_field_is_in_the_hash_and_fields_cannot_trade_characters() {
        let base = record_hash(GENESIS, &record());
        assert_eq!(base.len(), 64);
        let mut changed = record();
        changed.outcome = "FORBIDDEN".into();
        assert_ne!(record_hash(GENESIS, &changed), base);
        let mut moved = record();
        (moved.actor, moved.address) = ("wang1".into(), "0.0.0.1".into());
        assert_ne!(record_hash(GENESIS, &moved), base, "a character moved between fields changes the hash");
        assert_ne!(record_hash("1", &record()), base, "the previous hash is in it");
    }

    #[test]
    fn objects_are_kept_between_spaces_and_bounded() {
        assert_eq!(objects_column(&["Project:42".into(), "Indicator:7".into()]), " Project:42 Indicator:7 ");
        assert_eq!(objects_column(&[]), "");
        assert_eq!(objects_column(&["a b".into()]), " ab ");
        assert_eq!(anchor_of("through=9 anchor=abc removed=9 before=x"), Some("abc"));
    }
}
