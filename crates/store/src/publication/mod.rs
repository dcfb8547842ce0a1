//! 批复下达 and 绩效公开 in the database: the acts that issue a department's approved projects
//! (`issuing.rs`), the department's publication of them (`published.rs`), and the public table
//! as it may be posted (`public_table.rs`). The rules (who may, the due date, the wording) are
//! the domain's (`approval.rs`, `publication.rs`).

mod issuing;
mod public_table;
mod published;

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_domain::Actor;
use sea_orm::DatabaseConnection;

pub use public_table::{PublicGoals, PublicProject, PublicTable};

use crate::entity::{approval_issue, publication};
use crate::lifecycle::Commits;

/// Issuing and publication, for one actor.
pub struct Publication<'a> {
    db: &'a DatabaseConnection,
    commits: &'a Commits,
    actor: Actor,
    /// What day it is for the due date (`clock.rs`).
    clock: &'a crate::Clock,
}

impl crate::Store {
    pub fn publication(&self, actor: Actor) -> Publication<'_> {
        Publication { db: &self.db, commits: &self.commits, actor, clock: &self.clock }
    }
}

/// One issuing act (批复下达) of a department's year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueRecord {
    pub id: i64,
    pub department_id: i64,
    pub fiscal_year: i32,
    /// 批复文号
    pub document_no: String,
    pub issued_on: NaiveDate,
    pub issued_by: i64,
    pub issued_at: DateTime<Utc>,
}

impl From<approval_issue::Model> for IssueRecord {
    fn from(m: approval_issue::Model) -> IssueRecord {
        IssueRecord {
            id: m.id,
            department_id: m.department_id,
            fiscal_year: m.fiscal_year,
            document_no: m.document_no,
            issued_on: m.issued_on,
            issued_by: m.issued_by,
            issued_at: m.issued_at,
        }
    }
}

/// Where a department's year stands: its acts, when it must publish, whether it has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicationStatus {
    pub department_id: i64,
    pub fiscal_year: i32,
    /// The date of the year's first act, from which the twenty days run.
    pub first_issued_on: NaiveDate,
    pub acts: i64,
    pub due_on: NaiveDate,
    pub published: Option<publication::Model>,
    /// Not published by the due date (today in China, for one not published yet).
    pub overdue: bool,
    /// Published, and approved or issued again since: the public table says more than what was
    /// posted (an adjustment approved, or an act issued, after the publication).
    pub stale: bool,
}

/// Tells subscribers on every instance that the issued projects of a department's year were
/// issued (`issue`, those of act `act` only) or published (`publish`): one notice per project on
/// `jixiao_events`, sent by PostgreSQL when the transaction commits. SQLite has no notifications;
/// its poll hears steps and edits, not these.
async fn announce<C: sea_orm::ConnectionTrait>(
    conn: &C,
    kind: &str,
    department_id: i64,
    fiscal_year: i32,
    act: Option<i64>,
) -> Result<(), sea_orm::DbErr> {
    if conn.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    let sql = "SELECT pg_notify($1, $2 || ':' || id) FROM projects
               WHERE department_id = $3 AND fiscal_year = $4 AND deleted_at IS NULL
                 AND approval_issue_id IS NOT NULL AND ($5::BIGINT IS NULL OR approval_issue_id = $5)";
    let values = [crate::events::CHANNEL.into(), kind.into(), department_id.into(), fiscal_year.into(), act.into()];
    conn.query_all_raw(sea_orm::Statement::from_sql_and_values(sea_orm::DatabaseBackend::Postgres, sql, values))
        .await?;
    Ok(())
}

impl Publication<'_> {
    fn follows(&self, department_id: i64) -> bool {
        self.actor.follows_department(department_id)
    }
}
