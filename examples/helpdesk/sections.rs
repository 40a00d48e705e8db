//! The shape of the settings, one struct per TOML section, as both layers (the file, and the
//! environment over it) deserialize into it: the helpdesk's own keys, and the email adapter's
//! [`chamado_email::EmailConfig`] as the `[smtp]` section itself.

use serde::Deserialize;

/// `[http]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Http {
    /// Where the server listens.
    pub addr: Option<String>,
    /// Serve `/metrics`.
    pub metrics: Option<bool>,
    /// Where people reach the server; `https` marks cookies `Secure`.
    pub public_url: Option<String>,
}

/// `[store]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Store {
    /// The redb file's directory.
    pub data_dir: Option<String>,
    /// PostgreSQL instead of redb.
    pub database_url: Option<String>,
    /// The redb word index.
    pub full_text_search: Option<bool>,
    /// redb's page cache, in bytes.
    pub cache_size: Option<u64>,
}

/// `[admin]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Admin {
    /// The bootstrap admin's API token.
    pub token: Option<String>,
    /// The admin's console password.
    pub password: Option<String>,
}

/// `[telegram]`: flat keys, as the environment variables are; the helpdesk builds the adapter's
/// [`chamado_telegram::TelegramConfig`] from them.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Telegram {
    /// The bot token; unset means no Telegram.
    pub bot_token: Option<String>,
    /// The Bot API server.
    pub api_url: Option<String>,
    /// The queue of chat tickets.
    pub queue: Option<String>,
    /// Webhook mode: the public URL.
    pub webhook_url: Option<String>,
    /// Webhook mode: the secret.
    pub webhook_secret: Option<String>,
    /// Webhook mode: the route's path.
    pub webhook_path: Option<String>,
}

/// Digits written as a TOML string or integer (`system_id = "10"` or `system_id = 10`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Digits {
    /// As text.
    Text(String),
    /// As a number.
    Number(u64),
}

impl Digits {
    /// The digits as text.
    pub fn text(&self) -> String {
        match self {
            Digits::Text(t) => t.trim().to_string(),
            Digits::Number(n) => n.to_string(),
        }
    }
}

/// `[engine]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Engine {
    /// Auto-close and reminders, in seconds.
    pub tick_seconds: Option<u64>,
    /// Outbox delivery, in seconds.
    pub deliver_seconds: Option<u64>,
    /// The ticket number format, by name.
    pub ticket_number_generator: Option<String>,
    /// The SystemID in ticket numbers.
    pub system_id: Option<Digits>,
    /// Auto-responses sent in all per hour.
    pub auto_responses_per_hour: Option<u64>,
    /// The queue of bounces that match none of our messages.
    pub bounce_queue: Option<String>,
    /// The largest uploaded file, in bytes.
    pub attachment_max_file_bytes: Option<u64>,
    /// The most bytes of all files of one uploaded article.
    pub attachment_max_article_bytes: Option<u64>,
    /// The most files on one uploaded article.
    pub attachment_max_count: Option<u64>,
}

/// `[webhooks]`: the engine's webhook settings (`EngineConfig.webhooks`) and the delivery worker's
/// ([`chamado_webhooks::WorkerConfig`]).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Webhooks {
    /// Let subscriptions reach private, loopback and link-local addresses.
    pub allow_private_targets: Option<bool>,
    /// How long a delivery is retried, in hours.
    pub retry_hours: Option<u64>,
    /// The first retry's delay, in seconds.
    pub backoff_secs: Option<u64>,
    /// The longest delay between retries, in seconds.
    pub max_backoff_secs: Option<u64>,
    /// How long a claimed delivery is reserved for one attempt, in seconds.
    pub lease_secs: Option<u64>,
    /// How long the event log keeps events, in days.
    pub event_retention_days: Option<u64>,
    /// How long finished deliveries are kept, in days.
    pub delivery_retention_days: Option<u64>,
    /// How often due deliveries are looked for without an event, in milliseconds.
    pub poll_interval_ms: Option<u64>,
    /// Deliveries claimed per round.
    pub claim_batch: Option<u64>,
    /// Chains of one subscription waiting for a slot at most.
    pub max_waiting_chains: Option<u64>,
    /// How long deliveries a busy receiver could not take wait, in milliseconds.
    pub busy_delay_ms: Option<u64>,
    /// Connecting and the TLS handshake at most, in milliseconds.
    pub connect_timeout_ms: Option<u64>,
}

/// `[i18n]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct I18n {
    /// The language of people who chose none and whose browser asks for none chamado speaks.
    pub default_language: Option<String>,
    /// The time zone of people who chose none.
    pub default_time_zone: Option<String>,
}

/// `[log]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Log {
    /// The tracing filter.
    pub filter: Option<String>,
}

/// `[mail]`: mail pulled from mailboxes (IMAP, POP3) and a watched Maildir. Flat keys for the
/// environment's three (`imap_url`, `maildir`, `ca_file`), the accounts as `[[mail.accounts]]`; the
/// helpdesk builds the adapter's [`chamado_email::mailbox::MailboxSettings`] from them.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Mail {
    /// One account as a URL (`imap://USER:PASSWORD@HOST:PORT/INBOX?tls=none|starttls&queue=Raw`).
    pub imap_url: Option<String>,
    /// A Maildir whose `new/` is taken every few seconds.
    pub maildir: Option<String>,
    /// Extra PEM root certificates for mailbox servers.
    pub ca_file: Option<String>,
    /// How often the account list is read again from the store, in seconds.
    pub reload_seconds: Option<u64>,
    /// Connecting, TLS and greeting together, in seconds.
    pub connect_timeout_seconds: Option<u64>,
    /// One command's whole answer, in seconds.
    pub command_timeout_seconds: Option<u64>,
    /// The largest message taken from a mailbox, in bytes.
    pub max_message_bytes: Option<u64>,
    /// The accounts (`[[mail.accounts]]`).
    pub accounts: Vec<chamado_email::mailbox::AccountSettings>,
}

/// Every section; every section and key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sections {
    /// `[http]`.
    pub http: Http,
    /// `[store]`.
    pub store: Store,
    /// `[admin]`.
    pub admin: Admin,
    /// `[smtp]`: the email adapter's own settings.
    pub smtp: chamado_email::EmailConfig,
    /// `[mail]`: mailboxes and a Maildir.
    pub mail: Mail,
    /// `[telegram]`.
    pub telegram: Telegram,
    /// `[engine]`.
    pub engine: Engine,
    /// `[webhooks]`.
    pub webhooks: Webhooks,
    /// `[i18n]`.
    pub i18n: I18n,
    /// `[log]`.
    pub log: Log,
}
