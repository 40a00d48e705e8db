//! Password hashing with Argon2id (PHC strings). Hashes imported from OTRS/Znuny are checked too
//! ([`crate::legacy_hash`]); [`needs_rehash`] tells the login to store such a password again as Argon2id.

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

/// True when `password` matches `stored`: an Argon2 PHC string, or one of the hashes OTRS and Znuny
/// write ([`crate::legacy_hash`]). A malformed or unsupported hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match argon2_phc(stored) {
        Some(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        None => crate::legacy_hash::verify(password, stored),
    }
}

/// True when `stored` is not an Argon2 PHC string (an imported OTRS/Znuny hash, or garbage): after a
/// login that matched it, the password should be stored again with [`hash`].
pub fn needs_rehash(stored: &str) -> bool {
    argon2_phc(stored).is_none()
}

/// `stored` parsed, when it is an Argon2 PHC string. Other PHC-shaped strings (`$1$salt$hash` parses as
/// one) are left to the legacy formats.
fn argon2_phc(stored: &str) -> Option<PasswordHash> {
    PasswordHash::new(stored).ok().filter(|p| matches!(p.algorithm.as_str(), "argon2id" | "argon2i" | "argon2d"))
}

/// Checks a password off the async threads (on the bounded hashing threads). Without a stored hash it still spends the time of a check
/// (against a throw-away hash), so unknown logins cannot be told apart by timing; a quick legacy hash
/// (SHA, md5-crypt) is followed by that check too, so imported users are not told apart either.
pub async fn verify_async(password: String, stored: Option<String>) -> bool {
    let task = crate::hash_pool::run(move || match stored {
        Some(stored) if !needs_rehash(&stored) => verify(&password, &stored),
        Some(stored) => {
            let matched = verify(&password, &stored);
            spend_a_check(&password);
            matched
        }
        None => {
            spend_a_check(&password);
            false
        }
    });
    task.await.unwrap_or(false)
}

/// Spends the time of an Argon2id check, against a throw-away hash.
fn spend_a_check(password: &str) {
    if let Some(dummy) = dummy_hash() {
        let _ = verify(password, dummy);
    }
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
        assert!(!needs_rehash(&h));
    }

    #[test]
    fn imported_hashes_verify_and_need_a_rehash() {
        // sha256_hex("s3cret pass") and Znuny's bcrypt of it (see legacy_hash's tests for their source).
        for legacy in [
            "099a754c8251fb8a001b6642afb5259bd2edb705677b939f6ef4c00cab1e6389",
            "BCRYPT:4:AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99blO",
            "$1$Zq8mRt2w$gybYSRTAsj/BSbvInkU5w1",
        ] {
            assert!(verify("s3cret pass", legacy), "{legacy}");
            assert!(!verify("s3cret pasS", legacy), "{legacy}");
            assert!(needs_rehash(legacy), "{legacy}");
        }
        assert!(needs_rehash(""));
        assert!(needs_rehash("not a hash"));
        // A PHC string of another algorithm is no Argon2 hash.
        assert!(needs_rehash("$pbkdf2-sha256$i=1000$c2FsdA$aGFzaA"));
    }

    #[tokio::test]
    async fn legacy_hashes_check_off_the_async_threads() {
        let sha = "099a754c8251fb8a001b6642afb5259bd2edb705677b939f6ef4c00cab1e6389".to_string();
        assert!(verify_async("s3cret pass".into(), Some(sha.clone())).await);
        assert!(!verify_async("wrong".into(), Some(sha)).await);
        assert!(!verify_async("s3cret pass".into(), None).await);
    }
}
