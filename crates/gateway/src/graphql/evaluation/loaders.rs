//! Self-evaluation's batched look-ups: each project's evaluation, its history, and the
//! declaration in force it is scored against.

use std::sync::Arc;

use std::collections::HashMap;

use async_graphql::dataloader::Loader;

use crate::error::ApiError;
use crate::graphql::loaders::{Batch, every_key, ids, key, rekey};
use jixiao_store::IdentifiedDeclaration;
use jixiao_store::evaluations::{EvaluationRecord, EvaluationReviewRecord};

key!(EvaluationOf);
key!(EvaluationReviewsOf);
// The declaration in force of a project with a self-evaluation the caller may see.
key!(InForceOfEvaluated);

impl Loader<EvaluationOf> for Batch {
    type Value = EvaluationRecord;
    type Error = ApiError;
    async fn load(&self, keys: &[EvaluationOf]) -> Result<HashMap<EvaluationOf, EvaluationRecord>, ApiError> {
        Ok(rekey(self.scope.evaluations().of_projects(&ids(keys, |k| k.0)).await?, EvaluationOf))
    }
}

impl Loader<EvaluationReviewsOf> for Batch {
    type Value = Vec<EvaluationReviewRecord>;
    type Error = ApiError;
    async fn load(
        &self,
        keys: &[EvaluationReviewsOf],
    ) -> Result<HashMap<EvaluationReviewsOf, Vec<EvaluationReviewRecord>>, ApiError> {
        Ok(every_key(keys, rekey(self.scope.evaluations().reviews_of(&ids(keys, |k| k.0)).await?, EvaluationReviewsOf)))
    }
}

impl Loader<InForceOfEvaluated> for Batch {
    type Value = Arc<IdentifiedDeclaration>;
    type Error = ApiError;
    async fn load(
        &self,
        keys: &[InForceOfEvaluated],
    ) -> Result<HashMap<InForceOfEvaluated, Arc<IdentifiedDeclaration>>, ApiError> {
        let found = self.scope.evaluations().in_force_of(&ids(keys, |k| k.0)).await?;
        Ok(found.into_iter().map(|(id, d)| (InForceOfEvaluated(id), Arc::new(d))).collect())
    }
}
