//! Why the engine refused something, in English and, where a person meets the refusal on a page or in a
//! chat, as a translatable [`Message`] too.

use chamado_i18n::Message;

/// The text an [`enum@crate::Error`] carries: its English text (logs, the REST API's `detail`) and,
/// when the refusal is one people read, the [`Message`] that renders it in the reader's language.
///
/// Two reasons are equal when they say the same in English: whether a translation came along does not
/// change what was refused. Stored (as part of an intake outcome kept for idempotent retries) it is its
/// English text.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(into = "String", from = "String")]
pub struct Reason {
    english: String,
    message: Option<Message>,
}

impl Reason {
    /// The English text.
    pub fn as_str(&self) -> &str {
        &self.english
    }

    /// The translatable message, when the refusal has one.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }
}

impl From<String> for Reason {
    /// An untranslated reason (internal failures nobody but an operator reads).
    fn from(english: String) -> Self {
        Reason { english, message: None }
    }
}

impl From<&str> for Reason {
    /// An untranslated reason (internal failures nobody but an operator reads).
    fn from(english: &str) -> Self {
        Reason { english: english.to_string(), message: None }
    }
}

impl From<Message> for Reason {
    /// A translatable reason; its English text is rendered once, here.
    fn from(message: Message) -> Self {
        Reason { english: message.english(), message: Some(message) }
    }
}

impl PartialEq for Reason {
    fn eq(&self, other: &Self) -> bool {
        self.english == other.english
    }
}

impl Eq for Reason {}

impl std::ops::Deref for Reason {
    type Target = str;

    fn deref(&self) -> &str {
        &self.english
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english)
    }
}

impl From<Reason> for String {
    fn from(reason: Reason) -> Self {
        reason.english
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_reason_is_its_english_text() {
        let r = Reason::from("the store is gone");
        assert_eq!(r.as_str(), "the store is gone");
        assert_eq!(r.to_string(), "the store is gone");
        assert!(r.message().is_none());
        assert_eq!(r, Reason::from(String::from("the store is gone")));
    }

    #[test]
    fn a_translated_reason_keeps_its_message_and_equals_the_same_english() {
        let r = Reason::from(Message::new("error-title-empty"));
        assert_eq!(r.as_str(), "title must not be empty");
        assert_eq!(r.message().map(Message::key), Some("error-title-empty"));
        assert_eq!(r, Reason::from("title must not be empty"));
        assert!(r.starts_with("title"), "derefs to str");
    }
}
