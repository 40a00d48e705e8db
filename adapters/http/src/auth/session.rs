//! Customer sessions: a random token, stored hashed with its login and expiry in the store's adapter
//! area. The API takes it as a bearer token, the portal as an HttpOnly cookie.

use crate::problem::Problem;
use crate::random::{secret, sha256_hex};
use chamado::{Engine, Timestamp};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Prefix of session tokens.
pub const SESSION_PREFIX: &str = "chs_";

#[derive(Serialize, Deserialize)]
struct Stored {
    login: String,
    expires_at: i64,
}

/// A session just opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The secret token.
    pub token: String,
    /// The customer user's login.
    pub login: String,
    /// When it ends.
    pub expires_at: Timestamp,
}

fn key(token: &str) -> String {
    format!("http:session:{}", sha256_hex(token))
}

/// Opens a session for `login` lasting `ttl`.
pub async fn open(engine: &Engine, login: &str, ttl: Duration) -> Result<Session, Problem> {
    let token = secret(SESSION_PREFIX).map_err(|e| Problem::internal(e.to_string()))?;
    let expires_at = engine.now().plus(ttl);
    let stored = serde_json::to_vec(&Stored { login: login.to_string(), expires_at: expires_at.as_millis() })
        .map_err(|e| Problem::internal(e.to_string()))?;
    engine.store().put_meta(&key(&token), Some(stored)).await.map_err(chamado::Error::from)?;
    Ok(Session { token, login: login.to_string(), expires_at })
}

/// The customer user of a live session; expired sessions are removed and give `None`.
pub async fn login_for(engine: &Engine, token: &str) -> Result<Option<String>, chamado::Error> {
    if !token.starts_with(SESSION_PREFIX) {
        return Ok(None);
    }
    let k = key(token);
    let Some(bytes) = engine.store().meta(&k).await? else { return Ok(None) };
    let Ok(stored) = serde_json::from_slice::<Stored>(&bytes) else { return Ok(None) };
    if stored.expires_at <= engine.now().as_millis() {
        engine.store().put_meta(&k, None).await?;
        return Ok(None);
    }
    Ok(Some(stored.login))
}

/// Ends a session.
pub async fn close(engine: &Engine, token: &str) -> Result<(), chamado::Error> {
    Ok(engine.store().put_meta(&key(token), None).await?)
}

/// The CSRF token of the portal forms of a session: derived from the session secret, so a page of
/// another site can neither read nor guess it.
pub fn csrf_token(session_token: &str) -> String {
    sha256_hex(&format!("csrf\u{1f}{session_token}"))
}
