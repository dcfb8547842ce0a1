//! One lifecycle for every form that lives the reviewed life: a project's declaration, a
//! monitoring report, a self-evaluation, and each form after them. Written once here:
//!
//! - **visibility in SQL** (`visibility.rs`): a form is seen as its project is (the actor's
//!   [`jixiao_domain::ProjectVisibility`]), its drafts by its own department only;
//! - **the permission decision** before every write ([`ReviewedForm::decide`], the domain's rule);
//! - **compare-and-set** on (id, status, version) (`compare_and_set.rs`): of two racing writers
//!   exactly one wins, the other gets VERSION_CONFLICT;
//! - **one review-history shape** (`history.rs`): a step's action, from and to statuses, actor,
//!   comment and time, each form in a table of its own;
//! - **commit hooks** (`commit.rs`): what a committed write makes others forget.
//!
//! A form is an instance: a type that implements [`ReviewedForm`] (its tables, columns, statuses
//! and rule), in the `form.rs` of its feature's folder. Which steps lead where and who may take
//! them stay in the domain, as they are for every form.

mod commit;
mod compare_and_set;
mod history;
mod steps;
mod visibility;

pub use commit::Commits;
pub(crate) use compare_and_set::{cas, compare_and_set};
pub use history::StepRecord;
pub(crate) use history::{Step, StepRow, steps_of, take_step, take_step_writing};
pub(crate) use steps::{StepRules, not_now, reviewed_step};
pub(crate) use visibility::{find_visible, visible};

use jixiao_domain::{Actor, Decision, FormAction, FormStatus};
use sea_orm::{Condition, DbErr, EntityTrait};

/// A column of the form's own table.
pub(crate) type FormColumn<F> = <<F as ReviewedForm>::Entity as EntityTrait>::Column;
/// A column of its history's table.
pub(crate) type HistoryColumn<F> = <<F as ReviewedForm>::History as EntityTrait>::Column;

/// A form's record as the lifecycle reads it: whose it is, where it stands, which version.
pub(crate) trait FormRecord {
    type Status: FormStatus;
    fn id(&self) -> i64;
    fn department_id(&self) -> i64;
    fn status(&self) -> Self::Status;
    fn version(&self) -> i32;
}

/// What a form tells the lifecycle about itself.
pub(crate) trait ReviewedForm: Sized + 'static {
    /// The form's own table, with the columns named below.
    type Entity: EntityTrait;
    /// Its history, one row per step.
    type History: EntityTrait;
    type Status: FormStatus;
    type Action: FormAction;
    type Record: FormRecord<Status = Self::Status>
        + TryFrom<<Self::Entity as EntityTrait>::Model, Error = DbErr>
        + Send
        + Sync;
    /// What a step records beyond the common shape (a project's grade; nothing for a report).
    type StepExtra;

    /// What a person calls one, in Chinese and English: ("监控表", "report").
    const NOUN: (&'static str, &'static str);
    const ID: FormColumn<Self>;
    const STATUS: FormColumn<Self>;
    const VERSION: FormColumn<Self>;
    const DEPARTMENT: FormColumn<Self>;
    const UPDATED_AT: FormColumn<Self>;
    const SUBMITTED_AT: FormColumn<Self>;
    /// The history's id (its order) and the column holding the form's id.
    const STEP_ID: HistoryColumn<Self>;
    const STEP_FORM: HistoryColumn<Self>;

    /// Rows that exist at all (a deleted project's row stays, and is no form anyone sees).
    fn live() -> Condition {
        Condition::all()
    }

    /// May `actor` take `action` on a form of `department_id` now in `status`? The domain's rule.
    fn decide(actor: &Actor, action: Self::Action, department_id: i64, status: Self::Status) -> Decision;

    /// The history row of `step`.
    fn step_row(step: &Step<'_, Self>, extra: Self::StepExtra) -> <Self::History as EntityTrait>::ActiveModel;
}

#[cfg(test)]
mod tests;
