//! `issueApprovals` (the bureau issues a department's approved projects under one act) and
//! `markPublished` (the department records that it published them).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::{ApprovalIssue, Publication};
use crate::graphql::access::access;
use crate::graphql::declaration::project::Project;
use crate::graphql::payload::{UserError, outcome, user_errors};
use crate::graphql::scalars::Date;
use crate::ids::{Kind, decode};

#[derive(InputObject)]
pub struct IssueApprovalsInput {
    pub department_id: ID,
    pub fiscal_year: i32,
    /// 批复文号, at most 100 characters.
    pub document_no: String,
    /// 批复日期, within the fiscal year's budget cycle (the year before to the year after).
    pub issued_on: Date,
}

#[derive(SimpleObject)]
pub struct IssueApprovalsPayload {
    /// The act; null when nothing was issued.
    pub issue: Option<ApprovalIssue>,
    /// The projects it issued, in the order they were declared.
    pub issued_projects: Vec<Project>,
    /// Why nothing was issued, and each project left out because it is still in review
    /// (INVALID_TRANSITION, field `projects`): those go out with a later act.
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct MarkPublishedInput {
    pub department_id: ID,
    pub fiscal_year: i32,
    /// 公开日期: not before the first act, not after today.
    pub published_on: Date,
    /// Where it was published: an http(s) address.
    pub url: String,
}

#[derive(SimpleObject)]
pub struct PublicationPayload {
    pub publication: Option<Publication>,
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct PublicationMutation;

#[Object]
impl PublicationMutation {
    /// 批复下达: issues every approved, not yet issued project of the department's year under one
    /// act (its document number and date). Projects still in review are listed as user errors
    /// and stay unissued; an act with nothing to issue is refused. Approvers and admins.
    async fn issue_approvals(&self, ctx: &Context<'_>, input: IssueApprovalsInput) -> Result<IssueApprovalsPayload> {
        let access = access(ctx)?;
        let department = decode(&input.department_id, Kind::Department)?;
        let result = access
            .scope
            .publication()
            .issue(department, input.fiscal_year, &input.document_no, input.issued_on.0)
            .await;
        let (issued, errors) = outcome(result)?;
        Ok(match issued {
            Some(issued) => IssueApprovalsPayload {
                issue: Some(ApprovalIssue(issued.act)),
                issued_projects: issued.projects.into_iter().map(Project).collect(),
                user_errors: user_errors(issued.still_in_review),
            },
            None => IssueApprovalsPayload { issue: None, issued_projects: vec![], user_errors: errors },
        })
    }

    /// 绩效公开: records that the department published its year's issued targets (on
    /// `publishedOn`, at `url`); recording again replaces it (after an adjustment). Submitters of
    /// the department.
    async fn mark_published(&self, ctx: &Context<'_>, input: MarkPublishedInput) -> Result<PublicationPayload> {
        let access = access(ctx)?;
        let department = decode(&input.department_id, Kind::Department)?;
        let result = access
            .scope
            .publication()
            .mark_published(department, input.fiscal_year, input.published_on.0, &input.url)
            .await;
        let (status, user_errors) = outcome(result)?;
        Ok(PublicationPayload { publication: status.map(Publication), user_errors })
    }
}
