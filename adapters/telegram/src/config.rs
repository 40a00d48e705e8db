//! How the bot is configured: token, Bot API URL, queue, polling and webhook settings.

use crate::error::TelegramError;
use std::time::Duration;

/// The public Bot API server.
pub const DEFAULT_API_URL: &str = "https://api.telegram.org";

/// Webhook mode: Telegram pushes updates to `url`, the host serves [`crate::TelegramBot::webhook_router`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    /// The public HTTPS URL Telegram posts updates to (registered with `setWebhook`).
    pub url: String,
    /// The path the router answers on, e.g. `/telegram/webhook`.
    pub path: String,
    /// The secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token` (1-256 of `A-Z a-z 0-9 _ -`).
    pub secret_token: String,
}

/// Everything the adapter needs to run a bot.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The long-polling timeout passed to `getUpdates` (default 10 s).
    pub poll_timeout: Duration,
    /// How long a link code issued by [`crate::issue_link_code`] stays valid (default 15 min).
    pub link_code_ttl: Duration,
    /// Largest file taken from a photo or document, in bytes (default 20 MB, the Bot API's own limit).
    pub max_attachment_bytes: u64,
    /// Webhook mode instead of long polling, if set.
    pub webhook: Option<WebhookConfig>,
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
}

/// Reads the configuration from the environment: `TELEGRAM_BOT_TOKEN` (required; `Ok(None)` when
/// unset or empty, meaning "no Telegram"), `TELEGRAM_API_URL` (optional), `CHAMADO_TELEGRAM_QUEUE`
/// (optional, default `Raw`), and for webhook mode `TELEGRAM_WEBHOOK_URL`,
/// `TELEGRAM_WEBHOOK_SECRET` (both required together) and `TELEGRAM_WEBHOOK_PATH` (default
/// `/telegram/webhook`).
pub fn config_from_env() -> Result<Option<TelegramConfig>, TelegramError> {
    config_from(|k| std::env::var(k).ok())
}

/// [`config_from_env`] over any variable source (for tests and hosts with their own settings).
pub fn config_from(var: impl Fn(&str) -> Option<String>) -> Result<Option<TelegramConfig>, TelegramError> {
    let get = |k: &str| var(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let Some(token) = get("TELEGRAM_BOT_TOKEN") else { return Ok(None) };
    let mut config = TelegramConfig::new(token);
    if let Some(url) = get("TELEGRAM_API_URL") {
        config.api_url = url;
    }
    if let Some(queue) = get("CHAMADO_TELEGRAM_QUEUE") {
        config.queue = queue;
    }
    match (get("TELEGRAM_WEBHOOK_URL"), get("TELEGRAM_WEBHOOK_SECRET")) {
        (Some(url), Some(secret_token)) => {
            let path = get("TELEGRAM_WEBHOOK_PATH").unwrap_or_else(|| "/telegram/webhook".into());
            config.webhook = Some(WebhookConfig { url, path, secret_token });
        }
        (None, None) => {}
        _ => {
            return Err(TelegramError::Config(
                "TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET must be set together".into(),
            ));
        }
    }
    config.validate()?;
    Ok(Some(config))
}

impl TelegramConfig {
    /// Checks the settings without contacting Telegram.
    pub fn validate(&self) -> Result<(), TelegramError> {
        if self.token.trim().is_empty() || self.token.chars().any(|c| c.is_whitespace() || c == '/') {
            return Err(TelegramError::Config("the bot token is empty or malformed".into()));
        }
        if self.queue.trim().is_empty() {
            return Err(TelegramError::Config("the queue must not be empty".into()));
        }
        if self.network.is_empty() || self.network.contains(':') {
            return Err(TelegramError::Config("the network prefix must be non-empty and without ':'".into()));
        }
        if let Some(w) = &self.webhook {
            let ok = !w.secret_token.is_empty()
                && w.secret_token.len() <= 256
                && w.secret_token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !ok {
                return Err(TelegramError::Config(
                    "the webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -".into(),
                ));
            }
            if !w.path.starts_with('/') {
                return Err(TelegramError::Config("the webhook path must start with '/'".into()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn reads_the_environment() {
        assert_eq!(config_from(env(&[])).ok(), Some(None));
        let c = config_from(env(&[
            ("TELEGRAM_BOT_TOKEN", "1:abc"),
            ("TELEGRAM_API_URL", "http://127.0.0.1:8081"),
            ("CHAMADO_TELEGRAM_QUEUE", "Chat"),
        ]))
        .ok()
        .flatten();
        let c = c.unwrap_or_else(|| TelegramConfig::new("missing"));
        assert_eq!(
            (c.token.as_str(), c.api_url.as_str(), c.queue.as_str()),
            ("1:abc", "http://127.0.0.1:8081", "Chat")
        );
        assert!(c.webhook.is_none());
        let half = config_from(env(&[("TELEGRAM_BOT_TOKEN", "1:abc"), ("TELEGRAM_WEBHOOK_URL", "https://x/y")]));
        assert!(half.is_err());
        let w = config_from(env(&[
            ("TELEGRAM_BOT_TOKEN", "1:abc"),
            ("TELEGRAM_WEBHOOK_URL", "https://x/telegram/webhook"),
            ("TELEGRAM_WEBHOOK_SECRET", "abc_DEF-1"),
        ]))
        .ok()
        .flatten()
        .and_then(|c| c.webhook);
        assert_eq!(w.map(|w| w.path), Some("/telegram/webhook".to_string()));
        let bad = config_from(env(&[
            ("TELEGRAM_BOT_TOKEN", "1:abc"),
            ("TELEGRAM_WEBHOOK_URL", "https://x/"),
            ("TELEGRAM_WEBHOOK_SECRET", "not allowed!"),
        ]));
        assert!(bad.is_err());
    }
}
