//! Running the adapter as a server: graceful shutdown, the engine's timers, and the first-start
//! bootstrap (seeding, the admin token). Hosts such as the `helpdesk` example compose these, and later
//! channels (mail intake, chat) plug their own tasks into the same shutdown signal.

use crate::auth::agent_token;
use crate::problem::Problem;
use crate::random::secret;
use axum::Router;
use chamado::{Actor, Channel, Engine};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting, lets in-flight
/// requests (and their commits) finish, and returns.
pub async fn serve<F>(listener: TcpListener, app: Router, shutdown: F) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
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

/// How often the background work runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timers {
    /// [`Engine::tick`]: pending auto-close and reminders (default 30 s).
    pub tick_every: Duration,
    /// [`Engine::deliver_due`]: the outbox (default 5 s).
    pub deliver_every: Duration,
}

impl Default for Timers {
    fn default() -> Self {
        Timers { tick_every: Duration::from_secs(30), deliver_every: Duration::from_secs(5) }
    }
}

/// What a background round reported, for the host to log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimerEvent {
    /// A tick that changed something.
    Tick(chamado::TickReport),
    /// A delivery round that did something.
    Delivery(chamado::DeliveryReport),
    /// A round that failed; it is retried at the next interval.
    Failed(String),
}

/// Runs [`Engine::tick`] and [`Engine::deliver_due`] on their intervals until `stop` turns true.
/// `report` hears about every round that did or failed something.
pub fn spawn_timers(
    engine: Engine,
    channels: Vec<Arc<dyn Channel>>,
    timers: Timers,
    mut stop: watch::Receiver<bool>,
    report: impl Fn(TimerEvent) + Send + Sync + 'static,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(timers.tick_every);
        let mut deliver = tokio::time::interval(timers.deliver_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        deliver.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            if *stop.borrow() {
                return;
            }
            tokio::select! {
                _ = stop.changed() => {
                    if stop.has_changed().is_err() || *stop.borrow() { return; }
                }
                _ = tick.tick() => match engine.tick(engine.now()).await {
                    Ok(r) if r != chamado::TickReport::default() => report(TimerEvent::Tick(r)),
                    Ok(_) => {}
                    Err(e) => report(TimerEvent::Failed(format!("tick: {e}"))),
                },
                _ = deliver.tick() => match engine.deliver_due(&channels).await {
                    Ok(r) if r.sent + r.retried + r.failed > 0 => report(TimerEvent::Delivery(r)),
                    Ok(_) => {}
                    Err(e) => report(TimerEvent::Failed(format!("delivery: {e}"))),
                },
            }
        }
    })
}

/// Why the first-start bootstrap failed.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// The engine or store failed.
    #[error("seeding the store failed: {0}")]
    Engine(#[from] chamado::Error),
    /// The token could not be installed.
    #[error("installing the admin token failed: {0}")]
    Token(#[from] Problem),
    /// The token file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What [`bootstrap`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bootstrap {
    /// True when the store was empty and got the OTRS defaults.
    pub seeded: bool,
    /// A token generated now (and written to the token file): print it once.
    pub new_token: Option<String>,
}

/// Seeds an empty store (OTRS defaults with agent `admin_login`) and makes sure the admin has an API
/// token: `configured` when given, else the one in `token_file`, else a new one written there.
pub async fn bootstrap(
    engine: &Engine,
    admin_login: &str,
    configured: Option<&str>,
    token_file: &Path,
) -> Result<Bootstrap, BootstrapError> {
    let seeded = engine.seed_defaults(admin_login).await?;
    let admin = engine.admin(&Actor::System).await?;
    if let Some(token) = configured {
        agent_token::install(engine, &admin, admin_login, token).await?;
        return Ok(Bootstrap { seeded, new_token: None });
    }
    match std::fs::read_to_string(token_file) {
        Ok(existing) if !existing.trim().is_empty() => {
            agent_token::install(engine, &admin, admin_login, existing.trim()).await?;
            return Ok(Bootstrap { seeded, new_token: None });
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(BootstrapError::Io { path: token_file.to_path_buf(), source }),
    }
    let token = secret(agent_token::AGENT_TOKEN_PREFIX).map_err(|e| Problem::internal(e.to_string()))?;
    agent_token::install(engine, &admin, admin_login, &token).await?;
    write_private(token_file, &token)
        .map_err(|source| BootstrapError::Io { path: token_file.to_path_buf(), source })?;
    Ok(Bootstrap { seeded, new_token: Some(token) })
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(content.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()
}

/// Serves `app` on `listener` with the engine's timers beside it, until Ctrl-C or SIGTERM; then
/// finishes the in-flight requests and the current timer round, and returns.
pub async fn run(
    listener: TcpListener,
    app: Router,
    engine: Engine,
    channels: Vec<Arc<dyn Channel>>,
    timers: Timers,
    report: impl Fn(TimerEvent) + Send + Sync + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let background = spawn_timers(engine, channels, timers, stop_rx, report);
    let served = serve(listener, app, async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    })
    .await;
    let _ = background.await;
    served
}
