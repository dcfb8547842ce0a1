//! 批复下达: an act issues every approved, not yet issued project of a department's year.

use std::collections::HashMap;

use chrono::NaiveDate;
use jixiao_domain::{Message, Problem, ProblemCode, Status, approval};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use super::{IssueRecord, Publication};
use crate::entity::{approval_issue, department, project};
use crate::error::{StoreError, StoreResult, allow};
use crate::projects::insert::stored_now;
use crate::record::ProjectRecord;

/// What an act did: the act, the projects it issued, and the projects it left because they are
/// still in review (each a problem naming it).
#[derive(Debug)]
pub struct Issued {
    pub act: IssueRecord,
    pub projects: Vec<ProjectRecord>,
    pub still_in_review: Vec<Problem>,
}

impl Publication<'_> {
    /// Issues every approved, not yet issued project of the department's year under one act.
    /// Refused when there is none to issue (the projects still in review say why). Two acts at
    /// once never issue the same project: each claims the projects still unclaimed, in its own
    /// transaction, and the later one finds none left and is refused.
    pub async fn issue(
        &self,
        department_id: i64,
        fiscal_year: i32,
        document_no: &str,
        issued_on: NaiveDate,
    ) -> StoreResult<Issued> {
        allow(self.actor.may_issue_approvals())?;
        let rejected = |p| StoreError::Rejected(vec![p]);
        let document_no = approval::document_no(document_no).map_err(rejected)?;
        approval::check_issued_on(fiscal_year, issued_on).map_err(rejected)?;
        let txn = self.db.begin().await?;
        department::Entity::find_by_id(department_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let year = || {
            project::Entity::find()
                .filter(project::Column::DepartmentId.eq(department_id))
                .filter(project::Column::FiscalYear.eq(fiscal_year))
                .filter(project::Column::DeletedAt.is_null())
        };
        // An adjustment under review was approved before: its targets in force are issued with
        // the act, and it is listed as well, since what is being reviewed goes out with a later one.
        let in_review: Vec<Problem> = year()
            .filter(project::Column::Status.is_in(Status::codes_where(Status::is_under_review)))
            .order_by_asc(project::Column::Id)
            .all(&txn)
            .await?
            .into_iter()
            .map(|p| still_in_review(&p))
            .collect();
        let act = approval_issue::Entity::insert(approval_issue::ActiveModel {
            id: NotSet,
            department_id: Set(department_id),
            fiscal_year: Set(fiscal_year),
            document_no: Set(document_no),
            issued_on: Set(issued_on),
            issued_by: Set(self.actor.user_id),
            issued_at: Set(stored_now()),
        })
        .exec_with_returning(&txn)
        .await?;
        // Claimed by this act: approved at least once (an approved amount in force) and unissued.
        project::Entity::update_many()
            .col_expr(project::Column::ApprovalIssueId, Expr::value(act.id))
            .filter(project::Column::DepartmentId.eq(department_id))
            .filter(project::Column::FiscalYear.eq(fiscal_year))
            .filter(project::Column::DeletedAt.is_null())
            .filter(project::Column::ApprovedFen.is_not_null())
            .filter(project::Column::ApprovalIssueId.is_null())
            .exec(&txn)
            .await?;
        let issued: Vec<ProjectRecord> = project::Entity::find()
            .filter(project::Column::ApprovalIssueId.eq(act.id))
            .order_by_asc(project::Column::Id)
            .all(&txn)
            .await?
            .into_iter()
            .map(ProjectRecord::try_from)
            .collect::<Result<_, _>>()?;
        if issued.is_empty() {
            let mut problems = vec![Problem::new(
                "departmentId",
                ProblemCode::InvalidTransition,
                Message::new(
                    format!("{fiscal_year} 年度没有已审核通过、尚未下达的项目：无可下达"),
                    format!("no approved project of {fiscal_year} is waiting to be issued: there is nothing to issue"),
                ),
            )];
            problems.extend(in_review);
            return Err(StoreError::Rejected(problems));
        }
        super::announce(&txn, "issue", department_id, fiscal_year, Some(act.id)).await?;
        self.commits.commit(txn).await?;
        Ok(Issued { act: act.into(), projects: issued, still_in_review: in_review })
    }

    /// The acts of a department's year, oldest first; none for a caller who does not follow the
    /// department (another department's users, the auditor).
    pub async fn acts_of(&self, department_id: i64, fiscal_year: i32) -> StoreResult<Vec<IssueRecord>> {
        if !self.follows(department_id) {
            return Ok(vec![]);
        }
        let rows = approval_issue::Entity::find()
            .filter(approval_issue::Column::DepartmentId.eq(department_id))
            .filter(approval_issue::Column::FiscalYear.eq(fiscal_year))
            .order_by_asc(approval_issue::Column::Id)
            .all(self.db)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The acts with these ids (a page of projects' `issue`), by id. A caller sees an act of a
    /// project it can see, so no visibility applies beyond the project's own.
    pub async fn acts_by_ids(&self, ids: &[i64]) -> StoreResult<HashMap<i64, IssueRecord>> {
        let rows = approval_issue::Entity::find()
            .filter(approval_issue::Column::Id.is_in(ids.iter().copied()))
            .all(self.db)
            .await?;
        Ok(rows.into_iter().map(|m| (m.id, m.into())).collect())
    }
}

fn still_in_review(p: &project::Model) -> Problem {
    let status = Status::from_code(&p.status).map_or("审核中", |s| s.label());
    Problem::new(
        "projects",
        ProblemCode::InvalidTransition,
        Message::new(
            format!("项目“{}”仍在审核中（{status}），未随本次批复下达：审核通过后随下一次批复下达", p.name),
            format!(
                "“{}” is still in review ({}) and was not issued: it goes out with the next act once approved",
                p.name, p.status
            ),
        ),
    )
}
