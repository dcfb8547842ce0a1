//! The bureau's acts on results: its own evaluation of a project (财政评价), and its decision on a
//! request (what the approval then grants by default).

use chrono::Utc;
use jixiao_domain::evaluation::{Grade, Points};
use jixiao_domain::results::check_decision;
use jixiao_domain::{Message, Money, ProblemCode, Role};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};

use super::Results;
use crate::entity::{budget_decision, finance_evaluation};
use crate::error::{StoreError, StoreResult};
use crate::record::ProjectRecord;

/// A decision as kept.
pub type DecisionRecord = budget_decision::Model;

/// The amount the bureau decided on the request as submitted now (its approval's default): a
/// decision made before this submission (on a request since sent back and changed) does not count.
pub(crate) async fn decided_amount<C: ConnectionTrait>(conn: &C, p: &ProjectRecord) -> StoreResult<Option<Money>> {
    let decision = budget_decision::Entity::find_by_id(p.id).one(conn).await?;
    Ok(decision
        .filter(|d| p.submitted_at.is_none_or(|submitted| d.decided_at >= submitted))
        .map(|d| Money::from_fen(d.amount_fen)))
}

impl Results<'_> {
    fn ensure_approver(&self) -> StoreResult<()> {
        if self.actor.role == Role::Approver {
            return Ok(());
        }
        Err(StoreError::Forbidden(Message::new(
            "只有审核人员可以评价项目或决定安排数",
            "only approvers evaluate projects and decide requests",
        )))
    }

    /// A project the caller sees (a deleted one is no project), or NotFound.
    async fn visible<C: ConnectionTrait>(&self, conn: &C, id: i64) -> StoreResult<ProjectRecord> {
        crate::lifecycle::find_visible::<crate::projects::ProjectForm, _>(conn, &self.actor, id).await
    }

    /// 财政评价: the bureau's own score of a project that ran its year (approvers); a later one
    /// replaces it. Its grade follows from the score as a self-evaluation's does.
    pub async fn record_finance_evaluation(
        &self,
        project_id: i64,
        score: Points,
        comment: &str,
    ) -> StoreResult<finance_evaluation::Model> {
        let p = self.visible(self.db, project_id).await?;
        self.ensure_approver()?;
        if !p.status.was_approved() {
            return Err(StoreError::problem(
                "projectId",
                ProblemCode::InvalidTransition,
                Message::new(
                    format!("{}的项目不能评价：只评价已批复执行的项目", p.status.label()),
                    format!("a {} project cannot be evaluated: only approved ones ran their year", p.status.code()),
                ),
            ));
        }
        if !(0..=Points::HUNDRED.0).contains(&score.0) {
            return Err(StoreError::problem(
                "score",
                ProblemCode::InvalidInput,
                Message::new("评价得分应在 0 到 100 分之间", "a score is between 0 and 100"),
            ));
        }
        let model = finance_evaluation::ActiveModel {
            id: NotSet,
            project_id: Set(project_id),
            score: Set(score.0),
            grade: Set(Grade::of(score).code().to_string()),
            comment: Set(comment.trim().to_string()),
            evaluated_by: Set(self.actor.user_id),
            evaluated_at: Set(Utc::now()),
        };
        let txn = self.db.begin().await?;
        finance_evaluation::Entity::insert(model)
            .on_conflict(
                OnConflict::column(finance_evaluation::Column::ProjectId)
                    .update_columns([
                        finance_evaluation::Column::Score,
                        finance_evaluation::Column::Grade,
                        finance_evaluation::Column::Comment,
                        finance_evaluation::Column::EvaluatedBy,
                        finance_evaluation::Column::EvaluatedAt,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
        let kept = finance_evaluation::Entity::find()
            .filter(finance_evaluation::Column::ProjectId.eq(project_id))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.commits.commit(txn).await?;
        Ok(kept)
    }

    /// 安排数: the bureau's decision on a request waiting for it (approvers): never above the
    /// request, and other than the suggestion only with a reason. The approval then grants it
    /// unless it says otherwise.
    pub async fn decide(&self, project_id: i64, amount: Money, reason: &str) -> StoreResult<DecisionRecord> {
        let p = self.visible(self.db, project_id).await?;
        self.ensure_approver()?;
        if !p.status.awaits_the_bureau() {
            return Err(StoreError::problem(
                "projectId",
                ProblemCode::InvalidTransition,
                Message::new(
                    format!("{}的项目不能决定安排数：只对待财政审核的申请决定", p.status.label()),
                    format!("a {} project is not waiting for the bureau's decision", p.status.code()),
                ),
            ));
        }
        let suggestion = self.suggestion(&p).await?;
        check_decision(suggestion.requested, suggestion.suggested, amount, reason)
            .map_err(|problem| StoreError::Rejected(vec![problem]))?;
        let model = budget_decision::ActiveModel {
            project_id: Set(project_id),
            amount_fen: Set(amount.fen()),
            reason: Set(reason.trim().to_string()),
            decided_by: Set(self.actor.user_id),
            decided_at: Set(Utc::now()),
        };
        let txn = self.db.begin().await?;
        budget_decision::Entity::insert(model)
            .on_conflict(
                OnConflict::column(budget_decision::Column::ProjectId)
                    .update_columns([
                        budget_decision::Column::AmountFen,
                        budget_decision::Column::Reason,
                        budget_decision::Column::DecidedBy,
                        budget_decision::Column::DecidedAt,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
        let kept = budget_decision::Entity::find_by_id(project_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        self.commits.commit(txn).await?;
        Ok(kept)
    }

    /// The decision on a request (the bureau only).
    pub async fn decision_of(&self, project_id: i64) -> StoreResult<Option<DecisionRecord>> {
        self.ensure_bureau()?;
        Ok(budget_decision::Entity::find_by_id(project_id).one(self.db).await?)
    }
}
