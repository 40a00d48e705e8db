//! Texts admins write once per language: auto-responses, notifications, salutations, signatures and
//! templates all keep one [`LocalizedText`] per language and pick the reader's.

use crate::error::{Error, Result};
use crate::templating;
use chamado_i18n::{Message, key};
use serde::{Deserialize, Serialize};

/// The longest subject a text may have, in characters.
const MAX_SUBJECT_CHARS: usize = 500;
/// The longest body a text may have, in bytes.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// One language's version of an admin-written text. Subject and body are templates
/// ([`crate::templating`]); texts without a subject (salutations, signatures) leave it empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct LocalizedText {
    /// A language tag (`en`, `pt-BR`).
    pub language: String,
    /// The subject template (may be empty).
    pub subject: String,
    /// The body template.
    pub body: String,
}

impl LocalizedText {
    /// A text in `language`.
    pub fn new(language: impl Into<String>, subject: impl Into<String>, body: impl Into<String>) -> Self {
        LocalizedText { language: language.into(), subject: subject.into(), body: body.into() }
    }
}

/// The text for a reader: the first of `languages` (most wanted first) that has one, else the first
/// text there is. Languages match by their primary subtag too (`pt` takes `pt-BR`).
pub fn pick_text<'a>(texts: &'a [LocalizedText], languages: &[&str]) -> Option<&'a LocalizedText> {
    let primary = |tag: &str| tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    for wanted in languages {
        if let Some(t) = texts.iter().find(|t| t.language.eq_ignore_ascii_case(wanted)) {
            return Some(t);
        }
        if let Some(t) = texts.iter().find(|t| primary(&t.language) == primary(wanted)) {
            return Some(t);
        }
    }
    texts.first()
}

/// Checks an admin's texts: known languages, each language once, sizes bounded, and every subject and
/// body a template that renders (the refusal names the line).
pub(super) fn validate_texts(texts: &[LocalizedText], need_subject: bool) -> Result<()> {
    let mut seen = Vec::with_capacity(texts.len());
    for text in texts {
        let Some(lang) = chamado_i18n::Language::parse(&text.language) else {
            return Err(Error::validation(
                Message::new("error-text-language-unknown").arg("language", format!("{:?}", text.language)),
            ));
        };
        let tag = lang.tag();
        if seen.contains(&tag) {
            return Err(Error::validation(Message::new("error-text-language-twice").arg("language", tag)));
        }
        seen.push(tag);
        if text.subject.chars().count() > MAX_SUBJECT_CHARS || text.body.len() > MAX_BODY_BYTES {
            return Err(Error::validation(Message::new("error-text-too-long").arg("language", text.language.clone())));
        }
        if need_subject && text.subject.trim().is_empty() {
            return Err(Error::validation(
                Message::new("error-text-subject-empty").arg("language", text.language.clone()),
            ));
        }
        check(key("error-text-part-subject"), &text.language, &text.subject)?;
        check(key("error-text-part-body"), &text.language, &text.body)?;
    }
    Ok(())
}

fn check(part: &'static str, language: &str, source: &str) -> Result<()> {
    templating::check(source).map_err(|e| {
        Error::validation(
            Message::new("error-template-invalid")
                .arg_key("part", part)
                .arg("language", language.to_string())
                .arg("line", e.line.map_or(0, |l| l as i64))
                .arg("detail", e.detail),
        )
    })
}
