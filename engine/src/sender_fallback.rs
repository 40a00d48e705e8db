//! Where an adapter found the sender of a message whose own sender header was unusable.

use serde::{Deserialize, Serialize};

/// Which source gave the sender address, in the order adapters try them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SenderSource {
    /// The envelope sender (SMTP `MAIL FROM`, the pipe's `-f`).
    Envelope,
    /// Another header of the message (`Sender:`, `Return-Path:`).
    OtherHeader,
    /// An address made from what the header held (an address found inside it, or a placeholder in the
    /// reserved `.invalid` domain that is never written to).
    Sanitised,
}

/// Set on an [`crate::InboundMessage`] when the message's sender header (`From`) was missing or not an
/// address: the message is never refused for it, but it opens a new ticket flagged for agents, gets no
/// auto-response, and never joins an existing ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SenderFallback {
    /// The sender header as written (control characters removed, cut to a few hundred characters);
    /// empty when there was none.
    pub header: String,
    /// Where the sender address came from instead.
    pub source: SenderSource,
}
