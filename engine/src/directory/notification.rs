//! Agent notifications: which events tell agents, by which channel, with which text (OTRS's "Ticket
//! Notifications"). The engine's recipient rule is [`crate::notify::recipients`].

use super::localized_text::{LocalizedText, validate_texts};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// An event agents can be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A ticket was opened in one of the agent's queues.
    NewTicket,
    /// The customer wrote again (to the owner, else the queue's agents; the responsible and watchers too).
    FollowUp,
    /// The agent's lock on a ticket ran out (the queue's unlock timeout).
    LockTimeout,
    /// The agent was made owner.
    OwnerSet,
    /// The agent was made responsible.
    ResponsibleSet,
    /// A pending reminder came due (to the owner, else the queue's agents).
    ReminderDue,
    /// A ticket was moved into one of the agent's queues.
    MovedIntoMyQueue,
    /// A ticket's SLA is about to be breached.
    EscalationWarning,
    /// A ticket's SLA was breached.
    EscalationBreach,
    /// A reply the agent sent bounced.
    Bounced,
}

impl NotificationKind {
    /// Every kind, in a stable order.
    pub const ALL: [NotificationKind; 10] = [
        NotificationKind::NewTicket,
        NotificationKind::FollowUp,
        NotificationKind::LockTimeout,
        NotificationKind::OwnerSet,
        NotificationKind::ResponsibleSet,
        NotificationKind::ReminderDue,
        NotificationKind::MovedIntoMyQueue,
        NotificationKind::EscalationWarning,
        NotificationKind::EscalationBreach,
        NotificationKind::Bounced,
    ];

    /// The name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::NewTicket => "new_ticket",
            NotificationKind::FollowUp => "follow_up",
            NotificationKind::LockTimeout => "lock_timeout",
            NotificationKind::OwnerSet => "owner_set",
            NotificationKind::ResponsibleSet => "responsible_set",
            NotificationKind::ReminderDue => "reminder_due",
            NotificationKind::MovedIntoMyQueue => "moved_into_my_queue",
            NotificationKind::EscalationWarning => "escalation_warning",
            NotificationKind::EscalationBreach => "escalation_breach",
            NotificationKind::Bounced => "bounced",
        }
    }

    /// The message key of the kind's name, for pages.
    pub fn label_key(self) -> &'static str {
        match self {
            NotificationKind::NewTicket => chamado_i18n::key("notification-kind-new-ticket"),
            NotificationKind::FollowUp => chamado_i18n::key("notification-kind-follow-up"),
            NotificationKind::LockTimeout => chamado_i18n::key("notification-kind-lock-timeout"),
            NotificationKind::OwnerSet => chamado_i18n::key("notification-kind-owner-set"),
            NotificationKind::ResponsibleSet => chamado_i18n::key("notification-kind-responsible-set"),
            NotificationKind::ReminderDue => chamado_i18n::key("notification-kind-reminder-due"),
            NotificationKind::MovedIntoMyQueue => chamado_i18n::key("notification-kind-moved-into-my-queue"),
            NotificationKind::EscalationWarning => chamado_i18n::key("notification-kind-escalation-warning"),
            NotificationKind::EscalationBreach => chamado_i18n::key("notification-kind-escalation-breach"),
            NotificationKind::Bounced => chamado_i18n::key("notification-kind-bounced"),
        }
    }
}

impl FromStr for NotificationKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        NotificationKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            Error::validation(
                chamado_i18n::Message::new("error-notification-kind-unknown").arg("text", format!("{s:?}")),
            )
        })
    }
}

/// How an agent is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationChannel {
    /// A mail to the agent's address.
    Email,
    /// A Telegram message to the chat the agent linked.
    Telegram,
}

impl NotificationChannel {
    /// Every channel, in a stable order.
    pub const ALL: [NotificationChannel; 2] = [NotificationChannel::Email, NotificationChannel::Telegram];

    /// The name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationChannel::Email => "email",
            NotificationChannel::Telegram => "telegram",
        }
    }

    /// The outbound channel that delivers it.
    pub fn channel_kind(self) -> crate::ChannelKind {
        match self {
            NotificationChannel::Email => crate::ChannelKind::Email,
            NotificationChannel::Telegram => crate::ChannelKind::Chat,
        }
    }
}

impl FromStr for NotificationChannel {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        NotificationChannel::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            Error::validation(
                chamado_i18n::Message::new("error-notification-channel-unknown").arg("text", format!("{s:?}")),
            )
        })
    }
}

/// What an admin set for one notification kind (a directory record keyed by the kind's name). Kinds
/// without a record use [`NotificationDef::shipped`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotificationDef {
    /// The kind.
    pub kind: NotificationKind,
    /// Disabled notifications are sent to nobody.
    pub valid: bool,
    /// Sent by mail unless the agent chose otherwise.
    pub email: bool,
    /// Sent by Telegram (to agents who linked a chat) unless the agent chose otherwise.
    pub telegram: bool,
    /// Whether agents may change the defaults on their preferences page; when not, the defaults bind.
    pub agent_may_choose: bool,
    /// Subject and body per language (templates); empty is the shipped translated text.
    pub texts: Vec<LocalizedText>,
}

impl Default for NotificationDef {
    fn default() -> Self {
        NotificationDef::shipped(NotificationKind::NewTicket)
    }
}

impl NotificationDef {
    /// What a kind does before an admin changes it: on, by mail, agents may choose, shipped texts.
    pub fn shipped(kind: NotificationKind) -> Self {
        NotificationDef { kind, valid: true, email: true, telegram: false, agent_may_choose: true, texts: Vec::new() }
    }

    /// The record key of a kind.
    pub fn key_of(kind: NotificationKind) -> &'static str {
        kind.as_str()
    }

    /// Whether `channel` is on by default.
    pub fn default_for(&self, channel: NotificationChannel) -> bool {
        match channel {
            NotificationChannel::Email => self.email,
            NotificationChannel::Telegram => self.telegram,
        }
    }

    /// Checks the fields an admin entered, templates included.
    pub fn validate(&self) -> Result<()> {
        validate_texts(&self.texts, true)
    }
}

/// An agent's own choice for one notification kind; kinds without a choice follow the admin's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationChoice {
    /// The kind.
    pub kind: NotificationKind,
    /// By mail.
    pub email: bool,
    /// By Telegram.
    pub telegram: bool,
}

impl NotificationChoice {
    /// Whether `channel` is chosen.
    pub fn wants(&self, channel: NotificationChannel) -> bool {
        match channel {
            NotificationChannel::Email => self.email,
            NotificationChannel::Telegram => self.telegram,
        }
    }
}
