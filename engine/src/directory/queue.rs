use super::validate_name;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What happens when a customer writes to a closed ticket of a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpPolicy {
    /// The ticket is reopened (state `open`).
    #[default]
    Possible,
    /// The follow-up is refused; the sender is told and the attempt recorded in history.
    Reject,
    /// A new ticket is opened and linked to the closed one.
    NewTicket,
}

impl FromStr for FollowUpPolicy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "possible" => Ok(Self::Possible),
            "reject" => Ok(Self::Reject),
            "new_ticket" => Ok(Self::NewTicket),
            other => Err(Error::validation(
                chamado_i18n::Message::new("error-follow-up-policy-unknown").arg("text", format!("{other:?}")),
            )),
        }
    }
}

impl FollowUpPolicy {
    /// The policy's name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Possible => "possible",
            Self::Reject => "reject",
            Self::NewTicket => "new_ticket",
        }
    }
}

/// A queue that agents work tickets in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Queue {
    /// Name, unique.
    pub name: String,
    /// The group whose permissions govern this queue.
    pub group: String,
    /// Follow-ups on closed tickets.
    pub follow_up: FollowUpPolicy,
    /// Free text.
    pub comment: String,
    /// Invalid queues take no new tickets.
    pub valid: bool,
    /// The auto-response sent for each kind.
    pub auto_responses: super::QueueAutoResponses,
    /// The salutation above agent replies (a [`super::Salutation`] name).
    pub salutation: Option<String>,
    /// The signature below agent replies (a [`super::Signature`] name).
    pub signature: Option<String>,
    /// Minutes after which a locked ticket is unlocked when its owner has not answered; 0 never.
    pub unlock_timeout_minutes: u32,
    /// Escalation targets and calendar for the queue's tickets without an SLA.
    pub escalation: super::QueueEscalation,
}

impl Default for Queue {
    fn default() -> Self {
        Queue {
            name: String::new(),
            group: String::new(),
            follow_up: FollowUpPolicy::Possible,
            comment: String::new(),
            valid: true,
            auto_responses: super::QueueAutoResponses::default(),
            salutation: None,
            signature: None,
            unlock_timeout_minutes: 0,
            escalation: super::QueueEscalation::default(),
        }
    }
}

impl Queue {
    /// A valid queue in `group`.
    pub fn new(name: impl Into<String>, group: impl Into<String>, follow_up: FollowUpPolicy) -> Self {
        Queue { name: name.into(), group: group.into(), follow_up, ..Default::default() }
    }

    /// Checks the fields an admin entered.
    pub fn validate(&self) -> Result<()> {
        validate_name(chamado_i18n::key("error-field-queue-name"), &self.name)?;
        validate_name(chamado_i18n::key("error-field-queue-group"), &self.group)?;
        self.escalation.targets.validate()
    }
}
