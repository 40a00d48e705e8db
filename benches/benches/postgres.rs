//! Benchmarks of the PostgreSQL store. One binary, one scenario per run; needs
//! `CHAMADO_TEST_DATABASE_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`):
//!
//! ```text
//! cargo bench -p chamado-benches --bench postgres -- create-1node   # engine, 64 tasks, one node
//! cargo bench -p chamado-benches --bench postgres -- create-2nodes  # engine, 64 tasks over two nodes
//! cargo bench -p chamado-benches --bench postgres -- commit-1node   # Store::commit alone, 64 tasks (ceiling)
//! cargo bench -p chamado-benches --bench postgres -- load-1m        # 1M tickets of 20k users, once
//! cargo bench -p chamado-benches --bench postgres -- query-1m       # first pages and full-text search p50/p99
//! ```
//!
//! The creation scenarios run 3 rounds (`CHAMADO_BENCH_ROUNDS=n` for more on a noisy machine), each on a
//! fresh schema, and time only after a warm-up of 8 creations (commits) per task. With
//! `CHAMADO_BENCH_COMPARE=1` each round runs twice, with group commit (the default) and without
//! (`PgStore::with_group_commit(false)`, each commit its own transaction as before), alternating, and
//! `query-1m` times the queue overview with kept counts and with `count(*)` over the listing's index
//! (`PgStore::with_scanned_counts(true)`), alternating.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::type_complexity)]

use chamado::testkit::{article, ticket};
use chamado::{
    Actor, ChannelKind, Commit, Customer, CustomerUser, Engine, HistoryEntry, HistoryKind, NewTicket, StateType, Store,
    TicketId, TicketIndex, TicketWrite, Timestamp,
};
use chamado_postgres::PgStore;

