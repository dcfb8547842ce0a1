//! The department-wide form's mutations: saving it whole, editing one indicator row, and its
//! steps (a project's: submit, withdraw, forward, approve, reject, start and cancel an
//! adjustment), each at the version the client loaded.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use jixiao_domain::ReviewAction;
use jixiao_store::StoreError;
use jixiao_store::department_goals::GoalRowEdit;

use super::inputs::{GoalIndicatorRowInput, SaveDepartmentGoalsInput};
use super::types::DepartmentGoals;
use crate::graphql::access::access;
use crate::graphql::payload::{UserError, outcome};
use crate::ids::{Kind, decode};

#[derive(SimpleObject)]
pub struct DepartmentGoalsPayload {
    pub department_goals: Option<DepartmentGoals>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct DepartmentGoalsStepInput {
    pub id: ID,
    pub action: ReviewAction,
    pub expected_version: i32,
    /// The reason (required to send back or to adjust), or a comment.
    pub comment: Option<String>,
}

#[derive(InputObject)]
pub struct AddGoalIndicatorInput {
    pub id: ID,
    pub expected_version: i32,
    /// Where the row goes, from 0; none (or past the end): last.
    pub position: Option<i32>,
    pub indicator: GoalIndicatorRowInput,
}

#[derive(InputObject)]
pub struct UpdateGoalIndicatorInput {
    pub id: ID,
    pub expected_version: i32,
    pub row_id: i64,
    pub indicator: GoalIndicatorRowInput,
}

#[derive(InputObject)]
pub struct RemoveGoalIndicatorInput {
    pub id: ID,
    pub expected_version: i32,
    pub row_id: i64,
}

#[derive(InputObject)]
pub struct MoveGoalIndicatorInput {
    pub id: ID,
    pub expected_version: i32,
    pub row_id: i64,
    /// Where the row goes, from 0; past the end: last.
    pub position: i32,
}

fn position(p: i32) -> usize {
    usize::try_from(p).unwrap_or(0)
}

#[derive(Default)]
pub struct DepartmentGoalsMutation;

impl DepartmentGoalsMutation {
    async fn edit_row(
        ctx: &Context<'_>,
        id: &ID,
        expected_version: i32,
        edit: GoalRowEdit,
    ) -> Result<DepartmentGoalsPayload> {
        let access = access(ctx)?;
        let id = decode(id, Kind::DepartmentGoals)?;
        let result = access.scope.department_goals().edit_indicator(id, expected_version, edit).await;
        payload(result)
    }
}

fn payload(
    result: Result<jixiao_store::department_goals::DepartmentGoalsRecord, StoreError>,
) -> Result<DepartmentGoalsPayload> {
    let (record, user_errors) = outcome(result)?;
    Ok(DepartmentGoalsPayload { department_goals: record.map(DepartmentGoals::new), user_errors })
}

#[Object]
impl DepartmentGoalsMutation {
    /// 部门整体绩效目标: saves a department's form of a year whole (its submitters): created on
    /// the first save (no `expectedVersion`), replaced at `expectedVersion` while DRAFT, REJECTED
    /// or ADJUSTING. A draft may be incomplete; its findings say what is missing.
    async fn save_department_goals(
        &self,
        ctx: &Context<'_>,
        input: SaveDepartmentGoalsInput,
    ) -> Result<DepartmentGoalsPayload> {
        let access = access(ctx)?;
        let result = match input.into_store() {
            Ok((department, year, version, save)) => {
                access.scope.department_goals().save(department, year, version, save).await
            }
            Err(problems) => Err(StoreError::Rejected(problems)),
        };
        payload(result)
    }

    /// Adds one indicator row to a department-wide form.
    async fn add_department_goal_indicator(
        &self,
        ctx: &Context<'_>,
        input: AddGoalIndicatorInput,
    ) -> Result<DepartmentGoalsPayload> {
        let mut problems = Vec::new();
        let row = input.indicator.into_domain("indicator", &mut problems);
        if !problems.is_empty() {
            return payload(Err(StoreError::Rejected(problems)));
        }
        let edit = GoalRowEdit::Add { position: input.position.map(position), row };
        Self::edit_row(ctx, &input.id, input.expected_version, edit).await
    }

    /// Replaces one indicator row of a department-wide form (its id stays).
    async fn update_department_goal_indicator(
        &self,
        ctx: &Context<'_>,
        input: UpdateGoalIndicatorInput,
    ) -> Result<DepartmentGoalsPayload> {
        let mut problems = Vec::new();
        let row = input.indicator.into_domain("indicator", &mut problems);
        if !problems.is_empty() {
            return payload(Err(StoreError::Rejected(problems)));
        }
        Self::edit_row(ctx, &input.id, input.expected_version, GoalRowEdit::Update { row_id: input.row_id, row }).await
    }

    /// Removes one indicator row of a department-wide form.
    async fn remove_department_goal_indicator(
        &self,
        ctx: &Context<'_>,
        input: RemoveGoalIndicatorInput,
    ) -> Result<DepartmentGoalsPayload> {
        Self::edit_row(ctx, &input.id, input.expected_version, GoalRowEdit::Remove { row_id: input.row_id }).await
    }

    /// Moves one indicator row of a department-wide form.
    async fn move_department_goal_indicator(
        &self,
        ctx: &Context<'_>,
        input: MoveGoalIndicatorInput,
    ) -> Result<DepartmentGoalsPayload> {
        let edit = GoalRowEdit::Move { row_id: input.row_id, position: position(input.position) };
        Self::edit_row(ctx, &input.id, input.expected_version, edit).await
    }

    /// Moves a department-wide form along a project's workflow: SUBMIT (checked among the
    /// department's projects of the year; to its reviewer first where it has one), WITHDRAW,
    /// FORWARD, APPROVE (the goals in force kept), REJECT (with a reason), START_ADJUSTMENT
    /// (with a reason), CANCEL_ADJUSTMENT (the goals in force put back). The same people take
    /// the same steps as on a project.
    async fn step_department_goals(
        &self,
        ctx: &Context<'_>,
        input: DepartmentGoalsStepInput,
    ) -> Result<DepartmentGoalsPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::DepartmentGoals)?;
        let comment = input.comment.as_deref().unwrap_or("");
        let result =
            access.scope.department_goals().step(id, Some(input.expected_version), input.action, comment).await;
        payload(result)
    }
}
