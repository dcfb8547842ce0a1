//! The declaration's batched look-ups: projects, their fund items, indicators, snapshots,
//! remarks and review history, and a department's projects of a year for the copied-indicator
//! rule.

use jixiao_domain::{FundItem, Indicator};
use jixiao_store::{ProjectIndicatorNames, ProjectRecord, ReviewRecord, Row, SnapshotRecord};

use crate::graphql::loaders::{every_key, loader};

loader!(ProjectKey: one ProjectRecord = |scope, ids| scope.projects().get_many(&ids));

loader!(FundItemsOf: list Row<FundItem> = |scope, ids| scope.projects().fund_items_of(&ids));

loader!(IndicatorsOf: list Row<Indicator> = |scope, ids| scope.projects().indicators_of(&ids));

loader!(SnapshotsOf: list SnapshotRecord = |scope, ids| scope.projects().snapshots_of(&ids));

loader!(SubmissionsOf: list SnapshotRecord = |scope, ids| scope.projects().submissions_of(&ids));

loader!(RemarksOf: list jixiao_store::RemarkRecord = |scope, ids| scope.projects().remarks_of(&ids));

loader!(ReviewsOf: list ReviewRecord = |scope, ids| scope.projects().reviews_of(&ids));

/// A department's projects of one fiscal year, as the copied-indicator rule reads them.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct DepartmentYear(pub i64, pub i32);

loader!(DepartmentYear: each Vec<ProjectIndicatorNames> = |scope, keys| {
    let pairs: Vec<(i64, i32)> = keys.iter().map(|k| (k.0, k.1)).collect();
    let found = scope.projects().indicator_names_by_department_year(&pairs).await?;
    Ok(every_key(keys, found.into_iter().map(|((d, y), v)| (DepartmentYear(d, y), v)).collect()))
});

/// What the indicator library's rules read for a project's declaration (its department's
/// entries its rows can concern, with their history there); a page of projects reads it at once.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct LibraryFactsOf(pub i64);

loader!(LibraryFactsOf: each std::sync::Arc<Vec<jixiao_domain::findings::LibraryFact>> = |scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let found = scope.library().facts_for_projects(&ids).await?;
    Ok(found.into_iter().map(|(id, facts)| (LibraryFactsOf(id), facts)).collect())
});
