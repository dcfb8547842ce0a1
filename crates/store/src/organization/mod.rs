//! Departments, budget units and users: read by anyone signed in, written only through an
//! [`Admin`] handle, which [`Store::admin`] hands out to admins alone (and [`Store::operator`]
//! to the trusted command line).
//!
//! What the handle offers, by file: departments and units (here), users (`user_admin.rs`),
//! approvers' departments (`assignments.rs`); `admin_guard.rs` keeps one enabled admin.

pub(crate) mod admin_guard;
pub(crate) mod assignments;
pub mod user_admin;

use std::collections::HashMap;

use chrono::Utc;
use jixiao_domain::Message;
use jixiao_domain::organization::{MAX_UNITS_PER_DEPARTMENT, check_code_and_name, normalise_username};
use jixiao_domain::{Actor, Decision, ProblemCode, Role};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use crate::entity::{budget_unit, department, user};
use crate::error::{StoreError, StoreResult, UniqueKey};
use crate::row_lock::lock_row;
use crate::{BudgetUnit, Department, Store, User};

/// Refuses a department `id` that does not exist: NOT_FOUND on `departmentId`, for the writes
/// that name one (a deadline's extension, a library entry).
pub(crate) async fn require_department<C: ConnectionTrait>(conn: &C, id: i64) -> StoreResult<()> {
    if department::Entity::find_by_id(id).one(conn).await?.is_none() {
        return Err(StoreError::problem(
            "departmentId",
            ProblemCode::NotFound,
            Message::new("没有这个主管部门", "no such department"),
        ));
    }
    Ok(())
}

/// Write access to departments, budget units and users.
pub struct Admin<'a> {
    store: &'a Store,
    /// The admin acting, or none for the operator at the command line.
    actor: Option<Actor>,
}

/// A new user, with the password already hashed by the caller.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub department_id: Option<i64>,
    pub password_hash: &'a str,
}

