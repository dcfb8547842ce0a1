//! 绩效运行监控 in the database: rounds (opened by admins), one report per approved project in
//! each, filled by the unit against the targets in force and reviewed by the approvers. A report
//! is an instance of the reviewed-form lifecycle (`form.rs`): every query goes through the actor's
//! visibility and every write through the permission rules, as projects do.
//!
//! What the [`Monitoring`] handle offers, by file: rounds (`rounds.rs`), reading reports and
//! their history (`reads.rs`), filling and moving them (`writes.rs`), a round at a glance
//! (`summary.rs`); `enrolment.rs` gives approved projects their reports.

mod enrolment;
pub(crate) mod form;
mod reads;
pub(crate) mod records;
mod rounds;
mod summary;
pub(crate) mod writes;

use jixiao_domain::Actor;
use sea_orm::DatabaseConnection;

pub(crate) use enrolment::{enroll, figures, rounds_of_year};
pub use records::{NewRound, ReportChanges, ReportFilter, ReportRecord, ReportReviewRecord, RoundRecord, RoundSummary};
pub(crate) use writes::{fill, lacks};

use crate::lifecycle::Commits;

/// Monitoring, for one actor.
pub struct Monitoring<'a> {
    db: &'a DatabaseConnection,
    commits: &'a Commits,
    actor: Actor,
    clock: &'a crate::Clock,
}

impl crate::Store {
    pub fn monitoring(&self, actor: Actor) -> Monitoring<'_> {
        Monitoring { db: &self.db, commits: &self.commits, actor, clock: &self.clock }
    }
}
