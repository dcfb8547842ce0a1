//! Persistence for Jixiao on SeaORM: PostgreSQL in production and tests, SQLite as the
//! embedded default, one code path for both.
//!
//! Everything that reads or writes projects goes through [`Projects`], a handle that
//! [`Store::projects`] hands out for one [`Actor`]: it applies the actor's visibility to every
//! query and asks the domain's permission rules before every write, so no caller can forget to.

pub mod audit;
mod cache_listener;
mod children;
pub mod clock;
pub mod data_changes;
pub mod department_goals;
pub mod entity;
pub mod error;
pub mod evaluations;
pub mod events;
pub mod findings;
pub mod indicator_names_cache;
pub mod library;
pub mod lifecycle;
pub mod login_throttle;
pub mod metrics;
pub mod monitoring;
pub mod ordering;
pub mod organization;
mod pool;
pub mod projects;
pub mod publication;
pub mod record;
pub mod replicas;
pub mod results;
mod row_lock;
pub mod row_owner;
mod scope;
pub mod snapshots;
pub mod todo;
pub mod trusted_documents;
pub mod user_cache;

use jixiao_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait};

pub use audit::chain::{AuditEvent, AuditRecord, AuditVerdict, BrokenLink};
pub use audit::trail::{AuditFilter, AuditTrail};
pub use clock::Clock;
pub use error::{StoreError, StoreResult};
pub use ordering::{Keyset, ProjectOrder, ProjectOrderField, SortKey};
pub use organization::user_admin::{UserChanges, UserFilter};
pub use organization::{Admin, NewUser};
pub use pool::Pooler;
use pool::{Lazily, open_pool};
pub use projects::aggregates::{FindingTotal, Summary};
pub use projects::import::ImportReport;
pub use projects::remarks::RemarkRecord;
pub use projects::rows::{FormRow, RowEdit, RowEdited, RowTarget};
pub use projects::with_parts::{Parts, ProjectWithParts};
pub use projects::{PageOf, ProjectFilter, ProjectIndicatorNames, Projects};
pub use record::{ProjectRecord, ReviewRecord, Row};
pub use scope::Scope;
pub use snapshots::{IdentifiedDeclaration, SnapshotRecord};

pub use entity::budget_unit::Model as BudgetUnit;
pub use entity::department::Model as Department;
pub use entity::user::Model as User;

