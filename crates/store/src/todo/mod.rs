//! 待办 and deadlines in the database: the year's deadlines and their changes (`deadlines.rs`),
//! what waits for the caller and how many of each kind (`items.rs`, one statement each, built
//! by `waiting.rs` from the forms' own statuses), and the bureau's overdue counts per department
//! and stage (`overdue.rs`). Which kinds wait for whom and when a thing is late are the domain's
//! (`todo.rs`).

mod deadlines;
mod items;
mod overdue;
mod waiting;

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_domain::Actor;
use jixiao_domain::todo::{DeadlineStage, TodoKind};
use sea_orm::DatabaseConnection;

pub use deadlines::{DeadlineChange, DeadlineRecord, MAX_CHANGES_LISTED};
pub use items::{TodoCursor, TodoPage};
pub use overdue::OverdueCount;
pub(crate) use waiting::project_is_overdue;

use crate::Clock;
use crate::lifecycle::Commits;

/// The to-do list and the deadlines, for one actor.
pub struct Todo<'a> {
    db: &'a DatabaseConnection,
    commits: &'a Commits,
    clock: &'a Clock,
    actor: Actor,
    /// Set when a read used who the caller is (an approver's assigned departments first).
    not_for_class: &'a std::sync::atomic::AtomicBool,
}

impl crate::Store {
    pub fn todo(&self, actor: Actor) -> Todo<'_> {
        let not_for_class = &self.not_for_class;
        Todo { db: &self.db, commits: &self.commits, clock: &self.clock, actor, not_for_class }
    }
}

impl Todo<'_> {
    /// Today in China by the store's clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }
}

/// One thing waiting for the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TodoItem {
    pub kind: TodoKind,
    /// The id of what waits: a project, a monitoring report, a self-evaluation, a rectification
    /// item, or (for PUBLISH) the issuing act.
    pub object_id: i64,
    /// The project it concerns (none for PUBLISH, which concerns a department's year).
    pub project_id: Option<i64>,
    pub department_id: i64,
    pub fiscal_year: i32,
    /// Since when it waits: made, sent back, submitted, opened or issued.
    pub since: DateTime<Utc>,
    pub deadline: Option<NaiveDate>,
    pub overdue: bool,
    /// Why it was sent back or reopened, for an item that answers a return.
    pub reason: Option<String>,
    /// Remarks not answered yet (ANSWER_REMARKS).
    pub open_remarks: i64,
    /// For approvers: of a department assigned to them (or they have no assignment).
    pub assigned: bool,
}

impl TodoItem {
    pub fn stage(&self) -> Option<DeadlineStage> {
        self.kind.stage()
    }
}

/// How many items of one kind wait, and how many of them are overdue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TodoCount {
    pub kind: TodoKind,
    pub count: i64,
    pub overdue: i64,
}
