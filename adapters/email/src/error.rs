//! Errors of the parsing step.

use thiserror::Error;

/// Why raw bytes could not become an inbound message. Each is a refusal: retrying will not help.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum ParseError {
    /// Nothing was delivered (zero bytes or only whitespace).
    #[error("the message is empty")]
    Empty,
    /// Neither the header (From, Reply-To, Sender, Return-Path) nor the envelope names a sender.
    #[error("the message names no sender address (no From, Sender or Return-Path header and no envelope sender)")]
    NoSender,
}
