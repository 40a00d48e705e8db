//! Where each setting comes from: an environment variable, else the TOML file, else the default.
//!
//! Every setting has one TOML key and one variable ([`KEYS`]). The adapters read settings by variable
//! name through a lookup function (`EmailConfig::from_vars`, `chamado_telegram::config_from`), so the
//! file is layered underneath the environment by answering those lookups, and errors are reported
//! against whichever of the two the value came from.

use crate::config_file::FileSettings;
use std::collections::HashMap;
use std::path::Path;

/// Every setting: its TOML key and the environment variable that overrides it.
pub const KEYS: &[(&str, &str)] = &[
    ("http.addr", "CHAMADO_HTTP_ADDR"),
    ("http.metrics", "CHAMADO_METRICS"),
    ("store.data_dir", "CHAMADO_DATA_DIR"),
    ("store.database_url", "CHAMADO_DATABASE_URL"),
    ("store.full_text_search", "CHAMADO_FULL_TEXT_SEARCH"),
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
    ("telegram.bot_token", "TELEGRAM_BOT_TOKEN"),
    ("telegram.api_url", "TELEGRAM_API_URL"),
    ("telegram.queue", "CHAMADO_TELEGRAM_QUEUE"),
    ("telegram.webhook_url", "TELEGRAM_WEBHOOK_URL"),
    ("telegram.webhook_secret", "TELEGRAM_WEBHOOK_SECRET"),
    ("telegram.webhook_path", "TELEGRAM_WEBHOOK_PATH"),
    ("engine.tick_seconds", "CHAMADO_TICK_SECONDS"),
    ("engine.deliver_seconds", "CHAMADO_DELIVER_SECONDS"),
    ("log.filter", "RUST_LOG"),
];

/// The one variable whose empty value means something ("no SMTP intake") rather than "unset".
const EMPTY_IS_A_VALUE: &str = "CHAMADO_SMTP_ADDR";

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

/// A setting's text and where it came from.
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
    /// The file's path as given, and its values by variable name.
    file: Option<(String, HashMap<&'static str, String>)>,
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
        let env = env
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_string()))
            .filter(|(k, v)| !v.is_empty() || *k == EMPTY_IS_A_VALUE)
            .collect();
        let file = file.map(|(path, settings)| {
            let by_var = settings
                .values()
                .into_iter()
                .filter_map(|(key, v)| {
                    KEYS.iter().find(|(k, _)| *k == key).map(|(_, var)| (*var, v.trim().to_string()))
                })
                .filter(|(var, v)| !v.is_empty() || *var == EMPTY_IS_A_VALUE)
                .collect();
            (path.display().to_string(), by_var)
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
        values.get(var).map(|text| Found { text: text.clone(), origin: Origin::File { path: path.clone(), key } })
    }

    /// A lookup by variable name, as the adapters' `from_vars`-style constructors take.
    pub fn lookup(&self) -> impl Fn(&str) -> Option<String> + '_ {
        |var| self.get(var).map(|f| f.text)
    }

    /// Where the setting with variable `var` would come from if set: what errors should name.
    pub fn origin_of(&self, var: &str) -> String {
        match self.get(var) {
            Some(found) => found.origin.to_string(),
            None => var.to_string(),
        }
    }

    /// The set settings of a TOML section (`"telegram."`), named by origin: for errors of adapters
    /// that do not say which of their settings was wrong.
    pub fn origins_in(&self, section: &str) -> Vec<String> {
        KEYS.iter()
            .filter(|(key, _)| key.starts_with(section))
            .filter_map(|(_, var)| self.get(var).map(|f| f.origin.to_string()))
            .collect()
    }
}
