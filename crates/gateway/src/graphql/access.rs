//! The only way a resolver reaches data: [`access`] returns the caller's [`Access`] (their actor,
//! the store and this request's loaders) or UNAUTHENTICATED. The store is not in the schema's
//! data on its own, so a resolver cannot read anything without going through here, and the
//! store's own handles then apply the actor's visibility and permissions.

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, HashMapCache};
use jixiao_domain::Actor;
use jixiao_store::{Projects, Store, User};

use super::error::{ApiError, ApiResult};
use super::loaders::Batch;

pub struct Access {
    pub actor: Actor,
    pub user: User,
    pub store: Store,
    /// Batches and caches look-ups for this request only (the cache dies with the request).
    pub loader: DataLoader<Batch, HashMapCache>,
}

impl Access {
    pub fn new(actor: Actor, user: User, store: Store) -> Access {
        let loader = DataLoader::with_cache(Batch::new(store.clone(), actor), tokio::spawn, HashMapCache::default());
        Access { actor, user, store, loader }
    }

    pub fn projects(&self) -> Projects<'_> {
        self.store.projects(self.actor)
    }
}

/// What the HTTP layer put into the request: the caller's access, or why there is none.
pub enum RequestAuth {
    Granted(Access),
    Missing,
    Invalid,
}

pub fn access<'a>(ctx: &Context<'a>) -> ApiResult<&'a Access> {
    match ctx.data_opt::<RequestAuth>() {
        Some(RequestAuth::Granted(access)) => Ok(access),
        Some(RequestAuth::Invalid) => Err(ApiError::Unauthenticated(
            "the token is not valid (expired, altered, or its user was disabled): log in again".into(),
        )),
        Some(RequestAuth::Missing) | None => Err(ApiError::Unauthenticated(
            "sign in first: call login and send its token as `Authorization: Bearer <token>`".into(),
        )),
    }
}