impl Store {
    /// Admin write access, or FORBIDDEN for anyone else.
    pub fn admin(&self, actor: Actor) -> StoreResult<Admin<'_>> {
        match actor.may_manage_organization() {
            Decision::Allow => Ok(Admin { store: self, actor: Some(actor) }),
            Decision::Forbidden(why) => Err(StoreError::Forbidden(why)),
            Decision::NotFound => Err(StoreError::NotFound),
        }
    }

    /// Admin write access for the operator at the command line (`jixiao import`, `jixiao user add`),
    /// who holds the database credentials anyway.
    pub fn operator(&self) -> Admin<'_> {
        Admin { store: self, actor: None }
    }

    pub async fn departments_page(&self, after: Option<i64>, limit: u64) -> StoreResult<Vec<Department>> {
        let mut q = department::Entity::find();
        if let Some(after) = after {
            q = q.filter(department::Column::Id.gt(after));
        }
        Ok(q.order_by_asc(department::Column::Id).limit(limit).all(&self.db).await?)
    }

    pub async fn department_count(&self) -> StoreResult<u64> {
        use sea_orm::PaginatorTrait;
        Ok(department::Entity::find().count(&self.db).await?)
    }

    pub async fn departments_by_ids(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Department>> {
        let rows =
            department::Entity::find().filter(department::Column::Id.is_in(ids.iter().copied())).all(&self.db).await?;
        Ok(rows.into_iter().map(|d| (d.id, d)).collect())
    }

    pub async fn department_by_code(&self, code: &str) -> StoreResult<Option<Department>> {
        // PostgreSQL's text holds no NUL, so no department has such a code; asking would only
        // make the database refuse the statement (an internal error for what is a plain miss).
        if code.contains('\0') {
            return Ok(None);
        }
        Ok(department::Entity::find().filter(department::Column::Code.eq(code)).one(&self.db).await?)
    }

    pub async fn units_by_ids(&self, ids: &[i64]) -> StoreResult<HashMap<i64, BudgetUnit>> {
        let rows = budget_unit::Entity::find()
            .filter(budget_unit::Column::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }

    /// The budget units of each of these departments, in id order.
    pub async fn units_of_departments(&self, department_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<BudgetUnit>>> {
        let rows = budget_unit::Entity::find()
            .filter(budget_unit::Column::DepartmentId.is_in(department_ids.iter().copied()))
            .order_by_asc(budget_unit::Column::Id)
            .all(&self.db)
            .await?;
        let mut out: HashMap<i64, Vec<BudgetUnit>> = HashMap::new();
        for u in rows {
            out.entry(u.department_id).or_default().push(u);
        }
        Ok(out)
    }

    pub async fn users_by_ids(&self, ids: &[i64]) -> StoreResult<HashMap<i64, User>> {
        let rows = user::Entity::find().filter(user::Column::Id.is_in(ids.iter().copied())).all(&self.db).await?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }

    /// The user of `username`, whatever its case.
    pub async fn user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
        let username = normalise_username(username);
        Ok(user::Entity::find().filter(user::Column::Username.eq(username)).one(&self.db).await?)
    }

    pub async fn user_by_id(&self, id: i64) -> StoreResult<Option<User>> {
        Ok(user::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// The user a request's token names: from the cache while a listener keeps it current,
    /// else read (and kept, unless the user changed meanwhile).
    pub async fn user_for_request(&self, id: i64) -> StoreResult<Option<User>> {
        if let Some(user) = self.users.get(id) {
            return Ok(Some(user));
        }
        let generation = self.users.generation();
        let user = self.user_by_id(id).await?;
        if let Some(user) = &user {
            self.users.keep(user, generation);
        }
        Ok(user)
    }

    /// Starts keeping the callers' users and the projects forms are compared with, current
    /// through PostgreSQL notifications (the service does; the command line reads them each
    /// time). Does nothing on SQLite.
    pub fn keep_caches_current(&self) {
        if let Some(url) = self.listen_url.clone() {
            let caches = crate::cache_listener::Caches {
                users: self.users.clone(),
                names: self.names.clone(),
                changes: self.changes.clone(),
            };
            tokio::spawn(crate::cache_listener::keep_current(caches, url));
        }
    }

    pub fn user_cache_stats(&self) -> crate::user_cache::UserCacheStats {
        self.users.stats()
    }

    pub fn indicator_names_cache_stats(&self) -> crate::indicator_names_cache::IndicatorNamesCacheStats {
        self.names.stats()
    }

    /// Projects, indicators or budget units were changed here: what forms are compared with is
    /// forgotten at once, without waiting for the notification (which every other instance gets).
    pub(crate) fn declarations_changed(&self) {
        self.names.forget();
    }

    /// A user was changed here: forgotten at once, without waiting for the notification
    /// (which every other instance gets).
    pub(crate) fn user_changed(&self, id: Option<i64>) {
        self.users.forget(id);
    }
}

impl Admin<'_> {
    pub(crate) fn connection(&self) -> &sea_orm::DatabaseConnection {
        &self.store.db
    }

    pub(crate) fn store(&self) -> &Store {
        self.store
    }

    pub(crate) fn actor(&self) -> Option<Actor> {
        self.actor
    }

    /// A submitter or a department reviewer works inside an existing department; the other
    /// roles are tied to none.
    pub(crate) async fn check_role_and_department(&self, role: Role, department_id: Option<i64>) -> StoreResult<()> {
        match (role.needs_department(), department_id) {
            (true, None) => Err(StoreError::problem(
                "departmentId",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("{}须属于一个部门：请指定部门", role.label()),
                    format!("a {role} works inside a department: give one"),
                ),
            )),
            (false, Some(_)) => Err(StoreError::problem(
                "departmentId",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("{}不属于某个部门：请不要指定部门", role.label()),
                    format!("a {role} is not tied to a department: leave it out"),
                ),
            )),
            (true, Some(d)) => {
                department::Entity::find_by_id(d).one(&self.store.db).await?.ok_or_else(|| {
                    StoreError::problem("departmentId", ProblemCode::InvalidInput, unknown_department())
                })?;
                Ok(())
            }
            (false, None) => Ok(()),
        }
    }

    pub async fn create_department(&self, code: &str, name: &str) -> StoreResult<Department> {
        let department = insert_department(&self.store.db, code, name).await?;
        Ok(self.store.commits.wrote(department))
    }

    pub async fn create_budget_unit(&self, department_id: i64, code: &str, name: &str) -> StoreResult<BudgetUnit> {
        let unit = insert_budget_unit(&self.store.db, department_id, code, name).await?;
        Ok(self.store.commits.wrote(unit))
    }

    /// Creates a user; the username is kept in lower case (usernames differing only in case are
    /// one user).
    pub async fn create_user(&self, new: NewUser<'_>) -> StoreResult<User> {
        let username = normalise_username(new.username);
        jixiao_domain::organization::check_username(&username).map_err(|p| StoreError::Rejected(vec![p]))?;
        self.check_role_and_department(new.role, new.department_id).await?;
        let display_name = if new.display_name.trim().is_empty() { &username } else { new.display_name };
        jixiao_domain::organization::check_display_name(display_name).map_err(|p| StoreError::Rejected(vec![p]))?;
        let row = user::ActiveModel {
            id: NotSet,
            username: Set(username.clone()),
            display_name: Set(display_name.to_string()),
            role: Set(new.role.code().to_string()),
            department_id: Set(new.department_id),
            password_hash: Set(new.password_hash.to_string()),
            disabled: Set(false),
            token_version: Set(0),
            created_at: Set(Utc::now()),
        };
        let user =
            user::Entity::insert(row).exec_with_returning(&self.store.db).await.map_err(StoreError::unique_as(
                UniqueKey::Username,
                Message::new(format!("用户名“{username}”已被使用"), format!("the username \"{username}\" is taken")),
            ))?;
        Ok(self.store.commits.wrote(user))
    }
}

