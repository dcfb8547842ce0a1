//! 绩效自评 in the database: one self-evaluation per approved project, scored against its targets
//! in force by `jixiao_domain::evaluation`, filled and submitted by the unit, accepted or returned
//! by the approvers. It is an instance of the reviewed-form lifecycle (`form.rs`) and lives by a
//! monitoring report's rules (`ReportStatus`, `Actor::decide_report`): the same people do the
//! same steps.
//!
//! What the [`Evaluations`] handle offers, by file: reading evaluations, their scores and history
//! (`reads.rs`), starting, filling and moving them (`writes.rs`), a year at a glance
//! (`summary.rs`); `scoring.rs` scores one against its declaration in force, and `rescore.rs`
//! scores them all again when the rules change.

pub(crate) mod form;
mod reads;
mod records;
mod rescore;
pub(crate) mod scoring;
mod summary;
pub(crate) mod writes;

use jixiao_domain::Actor;
use sea_orm::DatabaseConnection;

pub(crate) use records::Answers;
pub use records::{
    EvaluationChanges, EvaluationRecord, EvaluationReviewRecord, EvaluationScores, EvaluationSummary, StoredWeights,
};

use crate::lifecycle::Commits;

/// Self-evaluations, for one actor.
pub struct Evaluations<'a> {
    db: &'a DatabaseConnection,
    commits: &'a Commits,
    actor: Actor,
}

impl crate::Store {
    pub fn evaluations(&self, actor: Actor) -> Evaluations<'_> {
        Evaluations { db: &self.db, commits: &self.commits, actor }
    }
}
