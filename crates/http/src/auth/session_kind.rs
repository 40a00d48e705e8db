//! What customer sessions and agent console sessions share: a random token with a prefix, known to the
//! engine by its hash as a session of the kind's own (so a token of one kind never opens the other),
//! and a CSRF token derived from the secret.

use crate::problem::Problem;
use crate::random::{secret, sha256_hex};
use chamado::{Engine, Timestamp};
use chamado_auth::csrf::CsrfKey;
use std::time::Duration;

/// One kind of session.
pub struct SessionKind {
    /// What every token of this kind starts with.
    pub token_prefix: &'static str,
    /// Which of the engine's session kinds it is.
    pub kind: chamado::SessionKind,
    /// Mixed into the CSRF token, so the two kinds' CSRF tokens differ.
    pub csrf_label: &'static str,
}

impl SessionKind {
    /// Opens a session for `login` lasting `ttl`: its token and when it ends.
    pub async fn open(&self, engine: &Engine, login: &str, ttl: Duration) -> Result<(String, Timestamp), Problem> {
        let token = secret(self.token_prefix).map_err(|e| Problem::internal(e.to_string()))?;
        let expires_at = engine.open_session(self.kind, login, &sha256_hex(&token), ttl).await?;
        Ok((token, expires_at))
    }

    /// The login of a live session; expired sessions are removed and give `None`.
    pub async fn login_for(&self, engine: &Engine, token: &str) -> Result<Option<String>, chamado::Error> {
        if !token.starts_with(self.token_prefix) {
            return Ok(None);
        }
        engine.session_login(self.kind, &sha256_hex(token)).await
    }

    /// Ends a session.
    pub async fn close(&self, engine: &Engine, token: &str) -> Result<(), chamado::Error> {
        engine.close_session(self.kind, &sha256_hex(token)).await
    }

    /// The CSRF token of a session's forms: derived from the session secret, so a page of another
    /// site can neither read nor guess it.
    pub fn csrf_token(&self, key: &CsrfKey, session_token: &str) -> String {
        key.token(self.csrf_label, session_token)
    }
}
