//! Where each setting comes from: an environment variable, else the TOML file, else the default.
//!
//! Every setting has one TOML key and one variable ([`KEYS`]). The two are layered once, here: the
//! file's table, with each set variable put over its key as the value the key's type takes (text, a
//! flag, a number; [`kind_of`]). The settings are then deserialized from the result, and every error
//! is reported against whichever of the two the value came from.

use crate::config_file::FileSettings;
use crate::settings::SettingsError;
use std::collections::HashMap;
use std::path::Path;
use toml::{Table, Value};

/// Every setting: its TOML key and the environment variable that overrides it.
pub const KEYS: &[(&str, &str)] = &[
    ("http.addr", "CHAMADO_HTTP_ADDR"),
    ("http.metrics", "CHAMADO_METRICS"),
    ("http.public_url", "CHAMADO_HTTP_PUBLIC_URL"),
    ("store.data_dir", "CHAMADO_DATA_DIR"),
    ("store.database_url", "CHAMADO_DATABASE_URL"),
    ("store.full_text_search", "CHAMADO_FULL_TEXT_SEARCH"),
    ("store.cache_size", "CHAMADO_STORE_CACHE_SIZE"),
    ("admin.token", "CHAMADO_ADMIN_TOKEN"),
    ("admin.password", "CHAMADO_ADMIN_PASSWORD"),
    ("smtp.addr", "CHAMADO_SMTP_ADDR"),
    ("smtp.lmtp_addr", "CHAMADO_LMTP_ADDR"),
    ("smtp.relay", "CHAMADO_SMTP_RELAY"),
    ("smtp.mail_from", "CHAMADO_MAIL_FROM"),
    ("smtp.queues", "CHAMADO_MAIL_QUEUES"),
    ("smtp.hostname", "CHAMADO_SMTP_HOSTNAME"),
    ("smtp.max_bytes", "CHAMADO_SMTP_MAX_BYTES"),
    ("smtp.tls_cert", "CHAMADO_SMTP_TLS_CERT"),
    ("smtp.tls_key", "CHAMADO_SMTP_TLS_KEY"),
    ("smtp.require_tls", "CHAMADO_SMTP_REQUIRE_TLS"),
    ("smtp.max_sessions", "CHAMADO_SMTP_MAX_SESSIONS"),
    ("smtp.max_sessions_per_client", "CHAMADO_SMTP_MAX_SESSIONS_PER_CLIENT"),
    ("smtp.session_seconds", "CHAMADO_SMTP_SESSION_SECONDS"),
    ("smtp.min_data_rate", "CHAMADO_SMTP_MIN_DATA_RATE"),
    ("smtp.max_attachments", "CHAMADO_SMTP_MAX_ATTACHMENTS"),
    ("smtp.memory_bytes", "CHAMADO_SMTP_MEMORY_BYTES"),
    ("smtp.spool_dir", "CHAMADO_SMTP_SPOOL_DIR"),
    ("smtp.sender_auth", "CHAMADO_MAIL_SENDER_AUTH"),
    ("smtp.authserv_id", "CHAMADO_MAIL_AUTHSERV_ID"),
    ("smtp.dns_servers", "CHAMADO_MAIL_DNS_SERVERS"),
    ("smtp.dns_timeout_ms", "CHAMADO_MAIL_DNS_TIMEOUT_MS"),
    ("smtp.reply_to_queues", "CHAMADO_MAIL_REPLY_TO_QUEUES"),
    ("mail.imap_url", "CHAMADO_IMAP_URL"),
    ("mail.maildir", "CHAMADO_MAILDIR"),
    ("mail.ca_file", "CHAMADO_MAIL_CA_FILE"),
    ("telegram.bot_token", "TELEGRAM_BOT_TOKEN"),
    ("telegram.api_url", "TELEGRAM_API_URL"),
    ("telegram.queue", "CHAMADO_TELEGRAM_QUEUE"),
    ("telegram.webhook_url", "TELEGRAM_WEBHOOK_URL"),
    ("telegram.webhook_secret", "TELEGRAM_WEBHOOK_SECRET"),
    ("telegram.webhook_path", "TELEGRAM_WEBHOOK_PATH"),
    ("engine.tick_seconds", "CHAMADO_TICK_SECONDS"),
    ("engine.deliver_seconds", "CHAMADO_DELIVER_SECONDS"),
    ("engine.ticket_number_generator", "CHAMADO_TICKET_NUMBER_GENERATOR"),
    ("engine.system_id", "CHAMADO_SYSTEM_ID"),
    ("engine.auto_responses_per_hour", "CHAMADO_AUTO_RESPONSES_PER_HOUR"),
    ("engine.attachment_max_file_bytes", "CHAMADO_ATTACHMENT_MAX_FILE_BYTES"),
    ("engine.attachment_max_article_bytes", "CHAMADO_ATTACHMENT_MAX_ARTICLE_BYTES"),
    ("engine.attachment_max_count", "CHAMADO_ATTACHMENT_MAX_COUNT"),
    ("engine.bounce_queue", "CHAMADO_BOUNCE_QUEUE"),
    ("webhooks.allow_private_targets", "CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS"),
    ("i18n.default_language", "CHAMADO_DEFAULT_LANGUAGE"),
    ("i18n.default_time_zone", "CHAMADO_DEFAULT_TIME_ZONE"),
    ("log.filter", "RUST_LOG"),
];

