//! A rectification item as an instance of the reviewed-form lifecycle: compare-and-set on each
//! step, the step kept in its history, the domain's rule deciding who may take it.

use jixiao_domain::rectification::RectificationAction;
use jixiao_domain::results::RectificationStatus;

use super::records::ItemRecord;
use crate::entity::{rectification_item as item, rectification_item_step as step};
use crate::lifecycle::{FormRecord, ReviewedForm, Step};

/// Rectification items.
pub(crate) struct RectificationForm;

impl ReviewedForm for RectificationForm {
    type Entity = item::Entity;
    type History = step::Entity;
    type Status = RectificationStatus;
    type Action = RectificationAction;
    type Record = ItemRecord;
    type StepExtra = ();

    const NOUN: (&'static str, &'static str) = ("整改事项", "rectification item");
    const ID: item::Column = item::Column::Id;
    const STATUS: item::Column = item::Column::Status;
    const VERSION: item::Column = item::Column::Version;
    const DEPARTMENT: item::Column = item::Column::DepartmentId;
    const UPDATED_AT: item::Column = item::Column::UpdatedAt;
    const SUBMITTED_AT: item::Column = item::Column::SubmittedAt;
    const STEP_ID: step::Column = step::Column::Id;
    const STEP_FORM: step::Column = step::Column::ItemId;

    fn decide(
        actor: &jixiao_domain::Actor,
        action: RectificationAction,
        department_id: i64,
        _: RectificationStatus,
    ) -> jixiao_domain::Decision {
        actor.decide_rectification(action, department_id)
    }

    fn step_row(step: &Step<'_, Self>, (): ()) -> step::ActiveModel {
        step::ActiveModel::of_step(step)
    }
}

impl FormRecord for ItemRecord {
    type Status = RectificationStatus;
    fn id(&self) -> i64 {
        self.id
    }
    fn department_id(&self) -> i64 {
        self.department_id
    }
    fn status(&self) -> RectificationStatus {
        self.status
    }
    fn version(&self) -> i32 {
        self.version
    }
}
