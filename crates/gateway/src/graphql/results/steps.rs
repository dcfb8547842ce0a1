//! A rectification item's history: one object per step (answered, closed, reopened), read for a
//! page of items at once.

use async_graphql::{Context, Object, Result};
use jixiao_domain::rectification::RectificationAction;
use jixiao_domain::results::RectificationStatus;
use jixiao_store::results::ItemStepRecord;

use crate::graphql::access::access;
use crate::graphql::loaders::loader;
use crate::graphql::organization::loaders::UserKey;
use crate::graphql::scalars::DateTime;
use crate::graphql::types::nodes::User;

loader!(ItemStepsOf: list ItemStepRecord = |scope, ids| scope.results().item_steps_of(&ids));

/// One step of a rectification item's history.
pub struct RectificationStep(pub ItemStepRecord);

impl RectificationStep {
    /// The steps of item `id`, oldest first.
    pub async fn of_item(ctx: &Context<'_>, id: i64) -> Result<Vec<RectificationStep>> {
        let steps = access(ctx)?.loader().load_one(ItemStepsOf(id)).await?;
        Ok(steps.unwrap_or_default().into_iter().map(RectificationStep).collect())
    }
}

/// One step of a rectification item's history: answered, closed or reopened.
#[Object]
impl RectificationStep {
    async fn action(&self) -> RectificationAction {
        self.0.action
    }
    async fn action_label(&self) -> &str {
        self.0.action.label()
    }
    async fn from_status(&self) -> RectificationStatus {
        self.0.from_status
    }
    async fn to_status(&self) -> RectificationStatus {
        self.0.to_status
    }
    /// The reason an item was reopened; empty for the other steps.
    async fn comment(&self) -> &str {
        &self.0.comment
    }
    /// Who acted, when you may see them.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(access(ctx)?.loader().load_one(UserKey(self.0.actor_id)).await?.map(User))
    }
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
}
