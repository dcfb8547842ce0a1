//! Mutations of the organization and its people: departments, budget units, users (admins
//! only, through `Scope::admin`), and a user's own password.

use async_graphql::{Context, ID, MaybeUndefined, Object, Result};
use jixiao_domain::{Message, Problem, ProblemCode};
use jixiao_store::{NewUser, UserChanges};

use crate::auth::{Authenticator, ClientAddress, password};
use crate::error::ApiError;
use crate::graphql::access::access;
use crate::graphql::declaration::inputs::{
    ApproverAssignmentInput, CreateBudgetUnitInput, CreateDepartmentInput, CreateUserInput, UpdateBudgetUnitInput,
    UpdateDepartmentInput, UpdateUserInput,
};
use crate::graphql::payload::{
    BudgetUnitPayload, ChangePasswordPayload, DeleteBudgetUnitPayload, DepartmentPayload, UserError, UserPayload,
    outcome,
};
use crate::graphql::scalars::DateTime;
use crate::graphql::types::nodes::{BudgetUnit, Department, User};
use crate::ids::{Kind, decode};

#[derive(Default)]
pub struct AdminMutation;

/// A password that passes the policy, hashed off the async workers; or the user error saying why not.
async fn hashed(field: &str, secret: String) -> Result<Result<String, UserError>, ApiError> {
    if let Err(message) = password::check_policy(&secret) {
        return Ok(Err(Problem::new(field, ProblemCode::InvalidInput, message).into()));
    }
    let hash = tokio::task::spawn_blocking(move || password::hash(&secret))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| ApiError::internal(&e))?;
    Ok(Ok(hash))
}

#[Object]
impl AdminMutation {
    /// Admins only.
    async fn create_department(&self, ctx: &Context<'_>, input: CreateDepartmentInput) -> Result<DepartmentPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let (department, user_errors) = outcome(admin.create_department(input.code.trim(), &input.name).await)?;
        Ok(DepartmentPayload { department: department.map(Department), user_errors })
    }

    /// Renames a department (its code stays). Admins only.
    async fn update_department(&self, ctx: &Context<'_>, input: UpdateDepartmentInput) -> Result<DepartmentPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let id = decode(&input.id, Kind::Department)?;
        let (department, user_errors) = outcome(admin.rename_department(id, &input.name).await)?;
        Ok(DepartmentPayload { department: department.map(Department), user_errors })
    }

    /// Admins only.
    async fn create_budget_unit(&self, ctx: &Context<'_>, input: CreateBudgetUnitInput) -> Result<BudgetUnitPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let department_id = decode(&input.department_id, Kind::Department)?;
        let (unit, user_errors) =
            outcome(admin.create_budget_unit(department_id, input.code.trim(), &input.name).await)?;
        Ok(BudgetUnitPayload { budget_unit: unit.map(BudgetUnit), user_errors })
    }

    /// Renames a budget unit (its code stays). Admins only.
    async fn update_budget_unit(&self, ctx: &Context<'_>, input: UpdateBudgetUnitInput) -> Result<BudgetUnitPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let id = decode(&input.id, Kind::BudgetUnit)?;
        let (unit, user_errors) = outcome(admin.rename_budget_unit(id, &input.name).await)?;
        Ok(BudgetUnitPayload { budget_unit: unit.map(BudgetUnit), user_errors })
    }

    /// Removes a budget unit that no project names (refused while any does). Admins only.
    async fn delete_budget_unit(&self, ctx: &Context<'_>, id: ID) -> Result<DeleteBudgetUnitPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let row = decode(&id, Kind::BudgetUnit)?;
        let (done, user_errors) = outcome(admin.delete_budget_unit(row).await)?;
        Ok(DeleteBudgetUnitPayload { deleted_budget_unit_id: done.map(|()| id), user_errors })
    }

    /// Admins only. The password is stored as an argon2id hash.
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<UserPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let department_id = input.department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?;
        let hash = match hashed("password", input.password).await? {
            Ok(hash) => hash,
            Err(error) => return Ok(UserPayload { user: None, user_errors: vec![error] }),
        };
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

