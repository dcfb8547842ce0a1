//! Logging in, and reading a request's credentials.

use jixiao_store::{Store, User};

use super::jwt::JwtKeys;
use super::password;
use crate::graphql::error::ApiError;

#[derive(Clone)]
pub struct Authenticator {
    pub store: Store,
    pub keys: JwtKeys,
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
}

impl Authenticator {
    /// A token for a username and password. Wrong password and unknown username get the same
    /// answer, in about the same time; repeated failures lock the username for a while
    /// (`domain::login_throttle`), whether or not it exists.
    pub async fn login(&self, username: &str, password: &str) -> Result<(String, u64, User), ApiError> {
        let refused = || ApiError::Unauthenticated("wrong username or password".into());
        let username = username.trim();
        if username.is_empty() || username.len() > 64 {
            return Err(refused());
        }
        if let Some(until) = self.store.login_locked_until(username).await? {
            self.metrics.record_login_failure();
            let seconds = (until - chrono::Utc::now()).num_seconds().max(1);
            return Err(ApiError::Unauthenticated(format!(
                "too many failed logins for this username: try again in {seconds} s"
            )));
        }
        let user = self.store.user_by_username(username).await?;
        // Hashing takes tens of milliseconds of CPU: off the async workers.
        let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
        let attempt = password.to_string();
        let matches = tokio::task::spawn_blocking(move || match stored_hash {
            Some(hash) => password::verify(&hash, &attempt),
            None => {
                password::verify_nothing(&attempt);
                false
            }
        })
        .await
        .map_err(|e| ApiError::internal(&e))?;
        let user = match user {
            Some(user) if matches && !user.disabled => user,
            other => {
                self.metrics.record_login_failure();
                let locked = self.store.record_login_failure(username).await?;
                tracing::info!(user_id = other.map(|u| u.id), locked = locked.is_some(), "login refused");
                return Err(refused());
            }
        };
        self.store.clear_login_failures(username).await?;
        let (token, expires) = self.keys.issue(user.id).map_err(|e| ApiError::internal(&e))?;
        tracing::info!(user_id = user.id, "login");
        Ok((token, expires, user))
    }
}
