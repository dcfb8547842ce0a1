//! Moving a project along its workflow: the steps of the reviewed-form lifecycle, with what a
//! project keeps at each (the submission, the snapshot in force, monitoring enrolment).

use jixiao_domain::Grading;
use jixiao_domain::{Message, Problem, ProblemCode, ReviewAction, Role, Status};
use jixiao_domain::{approval, review_grade};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};

use super::amendments::Amendments;
use super::*;
use crate::entity::{fund_item, indicator, project, user};
use crate::error::allow;
use crate::error::{StoreError, StoreResult};
use crate::lifecycle::{Step, take_step};
use crate::record::ProjectRecord;

impl Projects<'_> {
    /// Moves a project along the workflow (submit, withdraw, approve, reject, start or cancel an
    /// adjustment) and records the step. Submitting checks the whole declaration first and
    /// reports every problem at once.
    pub async fn transition(&self, id: i64, action: ReviewAction, comment: &str) -> StoreResult<ProjectRecord> {
        self.transition_from(id, None, action, comment).await
    }

    /// Approves or sends back a project with a grade (and the criteria's scores): the grade
    /// must agree with the decision and the scores' band (`review_grade`), and a project sent
    /// back graded 差 ends NOT_APPROVED. An approval graded 良 may carry the amendments agreed
    /// with the department (`amendments.rs`), applied before the snapshot in force is kept.
    /// An approval grants `approved_amount` (批复金额; the whole request when `None`), checked
    /// by `approval::approved_amount`; nothing else takes one.
    pub async fn decide(&self, id: i64, action: ReviewAction, decision: Decision<'_>) -> StoreResult<ProjectRecord> {
        self.step(id, None, action, decision).await
    }

    /// [`Projects::transition`], refused with VERSION_CONFLICT when the project is no longer at
    /// `expected_version` (when given). Approving keeps a snapshot of the declaration approved
    /// (the targets in force) and enrolls the project in its year's monitoring rounds;
    /// cancelling an adjustment puts the snapshot in force back.
    pub async fn transition_from(
        &self,
        id: i64,
        expected_version: Option<i32>,
        action: ReviewAction,
        comment: &str,
    ) -> StoreResult<ProjectRecord> {
        self.step(id, expected_version, action, Decision { comment, ..Decision::default() }).await
    }

    async fn step(
        &self,
        id: i64,
        expected_version: Option<i32>,
        action: ReviewAction,
        decision: Decision<'_>,
    ) -> StoreResult<ProjectRecord> {
        let Decision { comment, grading, amendments, approved_amount } = decision;
        let txn = self.db.begin().await?;
        let current = self.find_visible(&txn, id).await?;
        allow(self.actor.decide(action.into(), current.department_id, current.status))?;
        if let Some(expected) = expected_version {
            ensure_version(&current, expected)?;
        }
        let rejected = |p| StoreError::Rejected(vec![p]);
        jixiao_domain::workflow::check_comment(action, comment).map_err(rejected)?;
        if let Some(grading) = &grading {
            review_grade::check_grading(action, current.status, grading).map_err(StoreError::Rejected)?;
        }
        if amendments.is_some() {
            review_grade::check_amendments(action, grading.map(|g| g.grade)).map_err(rejected)?;
        }
        let department_reviews = action == ReviewAction::Submit && department_reviews(&txn, current.department_id).await?;
        let to =
            jixiao_domain::workflow::destination(current.status, action, department_reviews, grading.map(|g| g.grade))
                .map_err(rejected)?;
        // What an approval grants, checked once the step itself is allowed (a project approved
        // already is INVALID_TRANSITION, whatever amount was sent).
        let approved = match action {
            // An amount named here; else the bureau's decision (结果应用), if it made one; else the request.
            ReviewAction::Approve => Some(
                match approved_amount {
                    Some(_) => approval::approved_amount(current.funds.annual_request, approved_amount, comment),
                    None => match crate::results::decided_amount(&txn, &current).await? {
                        Some(decided) => approval::approved_as_decided(current.funds.annual_request, decided),
                        None => approval::approved_amount(current.funds.annual_request, None, comment),
                    },
                }
                .map_err(rejected)?,
            ),
            _ if approved_amount.is_some() => {
                return Err(rejected(Problem::new(
                    "approvedAmount",
                    ProblemCode::InvalidInput,
                    Message::new("只有批准时才有批复金额", "only an approval grants an amount"),
                )));
            }
            _ => None,
        };
        // Submitting checks the declaration and keeps it as submitted: read once for both.
        let submitted = if action == ReviewAction::Submit {
            Some(crate::snapshots::load_identified(&txn, &current).await?)
        } else {
            None
        };
        if let Some(submitted) = &submitted {
            let mut problems = match submitted.declaration.check_submission() {
                Ok(()) => vec![],
                Err(problems) => problems,
            };
            problems.extend(crate::projects::remark_rows::unanswered(&txn, id).await?);
            if !problems.is_empty() {
                return Err(StoreError::Rejected(problems));
            }
        }
        let now = stored_now();
        let step = Step::<ProjectForm> {
            form_id: id,
            action,
            from: current.status,
            to,
            actor_id: self.actor.user_id,
            comment: comment.trim(),
            at: now,
        };
        // Someone else moved or edited the project between our read and our write.
        take_step::<ProjectForm, _>(&txn, &current, &step, grading, moved_meanwhile).await?;
        let version = current.version + 1;
        // What was agreed is written before the approved declaration is kept.
        let text = match amendments {
            Some(amendments) => self.amend(&txn, &current, amendments).await?,
            None => current.text.clone(),
        };
        if let Some(submitted) = submitted {
            crate::snapshots::keep_submitted(&txn, &current, submitted, version, now).await?;
        }
        if let Some(amount) = approved {
            project::Entity::update_many()
                .col_expr(project::Column::ApprovedFen, sea_orm::sea_query::Expr::value(amount.fen()))
                .filter(project::Column::Id.eq(id))
                .exec(&txn)
                .await?;
        }
        let approved_amount = approved.or(current.approved_amount);
        match action {
            ReviewAction::Approve => {
                let reason = if current.status == Status::AdjustmentSubmitted {
                    crate::snapshots::adjustment_reason(&txn, id).await?
                } else {
                    String::new()
                };
                let approved = ProjectRecord { version, text: text.clone(), approved_amount, ..current.clone() };
                crate::snapshots::keep(
                    &txn,
                    &approved,
                    version,
                    (now, Some(self.actor.user_id)),
                    &reason,
                    comment.trim(),
                )
                .await?;
                crate::monitoring::enroll(&txn, &approved).await?;
            }
            ReviewAction::StartAdjustment => crate::snapshots::ensure_in_force(&txn, &current).await?,
            ReviewAction::CancelAdjustment => restore_in_force(&txn, &current).await?,
            _ => {}
        }
        // The row as just written; cancelling an adjustment rewrote the declaration, so that
        // one is read again.
        let record = if action == ReviewAction::CancelAdjustment {
            project::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?.try_into()?
        } else {
            let submitted_at = if action == ReviewAction::Submit { Some(now) } else { current.submitted_at };
            ProjectRecord { status: to, version, updated_at: now, submitted_at, text, approved_amount, ..current }
        };
        self.commit(txn).await?;
        Ok(record)
    }
}

