//! Email: SMTP/LMTP intake listeners and the outbound relay channel.

use chamado::{Channel, Engine};
use chamado_email::EmailConfig;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Why email could not start.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A listener could not bind.
    #[error("email intake: {0}")]
    Listen(#[from] chamado_email::ServeError),
    /// `CHAMADO_SMTP_RELAY` is malformed.
    #[error("CHAMADO_SMTP_RELAY: {0}")]
    Relay(String),
}

/// Starts the configured listeners (each stops when `stop` turns true) and adds the outbound channel
/// when a relay is set; unset, replies wait in the outbox.
pub async fn start(
    email: &EmailConfig,
    engine: &Engine,
    stop: &watch::Receiver<bool>,
    tasks: &mut JoinSet<()>,
    channels: &mut Vec<Arc<dyn Channel>>,
) -> Result<(), MailError> {
    match email.channel() {
        Some(Ok(ch)) => {
            channels.push(Arc::new(ch));
            println!("outbound mail via {}", email.relay.as_deref().unwrap_or_default());
        }
        Some(Err(e)) => return Err(MailError::Relay(e)),
        None => println!("outbound mail: no CHAMADO_SMTP_RELAY set, replies wait in the outbox"),
    }
    for server in email.bind_listeners(engine).await? {
        if let Ok(addr) = server.local_addr() {
            println!("{:?} intake on {addr}", server.protocol());
        }
        let mut stop = stop.clone();
        tasks.spawn(async move {
            let shutdown = async move {
                let _ = stop.wait_for(|s| *s).await;
            };
            if let Err(e) = server.serve(shutdown).await {
                eprintln!("helpdesk: email intake stopped: {e}");
            }
        });
    }
    Ok(())
}
