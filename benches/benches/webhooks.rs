//! What webhooks cost and how fast they go out (issue #24). One binary, one scenario per run:
//!
//! ```text
//! cargo bench -p chamado-benches --bench webhooks -- create-subs   # creation with 3 subscriptions next to none
//! ```
//!
//! `create-subs` times ticket creation through the engine on a fresh durable redb file with three
//! enabled subscriptions (all events, `ticket.created` only, and one filtered to the queue) next to the same
//! with none, 64 tasks and 1 task, rounds alternating in one process. Both write the event log (it is
//! always on: the event feed reads it); with subscriptions each ticket's commit also writes one fan-out
//! entry.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chamado::{Actor, Customer, CustomerUser, Engine, EventType, NewTicket, WebhookSubscription};
use chamado_redb::RedbOptions;
use std::path::PathBuf;
use std::time::Instant;

const ROUNDS: usize = 3;
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map(String::as_str).unwrap_or("help");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    match scenario {
        "create-subs" => create_subs(&rt),
        _ => eprintln!("scenarios: create-subs"),
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

/// A seeded engine on a fresh redb file, with `subscriptions` of the three kinds `create-subs` uses.
async fn engine(path: &std::path::Path, durable: bool, subscriptions: usize, allow_private: bool) -> Engine {
    let store = RedbOptions::new().durable(durable).open(path).unwrap();
    let mut config = chamado::EngineConfig::default();
    config.webhooks.allow_private_targets = allow_private;
    let engine = Engine::builder(store).config(config).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let admin = engine.admin(&Actor::agent("admin")).await.unwrap();
    admin.put_customer(Customer::new("acme", "Acme Inc.")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    let kinds: [(&str, Vec<EventType>, Vec<String>); 3] = [
        ("https://crm.example/hooks", EventType::ALL.to_vec(), Vec::new()),
        ("https://chat.example/hooks", vec![EventType::TicketCreated], Vec::new()),
        ("https://oncall.example/hooks", vec![EventType::TicketCreated, EventType::StateChanged], vec!["Raw".into()]),
    ];
    for (url, events, queues) in kinds.into_iter().take(subscriptions) {
        let mut s = WebhookSubscription::new("", url, events, SECRET);
        s.queues = queues;
        admin.put_webhook(s).await.unwrap();
    }
    engine
}

/// Tickets per second created by `tasks` tasks, the CPU microseconds and bytes written per ticket.
async fn create(tasks: usize, total: usize, subscriptions: usize, durable: bool) -> (f64, f64, u64) {
    let path = scratch("create");
    let engine = engine(&path, durable, subscriptions, false).await;
    let per = total / tasks;
    let (cpu, written) = (cpu_ns(), written_bytes());
    let start = Instant::now();
    let mut hs = Vec::new();
    for t in 0..tasks {
        let engine = engine.clone();
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
    let n = (per * tasks) as f64;
    let rate = n / start.elapsed().as_secs_f64();
    let cpu = (cpu_ns() - cpu) as f64 / 1_000.0 / n;
    let written = (written_bytes() - written) / (per * tasks) as u64;
    // With subscriptions, every ticket queued exactly one fan-out entry.
    let pending = engine.webhooks_pending().await.unwrap();
    assert_eq!(pending, if subscriptions > 0 { (per * tasks) as u64 } else { 0 });
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
