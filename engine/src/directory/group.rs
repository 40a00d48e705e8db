use super::validate_name;
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// The group whose `rw` makes an agent an admin ([`crate::AgentAccess::is_admin`]).
pub(crate) const ADMIN_GROUP: &str = "admin";

/// A permission group; every queue belongs to one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Group {
    /// Name, unique.
    pub name: String,
    /// Free text.
    pub comment: String,
    /// An invalid group grants nothing.
    pub valid: bool,
}

impl Default for Group {
    fn default() -> Self {
        Group { name: String::new(), comment: String::new(), valid: true }
    }
}

impl Group {
    /// A valid group.
    pub fn new(name: impl Into<String>) -> Self {
        Group { name: name.into(), ..Default::default() }
    }

    /// Checks the name.
    pub fn validate(&self) -> Result<()> {
        validate_name(chamado_i18n::key("error-field-group-name"), &self.name)
    }
}
