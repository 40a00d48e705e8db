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

/// How login attempts are slowed down. Every attempt is counted before its password is checked, per
/// login and per client address (IPv6: its /64), so parallel guesses cannot all pass at the free rate;
/// a success forgets the login's count and takes its own attempt off the client's.
///
/// Beyond the free attempts each further one gets a time slot `base_delay` after the previous one,
/// the gap doubling each time up to `max_delay`; an attempt whose slot is more than `max_delay` away is
/// refused at once (429 with `Retry-After`) and is not checked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThrottleConfig {
    /// Attempts for one login answered without delay (key `free_attempts`, default 3).
    pub free_attempts: u32,
    /// Attempts from one client address answered without delay, whatever the login (default 20).
    /// Behind a reverse proxy every client has the proxy's address: raise it there.
    pub client_free_attempts: u32,
    /// The gap after the free attempts; it doubles with every further attempt (key `base_delay_ms`).
    #[serde(rename = "base_delay_ms", deserialize_with = "millis")]
    pub base_delay: Duration,
    /// The longest gap, and the longest an attempt is held back before it is refused (key
    /// `max_delay_ms`).
    #[serde(rename = "max_delay_ms", deserialize_with = "millis")]
    pub max_delay: Duration,
    /// Attempts older than this are forgotten (key `window_secs`).
    #[serde(rename = "window_secs", deserialize_with = "seconds")]
    pub window: Duration,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            free_attempts: 3,
            client_free_attempts: 20,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// Limits of the server ([`crate::server::serve_with`]) against clients that hold connections open.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// How long a client has to send a request's complete headers, counted from when the server waits
    /// for them: from the connection's start, and on a kept-alive connection from the previous answer,
    /// so it also closes idle kept-alive connections (key `header_read_timeout_secs`, default 10).
    #[serde(rename = "header_read_timeout_secs", deserialize_with = "seconds")]
    pub header_read_timeout: Duration,
    /// A connection on which no byte moves for this long while no handler works on it (a client that
    /// stopped reading its answer), or whose request body stops arriving for this long, is closed (key
    /// `idle_timeout_secs`, default 60).
    #[serde(rename = "idle_timeout_secs", deserialize_with = "seconds")]
    pub idle_timeout: Duration,
    /// Connections served at once; further clients wait in the listen backlog (default 1024).
    pub max_connections: usize,
    /// Connections of one client address (IPv6: its /64) at once; more are closed at once (default 64).
    pub max_connections_per_client: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
            max_connections_per_client: 64,
        }
    }
}

impl ServerConfig {
    /// Checks the limits; the error names the field (as `server.<key>`).
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |field, message: &str| Err(ConfigError { field, message: message.into() });
        if self.header_read_timeout.is_zero() {
            return bad("server.header_read_timeout_secs", "must be at least 1 second");
        }
        if self.idle_timeout.is_zero() {
            return bad("server.idle_timeout_secs", "must be at least 1 second");
        }
        if self.max_connections == 0 {
            return bad("server.max_connections", "must be at least 1");
        }
        if !(1..=self.max_connections).contains(&self.max_connections_per_client) {
            return bad("server.max_connections_per_client", "must be between 1 and server.max_connections");
        }
        Ok(())
    }
}

/// Settings of the web surfaces ([`crate::compose`]). Every key is optional (`#[serde(default)]`), unknown keys are
/// refused; [`HttpConfig::validate`] checks the whole.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Largest accepted request body in bytes; larger bodies get 413 (default 2 MiB).
    pub max_body_bytes: usize,
    /// How long a customer session lasts (key `session_ttl_secs`, default 8 hours).
    #[serde(rename = "session_ttl_secs", deserialize_with = "seconds")]
    pub session_ttl: Duration,
    /// The address people reach the server at, e.g. `https://help.example.com` (default unset). An
    /// `https` address marks cookies `Secure`.
    pub public_url: Option<String>,
    /// Marks cookies `Secure` even without an `https` [`HttpConfig::public_url`] (default false).
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
    /// Connection limits and timeouts of [`crate::server::serve_with`].
    pub server: ServerConfig,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            max_body_bytes: 2 << 20,
            session_ttl: Duration::from_secs(8 * 3600),
            public_url: None,
            secure_cookies: false,
            login_throttle: ThrottleConfig::default(),
            default_page_size: 50,
            portal_title: "Help desk".into(),
            metrics: true,
            csrf_secret: None,
            server: ServerConfig::default(),
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
        if let Some(url) = &self.public_url {
            public_url_scheme(url).map_err(|message| ConfigError { field: "public_url", message })?;
        }
        let t = &self.login_throttle;
        if t.base_delay > t.max_delay {
            return bad("login_throttle.max_delay_ms", "must not be below login_throttle.base_delay_ms".into());
        }
        if t.window.is_zero() {
            return bad("login_throttle.window_secs", "must be at least 1 second".into());
        }
        self.server.validate()
    }

    /// True when cookies must be `Secure`: the public URL is `https`, or [`HttpConfig::secure_cookies`].
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies || self.public_url_is_https()
    }

    /// True when [`HttpConfig::public_url`] is an `https` URL.
    pub fn public_url_is_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| public_url_scheme(u) == Ok(Scheme::Https))
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Scheme {
    Http,
    Https,
}

/// The scheme of a public URL: an absolute `http` or `https` URL with a host.
fn public_url_scheme(url: &str) -> Result<Scheme, String> {
    let uri: axum::http::Uri =
        url.parse().map_err(|_| format!("{url:?} is not a URL like https://help.example.com"))?;
    let scheme = match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
        Some("https") => Scheme::Https,
        Some("http") => Scheme::Http,
        _ => return Err(format!("{url:?} must start with https:// or http://")),
    };
    if uri.host().is_none_or(str::is_empty) {
        return Err(format!("{url:?} names no host"));
    }
    Ok(scheme)
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
        let url = |u: &str| HttpConfig { public_url: Some(u.into()), ..HttpConfig::default() };
        assert_eq!(field(url("help.example.com")), Some("public_url"));
        assert_eq!(field(url("ftp://help.example.com")), Some("public_url"));
        assert!(url("https://help.example.com/desk").validate().is_ok());
        assert!(url("HTTPS://help.example.com").cookies_secure());
        assert!(!url("http://help.example.com").cookies_secure());
        assert!(!HttpConfig::default().cookies_secure());
        assert!(HttpConfig { secure_cookies: true, ..HttpConfig::default() }.cookies_secure());
        let server = |s: ServerConfig| HttpConfig { server: s, ..HttpConfig::default() };
        let per_client =
            ServerConfig { max_connections: 10, max_connections_per_client: 11, ..ServerConfig::default() };
        assert_eq!(field(server(per_client)), Some("server.max_connections_per_client"));
        let zero = ServerConfig { header_read_timeout: Duration::ZERO, ..ServerConfig::default() };
        assert_eq!(field(server(zero)), Some("server.header_read_timeout_secs"));
        let c = parse(r#"{"public_url": "https://h.example", "server": {"idle_timeout_secs": 5}}"#)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(c.server.idle_timeout, Duration::from_secs(5));
        assert_eq!(c.server.max_connections, 1024);
        assert!(c.cookies_secure());
    }
}
