//! Administering people and the organization after they exist: the user list, a user's role,
//! department and state, passwords, and renaming or removing departments' units. Admins only
//! (through [`Admin`]); a user's own password change is [`Store::set_own_password`].

use jixiao_domain::Message;
use jixiao_domain::organization::{check_code_and_name, check_display_name};
use jixiao_domain::{ProblemCode, Role};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use crate::entity::{budget_unit, department, project, user};
use crate::error::{StoreError, StoreResult};
use crate::organization::Admin;
use crate::organization::admin_guard::{is_enabled_admin, keep_an_admin, set_disabled_where};
use crate::{BudgetUnit, Department, Store, User};

/// Which users a list shows; every condition given must hold.
#[derive(Clone, Debug, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub department_id: Option<i64>,
    pub disabled: Option<bool>,
    /// Part of the username or display name.
    pub name_contains: Option<String>,
}

impl UserFilter {
    fn condition(&self) -> Condition {
        let mut c = Condition::all();
        if let Some(r) = self.role {
            c = c.add(user::Column::Role.eq(r.code()));
        }
        if let Some(d) = self.department_id {
            c = c.add(user::Column::DepartmentId.eq(d));
        }
        if let Some(d) = self.disabled {
            c = c.add(user::Column::Disabled.eq(d));
        }
        if let Some(text) = self.name_contains.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            // Usernames are one user whatever their case, so the filter ignores case too (in
            // display names as well: `wang` finds `Wang Li`).
            let text = text.to_lowercase();
            let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            let like = |col| Expr::expr(Func::lower(Expr::col(col))).like(LikeExpr::new(pattern.clone()).escape('\\'));
            c = c.add(Condition::any().add(like(user::Column::Username)).add(like(user::Column::DisplayName)));
        }
        c
    }
}

/// Changes to a user; what is `None` stays. `department_id: Some(None)` takes a user out of
/// their department (for a role that has none).
#[derive(Clone, Debug, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub department_id: Option<Option<i64>>,
}

fn no_user() -> StoreError {
    StoreError::problem("id", ProblemCode::InvalidInput, Message::new("没有这个编号的用户。", "no user has this id"))
}

