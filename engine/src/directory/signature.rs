//! The closing put below every agent reply of a queue.

use super::localized_text::{LocalizedText, validate_texts};
use super::validate_name;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// A signature ("{{ agent.name }}\n{{ queue.name }}"), per language; only bodies are used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Signature {
    /// Name, unique.
    pub name: String,
    /// The text per language (a template).
    pub texts: Vec<LocalizedText>,
    /// Invalid signatures are not used.
    pub valid: bool,
    /// Free text.
    pub comment: String,
}

impl Default for Signature {
    fn default() -> Self {
        Signature { name: String::new(), texts: Vec::new(), valid: true, comment: String::new() }
    }
}

impl Signature {
    /// Checks the fields an admin entered, templates included.
    pub fn validate(&self) -> Result<()> {
        validate_name(chamado_i18n::key("error-field-signature-name"), &self.name)?;
        if self.texts.is_empty() {
            return Err(Error::validation(chamado_i18n::Message::new("error-texts-empty")));
        }
        validate_texts(&self.texts, false)
    }
}
