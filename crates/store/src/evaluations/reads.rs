//! Reading self-evaluations, their scores and their history, through the actor's visibility.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::Evaluations;
use super::form::EvaluationForm;
use super::records::{EvaluationRecord, EvaluationReviewRecord, EvaluationScores};
use super::scoring::scored;
use crate::entity::{project, self_evaluation};
use crate::error::StoreResult;
use crate::lifecycle::{StepRecord, find_visible, steps_of, visible};
use crate::record::ProjectRecord;
use crate::snapshots::IdentifiedDeclaration;

impl Evaluations<'_> {
    pub async fn get(&self, id: i64) -> StoreResult<EvaluationRecord> {
        find_visible::<EvaluationForm, _>(self.db, &self.actor, id).await
    }

    /// The visible evaluation of each project among `project_ids`.
    pub async fn of_projects(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, EvaluationRecord>> {
        let rows = self_evaluation::Entity::find()
            .filter(
                visible::<EvaluationForm>(&self.actor)
                    .add(self_evaluation::Column::ProjectId.is_in(project_ids.iter().copied())),
            )
            .all(self.db)
            .await?;
        rows.into_iter().map(|r| EvaluationRecord::try_from(r).map(|e| (e.project_id, e)).map_err(Into::into)).collect()
    }

    /// The declarations in force of the projects `project_ids` that have an evaluation the actor
    /// may see, by project: what those evaluations are scored against. A page of evaluations
    /// is read in a constant number of statements, whatever its size.
    pub async fn in_force_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, IdentifiedDeclaration>> {
        use sea_orm::{QuerySelect, QueryTrait};
        let evaluated = self_evaluation::Entity::find()
            .select_only()
            .column(self_evaluation::Column::ProjectId)
            .filter(visible::<EvaluationForm>(&self.actor))
            .into_query();
        let projects = project::Entity::find()
            .filter(project::Column::Id.is_in(project_ids.iter().copied()))
            .filter(project::Column::Id.in_subquery(evaluated))
            .all(self.db)
            .await?
            .into_iter()
            .map(ProjectRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        crate::snapshots::in_force_declarations(self.db, &projects).await
    }

    /// `e` scored against its project's declaration in force (from [`Evaluations::in_force_of`]).
    pub fn scores(e: &EvaluationRecord, in_force: IdentifiedDeclaration) -> EvaluationScores {
        let (scored, _, _) = scored(&in_force, e);
        EvaluationScores { scored, in_force }
    }

    /// The history of each evaluation among `ids`: its last [`crate::record::REVIEWS_SHOWN`] steps.
    pub async fn reviews_of(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<EvaluationReviewRecord>>> {
        steps_of::<EvaluationForm, _, _>(
            self.db,
            |c| c.is_in(ids.iter().copied()),
            |r| r.evaluation_id,
            |r| StepRecord::read(&r),
        )
        .await
    }
}
