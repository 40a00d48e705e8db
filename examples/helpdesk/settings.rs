//! What the helpdesk runs with: its own settings and the adapters' typed configurations, read once
//! from the layered [`Source`] and checked, each error naming the variable or the file's key.

use crate::sections::{self, Sections};
use crate::source::Source;
use chamado::{EngineConfig, NumberFormat};
use chamado_email::EmailConfig;
use chamado_telegram::{TelegramConfig, WebhookConfig};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::StrDeserializer;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The default of [`Settings::cache_size`]: 64 MiB. redb's own default (1 GiB) made the helpdesk's
/// resident memory at 1M tickets 1.6 GiB for query times that the kernel's page cache gives as well
/// (BENCHMARKS.md, issue #26).
pub const DEFAULT_CACHE_SIZE: usize = 64 << 20;

/// The smallest [`Settings::cache_size`]: 4 MiB, below which every commit's pages overflow redb's
/// write buffer.
pub const MIN_CACHE_SIZE: u64 = 4 << 20;

/// A setting that cannot be used; it names the variable or the file's key it came from.
#[derive(Debug, thiserror::Error)]
pub struct SettingsError {
    /// The variable, or `file: key`.
    pub at: String,
    /// What was set (`None` for secrets, which are never echoed, and where the message shows it).
    pub value: Option<String>,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.value {
            Some(v) => write!(f, "{} = {v:?}: {}", self.at, self.message),
            None => write!(f, "{}: {}", self.at, self.message),
        }
    }
}

/// What the helpdesk runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `store.data_dir` / `CHAMADO_DATA_DIR` (default `./data`): the redb file and `admin.token`.
    pub data_dir: PathBuf,
    /// `http.addr` / `CHAMADO_HTTP_ADDR` (default `127.0.0.1:8080`).
    pub http_addr: SocketAddr,
    /// `http.metrics` / `CHAMADO_METRICS` (default true): serve `GET /metrics`.
    pub metrics: bool,
    /// `http.public_url` / `CHAMADO_HTTP_PUBLIC_URL`: where people reach the server, e.g.
    /// `https://help.example.com`; an `https` address marks cookies `Secure` and sends HSTS. It is the
    /// base of the links in notifications too ([`Settings::engine_for`]; unset: the bound address).
    pub public_url: Option<String>,
    /// `admin.token` / `CHAMADO_ADMIN_TOKEN`: the bootstrap admin's API token, when set.
    pub admin_token: Option<String>,
    /// `store.database_url` / `CHAMADO_DATABASE_URL`: run on PostgreSQL instead of the redb file.
    pub database_url: Option<String>,
    /// `store.full_text_search` / `CHAMADO_FULL_TEXT_SEARCH` (default true): the redb store keeps a
    /// word index for ticket search (PostgreSQL always searches).
    pub full_text_search: bool,
    /// `store.cache_size` / `CHAMADO_STORE_CACHE_SIZE` (default [`DEFAULT_CACHE_SIZE`], at least
    /// [`MIN_CACHE_SIZE`]): bytes of redb's own page cache (its writes in progress included). The
    /// operating system's page cache holds the file too, so a larger one mostly holds pages twice.
    pub cache_size: usize,
    /// `admin.password` / `CHAMADO_ADMIN_PASSWORD`: sets the `admin` agent's console password at start.
    pub admin_password: Option<String>,
    /// `engine.tick_seconds` / `CHAMADO_TICK_SECONDS` (default 30): auto-close and reminders.
    pub tick_every: Duration,
    /// `engine.deliver_seconds` / `CHAMADO_DELIVER_SECONDS` (default 5): outbox delivery rounds.
    pub deliver_every: Duration,
    /// `log.filter` / `RUST_LOG` (default `info`): which log lines are written.
    pub log_filter: String,
    /// The engine's configuration: `engine.ticket_number_generator` / `CHAMADO_TICKET_NUMBER_GENERATOR`
    /// (default `date_checksum`), `engine.system_id` / `CHAMADO_SYSTEM_ID` (default `10`),
    /// `engine.auto_responses_per_hour` / `CHAMADO_AUTO_RESPONSES_PER_HOUR` (default 200), the upload
    /// limits `engine.attachment_max_{file_bytes,article_bytes,count}` /
    /// `CHAMADO_ATTACHMENT_MAX_{FILE_BYTES,ARTICLE_BYTES,COUNT}` (10 MiB, 25 MiB, 20), and from
    /// [`Settings::email`] the system address, the sender-authentication policy and the `Reply-To` queues;
    /// and `i18n.default_language` / `CHAMADO_DEFAULT_LANGUAGE` (default `en`) and
    /// `i18n.default_time_zone` / `CHAMADO_DEFAULT_TIME_ZONE` (default `UTC`).
    pub engine: EngineConfig,
    /// `[smtp]` / `CHAMADO_SMTP_*`, `CHAMADO_MAIL_*`, `CHAMADO_LMTP_ADDR`: the email adapter's settings.
    pub email: EmailConfig,
    /// `[telegram]` / `TELEGRAM_*`, `CHAMADO_TELEGRAM_QUEUE`: the bot, when a token is set.
    pub telegram: Option<TelegramConfig>,
    /// `[mail]` / `CHAMADO_IMAP_URL`, `CHAMADO_MAILDIR`, `CHAMADO_MAIL_CA_FILE`: mailboxes pulled and a
    /// watched Maildir.
    pub mail: crate::mailboxes::Mailboxes,
    /// `[webhooks]`: the delivery worker's settings (the engine's, with
    /// `webhooks.allow_private_targets` / `CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS`, are in
    /// [`Settings::engine`]'s `webhooks`).
    pub webhooks: chamado_webhooks::WorkerConfig,
}

