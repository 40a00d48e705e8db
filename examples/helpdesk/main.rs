//! `helpdesk`: a complete help desk in one process — the REST API, the customer portal and the
//! engine's timers on the embedded redb store.
//!
//! ```text
//! cargo run --release --example helpdesk
//! CHAMADO_DATA_DIR=./data CHAMADO_HTTP_ADDR=127.0.0.1:8080 CHAMADO_ADMIN_TOKEN=... cargo run --release --example helpdesk
//! ```
#![forbid(unsafe_code)]

mod settings;

use chamado::Engine;
use chamado_http::server::{self, TimerEvent, Timers};
use chamado_http::{HttpConfig, router};
use settings::Settings;
use std::process::ExitCode;

/// Why the helpdesk stopped.
#[derive(Debug, thiserror::Error)]
enum HelpdeskError {
    #[error(transparent)]
    Settings(#[from] settings::SettingsError),
    #[error("creating the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("opening the store {path}: {source}")]
    Store { path: String, source: chamado_redb::Error },
    #[error("starting the engine: {0}")]
    Engine(#[from] chamado::Error),
    #[error(transparent)]
    Bootstrap(#[from] server::BootstrapError),
    #[error("listening on {addr}: {source}")]
    Listen { addr: std::net::SocketAddr, source: std::io::Error },
    #[error("serving: {0}")]
    Serve(std::io::Error),
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("helpdesk: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), HelpdeskError> {
    let settings = Settings::from_env()?;
    let dir = &settings.data_dir;
    std::fs::create_dir_all(dir)
        .map_err(|source| HelpdeskError::DataDir { path: dir.display().to_string(), source })?;
    let db = dir.join("chamado.redb");
    let store = chamado_redb::RedbStore::open(&db)
        .map_err(|source| HelpdeskError::Store { path: db.display().to_string(), source })?;
    let engine = Engine::builder(store).build()?;

    let boot = server::bootstrap(&engine, "admin", settings.admin_token.as_deref(), &dir.join("admin.token")).await?;
    if boot.seeded {
        println!("seeded a new help desk in {}", db.display());
    }
    if let Some(token) = &boot.new_token {
        println!("admin API token (shown once, also in {}): {token}", dir.join("admin.token").display());
    }

    let addr = settings.http_addr;
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|source| HelpdeskError::Listen { addr, source })?;
    let local = listener.local_addr().map_err(|source| HelpdeskError::Listen { addr, source })?;
    println!(
        "helpdesk on http://{local}  (portal: http://{local}/portal/, API: http://{local}/api/v1/, OpenAPI: http://{local}/api/openapi.json)"
    );

    let app = router(engine.clone(), HttpConfig::default());
    let report = |e: TimerEvent| match e {
        TimerEvent::Failed(m) => eprintln!("helpdesk: {m}"),
        other => println!("{other:?}"),
    };
    server::run(listener, app, engine, Vec::new(), Timers::default(), report).await.map_err(HelpdeskError::Serve)?;
    println!("helpdesk stopped");
    Ok(())
}
