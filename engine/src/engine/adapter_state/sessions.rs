//! Sign-in sessions: a secret the adapter makes and keeps (a cookie, a bearer token), known to the
//! engine only by its hash, with the login and the end of the session. Expired sessions are removed when
//! seen. Revoking all of a user's sessions moves the user's session generation on: a session of an
//! older generation is refused, so no list of a user's sessions has to be kept in step.

use super::json::{Object, Value};
use super::keys;
use crate::engine::Engine;
use crate::error::Result;
use crate::time::Timestamp;
use std::time::Duration;

/// Who a session signs in. The kinds are kept apart, so a session of one kind never opens the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionKind {
    /// A customer user (portal, API).
    Customer,
    /// An agent (console).
    Agent,
}

struct Stored {
    login: String,
    expires_at: i64,
    epoch: u64,
}

impl Stored {
    fn to_bytes(&self) -> Vec<u8> {
        let epoch = i64::try_from(self.epoch).unwrap_or(i64::MAX);
        Object::new()
            .with("login", Value::Str(self.login.clone()))
            .with("expires_at", Value::Int(self.expires_at))
            .with("epoch", Value::Int(epoch))
            .to_bytes()
    }

    fn parse(bytes: &[u8]) -> Option<Stored> {
        let o = Object::parse(bytes)?;
        // Sessions from before generations existed are of the first one.
        let epoch = o.int("epoch").map_or(Some(0), |e| u64::try_from(e).ok())?;
        Some(Stored { login: o.str("login")?.to_string(), expires_at: o.int("expires_at")?, epoch })
    }
}

impl Engine {
    async fn session_epoch(&self, kind: SessionKind, login: &str) -> Result<u64> {
        let bytes = self.store().meta(&keys::session_epoch(kind, login)).await?;
        Ok(bytes.and_then(|b| std::str::from_utf8(&b).ok()?.parse().ok()).unwrap_or(0))
    }

    /// Opens a session of `kind` for `login`, known by `token_hash` (the hash of a secret the adapter
    /// made), lasting `ttl` from now by the engine's clock; returns when it ends. The adapter has
    /// checked who signs in.
    pub async fn open_session(
        &self,
        kind: SessionKind,
        login: &str,
        token_hash: &str,
        ttl: Duration,
    ) -> Result<Timestamp> {
        let hash = keys::part("a session token hash", token_hash, true)?;
        let expires_at = self.now().plus(ttl);
        let epoch = self.session_epoch(kind, login).await?;
        let stored = Stored { login: login.to_string(), expires_at: expires_at.as_millis(), epoch };
        self.store().put_meta(&keys::session(kind, hash), Some(stored.to_bytes())).await?;
        Ok(expires_at)
    }

    /// The login of a live session of `kind`; unknown, expired (then removed) and revoked sessions give
    /// `None`.
    pub async fn session_login(&self, kind: SessionKind, token_hash: &str) -> Result<Option<String>> {
        let Ok(hash) = keys::part("a session token hash", token_hash, true) else { return Ok(None) };
        let key = keys::session(kind, hash);
        let Some(bytes) = self.store().meta(&key).await? else { return Ok(None) };
        let Some(stored) = Stored::parse(&bytes) else { return Ok(None) };
        if stored.expires_at <= self.now().as_millis() {
            self.store().put_meta(&key, None).await?;
            return Ok(None);
        }
        if stored.epoch < self.session_epoch(kind, &stored.login).await? {
            self.store().put_meta(&key, None).await?;
            return Ok(None);
        }
        Ok(Some(stored.login))
    }

    /// Ends one session.
    pub async fn close_session(&self, kind: SessionKind, token_hash: &str) -> Result<()> {
        let Ok(hash) = keys::part("a session token hash", token_hash, true) else { return Ok(()) };
        Ok(self.store().put_meta(&keys::session(kind, hash), None).await?)
    }

    /// Ends every session of `kind` that `login` has now (sessions opened afterwards live).
    pub async fn close_sessions_of(&self, kind: SessionKind, login: &str) -> Result<()> {
        let next = self.session_epoch(kind, login).await?.saturating_add(1);
        Ok(self.store().put_meta(&keys::session_epoch(kind, login), Some(next.to_string().into_bytes())).await?)
    }

    /// Moves one live session of `login` into the current generation, so it outlives a
    /// [`Engine::close_sessions_of`] just made (the session a user changed their password on).
    pub(super) async fn renew_session(&self, kind: SessionKind, login: &str, token_hash: &str) -> Result<()> {
        let Ok(hash) = keys::part("a session token hash", token_hash, true) else { return Ok(()) };
        let key = keys::session(kind, hash);
        let Some(mut stored) = self.store().meta(&key).await?.as_deref().and_then(Stored::parse) else { return Ok(()) };
        // Only the user's own session: a hash of someone else's never gains a generation.
        if stored.login != login || stored.expires_at <= self.now().as_millis() {
            return Ok(());
        }
        stored.epoch = self.session_epoch(kind, login).await?;
        Ok(self.store().put_meta(&key, Some(stored.to_bytes())).await?)
    }
}
