//! The adapter's settings as one typed, deserializable struct: a host reads them from wherever it keeps
//! its configuration (a file section, its own environment variables) and hands them over; the adapter
//! reads no environment.

use crate::outbound::OutboundConfig;
use crate::routing::QueueMap;
use crate::smtp::{SmtpConfig, SmtpTls, TlsError};
use chamado::{EngineConfig, SenderAuthPolicy};
use serde::{Deserialize, Deserializer};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use thiserror::Error;

/// DNS answers kept per record type for sender verification.
const DNS_CACHE_ENTRIES: usize = 10_000;

/// A setting that cannot be used, named by its field (the key it is deserialized from).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{field}: {message}")]
pub struct ConfigError {
    /// The field, spelled as its key: `mail_from`, `tls_key`, ...
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

/// Email settings of a host. Every key is optional (`#[serde(default)]`) and unknown keys are
/// refused; check the whole with [`EmailConfig::validate`] before use.
///
/// As TOML (the defaults):
///
/// ```toml
/// addr = "127.0.0.1:2525"
/// mail_from = "support@localhost"
/// hostname = "localhost"
/// max_bytes = 26214400
/// max_sessions = 64
/// max_sessions_per_client = 32
/// session_seconds = 1800
/// min_data_rate = 1024
/// max_attachments = 1000
/// memory_bytes = 134217728
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailConfig {
    /// `addr`: SMTP intake address (default `127.0.0.1:2525`; an empty string switches SMTP intake off).
    #[serde(rename = "addr", deserialize_with = "optional_text")]
    pub smtp_addr: Option<String>,
    /// `lmtp_addr`: LMTP intake address (unset: no LMTP).
    #[serde(deserialize_with = "optional_text")]
    pub lmtp_addr: Option<String>,
    /// `relay`: outbound relay URL such as `smtp://127.0.0.1:25` (unset: outbound mail stays in the
    /// outbox).
    #[serde(deserialize_with = "optional_text")]
    pub relay: Option<String>,
    /// `mail_from`: the system address (default `support@localhost`).
    pub mail_from: String,
    /// `queues`: `address=Queue, @domain=Queue` routing (default: everything to the engine's default
    /// queue).
    pub queues: QueueMap,
    /// `hostname`: the name in greetings (default `localhost`).
    pub hostname: String,
    /// `max_bytes`: the message size limit (default 25 MiB).
    #[serde(rename = "max_bytes")]
    pub max_message_bytes: usize,
    /// `tls_cert`: a PEM certificate chain; with [`EmailConfig::tls_key`], the SMTP and LMTP listeners
    /// offer `STARTTLS` (both or neither).
    #[serde(deserialize_with = "optional_path")]
    pub tls_cert: Option<PathBuf>,
    /// `tls_key`: the PEM private key of [`EmailConfig::tls_cert`].
    #[serde(deserialize_with = "optional_path")]
    pub tls_key: Option<PathBuf>,
    /// `require_tls`: refuse mail (`530`) until the client switched to TLS (needs the certificate).
    pub require_tls: bool,
    /// `max_sessions`: concurrent sessions per listener (default 64).
    pub max_sessions: usize,
    /// `max_sessions_per_client`: concurrent sessions of one client address (an IPv6 client: its /64)
    /// per listener (default 32); below `max_sessions`, so one client can never hold them all.
    pub max_sessions_per_client: usize,
    /// `session_seconds`: the deadline of a whole session, in seconds (default 1800): a client that
    /// keeps a session alive by sending a byte now and then is closed when it passes. A message of
    /// `max_bytes` must fit in it.
    pub session_seconds: u64,
    /// `min_data_rate`: the slowest message data taken, in bytes per second averaged since `DATA`
    /// began, judged after 30 seconds (default 1024; 0 switches it off).
    pub min_data_rate: usize,
    /// `max_attachments`: attachments kept per message (default 1000); the rest are left out and the
    /// ticket's text says how many.
    pub max_attachments: usize,
    /// `memory_bytes`: memory for the message data of all sessions of a listener together (default
    /// 128 MiB); beyond it, data waits in files in [`EmailConfig::spool_dir`].
    pub memory_bytes: usize,
    /// `spool_dir`: where message data beyond `memory_bytes` waits (unset: the system's temporary
    /// folder); must be an existing folder.
    #[serde(deserialize_with = "optional_path")]
    pub spool_dir: Option<PathBuf>,
    /// `sender_auth`: what unauthenticated senders may do, `off`, `flag` or `enforce` (default); set on
    /// the engine by [`EmailConfig::apply_to`].
    pub sender_auth: SenderAuthPolicy,
    /// `authserv_id`: the `authserv-id` of the MTA in front of LMTP, pipe and Maildir intake whose
    /// `Authentication-Results` are trusted (unset: such mail counts as unauthenticated).
    #[serde(deserialize_with = "optional_text")]
    pub authserv_id: Option<String>,
    /// `dns_servers`: the DNS servers SMTP sender verification asks, `ip[:port]` separated by commas
    /// (unset: the system's resolv.conf).
    #[serde(deserialize_with = "optional_text")]
    pub dns_servers: Option<String>,
    /// `dns_timeout_ms`: how long one DNS query may take (default 2000); one message's verification
    /// is given up after four times that.
    pub dns_timeout_ms: u64,
    /// `reply_to_queues`: queues (comma-separated) where an authenticated sender's `Reply-To` outside
    /// its own domain is honoured (unset: none).
    #[serde(deserialize_with = "optional_text")]
    pub reply_to_queues: Option<String>,
}

impl Default for EmailConfig {
    fn default() -> Self {
        EmailConfig {
            smtp_addr: Some("127.0.0.1:2525".into()),
            lmtp_addr: None,
            relay: None,
            mail_from: "support@localhost".into(),
            queues: QueueMap::default(),
            hostname: "localhost".into(),
            max_message_bytes: SmtpConfig::default().max_message_bytes,
            tls_cert: None,
            tls_key: None,
            require_tls: false,
            max_sessions: SmtpConfig::default().max_sessions,
            max_sessions_per_client: SmtpConfig::default().max_sessions_per_client,
            session_seconds: SmtpConfig::default().session_timeout.as_secs(),
            min_data_rate: SmtpConfig::default().min_data_rate,
            max_attachments: SmtpConfig::default().max_attachments,
            memory_bytes: SmtpConfig::default().memory_bytes,
            spool_dir: None,
            sender_auth: SenderAuthPolicy::default(),
            authserv_id: None,
            dns_servers: None,
            dns_timeout_ms: 2000,
            reply_to_queues: None,
        }
    }
}

/// Trimmed text; empty means unset (for `addr`: SMTP intake off, as its default is an address).
fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    let text = text.trim();
    Ok((!text.is_empty()).then(|| text.to_string()))
}

