//! `setDeadline`: the bureau sets, moves or clears a stage's deadline of a year.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use jixiao_domain::todo::DeadlineStage;

use super::types::Deadline;
use crate::graphql::access::access;
use crate::graphql::payload::{UserError, outcome};
use crate::graphql::scalars::Date;
use crate::ids::{Kind, decode};

#[derive(InputObject)]
pub struct SetDeadlineInput {
    pub fiscal_year: i32,
    /// DECLARATION, DEPARTMENT_REVIEW, BUREAU_REVIEW or SELF_EVALUATION (the others come with
    /// their round, item or act).
    pub stage: DeadlineStage,
    /// An extension for this department alone; none: the deadline of every department.
    pub department_id: Option<ID>,
    /// None: clears it (an extension withdrawn).
    pub due_on: Option<Date>,
}

#[derive(SimpleObject)]
pub struct DeadlinesPayload {
    /// The year's deadlines after the change.
    pub deadlines: Vec<Deadline>,
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct TodoMutation;

#[Object]
impl TodoMutation {
    /// Sets a stage's deadline of a year (approvers and admins), for every department or as one
    /// department's extension; every change is kept (`deadlineChanges`).
    async fn set_deadline(&self, ctx: &Context<'_>, input: SetDeadlineInput) -> Result<DeadlinesPayload> {
        let access = access(ctx)?;
        let department = input.department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?;
        let result = access
            .scope
            .todo()
            .set_deadline(input.fiscal_year, input.stage, department, input.due_on.map(|d| d.0))
            .await;
        let (deadlines, user_errors) = outcome(result)?;
        Ok(DeadlinesPayload {
            deadlines: deadlines.unwrap_or_default().into_iter().map(Deadline).collect(),
            user_errors,
        })
    }
}
