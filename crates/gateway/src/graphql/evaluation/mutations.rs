//! 绩效自评's mutations: the unit starts, fills and submits; approvers accept or return.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use jixiao_domain::monitoring::ReportAction;
use jixiao_store::evaluations::EvaluationChanges;

use crate::graphql::access::access;
use crate::graphql::evaluation::types::{SelfEvaluation, StartSelfEvaluationInput, UpdateSelfEvaluationInput};
use crate::graphql::payload::{UserError, outcome};
use crate::ids::{Kind, decode};

#[derive(SimpleObject)]
pub struct SelfEvaluationPayload {
    pub self_evaluation: Option<SelfEvaluation>,
    pub user_errors: Vec<UserError>,
}

fn payload(
    result: Result<jixiao_store::evaluations::EvaluationRecord, jixiao_store::StoreError>,
) -> Result<SelfEvaluationPayload> {
    let (record, user_errors) = outcome(result)?;
    Ok(SelfEvaluationPayload { self_evaluation: record.map(SelfEvaluation::new), user_errors })
}

#[derive(Default)]
pub struct EvaluationMutation;

impl EvaluationMutation {
    async fn step(ctx: &Context<'_>, id: ID, action: ReportAction, comment: &str) -> Result<SelfEvaluationPayload> {
        let id = decode(&id, Kind::SelfEvaluation)?;
        payload(access(ctx)?.scope.evaluations().transition(id, action, comment).await)
    }
}

#[Object]
impl EvaluationMutation {
    /// Starts the year-end self-evaluation of an APPROVED project (one per project), scored
    /// against its targets in force. Submitters of the project's department.
    async fn start_self_evaluation(
        &self,
        ctx: &Context<'_>,
        input: StartSelfEvaluationInput,
    ) -> Result<SelfEvaluationPayload> {
        let project_id = decode(&input.project_id, Kind::Project)?;
        payload(access(ctx)?.scope.evaluations().start(project_id).await)
    }

    /// Fills a DRAFT or RETURNED self-evaluation at `expectedVersion`: the budget executed, the
    /// weights (they must sum to 100), and each indicator's actual value (in its target's unit) or,
    /// for a qualitative one, the achievement and a score inside its band.
    async fn update_self_evaluation(
        &self,
        ctx: &Context<'_>,
        input: UpdateSelfEvaluationInput,
    ) -> Result<SelfEvaluationPayload> {
        let id = decode(&input.id, Kind::SelfEvaluation)?;
        let budget_executed =
            crate::graphql::declaration::inputs::money_patch("budgetExecuted", input.budget_executed)?;
        let weights = match input.weights {
            async_graphql::MaybeUndefined::Undefined => None,
            async_graphql::MaybeUndefined::Null => Some(None),
            async_graphql::MaybeUndefined::Value(w) => Some(Some(w.into_store()?)),
        };
        let results =
            input.indicators.into_iter().enumerate().map(|(n, r)| r.into_store(n)).collect::<Result<Vec<_>, _>>()?;
        let changes = EvaluationChanges { budget_executed, weights, results };
        payload(access(ctx)?.scope.evaluations().update(id, input.expected_version, changes).await)
    }

    /// Sends the self-evaluation to the approvers, after checking it: every actual value, every
    /// qualitative achievement, an explanation below full marks (all missing ones at once).
    async fn submit_self_evaluation(&self, ctx: &Context<'_>, id: ID) -> Result<SelfEvaluationPayload> {
        Self::step(ctx, id, ReportAction::Submit, "").await
    }

    /// Accepts a SUBMITTED self-evaluation. Approvers only.
    async fn accept_self_evaluation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        comment: Option<String>,
    ) -> Result<SelfEvaluationPayload> {
        Self::step(ctx, id, ReportAction::Accept, comment.as_deref().unwrap_or("")).await
    }

    /// Returns a SUBMITTED self-evaluation to its unit with a reason. Approvers only.
    async fn return_self_evaluation(&self, ctx: &Context<'_>, id: ID, reason: String) -> Result<SelfEvaluationPayload> {
        Self::step(ctx, id, ReportAction::Return, &reason).await
    }
}
