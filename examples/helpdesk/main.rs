//! `helpdesk`: a complete help desk in one process — the REST API and customer portal, SMTP/LMTP mail
//! intake, mail pulled from IMAP/POP3 mailboxes and a Maildir, outbound mail, Telegram, signed webhooks,
//! Prometheus metrics and the engine's timers — on the embedded redb store, or on PostgreSQL for several
//! nodes.
//!
//! ```text
//! cargo run --release --example helpdesk
//! cargo run --release --example helpdesk -- --config examples/helpdesk/helpdesk.toml
//! CHAMADO_DATA_DIR=./data CHAMADO_HTTP_ADDR=127.0.0.1:8080 CHAMADO_SMTP_ADDR=127.0.0.1:2525 \
//!   CHAMADO_SMTP_RELAY=smtp://127.0.0.1:25 TELEGRAM_BOT_TOKEN=... cargo run --release --example helpdesk
//! ```
//!
//! Settings come from environment variables over the optional TOML file (`--config FILE` or
//! `CHAMADO_CONFIG`), over the defaults; `helpdesk.toml` beside this file lists every key.
#![forbid(unsafe_code)]

mod chat;
mod config_file;
mod logs;
mod mail;
mod mailboxes;
mod sections;
mod settings;
mod source;
mod store;
#[cfg(test)]
mod tests;
mod webhooks;

use chamado::{Channel, Engine};
use chamado_http::server;
use chamado_http::{AppState, HttpConfig};
use chamado_runtime::{Metrics, Shutdown, TimerEvent, Timers};
use config_file::FileSettings;
use settings::Settings;
use source::Source;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::task::JoinSet;
use tracing::{error, info, warn};

