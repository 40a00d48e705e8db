//! Automatic answers a queue sends to customers, OTRS's four kinds.

use super::localized_text::{LocalizedText, validate_texts};
use super::validate_name;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// When an auto-response is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoResponseKind {
    /// A new ticket was opened (OTRS "auto reply").
    Reply,
    /// A follow-up was refused by the queue's follow-up policy (OTRS "auto reject").
    Reject,
    /// A follow-up was taken into its ticket (OTRS "auto follow up").
    FollowUp,
    /// A follow-up on a closed ticket opened a new ticket (OTRS "auto reply/new ticket").
    ReplyNewTicket,
}

impl AutoResponseKind {
    /// Every kind, in a stable order.
    pub const ALL: [AutoResponseKind; 4] = [
        AutoResponseKind::Reply,
        AutoResponseKind::Reject,
        AutoResponseKind::FollowUp,
        AutoResponseKind::ReplyNewTicket,
    ];

    /// The name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            AutoResponseKind::Reply => "reply",
            AutoResponseKind::Reject => "reject",
            AutoResponseKind::FollowUp => "follow_up",
            AutoResponseKind::ReplyNewTicket => "reply_new_ticket",
        }
    }
}

impl FromStr for AutoResponseKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        AutoResponseKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            Error::validation(
                chamado_i18n::Message::new("error-auto-response-kind-unknown").arg("text", format!("{s:?}")),
            )
        })
    }
}

/// An auto-response text. Queues pick one per kind ([`super::Queue::auto_responses`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoResponse {
    /// Name, unique.
    pub name: String,
    /// When it is sent.
    pub kind: AutoResponseKind,
    /// Subject and body per language (templates).
    pub texts: Vec<LocalizedText>,
    /// Invalid auto-responses are not sent.
    pub valid: bool,
    /// Free text.
    pub comment: String,
}

impl Default for AutoResponse {
    fn default() -> Self {
        AutoResponse {
            name: String::new(),
            kind: AutoResponseKind::Reply,
            texts: Vec::new(),
            valid: true,
            comment: String::new(),
        }
    }
}

impl AutoResponse {
    /// Checks the fields an admin entered, templates included.
    pub fn validate(&self) -> Result<()> {
        validate_name(chamado_i18n::key("error-field-auto-response-name"), &self.name)?;
        if self.texts.is_empty() {
            return Err(Error::validation(chamado_i18n::Message::new("error-texts-empty")));
        }
        validate_texts(&self.texts, true)
    }
}

/// The auto-response a queue sends for each kind; `None` for [`AutoResponseKind::Reply`] is the
/// shipped translated answer (what every queue did before queues had their own), `None` for the others
/// sends nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueAutoResponses {
    /// For a new ticket.
    pub reply: Option<String>,
    /// For a refused follow-up.
    pub reject: Option<String>,
    /// For a follow-up taken.
    pub follow_up: Option<String>,
    /// For a follow-up that opened a new ticket.
    pub reply_new_ticket: Option<String>,
}

impl QueueAutoResponses {
    /// The name assigned for `kind`.
    pub fn get(&self, kind: AutoResponseKind) -> Option<&str> {
        match kind {
            AutoResponseKind::Reply => self.reply.as_deref(),
            AutoResponseKind::Reject => self.reject.as_deref(),
            AutoResponseKind::FollowUp => self.follow_up.as_deref(),
            AutoResponseKind::ReplyNewTicket => self.reply_new_ticket.as_deref(),
        }
    }

    /// Assigns `name` (or nothing) for `kind`.
    pub fn set(&mut self, kind: AutoResponseKind, name: Option<String>) {
        let slot = match kind {
            AutoResponseKind::Reply => &mut self.reply,
            AutoResponseKind::Reject => &mut self.reject,
            AutoResponseKind::FollowUp => &mut self.follow_up,
            AutoResponseKind::ReplyNewTicket => &mut self.reply_new_ticket,
        };
        *slot = name;
    }
}
