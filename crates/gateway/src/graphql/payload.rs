//! Mutation payloads: `{ <object>, userErrors { field message code } }`. A problem the user can
//! fix is a user error (nothing was written); who-may-do-what and what-exists are top-level
//! errors with codes.

use async_graphql::{ID, SimpleObject};
use jixiao_domain::Problem;
use jixiao_store::StoreError;

use crate::error::ApiError;
use crate::graphql::declaration::project::Project;
use crate::graphql::types::enums::UserErrorCode;
use crate::graphql::types::nodes::User;
use crate::graphql::types::nodes::{BudgetUnit, Department};

#[derive(SimpleObject, Clone)]
pub struct UserError {
    /// The input path the problem concerns, e.g. `funds.total` or `indicators[3].target`.
    pub field: String,
    /// In Chinese, or in English for `Accept-Language: en`.
    pub message: String,
    pub code: UserErrorCode,
}

impl From<Problem> for UserError {
    fn from(p: Problem) -> UserError {
        UserError { field: p.field, message: crate::lang::read(&p.message), code: p.code.into() }
    }
}

pub fn user_errors(problems: Vec<Problem>) -> Vec<UserError> {
    problems.into_iter().map(Into::into).collect()
}

/// Splits a store outcome into what a payload carries: the value, or user errors; anything
/// else becomes a top-level error.
pub fn outcome<T>(result: Result<T, StoreError>) -> Result<(Option<T>, Vec<UserError>), ApiError> {
    match result {
        Ok(v) => Ok((Some(v), vec![])),
        Err(StoreError::Rejected(problems)) => Ok((None, user_errors(problems))),
        Err(other) => Err(other.into()),
    }
}

#[derive(SimpleObject)]
pub struct ProjectPayload {
    pub project: Option<Project>,
    pub user_errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct DeleteProjectPayload {
    pub deleted_project_id: Option<ID>,
    pub user_errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct DepartmentPayload {
    pub department: Option<Department>,
    pub user_errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct BudgetUnitPayload {
    pub budget_unit: Option<BudgetUnit>,
    pub user_errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct UserPayload {
    pub user: Option<User>,
    pub user_errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When the token expires (RFC 3339).
    pub expires_at: crate::graphql::scalars::DateTime,
    pub user: User,
}

/// What `checkDeclaration` answers for a form that is not saved.
#[derive(SimpleObject)]
pub struct DeclarationCheck {
    /// What saving the form would refuse, as `createProject` would say it (empty: it may be saved).
    pub user_errors: Vec<UserError>,
    /// What the reviewer's assistant finds in the form as far as it parses; for a form that may
    /// be saved, exactly the findings the saved project will have. ERROR findings block submission.
    pub findings: crate::graphql::plain::PlainList<crate::graphql::declaration::findings::Finding>,
    pub finding_counts: crate::graphql::declaration::findings::FindingCounts,
}

#[derive(SimpleObject)]
pub struct DeleteBudgetUnitPayload {
    pub deleted_budget_unit_id: Option<ID>,
    pub user_errors: Vec<UserError>,
}

/// A new token after a password change (the old ones stop working), or why not.
#[derive(SimpleObject)]
pub struct ChangePasswordPayload {
    pub token: Option<String>,
    pub expires_at: Option<crate::graphql::scalars::DateTime>,
    pub user_errors: Vec<UserError>,
}

/// What an indicator edit answers: the project at its new version, the row (none once removed),
/// or why nothing was saved.
#[derive(SimpleObject)]
pub struct IndicatorPayload {
    pub project: Option<Project>,
    pub indicator: Option<crate::graphql::declaration::parts::Indicator>,
    pub user_errors: Vec<UserError>,
}

/// What a fund item edit answers: the project at its new version, the item (none once
/// removed), or why nothing was saved.
#[derive(SimpleObject)]
pub struct FundItemPayload {
    pub project: Option<Project>,
    pub fund_item: Option<crate::graphql::declaration::parts::FundItem>,
    pub user_errors: Vec<UserError>,
}