#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
    metrics: std::sync::Arc<metrics::StoreMetrics>,
    /// Projects one user may create per hour through [`Projects::create`].
    max_creates_per_hour: u32,
    /// The callers' users, kept while a listener keeps them current (`user_cache.rs`).
    users: std::sync::Arc<user_cache::UserCache>,
    /// The projects forms are compared with, kept while a listener keeps them current
    /// (`indicator_names_cache.rs`).
    names: std::sync::Arc<indicator_names_cache::IndicatorNamesCache>,
    /// Where to listen for user changes and events (PostgreSQL only).
    listen_url: Option<String>,
    /// What happens, for subscribers (`events.rs`).
    events: std::sync::Arc<events::EventHub>,
    /// Whether a page of projects is read with its parts in one statement (`with_parts.rs`).
    parts_together: bool,
    /// Writes the audit trail's records in groups (`audit/writer.rs`), one writer per store.
    audit_writer: std::sync::Arc<audit::writer::AuditWriter>,
    /// The writes committed through this store's handles (each scope counts its own).
    commits: std::sync::Arc<lifecycle::Commits>,
    /// What day it is for deadlines (`clock.rs`).
    clock: Clock,
    /// How the pools reach PostgreSQL (`pool.rs`).
    pooler: Pooler,
    /// When anything a read reads last changed, as this instance heard (`data_changes.rs`).
    changes: std::sync::Arc<data_changes::DataChanges>,
    /// Whether a read through this store's scope used who the caller is, beyond their class
    /// (each scope has its own; `Scope::answer_is_for_class`).
    not_for_class: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Store {
    /// Connects to `postgres://…` or `sqlite://…`.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Store, DbErr> {
        Store::connect_through(url, max_connections, Pooler::Direct).await
    }

    /// Connects to `postgres://…` or `sqlite://…`, directly or through a transaction pooler
    /// (`pool.rs`).
    pub async fn connect_through(url: &str, max_connections: u32, pooler: Pooler) -> Result<Store, DbErr> {
        let sqlite = url.starts_with("sqlite:");
        let metrics = std::sync::Arc::new(metrics::StoreMetrics::default());
        let db = open_pool(url, max_connections, &metrics, pooler, Lazily::No).await?;
        let listen_url = (!sqlite).then(|| url.to_string());
        Ok(Store {
            db,
            metrics,
            max_creates_per_hour: u32::MAX,
            users: Default::default(),
            names: Default::default(),
            listen_url,
            events: Default::default(),
            parts_together: true,
            audit_writer: Default::default(),
            commits: Default::default(),
            clock: Clock::System,
            pooler,
            changes: Default::default(),
            not_for_class: Default::default(),
        })
    }

    /// The same store (its users and compared projects kept, its events, its statement counts,
    /// its limits) over a PostgreSQL pool of its own, opened on the runtime this is awaited on.
    /// A connection's socket answers to the runtime that opened it, so requests answered on
    /// another runtime than the main pool's (the HTTP runtime's form checks, `http.rs`) use this
    /// one, and no statement's answer wakes a thread of the other runtime. On SQLite, whose one
    /// connection keeps our own transactions apart, the same pool.
    pub async fn with_pool_here(&self, max_connections: u32) -> Result<Store, DbErr> {
        let Some(url) = &self.listen_url else { return Ok(self.clone()) };
        let db = open_pool(url, max_connections, &self.metrics, self.pooler, Lazily::No).await?;
        Ok(Store { db, ..self.clone() })
    }

    /// The same store (its events, its statement counts, its limits) reading from a streaming
    /// replica at `url`: a pool of its own, opened lazily (a replica that is down when this is
    /// made is tried again at each use), and no caches (`replicas/mod.rs` says why).
    pub async fn over_replica(&self, url: &str, max_connections: u32) -> Result<Store, DbErr> {
        let db = open_pool(url, max_connections, &self.metrics, self.pooler, Lazily::Yes).await?;
        Ok(Store {
            db,
            users: Default::default(),
            names: Default::default(),
            listen_url: None,
            changes: Default::default(),
            ..self.clone()
        })
    }

    /// Listens for changes at `url` instead of the pool's own address: behind a transaction
    /// pooler (PgBouncer), which cannot hold a LISTEN, this is a direct connection to the
    /// primary (JIXIAO_LISTEN_DATABASE_URL). Set before anything starts listening.
    pub fn listen_at(mut self, url: Option<String>) -> Store {
        if self.listen_url.is_some() && url.is_some() {
            self.listen_url = url;
        }
        self
    }

    /// Limits how many projects one user may create per hour (the service sets it; the command
    /// line's import is not limited); `None`: no limit, and creations are not counted.
    pub fn limit_creations_per_hour(mut self, per_hour: Option<u32>) -> Store {
        self.max_creates_per_hour = per_hour.unwrap_or(u32::MAX);
        self
    }

    /// Whether pages of projects are read with their parts in one statement (the default, on
    /// PostgreSQL) or with one statement per part (as on SQLite). The answers are the same; this
    /// is for comparing the two and as an escape hatch.
    pub fn read_parts_together(mut self, together: bool) -> Store {
        self.parts_together = together;
        self
    }

    /// Reads the time from `clock` for what is due (tests move it; see `clock.rs`).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// How far behind a subscriber may fall before it is dropped (set before `start_events`).
    pub fn buffer_events(mut self, events: usize) -> Store {
        self.events = std::sync::Arc::new(events::EventHub::holding(events));
        self
    }

    /// Starts hearing what happens (once; the service does, for its subscribers): a listener on
    /// PostgreSQL, polling on SQLite.
    pub fn start_events(&self) {
        events::EventHub::start(self.events.clone(), self.db.clone(), self.listen_url.clone());
    }

    /// The ids of users changed from now on, on any instance (PostgreSQL only).
    pub fn user_changes(&self) -> tokio::sync::broadcast::Receiver<i64> {
        self.events.user_changes()
    }

    /// When anything a read may read last changed, as this instance heard (`data_changes.rs`).
    pub fn data_changes(&self) -> &data_changes::DataChanges {
        &self.changes
    }

    /// Whether this instance hears events now (`/metrics`).
    pub fn events_listening(&self) -> bool {
        self.events.listening()
    }

    /// How many notices of changes this instance has handled (`/metrics`).
    pub fn events_heard(&self) -> u64 {
        self.events.heard()
    }

    /// What happens from now on, as this instance hears it (a bounded buffer: see `events.rs`).
    pub fn events(&self) -> tokio::sync::broadcast::Receiver<std::sync::Arc<events::Event>> {
        self.events.subscribe()
    }

    /// Statements run so far (every instance counts its own).
    pub fn statement_counts(&self) -> metrics::StatementCounts {
        self.metrics.snapshot()
    }

    /// Connections in the pool and idle ones, where the driver tells.
    pub fn pool_state(&self) -> Option<(u32, usize)> {
        match &self.db.inner {
            sea_orm::DatabaseConnectionType::SqlxPostgresPoolConnection(_) => {
                let pool = self.db.get_postgres_connection_pool();
                Some((pool.size(), pool.num_idle()))
            }
            _ => None,
        }
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Applies every pending migration; returns how many ran. Safe to run twice, and from
    /// several instances at once: on PostgreSQL the whole run holds an advisory lock inside one
    /// transaction, so a second instance waits, then finds nothing left to do.
    pub async fn migrate(&self) -> Result<usize, DbErr> {
        if self.backend() != DbBackend::Postgres {
            let pending = Migrator::get_pending_migrations(&self.db).await?.len();
            Migrator::up(&self.db, None).await?;
            return Ok(pending);
        }
        let txn = self.db.begin().await?;
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(2023052901)").await?;
        let pending = Migrator::get_pending_migrations(&txn).await?.len();
        Migrator::up(&txn, None).await?;
        txn.commit().await?;
        Ok(pending)
    }

    /// How many migration steps the schema has in all.
    pub fn migration_count() -> usize {
        Migrator::migrations().len()
    }

    /// Whether migrations are pending (for readiness).
    pub async fn pending_migrations(&self) -> Result<usize, DbErr> {
        Ok(Migrator::get_pending_migrations(&self.db).await?.len())
    }

    pub async fn ping(&self) -> Result<(), DbErr> {
        self.db.ping().await
    }

    /// The access-controlled handle through which `actor` reads and writes projects.
    pub fn projects(&self, actor: jixiao_domain::Actor) -> Projects<'_> {
        Projects::new(self, actor)
    }
}
