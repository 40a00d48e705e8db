//! The words the engine writes into ticket histories and events about mail it could not take at face
//! value (a sender read from elsewhere, a bounce), kept in one place so that translating them later
//! touches one file.

use crate::bounce::BounceReport;
use crate::sender_fallback::{SenderFallback, SenderSource};

/// The history entry of a ticket opened by a message whose sender header was unusable.
pub(super) fn sender_flagged(fallback: &SenderFallback, used: &str) -> String {
    let source = match fallback.source {
        SenderSource::Envelope => "the envelope sender",
        SenderSource::OtherHeader => "another header of the message",
        SenderSource::Sanitised => "an address made from the header",
    };
    if fallback.header.is_empty() {
        format!("unverified sender: the message has no From address; the sender {used} is taken from {source}")
    } else {
        format!(
            "unverified sender: the From header {:?} is not an address; the sender {used} is taken from {source}",
            fallback.header
        )
    }
}

/// The history entry and event text for a bounce of one of our messages to `recipient`.
pub(super) fn bounced(report: &BounceReport, recipient: &str) -> String {
    let verb = if report.is_failure() { "was not delivered" } else { "is reported" };
    let mut out = format!("the message to {recipient} {verb}");
    if let Some(action) = report.action.as_deref().filter(|_| !report.is_failure()) {
        out.push_str(&format!(" as {action}"));
    }
    if let Some(status) = &report.status {
        out.push_str(&format!(" (status {status})"));
    }
    if let Some(d) = &report.diagnostic {
        out.push_str(&format!(": {d}"));
    }
    out
}

/// The history entry of a ticket opened by a bounce that matched none of our messages.
pub(super) fn unmatched_bounce(queue: &str) -> String {
    format!("a bounce that matches none of our messages was filed in queue {queue}")
}
