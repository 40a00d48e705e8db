//! # chamado-http
//!
//! The HTTP adapter of [chamado]: a JSON REST API under `/api/v1` for agents, customer users
//! and admins, RFC 9457 problem details for every error, an OpenAPI 3.1 document at
//! `GET /api/openapi.json`, a server-rendered customer portal under `/portal`, and Prometheus metrics at
//! `GET /metrics` ([`metrics`]).
//!
//! The adapter authenticates (agent bearer tokens, customer sessions) and translates; every permission
//! decision is the engine's. Mount [`router`] in any axum host:
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use chamado::{Engine, MemoryStore};
//! let engine = Engine::builder(MemoryStore::new()).build().map_err(std::io::Error::other)?;
//! let app = chamado_http::router(engine, chamado_http::HttpConfig::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! chamado_http::server::serve(listener, app, chamado_runtime::shutdown_signal()).await
//! # }
//! ```
#![forbid(unsafe_code)]

pub mod api;
pub mod auth;
pub mod client_addr;
mod config;
pub mod console;
pub mod cookies;
mod extract;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod metrics;
pub mod openapi;
pub mod portal;
mod problem;
// The secrets and their hashes are the auth kit's, shared with the admin command line.
use chamado_auth::secret as random;
mod router;
pub mod security_headers;
pub mod server;
mod state;
mod time;

pub use config::{ConfigError, HttpConfig, ServerConfig, ThrottleConfig};
pub use problem::{Problem, ProblemBody};
pub use router::{router, router_with_metrics};
