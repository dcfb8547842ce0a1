use async_graphql::{Context, ID, Object, Result};

use crate::auth::Authenticator;
use crate::error::ApiError;
use crate::graphql::access::access;
use crate::graphql::organization::loaders::{AssignedDepartmentsOf, DepartmentKey};
use crate::graphql::types::enums::Role;
use crate::graphql::types::nodes::{Department, User};
use crate::ids::{Kind, encode};

/// 用户: someone who signs in.
#[Object]
impl User {
    pub async fn id(&self) -> ID {
        encode(Kind::User, self.0.id)
    }

    async fn username(&self) -> &str {
        &self.0.username
    }

    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    async fn role(&self) -> Option<Role> {
        jixiao_domain::Role::from_code(&self.0.role).map(Into::into)
    }

    /// A disabled user cannot sign in (see `disableUser`).
    async fn disabled(&self) -> bool {
        self.0.disabled
    }

    /// The departments an approver is assigned to (对口科室, `assignApprover`), in the order the
    /// departments were created; empty for an approver who works on every department, and for other roles.
    #[graphql(
        complexity = "crate::graphql::cost::list_cost(jixiao_domain::organization::MAX_ASSIGNMENTS_PER_APPROVER, child_complexity)"
    )]
    async fn assigned_departments(&self, ctx: &Context<'_>) -> Result<Vec<Department>> {
        let access = access(ctx)?;
        let ids = access.loader().load_one(AssignedDepartmentsOf(self.0.id)).await?.unwrap_or_default();
        let mut found = access.loader().load_many(ids.iter().map(|&id| DepartmentKey(id))).await?;
        Ok(ids.iter().filter_map(|&id| found.remove(&DepartmentKey(id)).map(Department)).collect())
    }

    /// A submitter's department; none for approvers and admins.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        let Some(id) = self.0.department_id else { return Ok(None) };
        if access(ctx).is_ok() {
            return Ok(Some(Department::of(ctx, id).await?));
        }
        // Only `login`'s answer shows a user to a request without a token: that user has just
        // proven who they are, and may see their own department.
        let found = ctx.data::<Authenticator>()?.department_of_login(&self.0).await?;
        Ok(Some(Department(found.ok_or_else(|| ApiError::not_found(("主管部门", "department")))?)))
    }
}
