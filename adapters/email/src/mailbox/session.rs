//! What one protocol session (IMAP or POP3) gets from the account's task that runs it, and what it
//! reports back: the contract between the protocol code and the supervisor.

use crate::intake::MailIntake;
use chamado::MailAccount;
use std::sync::Arc;
use std::time::Duration;

/// Why a session ended. The account's task logs it, shows it on the account's page, and connects
/// again after a backoff; no error ever stops another account.
#[derive(Debug, thiserror::Error)]
pub enum MailboxError {
    /// Connecting (TCP, TLS) failed or the connection broke.
    #[error("connection to {host}:{port}: {reason}")]
    Connect {
        /// The server.
        host: String,
        /// Its port.
        port: u16,
        /// Why.
        reason: String,
    },
    /// The server refused the login (wrong password, expired token).
    #[error("login refused: {0}")]
    Login(String),
    /// The server answered something the protocol does not allow, or too much, or too slowly.
    #[error("protocol: {0}")]
    Protocol(String),
    /// A folder cannot be read (missing, not selectable).
    #[error("folder {folder:?}: {reason}")]
    Folder {
        /// The folder.
        folder: String,
        /// Why.
        reason: String,
    },
    /// Obtaining an OAuth2 access token failed.
    #[error("OAuth2 token: {0}")]
    Token(String),
    /// The store could not take a message now; the session stops where it is and tries again later.
    #[error("the helpdesk cannot take mail now: {0}")]
    TryLater(String),
}

/// What a session logs in with, as the account's task obtained it (a fresh access token for XOAUTH2).
#[derive(Clone)]
pub enum Secret {
    /// A password (`LOGIN`, `USER`/`PASS`).
    Password(String),
    /// An OAuth2 access token (SASL `XOAUTH2`).
    AccessToken(String),
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Secret::Password(_) => "Password(..)",
            Secret::AccessToken(_) => "AccessToken(..)",
        })
    }
}

/// Limits every session keeps: a server is a peer like any other.
#[derive(Debug, Clone)]
pub struct SessionLimits {
    /// Connecting, TLS handshake and greeting together.
    pub connect_timeout: Duration,
    /// One command's whole answer (a large message's `FETCH` included).
    pub command_timeout: Duration,
    /// The largest message taken; a larger one is refused (recorded as failed, passed over).
    pub max_message_bytes: usize,
    /// The longest line of a server answer other than message data.
    pub max_line_bytes: usize,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            connect_timeout: Duration::from_secs(30),
            command_timeout: Duration::from_secs(300),
            max_message_bytes: 25 * 1024 * 1024,
            max_line_bytes: 64 * 1024,
        }
    }
}

/// What a session reports as it goes; the account's task keeps the counts, the status shown on the
/// account's page and the metrics.
pub trait Progress: Send + Sync {
    /// A message was taken (a ticket, an article, or found taken before).
    fn imported(&self, folder: &str);
    /// A message was refused (unparseable, too large, refused by the engine); it stays on the server
    /// and is passed over.
    fn failed(&self, folder: &str, reason: &str);
    /// A folder was read to its end: `pending` messages on the server were not yet taken when the pass
    /// began (0 after a complete pass is the normal state).
    fn pass_done(&self, folder: &str, pending: u64);
}

/// Everything one session needs.
#[derive(Clone)]
pub struct SessionContext {
    /// The account as it was when the session started (a change restarts the session).
    pub account: MailAccount,
    /// The intake, with the account's sender-authentication settings.
    pub intake: MailIntake,
    /// TLS client settings (root certificates) for implicit TLS and STARTTLS.
    pub tls: Arc<rustls::ClientConfig>,
    /// What to log in with.
    pub secret: Secret,
    /// Limits.
    pub limits: SessionLimits,
    /// Where counts go.
    pub progress: Arc<dyn Progress>,
}
