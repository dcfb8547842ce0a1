//! Read replicas: streaming standbys of the primary that take reads off it, without anyone ever
//! reading behind their own writes.
//!
//! - **Where a read goes** ([`ReplicaSet::route`]): to a replica that answers, whose lag is within
//!   the bound (`lag.rs`: the time since the newest primary state it is known to hold) and that
//!   has replayed the caller's last write (`positions.rs`); otherwise to the primary. Several
//!   usable replicas take turns.
//! - **Read-your-writes on every instance**: after a mutation the primary's log position is read
//!   and announced in the same statement (`NOTIFY jixiao_writes`); every instance, this one
//!   included, remembers it for the writer. While an instance cannot hear those notices it reads
//!   everything from the primary, since it would not know who just wrote elsewhere.
//! - **Coming and going by themselves**: every replica is asked its replayed position at each
//!   probe (`probe.rs`); one that does not answer, or lags beyond the bound, is skipped until it
//!   answers and catches up. A read that fails on a replica is run again on the primary by the
//!   caller ([`ReplicaSet::failed`] marks the replica down until its next good probe).
//!
//! A replica's store keeps no caches of its own (they are kept current by the primary's notices,
//! which a replica may not have replayed yet); it shares everything else with the primary's.

mod lag;
mod lsn;
mod positions;
mod probe;

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DbErr, Statement};

pub use lsn::Lsn;

use crate::Store;

/// The channel on which every instance announces a user's write and where it ended.
pub(crate) const CHANNEL: &str = "jixiao_writes";

/// The replicas of one deployment, as this instance sees them.
#[derive(Debug)]
pub struct ReplicaSet {
    primary: Store,
    replicas: Vec<Replica>,
    max_lag: Duration,
    probe_every: Duration,
    positions: Mutex<positions::WritePositions>,
    readings: Mutex<lag::PrimaryReadings>,
    /// Whether this instance hears other instances' writes (`jixiao_writes`).
    hearing: AtomicBool,
    next: AtomicUsize,
    reads_on_primary: AtomicU64,
    fallbacks: AtomicU64,
}

#[derive(Debug)]
struct Replica {
    label: String,
    store: Store,
    health: Mutex<Health>,
    reads: AtomicU64,
}

#[derive(Clone, Copy, Debug, Default)]
struct Health {
    answering: bool,
    replayed: Option<Lsn>,
    lag: Option<Duration>,
}

/// Where a read runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFrom {
    Primary,
    Replica(usize),
}

/// One replica's state, for `/readyz` and `/metrics`.
#[derive(Clone, Debug)]
pub struct ReplicaState {
    /// Host, port and database (never the credentials).
    pub label: String,
    pub answering: bool,
    /// The time since the newest primary state it holds; `None` when further behind than
    /// remembered, or not answering.
    pub lag: Option<Duration>,
    /// Whether reads may go there now (answering and within the bound).
    pub in_use: bool,
    pub reads: u64,
}

impl ReplicaSet {
    /// Opens a pool on each replica (lazily: a replica that is down when the service starts is
    /// skipped until it answers). Call [`ReplicaSet::start`] on the runtime that serves requests.
    pub async fn new(
        primary: &Store,
        urls: &[String],
        max_lag: Duration,
        probe_every: Duration,
        max_connections: u32,
    ) -> crate::StoreResult<ReplicaSet> {
        let mut replicas = Vec::with_capacity(urls.len());
        for url in urls {
            replicas.push(Replica {
                label: label_of(url),
                store: primary.over_replica(url, max_connections).await?,
                health: Mutex::default(),
                reads: AtomicU64::new(0),
            });
        }
        Ok(ReplicaSet {
            primary: primary.clone(),
            replicas,
            max_lag,
            probe_every,
            positions: Mutex::default(),
            readings: Mutex::default(),
            hearing: AtomicBool::new(false),
            next: AtomicUsize::new(0),
            reads_on_primary: AtomicU64::new(0),
            fallbacks: AtomicU64::new(0),
        })
    }

    /// Starts probing the replicas and hearing every instance's writes, for as long as the
    /// runtime runs.
    pub fn start(self: &Arc<Self>) {
        tokio::spawn(probe::keep_probing(self.clone()));
        if let Some(url) = self.primary.listen_url.clone() {
            tokio::spawn(probe::keep_hearing_writes(self.clone(), url));
        }
    }

