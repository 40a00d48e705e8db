//! # chamado-runtime
//!
//! What every host of [chamado] runs beside the engine, with or without HTTP:
//!
//! - [`spawn_timers`]: [`chamado::Engine::tick`] (auto-close, reminders) and
//!   [`chamado::Engine::deliver_due`] (the outbox) on their intervals ([`Timers`]);
//! - [`Shutdown`]: one stop signal the host's tasks share, tripped by Ctrl-C/SIGTERM
//!   ([`shutdown_signal`]) or by the host; each task finishes its current round and returns;
//! - [`first_start`]: seeding an empty store with the OTRS defaults, and [`bootstrap`]: that plus the
//!   admin's API token (configured, kept in a file, or made once and written there);
//! - [`EventFeed`] and [`event_stream`]: the engine's event log from a cursor on, as a long-poll page or
//!   a [`futures_util::Stream`] of events as they happen (the REST API's `GET /api/v1/events` reads it);
//! - [`Metrics`]: a Prometheus registry fed by the engine's events, which other parts (the HTTP
//!   adapter's request latencies) register into, rendered in the text format 0.0.4.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use chamado::{Engine, MemoryStore};
//! use chamado_runtime::{Metrics, Shutdown, Timers, first_start, spawn_timers};
//! let engine = Engine::builder(MemoryStore::new()).build()?;
//! first_start(&engine, "admin").await?;
//! let metrics = Metrics::new(&engine);
//! let shutdown = Shutdown::new();
//! let timers = spawn_timers(engine, Vec::new(), Timers::default(), shutdown.subscribe(), |e| eprintln!("{e:?}"));
//! shutdown.stop_on_signal().await;
//! timers.await?;
//! print!("{}", metrics.render().await);
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

mod event_feed;
mod metrics;
mod seed;
mod shutdown;
mod timers;

pub use event_feed::{DEFAULT_FEED_POLL, EventFeed, event_stream};
pub use metrics::{CONTENT_TYPE, Metrics};
pub use prometheus_client;
pub use seed::{Bootstrap, BootstrapError, bootstrap, first_start};
pub use shutdown::{Shutdown, shutdown_signal};
pub use timers::{TimerEvent, Timers, spawn_timers};
