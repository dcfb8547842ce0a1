//! Bulk decisions: `approveProjects` approves up to 100 projects, each in its own transaction
//! (exactly as `approveProject` would, one after another), and answers per id: the project, or
//! the user errors that say why that one was not approved. One project that cannot be approved
//! (decided meanwhile, not visible, not the caller's to decide) does not stop the others.

use std::collections::HashMap;

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use jixiao_domain::{Message, Problem, ProblemCode, ReviewAction, Status, review_grade};
use jixiao_store::StoreError;
use jixiao_store::projects::Decision;

use crate::error::ApiError;
use crate::graphql::access::access;
use crate::graphql::declaration::amendment_inputs::{ApprovalAmendmentsInput, ProjectAmendmentsInput};
use crate::graphql::declaration::grading::{CriteriaScoresInput, grading};
use crate::graphql::declaration::project::Project;
use crate::graphql::payload::UserError;
use crate::graphql::types::enums::Grade;
use crate::ids::{Kind, decode};

/// At most this many projects are decided by one `approveProjects`.
pub const MAX_BULK: usize = 100;

#[derive(InputObject)]
pub struct ApproveProjectsInput {
    /// The projects to approve, 1 to 100; each is decided on its own, in this order.
    pub ids: Vec<ID>,
    /// The same comment on each approval.
    pub comment: Option<String>,
    /// The same grade on each approval (优 EXCELLENT or 良 GOOD), checked once.
    pub grade: Option<Grade>,
    /// The same criteria scores on each, backing the grade.
    pub scores: Option<CriteriaScoresInput>,
    /// With 良 GOOD: the amendments agreed for some of the projects, at most one per project.
    #[graphql(default)]
    pub amendments: Vec<ProjectAmendmentsInput>,
    /// 批复金额 of some of the projects (the others are granted their annual requests), at most
    /// one per project; a cut below a request needs the `comment`.
    #[graphql(default)]
    pub approved_amounts: Vec<ApprovedAmountInput>,
}

/// What one project of a bulk approval is granted.
#[derive(InputObject)]
pub struct ApprovedAmountInput {
    pub id: ID,
    /// 批复金额 in yuan, at most two decimals.
    pub approved_amount: String,
}

