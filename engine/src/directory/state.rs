use super::validate_name;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Names of the states OTRS ships, as [`StateDef::otrs_defaults`] seeds them. The one place state names
/// are spelled: the lifecycle's defaults (`LifecycleStates`) refer to these.
pub(crate) mod seeded {
    pub(crate) const NEW: &str = "new";
    pub(crate) const OPEN: &str = "open";
    pub(crate) const PENDING_REMINDER: &str = "pending reminder";
    pub(crate) const PENDING_AUTO_CLOSE_PLUS: &str = "pending auto close+";
    pub(crate) const PENDING_AUTO_CLOSE_MINUS: &str = "pending auto close-";
    pub(crate) const CLOSED_SUCCESSFUL: &str = "closed successful";
    pub(crate) const CLOSED_UNSUCCESSFUL: &str = "closed unsuccessful";
    pub(crate) const MERGED: &str = "merged";
    pub(crate) const REMOVED: &str = "removed";
}

/// The type of a ticket state; rules work on types, admins name the states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateType {
    /// Not yet worked on.
    New,
    /// Being worked on.
    Open,
    /// Waiting; a reminder event fires when due.
    PendingReminder,
    /// Waiting; closes by itself when due.
    PendingAuto,
    /// Done.
    Closed,
    /// Merged into another ticket.
    Merged,
    /// Removed.
    Removed,
}

impl StateType {
    /// All types, in a stable order.
    pub const ALL: [StateType; 7] = [
        StateType::New,
        StateType::Open,
        StateType::PendingReminder,
        StateType::PendingAuto,
        StateType::Closed,
        StateType::Merged,
        StateType::Removed,
    ];

    /// The type's name as the API spells it (`pending_reminder`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            StateType::New => "new",
            StateType::Open => "open",
            StateType::PendingReminder => "pending_reminder",
            StateType::PendingAuto => "pending_auto",
            StateType::Closed => "closed",
            StateType::Merged => "merged",
            StateType::Removed => "removed",
        }
    }

    /// One byte for index keys.
    pub fn code(self) -> u8 {
        match self {
            StateType::New => 1,
            StateType::Open => 2,
            StateType::PendingReminder => 3,
            StateType::PendingAuto => 4,
            StateType::Closed => 5,
            StateType::Merged => 6,
            StateType::Removed => 7,
        }
    }

    /// Pending types need a due time.
    pub fn is_pending(self) -> bool {
        matches!(self, StateType::PendingReminder | StateType::PendingAuto)
    }

    /// Open for work: new, open or pending.
    pub fn is_active(self) -> bool {
        matches!(self, StateType::New | StateType::Open | StateType::PendingReminder | StateType::PendingAuto)
    }
}

impl FromStr for StateType {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        StateType::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            Error::validation(chamado_i18n::Message::new("error-state-type-unknown").arg("text", format!("{s:?}")))
        })
    }
}

/// A named ticket state of some type, e.g. `closed successful` of type closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateDef {
    /// Name, unique.
    pub name: String,
    /// Its type.
    pub state_type: StateType,
    /// For pending-auto states: the state the ticket goes to when due.
    #[serde(default)]
    pub next_state: Option<String>,
    /// Invalid states cannot be set.
    #[serde(default = "yes")]
    pub valid: bool,
}

fn yes() -> bool {
    true
}

impl StateDef {
    /// A valid state.
    pub fn new(name: impl Into<String>, state_type: StateType) -> Self {
        StateDef { name: name.into(), state_type, next_state: None, valid: true }
    }

    /// The states OTRS ships.
    pub fn otrs_defaults() -> Vec<StateDef> {
        let mut auto_plus = StateDef::new(seeded::PENDING_AUTO_CLOSE_PLUS, StateType::PendingAuto);
        auto_plus.next_state = Some(seeded::CLOSED_SUCCESSFUL.into());
        let mut auto_minus = StateDef::new(seeded::PENDING_AUTO_CLOSE_MINUS, StateType::PendingAuto);
        auto_minus.next_state = Some(seeded::CLOSED_UNSUCCESSFUL.into());
        vec![
            StateDef::new(seeded::NEW, StateType::New),
            StateDef::new(seeded::OPEN, StateType::Open),
            StateDef::new(seeded::PENDING_REMINDER, StateType::PendingReminder),
            auto_plus,
            auto_minus,
            StateDef::new(seeded::CLOSED_SUCCESSFUL, StateType::Closed),
            StateDef::new(seeded::CLOSED_UNSUCCESSFUL, StateType::Closed),
            StateDef::new(seeded::MERGED, StateType::Merged),
            StateDef::new(seeded::REMOVED, StateType::Removed),
        ]
    }

    /// Checks the definition.
    pub fn validate(&self) -> Result<()> {
        // A pending auto state without `next_state` goes to the lifecycle's auto-close state when due.
        validate_name(chamado_i18n::key("error-field-state-name"), &self.name)
    }
}