/// A path; empty means unset.
fn optional_path<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
    Ok(optional_text(d)?.map(PathBuf::from))
}

impl EmailConfig {
    /// Checks every setting, reading the TLS files when set: the error names the field.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !self.mail_from.contains('@') {
            return Err(ConfigError {
                field: "mail_from",
                message: format!("{:?} is not an email address", self.mail_from),
            });
        }
        if self.hostname.trim().is_empty() {
            return Err(ConfigError { field: "hostname", message: "must not be empty".into() });
        }
        if self.max_message_bytes == 0 {
            return Err(ConfigError { field: "max_bytes", message: "must be at least 1".into() });
        }
        self.validate_limits()?;
        if !(1..=60_000).contains(&self.dns_timeout_ms) {
            return Err(ConfigError { field: "dns_timeout_ms", message: "must be from 1 to 60000".into() });
        }
        self.dns_server_addrs()?;
        self.tls().map(|_| ())
    }

    /// The session limits: each at least 1, and no client's share as large as the whole.
    fn validate_limits(&self) -> Result<(), ConfigError> {
        let at_least_one = |field: &'static str, value: u64| {
            if value == 0 { Err(ConfigError { field, message: "must be at least 1".into() }) } else { Ok(()) }
        };
        at_least_one("max_sessions", self.max_sessions as u64)?;
        at_least_one("max_sessions_per_client", self.max_sessions_per_client as u64)?;
        at_least_one("max_attachments", self.max_attachments as u64)?;
        if !(1..=MAX_SESSION_SECONDS).contains(&self.session_seconds) {
            return Err(ConfigError {
                field: "session_seconds",
                message: format!("must be from 1 to {MAX_SESSION_SECONDS} (a day)"),
            });
        }
        if self.max_sessions > 1 && self.max_sessions_per_client >= self.max_sessions {
            return Err(ConfigError {
                field: "max_sessions_per_client",
                message: format!(
                    "{} would let one client hold every session: must be below max_sessions ({})",
                    self.max_sessions_per_client, self.max_sessions
                ),
            });
        }
        if let Some(dir) = &self.spool_dir
            && !dir.is_dir()
        {
            return Err(ConfigError { field: "spool_dir", message: format!("{} is not a folder", dir.display()) });
        }
        Ok(())
    }

    /// The `STARTTLS` certificate, read from [`EmailConfig::tls_cert`] and [`EmailConfig::tls_key`];
    /// `None` when neither is set.
    pub fn tls(&self) -> Result<Option<SmtpTls>, ConfigError> {
        let tls = match (&self.tls_cert, &self.tls_key) {
            (None, None) => None,
            (Some(_), None) => return Err(missing("tls_key", "tls_cert")),
            (None, Some(_)) => return Err(missing("tls_cert", "tls_key")),
            (Some(cert), Some(key)) => Some(SmtpTls::from_pem_files(cert, key).map_err(|e| {
                let field = if matches!(e, TlsError::Key { .. }) { "tls_key" } else { "tls_cert" };
                ConfigError { field, message: e.to_string() }
            })?),
        };
        if self.require_tls && tls.is_none() {
            return Err(ConfigError {
                field: "require_tls",
                message: "TLS is required but no certificate is set (tls_cert and tls_key)".into(),
            });
        }
        Ok(tls)
    }

    /// Makes the system address the engine's first own address (the `From` of outbound mail, never
    /// auto-answered) and, when the engine still has the default, its domain the Message-ID domain.
    pub fn apply_to(&self, engine: &mut EngineConfig) {
        engine.sender_auth = self.sender_auth;
        engine.reply_to_queues = self
            .reply_to_queues
            .iter()
            .flat_map(|q| q.split(','))
            .map(|q| q.trim().to_string())
            .filter(|q| !q.is_empty())
            .collect();
        engine.system_addresses.retain(|a| !a.eq_ignore_ascii_case(&self.mail_from));
        engine.system_addresses.insert(0, self.mail_from.clone());
        if engine.message_id_domain == EngineConfig::default().message_id_domain
            && let Some((_, domain)) = self.mail_from.rsplit_once('@')
        {
            engine.message_id_domain = domain.to_string();
        }
    }

    /// The SMTP listener's settings (reading the TLS files when set).
    pub fn smtp(&self) -> Result<SmtpConfig, ConfigError> {
        Ok(SmtpConfig {
            hostname: self.hostname.clone(),
            max_message_bytes: self.max_message_bytes,
            queues: self.queues.clone(),
            tls: self.tls()?,
            require_tls: self.require_tls,
            max_sessions: self.max_sessions,
            max_sessions_per_client: self.max_sessions_per_client,
            session_timeout: std::time::Duration::from_secs(self.session_seconds),
            min_data_rate: self.min_data_rate,
            max_attachments: self.max_attachments,
            memory_bytes: self.memory_bytes,
            spool_dir: self.spool_dir.clone(),
            ..SmtpConfig::default()
        })
    }

    /// The LMTP listener's settings (reading the TLS files when set).
    pub fn lmtp(&self) -> Result<SmtpConfig, ConfigError> {
        Ok(SmtpConfig { protocol: crate::Protocol::Lmtp, ..self.smtp()? })
    }

    /// Binds the configured listeners (SMTP, then LMTP): none, one or two servers to
    /// [`crate::SmtpServer::serve`], each finding out who sent a mail as [`EmailConfig::mail_auth`] says.
    pub async fn bind_listeners(&self, engine: &chamado::Engine) -> Result<Vec<crate::SmtpServer>, crate::ServeError> {
        let mut servers = Vec::new();
        let auth = self.mail_auth()?;
        if let Some(addr) = &self.smtp_addr {
            servers.push(crate::SmtpServer::bind(addr, engine.clone(), self.smtp()?).await?.with_auth(auth.clone()));
        }
        if let Some(addr) = &self.lmtp_addr {
            servers.push(crate::SmtpServer::bind(addr, engine.clone(), self.lmtp()?).await?.with_auth(auth.clone()));
        }
        Ok(servers)
    }

    /// How intake finds out who sent a mail: SMTP verification (when SMTP intake is on and the policy
    /// is not `off`) and the trusted `authserv-id`. Pass it to [`crate::MailIntake::with_auth`] for
    /// pipe and Maildir intake too.
    pub fn mail_auth(&self) -> Result<crate::MailAuth, ConfigError> {
        let verifier = if self.smtp_addr.is_some() && self.sender_auth != SenderAuthPolicy::Off {
            let v = crate::SenderVerifier::new(
                &self.dns_server_addrs()?,
                std::time::Duration::from_millis(self.dns_timeout_ms),
                DNS_CACHE_ENTRIES,
                &self.hostname,
            )
            .map_err(|e| ConfigError { field: "dns_servers", message: e.to_string() })?;
            Some(std::sync::Arc::new(v))
        } else {
            None
        };
        Ok(crate::MailAuth { verifier, trusted_authserv_id: self.authserv_id.clone() })
    }

    /// [`EmailConfig::dns_servers`] as addresses (port 53 unless given).
    fn dns_server_addrs(&self) -> Result<Vec<SocketAddr>, ConfigError> {
        let Some(list) = &self.dns_servers else { return Ok(Vec::new()) };
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<SocketAddr>().or_else(|_| s.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 53))).map_err(
                    |_| ConfigError {
                        field: "dns_servers",
                        message: format!("{s:?} is not an address like 192.0.2.53:53"),
                    },
                )
            })
            .collect()
    }

    /// The outbound channel, when a relay is configured: add it to the channels the host passes to
    /// [`chamado::Engine::deliver_due`] (one delivery loop for all channels, so no channel's entries
    /// sit claimed by a loop that cannot send them). `Err` when the relay URL is malformed.
    pub fn channel(&self) -> Option<Result<crate::SmtpChannel, String>> {
        self.outbound().map(|o| crate::SmtpChannel::new(&o))
    }

    /// The outbound relay settings, when a relay is configured.
    pub fn outbound(&self) -> Option<OutboundConfig> {
        self.relay.as_ref().map(OutboundConfig::new)
    }
}

