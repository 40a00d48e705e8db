//! Listener settings.

use super::tls::SmtpTls;
use crate::routing::QueueMap;
use std::time::Duration;

/// Which protocol a listener speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    /// SMTP (RFC 5321): one reply after `DATA`.
    #[default]
    Smtp,
    /// LMTP (RFC 2033): `LHLO`, and one reply per accepted recipient after `DATA`.
    Lmtp,
}

/// Settings of an [`crate::SmtpServer`].
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// SMTP or LMTP.
    pub protocol: Protocol,
    /// The name in the greeting and `EHLO` reply.
    pub hostname: String,
    /// Largest message accepted, in bytes; larger ones get `552` (default 25 MiB).
    pub max_message_bytes: usize,
    /// Recipients per message (default 100); more get `452`.
    pub max_recipients: usize,
    /// Concurrent sessions (default 64); more get `421` and are closed.
    pub max_sessions: usize,
    /// How long to wait for a command (default 5 minutes, RFC 5321 4.5.3.2).
    pub command_timeout: Duration,
    /// How long to wait for more message data (default 10 minutes).
    pub data_timeout: Duration,
    /// Protocol errors tolerated per session before it is closed (default 20).
    pub max_errors: u32,
    /// How long sessions may take to finish after shutdown began (default 30 s).
    pub shutdown_grace: Duration,
    /// Recipient address to queue.
    pub queues: QueueMap,
    /// The certificate offered after `STARTTLS`; `None` (the default) offers no TLS.
    pub tls: Option<SmtpTls>,
    /// Refuse `MAIL` with `530` until the client has switched to TLS (needs [`SmtpConfig::tls`]).
    pub require_tls: bool,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            protocol: Protocol::Smtp,
            hostname: "localhost".into(),
            max_message_bytes: 25 << 20,
            max_recipients: 100,
            max_sessions: 64,
            command_timeout: Duration::from_secs(300),
            data_timeout: Duration::from_secs(600),
            max_errors: 20,
            shutdown_grace: Duration::from_secs(30),
            queues: QueueMap::default(),
            tls: None,
            require_tls: false,
        }
    }
}

impl SmtpConfig {
    /// The default settings for LMTP.
    pub fn lmtp() -> Self {
        SmtpConfig { protocol: Protocol::Lmtp, ..Self::default() }
    }
}