impl Admin<'_> {
    /// Users in id order, after `after`, at most `limit`.
    pub async fn users_page(&self, filter: &UserFilter, after: Option<i64>, limit: u64) -> StoreResult<Vec<User>> {
        let mut q = user::Entity::find().filter(filter.condition());
        if let Some(after) = after {
            q = q.filter(user::Column::Id.gt(after));
        }
        Ok(q.order_by_asc(user::Column::Id).limit(limit).all(self.connection()).await?)
    }

    pub async fn user_count(&self, filter: &UserFilter) -> StoreResult<u64> {
        Ok(user::Entity::find().filter(filter.condition()).count(self.connection()).await?)
    }

    async fn user(&self, id: i64) -> StoreResult<user::Model> {
        user::Entity::find_by_id(id).one(self.connection()).await?.ok_or_else(no_user)
    }

    /// Changes a user's display name, role or department; a role and department that do not go
    /// together (a submitter without a department, an approver with one) are refused.
    pub async fn update_user(&self, id: i64, changes: UserChanges) -> StoreResult<User> {
        let txn = self.connection().begin().await?;
        let current = user::Entity::find_by_id(id).one(&txn).await?.ok_or_else(no_user)?;
        let role = match changes.role {
            Some(r) => r,
            None => Role::from_code(&current.role).ok_or_else(|| {
                StoreError::problem(
                    "role",
                    ProblemCode::InvalidInput,
                    Message::new("该用户的角色无法识别。", "this user's role is not known"),
                )
            })?,
        };
        let department_id = changes.department_id.unwrap_or(current.department_id);
        self.check_role_and_department(role, department_id).await?;
        if role != Role::Admin && is_enabled_admin(&current) {
            keep_an_admin(&txn, id).await?;
        }
        // Read again under its lock (taken after the admins', always in the same order, so two
        // admins changing each other wait in turn rather than in a circle).
        let current = user::Entity::find_by_id(id).lock_exclusive().one(&txn).await?.ok_or_else(no_user)?;
        let mut row: user::ActiveModel = current.into();
        if let Some(name) = changes.display_name {
            check_display_name(&name).map_err(|p| StoreError::Rejected(vec![p]))?;
            row.display_name = sea_orm::Set(name.trim().to_string());
        }
        row.role = sea_orm::Set(role.code().to_string());
        row.department_id = sea_orm::Set(department_id);
        let updated = row.update(&txn).await?;
        self.store().commits.commit(txn).await?;
        self.store().user_changed(Some(id));
        Ok(updated)
    }

    /// Disables (or enables again) the user `id`; see [`Admin::set_user_disabled`]. An admin does
    /// not disable themselves (`Actor::check_may_disable`).
    pub async fn set_disabled(&self, id: i64, disabled: bool) -> StoreResult<User> {
        if let (true, Some(actor)) = (disabled, self.actor()) {
            actor.check_may_disable(id).map_err(|p| StoreError::Rejected(vec![p]))?;
        }
        let txn = self.connection().begin().await?;
        set_disabled_where(&txn, user::Column::Id.eq(id), disabled).await?;
        self.store().commits.commit(txn).await?;
        self.store().user_changed(Some(id));
        self.user(id).await
    }

    /// Sets a new password (already hashed) for the user `id`; tokens issued before stop working.
    pub async fn set_password_hash(&self, id: i64, hash: &str) -> StoreResult<User> {
        self.user(id).await?;
        self.store().set_own_password(id, hash).await?;
        self.user(id).await
    }

    pub async fn rename_department(&self, id: i64, name: &str) -> StoreResult<Department> {
        let current = department::Entity::find_by_id(id).one(self.connection()).await?.ok_or_else(|| {
            StoreError::problem(
                "id",
                ProblemCode::InvalidInput,
                Message::new("没有这个编号的主管部门。", "no department has this id"),
            )
        })?;
        check_code_and_name(&current.code, name).map_err(|p| StoreError::Rejected(p))?;
        let mut row: department::ActiveModel = current.into();
        row.name = sea_orm::Set(name.trim().to_string());
        Ok(self.store().commits.wrote(row.update(self.connection()).await?))
    }

    pub async fn rename_budget_unit(&self, id: i64, name: &str) -> StoreResult<BudgetUnit> {
        let current = self.unit(id).await?;
        check_code_and_name(&current.code, name).map_err(|p| StoreError::Rejected(p))?;
        let mut row: budget_unit::ActiveModel = current.into();
        row.name = sea_orm::Set(name.trim().to_string());
        Ok(self.store().commits.wrote(row.update(self.connection()).await?))
    }

    /// Removes a budget unit no project names (deleted projects included: their history keeps
    /// the unit).
    pub async fn delete_budget_unit(&self, id: i64) -> StoreResult<()> {
        self.unit(id).await?;
        let used =
            project::Entity::find().filter(project::Column::ImplementingUnitId.eq(id)).count(self.connection()).await?;
        if used > 0 {
            return Err(StoreError::problem(
                "id",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("有 {used} 个项目以该预算单位为实施单位，不能删除。"),
                    format!("{used} projects name this budget unit as their implementing unit: it cannot be deleted"),
                ),
            ));
        }
        budget_unit::Entity::delete_by_id(id).exec(self.connection()).await?;
        Ok(self.store().commits.wrote(()))
    }

    async fn unit(&self, id: i64) -> StoreResult<budget_unit::Model> {
        budget_unit::Entity::find_by_id(id).one(self.connection()).await?.ok_or_else(|| {
            StoreError::problem(
                "id",
                ProblemCode::InvalidInput,
                Message::new("没有这个编号的预算单位。", "no budget unit has this id"),
            )
        })
    }
}

impl Store {
    /// Stores a new password hash for `user_id` and ends the tokens issued before it.
    pub async fn set_own_password(&self, user_id: i64, hash: &str) -> StoreResult<()> {
        user::Entity::update_many()
            .col_expr(user::Column::PasswordHash, Expr::value(hash))
            .col_expr(user::Column::TokenVersion, Expr::col(user::Column::TokenVersion).add(1))
            .filter(user::Column::Id.eq(user_id))
            .exec(&self.db)
            .await?;
        self.user_changed(Some(user_id));
        Ok(())
    }
}
