//! Moving a department's overall goals along a project's workflow: submit (to the department's
//! reviewer first where it has one), withdraw, forward, approve (the goals in force kept),
//! reject, start and cancel an adjustment (the goals in force put back).

use jixiao_domain::ReviewAction;
use jixiao_domain::department_goals::YearProject;
use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, TransactionTrait};

use super::DepartmentGoalsStore;
use super::form::DepartmentGoalsForm;
use super::reads::{YearProjectRow, year_projects};
use super::records::{DepartmentGoalsRecord, StoredGoals};
use super::writes::content_columns;
use crate::entity::department_goal as goals;
use crate::error::{StoreError, StoreResult, allow, version_conflict};
use crate::lifecycle::{Step, find_visible, take_step_writing};

impl DepartmentGoalsStore<'_> {
    /// Takes `action` on form `id`, at `expected_version` when given. Submitting checks the form
    /// among the department's projects of the year and reports every ERROR finding at once.
    pub async fn step(
        &self,
        id: i64,
        expected_version: Option<i32>,
        action: ReviewAction,
        comment: &str,
    ) -> StoreResult<DepartmentGoalsRecord> {
        let txn = self.db.begin().await?;
        let form = find_visible::<DepartmentGoalsForm, _>(&txn, &self.actor, id).await?;
        allow(self.actor.decide(action.into(), form.department_id, form.status))?;
        if expected_version.is_some_and(|v| v != form.version) {
            return Err(version_conflict());
        }
        let rejected = |p| StoreError::Rejected(vec![p]);
        jixiao_domain::workflow::check_comment(action, comment).map_err(rejected)?;
        let department_reviews =
            action == ReviewAction::Submit && crate::projects::department_reviews(&txn, form.department_id).await?;
        let to =
            jixiao_domain::workflow::destination(form.status, action, department_reviews, None).map_err(rejected)?;
        if action == ReviewAction::Submit {
            let projects = year_projects(&txn, &self.actor, &form).await?;
            let views: Vec<YearProject<'_>> = projects.iter().map(YearProjectRow::view).collect();
            form.goals.check_submission(&views).map_err(StoreError::Rejected)?;
        }
        let now = crate::projects::stored_now();
        let json = |e: serde_json::Error| StoreError::Database(sea_orm::DbErr::Custom(e.to_string()));
        let columns = match action {
            // The goals approved are the ones in force until an adjustment is approved.
            ReviewAction::Approve => vec![
                (goals::Column::InForce, Expr::value(serde_json::to_string(&form.stored()).map_err(json)?)),
                (goals::Column::ApprovedAt, Expr::value(now)),
            ],
            // Back to the goals in force, rows and ids included.
            ReviewAction::CancelAdjustment => match &form.in_force {
                Some(in_force) => content_columns(&StoredGoals::of(&in_force.to_input(), &form.in_force_ids))?,
                None => {
                    return Err(StoreError::Database(sea_orm::DbErr::Custom(format!("goals {id} have none in force"))));
                }
            },
            _ => vec![],
        };
        let step = Step::<DepartmentGoalsForm> {
            form_id: id,
            action,
            from: form.status,
            to,
            actor_id: self.actor.user_id,
            comment: comment.trim(),
            at: now,
        };
        take_step_writing::<DepartmentGoalsForm, _>(&txn, &form, &step, (), columns, version_conflict).await?;
        let row = goals::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let record = DepartmentGoalsRecord::try_from(row)?;
        if action == ReviewAction::Approve {
            // Goals in force are monitored in every round of their year.
            super::reports::enroll(&txn, &record).await?;
        }
        self.commits.commit(txn).await?;
        Ok(record)
    }
}
