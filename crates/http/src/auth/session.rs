//! Customer sessions: a random token, kept by the engine as a hash with its login and expiry. The API
//! takes it as a bearer token, the portal as an HttpOnly cookie.

use super::session_kind::SessionKind;
use crate::problem::Problem;
use chamado::{Engine, Timestamp};
use std::time::Duration;

/// Prefix of session tokens.
pub const SESSION_PREFIX: &str = "chs_";

const KIND: SessionKind =
    SessionKind { token_prefix: SESSION_PREFIX, kind: chamado::SessionKind::Customer, csrf_label: "csrf" };

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

/// Opens a session for `login` lasting `ttl`.
pub async fn open(engine: &Engine, login: &str, ttl: Duration) -> Result<Session, Problem> {
    let (token, expires_at) = KIND.open(engine, login, ttl).await?;
    Ok(Session { token, login: login.to_string(), expires_at })
}

/// The customer user of a live session; expired sessions are removed and give `None`.
pub async fn login_for(engine: &Engine, token: &str) -> Result<Option<String>, chamado::Error> {
    KIND.login_for(engine, token).await
}

/// Ends a session.
pub async fn close(engine: &Engine, token: &str) -> Result<(), chamado::Error> {
    KIND.close(engine, token).await
}

/// The CSRF token of the portal forms of a session: derived from the session secret, so a page of
/// another site can neither read nor guess it.
pub fn csrf_token(key: &chamado_auth::csrf::CsrfKey, session_token: &str) -> String {
    KIND.csrf_token(key, session_token)
}
