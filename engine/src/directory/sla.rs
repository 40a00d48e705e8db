use super::{StateType, validate_name};
use crate::error::{Error, Result};
use chamado_i18n::{Message, key};
use serde::{Deserialize, Serialize};

/// A service level agreement: how soon tickets of its services are answered, updated and solved, in working
/// minutes of its calendar. A ticket picks one of its service's SLAs, as in OTRS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sla {
    /// Name, unique.
    pub name: String,
    /// The [`super::Calendar`] whose working time the clocks count.
    pub calendar: String,
    /// The targets.
    #[serde(flatten)]
    pub targets: EscalationTargets,
    /// The services this SLA may be chosen for (full names).
    pub services: Vec<String>,
    /// Free text.
    pub comment: String,
    /// Invalid SLAs cannot be chosen for tickets (clocks already running keep theirs).
    pub valid: bool,
}

impl Default for Sla {
    fn default() -> Self {
        Sla {
            name: String::new(),
            calendar: String::new(),
            targets: EscalationTargets::default(),
            services: Vec::new(),
            comment: String::new(),
            valid: true,
        }
    }
}

impl Sla {
    /// Checks the name, the calendar's name and the targets.
    pub fn validate(&self) -> Result<()> {
        validate_name(key("error-field-sla-name"), &self.name)?;
        validate_name(key("error-field-calendar-name"), &self.calendar)?;
        self.targets.validate()
    }
}

/// The three escalation targets, each in working minutes (0: that clock does not run), when to warn, and
/// the state types in which the clocks pause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EscalationTargets {
    /// From creation to the first agent article the customer can see.
    pub first_response_minutes: u32,
    /// From the customer's oldest unanswered message, or the last agent contact, to the next agent article
    /// the customer can see.
    pub update_minutes: u32,
    /// From creation to a closed state.
    pub solution_minutes: u32,
    /// The share of a target after which a warning fires, in percent (1..=100; 100 warns at the breach).
    pub notify_before_percent: u8,
    /// State types in which the clocks stand still (default: the pending types).
    pub pause_in: Vec<StateType>,
}

impl Default for EscalationTargets {
    fn default() -> Self {
        EscalationTargets {
            first_response_minutes: 0,
            update_minutes: 0,
            solution_minutes: 0,
            notify_before_percent: 80,
            pause_in: vec![StateType::PendingReminder, StateType::PendingAuto],
        }
    }
}

/// About ten years of working minutes: a target beyond it is a typo.
const MAX_MINUTES: u32 = 5_256_000;

impl EscalationTargets {
    /// True when no clock runs.
    pub fn is_empty(&self) -> bool {
        self.first_response_minutes == 0 && self.update_minutes == 0 && self.solution_minutes == 0
    }

    /// Checks the ranges; only open and pending state types can pause a clock.
    pub fn validate(&self) -> Result<()> {
        for m in [self.first_response_minutes, self.update_minutes, self.solution_minutes] {
            if m > MAX_MINUTES {
                return Err(Error::validation(Message::new("error-sla-target-too-long").arg("minutes", m.to_string())));
            }
        }
        if !(1..=100).contains(&self.notify_before_percent) {
            return Err(Error::validation(
                Message::new("error-sla-notify-percent").arg("percent", self.notify_before_percent.to_string()),
            ));
        }
        if let Some(st) = self.pause_in.iter().find(|st| !st.is_active() || **st == StateType::New) {
            return Err(Error::validation(Message::new("error-sla-pause-state").arg("type", st.as_str())));
        }
        Ok(())
    }
}

/// What a queue sets for tickets without an SLA: a calendar and fallback targets (OTRS's queue escalation
/// times).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct QueueEscalation {
    /// The calendar; `None`: around the clock in UTC.
    pub calendar: Option<String>,
    /// The targets.
    #[serde(flatten)]
    pub targets: EscalationTargets,
}