fn seconds(source: &Source, var: &str, set: Option<u64>, default: u64) -> Result<Duration, SettingsError> {
    match set {
        None => Ok(Duration::from_secs(default)),
        Some(n) if (1..=86_400).contains(&n) => Ok(Duration::from_secs(n)),
        Some(n) => Err(SettingsError {
            at: source.origin_of(var),
            value: Some(n.to_string()),
            message: "not a whole number of seconds from 1 to 86400".into(),
        }),
    }
}

/// `text` set by `var` is wrong: `message` says why.
fn bad(source: &Source, var: &str, text: &str, message: impl Into<String>) -> SettingsError {
    SettingsError { at: source.origin_of(var), value: Some(text.to_string()), message: message.into() }
}

/// A non-empty text setting.
fn text(v: Option<String>) -> Option<String> {
    v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl Settings {
    /// Reads the settings from `source`, checking each.
    pub fn load(source: &Source) -> Result<Self, SettingsError> {
        let s = sections(source)?;
        let data_dir = text(s.store.data_dir).map_or_else(|| PathBuf::from("./data"), PathBuf::from);
        let http_addr = match text(s.http.addr) {
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
            Some(a) => {
                a.parse().map_err(|_| bad(source, "CHAMADO_HTTP_ADDR", &a, "not an address like 127.0.0.1:8080"))?
            }
        };
        let admin_token = text(s.admin.token);
        if let Some(t) = &admin_token
            && (t.len() < 16 || !t.bytes().all(|b| b.is_ascii_graphic()))
        {
            // The token is a secret: name the setting, never echo the value.
            return Err(SettingsError {
                at: source.origin_of("CHAMADO_ADMIN_TOKEN"),
                value: None,
                message: "must be at least 16 visible ASCII characters".into(),
            });
        }
        let public_url = text(s.http.public_url);
        if let Some(url) = &public_url {
            let http =
                chamado_http::HttpConfig { public_url: Some(url.clone()), ..chamado_http::HttpConfig::default() };
            http.validate().map_err(|e| SettingsError {
                at: source.origin_of("CHAMADO_HTTP_PUBLIC_URL"),
                value: None,
                message: e.message,
            })?;
        }
        let cache_size = match s.store.cache_size {
            None => DEFAULT_CACHE_SIZE,
            Some(n) => usize::try_from(n).ok().filter(|_| n >= MIN_CACHE_SIZE).ok_or_else(|| {
                bad(
                    source,
                    "CHAMADO_STORE_CACHE_SIZE",
                    &n.to_string(),
                    "not a number of bytes of at least 4194304 (4 MiB)",
                )
            })?,
        };
        let tick_every = seconds(source, "CHAMADO_TICK_SECONDS", s.engine.tick_seconds, 30)?;
        let deliver_every = seconds(source, "CHAMADO_DELIVER_SECONDS", s.engine.deliver_seconds, 5)?;
        // The adapters' settings after the helpdesk's own, as they were checked before.
        let email = s.smtp;
        email.validate().map_err(|e| SettingsError {
            at: source.origin_of_key(&format!("smtp.{}", e.field)),
            value: None,
            message: e.message,
        })?;
        let mut engine = i18n(source, &s.i18n, engine_config(source, &s.engine, &email)?)?;
        let webhooks = crate::webhooks::load(source, &s.webhooks, &mut engine.webhooks)?;
        Ok(Settings {
            data_dir,
            http_addr,
            metrics: s.http.metrics.unwrap_or(true),
            public_url,
            admin_token,
            database_url: text(s.store.database_url),
            full_text_search: s.store.full_text_search.unwrap_or(true),
            cache_size,
            admin_password: text(s.admin.password),
            tick_every,
            deliver_every,
            log_filter: text(s.log.filter).unwrap_or_else(|| "info".into()),
            engine,
            telegram: telegram(source, s.telegram)?,
            mail: crate::mailboxes::load(source, s.mail)?,
            webhooks,
            email,
        })
    }
}

impl Settings {
    /// The engine's configuration for the HTTP server bound at `bound`: [`Settings::engine`] with
    /// [`EngineConfig::public_url`], the base of the links in notifications and texts, from
    /// [`links_base`].
    pub fn engine_for(&self, bound: SocketAddr) -> EngineConfig {
        EngineConfig { public_url: links_base(self.public_url.as_deref(), bound), ..self.engine.clone() }
    }
}

/// The base of links in notifications and texts (`urls.*` of the templates): `http.public_url` /
/// `CHAMADO_HTTP_PUBLIC_URL` without a trailing slash when set, else `http://` and the address the
/// HTTP server bound, so that links work out of the box on this machine. A wildcard address
/// (`0.0.0.0`, `[::]`) names none to come back to: the loopback address of its family stands for it.
pub fn links_base(public_url: Option<&str>, bound: SocketAddr) -> String {
    if let Some(url) = public_url.map(|u| u.trim().trim_end_matches('/')).filter(|u| !u.is_empty()) {
        return url.to_string();
    }
    let mut at = bound;
    if at.ip().is_unspecified() {
        at.set_ip(match at {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    format!("http://{at}")
}

/// The environment over the file, deserialized once into the settings' shape.
fn sections(source: &Source) -> Result<Sections, SettingsError> {
    let layered = source.layered()?;
    toml::Value::Table(layered).try_into::<Sections>().map_err(|e| {
        // The file's values were checked when it was read: a value of the wrong type came from a
        // variable. Deserialized alone, it shows which.
        source
            .each_variable()
            .into_iter()
            .find_map(|(var, text, alone)| {
                toml::Value::Table(alone).try_into::<Sections>().err().map(|e| SettingsError {
                    at: var.into(),
                    value: Some(text),
                    message: e.message().trim().to_string(),
                })
            })
            .unwrap_or(SettingsError {
                at: "the settings".into(),
                value: None,
                message: e.message().trim().to_string(),
            })
    })
}

/// The engine's configuration: the ticket number format and SystemID (checked by the engine's own
/// generator), and the email system address.
fn engine_config(source: &Source, s: &sections::Engine, email: &EmailConfig) -> Result<EngineConfig, SettingsError> {
    let mut config = EngineConfig::default();
    if let Some(name) = text(s.ticket_number_generator.clone()) {
        let var = "CHAMADO_TICKET_NUMBER_GENERATOR";
        let named: StrDeserializer<'_, serde::de::value::Error> = name.as_str().into_deserializer();
        config.number_format = NumberFormat::deserialize(named)
            .map_err(|_| bad(source, var, &name, "not one of date_checksum, date, auto_increment"))?;
    }
    if let Some(id) = s.system_id.as_ref().map(sections::Digits::text).filter(|id| !id.is_empty()) {
        chamado::StandardNumbers::new(config.number_format, &id).map_err(|e| {
            let message = match e {
                chamado::Error::Validation(m) => m.to_string(),
                other => other.to_string(),
            };
            bad(source, "CHAMADO_SYSTEM_ID", &id, message)
        })?;
        config.system_id = id;
    }
    if let Some(n) = s.auto_responses_per_hour {
        config.auto_response.max_per_hour = n;
    }
    if let Some(queue) = text(s.bounce_queue.clone()) {
        config.bounce_queue = queue;
    }
    let limits = &mut config.attachments;
    for (var, set, slot) in [
        ("CHAMADO_ATTACHMENT_MAX_FILE_BYTES", s.attachment_max_file_bytes, &mut limits.max_file_bytes),
        ("CHAMADO_ATTACHMENT_MAX_ARTICLE_BYTES", s.attachment_max_article_bytes, &mut limits.max_article_bytes),
    ] {
        match set {
            Some(0) => return Err(bad(source, var, "0", "must be at least 1 byte")),
            Some(n) => *slot = n,
            None => {}
        }
    }
    match s.attachment_max_count {
        Some(0) => return Err(bad(source, "CHAMADO_ATTACHMENT_MAX_COUNT", "0", "must be at least 1")),
        Some(n) => limits.max_count = usize::try_from(n).unwrap_or(usize::MAX),
        None => {}
    }
    email.apply_to(&mut config);
    Ok(config)
}

/// The system's language and time zone into `config`; one chamado has no texts or zone data for stops
/// the start (a typo would otherwise show every page in English or every time in UTC).
fn i18n(source: &Source, s: &sections::I18n, mut config: EngineConfig) -> Result<EngineConfig, SettingsError> {
    if let Some(tag) = text(s.default_language.clone()) {
        let language = chamado_i18n::Language::parse(&tag).ok_or_else(|| {
            let known: Vec<String> = chamado_i18n::Language::all().iter().map(|l| l.tag()).collect();
            bad(
                source,
                "CHAMADO_DEFAULT_LANGUAGE",
                &tag,
                format!("not a language chamado speaks: one of {}", known.join(", ")),
            )
        })?;
        config.i18n.default_language = language.tag();
    }
    if let Some(name) = text(s.default_time_zone.clone()) {
        let zone = chamado_i18n::TimeZoneName::parse(&name).ok_or_else(|| {
            bad(source, "CHAMADO_DEFAULT_TIME_ZONE", &name, "not an IANA time zone name such as America/Sao_Paulo")
        })?;
        config.i18n.default_time_zone = zone.as_str().to_string();
    }
    Ok(config)
}

/// The bot's configuration, when a token is set.
fn telegram(source: &Source, s: sections::Telegram) -> Result<Option<TelegramConfig>, SettingsError> {
    let Some(token) = text(s.bot_token) else { return Ok(None) };
    let mut config = TelegramConfig::new(token);
    if let Some(url) = text(s.api_url) {
        config.api_url = url;
    }
    if let Some(queue) = text(s.queue) {
        config.queue = queue;
    }
    match (text(s.webhook_url), text(s.webhook_secret)) {
        (Some(url), Some(secret_token)) => {
            let path = text(s.webhook_path).unwrap_or_else(|| chamado_telegram::DEFAULT_WEBHOOK_PATH.into());
            config.webhook = Some(WebhookConfig { url, path, secret_token });
        }
        (None, None) => {}
        _ => {
            return Err(SettingsError {
                at: source.origins_in("telegram.webhook_").join(", "),
                value: None,
                message: "telegram.webhook_url and telegram.webhook_secret (TELEGRAM_WEBHOOK_URL and \
                          TELEGRAM_WEBHOOK_SECRET) must be set together"
                    .into(),
            });
        }
    }
    config.validate().map_err(|e| {
        let key = match e.field {
            "token" => "telegram.bot_token",
            "api_url" => "telegram.api_url",
            "queue" => "telegram.queue",
            "webhook.url" => "telegram.webhook_url",
            "webhook.secret_token" => "telegram.webhook_secret",
            "webhook.path" => "telegram.webhook_path",
            // Fields the helpdesk does not set keep valid defaults.
            _ => "telegram",
        };
        SettingsError { at: source.origin_of_key(key), value: None, message: e.message }
    })?;
    Ok(Some(config))
}
