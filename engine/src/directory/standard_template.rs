//! Ready-made texts agents start from: standard answers, notes and phone-ticket texts.

use super::localized_text::{LocalizedText, validate_texts};
use super::validate_name;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Where a template is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    /// A reply to the customer (OTRS "Answer").
    Answer,
    /// An internal note (OTRS "Note").
    Note,
    /// The first article of a ticket an agent opens, e.g. by phone (OTRS "Create").
    Create,
}

impl TemplateKind {
    /// Every kind, in a stable order.
    pub const ALL: [TemplateKind; 3] = [TemplateKind::Answer, TemplateKind::Note, TemplateKind::Create];

    /// The name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Answer => "answer",
            TemplateKind::Note => "note",
            TemplateKind::Create => "create",
        }
    }
}

impl FromStr for TemplateKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        TemplateKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            Error::validation(chamado_i18n::Message::new("error-template-kind-unknown").arg("text", format!("{s:?}")))
        })
    }
}

/// A standard template, offered to agents in the queues it is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StandardTemplate {
    /// Name, unique.
    pub name: String,
    /// Where it is offered.
    pub kind: TemplateKind,
    /// Subject (may be empty) and body per language (templates).
    pub texts: Vec<LocalizedText>,
    /// The queues it is offered in.
    pub queues: Vec<String>,
    /// Invalid templates are not offered.
    pub valid: bool,
    /// Free text.
    pub comment: String,
}

impl Default for StandardTemplate {
    fn default() -> Self {
        StandardTemplate {
            name: String::new(),
            kind: TemplateKind::Answer,
            texts: Vec::new(),
            queues: Vec::new(),
            valid: true,
            comment: String::new(),
        }
    }
}

impl StandardTemplate {
    /// Checks the fields an admin entered, templates included.
    pub fn validate(&self) -> Result<()> {
        validate_name(chamado_i18n::key("error-field-template-name"), &self.name)?;
        if self.texts.is_empty() {
            return Err(Error::validation(chamado_i18n::Message::new("error-texts-empty")));
        }
        validate_texts(&self.texts, false)
    }
}
