//! `helpdesk`: a complete help desk in one process — the REST API and customer portal, SMTP/LMTP mail
//! intake and outbound mail, Telegram, and the engine's timers — on the embedded redb store, or on
//! PostgreSQL for several nodes.
//!
//! ```text
//! cargo run --release --example helpdesk
//! CHAMADO_DATA_DIR=./data CHAMADO_HTTP_ADDR=127.0.0.1:8080 CHAMADO_SMTP_ADDR=127.0.0.1:2525 \
//!   CHAMADO_SMTP_RELAY=smtp://127.0.0.1:25 TELEGRAM_BOT_TOKEN=... cargo run --release --example helpdesk
//! ```
#![forbid(unsafe_code)]

mod chat;
mod mail;
mod settings;
mod store;

use chamado::{Channel, Engine, EngineConfig};
use chamado_http::server::{self, TimerEvent, Timers};
use chamado_http::{HttpConfig, router};
use settings::Settings;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Why the helpdesk stopped.
#[derive(Debug, thiserror::Error)]
enum HelpdeskError {
    #[error(transparent)]
    Settings(#[from] settings::SettingsError),
    #[error("creating the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] store::OpenError),
    #[error("starting the engine: {0}")]
    Engine(#[from] chamado::Error),
    #[error(transparent)]
    Bootstrap(#[from] server::BootstrapError),
    #[error("email settings: {0}")]
    EmailConfig(#[from] chamado_email::ConfigError),
    #[error(transparent)]
    Mail(#[from] mail::MailError),
    #[error("telegram: {0}")]
    Telegram(#[from] chamado_telegram::TelegramError),
    #[error("setting the admin password (CHAMADO_ADMIN_PASSWORD): {0:?}")]
    AdminPassword(chamado_http::Problem),
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
    let email = chamado_email::EmailConfig::from_env()?;
    let dir = &settings.data_dir;
    std::fs::create_dir_all(dir)
        .map_err(|source| HelpdeskError::DataDir { path: dir.display().to_string(), source })?;
    let opened = store::open(dir, settings.database_url.as_deref()).await?;
    let mut config = EngineConfig::default();
    email.apply_to(&mut config);
    let engine = Engine::builder_arc(opened.store).config(config).build()?;

    let boot = server::bootstrap(&engine, "admin", settings.admin_token.as_deref(), &dir.join("admin.token")).await?;
    if boot.seeded {
        println!("seeded a new help desk in {}", opened.describe);
    }
    if let Some(token) = &boot.new_token {
        println!("admin API token (shown once, also in {}): {token}", dir.join("admin.token").display());
    }

    if let Some(pw) = &settings.admin_password {
        let admin = engine.admin(&chamado::Actor::System).await?;
        chamado_http::console::set_agent_password(&engine, &admin, "admin", Some(pw))
            .await
            .map_err(HelpdeskError::AdminPassword)?;
        println!("admin console password set from CHAMADO_ADMIN_PASSWORD");
    }

    let addr = settings.http_addr;
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|source| HelpdeskError::Listen { addr, source })?;
    let local = listener.local_addr().map_err(|source| HelpdeskError::Listen { addr, source })?;

    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut channels: Vec<Arc<dyn Channel>> = Vec::new();
    let mut app = router(engine.clone(), HttpConfig::default());
    mail::start(&email, &engine, &stop_rx, &mut tasks, &mut channels).await?;
    chat::start(&engine, opened.postgres, &stop_rx, &mut app, &mut tasks, &mut channels).await?;

    println!("helpdesk on http://{local} (store: {})", opened.describe);
    println!(
        "  portal:  http://{local}/portal/   API: http://{local}/api/v1/   OpenAPI: http://{local}/api/openapi.json"
    );
    println!("open the first ticket:");
    println!("  curl:   see README (POST http://{local}/api/v1/tickets with a session or agent token)");
    if let Some(smtp) = &email.smtp_addr {
        let (host, port) = smtp.rsplit_once(':').unwrap_or((smtp.as_str(), "25"));
        println!(
            "  swaks:  swaks --server {host}:{port} --from you@example.com --to support@localhost --header 'Subject: Help' --body 'It broke.'"
        );
    }
    println!("  portal: http://{local}/portal/login (after adding a customer user with chamado-admin)");

    let report = |e: TimerEvent| match e {
        TimerEvent::Failed(m) => eprintln!("helpdesk: {m}"),
        other => println!("{other:?}"),
    };
    let timers = server::spawn_timers(engine, channels, Timers::default(), stop_rx, report);
    let served = server::serve(listener, app, async move {
        server::shutdown_signal().await;
        let _ = stop_tx.send(true);
    })
    .await;
    let _ = timers.await;
    while tasks.join_next().await.is_some() {}
    served.map_err(HelpdeskError::Serve)?;
    println!("helpdesk stopped");
    Ok(())
}
