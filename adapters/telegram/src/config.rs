//! How the bot is configured: token, Bot API URL, queue, polling and webhook settings, as one typed,
//! deserializable struct a host fills from its own configuration (the adapter reads no environment).

use serde::{Deserialize, Deserializer};
use std::time::Duration;
use thiserror::Error;

/// The public Bot API server.
pub const DEFAULT_API_URL: &str = "https://api.telegram.org";

/// The default path of the webhook route.
pub const DEFAULT_WEBHOOK_PATH: &str = "/telegram/webhook";

/// A setting that cannot be used, named by its field (the key it is deserialized from; `webhook.path`
/// for a field of [`WebhookConfig`]).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{field}: {message}")]
pub struct ConfigError {
    /// The field, spelled as its key.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

/// Webhook mode: Telegram pushes updates to `url`, the host serves [`crate::TelegramBot::webhook_router`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookConfig {
    /// The public HTTPS URL Telegram posts updates to (registered with `setWebhook`).
    pub url: String,
    /// The path the router answers on (default [`DEFAULT_WEBHOOK_PATH`]).
    pub path: String,
    /// The secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token` (1-256 of `A-Z a-z 0-9 _ -`).
    pub secret_token: String,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig { url: String::new(), path: DEFAULT_WEBHOOK_PATH.into(), secret_token: String::new() }
    }
}

/// Everything the adapter needs to run a bot. Every key but `token` has a default
/// (`#[serde(default)]`), unknown keys are refused; [`TelegramConfig::validate`] checks the whole.
///
/// As TOML:
///
/// ```toml
/// token = "123456:ABC"
/// queue = "Raw"
/// poll_timeout_secs = 10
/// [webhook]
/// url = "https://help.example.com/telegram/webhook"
/// secret_token = "a-long-random-secret"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelegramConfig {
    /// The bot token from @BotFather.
    pub token: String,
    /// The Bot API base URL (default [`DEFAULT_API_URL`]); tests point it at a stand-in.
    pub api_url: String,
    /// The queue for tickets opened by chat (default `Raw`).
    pub queue: String,
    /// The network prefix of identities and auto-created logins: `<network>:<telegram user id>`
    /// (default `tg`).
    pub network: String,
    /// Whether a plain message with no active ticket opens one (default true); otherwise the user is
    /// asked to use `/new`.
    pub open_on_message: bool,
    /// The long-polling timeout passed to `getUpdates` (key `poll_timeout_secs`, default 10 s).
    #[serde(rename = "poll_timeout_secs", deserialize_with = "seconds")]
    pub poll_timeout: Duration,
    /// How long a link code issued by [`crate::issue_link_code`] stays valid (key `link_code_ttl_secs`,
    /// default 15 min).
    #[serde(rename = "link_code_ttl_secs", deserialize_with = "seconds")]
    pub link_code_ttl: Duration,
    /// Largest file taken from a photo or document, in bytes (default 20 MB, the Bot API's own limit).
    pub max_attachment_bytes: u64,
    /// Webhook mode instead of long polling, if set.
    pub webhook: Option<WebhookConfig>,
}

/// A duration given as whole seconds.
fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    u64::deserialize(d).map(Duration::from_secs)
}

impl Default for TelegramConfig {
    /// Every default, and no token (which [`TelegramConfig::validate`] refuses).
    fn default() -> Self {
        TelegramConfig::new("")
    }
}

impl TelegramConfig {
    /// A configuration with `token` and every default.
    pub fn new(token: impl Into<String>) -> Self {
        TelegramConfig {
            token: token.into(),
            api_url: DEFAULT_API_URL.into(),
            queue: "Raw".into(),
            network: "tg".into(),
            open_on_message: true,
            poll_timeout: Duration::from_secs(10),
            link_code_ttl: Duration::from_secs(15 * 60),
            max_attachment_bytes: 20 * 1024 * 1024,
            webhook: None,
        }
    }

