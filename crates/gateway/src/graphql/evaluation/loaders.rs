//! Self-evaluation's batched look-ups: each project's evaluation, its history, and the
//! declaration in force it is scored against.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use jixiao_store::IdentifiedDeclaration;
use jixiao_store::evaluations::{EvaluationRecord, EvaluationReviewRecord};

use crate::error::ApiError;
use crate::graphql::loaders::{Batch, ids, key, loader};

// The declaration in force of a project with a self-evaluation the caller may see.
key!(InForceOfEvaluated);

loader!(EvaluationOf: one EvaluationRecord = |scope, ids| scope.evaluations().of_projects(&ids));

loader!(EvaluationReviewsOf: list EvaluationReviewRecord = |scope, ids| scope.evaluations().reviews_of(&ids));

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
