//! The SMTP and LMTP listener an MTA delivers into.
//!
//! Protocol parsing is smtp-proto's; this module runs the sessions: greeting, hello, envelope, `DATA`
//! with dot-unstuffing and the size limit, intake through [`MailIntake`], and the reply. A message is
//! acknowledged (`250`) only after the engine's commit returned; a store that cannot commit gives
//! `451` so the sending MTA keeps the message and retries.

mod config;
mod conn;
mod per_client;
mod recipients;
mod reply;
mod session;
mod spool;
mod tls;

pub use config::{Protocol, SmtpConfig};
pub use tls::{SmtpTls, TlsError};

use crate::intake::MailIntake;
use chamado::Engine;
use per_client::ClientSlots;
use recipients::LocalRecipients;
use spool::Spool;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use thiserror::Error;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// Why the listener could not start.
#[derive(Debug, Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// The cause.
        source: std::io::Error,
    },
    /// `require_tls` is set but no certificate is: no client could ever send mail.
    #[error("require_tls is set but no TLS certificate is configured")]
    TlsRequiredWithoutCertificate,
    /// The settings the listener was to be built from are unusable.
    #[error(transparent)]
    Config(#[from] crate::ConfigError),
}

/// A bound SMTP or LMTP listener. [`SmtpServer::serve`] runs it until its shutdown future completes.
///
/// ```no_run
/// # async fn run(engine: chamado::Engine) -> Result<(), chamado_email::ServeError> {
/// use chamado_email::{SmtpConfig, SmtpServer};
/// let server = SmtpServer::bind("127.0.0.1:2525", engine, SmtpConfig::default()).await?;
/// let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
/// // ... keep `stop`, send on it (or drop it) to shut down ...
/// # drop(stop);
/// server.serve(async { let _ = stopped.await; }).await
/// # }
/// ```
pub struct SmtpServer {
    listener: TcpListener,
    intake: MailIntake,
    config: Arc<SmtpConfig>,
    ours: Arc<LocalRecipients>,
    spool: Arc<Spool>,
}

impl SmtpServer {
    /// Binds `addr` (e.g. `127.0.0.1:2525`; port 0 picks a free one). `RCPT` takes the addresses and
    /// domains of [`SmtpConfig::queues`] and the engine's system addresses
    /// ([`chamado::EngineConfig::system_addresses`]).
    pub async fn bind(addr: &str, engine: Engine, config: SmtpConfig) -> Result<Self, ServeError> {
        if config.require_tls && config.tls.is_none() {
            return Err(ServeError::TlsRequiredWithoutCertificate);
        }
        let listener =
            TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr: addr.to_string(), source })?;
        let ours = LocalRecipients::new(&config.queues, engine.config().system_addresses.iter().map(String::as_str));
        let intake = MailIntake::new(engine, config.queues.clone()).with_max_attachments(config.max_attachments);
        let dir = config.spool_dir.clone().unwrap_or_else(std::env::temp_dir);
        let spool = Arc::new(Spool::new(config.memory_bytes, dir));
        Ok(SmtpServer { listener, intake, config: Arc::new(config), ours: Arc::new(ours), spool })
    }

    /// The same listener, finding out who sent each mail as `auth` says: an SMTP listener verifies
    /// with [`crate::MailAuth::verifier`], an LMTP one reads the trusted MTA's `Authentication-Results`.
    pub fn with_auth(mut self, auth: crate::MailAuth) -> Self {
        self.intake = self.intake.with_auth(auth);
        self
    }

    /// The protocol it speaks.
    pub fn protocol(&self) -> Protocol {
        self.config.protocol
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Accepts connections until `shutdown` completes, then stops accepting, tells idle sessions
    /// `421`, lets sessions in the middle of a message finish (up to the configured grace period) and
    /// returns. (The `Result` is for errors a future version may raise, such as TLS setup; today it is
    /// always `Ok`.)
    pub async fn serve(self, shutdown: impl Future<Output = ()>) -> Result<(), ServeError> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let permits = Arc::new(Semaphore::new(self.config.max_sessions.max(1)));
        let per_client = ClientSlots::new(self.config.max_sessions_per_client);
        let mut sessions = JoinSet::new();
        tokio::pin!(shutdown);
        let mut backoff = std::time::Duration::from_millis(10);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        backoff = std::time::Duration::from_millis(10);
                        let host = &self.config.hostname;
                        // The client's share first: a client over it must not take one of the shared places.
                        let Some(slot) = per_client.try_acquire(peer.ip()) else {
                            let max = self.config.max_sessions_per_client;
                            tracing::warn!(%peer, max, "per-client session cap reached; 421");
                            let line = format!("421 4.7.0 {host} too many connections from your address, try again later\r\n");
                            sessions.spawn(refuse_busy(stream, line));
                            continue;
                        };
                        match permits.clone().try_acquire_owned() {
                            Ok(permit) => {
                                let (intake, config, stop) = (self.intake.clone(), self.config.clone(), stop_rx.clone());
                                let (ours, spool) = (self.ours.clone(), self.spool.clone());
                                sessions.spawn(async move {
                                    session::run(stream, peer, intake, config, ours, spool, stop).await;
                                    drop(permit);
                                    drop(slot);
                                });
                            }
                            Err(_) => {
                                tracing::warn!(%peer, max = self.config.max_sessions, "session cap reached; 421");
                                let line = format!("421 4.3.2 {host} too many connections, try again later\r\n");
                                sessions.spawn(refuse_busy(stream, line));
                            }
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "accepting a connection failed; backing off");
                        // Out of file descriptors and the like pass: back off (up to 1 s) and go on, so
                        // intake resumes by itself when they do.
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(std::time::Duration::from_secs(1));
                    }
                },
            }
        }
        drop(self.listener);
        tracing::info!(sessions = sessions.len(), "mail listener shutting down");
        let _ = stop_tx.send(true);
        let drain = async { while sessions.join_next().await.is_some() {} };
        if tokio::time::timeout(self.config.shutdown_grace, drain).await.is_err() {
            tracing::warn!(
                "sessions still open after the grace period were aborted (nothing they held was acknowledged)"
            );
            sessions.abort_all();
        }
        Ok(())
    }
}

/// Over a session cap: `line` (a `421`) and close, so the client retries later.
async fn refuse_busy(mut stream: TcpStream, line: String) {
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), stream.write_all(line.as_bytes())).await;
    let _ = stream.shutdown().await;
}
