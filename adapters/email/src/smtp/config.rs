//! Listener settings.

use super::tls::SmtpTls;
use crate::routing::QueueMap;
use std::path::PathBuf;
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
    /// Concurrent sessions from one client (default 32; an IPv6 client is its /64 network); more get
    /// `421`. Below [`SmtpConfig::max_sessions`], so one client can never hold every session.
    pub max_sessions_per_client: usize,
    /// How long a whole command line may take to arrive, counted from its first byte's wait, not
    /// restarted by every byte (default 5 minutes, RFC 5321 4.5.3.2).
    pub command_timeout: Duration,
    /// How long to wait for more message data (default 10 minutes).
    pub data_timeout: Duration,
    /// The whole session's deadline, however busy the client keeps it (default 30 minutes): a client
    /// dripping a byte now and then is closed with `421` when it passes. Our own work (the intake
    /// commit) is never cut; only waits for the client are.
    pub session_timeout: Duration,
    /// The slowest message data accepted, in bytes per second averaged since `DATA` began, checked
    /// after [`SmtpConfig::min_rate_grace`] (default 1,024; 0 switches the check off). Slower clients
    /// get `421` and are closed.
    pub min_data_rate: usize,
    /// How long message data may come slower than [`SmtpConfig::min_data_rate`] before the rate counts
    /// (default 30 s): a client's first packets and a slow start are not judged.
    pub min_rate_grace: Duration,
    /// Attachments kept per message (default 1,000); the rest are left out and the body says how many.
    pub max_attachments: usize,
    /// Memory for message data of all sessions together, in bytes (default 128 MiB): beyond it, data
    /// goes to a temporary file in [`SmtpConfig::spool_dir`], and is read back for parsing when the
    /// budget has room again. Parsing a message takes about twice its size again.
    pub memory_bytes: usize,
    /// Where message data beyond [`SmtpConfig::memory_bytes`] is kept while it arrives (default: the
    /// system's temporary folder). Files there are removed as soon as their message is taken.
    pub spool_dir: Option<PathBuf>,
    /// Protocol errors tolerated per session before it is closed (default 20).
    pub max_errors: u32,
    /// How long sessions may take to finish after shutdown began (default 30 s).
    pub shutdown_grace: Duration,
    /// Recipient address to queue. Its addresses and `@domains`, with the engine's system addresses
    /// and `postmaster`, are also the only recipients `RCPT` accepts (others get `550 5.1.1`).
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
            max_sessions_per_client: 32,
            command_timeout: Duration::from_secs(300),
            data_timeout: Duration::from_secs(600),
            session_timeout: Duration::from_secs(1800),
            min_data_rate: 1024,
            min_rate_grace: Duration::from_secs(30),
            max_attachments: crate::intake::DEFAULT_MAX_ATTACHMENTS,
            memory_bytes: 128 << 20,
            spool_dir: None,
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
