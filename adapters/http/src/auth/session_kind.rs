//! What customer sessions and agent console sessions share: a random token with a prefix, stored
//! hashed with its login and expiry in the store's adapter area under a namespace of the kind's own
//! (so a token of one kind never opens the other), expired ones removed when seen, and a CSRF token
//! derived from the secret.

use crate::problem::Problem;
use crate::random::{secret, sha256_hex};
use chamado::{Engine, Timestamp};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One kind of session.
pub(crate) struct SessionKind {
    /// What every token of this kind starts with.
    pub token_prefix: &'static str,
    /// The adapter-area key namespace (`http:<namespace>:<sha256 of the token>`).
    pub namespace: &'static str,
    /// Mixed into the CSRF token, so the two kinds' CSRF tokens differ.
    pub csrf_label: &'static str,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    login: String,
    expires_at: i64,
}

impl SessionKind {
    fn key(&self, token: &str) -> String {
        format!("http:{}:{}", self.namespace, sha256_hex(token))
    }

    /// Opens a session for `login` lasting `ttl`: its token and when it ends.
    pub(crate) async fn open(
        &self,
        engine: &Engine,
        login: &str,
        ttl: Duration,
    ) -> Result<(String, Timestamp), Problem> {
        let token = secret(self.token_prefix).map_err(|e| Problem::internal(e.to_string()))?;
        let expires_at = engine.now().plus(ttl);
        let stored = serde_json::to_vec(&Stored { login: login.to_string(), expires_at: expires_at.as_millis() })
            .map_err(|e| Problem::internal(e.to_string()))?;
        engine.store().put_meta(&self.key(&token), Some(stored)).await.map_err(chamado::Error::from)?;
        Ok((token, expires_at))
    }

    /// The login of a live session; expired sessions are removed and give `None`.
    pub(crate) async fn login_for(&self, engine: &Engine, token: &str) -> Result<Option<String>, chamado::Error> {
        if !token.starts_with(self.token_prefix) {
            return Ok(None);
        }
        let k = self.key(token);
        let Some(bytes) = engine.store().meta(&k).await? else { return Ok(None) };
        let Ok(stored) = serde_json::from_slice::<Stored>(&bytes) else { return Ok(None) };
        if stored.expires_at <= engine.now().as_millis() {
            engine.store().put_meta(&k, None).await?;
            return Ok(None);
        }
        Ok(Some(stored.login))
    }

    /// Ends a session.
    pub(crate) async fn close(&self, engine: &Engine, token: &str) -> Result<(), chamado::Error> {
        Ok(engine.store().put_meta(&self.key(token), None).await?)
    }

    /// The CSRF token of a session's forms: derived from the session secret, so a page of another
    /// site can neither read nor guess it.
    pub(crate) fn csrf_token(&self, session_token: &str) -> String {
        sha256_hex(&format!("{}\u{1f}{session_token}", self.csrf_label))
    }
}
