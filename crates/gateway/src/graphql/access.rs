//! The only way a resolver reaches data: [`access`] returns the caller's [`Access`] (their actor,
//! a [`Scope`] bound to them, and this request's loaders) or UNAUTHENTICATED. A resolver never
//! holds the unchecked `Store`: the scope offers only what the actor may do (visibility,
//! permission rules, admin-only writes), so a forgotten check does not compile.

use std::sync::{Arc, Mutex};

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, HashMapCache};
use jixiao_domain::Actor;
use jixiao_store::{Projects, Scope, User};

use crate::error::{ApiError, ApiResult};
use crate::graphql::loaders::Batch;

pub struct Access {
    pub actor: Actor,
    pub user: User,
    pub scope: Scope,
    /// This request's batched, cached look-ups, and the scope's generation they were made at.
    loaders: Mutex<(u64, Arc<Loaders>)>,
}

/// Batches and caches look-ups for one request (the cache dies with the request, or sooner).
pub type Loaders = DataLoader<Batch, HashMapCache>;

fn loaders(scope: &Scope) -> Arc<Loaders> {
    Arc::new(DataLoader::with_cache(Batch::new(scope.clone()), tokio::spawn, HashMapCache::default()))
}

impl Access {
    pub fn new(user: User, scope: Scope) -> Access {
        let fresh = (scope.generation(), loaders(&scope));
        Access { actor: scope.actor(), user, scope, loaders: Mutex::new(fresh) }
    }

    pub fn projects(&self) -> Projects<'_> {
        self.scope.projects()
    }

    /// The request's loaders. Forgetting is by construction, not by a list: every write committed
    /// through the request's scope moves its generation on (`jixiao_store::lifecycle::Commits`),
    /// and loaders made before it are dropped here, so a field read after a mutation (mutations
    /// run one after another) reads afresh whatever the write touched.
    pub fn loader(&self) -> Arc<Loaders> {
        let generation = self.scope.generation();
        let mut current = self.loaders.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if current.0 != generation {
            *current = (generation, loaders(&self.scope));
        }
        current.1.clone()
    }

    /// Forgets everything loaded: a subscription's connection keeps one `Access` for all its
    /// events, and each event is read as it is now (others wrote it, not this scope).
    pub fn forget_everything(&self) {
        let fresh = (self.scope.generation(), loaders(&self.scope));
        *self.loaders.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = fresh;
    }
}

/// What the HTTP layer put into the request: the caller's access, or why there is none.
pub enum RequestAuth {
    Granted(Access),
    Missing,
    Invalid,
}

/// A request's credentials kept aside, to run it again with them (and a cache of its own).
pub enum AuthAgain {
    Granted(User, Scope),
    Missing,
    Invalid,
}

impl RequestAuth {
    pub fn kept_aside(&self) -> AuthAgain {
        match self {
            RequestAuth::Granted(access) => AuthAgain::Granted(access.user.clone(), access.scope.clone()),
            RequestAuth::Missing => AuthAgain::Missing,
            RequestAuth::Invalid => AuthAgain::Invalid,
        }
    }
}

impl AuthAgain {
    pub fn into_auth(self) -> RequestAuth {
        match self {
            AuthAgain::Granted(user, scope) => RequestAuth::Granted(Access::new(user, scope)),
            AuthAgain::Missing => RequestAuth::Missing,
            AuthAgain::Invalid => RequestAuth::Invalid,
        }
    }
}

/// The caller's access to the service's data: any signed-in user but a security auditor, who
/// reads the audit trail and nothing else (`signed_in`).
pub fn access<'a>(ctx: &Context<'a>) -> ApiResult<&'a Access> {
    let access = signed_in(ctx)?;
    if access.actor.reads_only_the_audit_log() {
        return Err(ApiError::Forbidden(jixiao_domain::permissions::auditor_reads_only()));
    }
    Ok(access)
}

/// Any signed-in user, a security auditor included: for `me`, the caller's own password and
/// the audit trail.
pub fn signed_in<'a>(ctx: &Context<'a>) -> ApiResult<&'a Access> {
    match ctx.data_opt::<RequestAuth>() {
        Some(RequestAuth::Granted(access)) => Ok(access),
        Some(RequestAuth::Invalid) => Err(ApiError::Unauthenticated(jixiao_domain::Message::new(
            "登录凭证无效（已过期、被篡改，或其用户已停用）：请重新登录",
            "the token is not valid (expired, altered, or its user was disabled): log in again",
        ))),
        Some(RequestAuth::Missing) | None => Err(ApiError::Unauthenticated(jixiao_domain::Message::new(
            "请先登录：调用 login，并以 `Authorization: Bearer <token>` 发送其返回的令牌",
            "sign in first: call login and send its token as `Authorization: Bearer <token>`",
        ))),
    }
}
