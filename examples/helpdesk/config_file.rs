//! The optional TOML configuration file (`--config FILE` or `CHAMADO_CONFIG`): the same settings as
//! the environment variables, one key each (see `helpdesk.toml` beside this file), checked strictly so a
//! typo is an error at start rather than a silently ignored setting.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Why the file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Missing or unreadable.
    #[error("{path}: cannot read the configuration file: {source}")]
    Read {
        /// The file as given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Not TOML, an unknown key, or a value of the wrong type.
    #[error("{path}: {at}{message}")]
    Invalid {
        /// The file as given.
        path: String,
        /// `key (line N): `, as far as it is known.
        at: String,
        /// What the TOML reader said.
        message: String,
    },
}

/// `[http]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Http {
    addr: Option<String>,
    metrics: Option<bool>,
}

/// `[store]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Store {
    data_dir: Option<String>,
    database_url: Option<String>,
    full_text_search: Option<bool>,
}

/// `[admin]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Admin {
    token: Option<String>,
    password: Option<String>,
}

/// `[smtp]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smtp {
    addr: Option<String>,
    lmtp_addr: Option<String>,
    relay: Option<String>,
    mail_from: Option<String>,
    queues: Option<String>,
    hostname: Option<String>,
    max_bytes: Option<u64>,
    tls_cert: Option<String>,
    tls_key: Option<String>,
    require_tls: Option<bool>,
}

/// `[telegram]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Telegram {
    bot_token: Option<String>,
    api_url: Option<String>,
    queue: Option<String>,
    webhook_url: Option<String>,
    webhook_secret: Option<String>,
    webhook_path: Option<String>,
}

/// `[engine]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineTimers {
    tick_seconds: Option<u64>,
    deliver_seconds: Option<u64>,
}

/// `[log]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log {
    filter: Option<String>,
}

/// The whole file; every section and key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    #[serde(default)]
    http: Http,
    #[serde(default)]
    store: Store,
    #[serde(default)]
    admin: Admin,
    #[serde(default)]
    smtp: Smtp,
    #[serde(default)]
    telegram: Telegram,
    #[serde(default)]
    engine: EngineTimers,
    #[serde(default)]
    log: Log,
}

impl FileSettings {
    /// Reads and checks `path`.
    pub fn load(path: &Path) -> Result<Self, FileError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| FileError::Read { path: path.display().to_string(), source })?;
        Self::parse(path, &text)
    }

    /// Checks `text` as the content of `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Self, FileError> {
        toml::from_str(text).map_err(|e| FileError::Invalid {
            path: path.display().to_string(),
            at: e.span().map(|s| locate(text, s.start)).unwrap_or_default(),
            message: e.message().trim().to_string(),
        })
    }

    /// Every key that is set, with its value as the matching environment variable would spell it.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        let text = |key: &'static str, v: &Option<String>| v.clone().map(|v| (key, v));
        let num = |key: &'static str, v: Option<u64>| v.map(|v| (key, v.to_string()));
        let (h, s, a, m, t, e) = (&self.http, &self.store, &self.admin, &self.smtp, &self.telegram, &self.engine);
        [
            text("http.addr", &h.addr),
            h.metrics.map(|v| ("http.metrics", v.to_string())),
            text("store.data_dir", &s.data_dir),
            text("store.database_url", &s.database_url),
            s.full_text_search.map(|v| ("store.full_text_search", v.to_string())),
            text("admin.token", &a.token),
            text("admin.password", &a.password),
            text("smtp.addr", &m.addr),
            text("smtp.lmtp_addr", &m.lmtp_addr),
            text("smtp.relay", &m.relay),
            text("smtp.mail_from", &m.mail_from),
            text("smtp.queues", &m.queues),
            text("smtp.hostname", &m.hostname),
            num("smtp.max_bytes", m.max_bytes),
            text("smtp.tls_cert", &m.tls_cert),
            text("smtp.tls_key", &m.tls_key),
            m.require_tls.map(|v| ("smtp.require_tls", v.to_string())),
            text("telegram.bot_token", &t.bot_token),
            text("telegram.api_url", &t.api_url),
            text("telegram.queue", &t.queue),
            text("telegram.webhook_url", &t.webhook_url),
            text("telegram.webhook_secret", &t.webhook_secret),
            text("telegram.webhook_path", &t.webhook_path),
            num("engine.tick_seconds", e.tick_seconds),
            num("engine.deliver_seconds", e.deliver_seconds),
            text("log.filter", &self.log.filter),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// `section.key (line N): ` for the byte offset `at`: the TOML reader names only the last part of a
/// key, so the section comes from the nearest `[header]` above.
fn locate(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or_default();
    let line_no = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..).and_then(|l| l.lines().next()).unwrap_or_default().trim();
    let header = |l: &str| l.strip_prefix('[').and_then(|l| l.split(']').next()).map(|s| s.trim().to_string());
    let section = before.get(..line_start).unwrap_or_default().lines().rev().map(str::trim).find_map(header);
    let key = match (header(line), line.split_once('=')) {
        (Some(h), _) => Some(h),
        (None, Some((k, _))) => Some(match section {
            Some(s) => format!("{s}.{}", k.trim()),
            None => k.trim().to_string(),
        }),
        (None, None) => None,
    };
    match key {
        Some(k) => format!("{k} (line {line_no}): "),
        None => format!("line {line_no}: "),
    }
}

/// The configuration file named by `--config FILE` (or `--config=FILE`), else by `CHAMADO_CONFIG`.
pub fn path_from(args: &[String], env: Option<String>) -> Result<Option<PathBuf>, String> {
    let mut path = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--config" || arg == "-c" {
            path = Some(it.next().ok_or_else(|| format!("{arg} needs a file name"))?.clone());
        } else if let Some(p) = arg.strip_prefix("--config=") {
            path = Some(p.to_string());
        } else {
            return Err(format!("unknown argument {arg:?}; usage: helpdesk [--config FILE]"));
        }
    }
    Ok(path.or(env).filter(|p| !p.trim().is_empty()).map(PathBuf::from))
}
