use async_graphql::{Context, Object, Result};
use jixiao_store::ReviewRecord;

use crate::error::ApiError;
use crate::graphql::access::access;
use crate::graphql::declaration::grading::CriteriaScoresView;
use crate::graphql::organization::loaders::UserKey;
use crate::graphql::scalars::DateTime;
use crate::graphql::types::enums::{Grade, ProjectStatus, ReviewAction};
use crate::graphql::types::nodes::User;

pub struct Review(pub ReviewRecord);

/// 审核记录: one step of the workflow, kept forever.
#[Object]
impl Review {
    async fn action(&self) -> ReviewAction {
        self.0.action.into()
    }

    async fn from_status(&self) -> ProjectStatus {
        self.0.from_status.into()
    }

    async fn to_status(&self) -> ProjectStatus {
        self.0.to_status.into()
    }

    /// The approver's comment, or the reason a project was sent back; empty when none was given.
    async fn comment(&self) -> &str {
        &self.0.comment
    }

    async fn actor(&self, ctx: &Context<'_>) -> Result<User> {
        let user = access(ctx)?.loader().load_one(UserKey(self.0.actor_id)).await?;
        Ok(User(user.ok_or_else(|| ApiError::internal(&format!("user {} is missing", self.0.actor_id)))?))
    }

    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }

    /// The grade given with an approval or a rejection (优 良 approve, 中 差 send back); `null`
    /// when none was given.
    async fn grade(&self) -> Option<Grade> {
        self.0.grading.map(|g| g.grade.into())
    }

    /// The four criteria's scores the grade rests on; `null` when none were given.
    async fn scores(&self) -> Option<CriteriaScoresView> {
        self.0.grading.and_then(|g| g.scores).map(Into::into)
    }
}
