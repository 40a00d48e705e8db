//! The words the engine writes into ticket histories and events about mail it could not take at face
//! value (a sender read from elsewhere, a bounce) and refused follow-ups, kept in one place: each is a
//! `history-…` message, rendered in the reader's language and stored with its English text.

use crate::bounce::BounceReport;
use crate::reason::Reason;
use crate::sender_fallback::{SenderFallback, SenderSource};
use chamado_i18n::{Message, key};

/// The history entry of a ticket opened by a message whose sender header was unusable.
pub(super) fn sender_flagged(fallback: &SenderFallback, used: &str) -> Message {
    let source = match fallback.source {
        SenderSource::Envelope => key("history-sender-source-envelope"),
        SenderSource::OtherHeader => key("history-sender-source-other-header"),
        SenderSource::Sanitised => key("history-sender-source-sanitised"),
    };
    let note = if fallback.header.is_empty() {
        Message::new("history-sender-flagged-no-from")
    } else {
        Message::new("history-sender-flagged-bad-from").arg("header", format!("{:?}", fallback.header))
    };
    note.arg("sender", used).arg_key("source", source)
}

/// The history entry and event text for a bounce of one of our messages to `recipient`.
pub(super) fn bounced(report: &BounceReport, recipient: &str) -> Message {
    // The status code and the remote server's diagnostic are machine text, shown as received.
    let mut detail = String::new();
    if let Some(status) = &report.status {
        detail.push_str(&format!(" (status {status})"));
    }
    if let Some(d) = &report.diagnostic {
        detail.push_str(&format!(": {d}"));
    }
    let note = if report.is_failure() {
        Message::new("history-bounce-failed")
    } else if let Some(action) = report.action.as_deref() {
        Message::new("history-bounce-reported-as").arg("action", action)
    } else {
        Message::new("history-bounce-reported")
    };
    note.arg("recipient", recipient).arg("detail", detail)
}

/// The history entry of a ticket opened by a bounce that matched none of our messages.
pub(super) fn unmatched_bounce(queue: &str) -> Message {
    Message::new("history-unmatched-bounce").arg("queue", queue)
}

/// The history entry of a refused follow-up: the engine's reason in the reader's language when it is
/// a plain sentence, else its English text.
pub(super) fn follow_up_refused(reason: &Reason) -> Message {
    let note = Message::new("history-follow-up-refused");
    match reason.message() {
        Some(m) if m.args().is_empty() && m.keyed_args().is_empty() => note.arg_key("reason", m.key()),
        _ => note.arg("reason", reason.to_string()),
    }
}
