//! A project as an instance of the reviewed-form lifecycle, and the checks every write of one makes.

use jixiao_domain::{Actor, Message, ProblemCode, ReviewAction, Status};
use jixiao_domain::{CriteriaScores, Grading};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition,
};

use crate::entity::{project, review};
use crate::error::version_conflict;
use crate::error::{StoreError, StoreResult};
use crate::lifecycle::{FormRecord, ReviewedForm, Step};
use crate::record::ProjectRecord;
use jixiao_domain::Decision;

/// Projects: declared by the unit, reviewed by the department (where it reviews) and the bureau.
pub(crate) struct ProjectForm;

impl ReviewedForm for ProjectForm {
    type Entity = project::Entity;
    type History = review::Entity;
    type Status = Status;
    type Action = ReviewAction;
    type Record = ProjectRecord;
    /// The grade given with a decision, and its criteria's scores.
    type StepExtra = Option<Grading>;

    const NOUN: (&'static str, &'static str) = ("项目", "project");
    const ID: project::Column = project::Column::Id;
    const STATUS: project::Column = project::Column::Status;
    const VERSION: project::Column = project::Column::Version;
    const DEPARTMENT: project::Column = project::Column::DepartmentId;
    const UPDATED_AT: project::Column = project::Column::UpdatedAt;
    const SUBMITTED_AT: project::Column = project::Column::SubmittedAt;
    const STEP_ID: review::Column = review::Column::Id;
    const STEP_FORM: review::Column = review::Column::ProjectId;

    /// A deleted project's row stays (its history with it) and is no form anyone sees.
    fn live() -> Condition {
        Condition::all().add(project::Column::DeletedAt.is_null())
    }

    fn decide(actor: &Actor, action: ReviewAction, department_id: i64, status: Status) -> Decision {
        actor.decide(action.into(), department_id, status)
    }

    fn step_row(step: &Step<'_, Self>, grading: Option<Grading>) -> review::ActiveModel {
        review::ActiveModel {
            id: NotSet,
            project_id: Set(step.form_id),
            action: Set(step.action.code().to_string()),
            from_status: Set(step.from.code().to_string()),
            to_status: Set(step.to.code().to_string()),
            actor_id: Set(step.actor_id),
            comment: Set(step.comment.to_string()),
            at: Set(step.at),
            grade: Set(grading.map(|g| g.grade.code().to_string())),
            completeness_score: Set(score(grading, |s| s.completeness)),
            relevance_score: Set(score(grading, |s| s.relevance)),
            appropriateness_score: Set(score(grading, |s| s.appropriateness)),
            feasibility_score: Set(score(grading, |s| s.feasibility)),
        }
    }
}

impl FormRecord for ProjectRecord {
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

/// One criterion's score as stored (checked to be 0–25 before this).
pub(super) fn score(grading: Option<Grading>, criterion: impl Fn(&CriteriaScores) -> i32) -> Option<i16> {
    grading.and_then(|g| g.scores).and_then(|s| i16::try_from(criterion(&s)).ok())
}

/// The compare-and-set condition: this project, live, still in this status and at this version.
pub(crate) fn cas(id: i64, status: Status, version: i32) -> Condition {
    crate::lifecycle::cas::<ProjectForm>(id, status, version)
}

pub(crate) fn ensure_editable(p: &ProjectRecord) -> StoreResult<()> {
    if p.status.is_editable() {
        Ok(())
    } else {
        Err(StoreError::problem(
            "id",
            ProblemCode::InvalidTransition,
            Message::new(
                format!(
                    "{}状态的项目不能修改：只有草稿、已退回或调整中的项目可以修改（已批复的项目请先申请调整）",
                    p.status.label()
                ),
                format!(
                    "a {} project cannot be changed; only DRAFT, REJECTED or ADJUSTING ones can (adjust an approved one first)",
                    p.status.code()
                ),
            ),
        ))
    }
}

pub(crate) fn ensure_deletable(p: &ProjectRecord) -> StoreResult<()> {
    if p.status.is_deletable() {
        Ok(())
    } else {
        Err(StoreError::problem(
            "id",
            ProblemCode::InvalidTransition,
            Message::new(
                format!("{}状态的项目不能删除：只有草稿或已退回的项目可以删除", p.status.label()),
                format!("a {} project cannot be deleted; only DRAFT or REJECTED ones can", p.status.code()),
            ),
        ))
    }
}

pub(crate) fn ensure_version(p: &ProjectRecord, expected: i32) -> StoreResult<()> {
    if p.version == expected { Ok(()) } else { Err(version_conflict()) }
}
