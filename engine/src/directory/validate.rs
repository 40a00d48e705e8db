use chamado_i18n::{Message, key};

use crate::error::{Error, Result};

/// Checks a name or login: 1 to 200 characters, no control characters, no leading or trailing space.
///
/// `field` is the message key of what is checked (`key("error-field-queue-name")`), so the refusal
/// reads in the reader's language. Names are keys in every store, so the rule is the same everywhere.
pub fn validate_name(field: &'static str, value: &str) -> Result<()> {
    let refusal = |k: &'static str| Err(Error::validation(Message::new(k).arg_key("field", field)));
    if value.is_empty() {
        return refusal(key("error-field-empty"));
    }
    if value.chars().count() > 200 {
        return refusal(key("error-field-too-long"));
    }
    if value.chars().any(char::is_control) {
        return refusal(key("error-field-control-characters"));
    }
    if value.trim() != value {
        return refusal(key("error-field-surrounding-space"));
    }
    Ok(())
}
