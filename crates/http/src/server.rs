//! Running the adapter as a server on the host kit ([`chamado_runtime`]: timers, shutdown, the
//! first-start bootstrap): serving with graceful shutdown. Hosts such as the `helpdesk` example compose
//! these, and other channels (mail intake, chat) plug their own tasks into the same [`Shutdown`].
//!
//! The server is hyper's HTTP/1 connection under our own limits ([`ServerConfig`]), because
//! `axum::serve` sets none: a client must send a request's headers within the header-read timeout
//! (500 connections that never finish theirs are closed, not kept), a connection idle on our side for
//! the idle timeout is closed, one address holds at most so many connections (more are closed at once)
//! and the server serves at most so many in all (more wait in the listen backlog). Every request
//! carries the peer address as axum's `ConnectInfo<SocketAddr>`, for the per-client login throttle.

mod activity;
mod per_client;

use crate::config::ServerConfig;
use activity::{Activity, Tracked};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use chamado::{Channel, Engine};
use chamado_runtime::{Shutdown, TimerEvent, Timers, spawn_timers};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use per_client::PerClient;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc, watch};
use tower::Service;
use tower_http::timeout::TimeoutBody;

/// Serves `app` on `listener` with the default [`ServerConfig`] until `shutdown` completes; see
/// [`serve_with`].
pub async fn serve<F>(listener: TcpListener, app: Router, shutdown: F) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    serve_with(listener, app, &ServerConfig::default(), shutdown).await
}

/// Serves `app` on `listener` under `limits` until `shutdown` completes; then stops accepting, lets
/// the requests in flight (and their commits) finish, closes idle connections, and returns once every
/// connection is closed.
pub async fn serve_with<F>(
    listener: TcpListener,
    app: Router,
    limits: &ServerConfig,
    shutdown: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout).keep_alive(true);
    let http = Arc::new(http);
    let total = Arc::new(Semaphore::new(limits.max_connections));
    let per_client = PerClient::new(limits.max_connections_per_client);
    let (stop_tx, stop_rx) = watch::channel(false);
    // Every connection task holds a sender; when all are dropped, every connection is closed.
    let (open_tx, mut open_rx) = mpsc::channel::<()>(1);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // Beyond the total, clients wait in the backlog until a connection closes.
        let permit = tokio::select! {
            () = &mut shutdown => break,
            p = total.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    accept_failed(&e).await;
                    continue;
                }
            },
        };
        // Over its cap, a client's connection is closed before anything is read from it.
        let Some(slot) = per_client.admit(peer.ip()) else { continue };
        let _ = stream.set_nodelay(true);
        let conn = Connection { http: http.clone(), app: app.clone(), idle: limits.idle_timeout, peer };
        let (stop, open) = (stop_rx.clone(), open_tx.clone());
        tokio::spawn(async move {
            conn.run(stream, stop).await;
            drop((slot, permit, open));
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(open_tx);
    let _ = open_rx.recv().await;
    Ok(())
}

/// An accept that failed: most failures are the one connection's (reset before accepted); running
/// out of file descriptors passes when connections close, so wait a little instead of spinning.
async fn accept_failed(e: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionReset, Interrupted};
    if !matches!(e.kind(), ConnectionAborted | ConnectionReset | Interrupted) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One accepted connection and what it needs.
struct Connection {
    http: Arc<hyper::server::conn::http1::Builder>,
    app: Router,
    idle: Duration,
    peer: SocketAddr,
}

impl Connection {
    /// Serves the connection until the client closes it, a timeout does, or shutdown has let its
    /// request in flight finish.
    async fn run(self, stream: TcpStream, mut stop: watch::Receiver<bool>) {
        let activity = Activity::new();
        let io = TokioIo::new(Tracked::new(stream, activity.clone()));
        let (app, idle, peer) = (self.app, self.idle, self.peer);
        let tracked = activity.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let busy = tracked.busy();
            // A request body that stops arriving for the idle timeout fails the request.
            let mut req = req.map(|body| Body::new(TimeoutBody::new(idle, body)));
            req.extensions_mut().insert(ConnectInfo(peer));
            let answer = app.clone().call(req);
            async move {
                let res = answer.await;
                drop(busy);
                res
            }
        });
        let conn = self.http.serve_connection(io, service);
        let mut conn = std::pin::pin!(conn);
        let mut stopping = *stop.borrow();
        if stopping {
            conn.as_mut().graceful_shutdown();
        }
        loop {
            tokio::select! {
                _ = conn.as_mut() => return,
                // Hyper's graceful shutdown finishes the request in flight, then closes.
                _ = stop.changed(), if !stopping => {
                    stopping = true;
                    conn.as_mut().graceful_shutdown();
                }
                // Nothing moved and no handler works: dropping the connection closes it.
                () = activity.idle_for(idle) => return,
            }
        }
    }
}

/// Serves `app` on `listener` under `limits` with the engine's timers beside it, until Ctrl-C or
/// SIGTERM; then finishes the in-flight requests and the current timer round, and returns.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: &ServerConfig,
    engine: Engine,
    channels: Vec<Arc<dyn Channel>>,
    timers: Timers,
    report: impl Fn(TimerEvent) + Send + Sync + 'static,
) -> std::io::Result<()> {
    let shutdown = Shutdown::new();
    let background = spawn_timers(engine, channels, timers, shutdown.subscribe(), report);
    let served = serve_with(listener, app, limits, async move { shutdown.stop_on_signal().await }).await;
    let _ = background.await;
    served
}
