//! # chamado-webhooks
//!
//! The HTTP side of [chamado]'s webhooks: the engine keeps subscriptions and a durable outbox of
//! deliveries (written in the same commit as the change they report); this crate sends them.
//!
//! - [`signing`]: Standard Webhooks signatures (`webhook-id`, `webhook-timestamp`, `webhook-signature`
//!   with one `v1,` HMAC-SHA256 per active secret), so receivers verify with any of that
//!   specification's libraries;
//! - [`WebhookTransport`]: a `POST` per attempt over an HTTP client that follows no redirect, uses no
//!   proxy, gives up after the subscription's timeout, reads at most 64 KiB of the answer, and connects
//!   only to public addresses unless `webhooks.allow_private_targets` is set: address hosts are checked
//!   before sending, names by a resolver that drops private, loopback and link-local addresses (so a
//!   name that later resolves inside the network, DNS rebinding, cannot reach it);
//! - [`WebhookWorker`]: the loop that claims due deliveries, sends each ticket's events to each
//!   subscriber in order with a per-subscription concurrency limit, and records every attempt.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use chamado::{Engine, MemoryStore};
//! use chamado_runtime::Shutdown;
//! use chamado_webhooks::{WebhookWorker, WorkerConfig};
//! let engine = Engine::builder(MemoryStore::new()).build()?;
//! let shutdown = Shutdown::new();
//! let worker = WebhookWorker::new(engine.clone(), WorkerConfig::default())?.spawn(shutdown.subscribe());
//! shutdown.stop_on_signal().await;
//! worker.await?;
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

mod config;
mod metrics;
pub mod resolver;
mod retry_after;
pub mod signing;
mod transport;
mod worker;

pub use config::WorkerConfig;
pub use resolver::{GuardedResolver, Lookup, SystemLookup};
pub use transport::{MAX_ANSWER_BYTES, TransportConfig, WebhookTransport};
pub use worker::WebhookWorker;

/// The `User-Agent` of requests unless configured otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("chamado-webhooks/", env!("CARGO_PKG_VERSION"));

/// Why the worker or transport cannot be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// A setting out of range.
    #[error("webhooks.{field}: {message}")]
    Config {
        /// The field of [`WorkerConfig`].
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The HTTP client could not be built (no TLS roots, say).
    #[error("building the webhooks' HTTP client: {0}")]
    Client(String),
}