/// Whether a department reviews its units' declarations (and its own overall goals) before the
/// bureau: it has at least one department reviewer who is not disabled, as of this submission.
pub(crate) async fn department_reviews<C: ConnectionTrait>(conn: &C, department_id: i64) -> StoreResult<bool> {
    let reviewers = user::Entity::find()
        .filter(user::Column::DepartmentId.eq(department_id))
        .filter(user::Column::Role.eq(Role::DepartmentReviewer.code()))
        .filter(user::Column::Disabled.eq(false))
        .count(conn)
        .await?;
    Ok(reviewers > 0)
}

/// What a reviewer decides with a step: the comment (or reason), an optional grade, the
/// amendments agreed with an approval graded 良, and the amount an approval grants.
#[derive(Default)]
pub struct Decision<'a> {
    pub comment: &'a str,
    pub grading: Option<Grading>,
    pub amendments: Option<Amendments>,
    pub approved_amount: Option<jixiao_domain::Money>,
}

/// Cancelling an adjustment: the declaration goes back to the snapshot in force, rows and ids
/// included, and its stored findings with it.
pub(super) async fn restore_in_force<C: ConnectionTrait>(conn: &C, p: &ProjectRecord) -> StoreResult<()> {
    let Some(snapshot) = crate::snapshots::in_force(conn, p.id).await? else {
        return Err(StoreError::Database(sea_orm::DbErr::Custom(format!("project {} has no snapshot in force", p.id))));
    };
    let declaration = &snapshot.declaration;
    project::Entity::update_many()
        .set(declaration_row(declaration))
        .filter(project::Column::Id.eq(p.id))
        .exec(conn)
        .await?;
    fund_item::Entity::delete_many().filter(fund_item::Column::ProjectId.eq(p.id)).exec(conn).await?;
    indicator::Entity::delete_many().filter(indicator::Column::ProjectId.eq(p.id)).exec(conn).await?;
    insert_fund_items(conn, p.id, declaration, &snapshot.fund_item_ids).await?;
    insert_indicators(conn, p.id, declaration, &snapshot.indicator_ids).await?;
    crate::findings::store_findings(conn, p.id, declaration).await
}

/// Two steps (or a step and an edit) at the same moment: the one that lost.
fn moved_meanwhile() -> StoreError {
    StoreError::problem(
        "id",
        ProblemCode::VersionConflict,
        Message::new(
            "项目在同一时刻被他人修改：请刷新后重试",
            "the project was changed by someone else at the same moment; reload it and try again",
        ),
    )
}
