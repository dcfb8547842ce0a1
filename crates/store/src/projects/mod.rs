//! Projects, through one access-controlled handle.
//!
//! Every query of [`Projects`] is narrowed to what the actor may see (`visible`); every write
//! first asks the domain's [`Actor::decide`]. Writes of a whole declaration (the project row,
//! its fund items and indicators) happen in one transaction, and every change of an existing
//! project is a compare-and-set on (id, status, version): of two racing writers exactly one wins.
//! A project is an instance of the reviewed-form lifecycle (`form.rs`, `crate::lifecycle`).
//!
//! What the handle offers, by file (every file here is `impl Projects` for one job):
//! - reading: lists and their filter (`filter.rs`), projects and their parts (`reads.rs`), pages
//!   with their parts in one statement (`with_parts.rs`), summaries (`aggregates.rs`,
//!   `totals.rs`), the siblings the copied-indicator rule compares (`siblings.rs`,
//!   `department_year.rs`);
//! - declaring: a new project and an unsaved form's check (`create.rs`), a copy into another
//!   year (`copy.rs`), a declaration file (`import.rs`);
//! - editing: the whole form and deleting (`update.rs`), one row at a time (`rows.rs`);
//! - reviewing: the workflow's steps (`workflow.rs`, over `form.rs`, the project's instance of
//!   the reviewed-form lifecycle), the amendments a 良 approval carries (`amendments.rs`),
//!   remarks on rows (`remarks.rs`, `remark_rows.rs`).
//!
//! `insert.rs` writes a declaration's rows for all of them.

pub mod aggregates;
pub mod amendments;
mod copy;
mod create;
pub(crate) mod department_year;
mod filter;
pub(crate) mod form;
pub mod import;
pub(crate) mod insert;
mod reads;
pub(crate) mod remark_rows;
pub mod remarks;
pub mod rows;
mod siblings;
pub(crate) mod totals;
mod update;
pub mod with_parts;
mod workflow;
pub use workflow::Decision;
pub(crate) use workflow::department_reviews;

use jixiao_domain::Actor;
use sea_orm::{Condition, DatabaseConnection};

use create::unknown_unit;
use form::ensure_deletable;
use insert::{changed_columns, declaration_row, duplicate_name, insert_fund_items, insert_indicators};
pub(crate) use insert::{fund_item_row, indicator_row, stored_now};

pub use filter::{PageOf, ProjectFilter};
pub(crate) use form::{ProjectForm, cas, ensure_editable, ensure_version};
pub(crate) use insert::{insert_declaration, load_declaration};
pub use siblings::ProjectIndicatorNames;

use crate::error::StoreResult;
pub(crate) use crate::error::{allow, version_conflict};
use crate::indicator_names_cache::IndicatorNamesCache;
use crate::lifecycle::Commits;

pub struct Projects<'a> {
    db: &'a DatabaseConnection,
    /// What forms are compared with, kept between checks (`department_year.rs`).
    names: &'a IndicatorNamesCache,
    actor: Actor,
    max_creates_per_hour: u32,
    pub(crate) parts_together: bool,
    /// Counts the writes committed (`lifecycle/commit.rs`).
    commits: &'a Commits,
    /// What day it is for what is due (`overdue` in a filter).
    clock: &'a crate::Clock,
    /// Set when a read used who the caller is, beyond their class (`assignedToMe`).
    not_for_class: &'a std::sync::atomic::AtomicBool,
}

impl<'a> Projects<'a> {
    pub(crate) fn new(store: &'a crate::Store, actor: Actor) -> Self {
        Projects {
            db: &store.db,
            names: &store.names,
            actor,
            max_creates_per_hour: store.max_creates_per_hour,
            parts_together: store.parts_together,
            commits: &store.commits,
            clock: &store.clock,
            not_for_class: &store.not_for_class,
        }
    }

    pub(crate) fn names(&self) -> &IndicatorNamesCache {
        self.names
    }

    /// Commits a write of projects or their indicators (the lifecycle's commit, `lifecycle/commit.rs`),
    /// and forgets at once what forms are compared with: a form checked here after this write's
    /// answer sees the write.
    pub(crate) async fn commit(&self, txn: sea_orm::DatabaseTransaction) -> StoreResult<()> {
        self.commits.commit(txn).await?;
        self.names.forget();
        Ok(())
    }

    /// The projects this actor may see: not deleted, and within the actor's visibility.
    pub(crate) fn visible(&self) -> Condition {
        crate::lifecycle::visible::<ProjectForm>(&self.actor)
    }

    pub(crate) fn db(&self) -> &DatabaseConnection {
        self.db
    }

    pub(crate) fn actor(&self) -> Actor {
        self.actor
    }
}
