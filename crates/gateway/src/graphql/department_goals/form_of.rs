//! Reading the form a department-wide report or self-evaluation belongs to (`objects::FormOf`),
//! at most once per object.

use async_graphql::{Context, Result};
use jixiao_store::department_goals::DepartmentGoalsRecord;

use super::objects::{FormOf, GoalIndicator, indicators_of};
use crate::error::ApiError;
use crate::graphql::access::access;

impl FormOf {
    pub async fn get(&self, ctx: &Context<'_>) -> Result<&DepartmentGoalsRecord> {
        Ok(self
            .form
            .get_or_try_init(|| async {
                access(ctx)?.scope.department_goals().get(self.goals_id).await.map_err(ApiError::from)
            })
            .await?)
    }

    /// Its indicators in force (the goals last approved), in the form's order.
    pub async fn rows_in_force(&self, ctx: &Context<'_>) -> Result<Vec<GoalIndicator>> {
        let form = self.get(ctx).await?;
        Ok(form.in_force.as_ref().map(|g| indicators_of(g, &form.in_force_ids)).unwrap_or_default())
    }
}
