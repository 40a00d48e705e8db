//! The channels a ticket or article comes from or goes out by.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A communication channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Email (SMTP, LMTP, pipe, maildir).
    Email,
    /// The customer web portal or the REST API.
    Web,
    /// An agent typing in what a customer said on the phone.
    Phone,
    /// A chat network (Telegram).
    Chat,
    /// Internal notes and system actions.
    Internal,
}

impl ChannelKind {
    /// The name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Email => "email",
            ChannelKind::Web => "web",
            ChannelKind::Phone => "phone",
            ChannelKind::Chat => "chat",
            ChannelKind::Internal => "internal",
        }
    }
}

impl FromStr for ChannelKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "email" => Ok(ChannelKind::Email),
            "web" => Ok(ChannelKind::Web),
            "phone" => Ok(ChannelKind::Phone),
            "chat" => Ok(ChannelKind::Chat),
            "internal" => Ok(ChannelKind::Internal),
            other => Err(Error::validation(
                chamado_i18n::Message::new("error-channel-unknown").arg("text", format!("{other:?}")),
            )),
        }
    }
}
