//! # chamado-web
//!
//! The HTML surfaces of [chamado], server-rendered and working without JavaScript: the customer portal
//! under `/portal` (customer users log in, see their own and their company's tickets, open tickets and
//! reply) and the console under `/agent` (queue view, ticket zoom, phone tickets, search) and `/admin`
//! (the directory and its grants). Authentication is `chamado-http`'s; every decision is the engine's.
//!
//! Mount the pages alone with [`router`], or take [`routes`] and finish them beside the API with
//! [`chamado_http::compose`]:
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use chamado::{Engine, MemoryStore};
//! let engine = Engine::builder(MemoryStore::new()).build().map_err(std::io::Error::other)?;
//! let app = chamado_web::router(engine, chamado_http::HttpConfig::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! chamado_http::server::serve(listener, app, chamado_runtime::shutdown_signal()).await
//! # }
//! ```
#![forbid(unsafe_code)]

pub mod console;
pub mod csrf;
pub mod csrf_multipart;
pub mod labels;
pub mod lang;
pub mod page;
pub mod portal;
pub mod preferences;
pub mod url;

use axum::Router;
use chamado::Engine;
use chamado_http::{AppState, HttpConfig};
use chamado_runtime::Metrics;

/// The portal (nested at `/portal`) and the console (`/agent`, `/admin`), to finish with
/// [`chamado_http::compose`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .nest("/portal", portal::routes())
        .merge(console::routes())
        .route("/static/style.css", axum::routing::get(page::stylesheet))
}

/// The pages alone, finished: [`routes`] on `engine` with `config`, and `/metrics` from a registry of
/// its own when [`HttpConfig::metrics`].
pub fn router(engine: Engine, config: HttpConfig) -> Router {
    let metrics = config.metrics.then(|| Metrics::new(&engine));
    chamado_http::compose(routes(), AppState::new(engine, config), metrics.as_ref())
}
