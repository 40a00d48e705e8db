//! Email: SMTP/LMTP intake listeners and the outbound relay channel.

use chamado::{Channel, Engine};
use chamado_email::{EmailConfig, Protocol};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::{error, info};

/// Why email could not start.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A listener could not bind.
    #[error("email intake: {0}")]
    Listen(#[from] chamado_email::ServeError),
    /// The relay URL is malformed; `at` names the setting.
    #[error("{at}: {message}")]
    Relay {
        /// `CHAMADO_SMTP_RELAY` or the file's key.
        at: String,
        /// What is wrong.
        message: String,
    },
}

/// Starts the configured listeners (each stops when `stop` turns true) and adds the outbound channel
/// when a relay is set; unset, replies wait in the outbox. Returns where mail is taken, for the banner.
/// `relay_at` names the relay setting in errors.
pub async fn start(
    email: &EmailConfig,
    relay_at: String,
    engine: &Engine,
    stop: &watch::Receiver<bool>,
    tasks: &mut JoinSet<()>,
    channels: &mut Vec<Arc<dyn Channel>>,
) -> Result<Vec<(Protocol, SocketAddr)>, MailError> {
    match email.channel() {
        Some(Ok(ch)) => {
            channels.push(Arc::new(ch));
            info!(relay = email.relay.as_deref().unwrap_or_default(), "outbound mail via the relay");
        }
        Some(Err(message)) => return Err(MailError::Relay { at: relay_at, message }),
        None => info!("outbound mail: no relay set (CHAMADO_SMTP_RELAY / smtp.relay), replies wait in the outbox"),
    }
    let mut listening = Vec::new();
    for server in email.bind_listeners(engine).await? {
        if let Ok(addr) = server.local_addr() {
            info!(protocol = ?server.protocol(), %addr, starttls = email.tls_cert.is_some(), require_tls = email.require_tls, "mail intake listening");
            listening.push((server.protocol(), addr));
        }
        let mut stop = stop.clone();
        tasks.spawn(async move {
            let shutdown = async move {
                let _ = stop.wait_for(|s| *s).await;
            };
            if let Err(e) = server.serve(shutdown).await {
                error!(error = %e, "email intake stopped");
            }
        });
    }
    Ok(listening)
}
