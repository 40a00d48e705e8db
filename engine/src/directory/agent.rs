use super::validate_name;
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// A help-desk agent. Group permissions are [`super::Grant`]s, directly or through roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Agent {
    /// Login, unique.
    pub login: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email address.
    pub email: String,
    /// Invalid agents are kept but cannot act.
    pub valid: bool,
    /// Password hash for the console (the HTTP adapter's format).
    pub password_hash: Option<String>,
    /// Hashes of the agent's API tokens (the HTTP adapter's format); removing one revokes it.
    pub token_hashes: Vec<String>,
    /// The console's language (a tag such as `pt-BR`); `None` follows the browser, else the system default.
    pub language: Option<String>,
    /// The IANA time zone the console shows times in, e.g. `America/Sao_Paulo`; `None` is the system
    /// default.
    pub time_zone: Option<String>,
    /// "My queues": the queues whose new tickets, follow-ups and moves the agent is told about (when
    /// the agent may read them).
    pub my_queues: Vec<String>,
    /// The agent's own notification choices; kinds not listed follow the admin's defaults.
    pub notifications: Vec<super::NotificationChoice>,
    /// The Telegram chat the agent linked (a chat id), where Telegram notifications go.
    pub telegram_chat: Option<String>,
}

impl Default for Agent {
    fn default() -> Self {
        Agent {
            login: String::new(),
            first_name: String::new(),
            last_name: String::new(),
            email: String::new(),
            valid: true,
            password_hash: None,
            token_hashes: Vec::new(),
            language: None,
            time_zone: None,
            my_queues: Vec::new(),
            notifications: Vec::new(),
            telegram_chat: None,
        }
    }
}

impl Agent {
    /// A valid agent.
    pub fn new(login: impl Into<String>) -> Self {
        Agent { login: login.into(), ..Default::default() }
    }

    /// Checks the fields an admin entered.
    pub fn validate(&self) -> Result<()> {
        validate_name(chamado_i18n::key("error-field-agent-login"), &self.login)
    }
}
