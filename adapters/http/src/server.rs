//! Running the adapter as a server on the host kit ([`chamado_runtime`]: timers, shutdown, seeding):
//! serving with graceful shutdown, and the first-start bootstrap (seeding, the admin token). Hosts such
//! as the `helpdesk` example compose these, and other channels (mail intake, chat) plug their own tasks
//! into the same [`Shutdown`].

use crate::auth::agent_token;
use crate::problem::Problem;
use crate::random::secret;
use axum::Router;
use chamado::{Actor, Channel, Engine};
use chamado_runtime::{Shutdown, TimerEvent, Timers, spawn_timers};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::net::TcpListener;

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting, lets in-flight
/// requests (and their commits) finish, and returns.
pub async fn serve<F>(listener: TcpListener, app: Router, shutdown: F) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
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
    let seeded = chamado_runtime::first_start(engine, admin_login).await?;
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
    let shutdown = Shutdown::new();
    let background = spawn_timers(engine, channels, timers, shutdown.subscribe(), report);
    let served = serve(listener, app, async move { shutdown.stop_on_signal().await }).await;
    let _ = background.await;
    served
}