#[path = "support/queue_overview.rs"]
mod queue_overview;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;
const BIG_TICKETS: u64 = 1_000_000;
const BIG_USERS: u64 = 20_000;
const QUEUES: u64 = 10;
/// Distinct rare terms: each title has one, so a term is in about 1M / 5000 = 200 tickets. A common word is
/// in the title or one of the two body words of about 1 - (15/16)^3 of the tickets (~150,000 measured).
const TERMS: u64 = 5_000;
const WORDS: [&str; 16] = [
    "printer", "toner", "network", "vpn", "laptop", "password", "email", "invoice", "screen", "keyboard", "backup",
    "server", "license", "phone", "meeting", "access",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map(String::as_str).unwrap_or("help");
    let Ok(url) = std::env::var("CHAMADO_TEST_DATABASE_URL") else {
        eprintln!("skipped: set CHAMADO_TEST_DATABASE_URL");
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let compare = std::env::var("CHAMADO_BENCH_COMPARE").is_ok_and(|v| v == "1");
    match scenario {
        "create-1node" => {
            rounds("engine create, 64 tasks, 1 node", compare, |group| rt.block_on(create(&url, 1, 4_000, group)))
        }
        "create-2nodes" => {
            rounds("engine create, 64 tasks, 2 nodes", compare, |group| rt.block_on(create(&url, 2, 4_000, group)))
        }
        "commit-1node" => rounds("store commit (ticket, article, 2 history), 64 tasks, 1 node", compare, |group| {
            rt.block_on(commit_only(&url, 4_000, group))
        }),
        "load-1m" => rt.block_on(load_big(&url)),
        "query-1m" => rt.block_on(query_big(&url, compare)),
        _ => eprintln!("scenarios: create-1node create-2nodes commit-1node load-1m query-1m"),
    }
}

/// Runs `f` (given whether group commit is on) for the rounds; with `compare`, each round also without
/// group commit, alternating which goes first.
/// One round's figures: tickets per second, p99 latency, and CPU time per ticket (this process, the
/// PostgreSQL server's processes) when `/proc` tells.
type Round = (f64, Duration, Option<(f64, f64)>);

/// Runs `f` (given whether group commit is on) for the rounds; with `compare`, each round also without
/// group commit, alternating which goes first.
fn rounds(name: &str, compare: bool, mut f: impl FnMut(bool) -> Round) {
    let modes: &[(bool, &str)] = if compare { &[(true, "group commit"), (false, "alone")] } else { &[(true, "")] };
    let mut rates = vec![Vec::new(); modes.len()];
    let mut p99s = vec![Vec::new(); modes.len()];
    let mut cpus = vec![Vec::new(); modes.len()];
    let rounds = std::env::var("CHAMADO_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(ROUNDS);
    for i in 0..rounds.max(1) {
        for k in 0..modes.len() {
            let m = (i + k) % modes.len();
            let (group, label) = modes[m];
            let (rate, p99, cpu) = f(group);
            let cpu_text = cpu.map_or(String::new(), |(me, pg)| {
                cpus[m].push(me + pg);
                format!(", CPU per ticket: bench {me:.0} us + postgres {pg:.0} us")
            });
            println!("{name} {label}: round {i}: {rate:.0} tickets/s, p99 {:.2} ms{cpu_text}", p99.as_secs_f64() * 1e3);
            rates[m].push(rate);
            p99s[m].push(p99);
        }
    }
    for (m, (_, label)) in modes.iter().enumerate() {
        rates[m].sort_by(f64::total_cmp);
        p99s[m].sort();
        cpus[m].sort_by(f64::total_cmp);
        // What 2 cores of their own would allow at that CPU cost (the bench's client included).
        let ceiling = cpus[m].get(cpus[m].len() / 2).map_or(String::new(), |us| {
            format!(", median CPU {us:.0} us per ticket (2 cores: at most {:.0}/s)", 2e6 / us)
        });
        println!(
            "{name} {label}: median {:.0} tickets/s, median p99 {:.2} ms (rounds {:?}){ceiling}",
            rates[m][rates[m].len() / 2],
            p99s[m][p99s[m].len() / 2].as_secs_f64() * 1e3,
            rates[m].iter().map(|r| r.round() as u64).collect::<Vec<_>>()
        );
    }
}

/// CPU time used so far, in microseconds, by this process and by every process named `postgres` (the
/// local server's backends, WAL writer and the rest), from `/proc` (Linux; `None` elsewhere). Clock
/// ticks are Linux's fixed USER_HZ of 100 a second.
fn cpu_us() -> Option<(f64, f64)> {
    fn ticks(stat: &str) -> Option<(String, u64)> {
        let open = stat.find('(')?;
        let close = stat.rfind(')')?;
        let comm = stat.get(open + 1..close)?.to_string();
        let fields: Vec<&str> = stat.get(close + 2..)?.split(' ').collect();
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
        Some((comm, fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?))
    }
    let me = ticks(&std::fs::read_to_string("/proc/self/stat").ok()?)?.1;
    let mut pg = 0;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        if let Ok(stat) = std::fs::read_to_string(entry.path().join("stat"))
            && let Some((comm, t)) = ticks(&stat)
            && comm == "postgres"
        {
            pg += t;
        }
    }
    Some((me as f64 * 1e4, pg as f64 * 1e4))
}

/// CPU per ticket between two [`cpu_us`] readings.
fn cpu_per(before: Option<(f64, f64)>, after: Option<(f64, f64)>, tickets: usize) -> Option<(f64, f64)> {
    let ((m0, p0), (m1, p1)) = (before?, after?);
    let n = tickets.max(1) as f64;
    Some(((m1 - m0) / n, (p1 - p0) / n))
}

async fn fresh_schema(url: &str, name: &str) {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("DROP SCHEMA IF EXISTS {name} CASCADE")).await.unwrap();
}

/// `n` tickets created by 64 tasks spread over `nodes` engines on one database.
async fn create(url: &str, nodes: usize, n: usize, group: bool) -> Round {
    let schema = "chamado_bench_create";
    fresh_schema(url, schema).await;
    let mut engines = Vec::new();
    for _ in 0..nodes {
        let store = PgStore::connect_with(url, Some(schema), 32).await.unwrap().with_group_commit(group);
        engines.push(Engine::builder(store).build().unwrap());
    }
    engines[0].seed_defaults("admin").await.unwrap();
    let a = engines[0].admin(&Actor::System).await.unwrap();
    a.put_customer(Customer::new("acme", "Acme")).await.unwrap();
    a.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    // Warm the nodes first (pool connections opened, statements prepared and past PostgreSQL's first custom
    // plans, caches filled): the figures are the steady state of a running node. Warm-up is not counted.
    let per_task = n / 64;
    creates(&engines, 0..8).await;
    let (start, cpu) = (Instant::now(), cpu_us());
    let mut lat = creates(&engines, 8..8 + per_task).await;
    let rate = lat.len() as f64 / start.elapsed().as_secs_f64();
    let cpu = cpu_per(cpu, cpu_us(), lat.len());
    lat.sort();
    (rate, lat[lat.len() * 99 / 100], cpu)
}

