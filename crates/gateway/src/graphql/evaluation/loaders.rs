//! Self-evaluation's batched look-ups: each project's evaluation, its history, and the
//! declaration in force it is scored against.

use std::sync::Arc;

use jixiao_store::IdentifiedDeclaration;
use jixiao_store::evaluations::{EvaluationRecord, EvaluationReviewRecord};

use crate::graphql::loaders::{ids, key, loader};

// The declaration in force of a project with a self-evaluation the caller may see.
key!(InForceOfEvaluated);

loader!(EvaluationOf: one EvaluationRecord = |scope, ids| scope.evaluations().of_projects(&ids));

loader!(EvaluationReviewsOf: list EvaluationReviewRecord = |scope, ids| scope.evaluations().reviews_of(&ids));

loader!(InForceOfEvaluated: each Arc<IdentifiedDeclaration> = |scope, keys| {
    let found = scope.evaluations().in_force_of(&ids(keys, |k| k.0)).await?;
    Ok(found.into_iter().map(|(id, d)| (InForceOfEvaluated(id), Arc::new(d))).collect())
});
