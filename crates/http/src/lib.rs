//! # chamado-http
//!
//! What the HTTP surfaces of [chamado] share: the router state ([`AppState`]: engine, settings, login
//! throttle), authentication (agent bearer tokens, customer sessions, passwords, the throttle), RFC 9457
//! problem details, extractors that answer malformed requests with them, Prometheus request metrics,
//! and the server ([`server`]).
//!
//! The surfaces are crates of their own: `chamado-api` (the JSON REST API under `/api/v1` and its
//! OpenAPI document) and `chamado-web` (the customer portal and the agent/admin console). A host takes
//! the ones it wants and finishes them here with [`compose`]; an embedder can mount the API alone:
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use chamado::{Engine, MemoryStore};
//! use chamado_http::{AppState, HttpConfig, compose};
//! let engine = Engine::builder(MemoryStore::new()).build().map_err(std::io::Error::other)?;
//! let state = AppState::new(engine, HttpConfig::default());
//! // Here: `chamado_api::routes().merge(chamado_web::routes())`, or only one of them.
//! let surfaces = axum::Router::new();
//! let app = compose(surfaces, state, None);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! chamado_http::server::serve(listener, app, chamado_runtime::shutdown_signal()).await
//! # }
//! ```
#![forbid(unsafe_code)]

pub mod auth;
pub mod client_addr;
mod config;
pub mod cookies;
pub mod extract;
pub mod files;
pub mod metrics;
mod problem;
// The secrets and their hashes are the auth kit's, shared with the admin command line.
pub use chamado_auth::secret as random;
mod router;
pub mod security_headers;
pub mod server;
mod state;
pub mod time;

pub use config::{ConfigError, HttpConfig, ServerConfig, ThrottleConfig};
pub use problem::{ApiResult, Problem, ProblemBody};
pub use router::compose;
pub use state::AppState;
