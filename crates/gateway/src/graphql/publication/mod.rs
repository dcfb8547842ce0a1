//! 批复下达 and 绩效公开 on the graph: the issuing act (`ApprovalIssue`), a department's year as
//! published (`Publication`), and their mutations (`mutations.rs`).

pub mod mutations;

use async_graphql::{Context, Object, Result};
use jixiao_store::publication::{IssueRecord, PublicationStatus};

use crate::graphql::access::access;
use crate::graphql::loaders::loader;
use crate::graphql::organization::loaders::UserKey;
use crate::graphql::scalars::{Date, DateTime};
use crate::graphql::types::nodes::{Department, User};

loader!(IssueKey: one IssueRecord = |scope, ids| scope.publication().acts_by_ids(&ids));

/// 批复下达: one act issuing a department's approved projects of a year.
pub struct ApprovalIssue(pub IssueRecord);

impl ApprovalIssue {
    /// The act that issued a project (`Project.issue`), batched over a page of projects.
    pub async fn of_project(ctx: &Context<'_>, id: Option<i64>) -> Result<Option<ApprovalIssue>> {
        let Some(id) = id else { return Ok(None) };
        Ok(access(ctx)?.loader().load_one(IssueKey(id)).await?.map(ApprovalIssue))
    }
}

#[Object]
impl ApprovalIssue {
    /// 批复文号, e.g. "松财预〔2023〕12号".
    async fn document_no(&self) -> &str {
        &self.0.document_no
    }
    /// 批复日期: the day the act was issued (the twenty days to publish run from the first).
    async fn issued_on(&self) -> Date {
        Date(self.0.issued_on)
    }
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    async fn department(&self, ctx: &Context<'_>) -> Result<Department> {
        Department::of(ctx, self.0.department_id).await
    }
    /// Who issued it, when you may see them.
    async fn issued_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(access(ctx)?.loader().load_one(UserKey(self.0.issued_by)).await?.map(User))
    }
    /// When it was recorded.
    async fn issued_at(&self) -> DateTime {
        DateTime(self.0.issued_at)
    }
}

/// 绩效公开: where a department's year stands once approvals were issued to it.
pub struct Publication(pub PublicationStatus);

#[Object]
impl Publication {
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    async fn department(&self, ctx: &Context<'_>) -> Result<Department> {
        Department::of(ctx, self.0.department_id).await
    }
    /// The date of the year's first act.
    async fn first_issued_on(&self) -> Date {
        Date(self.0.first_issued_on)
    }
    /// How many acts issued the year's projects.
    async fn acts(&self) -> i64 {
        self.0.acts
    }
    /// 公开期限: the first act's date + 20 days (预算法 第十四条).
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }
    /// 公开日期, once the department recorded it (`markPublished`).
    async fn published_on(&self) -> Option<Date> {
        self.0.published.as_ref().map(|p| Date(p.published_on))
    }
    /// Where it was published.
    async fn url(&self) -> Option<&str> {
        self.0.published.as_ref().map(|p| p.url.as_str())
    }
    /// Not published by `dueOn` (published later, or not yet and the day in China is past it).
    async fn overdue(&self) -> bool {
        self.0.overdue
    }
    /// Published, and approved or issued again since (an adjustment approved, or an act issued,
    /// after the publication): the public table now says more than what was posted.
    async fn stale(&self) -> bool {
        self.0.stale
    }
    /// The public table as a printable page: `GET` it with the same token.
    async fn html_path(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(format!("/export/publication/{}/{}.html", code(ctx, self.0.department_id).await?, self.0.fiscal_year))
    }
    /// The public table as a workbook.
    async fn xlsx_path(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(format!("/export/publication/{}/{}.xlsx", code(ctx, self.0.department_id).await?, self.0.fiscal_year))
    }
}

async fn code(ctx: &Context<'_>, department_id: i64) -> Result<String> {
    Ok(Department::of(ctx, department_id).await?.0.code)
}
