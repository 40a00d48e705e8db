use super::validate_name;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// A service, named hierarchically: `Parent::Child`. An invalid parent hides its children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Service {
    /// The full name, e.g. `IT::Email`.
    pub name: String,
    /// Free text.
    pub comment: String,
    /// Invalid services cannot be chosen, nor can their children.
    pub valid: bool,
}

impl Default for Service {
    fn default() -> Self {
        Service { name: String::new(), comment: String::new(), valid: true }
    }
}

impl Service {
    /// A valid service.
    pub fn new(name: impl Into<String>) -> Self {
        Service { name: name.into(), ..Default::default() }
    }

    /// The parent's full name, if any: `IT::Email::Spam` has parent `IT::Email`.
    pub fn parent(&self) -> Option<&str> {
        parent_of(&self.name)
    }

    /// Checks the name: every `::`-separated part is non-empty.
    pub fn validate(&self) -> Result<()> {
        validate_name(chamado_i18n::key("error-field-service-name"), &self.name)?;
        if self.name.split("::").any(|p| p.trim().is_empty()) {
            return Err(Error::validation(
                chamado_i18n::Message::new("error-service-name-empty-part").arg("name", format!("{:?}", self.name)),
            ));
        }
        Ok(())
    }
}

/// The parent's full name of a service name.
pub(crate) fn parent_of(name: &str) -> Option<&str> {
    name.rsplit_once("::").map(|(p, _)| p)
}
