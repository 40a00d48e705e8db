//! What webhooks cost and how fast they go out (issue #24). One binary, one scenario per run:
//!
//! ```text
//! cargo bench -p chamado-benches --bench webhooks -- create-subs   # creation with 3 subscriptions next to none
//! cargo bench -p chamado-benches --bench webhooks -- deliveries    # deliveries per second to a local receiver
//! ```
//!
//! `create-subs` times ticket creation through the engine on a fresh durable redb file with three
//! enabled subscriptions (all events, `ticket.created` only, and one filtered to the queue) next to the same
//! with none, 64 tasks and 1 task, rounds alternating in one process. Both write the event log (it is
//! always on: the event feed reads it); the deliveries are made from the log by the delivery loop, off
//! the commit's path, so what subscriptions could cost creation is the directory they add.
//!
//! `deliveries` times [`WebhookWorker`] with its default settings on a durable redb file: tickets (64
//! tasks) are created first with 1 or 4 subscriptions to `ticket.created` and `article.added`, each at
//! its own path of one Rust receiver on loopback (hyper through axum, answering 204 at once), 2,000 or
//! 500 tickets, so 4,000 deliveries either way; then the worker starts and the clock runs until the
//! receiver has got every delivery, counted by distinct (path, `webhook-id`), so a delivery sent twice
//! counts once (the duplicates are printed). The receiver and the worker share the runtime's two threads
//! and the machine's cores. For finding what bounds it: `CHAMADO_BENCH_DURABLE=0` commits without
//! fsync, `CHAMADO_BENCH_POLL_MS` and `CHAMADO_BENCH_CLAIM_BATCH` set the worker's `poll_interval_ms` and
//! `claim_batch`; the rounds print the CPU time per delivery and how many deliveries the worker handed
//! back unattempted (its receiver's slots and waiting chains full, they come back after `busy_delay_ms`).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chamado::{Actor, Customer, CustomerUser, Engine, EventType, NewTicket, WebhookSubscription};
use chamado_redb::RedbOptions;
use chamado_runtime::Metrics;
use chamado_webhooks::{WebhookWorker, WorkerConfig};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map(String::as_str).unwrap_or("help");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    match scenario {
        "create-subs" => create_subs(&rt),
        "deliveries" => deliveries(&rt),
        _ => eprintln!("scenarios: create-subs, deliveries"),
    }
}

fn median<T: Copy + PartialOrd>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn scratch(what: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-webhooks");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{what}-{}.redb", std::process::id()))
}

/// CPU time of every thread of this process so far, in nanoseconds (Linux `/proc/self/task/*/schedstat`).
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0 };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// Bytes this process has caused to be written to storage so far (Linux `/proc/self/io`).
fn written_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("write_bytes: ").and_then(|v| v.trim().parse().ok())))
        .unwrap_or(0)
}

