//! Password hashing with Argon2id (PHC strings).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::sync::OnceLock;

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("the password could not be hashed: {0}")]
pub struct HashError(String);

/// The Argon2id PHC string of `password` with a fresh random salt.
pub fn hash(password: &str) -> Result<String, HashError> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| HashError(e.to_string()))
}

/// True when `password` matches the PHC string `phc`. A malformed hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Checks a password off the async threads (on the bounded hashing threads). Without a stored hash it still spends the time of a check
/// (against a throw-away hash), so unknown logins cannot be told apart by timing.
pub async fn verify_async(password: String, phc: Option<String>) -> bool {
    let task = crate::hash_pool::run(move || match phc {
        Some(phc) => verify(&password, &phc),
        None => {
            if let Some(dummy) = dummy_hash() {
                let _ = verify(&password, dummy);
            }
            false
        }
    });
    task.await.unwrap_or(false)
}

/// Hashes off the async threads.
pub async fn hash_async(password: String) -> Result<String, HashError> {
    crate::hash_pool::run(move || hash(&password))
        .await
        .ok_or_else(|| HashError("the hashing threads stopped".into()))?
}

fn dummy_hash() -> Option<&'static str> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    DUMMY.get_or_init(|| hash("chamado timing equaliser").ok()).as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_the_right_password() {
        let h = hash("s3cret pass").map_err(|e| e.to_string());
        let Ok(h) = h else { return assert!(h.is_ok()) };
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("s3cret pass", &h));
        assert!(!verify("s3cret pasS", &h));
        assert!(!verify("s3cret pass", "not a hash"));
    }
}