    /// Where `user`'s next read runs, and the store to run it with.
    pub fn route(&self, user: Option<i64>) -> (ReadFrom, &Store) {
        if let Some(index) = self.usable_for(user) {
            self.replicas[index].reads.fetch_add(1, Ordering::Relaxed);
            return (ReadFrom::Replica(index), &self.replicas[index].store);
        }
        self.reads_on_primary.fetch_add(1, Ordering::Relaxed);
        (ReadFrom::Primary, &self.primary)
    }

    fn usable_for(&self, user: Option<i64>) -> Option<usize> {
        if self.replicas.is_empty() || !self.hearing.load(Ordering::Acquire) {
            return None;
        }
        let needed = lock(&self.positions).needed_by(user);
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        (0..self.replicas.len()).map(|k| (start + k) % self.replicas.len()).find(|&index| {
            let health = *lock(&self.replicas[index].health);
            self.within_bound(&health) && needed.is_none_or(|lsn| health.replayed.is_some_and(|r| r >= lsn))
        })
    }

    fn within_bound(&self, health: &Health) -> bool {
        health.answering && health.lag.is_some_and(|lag| lag <= self.max_lag)
    }

    /// `user` has just written on the primary: remembers where the primary's log stands (on
    /// every instance), so their next reads wait for a replica that has replayed it. One
    /// statement; without replicas nothing is done.
    pub async fn wrote(&self, user: i64) -> Result<(), DbErr> {
        if self.replicas.is_empty() {
            return Ok(());
        }
        let db = self.primary.connection();
        // The insert position, not the write position: with `synchronous_commit = off` a commit
        // can return before its record is written, and the insert position is past it anyway.
        let statement = Statement::from_sql_and_values(
            db.get_database_backend(),
            format!(
                "SELECT pg_current_wal_insert_lsn()::text AS at, \
                 pg_notify('{CHANNEL}', $1 || ' ' || pg_current_wal_insert_lsn()::text)"
            ),
            [user.to_string().into()],
        );
        let row = db.query_one_raw(statement).await?;
        let at = row.and_then(|r| r.try_get::<String>("", "at").ok()).and_then(|t| Lsn::parse(&t));
        if let Some(at) = at {
            lock(&self.positions).wrote(user, at, Instant::now());
        }
        Ok(())
    }

    /// A read on replica `index` failed for want of the replica (the caller runs it again on the
    /// primary): it is skipped until its next good probe.
    pub fn failed(&self, index: usize) {
        self.fallbacks.fetch_add(1, Ordering::Relaxed);
        if let Some(replica) = self.replicas.get(index) {
            lock(&replica.health).answering = false;
        }
    }

    pub fn states(&self) -> Vec<ReplicaState> {
        self.replicas
            .iter()
            .map(|replica| {
                let health = *lock(&replica.health);
                ReplicaState {
                    label: replica.label.clone(),
                    answering: health.answering,
                    lag: health.lag.filter(|_| health.answering),
                    in_use: self.within_bound(&health) && self.hearing.load(Ordering::Acquire),
                    reads: replica.reads.load(Ordering::Relaxed),
                }
            })
            .collect()
    }

    /// Reads sent to the primary (no replica usable for them), and reads run again there after
    /// a replica failed them.
    pub fn reads_on_primary(&self) -> (u64, u64) {
        (self.reads_on_primary.load(Ordering::Relaxed), self.fallbacks.load(Ordering::Relaxed))
    }

    /// Users whose last write this instance remembers (bounded by `positions::MAX_USERS`).
    pub fn remembered_writers(&self) -> usize {
        lock(&self.positions).len()
    }

    /// How long a remembered position or primary reading is worth keeping: past this, any
    /// replica within the bound holds it.
    fn memory(&self) -> Duration {
        self.max_lag + self.probe_every * 4 + Duration::from_secs(1)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `postgres://user:secret@host:port/db?x=y` → `host:port/db`: what logs and metrics may show.
fn label_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    rest.split('?').next().unwrap_or(rest).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_replica_is_named_without_its_credentials() {
        assert_eq!(super::label_of("postgres://u:p%40ss@db2:5433/jixiao?sslmode=require"), "db2:5433/jixiao");
        assert_eq!(super::label_of("postgres://db3/jixiao"), "db3/jixiao");
    }
}