/// A seeded engine on a fresh redb file with the subscriptions `subs`.
async fn engine(path: &std::path::Path, durable: bool, subs: Vec<WebhookSubscription>, allow_private: bool) -> Engine {
    let store = RedbOptions::new().durable(durable).open(path).unwrap();
    let mut config = chamado::EngineConfig::default();
    config.webhooks.allow_private_targets = allow_private;
    let engine = Engine::builder(store).config(config).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let admin = engine.admin(&Actor::agent("admin")).await.unwrap();
    admin.put_customer(Customer::new("acme", "Acme Inc.")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    for s in subs {
        admin.put_webhook(s).await.unwrap();
    }
    engine
}

/// The first `n` of the three kinds of subscription `create-subs` uses.
fn three_kinds(n: usize) -> Vec<WebhookSubscription> {
    let kinds: [(&str, Vec<EventType>, Vec<String>); 3] = [
        ("https://crm.example/hooks", EventType::ALL.to_vec(), Vec::new()),
        ("https://chat.example/hooks", vec![EventType::TicketCreated], Vec::new()),
        ("https://oncall.example/hooks", vec![EventType::TicketCreated, EventType::StateChanged], vec!["Raw".into()]),
    ];
    kinds
        .into_iter()
        .take(n)
        .map(|(url, events, queues)| {
            let mut s = WebhookSubscription::new("", url, events, SECRET);
            s.queues = queues;
            s
        })
        .collect()
}

/// Opens `total` tickets as alice from `tasks` tasks.
async fn open_tickets(engine: &Engine, tasks: usize, total: usize) {
    let mut hs = Vec::new();
    for t in 0..tasks {
        let engine = engine.clone();
        let per = total / tasks + usize::from(t < total % tasks);
        hs.push(tokio::spawn(async move {
            let alice = Actor::customer("alice");
            for i in 0..per {
                let new = NewTicket::new(
                    format!("bench {t}/{i}"),
                    "Since this morning our mails to the branch office come back undelivered.",
                    "Raw",
                );
                std::hint::black_box(engine.create_ticket(&alice, new).await.unwrap());
            }
        }));
    }
    for h in hs {
        h.await.unwrap();
    }
}

/// Tickets per second created by `tasks` tasks, the CPU microseconds and bytes written per ticket.
async fn create(tasks: usize, total: usize, subscriptions: usize, durable: bool) -> (f64, f64, u64) {
    let path = scratch("create");
    let engine = engine(&path, durable, three_kinds(subscriptions), false).await;
    let per = total / tasks;
    let (cpu, written) = (cpu_ns(), written_bytes());
    let start = Instant::now();
    open_tickets(&engine, tasks, per * tasks).await;
    let n = (per * tasks) as f64;
    let rate = n / start.elapsed().as_secs_f64();
    let cpu = (cpu_ns() - cpu) as f64 / 1_000.0 / n;
    let written = (written_bytes() - written) / (per * tasks) as u64;
    // Every ticket logged its two events (ticket.created, article.added); deliveries are made from the
    // log by the delivery loop, which this bench does not run. Without fsync the log's readers see only
    // what a durable commit covered, so the cursor may stay behind there.
    let logged = engine.latest_event_cursor().await.unwrap() as usize;
    if durable {
        assert_eq!(logged, 2 * per * tasks + 2);
    } else {
        assert!(logged <= 2 * per * tasks + 2, "{logged} events");
    }
    drop(engine);
    let _ = std::fs::remove_file(&path);
    (rate, cpu, written)
}

fn create_subs(rt: &tokio::runtime::Runtime) {
    for durable in [true, false] {
        for (tasks, total) in [(64usize, 10_240usize), (1, 2_000)] {
            let label = format!("create, {tasks} task(s), {}", if durable { "durable" } else { "not durable" });
            let mut runs: [Vec<(f64, f64, u64)>; 2] = [Vec::new(), Vec::new()];
            for r in 0..ROUNDS {
                let order = if r % 2 == 0 { [3, 0] } else { [0, 3] };
                for subs in order {
                    let (rate, cpu, bytes) = rt.block_on(create(tasks, total, subs, durable));
                    println!(
                        "{label}, {subs} subscriptions: round {r}: {rate:.0}/s, {cpu:.1} µs CPU and {bytes} bytes written per ticket"
                    );
                    runs[usize::from(subs == 0)].push((rate, cpu, bytes));
                }
            }
            let [(a, ca, wa), (b, cb, wb)] = runs.map(|v| {
                (
                    median(v.iter().map(|x| x.0).collect()),
                    median(v.iter().map(|x| x.1).collect()),
                    median(v.iter().map(|x| x.2).collect()),
                )
            });
            println!(
                "{label}: MEDIAN with 3 subscriptions {a:.0}/s, with none {b:.0}/s: {:.1}% of it (cost {:.1}%); CPU per ticket {ca:.1} µs against {cb:.1} µs ({:+.1}%); written per ticket {wa} against {wb} bytes",
                100.0 * a / b,
                100.0 * (b - a) / b,
                100.0 * (ca - cb) / cb
            );
        }
    }
}

/// What the receiver got: each (path, `webhook-id`) once, how many requests in all, and when the last
/// new one came.
#[derive(Default)]
struct Received {
    distinct: HashSet<(u32, String)>,
    requests: usize,
    last_new: Option<Instant>,
}

/// A receiver on loopback answering 204 at once to `POST /hook/{n}`; answers its base URL.
async fn receiver(got: Arc<Mutex<Received>>) -> String {
    use axum::extract::Path;
    use axum::http::{HeaderMap, StatusCode};
    let app = axum::Router::new().route(
        "/hook/{n}",
        axum::routing::post(move |Path(n): Path<u32>, headers: HeaderMap| {
            let id = headers.get("webhook-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            let mut g = got.lock().unwrap();
            g.requests += 1;
            if g.distinct.insert((n, id)) {
                g.last_new = Some(Instant::now());
            }
            drop(g);
            async { StatusCode::NO_CONTENT }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// The `outcome` series of `chamado_webhook_deliveries_total` in a scrape.
fn outcome(scrape: &str, which: &str) -> u64 {
    let prefix = format!("chamado_webhook_deliveries_total{{outcome=\"{which}\"}} ");
    scrape.lines().find_map(|l| l.strip_prefix(prefix.as_str())?.trim().parse().ok()).unwrap_or(0)
}

/// The worker's settings: the defaults, but for `CHAMADO_BENCH_POLL_MS` and `CHAMADO_BENCH_CLAIM_BATCH`.
fn worker_config() -> WorkerConfig {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let d = WorkerConfig::default();
    WorkerConfig {
        poll_interval_ms: env("CHAMADO_BENCH_POLL_MS").unwrap_or(d.poll_interval_ms),
        claim_batch: env("CHAMADO_BENCH_CLAIM_BATCH").map_or(d.claim_batch, |n| n as usize),
        ..d
    }
}

/// What one round of `deliveries` measured.
struct Round {
    /// Deliveries per second, until the receiver had the last one.
    rate: f64,
    /// Attempts the worker counted as delivered.
    delivered: u64,
    /// Deliveries handed back unattempted (the receiver's slots and waiting chains full).
    released: u64,
    /// Requests beyond one per delivery.
    duplicates: usize,
    /// CPU time of the whole process (worker, store, receiver) per delivery, in microseconds.
    cpu_us: f64,
}

/// One round: `tickets` tickets' deliveries to `subscriptions` paths of the receiver.
async fn deliver_round(subscriptions: u32, tickets: usize, durable: bool) -> Round {
    let got = Arc::new(Mutex::new(Received::default()));
    let base = receiver(got.clone()).await;
    let subs = (0..subscriptions)
        .map(|n| {
            WebhookSubscription::new(
                "",
                &format!("{base}/hook/{n}"),
                vec![EventType::TicketCreated, EventType::ArticleAdded],
                SECRET,
            )
        })
        .collect();
    let path = scratch("deliveries");
    let engine = engine(&path, durable, subs, true).await;
    open_tickets(&engine, 64, tickets).await;
    let expected = 2 * tickets * subscriptions as usize;
    let metrics = Metrics::new(&engine);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (start, cpu) = (Instant::now(), cpu_ns());
    let worker = WebhookWorker::new(engine.clone(), worker_config()).unwrap().with_metrics(&metrics);
    let running = worker.spawn(stopped);
    let last = loop {
        let (n, last) = {
            let g = got.lock().unwrap();
            (g.distinct.len(), g.last_new)
        };
        if n == expected {
            break last.unwrap();
        }
        assert!(start.elapsed() < Duration::from_secs(600), "only {n} of {expected} deliveries within 10 minutes");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let rate = expected as f64 / (last - start).as_secs_f64();
    let cpu_us = (cpu_ns() - cpu) as f64 / 1_000.0 / expected as f64;
    stop.send(true).unwrap();
    running.await.unwrap();
    let scrape = metrics.render().await;
    let requests = got.lock().unwrap().requests;
    assert_eq!(engine.webhooks_pending().await.unwrap(), 0, "every delivery recorded as sent");
    drop(engine);
    let _ = std::fs::remove_file(&path);
    Round {
        rate,
        delivered: outcome(&scrape, "delivered"),
        released: outcome(&scrape, "released"),
        duplicates: requests.saturating_sub(expected),
        cpu_us,
    }
}

fn deliveries(rt: &tokio::runtime::Runtime) {
    // About 4,000 deliveries a round either way.
    const RUNS: [(u32, usize); 2] = [(1, 2_000), (4, 500)];
    // `CHAMADO_BENCH_DURABLE=0`: commits without fsync, to see what the disk costs.
    let durable = std::env::var("CHAMADO_BENCH_DURABLE").ok().is_none_or(|v| v != "0");
    for (subscriptions, tickets) in RUNS {
        let label = format!(
            "deliveries, {subscriptions} subscription(s), {tickets} tickets, {}",
            if durable { "durable" } else { "not durable" }
        );
        let mut rates = Vec::new();
        for r in 0..ROUNDS {
            let x = rt.block_on(deliver_round(subscriptions, tickets, durable));
            println!(
                "{label}: round {r}: {} deliveries at {:.0}/s, {:.0} µs CPU each ({} attempts delivered, {} handed back unattempted, {} duplicates)",
                2 * tickets * subscriptions as usize,
                x.rate,
                x.cpu_us,
                x.delivered,
                x.released,
                x.duplicates
            );
            rates.push(x.rate);
        }
        println!(
            "{label}: MEDIAN {:.0}/s (rounds {})",
            median(rates.clone()),
            rates.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(" / ")
        );
    }
}
