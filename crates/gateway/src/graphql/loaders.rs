//! Per-request batch loading (no N+1): every relation a page of projects needs is fetched with
//! one query per relation, whatever the page size. One [`Batch`] loads every key type through
//! the caller's [`Scope`], so every look-up (projects, their parts, users) stays within what they
//! may see.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use jixiao_store::Scope;

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

/// A key of one id and its batched look-up, read by `$read` (with the request's `$scope` and the
/// keys' `$ids`) in one statement whatever the number of keys: `one` value per id (an id without
/// one is absent), or a `list` per id (empty when it has no rows, so that the request's cache
/// remembers "none" instead of asking again). `each`: a key declared apart, whose `$read` answers
/// the map from the `$keys` itself.
macro_rules! loader {
    ($key:ident: each $value:ty = |$scope:ident, $keys:ident| $read:expr) => {
        impl async_graphql::dataloader::Loader<$key> for $crate::graphql::loaders::Batch {
            type Value = $value;
            type Error = $crate::error::ApiError;
            async fn load(
                &self,
                $keys: &[$key],
            ) -> Result<std::collections::HashMap<$key, $value>, $crate::error::ApiError> {
                let $scope = &self.scope;
                $read
            }
        }
    };
    ($key:ident: one $value:ty = |$scope:ident, $ids:ident| $read:expr) => {
        $crate::graphql::loaders::key!($key);

        impl async_graphql::dataloader::Loader<$key> for $crate::graphql::loaders::Batch {
            type Value = $value;
            type Error = $crate::error::ApiError;
            async fn load(
                &self,
                keys: &[$key],
            ) -> Result<std::collections::HashMap<$key, $value>, $crate::error::ApiError> {
                let $scope = &self.scope;
                let $ids = $crate::graphql::loaders::ids(keys, |k| k.0);
                Ok($crate::graphql::loaders::rekey($read.await?, $key))
            }
        }
    };
    ($key:ident: list $value:ty = |$scope:ident, $ids:ident| $read:expr) => {
        $crate::graphql::loaders::key!($key);

        impl async_graphql::dataloader::Loader<$key> for $crate::graphql::loaders::Batch {
            type Value = Vec<$value>;
            type Error = $crate::error::ApiError;
            async fn load(
                &self,
                keys: &[$key],
            ) -> Result<std::collections::HashMap<$key, Vec<$value>>, $crate::error::ApiError> {
                let $scope = &self.scope;
                let $ids = $crate::graphql::loaders::ids(keys, |k| k.0);
                let found = $read.await?;
                Ok($crate::graphql::loaders::every_key(keys, $crate::graphql::loaders::rekey(found, $key)))
            }
        }
    };
}

pub(crate) use loader;

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
