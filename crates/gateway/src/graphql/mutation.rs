use async_graphql::{Context, ID, Object, Result};
use jixiao_domain::{ProblemCode, ReviewAction};
use jixiao_store::NewUser;

use super::access::access;
use super::error::ApiError;
use super::ids::{Kind, decode, encode};
use super::inputs::{
    CreateBudgetUnitInput, CreateDepartmentInput, CreateProjectInput, CreateUserInput, UpdateProjectInput,
};
use super::payload::{
    BudgetUnitPayload, DeleteProjectPayload, DepartmentPayload, LoginPayload, ProjectPayload, UserError, UserPayload,
    outcome,
};
use super::scalars::DateTime;
use super::types::nodes::User;
use super::types::nodes::{BudgetUnit, Department};
use super::types::project::Project;
use crate::auth::{Authenticator, ClientAddress, password};

pub struct Mutation;

impl Mutation {
    async fn transition(ctx: &Context<'_>, id: ID, action: ReviewAction, comment: &str) -> Result<ProjectPayload> {
        let access = access(ctx)?;
        let id = decode(&id, Kind::Project)?;
        let (project, user_errors) = outcome(access.projects().transition(id, action, comment).await)?;
        Ok(ProjectPayload { project: project.map(Project), user_errors })
    }
}

#[Object]
impl Mutation {
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
        let declaration = input.into_domain();
        let (project, user_errors) = outcome(access.projects().create(unit_id, &declaration).await)?;
        Ok(ProjectPayload { project: project.map(Project), user_errors })
    }

    /// Edits a DRAFT or REJECTED project, if it is still at `expectedVersion`.
    async fn update_project(&self, ctx: &Context<'_>, input: UpdateProjectInput) -> Result<ProjectPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::Project)?;
        let unit_id = input.implementing_unit_id.as_ref().map(|u| decode(u, Kind::BudgetUnit)).transpose()?;
        let expected_version = input.expected_version;
        let result = access.projects().update(id, expected_version, unit_id, |d| input.apply_to(d)).await;
        let (project, user_errors) = outcome(result)?;
        Ok(ProjectPayload { project: project.map(Project), user_errors })
    }

    /// Deletes a DRAFT or REJECTED project (its review history is kept).
    async fn delete_project(&self, ctx: &Context<'_>, id: ID) -> Result<DeleteProjectPayload> {
        let access = access(ctx)?;
        let row = decode(&id, Kind::Project)?;
        let (done, user_errors) = outcome(access.projects().delete(row).await)?;
        Ok(DeleteProjectPayload { deleted_project_id: done.map(|_| encode(Kind::Project, row)), user_errors })
    }

    /// Sends a DRAFT or REJECTED project for review, after checking the whole declaration
    /// (every problem is reported at once, as INCOMPLETE or FUNDS_MISMATCH user errors).
    async fn submit_project(&self, ctx: &Context<'_>, id: ID) -> Result<ProjectPayload> {
        Self::transition(ctx, id, ReviewAction::Submit, "").await
    }

    /// Takes a SUBMITTED project back to DRAFT before it is reviewed.
    async fn withdraw_project(&self, ctx: &Context<'_>, id: ID) -> Result<ProjectPayload> {
        Self::transition(ctx, id, ReviewAction::Withdraw, "").await
    }

    /// Approves a SUBMITTED project; it is locked from then on. Approvers only.
    async fn approve_project(&self, ctx: &Context<'_>, id: ID, comment: Option<String>) -> Result<ProjectPayload> {
        Self::transition(ctx, id, ReviewAction::Approve, comment.as_deref().unwrap_or("")).await
    }

    /// Sends a SUBMITTED project back to its department with a reason. Approvers only.
    async fn reject_project(&self, ctx: &Context<'_>, id: ID, reason: String) -> Result<ProjectPayload> {
        Self::transition(ctx, id, ReviewAction::Reject, &reason).await
    }

    /// Admins only.
    async fn create_department(&self, ctx: &Context<'_>, input: CreateDepartmentInput) -> Result<DepartmentPayload> {
        let access = access(ctx)?;
        let admin = access.scope.admin().map_err(ApiError::from)?;
        let (department, user_errors) = outcome(admin.create_department(input.code.trim(), &input.name).await)?;
        Ok(DepartmentPayload { department: department.map(Department), user_errors })
    }

    /// Admins only.
    async fn create_budget_unit(&self, ctx: &Context<'_>, input: CreateBudgetUnitInput) -> Result<BudgetUnitPayload> {
        let access = access(ctx)?;
        let admin = access.scope.admin().map_err(ApiError::from)?;
        let department_id = decode(&input.department_id, Kind::Department)?;
        let (unit, user_errors) =
            outcome(admin.create_budget_unit(department_id, input.code.trim(), &input.name).await)?;
        Ok(BudgetUnitPayload { budget_unit: unit.map(BudgetUnit), user_errors })
    }

    /// Admins only. The password is stored as an argon2id hash.
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<UserPayload> {
        let access = access(ctx)?;
        let admin = access.scope.admin().map_err(ApiError::from)?;
        if let Err(message) = password::check_policy(&input.password) {
            let error = UserError { field: "password".into(), message, code: ProblemCode::InvalidInput.into() };
            return Ok(UserPayload { user: None, user_errors: vec![error] });
        }
        let department_id = input.department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?;
        let secret = input.password;
        let hash = tokio::task::spawn_blocking(move || password::hash(&secret))
            .await
            .map_err(|e| ApiError::internal(&e))?
            .map_err(|e| ApiError::internal(&e))?;
        let new = NewUser {
            username: input.username.trim(),
            display_name: input.display_name.as_deref().unwrap_or(""),
            role: input.role.into(),
            department_id,
            password_hash: &hash,
        };
        let (user, user_errors) = outcome(admin.create_user(new).await)?;
        Ok(UserPayload { user: user.map(User), user_errors })
    }
}
