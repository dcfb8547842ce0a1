//! A department's overall goals as an instance of the reviewed-form lifecycle. It lives a
//! project's life: the same statuses and steps (`jixiao_domain::workflow`) and the same people
//! deciding them (`Actor::decide`: the department's submitters declare, submit, withdraw and
//! adjust; its reviewer passes on or sends back; the bureau's approvers approve or send back).

use jixiao_domain::{Actor, Decision, ReviewAction, Status};

use super::records::DepartmentGoalsRecord;
use crate::entity::{department_goal as goals, department_goal_review as step};
use crate::lifecycle::{FormRecord, ReviewedForm, Step};

pub(crate) struct DepartmentGoalsForm;

impl ReviewedForm for DepartmentGoalsForm {
    type Entity = goals::Entity;
    type History = step::Entity;
    type Status = Status;
    type Action = ReviewAction;
    type Record = DepartmentGoalsRecord;
    type StepExtra = ();

    const NOUN: (&'static str, &'static str) = ("部门整体绩效目标", "department-wide goals");
    const ID: goals::Column = goals::Column::Id;
    const STATUS: goals::Column = goals::Column::Status;
    const VERSION: goals::Column = goals::Column::Version;
    const DEPARTMENT: goals::Column = goals::Column::DepartmentId;
    const UPDATED_AT: goals::Column = goals::Column::UpdatedAt;
    const SUBMITTED_AT: goals::Column = goals::Column::SubmittedAt;
    const STEP_ID: step::Column = step::Column::Id;
    const STEP_FORM: step::Column = step::Column::FormId;

    fn decide(actor: &Actor, action: ReviewAction, department_id: i64, status: Status) -> Decision {
        actor.decide(action.into(), department_id, status)
    }

    fn step_row(step: &Step<'_, Self>, (): ()) -> step::ActiveModel {
        step::ActiveModel::of_step(step)
    }
}

impl FormRecord for DepartmentGoalsRecord {
    type Status = Status;
    fn id(&self) -> i64 {
        self.id
    }
    fn department_id(&self) -> i64 {
        self.department_id
    }
    fn status(&self) -> Status {
        self.status
    }
    fn version(&self) -> i32 {
        self.version
    }
}
