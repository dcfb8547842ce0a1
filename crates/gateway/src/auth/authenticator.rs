//! Logging in, and reading a request's credentials.

use jixiao_store::{Store, User};

use super::jwt::JwtKeys;
use super::password;
use crate::graphql::error::ApiError;

#[derive(Clone)]
pub struct Authenticator {
    pub store: Store,
    pub keys: JwtKeys,
}

impl Authenticator {
    /// A token for a username and password. Wrong password and unknown username get the same
    /// answer, in about the same time.
    pub async fn login(&self, username: &str, password: &str) -> Result<(String, u64, User), ApiError> {
        let refused = || ApiError::Unauthenticated("wrong username or password".into());
        let user = self.store.user_by_username(username.trim()).await?;
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
        let Some(user) = user else {
            tracing::info!("login refused: unknown username");
            return Err(refused());
        };
        if !matches || user.disabled {
            tracing::info!(user_id = user.id, "login refused: wrong password or disabled user");
            return Err(refused());
        }
        let (token, expires) = self.keys.issue(user.id).map_err(|e| ApiError::internal(&e))?;
        tracing::info!(user_id = user.id, "login");
        Ok((token, expires, user))
    }
}
