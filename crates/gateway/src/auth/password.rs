//! Passwords are stored only as argon2id hashes (PHC strings, salt and parameters included).

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Hashes a password with argon2id and a fresh random salt.
pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Checks a password against a stored hash. A hash that does not parse never matches.
pub fn verify(stored_hash: &str, password: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    PasswordHash::new(stored_hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Spends the time of one verification without a user, so that an unknown username costs as
/// long as a wrong password and the answer's timing does not reveal which it was.
pub fn verify_nothing(password: &str) {
    use std::sync::OnceLock;
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("jixiao-timing-equaliser").unwrap_or_default());
    let _ = verify(dummy, password);
}

/// A policy a person can meet: at least 8 characters, at most 1 KiB.
pub fn check_policy(password: &str) -> Result<(), jixiao_domain::Message> {
    use jixiao_domain::Message;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Message::new(
            format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"),
            format!("a password has at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Message::new(
            format!("密码最多 {MAX_PASSWORD_BYTES} 字节"),
            format!("a password has at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// Random bytes from the operating system (for a demo signing secret).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let a = hash("correct horse").unwrap();
        let b = hash("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify(&a, "correct horse"));
        assert!(!verify(&a, "correct horsE"));
        assert!(!verify("not a hash", "correct horse"));
        assert!(check_policy("short").is_err());
        assert!(check_policy("long enough").is_ok());
    }
}
