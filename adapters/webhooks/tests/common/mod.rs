//! A seeded engine on the memory store, the delivery worker, and the Python receiver
//! (`tests/support/webhook_receiver.py`), which verifies every request with the `standardwebhooks`
//! package from PyPI and logs it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chamado::webhooks::WebhookSecret;
use chamado::{
    Actor, Clock, Customer, CustomerUser, Engine, EngineConfig, EventType, FixedClock, MemoryStore, NewTicket,
    SystemClock, Timestamp, WebhookConfig, WebhookSubscription,
};
use chamado_runtime::Shutdown;
use chamado_webhooks::{WebhookTransport, WebhookWorker, WorkerConfig};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// The secret the receiver knows.
pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// A secret being rotated out: subscriptions sign with both, the receiver knows only [`SECRET`].
pub const OLD_SECRET: &str = "whsec_c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA==";

/// One request as the receiver logged it.
#[derive(Debug, Clone)]
pub struct Request {
    pub webhook_id: String,
    pub event_type: String,
    pub ticket: Option<String>,
    pub verified: bool,
    pub path: String,
    pub status: Option<u16>,
    pub user_agent: String,
    pub at: f64,
}

/// The receiver process on a free loopback port; killed when dropped.
pub struct Receiver {
    child: Child,
    pub port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Receiver {
    /// Starts the receiver knowing `secrets`.
    pub fn start(secrets: &[&str]) -> Receiver {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/support/webhook_receiver.py");
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("requests.jsonl");
        let mut cmd = Command::new("python3");
        cmd.arg(&script).args(["--port", "0", "--out"]).arg(&log);
        for s in secrets {
            cmd.args(["--secret", s]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the receiver (and `pip install standardwebhooks==1.1.0`, see .ci/run)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the receiver did not start (is standardwebhooks installed?): {line:?}"));
        Receiver { child, port, log, _dir: dir }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
                Request {
                    webhook_id: s("webhook_id"),
                    event_type: s("type"),
                    ticket: v["ticket"].as_str().map(str::to_string),
                    verified: v["verified"].as_bool().unwrap(),
                    path: s("path"),
                    status: v["status"].as_u64().map(|n| n as u16),
                    user_agent: s("user_agent"),
                    at: v["at"].as_f64().unwrap(),
                }
            })
            .collect()
    }

    /// The requests to paths starting with `prefix`.
    pub fn requests_to(&self, prefix: &str) -> Vec<Request> {
        self.requests().into_iter().filter(|r| r.path.starts_with(prefix)).collect()
    }

    /// Waits up to `secs` seconds for `done` to hold of the requests; returns them.
    pub async fn wait_for(&self, secs: u64, what: &str, done: impl Fn(&[Request]) -> bool) -> Vec<Request> {
        let started = Instant::now();
        loop {
            let got = self.requests();
            if done(&got) {
                return got;
            }
            assert!(started.elapsed() < Duration::from_secs(secs), "{what}: not within {secs} s; got {got:#?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The engine (and its clock, when the test moves time).
pub struct Desk {
    pub engine: Engine,
    pub clock: Option<Arc<FixedClock>>,
}

/// Webhook settings for tests on loopback: private targets allowed, a 1 s first backoff, a 5 s lease.
pub fn loopback() -> WebhookConfig {
    WebhookConfig {
        allow_private_targets: true,
        backoff_secs: 1,
        max_backoff_secs: 4,
        lease_secs: 5,
        ..Default::default()
    }
}

/// A seeded engine with customer `acme` and its user `alice`, on the system clock.
pub async fn desk(webhooks: WebhookConfig) -> Desk {
    desk_on(webhooks, None).await
}

/// [`desk`] on a clock the test moves.
pub async fn desk_at(webhooks: WebhookConfig, now: Timestamp) -> Desk {
    desk_on(webhooks, Some(Arc::new(FixedClock::new(now)))).await
}

async fn desk_on(webhooks: WebhookConfig, clock: Option<Arc<FixedClock>>) -> Desk {
    let config = EngineConfig { webhooks, ..Default::default() };
    let using: Arc<dyn Clock> = match &clock {
        Some(c) => c.clone(),
        None => Arc::new(SystemClock),
    };
    let engine = Engine::builder(MemoryStore::new()).clock(using).config(config).build().unwrap();
    chamado_runtime::first_start(&engine, "admin").await.unwrap();
    let admin = engine.admin(&Actor::System).await.unwrap();
    admin.put_customer(Customer::new("acme", "Acme Inc.")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    Desk { engine, clock }
}

impl Desk {
    /// Subscribes `url` to `events` (signed with [`OLD_SECRET`] and [`SECRET`]) with `timeout_ms` and
    /// `max_concurrency`; returns the subscription's id.
    pub async fn subscribe(&self, url: &str, events: &[EventType], timeout_ms: u64, max_concurrency: u32) -> String {
        let mut sub = WebhookSubscription::new("", url, events.to_vec(), OLD_SECRET);
        sub.secrets.push(WebhookSecret { secret: SECRET.into(), created_at: Timestamp::EPOCH, expires_at: None });
        sub.timeout_ms = timeout_ms;
        sub.max_concurrency = max_concurrency;
        let admin = self.engine.admin(&Actor::System).await.unwrap();
        admin.put_webhook(sub).await.unwrap().id
    }

    /// A ticket alice opens; returns its number.
    pub async fn open(&self, title: &str) -> String {
        let new = NewTicket::new(title, "It broke.", "Raw");
        self.engine.create_ticket(&Actor::customer("alice"), new).await.unwrap().ticket.number
    }

    /// Waits (up to 10 s) for the webhook backlog to empty: the receiver logs a request before it
    /// answers, the worker records the answer after.
    pub async fn no_backlog(&self) {
        let started = Instant::now();
        while self.engine.webhooks_pending().await.unwrap() > 0 {
            assert!(started.elapsed() < Duration::from_secs(10), "the backlog stays");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The ids of the events of ticket `number`, in the log's order.
    pub async fn event_ids(&self, number: &str) -> Vec<String> {
        let page = self.engine.events(&Actor::System, 0, 1000).await.unwrap();
        let t = self.engine.ticket(&Actor::System, number).await.unwrap().ticket.id;
        page.events.into_iter().filter(|e| e.ticket_id == Some(t)).map(|e| e.id).collect()
    }
}

/// Moves `clock` along with the wall clock (in 20 ms steps) until aborted, so a test can also make it
/// jump.
pub fn tick_along(clock: Arc<FixedClock>) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            clock.advance(Duration::from_millis(20));
        }
    })
}

/// Worker settings for tests: quick polls, a short wait when a receiver is busy.
pub fn fast() -> WorkerConfig {
    WorkerConfig { poll_interval_ms: 50, busy_delay_ms: 300, ..Default::default() }
}

/// A running worker and its stop signal.
pub struct Running {
    pub shutdown: Shutdown,
    pub task: JoinHandle<()>,
}

impl Running {
    /// Stops the worker and waits (at most `secs` seconds) for it to return.
    pub async fn stop(self, secs: u64) {
        self.shutdown.stop();
        tokio::time::timeout(Duration::from_secs(secs), self.task).await.expect("the worker stops").unwrap();
    }
}

/// Starts `worker`.
pub fn run(worker: WebhookWorker) -> Running {
    let shutdown = Shutdown::new();
    let task = worker.spawn(shutdown.subscribe());
    Running { shutdown, task }
}

/// Starts a worker for `engine` with `config`.
pub fn start(engine: &Engine, config: WorkerConfig) -> Running {
    run(WebhookWorker::new(engine.clone(), config).unwrap())
}

/// Starts a worker sending through `transport`.
pub fn start_with(engine: &Engine, config: WorkerConfig, transport: WebhookTransport) -> Running {
    run(WebhookWorker::with_transport(engine.clone(), config, transport).unwrap())
}
