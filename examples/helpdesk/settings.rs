//! The helpdesk's own settings (the adapters read theirs from the same [`Source`]).

use crate::source::{Found, Source};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A setting that cannot be used; it names the variable or the file's key it came from.
#[derive(Debug, thiserror::Error)]
pub struct SettingsError {
    /// The variable, or `file: key`.
    pub at: String,
    /// What was set (`None` for secrets, which are never echoed).
    pub value: Option<String>,
    /// What is wrong with it.
    pub message: &'static str,
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
    /// `admin.token` / `CHAMADO_ADMIN_TOKEN`: the bootstrap admin's API token, when set.
    pub admin_token: Option<String>,
    /// `store.database_url` / `CHAMADO_DATABASE_URL`: run on PostgreSQL instead of the redb file.
    pub database_url: Option<String>,
    /// `store.full_text_search` / `CHAMADO_FULL_TEXT_SEARCH` (default true): the redb store keeps a
    /// word index for ticket search (PostgreSQL always searches).
    pub full_text_search: bool,
    /// `admin.password` / `CHAMADO_ADMIN_PASSWORD`: sets the `admin` agent's console password at start.
    pub admin_password: Option<String>,
    /// `engine.tick_seconds` / `CHAMADO_TICK_SECONDS` (default 30): auto-close and reminders.
    pub tick_every: Duration,
    /// `engine.deliver_seconds` / `CHAMADO_DELIVER_SECONDS` (default 5): outbox delivery rounds.
    pub deliver_every: Duration,
    /// `log.filter` / `RUST_LOG` (default `info`): which log lines are written.
    pub log_filter: String,
}

fn bad(found: &Found, message: &'static str) -> SettingsError {
    SettingsError { at: found.origin.to_string(), value: Some(found.text.clone()), message }
}

fn seconds(source: &Source, var: &str, default: u64) -> Result<Duration, SettingsError> {
    let Some(found) = source.get(var) else { return Ok(Duration::from_secs(default)) };
    match found.text.parse::<u64>() {
        Ok(n) if (1..=86_400).contains(&n) => Ok(Duration::from_secs(n)),
        _ => Err(bad(&found, "not a whole number of seconds from 1 to 86400")),
    }
}

fn flag(source: &Source, var: &str, default: bool) -> Result<bool, SettingsError> {
    let Some(found) = source.get(var) else { return Ok(default) };
    match found.text.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(bad(&found, "not true or false")),
    }
}

impl Settings {
    /// Reads the settings from `source`, checking each.
    pub fn load(source: &Source) -> Result<Self, SettingsError> {
        let data_dir = source.get("CHAMADO_DATA_DIR").map_or_else(|| PathBuf::from("./data"), |f| f.text.into());
        let http_addr = match source.get("CHAMADO_HTTP_ADDR") {
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
            Some(f) => f.text.parse().map_err(|_| bad(&f, "not an address like 127.0.0.1:8080"))?,
        };
        let metrics = flag(source, "CHAMADO_METRICS", true)?;
        let full_text_search = flag(source, "CHAMADO_FULL_TEXT_SEARCH", true)?;
        let admin_token = source.get("CHAMADO_ADMIN_TOKEN");
        if let Some(t) = &admin_token
            && (t.text.len() < 16 || !t.text.bytes().all(|b| b.is_ascii_graphic()))
        {
            // The token is a secret: name the setting, never echo the value.
            return Err(SettingsError { value: None, ..bad(t, "must be at least 16 visible ASCII characters") });
        }
        Ok(Settings {
            data_dir,
            http_addr,
            metrics,
            admin_token: admin_token.map(|f| f.text),
            database_url: source.get("CHAMADO_DATABASE_URL").map(|f| f.text),
            full_text_search,
            admin_password: source.get("CHAMADO_ADMIN_PASSWORD").map(|f| f.text),
            tick_every: seconds(source, "CHAMADO_TICK_SECONDS", 30)?,
            deliver_every: seconds(source, "CHAMADO_DELIVER_SECONDS", 5)?,
            log_filter: source.get("RUST_LOG").map_or_else(|| "info".into(), |f| f.text),
        })
    }
}
