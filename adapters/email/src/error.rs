//! Errors of the parsing step.

use thiserror::Error;

/// Why raw bytes could not become an inbound message. Each is a refusal: retrying will not help.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum ParseError {
    /// Nothing was delivered (zero bytes or only whitespace). A message is never refused for its
    /// headers: a missing or malformed sender falls back (see [`crate::parse_message`]).
    #[error("the message is empty")]
    Empty,
}
