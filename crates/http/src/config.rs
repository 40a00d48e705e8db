//! Settings of the HTTP adapter: typed and deserializable, so a host fills them from its own
//! configuration (the adapter reads no environment).

use serde::{Deserialize, Deserializer};
use std::time::Duration;
use thiserror::Error;

/// A setting that cannot be used, named by its field (the key it is deserialized from;
/// `login_throttle.max_delay_ms` for a field of [`ThrottleConfig`]).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{field}: {message}")]
pub struct ConfigError {
    /// The field, spelled as its key.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

/// A duration given as whole seconds.
fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    u64::deserialize(d).map(Duration::from_secs)
}

/// A duration given as whole milliseconds.
fn millis<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    u64::deserialize(d).map(Duration::from_millis)
}

/// How repeated failed logins are slowed down.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThrottleConfig {
    /// Failures of one login (or one client) answered without delay.
    pub free_failures: u32,
    /// The delay after the first failure beyond the free ones; it doubles with every further failure
    /// (key `base_delay_ms`).
    #[serde(rename = "base_delay_ms", deserialize_with = "millis")]
    pub base_delay: Duration,
    /// The longest delay (key `max_delay_ms`).
    #[serde(rename = "max_delay_ms", deserialize_with = "millis")]
    pub max_delay: Duration,
    /// Failures older than this are forgotten (key `window_secs`).
    #[serde(rename = "window_secs", deserialize_with = "seconds")]
    pub window: Duration,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            free_failures: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// Settings of [`crate::router`]. Every key is optional (`#[serde(default)]`), unknown keys are
/// refused; [`HttpConfig::validate`] checks the whole.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Largest accepted request body in bytes; larger bodies get 413 (default 2 MiB).
    pub max_body_bytes: usize,
    /// How long a customer session lasts (key `session_ttl_secs`, default 8 hours).
    #[serde(rename = "session_ttl_secs", deserialize_with = "seconds")]
    pub session_ttl: Duration,
    /// Marks cookies `Secure` (set when the server is reached over HTTPS; default false).
    pub secure_cookies: bool,
    /// Failed-login slow-down.
    pub login_throttle: ThrottleConfig,
    /// Tickets per page when the client names no `limit` (default 50).
    pub default_page_size: usize,
    /// The product name shown in the portal (default `Help desk`).
    pub portal_title: String,
    /// Serves `GET /metrics` (Prometheus text format) and times every request (default true). The
    /// endpoint is unauthenticated, as Prometheus endpoints usually are: it shows counts, never content.
    pub metrics: bool,
    /// The secret the CSRF tokens of the HTML forms are keyed with. Nodes sharing one store must share
    /// it; without it each process draws a random key, and forms shown before a restart must be
    /// reloaded after it. At least 32 characters.
    pub csrf_secret: Option<String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            max_body_bytes: 2 << 20,
            session_ttl: Duration::from_secs(8 * 3600),
            secure_cookies: false,
            login_throttle: ThrottleConfig::default(),
            default_page_size: 50,
            portal_title: "Help desk".into(),
            metrics: true,
            csrf_secret: None,
        }
    }
}

impl HttpConfig {
    /// Checks the settings; the error names the field.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |field, message: String| Err(ConfigError { field, message });
        if self.max_body_bytes == 0 {
            return bad("max_body_bytes", "must be at least 1".into());
        }
        if self.session_ttl.is_zero() {
            return bad("session_ttl_secs", "must be at least 1 second".into());
        }
        if !(1..=chamado::MAX_PAGE).contains(&self.default_page_size) {
            return bad("default_page_size", format!("must be between 1 and {}", chamado::MAX_PAGE));
        }
        if self.portal_title.trim().is_empty() {
            return bad("portal_title", "must not be empty".into());
        }
        if self.csrf_secret.as_ref().is_some_and(|s| s.chars().count() < 32) {
            return bad("csrf_secret", "must be at least 32 characters".into());
        }
        let t = &self.login_throttle;
        if t.base_delay > t.max_delay {
            return bad("login_throttle.max_delay_ms", "must not be below login_throttle.base_delay_ms".into());
        }
        if t.window.is_zero() {
            return bad("login_throttle.window_secs", "must be at least 1 second".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializes_with_defaults_and_validates() {
        let parse = |json: &str| serde_json::from_str::<HttpConfig>(json);
        let c = parse("{}").unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(c, HttpConfig::default());
        assert!(c.validate().is_ok());
        let c = parse(r#"{"metrics": false, "session_ttl_secs": 60, "login_throttle": {"base_delay_ms": 100}}"#)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert!(!c.metrics);
        assert_eq!(c.session_ttl, Duration::from_secs(60));
        assert_eq!(c.login_throttle.base_delay, Duration::from_millis(100));
        assert_eq!(c.login_throttle.max_delay, ThrottleConfig::default().max_delay, "the rest keeps its defaults");
        assert!(parse(r#"{"metric": false}"#).is_err(), "unknown keys are refused");
        assert!(parse(r#"{"max_body_bytes": "big"}"#).is_err());
        let field = |c: HttpConfig| c.validate().err().map(|e| e.field);
        assert_eq!(field(HttpConfig { default_page_size: 0, ..HttpConfig::default() }), Some("default_page_size"));
        assert_eq!(field(HttpConfig { max_body_bytes: 0, ..HttpConfig::default() }), Some("max_body_bytes"));
        let slow = ThrottleConfig { base_delay: Duration::from_secs(9), ..ThrottleConfig::default() };
        assert_eq!(
            field(HttpConfig { login_throttle: slow, ..HttpConfig::default() }),
            Some("login_throttle.max_delay_ms")
        );
    }
}
