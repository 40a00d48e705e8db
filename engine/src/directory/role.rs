use super::validate_name;
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// A role bundles group permissions; agents get them by membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Role {
    /// Name, unique.
    pub name: String,
    /// Free text.
    pub comment: String,
    /// An invalid role grants nothing.
    pub valid: bool,
}

impl Default for Role {
    fn default() -> Self {
        Role { name: String::new(), comment: String::new(), valid: true }
    }
}

impl Role {
    /// A valid role.
    pub fn new(name: impl Into<String>) -> Self {
        Role { name: name.into(), ..Default::default() }
    }

    /// Checks the name.
    pub fn validate(&self) -> Result<()> {
        validate_name(chamado_i18n::key("error-field-role-name"), &self.name)
    }
}