/// The longest session deadline accepted: a day.
const MAX_SESSION_SECONDS: u64 = 86_400;

/// One of the two TLS files is set without the other.
fn missing(unset: &'static str, set: &str) -> ConfigError {
    ConfigError { field: unset, message: format!("must be set together with {set}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json(json: &str) -> EmailConfig {
        serde_json::from_str(json).unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn defaults_and_disabling() {
        let c = from_json("{}");
        assert_eq!(c, EmailConfig::default());
        assert!(c.validate().is_ok());
        assert_eq!(c.smtp_addr.as_deref(), Some("127.0.0.1:2525"));
        assert_eq!(c.mail_from, "support@localhost");
        assert!(c.relay.is_none() && c.lmtp_addr.is_none());
        let off = from_json(r#"{"addr": ""}"#);
        assert!(off.smtp_addr.is_none());
        let bad = from_json(r#"{"mail_from": "nobody"}"#).validate().unwrap_err();
        assert_eq!(bad.field, "mail_from");
    }

    #[test]
    fn keys_are_typed_and_checked() {
        let c = from_json(
            r#"{"addr": " 127.0.0.1:25 ", "relay": "smtp://127.0.0.1:25", "max_bytes": 1000,
                "queues": "sales@acme.example=Misc", "lmtp_addr": ""}"#,
        );
        assert_eq!(c.smtp_addr.as_deref(), Some("127.0.0.1:25"));
        assert_eq!(c.max_message_bytes, 1000);
        assert_eq!(c.queues.queue_for(["sales@acme.example"]).as_deref(), Some("Misc"));
        assert!(c.lmtp_addr.is_none(), "empty is unset");
        assert!(serde_json::from_str::<EmailConfig>(r#"{"adr": "x"}"#).is_err(), "unknown keys are refused");
        assert!(serde_json::from_str::<EmailConfig>(r#"{"queues": "nonsense"}"#).is_err());
        assert!(serde_json::from_str::<EmailConfig>(r#"{"max_bytes": "lots"}"#).is_err());
        assert_eq!(from_json(r#"{"max_bytes": 0}"#).validate().unwrap_err().field, "max_bytes");
        assert_eq!(from_json(r#"{"hostname": " "}"#).validate().unwrap_err().field, "hostname");
    }

    #[test]
    fn session_limits_are_checked() {
        let c = from_json(
            r#"{"max_sessions": 10, "max_sessions_per_client": 4, "session_seconds": 60, "min_data_rate": 0,
                "max_attachments": 5}"#,
        );
        assert!(c.validate().is_ok());
        let s = c.smtp().unwrap_or_default();
        assert_eq!((s.max_sessions, s.max_sessions_per_client, s.min_data_rate, s.max_attachments), (10, 4, 0, 5));
        assert_eq!(s.session_timeout, std::time::Duration::from_secs(60));
        let field = |json: &str| from_json(json).validate().map_err(|e| e.field);
        assert_eq!(field(r#"{"max_sessions": 10, "max_sessions_per_client": 10}"#), Err("max_sessions_per_client"));
        assert_eq!(field(r#"{"max_sessions_per_client": 0}"#), Err("max_sessions_per_client"));
        assert_eq!(field(r#"{"max_sessions": 0}"#), Err("max_sessions"));
        assert_eq!(field(r#"{"max_sessions": 1, "max_sessions_per_client": 1}"#), Ok(()));
        assert_eq!(field(r#"{"session_seconds": 0}"#), Err("session_seconds"));
        assert_eq!(field(r#"{"session_seconds": 86401}"#), Err("session_seconds"));
        assert_eq!(field(r#"{"max_attachments": 0}"#), Err("max_attachments"));
        assert_eq!(field(r#"{"spool_dir": "/nonexistent/spool"}"#), Err("spool_dir"));
        assert_eq!(field(r#"{"spool_dir": "", "memory_bytes": 0}"#), Ok(()), "empty is unset; 0 spools everything");
    }

    #[test]
    fn sender_auth_settings() {
        let c = from_json("{}");
        assert_eq!(c.sender_auth, SenderAuthPolicy::Enforce, "enforce by default");
        let c = from_json(
            r#"{"sender_auth": "flag", "authserv_id": "mx.acme.example", "dns_servers": "192.0.2.1, [2001:db8::1]:5353",
                "reply_to_queues": "Sales, Misc"}"#,
        );
        assert!(c.validate().is_ok());
        let mut e = EngineConfig::default();
        c.apply_to(&mut e);
        assert_eq!(e.sender_auth, SenderAuthPolicy::Flag);
        assert_eq!(e.reply_to_queues, vec!["Sales".to_string(), "Misc".to_string()]);
        assert_eq!(c.dns_server_addrs().unwrap_or_default().len(), 2);
        assert!(serde_json::from_str::<EmailConfig>(r#"{"sender_auth": "maybe"}"#).is_err());
        assert_eq!(from_json(r#"{"dns_servers": "dns.example"}"#).validate().unwrap_err().field, "dns_servers");
        assert_eq!(from_json(r#"{"dns_timeout_ms": 0}"#).validate().unwrap_err().field, "dns_timeout_ms");
    }

    #[test]
    fn system_address_goes_first() {
        let c = from_json(r#"{"mail_from": "help@acme.example"}"#);
        let mut e = EngineConfig::default();
        c.apply_to(&mut e);
        assert_eq!(e.system_addresses[0], "help@acme.example");
        assert_eq!(e.message_id_domain, "acme.example");
    }
}
