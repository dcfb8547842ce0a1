//! A project as an instance of the reviewed-form lifecycle, and the checks every write of one makes.

use jixiao_domain::{Actor, Message, ProblemCode, ReviewAction, Status};
use jixiao_domain::{CriteriaScores, Grading};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition};

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
        let mut row = review::ActiveModel::of_step(step);
        row.grade = Set(grading.map(|g| g.grade.code().to_string()));
        row.completeness_score = Set(score(grading, |s| s.completeness));
        row.relevance_score = Set(score(grading, |s| s.relevance));
        row.appropriateness_score = Set(score(grading, |s| s.appropriateness));
        row.feasibility_score = Set(score(grading, |s| s.feasibility));
        row
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
    not_in(
        p,
        p.status.is_editable(),
        (
            "修改：只有草稿、已退回或调整中的项目可以修改（已批复的项目请先申请调整）",
            "changed; only DRAFT, REJECTED or ADJUSTING ones can (adjust an approved one first)",
        ),
    )
}

pub(crate) fn ensure_deletable(p: &ProjectRecord) -> StoreResult<()> {
    not_in(
        p,
        p.status.is_deletable(),
        ("删除：只有草稿或已退回的项目可以删除", "deleted; only DRAFT or REJECTED ones can"),
    )
}

/// INVALID_TRANSITION unless `allowed`: "a {status} project cannot be {why}".
fn not_in(p: &ProjectRecord, allowed: bool, (zh, en): (&str, &str)) -> StoreResult<()> {
    if allowed {
        return Ok(());
    }
    Err(StoreError::problem(
        "id",
        ProblemCode::InvalidTransition,
        Message::new(
            format!("{}状态的项目不能{zh}", p.status.label()),
            format!("a {} project cannot be {en}", p.status.code()),
        ),
    ))
}

pub(crate) fn ensure_version(p: &ProjectRecord, expected: i32) -> StoreResult<()> {
    if p.version == expected { Ok(()) } else { Err(version_conflict()) }
}
