use super::validate_name;
use crate::error::{Error, Result};
use crate::priority::Priority;
use serde::{Deserialize, Serialize};

/// What an admin sets for one of the five priorities: its name and whether it may be chosen.
///
/// Tickets keep the level ([`Priority`]), as OTRS keeps the priority's id, so a rename changes what every
/// ticket of that level shows without touching the tickets. A level with no stored definition has the
/// name OTRS ships (`3 normal`) and is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityDef {
    /// The level the tickets keep; the record's key.
    pub level: Priority,
    /// The name shown and accepted, unique among priorities.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Invalid priorities cannot be set on a ticket; tickets that have one keep it.
    #[serde(default = "yes")]
    pub valid: bool,
}

fn yes() -> bool {
    true
}

impl PriorityDef {
    /// The definition OTRS ships for `level`.
    pub fn shipped(level: Priority) -> Self {
        PriorityDef { level, name: level.name().to_string(), comment: String::new(), valid: true }
    }

    /// The record key of a level: its digit.
    pub fn key_of(level: Priority) -> String {
        level.level().to_string()
    }

    /// Checks the name; the level is checked by its type.
    pub fn validate(&self) -> Result<()> {
        validate_name(chamado_i18n::key("error-field-priority-name"), &self.name)?;
        // A name that reads as a number would make `3` ambiguous where names and levels are both accepted.
        let digits = self.name.strip_prefix('+').unwrap_or(&self.name);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::validation(
                chamado_i18n::Message::new("error-priority-name-number").arg("name", format!("{:?}", self.name)),
            ));
        }
        Ok(())
    }
}

/// The definitions of all five levels, lowest first: stored ones over the shipped ones.
pub(crate) fn complete(stored: impl IntoIterator<Item = PriorityDef>) -> Vec<PriorityDef> {
    let mut all: Vec<PriorityDef> = Priority::all().map(PriorityDef::shipped).collect();
    for def in stored {
        if let Some(slot) = all.iter_mut().find(|d| d.level == def.level) {
            *slot = def;
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_definitions_replace_shipped_ones_and_the_rest_stay() {
        let mut high = PriorityDef::shipped(Priority::new(4).unwrap_or_default());
        high.name = "urgent".into();
        high.valid = false;
        let all = complete([high.clone()]);
        assert_eq!(all.len(), 5);
        assert_eq!(all[3], high);
        assert_eq!(all[2].name, "3 normal");
        assert!(all[2].valid);
    }

    #[test]
    fn a_name_that_reads_as_a_number_is_refused() {
        let mut d = PriorityDef::shipped(Priority::NORMAL);
        for number in ["4", "3", "+3", "003"] {
            d.name = number.into();
            assert!(d.validate().is_err(), "{number}");
        }
        d.name = "3 normal".into();
        assert!(d.validate().is_ok());
        d.name = String::new();
        assert!(d.validate().is_err());
    }
}
