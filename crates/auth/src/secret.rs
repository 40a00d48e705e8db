//! Random secrets and their hashes.

use sha2::{Digest, Sha256};

/// Why no secret could be made.
#[derive(Debug, thiserror::Error)]
#[error("the system random source failed: {0}")]
pub struct RandomError(String);

impl RandomError {
    pub(crate) fn new(reason: String) -> Self {
        RandomError(reason)
    }
}

/// A fresh secret: `prefix` followed by 64 hex digits (256 random bits).
pub fn secret(prefix: &str) -> Result<String, RandomError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| RandomError(e.to_string()))?;
    Ok(format!("{prefix}{}", hex(&bytes)))
}

/// A fresh Standard Webhooks signing secret: `whsec_` followed by 32 random bytes in standard base64
/// (what `chamado::webhooks::check_secret` takes). Shown once to whoever asked for it.
pub fn webhook_secret() -> Result<String, RandomError> {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| RandomError(e.to_string()))?;
    Ok(format!("{}{}", chamado::webhooks::SECRET_PREFIX, base64::engine::general_purpose::STANDARD.encode(bytes)))
}

/// The SHA-256 of `value` in hex. Used for high-entropy secrets (tokens, sessions), never passwords.
pub fn sha256_hex(value: &str) -> String {
    hex(&Sha256::digest(value.as_bytes()))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_random_and_hashes_stable() {
        let a = secret("cha_").map_err(|e| e.to_string());
        let b = secret("cha_").map_err(|e| e.to_string());
        assert!(matches!((&a, &b), (Ok(x), Ok(y)) if x != y && x.starts_with("cha_") && x.len() == 68));
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }

    #[test]
    fn webhook_secrets_are_random_and_pass_the_engines_check() {
        let (a, b) = (webhook_secret().map_err(|e| e.to_string()), webhook_secret().map_err(|e| e.to_string()));
        assert!(matches!((&a, &b), (Ok(x), Ok(y)) if x != y && x.starts_with("whsec_") && x.len() == 6 + 44));
        assert!(a.is_ok_and(|s| chamado::webhooks::check_secret(&s).is_ok()));
    }
}
