//! Passwords: generating them, and hashing them exactly as the HTTP adapter verifies them (both use
//! `chamado-auth`); webhook signing secrets.

use crate::error::{AdminError, Result};

/// Letters and digits without look-alikes (no `0O1lI`).
const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Length of generated passwords (about 117 bits).
const GENERATED_LEN: usize = 20;

/// A fresh random password.
pub fn generate_password() -> Result<String> {
    let mut out = String::with_capacity(GENERATED_LEN);
    let limit = 256 - (256 % ALPHABET.len()); // rejection sampling keeps every character equally likely
    while out.len() < GENERATED_LEN {
        let mut buf = [0u8; 32];
        getrandom::fill(&mut buf).map_err(|e| AdminError::Secret(format!("the system random source failed: {e}")))?;
        for b in buf {
            if usize::from(b) < limit && out.len() < GENERATED_LEN {
                out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    Ok(out)
}

/// A fresh webhook signing secret: `whsec_` and the base64 of 32 random bytes (Standard Webhooks).
pub fn generate_webhook_secret() -> Result<String> {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AdminError::Secret(format!("the system random source failed: {e}")))?;
    Ok([chamado::webhooks::SECRET_PREFIX, &base64::engine::general_purpose::STANDARD.encode(bytes)].concat())
}

/// The stored form of a password (Argon2id PHC string, the HTTP adapter's format).
pub async fn hash_password(password: &str) -> Result<String> {
    if password.is_empty() {
        return Err(AdminError::Usage("the password must not be empty".into()));
    }
    chamado_auth::password::hash_async(password.to_string()).await.map_err(|e| AdminError::Secret(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_long_distinct_and_from_the_alphabet() {
        let a = generate_password().unwrap_or_default();
        let b = generate_password().unwrap_or_default();
        assert_eq!(a.len(), GENERATED_LEN);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)));
    }

    #[test]
    fn generated_webhook_secrets_are_valid_and_distinct() {
        let a = generate_webhook_secret().unwrap_or_default();
        assert!(chamado::webhooks::check_secret(&a).is_ok(), "{a}");
        assert_ne!(a, generate_webhook_secret().unwrap_or_default());
    }
}
