//! # chamado-api
//!
//! The JSON REST API of [chamado] under `/api/v1`, for agents, customer users and admins: RFC 9457
//! problem details for every error and an OpenAPI 3.1 document at `GET /api/openapi.json`. Every handler
//! authenticates the caller (through `chamado-http`), calls the engine, and translates its answer; the
//! engine decides every permission.
//!
//! Mount the API alone with [`router`], or take [`routes`] and finish it beside other surfaces with
//! [`chamado_http::compose`]:
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use chamado::{Engine, MemoryStore};
//! let engine = Engine::builder(MemoryStore::new()).build().map_err(std::io::Error::other)?;
//! let app = chamado_api::router(engine, chamado_http::HttpConfig::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! chamado_http::server::serve(listener, app, chamado_runtime::shutdown_signal()).await
//! # }
//! ```
#![forbid(unsafe_code)]

mod admin_common;
pub mod agent_grants;
pub mod agents;
pub mod attachments;
pub mod customer_users;
pub mod customers;
pub mod directory;
pub mod dto;
pub mod events;
pub mod grants;
pub mod health;
pub mod import;
pub mod mail_accounts;
pub mod notification_prefs;
pub mod password;
pub mod preferences;
pub mod priorities;
pub mod queue_overview;
pub mod reports;
pub mod sessions;
pub mod slas;
pub mod states;
pub mod texts;
pub mod ticket_texts;
pub mod tickets;
mod webhook_docs;
pub mod webhooks;

#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod openapi;
mod routes;

use axum::Router;
use chamado::Engine;
use chamado_http::{AppState, HttpConfig};
use chamado_runtime::Metrics;

/// The API's routes with `/api/openapi.json` and `/healthz`, to finish with [`chamado_http::compose`]
/// (alone or merged with other surfaces).
pub fn routes() -> Router<AppState> {
    openapi::mounted()
}

/// The API alone, finished: [`routes`] on `engine` with `config`, and `/metrics` from a registry of its
/// own when [`HttpConfig::metrics`].
pub fn router(engine: Engine, config: HttpConfig) -> Router {
    let metrics = config.metrics.then(|| Metrics::new(&engine));
    chamado_http::compose(routes(), AppState::new(engine, config), metrics.as_ref())
}