/// Settings of the file only (no variable): the mailbox accounts (`[[mail.accounts]]`) and limits, and
/// the webhooks' retries, retention and worker.
pub const FILE_ONLY: &[&str] = &[
    "mail.reload_seconds",
    "mail.connect_timeout_seconds",
    "mail.command_timeout_seconds",
    "mail.max_message_bytes",
    "mail.accounts",
    "webhooks.retry_hours",
    "webhooks.backoff_secs",
    "webhooks.max_backoff_secs",
    "webhooks.lease_secs",
    "webhooks.event_retention_days",
    "webhooks.delivery_retention_days",
    "webhooks.poll_interval_ms",
    "webhooks.claim_batch",
    "webhooks.max_waiting_chains",
    "webhooks.busy_delay_ms",
    "webhooks.connect_timeout_ms",
];

/// The one setting whose empty value means something ("no SMTP intake") rather than "unset".
const EMPTY_IS_A_VALUE: &str = "smtp.addr";

/// What an environment variable's text becomes under its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, as written.
    Text,
    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
    Flag,
    /// A whole number; the text says what is wrong with anything else.
    Number(&'static str),
}

/// The kind of the setting with TOML key `key`.
pub fn kind_of(key: &str) -> Kind {
    match key {
        "http.metrics" | "store.full_text_search" | "smtp.require_tls" | "webhooks.allow_private_targets" => Kind::Flag,
        "smtp.max_bytes" | "smtp.memory_bytes" | "store.cache_size" => Kind::Number("not a number of bytes"),
        "smtp.max_sessions" | "smtp.max_sessions_per_client" => Kind::Number("not a number of sessions"),
        "smtp.session_seconds" => Kind::Number("not a whole number of seconds"),
        "smtp.min_data_rate" => Kind::Number("not a number of bytes per second"),
        "smtp.max_attachments" => Kind::Number("not a number of attachments"),
        "smtp.dns_timeout_ms" => Kind::Number("not a number of milliseconds"),
        "engine.auto_responses_per_hour" => Kind::Number("not a whole number"),
        "engine.attachment_max_file_bytes" | "engine.attachment_max_article_bytes" | "engine.attachment_max_count" => {
            Kind::Number("not a whole number")
        }
        "engine.tick_seconds" | "engine.deliver_seconds" => {
            Kind::Number("not a whole number of seconds from 1 to 86400")
        }
        _ => Kind::Text,
    }
}

/// An environment variable that is set but not UTF-8.
#[derive(Debug, thiserror::Error)]
#[error("{0} is not valid UTF-8")]
pub struct NotUnicode(pub &'static str);

/// Where a value came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// An environment variable.
    Env(&'static str),
    /// A key of the configuration file.
    File {
        /// The file as given.
        path: String,
        /// The dotted key.
        key: &'static str,
    },
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Env(var) => f.write_str(var),
            Origin::File { path, key } => write!(f, "{path}: {key}"),
        }
    }
}

/// A setting's text (as an error message echoes it) and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The value, trimmed.
    pub text: String,
    /// Its origin.
    pub origin: Origin,
}

/// The environment over the file.
#[derive(Debug, Default)]
pub struct Source {
    /// Set variables (non-empty, or empty where that means something), by name.
    env: HashMap<&'static str, String>,
    /// The file's path as given, and its set values by TOML key (strings trimmed, empty ones dropped).
    file: Option<(String, HashMap<&'static str, Value>)>,
}

impl Source {
    /// The process environment over `file` (the path as given, and what it holds).
    pub fn from_env(file: Option<(&Path, &FileSettings)>) -> Result<Self, NotUnicode> {
        let mut env = HashMap::new();
        for &(_, var) in KEYS {
            match std::env::var(var) {
                Ok(v) => {
                    env.insert(var, v);
                }
                Err(std::env::VarError::NotPresent) => {}
                Err(std::env::VarError::NotUnicode(_)) => return Err(NotUnicode(var)),
            }
        }
        Ok(Self::new(env, file))
    }

    /// `env` (variables by name) over `file`; for tests and [`Source::from_env`].
    pub fn new(env: HashMap<&'static str, String>, file: Option<(&Path, &FileSettings)>) -> Self {
        let set = |key: &str, empty: bool| !empty || key == EMPTY_IS_A_VALUE;
        let env = env
            .into_iter()
            .map(|(var, v)| (var, v.trim().to_string()))
            .filter(|(var, v)| key_of(var).is_some_and(|key| set(key, v.is_empty())))
            .collect();
        let file = file.map(|(path, settings)| {
            let values = KEYS
                .iter()
                .map(|&(key, _)| key)
                .chain(FILE_ONLY.iter().copied())
                .filter_map(|key| {
                    let value = match settings.value(key)? {
                        Value::String(s) => Value::String(s.trim().to_string()),
                        other => other.clone(),
                    };
                    let empty = value.as_str().is_some_and(str::is_empty);
                    set(key, empty).then_some((key, value))
                })
                .collect();
            (path.display().to_string(), values)
        });
        Source { env, file }
    }

