//! 审核意见: a reviewer's remark on a line of the form, and the unit's answer.

use async_graphql::{Context, ID, Object, Result};
use jixiao_store::RemarkRecord;

use crate::graphql::access::access;
use crate::graphql::declaration::loaders::IndicatorsOf;
use crate::graphql::declaration::parts::Indicator;
use crate::graphql::organization::loaders::UserKey;
use crate::graphql::scalars::DateTime;
use crate::graphql::types::nodes::User;
use crate::ids::{Kind, encode};

pub struct ReviewRemark(pub RemarkRecord);

/// What a free text of up to [`jixiao_domain::review_remark::MAX_REMARK`] characters (6 KB)
/// costs in a query's cost: one per 100 characters it may hold, so that a query aliasing the
/// remarks of a project hundreds of times is refused before it is answered, not after it took
/// gigabytes (QUERY_TOO_COMPLEX, not RESPONSE_TOO_LARGE).
const LONG_TEXT_COST: usize = jixiao_domain::review_remark::MAX_REMARK / 100;

/// A reviewer's remark on a box of the form (`field`, a path such as `funds.total` or
/// `indicators[3].target`) and/or on one indicator, with the unit's answer once given. Every
/// remark must be answered before the project is submitted again.
#[Object]
impl ReviewRemark {
    pub async fn id(&self) -> ID {
        encode(Kind::ReviewRemark, self.0.id)
    }

    /// The field path the remark is about, if it names one.
    async fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// The indicator's id, if the remark is about one (kept when the indicator was removed since).
    async fn indicator_id(&self) -> Option<ID> {
        self.0.indicator_id.map(|id| encode(Kind::Indicator, id))
    }

    /// The indicator as it is now; `null` when the remark is about none or it was removed.
    async fn indicator(&self, ctx: &Context<'_>) -> Result<Option<Indicator>> {
        let Some(id) = self.0.indicator_id else { return Ok(None) };
        let rows = access(ctx)?.loader().load_one(IndicatorsOf(self.0.project_id)).await?.unwrap_or_default();
        Ok(Indicator::list(rows).into_iter().find(|i| i.id == id))
    }

    /// Up to 2,000 characters; it counts 20 in a query's cost, as its answer does.
    #[graphql(complexity = "LONG_TEXT_COST")]
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// Who made the remark, when the users rule shows them to you (else `null`).
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(access(ctx)?.loader().load_one(UserKey(self.0.author_id)).await?.map(User))
    }

    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// Whether the unit has answered it.
    async fn answered(&self) -> bool {
        self.0.answer.is_some()
    }

    /// The unit's answer; `null` until answered.
    #[graphql(complexity = "LONG_TEXT_COST")]
    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }

    async fn answered_at(&self) -> Option<DateTime> {
        self.0.answered_at.map(DateTime)
    }

    async fn answered_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = self.0.answered_by else { return Ok(None) };
        Ok(access(ctx)?.loader().load_one(UserKey(id)).await?.map(User))
    }
}
