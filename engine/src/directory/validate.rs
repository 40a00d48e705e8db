use crate::error::{Error, Result};

/// Checks a name or login: 1 to 200 characters, no control characters, no leading or trailing space.
///
/// Names are keys in every store, so the rule is the same everywhere.
pub fn validate_name(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::validation(format!("{field} must not be empty")));
    }
    if value.chars().count() > 200 {
        return Err(Error::validation(format!("{field} is longer than 200 characters")));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::validation(format!("{field} must not contain control characters")));
    }
    if value.trim() != value {
        return Err(Error::validation(format!("{field} must not start or end with white space")));
    }
    Ok(())
}