/// 64 tasks spread over `engines`, each creating tickets number `range` one after another; their latencies.
async fn creates(engines: &[Engine], range: std::ops::Range<usize>) -> Vec<Duration> {
    let mut tasks = Vec::new();
    for t in 0..64 {
        let e = engines[t % engines.len()].clone();
        let range = range.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(range.len());
            for i in range {
                let s = Instant::now();
                e.create_ticket(
                    &Actor::customer("alice"),
                    NewTicket::new(format!("t{t}-{i}"), "x".repeat(1024), "Raw"),
                )
                .await
                .unwrap();
                lat.push(s.elapsed());
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    lat
}

/// `n` engine-shaped commits (a new ticket, its first article, two history rows) by 64 tasks on one store:
/// what the store can take when the engine's own work and reads are out of the way.
async fn commit_only(url: &str, n: usize, group: bool) -> Round {
    let schema = "chamado_bench_commit";
    fresh_schema(url, schema).await;
    let store = Arc::new(PgStore::connect_with(url, Some(schema), 32).await.unwrap().with_group_commit(group));
    // Warm the pool first (connections opened, statements prepared and past PostgreSQL's first custom
    // plans), so the figures are the steady state a running node sees; warm-up commits are not counted.
    let per_task = n / 64;
    let warm = 8;
    let tasks: Vec<_> = (0..64u64)
        .map(|t| tokio::spawn(commit_run(store.clone(), t, per_task + warm, per_task..per_task + warm)))
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let (start, cpu) = (Instant::now(), cpu_us());
    let tasks: Vec<_> =
        (0..64u64).map(|t| tokio::spawn(commit_run(store.clone(), t, per_task + warm, 0..per_task))).collect();
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let rate = lat.len() as f64 / start.elapsed().as_secs_f64();
    let cpu = cpu_per(cpu, cpu_us(), lat.len());
    lat.sort();
    (rate, lat[lat.len() * 99 / 100], cpu)
}

/// Task `t`'s commits number `range` (of `stride` per task), one after another; their latencies.
async fn commit_run(store: Arc<PgStore>, t: u64, stride: usize, range: std::ops::Range<usize>) -> Vec<Duration> {
    let mut lat = Vec::with_capacity(range.len());
    for i in range {
        let id = 1 + t * stride as u64 + i as u64;
        let mut c = Commit::default();
        c.tickets.push(TicketWrite { ticket: ticket(id, id as i64), expected_version: 0 });
        c.articles.push(article(id, id, None));
        for kind in [HistoryKind::Created, HistoryKind::ArticleAdded] {
            c.history.push(HistoryEntry {
                ticket_id: TicketId(id),
                at: Timestamp(id as i64),
                actor: "customer:alice".into(),
                kind,
                message: format!("ticket {id}"),
                text: None,
            });
        }
        let s = Instant::now();
        store.commit(c).await.unwrap();
        lat.push(s.elapsed());
    }
    lat
}

const BIG_SCHEMA: &str = "chamado_bench_1m";

async fn load_big(url: &str) {
    let store = Arc::new(PgStore::connect_with(url, Some(BIG_SCHEMA), 8).await.unwrap());
    let have = store.list_tickets(&TicketIndex::StateType(StateType::Open), None, 1).await.unwrap().items.len();
    if have > 0 {
        println!("{BIG_SCHEMA} already loaded");
        return;
    }
    let start = Instant::now();
    let batch = 500u64;
    let workers = 4u64;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut first = 1 + w * batch;
            while first <= BIG_TICKETS {
                let mut c = Commit::default();
                for id in first..(first + batch).min(BIG_TICKETS + 1) {
                    let mut t = ticket(id, id as i64);
                    t.number = format!("20261127{id:010}");
                    t.customer_user = Some(format!("user{}", id % BIG_USERS));
                    t.customer_id = Some(format!("customer{}", id % (BIG_USERS / 10)));
                    t.queue = format!("Queue{}", id % QUEUES);
                    t.title = format!("{} {}", WORDS[(id % 16) as usize], term(id, 1));
                    if id % 3 == 0 {
                        t.state = "closed successful".into();
                        t.state_type = StateType::Closed;
                    }
                    let mut a = article(id, id, Some(&format!("<{id}@bench>")));
                    a.body = format!(
                        "{} {} {}",
                        WORDS[(id / 7 % 16) as usize],
                        WORDS[(id / 3 % 16) as usize],
                        "x ".repeat(400)
                    );
                    a.channel = ChannelKind::Email;
                    c.tickets.push(TicketWrite { ticket: t, expected_version: 0 });
                    c.articles.push(a);
                }
                store.commit(c).await.unwrap();
                first += batch * workers;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    println!("loaded {BIG_TICKETS} tickets in {:.0} s", start.elapsed().as_secs_f64());
    // Statistics now rather than whenever autovacuum comes by: full-text search plans by word frequency.
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("VACUUM ANALYZE {BIG_SCHEMA}.tickets")).await.unwrap();
}

/// A pseudo-random rare term for ticket `id`, slot `k`.
fn term(id: u64, k: u64) -> String {
    let x = id.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17 * k as u32) ^ k.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    format!("t{}", x % TERMS)
}

fn percentiles(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    (v[v.len() / 2].as_secs_f64() * 1e3, v[v.len() * 99 / 100].as_secs_f64() * 1e3)
}

async fn query_big(url: &str, compare: bool) {
    let store = PgStore::connect_with(url, Some(BIG_SCHEMA), 8).await.unwrap();
    for (name, index) in [
        (
            "customer user's first page (50)",
            (0..500u64).map(|i| TicketIndex::CustomerUser(format!("user{}", i * 37 % BIG_USERS))).collect::<Vec<_>>(),
        ),
        (
            "queue's open tickets first page (50)",
            (0..500u64)
                .map(|i| TicketIndex::Queue {
                    queue: format!("Queue{}", i % QUEUES),
                    state_type: Some(StateType::Open),
                })
                .collect(),
        ),
    ] {
        let mut lat = Vec::new();
        for ix in &index {
            let s = Instant::now();
            let page = store.list_tickets(ix, None, 50).await.unwrap();
            lat.push(s.elapsed());
            assert!(!page.items.is_empty());
        }
        let (p50, p99) = percentiles(lat);
        println!("{name}: p50 {p50:.2} ms, p99 {p99:.2} ms over {} queries", index.len());
    }
    for st in [StateType::Open, StateType::Closed, StateType::PendingAuto] {
        let mut lat = Vec::new();
        let mut n = 0;
        for i in 0..100u64 {
            let ix = TicketIndex::Queue { queue: format!("Queue{}", i % QUEUES), state_type: Some(st) };
            let s = Instant::now();
            n = store.count_tickets(&ix).await.unwrap();
            lat.push(s.elapsed());
        }
        let (p50, p99) = percentiles(lat);
        println!("count of a queue's {st:?} tickets (~{n}): p50 {p50:.2} ms, p99 {p99:.2} ms over 100 queries");
    }
    let kinds: [(&str, fn(usize) -> String); 4] = [
        ("one rare term (~200 tickets)", |i| format!("t{}", i * 7 % TERMS as usize)),
        ("common word + rare term (~35)", |i| format!("{} t{}", WORDS[i % 16], i * 13 % TERMS as usize)),
        ("one common word (~150,000)", |i| WORDS[i % 16].to_string()),
        ("two rare terms (mostly none)", |i| format!("t{} t{}", i * 7 % TERMS as usize, i * 11 % TERMS as usize)),
    ];
    for (name, query) in kinds {
        let mut lat = Vec::new();
        let mut hits_total = 0;
        for i in 0..200usize {
            let q = query(i);
            let s = Instant::now();
            hits_total += store.search_tickets(&q, 50).await.unwrap().len();
            lat.push(s.elapsed());
        }
        let (p50, p99) = percentiles(lat);
        println!(
            "full-text search, {name}, first 50 by recency: p50 {p50:.2} ms, p99 {p99:.2} ms over 200 queries ({hits_total} hits)"
        );
    }
    let _ = Timestamp(0);

    // The agent queue view's counts: every queue (10 of the load, 4 seeded) by 5 state types, 200 views a
    // pass (the first of each pass on a new store, so p99 is the second slowest); with `compare`,
    // alternating with counts over the listing's index, 3 passes each.
    let modes: &[(bool, &str)] =
        if compare { &[(false, "kept counts"), (true, "count(*) over the index")] } else { &[(false, "kept counts")] };
    let passes = if compare { 3 } else { 1 };
    for pass in 0..passes {
        for &(scanned, label) in modes {
            let store = PgStore::connect_with(url, Some(BIG_SCHEMA), 8).await.unwrap().with_scanned_counts(scanned);
            let (_, lat, counted) = queue_overview::time_queue_overview(store, QUEUES, 200).await;
            let (p50, p99) = percentiles(lat);
            println!(
                "queue overview ({} queues x 5 state types, {counted} tickets), {label}, pass {pass}: p50 {p50:.2} ms, p99 {p99:.2} ms",
                QUEUES + 4
            );
        }
    }
}
