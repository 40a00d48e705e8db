//! The helpdesk's settings from the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// `CHAMADO_HTTP_ADDR` is not `host:port`.
    #[error("CHAMADO_HTTP_ADDR={value:?} is not an address like 127.0.0.1:8080")]
    Addr {
        /// What was set.
        value: String,
    },
    /// `CHAMADO_ADMIN_TOKEN` is too short or has odd characters.
    #[error("CHAMADO_ADMIN_TOKEN must be at least 16 visible ASCII characters")]
    Token,
    /// A variable is not UTF-8.
    #[error("{0} is not valid UTF-8")]
    NotUnicode(&'static str),
}

/// What the helpdesk runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `CHAMADO_DATA_DIR` (default `./data`): the redb file and `admin.token` live here.
    pub data_dir: PathBuf,
    /// `CHAMADO_HTTP_ADDR` (default `127.0.0.1:8080`).
    pub http_addr: SocketAddr,
    /// `CHAMADO_ADMIN_TOKEN`: the bootstrap admin's API token, when set.
    pub admin_token: Option<String>,
    /// `CHAMADO_DATABASE_URL`: run on PostgreSQL (`postgres://...`) instead of the redb file.
    pub database_url: Option<String>,
    /// `CHAMADO_ADMIN_PASSWORD`: sets the `admin` agent's console password at start.
    pub admin_password: Option<String>,
}

fn var(name: &'static str) -> Result<Option<String>, SettingsError> {
    match std::env::var(name) {
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => Ok(Some(v.trim().to_string())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(SettingsError::NotUnicode(name)),
    }
}

impl Settings {
    /// Reads the `CHAMADO_*` variables.
    pub fn from_env() -> Result<Self, SettingsError> {
        let data_dir = var("CHAMADO_DATA_DIR")?.map_or_else(|| PathBuf::from("./data"), PathBuf::from);
        let addr = var("CHAMADO_HTTP_ADDR")?.unwrap_or_else(|| "127.0.0.1:8080".into());
        let http_addr = addr.parse().map_err(|_| SettingsError::Addr { value: addr.clone() })?;
        let admin_token = var("CHAMADO_ADMIN_TOKEN")?;
        if admin_token.as_ref().is_some_and(|t| t.len() < 16 || !t.bytes().all(|b| b.is_ascii_graphic())) {
            return Err(SettingsError::Token);
        }
        let database_url = var("CHAMADO_DATABASE_URL")?;
        let admin_password = var("CHAMADO_ADMIN_PASSWORD")?;
        Ok(Settings { data_dir, http_addr, admin_token, database_url, admin_password })
    }
}
