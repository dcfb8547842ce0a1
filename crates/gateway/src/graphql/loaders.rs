//! Per-request batch loading (no N+1): every relation a page of projects needs is fetched with
//! one query per relation, whatever the page size. One [`Batch`] loads every key type through
//! the caller's [`Scope`], so every look-up (projects, their parts, users) stays within what they
//! may see.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use jixiao_domain::{FundItem, Indicator};
use jixiao_store::{ProjectIndicatorNames, ProjectRecord, ReviewRecord, Row, Scope, SnapshotRecord};

use crate::error::ApiError;

pub struct Batch {
    pub(crate) scope: Scope,
}

impl Batch {
    pub fn new(scope: Scope) -> Batch {
        Batch { scope }
    }
}

/// A loader key: one id.
macro_rules! key {
    ($name:ident) => {
        #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
        pub struct $name(pub i64);
    };
}

pub(crate) use key;

key!(ProjectKey);
key!(FundItemsOf);
key!(IndicatorsOf);
key!(ReviewsOf);
key!(SnapshotsOf);
key!(RemarksOf);

pub(crate) fn ids<K: Copy>(keys: &[K], f: impl Fn(K) -> i64) -> Vec<i64> {
    keys.iter().copied().map(f).collect()
}

pub(crate) fn rekey<K: std::hash::Hash + Eq, V>(map: HashMap<i64, V>, k: impl Fn(i64) -> K) -> HashMap<K, V> {
    map.into_iter().map(|(id, v)| (k(id), v)).collect()
}

/// For relations that are lists: every key gets an answer, an empty list when it has no rows,
/// so that the request's cache remembers "none" instead of asking again.
pub(crate) fn every_key<K: std::hash::Hash + Eq + Copy, V>(
    keys: &[K],
    mut found: HashMap<K, Vec<V>>,
) -> HashMap<K, Vec<V>> {
    for k in keys {
        found.entry(*k).or_default();
    }
    found
}

impl Loader<ProjectKey> for Batch {
    type Value = ProjectRecord;
    type Error = ApiError;
    async fn load(&self, keys: &[ProjectKey]) -> Result<HashMap<ProjectKey, ProjectRecord>, ApiError> {
        Ok(rekey(self.scope.projects().get_many(&ids(keys, |k| k.0)).await?, ProjectKey))
    }
}

impl Loader<FundItemsOf> for Batch {
    type Value = Vec<Row<FundItem>>;
    type Error = ApiError;
    async fn load(&self, keys: &[FundItemsOf]) -> Result<HashMap<FundItemsOf, Vec<Row<FundItem>>>, ApiError> {
        Ok(every_key(keys, rekey(self.scope.projects().fund_items_of(&ids(keys, |k| k.0)).await?, FundItemsOf)))
    }
}

impl Loader<IndicatorsOf> for Batch {
    type Value = Vec<Row<Indicator>>;
    type Error = ApiError;
    async fn load(&self, keys: &[IndicatorsOf]) -> Result<HashMap<IndicatorsOf, Vec<Row<Indicator>>>, ApiError> {
        Ok(every_key(keys, rekey(self.scope.projects().indicators_of(&ids(keys, |k| k.0)).await?, IndicatorsOf)))
    }
}

impl Loader<SnapshotsOf> for Batch {
    type Value = Vec<SnapshotRecord>;
    type Error = ApiError;
    async fn load(&self, keys: &[SnapshotsOf]) -> Result<HashMap<SnapshotsOf, Vec<SnapshotRecord>>, ApiError> {
        Ok(every_key(keys, rekey(self.scope.projects().snapshots_of(&ids(keys, |k| k.0)).await?, SnapshotsOf)))
    }
}

impl Loader<RemarksOf> for Batch {
    type Value = Vec<jixiao_store::RemarkRecord>;
    type Error = ApiError;
    async fn load(&self, keys: &[RemarksOf]) -> Result<HashMap<RemarksOf, Vec<jixiao_store::RemarkRecord>>, ApiError> {
        Ok(every_key(keys, rekey(self.scope.projects().remarks_of(&ids(keys, |k| k.0)).await?, RemarksOf)))
    }
}

/// A department's projects of one fiscal year, as the copied-indicator rule reads them.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct DepartmentYear(pub i64, pub i32);

impl Loader<DepartmentYear> for Batch {
    type Value = Vec<ProjectIndicatorNames>;
    type Error = ApiError;
    async fn load(
        &self,
        keys: &[DepartmentYear],
    ) -> Result<HashMap<DepartmentYear, Vec<ProjectIndicatorNames>>, ApiError> {
        let pairs: Vec<(i64, i32)> = keys.iter().map(|k| (k.0, k.1)).collect();
        let found = self.scope.projects().indicator_names_by_department_year(&pairs).await?;
        Ok(every_key(keys, found.into_iter().map(|((d, y), v)| (DepartmentYear(d, y), v)).collect()))
    }
}

impl Loader<ReviewsOf> for Batch {
    type Value = Vec<ReviewRecord>;
    type Error = ApiError;
    async fn load(&self, keys: &[ReviewsOf]) -> Result<HashMap<ReviewsOf, Vec<ReviewRecord>>, ApiError> {
        Ok(every_key(keys, rekey(self.scope.projects().reviews_of(&ids(keys, |k| k.0)).await?, ReviewsOf)))
    }
}

/// Loads `keys` at once, without the loader's batching delay, and leaves the results in the
/// request's cache for the resolvers (used when the whole set of keys is known up front).
pub async fn warm<K>(
    loader: &DataLoader<Batch, HashMapCache>,
    keys: impl IntoIterator<Item = K>,
) -> Result<HashMap<K, <Batch as Loader<K>>::Value>, ApiError>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    Batch: Loader<K, Error = ApiError>,
{
    let mut keys: Vec<K> = keys.into_iter().collect();
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(k.clone()));
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let found = loader.loader().load(&keys).await?;
    loader.feed_many(found.clone()).await;
    Ok(found)
}
