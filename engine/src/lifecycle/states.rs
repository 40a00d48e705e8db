//! The configured states the engine sets on its own, each for one role of a fixed state type.

use crate::directory::seeded_states as seeded;
use crate::directory::{StateDef, StateType};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The states the engine sets on its own, by name (OTRS: `PostmasterDefaultState`,
/// `PostmasterFollowUpState`, ...). Each must name a valid state of the type its role needs; that is
/// checked when the state is used and when an admin changes a state. Defaults are the seeded states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LifecycleStates {
    /// Where new tickets start (type `new`; default `new`).
    pub initial: String,
    /// Where an answer to a customer moves a ticket of type `new` (type `open`; default `open`).
    pub answered: String,
    /// Where a customer follow-up reopens a ticket, when its queue's policy lets it (type `open`;
    /// default `open`).
    pub reopened: String,
    /// Where a `pending auto` state that names no next state closes to when due (type `closed`; default
    /// `closed successful`).
    pub auto_closed: String,
    /// What a ticket becomes when it is merged into another (type `merged`; default `merged`).
    pub merged: String,
}

impl Default for LifecycleStates {
    fn default() -> Self {
        LifecycleStates {
            initial: seeded::NEW.into(),
            answered: seeded::OPEN.into(),
            reopened: seeded::OPEN.into(),
            auto_closed: seeded::CLOSED_SUCCESSFUL.into(),
            merged: seeded::MERGED.into(),
        }
    }
}

/// What the engine uses a configured state for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StateRole {
    Initial,
    Answered,
    Reopened,
    AutoClosed,
    Merged,
}

impl StateRole {
    pub(crate) const ALL: [StateRole; 5] =
        [StateRole::Initial, StateRole::Answered, StateRole::Reopened, StateRole::AutoClosed, StateRole::Merged];

    /// The type a state needs to play the role.
    pub(crate) fn state_type(self) -> StateType {
        match self {
            StateRole::Initial => StateType::New,
            StateRole::Answered | StateRole::Reopened => StateType::Open,
            StateRole::AutoClosed => StateType::Closed,
            StateRole::Merged => StateType::Merged,
        }
    }

    /// The setting's key, as errors name it.
    fn key(self) -> &'static str {
        match self {
            StateRole::Initial => "lifecycle.initial",
            StateRole::Answered => "lifecycle.answered",
            StateRole::Reopened => "lifecycle.reopened",
            StateRole::AutoClosed => "lifecycle.auto_closed",
            StateRole::Merged => "lifecycle.merged",
        }
    }
}

impl LifecycleStates {
    /// The configured name for `role`.
    pub(crate) fn name(&self, role: StateRole) -> &str {
        match role {
            StateRole::Initial => &self.initial,
            StateRole::Answered => &self.answered,
            StateRole::Reopened => &self.reopened,
            StateRole::AutoClosed => &self.auto_closed,
            StateRole::Merged => &self.merged,
        }
    }

    /// The roles `name` is configured for.
    pub(crate) fn roles_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = StateRole> + 'a {
        StateRole::ALL.into_iter().filter(move |r| self.name(*r) == name)
    }

    /// `def` (the state named for `role`, `None` when the directory lacks it) when it can play the role.
    pub(crate) fn check<'d>(&self, role: StateRole, def: Option<&'d StateDef>) -> Result<&'d StateDef> {
        let name = self.name(role);
        let need = role.state_type();
        let problem = match def {
            None => "does not exist".to_string(),
            Some(d) if d.state_type != need => format!("is of type {}", d.state_type.as_str()),
            Some(d) if !d.valid => "is invalid".to_string(),
            Some(d) => return Ok(d),
        };
        Err(Error::rejected(format!(
            "{} names state {name:?}, which {problem}; it needs a valid state of type {}",
            role.key(),
            need.as_str()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fit_the_seeded_states() {
        let states = StateDef::otrs_defaults();
        let cfg = LifecycleStates::default();
        for role in StateRole::ALL {
            let def = states.iter().find(|s| s.name == cfg.name(role));
            assert!(cfg.check(role, def).is_ok(), "{role:?}");
        }
    }

    #[test]
    fn a_state_of_the_wrong_type_missing_or_invalid_is_refused() {
        let cfg = LifecycleStates { reopened: "closed successful".into(), ..Default::default() };
        let closed = StateDef::new("closed successful", StateType::Closed);
        let err = cfg.check(StateRole::Reopened, Some(&closed)).unwrap_err().to_string();
        assert!(err.contains("lifecycle.reopened") && err.contains("type closed"), "{err}");
        let err = cfg.check(StateRole::Merged, None).unwrap_err().to_string();
        assert!(err.contains("lifecycle.merged") && err.contains("does not exist"), "{err}");
        let mut open = StateDef::new("open", StateType::Open);
        open.valid = false;
        assert!(cfg.check(StateRole::Answered, Some(&open)).is_err());
        assert_eq!(cfg.roles_of("open").collect::<Vec<_>>(), [StateRole::Answered]);
    }

    #[test]
    fn unset_settings_keep_their_defaults() {
        let cfg: LifecycleStates = serde_json::from_str(r#"{"reopened": "in progress"}"#).unwrap();
        assert_eq!((cfg.reopened.as_str(), cfg.answered.as_str()), ("in progress", "open"));
    }
}
