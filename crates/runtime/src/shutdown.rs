//! Graceful shutdown: one stop signal that every task of the host watches.
//!
//! A `watch` channel rather than a custom type, because the adapters' listeners (mail intake, the
//! Telegram bot) already take a `watch::Receiver<bool>`; they need not know this crate.

use std::sync::Arc;
use tokio::sync::watch;

/// The host's stop signal. Cloning shares it; [`Shutdown::stop`] from any clone stops every
/// subscriber, which then finishes its current round (a timer round, a request, a message) and returns.
#[derive(Debug, Clone)]
pub struct Shutdown {
    tx: Arc<watch::Sender<bool>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown::new()
    }
}

impl Shutdown {
    /// A signal not yet given.
    pub fn new() -> Self {
        let (tx, _) = watch::channel(false);
        Shutdown { tx: Arc::new(tx) }
    }

    /// A receiver for one task: it reads `true` once the stop is given.
    pub fn subscribe(&self) -> watch::Receiver<bool> {
        self.tx.subscribe()
    }

    /// Gives the stop signal (again is harmless).
    pub fn stop(&self) {
        self.tx.send_replace(true);
    }

    /// Whether the stop was given.
    pub fn is_stopped(&self) -> bool {
        *self.tx.borrow()
    }

    /// Completes once the stop was given, by [`Shutdown::stop`] or [`Shutdown::stop_on_signal`].
    pub async fn stopped(&self) {
        let mut rx = self.tx.subscribe();
        // The sender lives in `self`, so waiting cannot fail while we borrow it.
        let _ = rx.wait_for(|stopped| *stopped).await;
    }

    /// Waits for Ctrl-C or SIGTERM ([`shutdown_signal`]), then gives the stop signal.
    pub async fn stop_on_signal(&self) {
        shutdown_signal().await;
        self.stop();
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