impl Admin<'_> {
    /// Disables (or enables again) a user: a disabled user cannot log in, and tokens already
    /// issued to them stop working at once, for good (disabling raises the token version, and
    /// enabling does not lower it). Returns whether such a user exists.
    pub async fn set_user_disabled(&self, username: &str, disabled: bool) -> StoreResult<bool> {
        let txn = self.store.db.begin().await?;
        let which = user::Column::Username.eq(normalise_username(username));
        let found = crate::organization::admin_guard::set_disabled_where(&txn, which, disabled).await?;
        self.store.commits.commit(txn).await?;
        self.store.user_changed(None);
        Ok(found)
    }
}

fn rejected(problems: Vec<jixiao_domain::Problem>) -> StoreError {
    StoreError::Rejected(problems)
}

pub(crate) async fn insert_department<C: ConnectionTrait>(conn: &C, code: &str, name: &str) -> StoreResult<Department> {
    check_code_and_name(code, name).map_err(rejected)?;
    let row = department::ActiveModel {
        id: NotSet,
        code: Set(code.to_string()),
        name: Set(name.trim().to_string()),
        created_at: Set(Utc::now()),
    };
    department::Entity::insert(row).exec_with_returning(conn).await.map_err(StoreError::unique_as(
        UniqueKey::DepartmentCode,
        Message::new(
            format!("代码为“{code}”的部门已存在"),
            format!("a department with code \"{code}\" exists already"),
        ),
    ))
}

pub(crate) async fn insert_budget_unit<C: ConnectionTrait>(
    conn: &C,
    department_id: i64,
    code: &str,
    name: &str,
) -> StoreResult<BudgetUnit> {
    check_code_and_name(code, name).map_err(rejected)?;
    // The department's row stays locked while its units are counted and the new one inserted.
    if !lock_row::<department::Entity, _>(conn, department_id).await? {
        return Err(StoreError::problem("departmentId", ProblemCode::InvalidInput, unknown_department()));
    }
    let units =
        budget_unit::Entity::find().filter(budget_unit::Column::DepartmentId.eq(department_id)).count(conn).await?;
    if units >= MAX_UNITS_PER_DEPARTMENT as u64 {
        return Err(StoreError::problem(
            "departmentId",
            ProblemCode::InvalidInput,
            Message::new(
                format!("该部门已有 {units} 个预算单位，已达上限"),
                format!("this department has {units} budget units, the most one may have"),
            ),
        ));
    }
    let row = budget_unit::ActiveModel {
        id: NotSet,
        department_id: Set(department_id),
        code: Set(code.to_string()),
        name: Set(name.trim().to_string()),
        created_at: Set(Utc::now()),
    };
    budget_unit::Entity::insert(row).exec_with_returning(conn).await.map_err(StoreError::unique_as(
        UniqueKey::BudgetUnitCode,
        Message::new(
            format!("代码为“{code}”的预算单位已存在"),
            format!("a budget unit with code \"{code}\" exists already"),
        ),
    ))
}

fn unknown_department() -> Message {
    Message::new("没有这个编号的主管部门", "no department has this id")
}
