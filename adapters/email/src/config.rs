//! Settings from the environment, so a host wires email in a few lines.

use crate::outbound::OutboundConfig;
use crate::routing::QueueMap;
use crate::smtp::{SmtpConfig, SmtpTls, TlsError};
use chamado::EngineConfig;
use thiserror::Error;

/// A malformed setting.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{var}: {message}")]
pub struct ConfigError {
    /// The variable.
    pub var: String,
    /// What is wrong with it.
    pub message: String,
}

/// Email settings of a host, read by [`EmailConfig::from_env`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailConfig {
    /// `CHAMADO_SMTP_ADDR`: SMTP intake address (default `127.0.0.1:2525`; set it empty to disable).
    pub smtp_addr: Option<String>,
    /// `CHAMADO_LMTP_ADDR`: LMTP intake address (unset: no LMTP).
    pub lmtp_addr: Option<String>,
    /// `CHAMADO_SMTP_RELAY`: outbound relay URL such as `smtp://127.0.0.1:25` (unset: outbound mail
    /// stays in the outbox).
    pub relay: Option<String>,
    /// `CHAMADO_MAIL_FROM`: the system address (default `support@localhost`).
    pub mail_from: String,
    /// `CHAMADO_MAIL_QUEUES`: `address=Queue, @domain=Queue` routing (default: everything to the
    /// engine's default queue).
    pub queues: QueueMap,
    /// `CHAMADO_SMTP_HOSTNAME`: the name in greetings (default `localhost`).
    pub hostname: String,
    /// `CHAMADO_SMTP_MAX_BYTES`: the message size limit (default 25 MiB).
    pub max_message_bytes: usize,
    /// `CHAMADO_SMTP_TLS_CERT` and `CHAMADO_SMTP_TLS_KEY` (PEM files, both or neither): offer
    /// `STARTTLS` on the SMTP and LMTP listeners.
    pub tls: Option<SmtpTls>,
    /// `CHAMADO_SMTP_REQUIRE_TLS=true`: refuse mail (`530`) until the client switched to TLS.
    pub require_tls: bool,
}

