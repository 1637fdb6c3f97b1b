//! Passwords hashed with Argon2id (the argon2 crate's defaults: 19 MiB, 2 passes, one
//! lane, per OWASP's password storage guidance), stored as PHC strings.

use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use rand::Rng;

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 8;

/// Why a password was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    #[error("a password needs at least {MIN_LENGTH} characters")]
    TooShort,
    #[error("the password could not be hashed: {0}")]
    Hash(String),
}

/// The PHC string of a new password.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    let bytes: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&bytes).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether a password matches a stored PHC string; a malformed string matches nothing.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the login does not exist, so that a wrong login takes as
/// long as a wrong password.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy password that matches nothing").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_and_a_wrong_one_does_not() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("correct hors", &h));
        assert!(!verify("correct horse", "not a phc string"));
        assert_eq!(hash("short"), Err(PasswordError::TooShort));
    }
}
