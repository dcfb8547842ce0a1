//! Who is calling: read once per request from `Authorization: Bearer <JWT>`, then put into the
//! request's data for the resolvers.

use jixiao_domain::{Actor, Role};
use jixiao_store::{Store, User};

use super::jwt::JwtKeys;
use crate::error::ApiError;

/// The outcome of reading a request's credentials.
#[derive(Clone)]
pub enum Session {
    /// No `Authorization` header.
    Anonymous,
    /// A header was sent but does not name an active user; the reason is logged, not sent.
    Invalid,
    /// A verified, active user.
    User { actor: Actor, user: User },
}

impl Session {
    pub async fn from_header(store: &Store, keys: &JwtKeys, header: Option<&str>) -> Result<Session, ApiError> {
        let Some(header) = header else {
            return Ok(Session::Anonymous);
        };
        let Some(token) = header.strip_prefix("Bearer ").map(str::trim) else {
            tracing::info!("authorization header without a Bearer token");
            return Ok(Session::Invalid);
        };
        let (user_id, version) = match keys.verify(token) {
            Ok(claims) => claims,
            Err(reason) => {
                tracing::info!(%reason, "token refused");
                return Ok(Session::Invalid);
            }
        };
        let user = store.user_for_request(user_id).await.map_err(ApiError::from)?;
        match user {
            // A token issued before the user was disabled stays dead once they are enabled again.
            Some(user) if !user.disabled && user.token_version == version => match Role::from_code(&user.role) {
                Some(role) => Ok(Session::User {
                    actor: Actor { user_id: user.id, role, department_id: user.department_id },
                    user,
                }),
                None => Err(ApiError::internal(&format!("user {} has an unknown role", user.id))),
            },
            _ => {
                tracing::info!(user_id, "token for a deleted or disabled user, or of an older version");
                Ok(Session::Invalid)
            }
        }
    }
}
