//! Ticket priorities: `1 very low` .. `5 very high`, default `3 normal`, as OTRS ships them.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A priority from 1 (very low) to 5 (very high).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Priority(u8);

const NAMES: [&str; 5] = ["1 very low", "2 low", "3 normal", "4 high", "5 very high"];

impl Priority {
    /// `3 normal`.
    pub const NORMAL: Priority = Priority(3);

    /// The priority with this level (1..=5).
    pub fn new(level: u8) -> Result<Self> {
        if (1..=5).contains(&level) {
            Ok(Priority(level))
        } else {
            Err(Error::validation(chamado_i18n::Message::new("error-priority-out-of-range").arg("level", level)))
        }
    }

    /// The level 1..=5.
    pub fn level(self) -> u8 {
        self.0
    }

    /// The OTRS name, e.g. `3 normal`.
    pub fn name(self) -> &'static str {
        NAMES[usize::from(self.0.clamp(1, 5) - 1)]
    }

    /// All priorities, lowest first.
    pub fn all() -> impl Iterator<Item = Priority> {
        (1..=5).map(Priority)
    }
}

impl Default for Priority {
    fn default() -> Self {
        Priority::NORMAL
    }
}

impl TryFrom<u8> for Priority {
    type Error = Error;
    fn try_from(v: u8) -> Result<Self> {
        Priority::new(v)
    }
}

impl From<Priority> for u8 {
    fn from(p: Priority) -> u8 {
        p.0
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Priority {
    type Err = Error;
    /// Accepts `3`, `3 normal` or `normal`.
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        if let Ok(n) = s.parse::<u8>() {
            return Priority::new(n);
        }
        Priority::all().find(|p| p.name().eq_ignore_ascii_case(s) || p.name()[2..].eq_ignore_ascii_case(s)).ok_or_else(
            || {
                Error::validation(
                    chamado_i18n::Message::new("error-priority-text-unknown").arg("text", format!("{s:?}")),
                )
            },
        )
    }
}
