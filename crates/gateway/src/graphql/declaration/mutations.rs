//! The declaration's mutations: a project created, edited, copied, deleted and moved along its
//! workflow (submit, withdraw, approve, reject …), and signing in.

use async_graphql::{Context, ID, Object, Result};
use jixiao_domain::ReviewAction;

use crate::auth::{Authenticator, ClientAddress};
use crate::graphql::access::access;
use crate::graphql::declaration::amendment_inputs::ApprovalAmendmentsInput;
use crate::graphql::declaration::grading::{CriteriaScoresInput, grading};
use crate::graphql::declaration::inputs::indicators;
use crate::graphql::declaration::inputs::{
    CopyProjectInput, CreateProjectInput, StartAdjustmentInput, UpdateProjectInput,
};
use crate::graphql::declaration::project::Project;
use crate::graphql::library::pick::fill_picked;
use crate::graphql::payload::{DeleteProjectPayload, LoginPayload, ProjectPayload, outcome, user_errors};
use crate::graphql::scalars::DateTime;
use crate::graphql::types::enums::Grade;
use crate::graphql::types::nodes::User;
use crate::ids::{Kind, decode, encode};
use jixiao_store::StoreError;
use jixiao_store::projects::Decision;

#[derive(Default)]
pub struct DeclarationMutation;

impl DeclarationMutation {
    async fn transition(ctx: &Context<'_>, id: ID, action: ReviewAction, comment: &str) -> Result<ProjectPayload> {
        Self::transition_from(ctx, id, None, action, comment).await
    }

    async fn transition_from(
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i32>,
        action: ReviewAction,
        comment: &str,
    ) -> Result<ProjectPayload> {
        let access = access(ctx)?;
        let id = decode(&id, Kind::Project)?;
        let result = access.projects().transition_from(id, expected_version, action, comment).await;
        let (project, user_errors) = outcome(result)?;
        Ok(ProjectPayload { project: project.map(Project), user_errors })
    }
}

/// An approved amount as typed (yuan), read as money: a user error on `approvedAmount` if not.
pub fn approved(text: Option<&str>) -> Result<Option<jixiao_domain::Money>, jixiao_domain::Problem> {
    text.map(|t| {
        jixiao_domain::Money::parse_yuan(t).map_err(|e| {
            jixiao_domain::Problem::new("approvedAmount", jixiao_domain::ProblemCode::InvalidInput, e.message())
        })
    })
    .transpose()
}

impl DeclarationMutation {
    #[allow(clippy::too_many_arguments)]
    async fn decide(
        ctx: &Context<'_>,
        id: ID,
        action: ReviewAction,
        comment: &str,
        grade: Option<Grade>,
        scores: Option<CriteriaScoresInput>,
        amendments: Option<ApprovalAmendmentsInput>,
        approved_amount: Option<&str>,
    ) -> Result<ProjectPayload> {
        let access = access(ctx)?;
        let id = decode(&id, Kind::Project)?;
        let amendments = amendments.map(ApprovalAmendmentsInput::into_store).transpose()?;
        let read = grading(grade, scores).and_then(|grading| Ok((grading, approved(approved_amount)?)));
        let result = match read {
            Ok((grading, approved_amount)) => {
                let decision = Decision { comment, grading, amendments, approved_amount };
                access.projects().decide(id, action, decision).await
            }
            Err(problem) => Err(StoreError::Rejected(vec![problem])),
        };
        let (project, user_errors) = outcome(result)?;
        Ok(ProjectPayload { project: project.map(Project), user_errors })
    }
}