    /// Changes a user's display name, role or department. Admins only.
    async fn update_user(&self, ctx: &Context<'_>, input: UpdateUserInput) -> Result<UserPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let id = decode(&input.id, Kind::User)?;
        let department_id = match input.department_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(d) => Some(Some(decode(&d, Kind::Department)?)),
        };
        let changes = UserChanges { display_name: input.display_name, role: input.role.map(Into::into), department_id };
        let (user, user_errors) = outcome(admin.update_user(id, changes).await)?;
        Ok(UserPayload { user: user.map(User), user_errors })
    }

    /// A disabled user cannot sign in, and their tokens stop working at once (for good: enabling
    /// them again does not revive old tokens). Admins only.
    async fn disable_user(&self, ctx: &Context<'_>, id: ID) -> Result<UserPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let (user, user_errors) = outcome(admin.set_disabled(decode(&id, Kind::User)?, true).await)?;
        Ok(UserPayload { user: user.map(User), user_errors })
    }

    /// Admins only.
    async fn enable_user(&self, ctx: &Context<'_>, id: ID) -> Result<UserPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let (user, user_errors) = outcome(admin.set_disabled(decode(&id, Kind::User)?, false).await)?;
        Ok(UserPayload { user: user.map(User), user_errors })
    }

    /// Assigns an approver to a department (对口科室): with `projects(filter: { assignedToMe: true
    /// })` the approver then works on the departments assigned to them. Assigning again changes
    /// nothing. Admins only.
    async fn assign_approver(&self, ctx: &Context<'_>, input: ApproverAssignmentInput) -> Result<UserPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let (user_id, department_id) =
            (decode(&input.user_id, Kind::User)?, decode(&input.department_id, Kind::Department)?);
        let (user, user_errors) = outcome(admin.assign_approver(user_id, department_id).await)?;
        Ok(UserPayload { user: user.map(User), user_errors })
    }

    /// Takes an approver off a department; an approver left with none works on every department.
    /// Admins only.
    async fn unassign_approver(&self, ctx: &Context<'_>, input: ApproverAssignmentInput) -> Result<UserPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let (user_id, department_id) =
            (decode(&input.user_id, Kind::User)?, decode(&input.department_id, Kind::Department)?);
        let (user, user_errors) = outcome(admin.unassign_approver(user_id, department_id).await)?;
        Ok(UserPayload { user: user.map(User), user_errors })
    }

    /// Sets a user's password (their tokens issued before stop working). Admins only.
    async fn set_password(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(secret)] password: String,
    ) -> Result<UserPayload> {
        let admin = access(ctx)?.scope.admin().map_err(ApiError::from)?;
        let row = decode(&id, Kind::User)?;
        let hash = match hashed("password", password).await? {
            Ok(hash) => hash,
            Err(error) => return Ok(UserPayload { user: None, user_errors: vec![error] }),
        };
        let (user, user_errors) = outcome(admin.set_password_hash(row, &hash).await)?;
        Ok(UserPayload { user: user.map(User), user_errors })
    }

    /// Changes your own password: the current one is checked (and throttled) as a login is; the
    /// answer is a new token, and every token issued before stops working.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(secret)] old_password: String,
        #[graphql(secret)] new_password: String,
    ) -> Result<ChangePasswordPayload> {
        let access = crate::graphql::access::signed_in(ctx)?;
        let auth = ctx.data::<Authenticator>()?;
        let address = ctx.data_opt::<ClientAddress>().map_or("unknown", |a| a.0.as_str());
        let refused = |field: &str, message: Message| ChangePasswordPayload {
            token: None,
            expires_at: None,
            user_errors: vec![Problem::new(field, ProblemCode::InvalidInput, message).into()],
        };
        match auth.check_credentials(&access.user.username, &old_password, address).await {
            Ok(_) => {}
            Err(ApiError::Unauthenticated(_)) => {
                return Ok(refused("oldPassword", Message::new("当前密码不正确。", "the current password is wrong")));
            }
            Err(other) => return Err(other.into()),
        }
        let hash = match hashed("newPassword", new_password).await? {
            Ok(hash) => hash,
            Err(error) => {
                return Ok(ChangePasswordPayload { token: None, expires_at: None, user_errors: vec![error] });
            }
        };
        let (token, expires) = auth.set_own_password(access.user.id, &hash).await?;
        let expires_at = chrono::DateTime::from_timestamp(expires as i64, 0).unwrap_or_default();
        tracing::info!(user_id = access.user.id, "password changed");
        Ok(ChangePasswordPayload { token: Some(token), expires_at: Some(DateTime(expires_at)), user_errors: vec![] })
    }
}
