//! # chamado-email
//!
//! The email adapter of [`chamado`]: mail in by SMTP/LMTP, pipe, Maildir and from IMAP/POP3 mailboxes,
//! mail out through an SMTP relay. It translates between RFC 5322 and the engine; every domain rule
//! (threading, idempotency, the sender check, auto-responses and their loop protection, the outbox's
//! retries) lives in the engine.
//!
//! - [`parse_message`] turns raw bytes into a [`chamado::InboundMessage`]; it never panics.
//! - [`MailIntake`] parses, routes (recipient address to queue) and hands the message to
//!   [`chamado::Engine::intake`], classifying the result as accepted, refused or "try again later".
//! - [`SmtpServer`] listens for SMTP or LMTP from an MTA, with `STARTTLS` when given a certificate
//!   ([`SmtpTls`]).
//! - [`pipe`] and [`maildir`] are the other intake paths.
//! - [`mailbox`] pulls mail from IMAP and POP3 mailboxes, exactly once across crashes and other
//!   clients: [`mailbox::MailboxPuller`] runs one task per account of the store
//!   ([`mailbox::MailboxSettings`], [`mailbox::parse_account_url`] for the host's settings).
//! - [`auth`] finds out who sent a mail: SPF, DKIM and DMARC over SMTP ([`SenderVerifier`]), the
//!   trusted MTA's `Authentication-Results` otherwise ([`MailAuth`]).
//! - [`SmtpChannel`] is the outbound [`chamado::Channel`], sending through an SMTP relay.
//! - [`EmailConfig`] is the typed, deserializable settings struct a host fills from its own
//!   configuration to wire all of it; the adapter reads no environment variables.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod auth;
mod config;
mod error;
mod intake;
pub mod mailbox;
pub mod maildir;
mod notes;
mod outbound;
mod parse;
pub mod pipe;
mod routing;
mod smtp;

pub use auth::{MailAuth, SenderVerifier, VerifierError};
pub use config::{ConfigError, EmailConfig};
pub use error::ParseError;
pub use intake::{Delivered, Disposition, Envelope, MailIntake, Pulled, SmtpClient};
pub use outbound::{OutboundConfig, SmtpChannel, build_message};
pub use parse::{html_to_text, parse_message};
pub use routing::QueueMap;
pub use smtp::{Protocol, ServeError, SmtpConfig, SmtpServer, SmtpTls, TlsError};