#[Object]
impl DeclarationMutation {
    /// A token for a username and password. Wrong credentials: UNAUTHENTICATED, whichever was wrong.
    async fn login(
        &self,
        ctx: &Context<'_>,
        username: String,
        #[graphql(secret)] password: String,
    ) -> Result<LoginPayload> {
        let auth = ctx.data::<Authenticator>()?;
        let address = ctx.data_opt::<ClientAddress>().map_or("unknown", |a| a.0.as_str());
        let (token, expires, user) = auth.login(&username, &password, address).await?;
        let expires_at = chrono::DateTime::from_timestamp(expires as i64, 0).unwrap_or_default();
        Ok(LoginPayload { token, expires_at: DateTime(expires_at), user: User(user) })
    }

    /// Declares a project (as DRAFT) with its whole declaration. Submitters only, for their own department.
    async fn create_project(&self, ctx: &Context<'_>, input: CreateProjectInput) -> Result<ProjectPayload> {
        let access = access(ctx)?;
        let unit_id = decode(&input.implementing_unit_id, Kind::BudgetUnit)?;
        let (mut declaration, problems) = input.into_domain();
        let at = |i| format!("indicators[{i}]");
        let problems = fill_picked(&access.scope, &mut declaration.indicators, problems, at).await?;
        if !problems.is_empty() {
            return Ok(ProjectPayload { project: None, user_errors: user_errors(problems) });
        }
        let (project, user_errors) = outcome(access.projects().create(unit_id, &declaration).await)?;
        Ok(ProjectPayload { project: project.map(Project), user_errors })
    }

    /// 延续项目: a new DRAFT in `fiscalYear` for the same unit, with the source's sections, goals,
    /// funds, fund items, indicators and targets (its planned dates moved by as many years), its
    /// `previousProject` set. Submitters of the project's department; ALREADY_EXISTS on `name`
    /// when the department already has a live project of that name that year.
    async fn copy_project(&self, ctx: &Context<'_>, input: CopyProjectInput) -> Result<ProjectPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::Project)?;
        let (project, user_errors) = outcome(access.projects().copy(id, input.fiscal_year).await)?;
        Ok(ProjectPayload { project: project.map(Project), user_errors })
    }

    /// Edits a DRAFT or REJECTED project, if it is still at `expectedVersion`.
    async fn update_project(&self, ctx: &Context<'_>, input: UpdateProjectInput) -> Result<ProjectPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::Project)?;
        let unit_id = input.implementing_unit_id.as_ref().map(|u| decode(u, Kind::BudgetUnit)).transpose()?;
        let expected_version = input.expected_version;
        let mut input = input;
        let picked = match input.indicators.take().map(indicators) {
            Some((mut rows, problems)) => {
                let problems = fill_picked(&access.scope, &mut rows, problems, |i| format!("indicators[{i}]")).await?;
                if !problems.is_empty() {
                    return Ok(ProjectPayload { project: None, user_errors: user_errors(problems) });
                }
                Some(rows)
            }
            None => None,
        };
        let result = access
            .projects()
            .update(id, expected_version, unit_id, |d| {
                input.apply_to(d);
                if let Some(rows) = picked {
                    d.indicators = rows;
                }
            })
            .await;
        let (project, user_errors) = outcome(result)?;
        Ok(ProjectPayload { project: project.map(Project), user_errors })
    }

    /// Deletes a DRAFT or REJECTED project (its review history is kept).
    async fn delete_project(&self, ctx: &Context<'_>, id: ID) -> Result<DeleteProjectPayload> {
        let access = access(ctx)?;
        let row = decode(&id, Kind::Project)?;
        let result = access.projects().delete(row).await;
        let (done, user_errors) = outcome(result)?;
        Ok(DeleteProjectPayload { deleted_project_id: done.map(|_| encode(Kind::Project, row)), user_errors })
    }

    /// Sends a DRAFT or REJECTED project for review — to DEPARTMENT_REVIEW when its department
    /// has a department reviewer, else to SUBMITTED (an ADJUSTING one: its adjustment, to the
    /// bureau) — after
    /// checking the whole declaration (every problem is reported at once, as INCOMPLETE or
    /// FUNDS_MISMATCH user errors).
    async fn submit_project(&self, ctx: &Context<'_>, id: ID) -> Result<ProjectPayload> {
        Self::transition(ctx, id, ReviewAction::Submit, "").await
    }

