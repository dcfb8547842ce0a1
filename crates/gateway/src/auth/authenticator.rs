//! Logging in, and reading a request's credentials.

use jixiao_domain::Message;
use std::sync::Arc;
use std::time::Duration;

use jixiao_store::login_throttle::Attempt;
use jixiao_store::{Store, User};
use tokio::sync::Semaphore;

use super::jwt::JwtKeys;
use super::password;
use crate::error::ApiError;
use crate::quiet_threads::QuietThreads;

/// How long a login waits for a free password check before it is refused as RATE_LIMITED.
const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// Where a request came from: the connection's peer, or the proxy's `X-Forwarded-For` when the
/// service is told to trust it. Logins are throttled per address.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

#[derive(Clone)]
pub struct Authenticator {
    store: Store,
    pub keys: JwtKeys,
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Password checks running at once: each takes argon2id's 19 MiB and tens of milliseconds
    /// of a core, so a flood of logins is queued here instead of exhausting memory.
    pub checks: Arc<Semaphore>,
    /// Where the checks run: one thread per permit, below serving's priority.
    threads: QuietThreads,
}

impl Authenticator {
    pub fn new(store: Store, keys: JwtKeys, metrics: Arc<crate::metrics::Metrics>, concurrent_checks: usize) -> Self {
        let concurrent_checks = concurrent_checks.max(1);
        Authenticator {
            store,
            keys,
            metrics,
            checks: Arc::new(Semaphore::new(concurrent_checks)),
            threads: QuietThreads::start("password-check", concurrent_checks),
        }
    }

    /// A token for a username and password, tried from `address`. Wrong password and unknown
    /// username get the same answer, in about the same time; repeated failures make the next
    /// attempt of that username from that address (and, past a higher count, of any username
    /// from that address) wait a little longer each time (`domain::login_throttle`).
    pub async fn login(&self, username: &str, password: &str, address: &str) -> Result<(String, u64, User), ApiError> {
        let user = self.check_credentials(username, password, address).await?;
        let (token, expires) = self.keys.issue(user.id, user.token_version).map_err(|e| ApiError::internal(&e))?;
        tracing::info!(user_id = user.id, "login");
        Ok((token, expires, user))
    }

    /// The user whose username and password these are, tried from `address`, with the throttle
    /// of [`Authenticator::login`] (which signs in with it, and `changePassword` checks the
    /// current password with it).
    pub async fn check_credentials(&self, username: &str, password: &str, address: &str) -> Result<User, ApiError> {
        let refused = || ApiError::Unauthenticated(Message::new("用户名或密码不正确", "wrong username or password"));
        let username = jixiao_domain::organization::normalise_username(username);
        if username.is_empty() || username.len() > 64 {
            return Err(refused());
        }
        // The attempt is counted before its password is checked (atomically, on every instance),
        // so concurrent guesses are throttled as they arrive.
        if let Attempt::Wait(until) = self.store.reserve_login_attempt(&username, address).await? {
            self.metrics.record_login_failure();
            let seconds = (until - chrono::Utc::now()).num_seconds().max(1);
            return Err(ApiError::RateLimited(Message::new(
                format!("此地址登录失败次数过多：请等待 {seconds} 秒后再试"),
                format!("too many failed logins from this address: wait {seconds} s before the next attempt"),
            )));
        }
        let user = self.store.user_by_username(&username).await?;
        let matches = self.check_password(user.as_ref().map(|u| u.password_hash.clone()), password).await?;
        let user = match user {
            Some(user) if matches && !user.disabled => user,
            other => {
                self.metrics.record_login_failure();
                tracing::info!(user_id = other.map(|u| u.id), "credentials refused");
                return Err(refused());
            }
        };
        self.store.login_succeeded(&username, address).await?;
        Ok(user)
    }

    /// Stores `user_id`'s new password hash (ending the tokens issued before) and issues a token
    /// under the new version.
    pub async fn set_own_password(&self, user_id: i64, hash: &str) -> Result<(String, u64), ApiError> {
        self.store.set_own_password(user_id, hash).await?;
        let user = self.store.user_by_id(user_id).await?.ok_or_else(|| ApiError::not_found(("用户", "user")))?;
        self.keys.issue(user.id, user.token_version).map_err(|e| ApiError::internal(&e))
    }

    /// The department of a user `login` has just answered with: they proved who they are, and
    /// may see their own department before their token is used.
    pub async fn department_of_login(
        &self,
        user: &jixiao_store::User,
    ) -> Result<Option<jixiao_store::Department>, ApiError> {
        let Some(id) = user.department_id else { return Ok(None) };
        Ok(self.store.departments_by_ids(&[id]).await?.remove(&id))
    }

    /// Checks `attempt` against `stored_hash` (or spends the same time when there is no user),
    /// off the async workers and below their priority, at most `checks` at once; waits briefly
    /// for a turn.
    async fn check_password(&self, stored_hash: Option<String>, attempt: &str) -> Result<bool, ApiError> {
        let busy = || {
            ApiError::RateLimited(Message::new(
                "服务正忙于核验其他登录：请几秒钟后再试",
                "the service is busy checking other logins: try again in a few seconds",
            ))
        };
        let permit = tokio::time::timeout(QUEUE_WAIT, self.checks.clone().acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())?;
        let attempt = attempt.to_string();
        let checked = self.threads.run(move || {
            let _permit = permit;
            match stored_hash {
                Some(hash) => password::verify(&hash, &attempt),
                None => {
                    password::verify_nothing(&attempt);
                    false
                }
            }
        });
        checked.await.ok_or_else(|| ApiError::internal(&"no password check thread is running"))
    }
}
