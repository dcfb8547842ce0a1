//! The audit trail written in groups (group commit). A record is a write of its own, and the
//! trail is a chain: each append holds the trail's lock from reading its predecessor's hash to its
//! commit, so appended one by one, every write of the service waited in one line for a commit
//! (a WAL flush) of its record: the mutation mix fell to under half its rate. Here one task per
//! instance writes every record that arrived while it wrote the last group, in one transaction:
//! one lock, one read of the predecessor, one insert and one commit for the group. A caller still
//! waits until its own record is committed (nothing it was told done is missing from the trail);
//! waiting callers are bounded by the queue, after which they wait for room.

use std::sync::OnceLock;

use chrono::Utc;
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use tokio::sync::{mpsc, oneshot};

use crate::audit::chain::{AuditEvent, append_on};
use crate::error::{StoreError, StoreResult};

/// Records waiting to be written, at most.
const QUEUE: usize = 4096;
/// Records written in one transaction, at most.
const GROUP: usize = 256;

struct Pending {
    event: AuditEvent,
    written: oneshot::Sender<Result<(), String>>,
}

/// The writer of one store (started at its first record, on the runtime that writes it).
#[derive(Debug, Default)]
pub struct AuditWriter {
    queue: OnceLock<mpsc::Sender<Pending>>,
}

impl AuditWriter {
    /// Appends `event` with the next group; returns once it is committed.
    pub(crate) async fn append(&self, db: &DatabaseConnection, event: AuditEvent) -> StoreResult<()> {
        let queue = self.queue.get_or_init(|| {
            let (queue, waiting) = mpsc::channel(QUEUE);
            tokio::spawn(write_groups(db.clone(), waiting));
            queue
        });
        let (written, done) = oneshot::channel();
        let gone = || StoreError::Database(DbErr::Custom("the audit trail's writer has stopped".into()));
        queue.send(Pending { event, written }).await.map_err(|_| gone())?;
        match done.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(cause)) => Err(StoreError::Database(DbErr::Custom(cause))),
            Err(_) => Err(gone()),
        }
    }
}

/// Writes what waits, a group at a time, until every sender is gone.
async fn write_groups(db: DatabaseConnection, mut waiting: mpsc::Receiver<Pending>) {
    while let Some(first) = waiting.recv().await {
        let mut group = vec![first];
        while group.len() < GROUP {
            match waiting.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        let events: Vec<AuditEvent> = group.iter().map(|p| p.event.clone()).collect();
        let result = write_group(&db, &events).await.map_err(|e| e.to_string());
        for pending in group {
            let _ = pending.written.send(result.clone());
        }
    }
}

async fn write_group(db: &DatabaseConnection, events: &[AuditEvent]) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    append_on(&txn, events, Utc::now()).await.map_err(|e| DbErr::Custom(e.to_string()))?;
    txn.commit().await
}