/// What became of one id of a bulk decision.
#[derive(SimpleObject)]
pub struct ProjectDecision {
    /// The id as it was sent.
    pub id: ID,
    /// The project as decided; `null` when it was not.
    pub project: Option<Project>,
    /// Why it was not decided (`field` is `ids[i]`): INVALID_TRANSITION (decided meanwhile, or not
    /// submitted), NOT_FOUND, FORBIDDEN, INVALID_INPUT (not a project's id).
    pub user_errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct ApproveProjectsPayload {
    /// One per id, in the order sent.
    pub results: Vec<ProjectDecision>,
    /// Problems with the request as a whole (no id, or more than 100): then nothing is decided.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct BulkMutation;

#[Object]
impl BulkMutation {
    /// Approves several SUBMITTED (or ADJUSTMENT_SUBMITTED) projects, each in its own
    /// transaction: the answer says per id whether it was approved. Approvers only (for anyone
    /// else every id is FORBIDDEN or NOT_FOUND, as with `approveProject`).
    async fn approve_projects(&self, ctx: &Context<'_>, input: ApproveProjectsInput) -> Result<ApproveProjectsPayload> {
        let access = access(ctx)?;
        let comment = input.comment.as_deref().unwrap_or("");
        let refused =
            |problem: Problem| Ok(ApproveProjectsPayload { results: vec![], user_errors: vec![problem.into()] });
        let count = input.ids.len();
        if count == 0 || count > MAX_BULK {
            let message = if count == 0 {
                Message::new("请至少给出一个项目", "give at least one project")
            } else {
                Message::new(
                    format!("一次最多审核 {MAX_BULK} 个项目，本次为 {count} 个：请分批提交"),
                    format!("at most {MAX_BULK} projects may be decided at once, not {count}: send them in batches"),
                )
            };
            return refused(Problem::new("ids", ProblemCode::InvalidInput, message));
        }
        // The comment and the grade are the same for every id: checked once, before any is
        // decided (a grade that approves is right for either status an approval starts from).
        if let Err(problem) = jixiao_domain::workflow::check_comment(ReviewAction::Approve, comment) {
            return refused(problem);
        }
        let grading = match grading(input.grade, input.scores) {
            Ok(grading) => grading,
            Err(problem) => return refused(problem),
        };
        if let Some(g) = &grading
            && let Err(problems) = review_grade::check_grading(ReviewAction::Approve, Status::Submitted, g)
        {
            return Ok(ApproveProjectsPayload {
                results: vec![],
                user_errors: problems.into_iter().map(Into::into).collect(),
            });
        }
        if !input.amendments.is_empty()
            && let Err(problem) = review_grade::check_amendments(ReviewAction::Approve, grading.map(|g| g.grade))
        {
            return refused(problem);
        }
        // Every id's amendments are read before any project is decided.
        let mut amendments = match amendments_by_project(input.amendments, &input.ids) {
            Ok(amendments) => amendments
                .into_iter()
                .map(|(row, a)| Ok((row, a.into_store()?)))
                .collect::<Result<HashMap<_, _>, ApiError>>()?,
            Err(problem) => return refused(problem),
        };
        let mut granted = match approved_amounts_by_project(input.approved_amounts, &input.ids) {
            Ok(granted) => granted,
            Err(problem) => return refused(problem),
        };
        let mut results = Vec::with_capacity(input.ids.len());
        for (i, id) in input.ids.into_iter().enumerate() {
            let field = format!("ids[{i}]");
            let decided = match decode(&id, Kind::Project) {
                Ok(row) => {
                    let decision = Decision {
                        comment,
                        grading,
                        amendments: amendments.remove(&row),
                        approved_amount: granted.remove(&row),
                    };
                    access.projects().decide(row, ReviewAction::Approve, decision).await
                }
                Err(e) => Err(StoreError::problem(&field, ProblemCode::InvalidInput, e.text())),
            };
            let (project, user_errors) = match decided {
                Ok(record) => (Some(Project(record)), vec![]),
                Err(error) => (None, vec![not_decided(&field, error)?]),
            };
            results.push(ProjectDecision { id, project, user_errors });
        }
        Ok(ApproveProjectsPayload { results, user_errors: vec![] })
    }
}

/// The approved amounts by project row, each for one of `ids`, at most one per project, every one
/// read as money before any project is decided.
fn approved_amounts_by_project(
    amounts: Vec<ApprovedAmountInput>,
    ids: &[ID],
) -> Result<HashMap<i64, jixiao_domain::Money>, Problem> {
    let mut out = HashMap::new();
    for (i, a) in amounts.into_iter().enumerate() {
        let field = format!("approvedAmounts[{i}]");
        let invalid = |m: Message| Problem::new(&field, ProblemCode::InvalidInput, m);
        let row = decode(&a.id, Kind::Project).map_err(|e| invalid(e.text()))?;
        if !ids.iter().any(|id| decode(id, Kind::Project).ok() == Some(row)) {
            return Err(invalid(Message::new(
                "批复金额所指的项目不在本次审核的项目中",
                "the approved amount is for a project not among those being approved",
            )));
        }
        let amount = jixiao_domain::Money::parse_yuan(&a.approved_amount).map_err(|e| invalid(e.message()))?;
        if out.insert(row, amount).is_some() {
            return Err(invalid(Message::new("同一项目给出了两个批复金额", "two approved amounts for one project")));
        }
    }
    Ok(out)
}

/// The amendments by project row, each for one of `ids`, at most one per project.
fn amendments_by_project(
    given: Vec<ProjectAmendmentsInput>,
    ids: &[ID],
) -> Result<HashMap<i64, ApprovalAmendmentsInput>, Problem> {
    let mut by_project = HashMap::with_capacity(given.len());
    for (i, a) in given.into_iter().enumerate() {
        let field = format!("amendments[{i}].projectId");
        let row = decode(&a.project_id, Kind::Project).ok().filter(|_| ids.contains(&a.project_id));
        let Some(row) = row else {
            return Err(Problem::new(
                field,
                ProblemCode::InvalidInput,
                Message::new(
                    "修改所指的项目不在本次审核的 ids 之中",
                    "the project amended is not among the ids approved",
                ),
            ));
        };
        if by_project.insert(row, a.amendments).is_some() {
            return Err(Problem::new(
                field,
                ProblemCode::InvalidInput,
                Message::new("同一项目的修改只能给一次", "give one project's amendments once"),
            ));
        }
    }
    Ok(by_project)
}

/// Why one id was not decided, at `field`; a failure of the database itself stops the whole
/// request (the ids decided before it stay decided).
fn not_decided(field: &str, error: StoreError) -> Result<UserError, ApiError> {
    let problem = match error {
        // A refusal of this one project (its status, its version) is about its id.
        StoreError::Rejected(mut problems) if !problems.is_empty() => {
            let mut first = problems.swap_remove(0);
            if first.field == "id" {
                first.field = field.to_string();
            }
            first
        }
        StoreError::NotFound => Problem::new(
            field,
            ProblemCode::NotFound,
            Message::new("没有这个编号的项目，或您无权查看", "no project with this id exists, or you may not see it"),
        ),
        StoreError::Forbidden(why) => Problem::new(field, ProblemCode::Forbidden, why),
        other => return Err(other.into()),
    };
    Ok(problem.into())
}