impl EmailConfig {
    /// Reads the `CHAMADO_*` variables listed on the fields.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(|k| std::env::var(k).ok())
    }

    /// Like [`EmailConfig::from_env`] with another source of variables (for tests).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let non_empty = |k: &str| var(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let smtp_addr = match var("CHAMADO_SMTP_ADDR") {
            None => Some("127.0.0.1:2525".to_string()),
            Some(v) if v.trim().is_empty() => None,
            Some(v) => Some(v.trim().to_string()),
        };
        let mail_from = non_empty("CHAMADO_MAIL_FROM").unwrap_or_else(|| "support@localhost".into());
        if !mail_from.contains('@') {
            return Err(ConfigError {
                var: "CHAMADO_MAIL_FROM".into(),
                message: format!("{mail_from:?} is not an email address"),
            });
        }
        let queues = match non_empty("CHAMADO_MAIL_QUEUES") {
            Some(spec) => {
                QueueMap::parse(&spec).map_err(|message| ConfigError { var: "CHAMADO_MAIL_QUEUES".into(), message })?
            }
            None => QueueMap::default(),
        };
        let max_message_bytes = match non_empty("CHAMADO_SMTP_MAX_BYTES") {
            Some(v) => v.parse().map_err(|_| ConfigError {
                var: "CHAMADO_SMTP_MAX_BYTES".into(),
                message: format!("{v:?} is not a number of bytes"),
            })?,
            None => SmtpConfig::default().max_message_bytes,
        };
        let tls = match (non_empty("CHAMADO_SMTP_TLS_CERT"), non_empty("CHAMADO_SMTP_TLS_KEY")) {
            (None, None) => None,
            (Some(_), None) => return Err(missing("CHAMADO_SMTP_TLS_KEY", "CHAMADO_SMTP_TLS_CERT")),
            (None, Some(_)) => return Err(missing("CHAMADO_SMTP_TLS_CERT", "CHAMADO_SMTP_TLS_KEY")),
            (Some(cert), Some(key)) => Some(SmtpTls::from_pem_files(&cert, &key).map_err(|e| {
                let var =
                    if matches!(e, TlsError::Key { .. }) { "CHAMADO_SMTP_TLS_KEY" } else { "CHAMADO_SMTP_TLS_CERT" };
                ConfigError { var: var.into(), message: e.to_string() }
            })?),
        };
        let require_tls = match non_empty("CHAMADO_SMTP_REQUIRE_TLS").as_deref() {
            None | Some("false" | "0" | "no") => false,
            Some("true" | "1" | "yes") if tls.is_some() => true,
            Some("true" | "1" | "yes") => {
                return Err(ConfigError {
                    var: "CHAMADO_SMTP_REQUIRE_TLS".into(),
                    message:
                        "TLS is required but no certificate is set (CHAMADO_SMTP_TLS_CERT and CHAMADO_SMTP_TLS_KEY)"
                            .into(),
                });
            }
            Some(other) => {
                return Err(ConfigError {
                    var: "CHAMADO_SMTP_REQUIRE_TLS".into(),
                    message: format!("{other:?} is not true or false"),
                });
            }
        };
        Ok(EmailConfig {
            smtp_addr,
            lmtp_addr: non_empty("CHAMADO_LMTP_ADDR"),
            relay: non_empty("CHAMADO_SMTP_RELAY"),
            mail_from,
            queues,
            hostname: non_empty("CHAMADO_SMTP_HOSTNAME").unwrap_or_else(|| "localhost".into()),
            max_message_bytes,
            tls,
            require_tls,
        })
    }

    /// Makes the system address the engine's first own address (the `From` of outbound mail, never
    /// auto-answered) and, when the engine still has the default, its domain the Message-ID domain.
    pub fn apply_to(&self, engine: &mut EngineConfig) {
        engine.system_addresses.retain(|a| !a.eq_ignore_ascii_case(&self.mail_from));
        engine.system_addresses.insert(0, self.mail_from.clone());
        if engine.message_id_domain == EngineConfig::default().message_id_domain
            && let Some((_, domain)) = self.mail_from.rsplit_once('@')
        {
            engine.message_id_domain = domain.to_string();
        }
    }

    /// The SMTP listener's settings.
    pub fn smtp(&self) -> SmtpConfig {
        SmtpConfig {
            hostname: self.hostname.clone(),
            max_message_bytes: self.max_message_bytes,
            queues: self.queues.clone(),
            tls: self.tls.clone(),
            require_tls: self.require_tls,
            ..SmtpConfig::default()
        }
    }

    /// The LMTP listener's settings.
    pub fn lmtp(&self) -> SmtpConfig {
        SmtpConfig { protocol: crate::Protocol::Lmtp, ..self.smtp() }
    }

    /// Binds the configured listeners (SMTP, then LMTP): none, one or two servers to
    /// [`crate::SmtpServer::serve`].
    pub async fn bind_listeners(&self, engine: &chamado::Engine) -> Result<Vec<crate::SmtpServer>, crate::ServeError> {
        let mut servers = Vec::new();
        if let Some(addr) = &self.smtp_addr {
            servers.push(crate::SmtpServer::bind(addr, engine.clone(), self.smtp()).await?);
        }
        if let Some(addr) = &self.lmtp_addr {
            servers.push(crate::SmtpServer::bind(addr, engine.clone(), self.lmtp()).await?);
        }
        Ok(servers)
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

/// One of the two TLS files is set without the other.
fn missing(unset: &str, set: &str) -> ConfigError {
    ConfigError { var: unset.into(), message: format!("must be set together with {set}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_disabling() {
        let c = EmailConfig::from_vars(|_| None).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(c.smtp_addr.as_deref(), Some("127.0.0.1:2525"));
        assert_eq!(c.mail_from, "support@localhost");
        assert!(c.relay.is_none() && c.lmtp_addr.is_none());
        let off = EmailConfig::from_vars(|k| (k == "CHAMADO_SMTP_ADDR").then(String::new))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert!(off.smtp_addr.is_none());
        let bad = EmailConfig::from_vars(|k| (k == "CHAMADO_MAIL_FROM").then(|| "nobody".to_string()));
        assert!(bad.is_err());
    }

    #[test]
    fn system_address_goes_first() {
        let c = EmailConfig::from_vars(|k| (k == "CHAMADO_MAIL_FROM").then(|| "help@acme.example".to_string()))
            .unwrap_or_else(|e| unreachable!("{e}"));
        let mut e = EngineConfig::default();
        c.apply_to(&mut e);
        assert_eq!(e.system_addresses[0], "help@acme.example");
        assert_eq!(e.message_id_domain, "acme.example");
    }
}
