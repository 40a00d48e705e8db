//! Keeping the bot token out of texts: reqwest errors name the URL, which contains it.

/// `text` with every occurrence of `token` replaced.
pub(crate) fn redact(text: &str, token: &str) -> String {
    if token.is_empty() { text.to_string() } else { text.replace(token, "<token>") }
}