    /// The value of the setting with variable `var`: the variable if set, else the file's key.
    pub fn get(&self, var: &str) -> Option<Found> {
        let &(key, var) = KEYS.iter().find(|(_, v)| *v == var)?;
        if let Some(text) = self.env.get(var) {
            return Some(Found { text: text.clone(), origin: Origin::Env(var) });
        }
        let (path, values) = self.file.as_ref()?;
        let text = match values.get(key)? {
            Value::String(s) => s.clone(),
            Value::Integer(n) => n.to_string(),
            Value::Boolean(b) => b.to_string(),
            Value::Float(f) => f.to_string(),
            // The settings are text, flags and numbers: other shapes fail their type check first.
            _ => String::new(),
        };
        Some(Found { text, origin: Origin::File { path: path.clone(), key } })
    }

    /// Where the setting with variable `var` would come from if set: what errors should name.
    pub fn origin_of(&self, var: &str) -> String {
        match self.get(var) {
            Some(found) => found.origin.to_string(),
            None => var.to_string(),
        }
    }

    /// [`Source::origin_of`] for the setting with TOML key `key`.
    pub fn origin_of_key(&self, key: &str) -> String {
        match KEYS.iter().find(|(k, _)| *k == key) {
            Some((_, var)) => self.origin_of(var),
            None => key.to_string(),
        }
    }

    /// `file: key` for a key of the file only ([`FILE_ONLY`]), for errors about it.
    pub fn file_origin(&self, key: &str) -> String {
        match &self.file {
            Some((path, _)) => format!("{path}: {key}"),
            None => key.to_string(),
        }
    }

    /// The set settings of a TOML section (`"telegram."`), named by origin: for errors about a group
    /// of settings rather than one.
    pub fn origins_in(&self, section: &str) -> Vec<String> {
        KEYS.iter()
            .filter(|(key, _)| key.starts_with(section))
            .filter_map(|(_, var)| self.get(var).map(|f| f.origin.to_string()))
            .collect()
    }

    /// The variable `var`, if set, as the value its key takes; `Err` names the variable and its text.
    fn env_value(&self, key: &str, var: &'static str) -> Result<Option<Value>, SettingsError> {
        let Some(text) = self.env.get(var) else { return Ok(None) };
        let bad = |message: &'static str| SettingsError {
            at: var.into(),
            value: Some(text.clone()),
            message: message.into(),
        };
        let value = match kind_of(key) {
            Kind::Text => Value::String(text.clone()),
            Kind::Flag => match text.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Value::Boolean(true),
                "false" | "0" | "no" | "off" => Value::Boolean(false),
                _ => return Err(bad("not true or false")),
            },
            Kind::Number(what) => match text.parse::<i64>() {
                Ok(n) if n >= 0 => Value::Integer(n),
                _ => return Err(bad(what)),
            },
        };
        Ok(Some(value))
    }

    /// The file's values with the set variables over them, as one TOML table of sections.
    pub fn layered(&self) -> Result<Table, SettingsError> {
        let mut table = Table::new();
        for &(key, var) in KEYS {
            let from_file = self.file.as_ref().and_then(|(_, values)| values.get(key).cloned());
            if let Some(value) = self.env_value(key, var)?.or(from_file) {
                put(&mut table, key, value);
            }
        }
        for &key in FILE_ONLY {
            if let Some(value) = self.file.as_ref().and_then(|(_, values)| values.get(key).cloned()) {
                put(&mut table, key, value);
            }
        }
        Ok(table)
    }

    /// The variables that are set, each alone as a table of sections: for finding which one a value
    /// of the wrong type came from.
    pub fn each_variable(&self) -> Vec<(&'static str, String, Table)> {
        KEYS.iter()
            .filter_map(|&(key, var)| {
                let value = self.env_value(key, var).ok().flatten()?;
                let mut table = Table::new();
                put(&mut table, key, value);
                Some((var, self.env.get(var).cloned().unwrap_or_default(), table))
            })
            .collect()
    }
}

/// The TOML key of the variable `var`.
fn key_of(var: &str) -> Option<&'static str> {
    KEYS.iter().find(|(_, v)| *v == var).map(|(k, _)| *k)
}

/// Sets the dotted `key` (`section.name`) in `table`.
fn put(table: &mut Table, key: &str, value: Value) {
    let Some((section, name)) = key.split_once('.') else { return };
    let section = table.entry(section).or_insert_with(|| Value::Table(Table::new()));
    if let Value::Table(section) = section {
        section.insert(name.to_string(), value);
    }
}
