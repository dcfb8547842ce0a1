//! 对口科室: the departments an approver is assigned to work on (migration 14). Admins assign
//! and unassign; an approver asking for the projects assigned to them (`ProjectFilter::
//! assigned_to_me`) gets those departments' projects, and an approver with no assignment gets
//! every department's, as before assignments existed. Assignments only narrow what an approver
//! works on by default: what any approver may see and decide stays the same.

use std::collections::HashMap;

use chrono::Utc;
use jixiao_domain::organization::MAX_ASSIGNMENTS_PER_APPROVER;
use jixiao_domain::{Message, ProblemCode, Role};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use crate::entity::{approver_assignment, department, project, user};
use crate::error::{StoreError, StoreResult};
use crate::organization::Admin;
use crate::{Store, User};

impl Admin<'_> {
    /// Assigns an approver to a department; assigning again changes nothing.
    pub async fn assign_approver(&self, user_id: i64, department_id: i64) -> StoreResult<User> {
        let approver = self.approver(user_id).await?;
        department::Entity::find_by_id(department_id).one(self.connection()).await?.ok_or_else(|| {
            StoreError::problem(
                "departmentId",
                ProblemCode::InvalidInput,
                Message::new("没有这个主管部门", "no such department"),
            )
        })?;
        // The approver's assignments are counted and the new one inserted under their row's lock.
        let txn = self.connection().begin().await?;
        crate::row_lock::lock_row::<user::Entity, _>(&txn, user_id).await?;
        let assigned = approver_assignment::Entity::find()
            .filter(approver_assignment::Column::UserId.eq(user_id))
            .filter(approver_assignment::Column::DepartmentId.ne(department_id))
            .count(&txn)
            .await?;
        if assigned >= MAX_ASSIGNMENTS_PER_APPROVER as u64 {
            return Err(StoreError::problem(
                "departmentId",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("该审核人已对口 {assigned} 个部门，已达上限：不分配对口部门的审核人即负责所有部门"),
                    format!(
                        "this approver is assigned to {assigned} departments, the most allowed: an approver with none works on every department"
                    ),
                ),
            ));
        }
        let row = approver_assignment::ActiveModel {
            user_id: Set(user_id),
            department_id: Set(department_id),
            assigned_at: Set(Utc::now()),
        };
        approver_assignment::Entity::insert(row)
            .on_conflict_do_nothing_on([approver_assignment::Column::UserId, approver_assignment::Column::DepartmentId])
            .exec(&txn)
            .await?;
        self.store().commits.commit(txn).await?;
        Ok(approver)
    }

    /// Takes an approver off a department; one not assigned to it stays as it is.
    pub async fn unassign_approver(&self, user_id: i64, department_id: i64) -> StoreResult<User> {
        let approver = self.approver(user_id).await?;
        approver_assignment::Entity::delete_many()
            .filter(approver_assignment::Column::UserId.eq(user_id))
            .filter(approver_assignment::Column::DepartmentId.eq(department_id))
            .exec(self.connection())
            .await?;
        Ok(self.store().commits.wrote(approver))
    }

    /// The user `user_id`, who must be an approver: only approvers work on departments' queues.
    async fn approver(&self, user_id: i64) -> StoreResult<User> {
        let found = user::Entity::find_by_id(user_id).one(self.connection()).await?;
        let found = found.ok_or_else(|| {
            StoreError::problem("userId", ProblemCode::InvalidInput, Message::new("没有这个用户", "no such user"))
        })?;
        if Role::from_code(&found.role) != Some(Role::Approver) {
            return Err(StoreError::problem(
                "userId",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("“{}”不是审核人：只有审核人可以分配对口部门", found.username),
                    format!("\"{}\" is not an APPROVER: only approvers are assigned to departments", found.username),
                ),
            ));
        }
        Ok(found)
    }
}

impl Store {
    /// The departments each of `user_ids` is assigned to, in the order of their ids; a user with
    /// none is absent.
    pub async fn assigned_departments(&self, user_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<i64>>> {
        let rows = approver_assignment::Entity::find()
            .filter(approver_assignment::Column::UserId.is_in(user_ids.iter().copied()))
            .order_by_asc(approver_assignment::Column::DepartmentId)
            .all(self.connection())
            .await?;
        let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
        for row in rows {
            out.entry(row.user_id).or_default().push(row.department_id);
        }
        Ok(out)
    }
}

/// The projects of the departments `user_id` is assigned to, or every project when they have no
/// assignment.
pub(crate) fn assigned_to(user_id: i64) -> Condition {
    let mine = Query::select()
        .column(approver_assignment::Column::DepartmentId)
        .from(approver_assignment::Entity)
        .and_where(approver_assignment::Column::UserId.eq(user_id))
        .to_owned();
    Condition::any().add(project::Column::DepartmentId.in_subquery(mine.clone())).add(Expr::exists(mine).not())
}