    /// 部门审核通过: a department reviewer passes a DEPARTMENT_REVIEW declaration of their
    /// department on to the bureau (SUBMITTED), with an optional comment. To send it back, the
    /// reviewer uses `rejectProject` (without a grade: the bureau grades).
    async fn forward_project(&self, ctx: &Context<'_>, id: ID, comment: Option<String>) -> Result<ProjectPayload> {
        Self::transition(ctx, id, ReviewAction::Forward, comment.as_deref().unwrap_or("")).await
    }

    /// Takes a SUBMITTED (or DEPARTMENT_REVIEW) project back to DRAFT before it is reviewed.
    async fn withdraw_project(&self, ctx: &Context<'_>, id: ID) -> Result<ProjectPayload> {
        Self::transition(ctx, id, ReviewAction::Withdraw, "").await
    }

    /// Approves a SUBMITTED project (or an ADJUSTMENT_SUBMITTED one): its declaration becomes the
    /// one in force (a new snapshot) and is frozen. Approvers only. An optional `grade` (优
    /// EXCELLENT or 良 GOOD: approved after the agreed edits) with the four criteria's `scores`,
    /// whose sum must be in the grade's band; kept on the review step. With 良 GOOD, the
    /// `amendments` agreed with the department are applied within the approval.
    /// `approvedAmount` (批复金额, yuan with at most two decimals): what the approval grants, by
    /// default the annual request; never above it, never zero, and a cut (核减) below it needs a
    /// `comment` saying why. Monitoring and self-evaluation measure execution against it.
    #[allow(clippy::too_many_arguments)]
    async fn approve_project(
        &self,
        ctx: &Context<'_>,
        id: ID,
        comment: Option<String>,
        grade: Option<Grade>,
        scores: Option<CriteriaScoresInput>,
        amendments: Option<ApprovalAmendmentsInput>,
        approved_amount: Option<String>,
    ) -> Result<ProjectPayload> {
        let comment = comment.as_deref().unwrap_or("");
        let amount = approved_amount.as_deref();
        Self::decide(ctx, id, ReviewAction::Approve, comment, grade, scores, amendments, amount).await
    }

    /// Sends a SUBMITTED project back to its department with a reason (an ADJUSTMENT_SUBMITTED
    /// one back to ADJUSTING). Approvers, and a department reviewer for a DEPARTMENT_REVIEW one. An optional `grade`: 中 FAIR (to be revised, as
    /// without a grade) or 差 POOR (not approved: the project ends NOT_APPROVED, which its unit
    /// can only copy into a new draft; not for an adjustment), with the criteria's `scores`.
    async fn reject_project(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
        grade: Option<Grade>,
        scores: Option<CriteriaScoresInput>,
    ) -> Result<ProjectPayload> {
        Self::decide(ctx, id, ReviewAction::Reject, &reason, grade, scores, None, None).await
    }

    /// 申请调整: an APPROVED project goes to ADJUSTING and may be edited with the usual mutations,
    /// while the approved declaration stays in force; `submitProject` sends the adjustment to the
    /// approvers. Submitters of the project's department; a reason is required.
    async fn start_adjustment(&self, ctx: &Context<'_>, input: StartAdjustmentInput) -> Result<ProjectPayload> {
        Self::transition_from(ctx, input.id, Some(input.expected_version), ReviewAction::StartAdjustment, &input.reason)
            .await
    }

    /// 撤销调整: an ADJUSTING project goes back to APPROVED with its declaration restored to the
    /// one in force (rows and their ids included). Submitters of the project's department.
    async fn cancel_adjustment(&self, ctx: &Context<'_>, id: ID) -> Result<ProjectPayload> {
        Self::transition(ctx, id, ReviewAction::CancelAdjustment, "").await
    }
}
