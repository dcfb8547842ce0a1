//! The only way a resolver reaches data: [`access`] returns the caller's [`Access`] (their actor,
//! a [`Scope`] bound to them, and this request's loaders) or UNAUTHENTICATED. A resolver never
//! holds the unchecked `Store`: the scope offers only what the actor may do (visibility,
//! permission rules, admin-only writes), so a forgotten check does not compile.

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, HashMapCache};
use jixiao_domain::Actor;
use jixiao_store::{Projects, Scope, User};

use super::loaders::Batch;
use crate::error::{ApiError, ApiResult};

pub struct Access {
    pub actor: Actor,
    pub user: User,
    pub scope: Scope,
    /// Batches and caches look-ups for this request only (the cache dies with the request).
    pub loader: DataLoader<Batch, HashMapCache>,
}

impl Access {
    pub fn new(user: User, scope: Scope) -> Access {
        let loader = DataLoader::with_cache(Batch::new(scope.clone()), tokio::spawn, HashMapCache::default());
        Access { actor: scope.actor(), user, scope, loader }
    }

    pub fn projects(&self) -> Projects<'_> {
        self.scope.projects()
    }

    /// Forgets what this request has loaded of projects and their rows: after a mutation wrote
    /// one, a later field of the same request (mutations run one after another) reads it afresh.
    pub fn forget_projects(&self) {
        use super::loaders::{FundItemsOf, InForceOfEvaluated, IndicatorsOf, ProjectKey, ReviewsOf};
        self.loader.clear::<ProjectKey>();
        self.loader.clear::<IndicatorsOf>();
        self.loader.clear::<FundItemsOf>();
        self.loader.clear::<ReviewsOf>();
        // An approved adjustment puts other targets in force: evaluations score against them.
        self.loader.clear::<InForceOfEvaluated>();
    }
}

impl Access {
    /// Forgets everything loaded: a subscription's connection keeps one `Access` for all its
    /// events, and each event is read as it is now.
    pub fn forget_everything(&self) {
        use super::loaders::*;
        self.forget_projects();
        self.loader.clear::<DepartmentKey>();
        self.loader.clear::<UnitKey>();
        self.loader.clear::<UnitsOfDepartment>();
        self.loader.clear::<UserKey>();
        self.loader.clear::<SnapshotsOf>();
        self.loader.clear::<RoundKey>();
        self.loader.clear::<ReportReviewsOf>();
        self.loader.clear::<ReportsOfProject>();
        self.loader.clear::<EvaluationOf>();
        self.loader.clear::<EvaluationReviewsOf>();
        self.loader.clear::<AssignedDepartmentsOf>();
        self.loader.clear::<RemarksOf>();
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