/// Why the helpdesk stopped.
#[derive(Debug, thiserror::Error)]
enum HelpdeskError {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    File(#[from] config_file::FileError),
    #[error(transparent)]
    NotUnicode(#[from] source::NotUnicode),
    #[error(transparent)]
    Settings(#[from] settings::SettingsError),
    #[error("{at}: {message}")]
    LogFilter { at: String, message: String },
    #[error("creating the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] store::OpenError),
    #[error("starting the engine: {0}")]
    Engine(#[from] chamado::Error),
    #[error(transparent)]
    Bootstrap(#[from] chamado_runtime::BootstrapError),
    #[error(transparent)]
    Mail(#[from] mail::MailError),
    #[error(transparent)]
    Mailboxes(#[from] mailboxes::MailboxesError),
    #[error(transparent)]
    Webhooks(#[from] chamado_webhooks::WebhookError),
    #[error("telegram (bot token from {at}): {source}")]
    Telegram { at: String, source: chamado_telegram::TelegramError },
    #[error("setting the admin password ({at}): {problem:?}")]
    // Boxed: a Problem (with its translatable message) would make every Result of this type large.
    AdminPassword { at: String, problem: Box<chamado_http::Problem> },
    #[error("{0}")]
    CsrfSecret(chamado_http::auth::CsrfSecretError),
    #[error("listening on {addr}: {source}")]
    Listen { addr: std::net::SocketAddr, source: std::io::Error },
    #[error("serving: {0}")]
    Serve(std::io::Error),
}

const USAGE: &str =
    "usage: helpdesk [--config FILE]   (or CHAMADO_CONFIG=FILE; environment variables override the file)";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("helpdesk: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The environment over the configuration file, if one is named.
fn load_source(args: &[String]) -> Result<Source, HelpdeskError> {
    let named = std::env::var("CHAMADO_CONFIG").ok();
    let file = match config_file::path_from(args, named).map_err(HelpdeskError::Usage)? {
        Some(path) => {
            let settings = FileSettings::load(&path)?;
            Some((path, settings))
        }
        None => None,
    };
    Ok(Source::from_env(file.as_ref().map(|(p, s)| (p.as_path(), s)))?)
}

async fn run(args: &[String]) -> Result<(), HelpdeskError> {
    let source = load_source(args)?;
    let settings = Settings::load(&source)?;
    logs::init(&settings.log_filter)
        .map_err(|message| HelpdeskError::LogFilter { at: source.origin_of("RUST_LOG"), message })?;
    let email = &settings.email;

    let dir = &settings.data_dir;
    std::fs::create_dir_all(dir)
        .map_err(|source| HelpdeskError::DataDir { path: dir.display().to_string(), source })?;
    let opened =
        store::open(dir, settings.database_url.as_deref(), settings.full_text_search, settings.cache_size).await?;
    info!(store = %opened.describe, "store open");
    // Bound before the engine is built: links in notifications name the address it bound when no
    // public URL is set.
    let addr = settings.http_addr;
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|source| HelpdeskError::Listen { addr, source })?;
    let local = listener.local_addr().map_err(|source| HelpdeskError::Listen { addr, source })?;
    let engine_config = settings.engine_for(local);
    if settings.public_url.is_none() && !local.ip().is_loopback() {
        warn!(links = %engine_config.public_url, "no http.public_url (CHAMADO_HTTP_PUBLIC_URL): links in notifications name this address, which may not be where people reach the help desk");
    }
    info!(links = %engine_config.public_url, "links in notifications");
    let engine = Engine::builder_arc(opened.store).config(engine_config).build()?;
    logs::events(&engine);
    // Subscribed before anything runs, so the counters see every event of this process.
    let metrics = Metrics::new(&engine);

    let boot =
        chamado_runtime::bootstrap(&engine, "admin", settings.admin_token.as_deref(), &dir.join("admin.token")).await?;
    if boot.seeded {
        println!("seeded a new help desk in {}", opened.describe);
    }
    if let Some(token) = &boot.new_token {
        // The secret goes to the terminal once, never into the logs.
        println!("admin API token (shown once, also in {}): {token}", dir.join("admin.token").display());
    }

    if let Some(pw) = &settings.admin_password {
        let at = source.origin_of("CHAMADO_ADMIN_PASSWORD");
        let admin = engine.admin(&chamado::Actor::System).await?;
        chamado_http::auth::set_agent_password(&engine, &admin, "admin", Some(pw))
            .await
            .map_err(|problem| HelpdeskError::AdminPassword { at: at.clone(), problem: Box::new(problem) })?;
        info!(from = %at, "admin console password set");
    }

    let shutdown = Shutdown::new();
    let stop_rx = shutdown.subscribe();
    let mut tasks = JoinSet::new();
    let mut channels: Vec<Arc<dyn Channel>> = Vec::new();
    // Kept in the store: forms survive restarts and every node on a shared store agrees.
    let csrf_secret = chamado_http::auth::stored_csrf_secret(&engine).await.map_err(HelpdeskError::CsrfSecret)?;
    let http = HttpConfig {
        metrics: settings.metrics,
        public_url: settings.public_url.clone(),
        csrf_secret: Some(csrf_secret),
        ..HttpConfig::default()
    };
    let limits = http.server.clone();
    // The whole web surface: the REST API, the customer portal and the agent/admin console.
    let surfaces = chamado_api::routes().merge(chamado_web::routes());
    let mut app = chamado_http::compose(surfaces, AppState::new(engine.clone(), http), Some(&metrics));
    let relay_at = source.origin_of("CHAMADO_SMTP_RELAY");
    let mail = mail::start(email, relay_at, &engine, &stop_rx, &mut tasks, &mut channels).await?;
    let pulled =
        mailboxes::start(&settings.mail, email, &engine, opened.postgres.clone(), &metrics, &stop_rx, &mut tasks)
            .await?;
    let bot =
        chat::start(settings.telegram.clone(), &engine, opened.postgres, &stop_rx, &mut app, &mut tasks, &mut channels)
            .await
            .map_err(|e| HelpdeskError::Telegram { at: source.origin_of("TELEGRAM_BOT_TOKEN"), source: e })?;
    webhooks::start(&settings.webhooks, &engine, &metrics, &stop_rx, &mut tasks)?;
    info!(%local, metrics = settings.metrics, "http listening");

    banner(&local, &opened.describe, settings.metrics, &mail, &pulled, email, bot.as_deref());

    let report = |e: TimerEvent| match e {
        TimerEvent::Failed(m) => error!(error = %m, "background round failed"),
        TimerEvent::Tick(r) => info!(report = ?r, "tick"),
        TimerEvent::Delivery(r) => {
            info!(sent = r.sent, retried = r.retried, failed = r.failed, waiting = r.waiting, "outbox delivery")
        }
    };
    let timers = Timers { tick_every: settings.tick_every, deliver_every: settings.deliver_every };
    let timers = chamado_runtime::spawn_timers(engine, channels, timers, stop_rx, report);
    let served = server::serve_with(listener, app, &limits, async move { shutdown.stop_on_signal().await }).await;
    let _ = timers.await;
    while tasks.join_next().await.is_some() {}
    served.map_err(HelpdeskError::Serve)?;
    info!("helpdesk stopped");
    Ok(())
}

/// The start banner on stdout: where each channel listens and three ways to open a first ticket.
fn banner(
    local: &std::net::SocketAddr,
    store: &str,
    metrics: bool,
    mail: &[(chamado_email::Protocol, std::net::SocketAddr)],
    pulled: &[String],
    email: &chamado_email::EmailConfig,
    bot: Option<&str>,
) {
    let mail_from = &email.mail_from;
    let (tls_note, tls_flag) = match (&email.tls_cert, email.require_tls) {
        (None, _) => ("", ""),
        (Some(_), false) => (" (STARTTLS offered)", " --tls"),
        (Some(_), true) => (" (STARTTLS required)", " --tls"),
    };
    println!("helpdesk on http://{local} (store: {store})");
    println!(
        "  portal:  http://{local}/portal/   API: http://{local}/api/v1/   OpenAPI: http://{local}/api/openapi.json"
    );
    if metrics {
        println!("  metrics: http://{local}/metrics (Prometheus; unauthenticated)");
    }
    for (protocol, addr) in mail {
        println!("  {protocol:?} intake on {addr}{tls_note}");
    }
    for line in pulled {
        println!("{line}");
    }
    if let Some(bot) = bot {
        println!("  telegram: {bot}");
    }
    println!("open the first ticket:");
    println!("  curl:   see README (POST http://{local}/api/v1/tickets with a session or agent token)");
    if let Some((_, smtp)) = mail.iter().find(|(p, _)| *p == chamado_email::Protocol::Smtp) {
        println!(
            "  swaks:  swaks --server {smtp}{tls_flag} --from you@example.com --to {mail_from} --header 'Subject: Help' --body 'It broke.'"
        );
    }
    println!("  portal: http://{local}/portal/login (after adding a customer user with chamado-admin)");
}
