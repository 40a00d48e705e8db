//! The sentences the adapter adds to a ticket's text when it had to change a message: kept here, in
//! one place, for the translations to come.

/// Added to a body cut to the engine's size limit.
pub(crate) const BODY_SHORTENED: &str = "\n\n[The text was shortened; the full text is attached as message.txt.]";

/// Added to a body whose message had more attachments than are kept.
pub(crate) fn attachments_left_out(left_out: usize, kept: usize) -> String {
    format!("\n\n[{left_out} more attachments were left out: at most {kept} are kept per message.]")
}
