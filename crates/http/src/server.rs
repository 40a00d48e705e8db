//! Running the adapter as a server on the host kit ([`chamado_runtime`]: timers, shutdown, the
//! first-start bootstrap): serving with graceful shutdown. Hosts such as the `helpdesk` example compose
//! these, and other channels (mail intake, chat) plug their own tasks into the same [`Shutdown`].

use axum::Router;
use chamado::{Channel, Engine};
use chamado_runtime::{Shutdown, TimerEvent, Timers, spawn_timers};
use std::future::Future;
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
