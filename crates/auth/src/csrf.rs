//! CSRF tokens of HTML forms: an HMAC-SHA256, under a server secret, of the session the form belongs
//! to. A page of another site can neither read the token nor compute it: without the server's key,
//! even someone who learns a session's cookie name and format cannot forge one.

use crate::secret::{RandomError, constant_time_eq, hex};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The server's CSRF key. Nodes that share sessions (several helpdesks on one PostgreSQL) must share
/// it too: build it with [`CsrfKey::from_secret`] from a secret they all hold.
#[derive(Clone)]
pub struct CsrfKey([u8; 32]);

impl std::fmt::Debug for CsrfKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfKey(..)")
    }
}

impl CsrfKey {
    /// A fresh random key: forms rendered before a restart then fail their check after it.
    pub fn random() -> Result<Self, RandomError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| RandomError::new(e.to_string()))?;
        Ok(CsrfKey(key))
    }

    /// The key derived from a configured secret (any length; use at least 32 random characters).
    pub fn from_secret(secret: &str) -> Self {
        CsrfKey(Sha256::digest(secret.as_bytes()).into())
    }

    /// The token of the forms of session `session` of kind `label` (each session kind its own label,
    /// so a token of one never passes for the other).
    pub fn token(&self, label: &str, session: &str) -> String {
        // `new_from_slice` takes keys of any length; 32 bytes cannot fail.
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => return String::new(),
        };
        mac.update(label.as_bytes());
        mac.update(b"\x1f");
        mac.update(session.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// Whether `given` is the token of session `session` of kind `label`, compared in constant time.
    pub fn verify(&self, label: &str, session: &str, given: &str) -> bool {
        let expected = self.token(label, session);
        !expected.is_empty() && constant_time_eq(&expected, given)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_depend_on_key_label_and_session() {
        let key = CsrfKey::from_secret("server secret");
        let t = key.token("portal", "chs_abc");
        assert_eq!(t.len(), 64);
        assert!(key.verify("portal", "chs_abc", &t));
        assert!(!key.verify("console", "chs_abc", &t), "another kind's label");
        assert!(!key.verify("portal", "chs_abd", &t), "another session");
        assert!(!CsrfKey::from_secret("other secret").verify("portal", "chs_abc", &t), "another key");
        assert!(!key.verify("portal", "chs_abc", ""));
        let random = CsrfKey::random().map_err(|e| e.to_string());
        assert!(random.is_ok_and(|k| k.token("portal", "x") != t));
    }
}
