//! Settings of the HTTP adapter.

use std::time::Duration;

/// How repeated failed logins are slowed down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleConfig {
    /// Failures of one login (or one client) answered without delay.
    pub free_failures: u32,
    /// The delay after the first failure beyond the free ones; it doubles with every further failure.
    pub base_delay: Duration,
    /// The longest delay.
    pub max_delay: Duration,
    /// Failures older than this are forgotten.
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

/// Settings of [`crate::router`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// Largest accepted request body in bytes; larger bodies get 413 (default 2 MiB).
    pub max_body_bytes: usize,
    /// How long a customer session lasts (default 8 hours).
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
        }
    }
}
