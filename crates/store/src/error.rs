//! The one error type of the store. User-fixable problems travel as `Rejected`; database
//! failures as `Database`, whose text is logged by the gateway and never sent to a client.

use jixiao_domain::{Decision, Message, Problem, ProblemCode};
use sea_orm::{DbErr, RuntimeErr, SqlErr, sqlx};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing does not exist, or the actor may not know that it does.
    #[error("not found")]
    NotFound,
    /// The actor can see the thing but may not do this to it.
    #[error("forbidden: {0}")]
    Forbidden(Message),
    /// Problems the user can fix, each with its field and code.
    #[error("rejected: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Rejected(Vec<Problem>),
    /// Too many of these too quickly; the message says what and when to try again.
    #[error("rate limited: {0}")]
    RateLimited(Message),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl StoreError {
    pub fn problem(field: &str, code: ProblemCode, message: Message) -> StoreError {
        StoreError::Rejected(vec![Problem::new(field, code, message)])
    }

    /// The database could not be reached, or went away in the middle of the work (no connection
    /// could be made or had from the pool; the connection broke; the server is shutting down or
    /// starting up): worth retrying later, unlike every other failure. A transaction cut off
    /// this way was rolled back by the server.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(DbErr::Conn(_) | DbErr::ConnectionAcquire(_)) => true,
            StoreError::Database(DbErr::Exec(e) | DbErr::Query(e)) => connection_lost(e),
            _ => false,
        }
    }

    /// Turns a violation of `key` into an ALREADY_EXISTS problem on its field; any other
    /// database error (another key's violation included) stays a database error.
    pub fn unique_as(key: UniqueKey, message: Message) -> impl FnOnce(DbErr) -> StoreError {
        move |e| {
            if key.is_violated_by(&e) {
                StoreError::problem(key.field(), ProblemCode::AlreadyExists, message)
            } else {
                StoreError::Database(e)
            }
        }
    }
}

/// The unique keys whose violation is the user's to fix, each reported on its own field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UniqueKey {
    Username,
    DepartmentCode,
    BudgetUnitCode,
    /// One live project of a name per department and year.
    ProjectName,
    /// One monitoring round of a name per year.
    MonitoringRoundName,
}

impl UniqueKey {
    pub const fn field(self) -> &'static str {
        match self {
            UniqueKey::Username => "username",
            UniqueKey::DepartmentCode | UniqueKey::BudgetUnitCode => "code",
            UniqueKey::ProjectName | UniqueKey::MonitoringRoundName => "name",
        }
    }

    /// The constraint's name as the migrations make it (PostgreSQL reports it).
    const fn constraint(self) -> &'static str {
        match self {
            UniqueKey::Username => "users_username_key",
            UniqueKey::DepartmentCode => "departments_code_key",
            UniqueKey::BudgetUnitCode => "budget_units_code_key",
            UniqueKey::ProjectName => "projects_department_year_name",
            UniqueKey::MonitoringRoundName => "monitoring_rounds_name",
        }
    }

    /// The columns as SQLite reports them ("UNIQUE constraint failed: <columns>").
    const fn sqlite_columns(self) -> &'static str {
        match self {
            UniqueKey::Username => "users.username",
            UniqueKey::DepartmentCode => "departments.code",
            UniqueKey::BudgetUnitCode => "budget_units.code",
            UniqueKey::ProjectName => "projects.department_id, projects.fiscal_year, projects.name",
            UniqueKey::MonitoringRoundName => "monitoring_rounds.fiscal_year, monitoring_rounds.name",
        }
    }

    fn is_violated_by(self, e: &DbErr) -> bool {
        if !matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
            return false;
        }
        let (DbErr::Exec(RuntimeErr::SqlxError(inner)) | DbErr::Query(RuntimeErr::SqlxError(inner))) = e else {
            return false;
        };
        let sqlx::Error::Database(db) = &**inner else { return false };
        match db.constraint() {
            Some(name) => name == self.constraint(),
            None => db.message().ends_with(self.sqlite_columns()),
        }
    }
}

/// Whether a statement failed because its connection did: broken I/O, or PostgreSQL's classes
/// 08 (connection exception) and 57P01–57P03 (shutting down, crashed, not yet accepting).
fn connection_lost(e: &RuntimeErr) -> bool {
    let RuntimeErr::SqlxError(e) = e else { return false };
    match &**e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            db.code().is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03"))
        }
        _ => false,
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The permission rules' answer as a store outcome: NOT_FOUND for what the actor may not see,
/// FORBIDDEN for what they may not do.
pub(crate) fn allow(decision: Decision) -> StoreResult<()> {
    match decision {
        Decision::Allow => Ok(()),
        Decision::Forbidden(why) => Err(StoreError::Forbidden(why)),
        Decision::NotFound => Err(StoreError::NotFound),
    }
}

/// The row changed since the version the client loaded.
pub(crate) fn version_conflict() -> StoreError {
    StoreError::problem(
        "expectedVersion",
        ProblemCode::VersionConflict,
        Message::new(
            "项目在您打开之后已被修改：请刷新，重新修改后再保存",
            "the project was changed since you loaded it; reload it, reapply your changes and save again",
        ),
    )
}
