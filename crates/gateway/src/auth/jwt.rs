//! Signed tokens (HS256). The algorithm is pinned, `exp`, `iat`, `sub` and `iss` are required,
//! the leeway is small and explicit, the lifetime configurable. A token names a user; the
//! user's role and state are read from the database on every request, so disabling a user or
//! changing a role takes effect at once.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "jixiao";
pub const MIN_SECRET_BYTES: usize = 32;
const LEEWAY_SECONDS: u64 = 30;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    pub iss: String,
    pub iat: u64,
    pub exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    /// The user's token version when it was issued; a token of an older version is dead.
    #[serde(default)]
    pub ver: i32,
}

#[derive(Clone, Debug)]
pub struct JwtConfig {
    pub secret: Vec<u8>,
    pub lifetime: Duration,
    pub audience: Option<String>,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    lifetime: Duration,
    audience: Option<String>,
}

impl JwtKeys {
    pub fn new(config: &JwtConfig) -> JwtKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = LEEWAY_SECONDS;
        validation.set_issuer(&[ISSUER]);
        let mut required = vec!["exp", "iat", "sub", "iss"];
        match &config.audience {
            Some(aud) => {
                validation.set_audience(&[aud]);
                required.push("aud");
            }
            None => validation.validate_aud = false,
        }
        validation.set_required_spec_claims(&required);
        JwtKeys {
            encoding: EncodingKey::from_secret(&config.secret),
            decoding: DecodingKey::from_secret(&config.secret),
            validation,
            lifetime: config.lifetime,
            audience: config.audience.clone(),
        }
    }

    /// Issues a token for `user_id` at its `token_version`; returns it with its expiry (seconds
    /// since the epoch).
    pub fn issue(&self, user_id: i64, token_version: i32) -> Result<(String, u64), jsonwebtoken::errors::Error> {
        let now = now_seconds();
        let claims = Claims {
            sub: user_id.to_string(),
            iss: ISSUER.to_string(),
            iat: now,
            exp: now + self.lifetime.as_secs(),
            aud: self.audience.clone(),
            ver: token_version,
        };
        Ok((encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?, claims.exp))
    }

    /// The user id and token version a valid token names. Every failure (bad signature, other
    /// algorithm, expired, missing claim, garbage) is the same answer to the client: the token is
    /// not valid.
    pub fn verify(&self, token: &str) -> Result<(i64, i32), String> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| e.to_string())?;
        if data.claims.iat > now_seconds() + LEEWAY_SECONDS {
            return Err("issued in the future".into());
        }
        let user_id = data.claims.sub.parse().map_err(|_| "subject is not a user id".to_string())?;
        Ok((user_id, data.claims.ver))
    }
}

fn now_seconds() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> JwtKeys {
        JwtKeys::new(&JwtConfig {
            secret: secret.as_bytes().to_vec(),
            lifetime: Duration::from_secs(3600),
            audience: None,
        })
    }

    #[test]
    fn issued_tokens_verify_and_forged_ones_do_not() {
        let k = keys("0123456789abcdef0123456789abcdef");
        let (token, _) = k.issue(7, 3).unwrap();
        assert_eq!(k.verify(&token), Ok((7, 3)));
        assert!(keys("another secret of thirty-two bytes!").verify(&token).is_err(), "wrong key");
        assert!(k.verify("garbage").is_err());
        // alg: none, with the same claims.
        let parts: Vec<_> = token.split('.').collect();
        use base64::Engine;
        let none = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert!(k.verify(&format!("{none}.{}.", parts[1])).is_err());
        // A tampered payload keeps the old signature.
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(r#"{"sub":"1","iss":"jixiao","iat":1,"exp":99999999999}"#);
        assert!(k.verify(&format!("{}.{payload}.{}", parts[0], parts[2])).is_err());
    }
}