    /// Uses another Bot API base URL.
    pub fn with_api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = url.into();
        self
    }

    /// Uses another queue for new tickets.
    pub fn with_queue(mut self, queue: impl Into<String>) -> Self {
        self.queue = queue.into();
        self
    }

    /// Checks the settings without contacting Telegram; the error names the field.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |field, message: &str| Err(ConfigError { field, message: message.into() });
        if self.token.trim().is_empty() || self.token.chars().any(|c| c.is_whitespace() || c == '/') {
            return bad("token", "the bot token is empty or malformed");
        }
        let api = url::Url::parse(self.api_url.trim().trim_end_matches('/'));
        if !api.is_ok_and(|u| !u.cannot_be_a_base() && matches!(u.scheme(), "http" | "https")) {
            return bad("api_url", "the Bot API URL is not an http(s) URL");
        }
        if self.queue.trim().is_empty() {
            return bad("queue", "the queue must not be empty");
        }
        if self.network.is_empty() || self.network.contains(':') {
            return bad("network", "the network prefix must be non-empty and without ':'");
        }
        if self.poll_timeout.is_zero() {
            return bad("poll_timeout_secs", "the long-polling timeout must be at least 1 second");
        }
        if let Some(w) = &self.webhook {
            if w.url.trim().is_empty() {
                return bad("webhook.url", "the webhook URL must not be empty");
            }
            let ok = !w.secret_token.is_empty()
                && w.secret_token.len() <= 256
                && w.secret_token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !ok {
                return bad(
                    "webhook.secret_token",
                    "the webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -",
                );
            }
            if !w.path.starts_with('/') {
                return bad("webhook.path", "the webhook path must start with '/'");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json(json: &str) -> Result<TelegramConfig, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn deserializes_with_defaults() {
        let c = from_json(r#"{"token": "1:abc", "api_url": "http://127.0.0.1:8081", "queue": "Chat"}"#)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            (c.token.as_str(), c.api_url.as_str(), c.queue.as_str()),
            ("1:abc", "http://127.0.0.1:8081", "Chat")
        );
        assert_eq!(c, TelegramConfig::new("1:abc").with_api_url("http://127.0.0.1:8081").with_queue("Chat"));
        assert!(c.webhook.is_none());
        assert!(c.validate().is_ok());
        let w = from_json(
            r#"{"token": "1:abc", "webhook": {"url": "https://x/telegram/webhook", "secret_token": "abc_DEF-1"}}"#,
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(w.webhook.as_ref().map(|w| w.path.as_str()), Some(DEFAULT_WEBHOOK_PATH));
        assert!(w.validate().is_ok());
        let timed = from_json(r#"{"token": "1:abc", "poll_timeout_secs": 3}"#).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(timed.poll_timeout, Duration::from_secs(3));
        assert!(from_json(r#"{"tokn": "1:abc"}"#).is_err(), "unknown keys are refused");
        assert!(from_json(r#"{"poll_timeout_secs": "soon"}"#).is_err());
    }

    #[test]
    fn validation_names_the_field() {
        let field = |c: TelegramConfig| c.validate().err().map(|e| e.field);
        assert_eq!(field(TelegramConfig::default()), Some("token"), "no token");
        assert_eq!(field(TelegramConfig::new("1:abc").with_queue(" ")), Some("queue"));
        assert_eq!(field(TelegramConfig::new("1:abc").with_api_url("ftp://x")), Some("api_url"));
        let hook = |secret: &str, path: &str| TelegramConfig {
            webhook: Some(WebhookConfig { url: "https://x/".into(), path: path.into(), secret_token: secret.into() }),
            ..TelegramConfig::new("1:abc")
        };
        assert_eq!(field(hook("not allowed!", "/t")), Some("webhook.secret_token"));
        assert_eq!(field(hook("ok", "t")), Some("webhook.path"));
        assert_eq!(field(hook("ok", "/t")), None);
    }
}
