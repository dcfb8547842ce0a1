//! The library's batched look-ups: a page of entries asks for their uses, history and last
//! actual value in one statement each, not one per entry.

use jixiao_store::library::EntryUse;

use crate::graphql::loaders::{every_key, loader};

/// How many live projects the caller may see use the entry.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct UseCountOf(pub i64);

loader!(UseCountOf: each i64 = |scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let counts = scope.library().use_counts(&ids).await?;
    Ok(keys.iter().map(|k| (*k, counts.get(&k.0).copied().unwrap_or(0))).collect())
});

/// The entry's uses the caller may see, newest year first.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct UsesOf(pub i64);

loader!(UsesOf: each Vec<EntryUse> = |scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let found = scope.library().uses(&ids).await?;
    Ok(every_key(keys, found.into_iter().map(|(id, uses)| (UsesOf(id), uses)).collect()))
});

/// The last accepted actual value among the entry's uses the caller may see.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct HistoryValueOf(pub i64);

loader!(HistoryValueOf: each String = |scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let found = scope.library().history_values(&ids).await?;
    Ok(found.into_iter().map(|(id, value)| (HistoryValueOf(id), value)).collect())
});

/// The entry's changes, newest first.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct VersionsOf(pub i64);

loader!(VersionsOf: each Vec<jixiao_store::library::EntryVersion> = |scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let found = scope.library().versions(&ids).await?;
    Ok(every_key(keys, found.into_iter().map(|(id, v)| (VersionsOf(id), v)).collect()))
});
