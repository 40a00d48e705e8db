//! Benchmarks of the redb store. One binary, one scenario per run:
//!
//! ```text
//! cargo bench -p chamado-benches --bench redb -- create-seq          # engine, durable, one task
//! cargo bench -p chamado-benches --bench redb -- create-concurrent   # engine, durable, 64 tasks
//! cargo bench -p chamado-benches --bench redb -- store-seq           # RedbStore::commit, one task
//! cargo bench -p chamado-benches --bench redb -- store-concurrent    # RedbStore::commit, 64 tasks
//! cargo bench -p chamado-benches --bench redb -- raw                 # raw redb, 1 and 64 tickets/commit
//! cargo bench -p chamado-benches --bench redb -- side-by-side        # all of the above, search off and on, one table
//! cargo bench -p chamado-benches --bench redb -- quick-repair        # store-seq with quick repair on
//! cargo bench -p chamado-benches --bench redb -- lookup              # ticket_by_number, 100k tickets
//! cargo bench -p chamado-benches --bench redb -- upgrade-1m          # schema 1 -> 2 upgrade of the 1M file
//! cargo bench -p chamado-benches --bench redb -- load-1m             # builds target/bench-data/redb-1m.redb once
//! cargo bench -p chamado-benches --bench redb -- query-1m            # open time, size, first pages p50/p99
//! cargo bench -p chamado-benches --bench redb -- kill-1m             # open time after SIGKILL of a writer
//! cargo bench -p chamado-benches --bench redb -- kill-1m-quick-repair  # the same, writer with quick repair on
//! cargo bench -p chamado-benches --bench redb -- compact-1m          # compacts the file, size per ticket
//! ```
//!
//! Each throughput scenario runs several rounds and prints every round and the median. With
//! `CHAMADO_BENCH_SEARCH=1` the store keeps its full-text search index (`RedbOptions::full_text_search`);
//! `query-1m` then builds it on the first open of the 1M file (timed) and adds search timings.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chamado::{
    Actor, Article, ArticleId, ChannelKind, Commit, Customer, CustomerUser, Engine, HistoryEntry, HistoryKind, Lock,
    NewTicket, Priority, SenderType, StateType, Store, Ticket, TicketId, TicketIndex, TicketWrite, Timestamp,
};
use chamado_redb::{RedbOptions, RedbStore};

#[path = "support/prose.rs"]
mod prose;
#[path = "support/queue_overview.rs"]
mod queue_overview;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;
const BIG_TICKETS: u64 = 1_000_000;
const BIG_USERS: u64 = 20_000;
const QUEUES: u64 = 10;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map(String::as_str).unwrap_or("help");
    std::hint::black_box(body_1k(0));
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    match scenario {
        "create-seq" => rounds("engine create, 1 task, durable", || rt.block_on(engine_create(1, 1_000))),
        "create-concurrent" => rounds("engine create, 64 tasks, durable", || rt.block_on(engine_create(64, 10_000))),
        "store-seq" => rounds("store commit, 1 task, durable", || rt.block_on(store_commit(1, 1_000, false))),
        "store-concurrent" => {
            rounds("store commit, 64 tasks, durable", || rt.block_on(store_commit(64, 10_000, false)))
        }
        "quick-repair" => {
            rounds("store commit, 1 task, durable, quick repair", || rt.block_on(store_commit(1, 1_000, true)));
            rounds("store commit, 64 tasks, durable, quick repair", || rt.block_on(store_commit(64, 10_000, true)));
        }
        "raw" => {
            rounds("raw redb, 1 ticket per commit", || raw_redb(1, 1_000));
            rounds("raw redb, 64 tickets per commit", || raw_redb(64, 10_000));
        }
        "side-by-side" => side_by_side(&rt),
        "lookup" => lookup(&rt),
        "load-1m" => rt.block_on(load_big(&big_path())),
        "query-1m" => rt.block_on(query_big(&big_path())),
        "upgrade-1m" => upgrade_big(&big_path()),
        "kill-1m" => kill_big(&big_path(), false),
        "kill-1m-quick-repair" => kill_big(&big_path(), true),
        "compact-1m" => {
            let path = big_path();
            let before = std::fs::metadata(&path).unwrap().len();
            let t = Instant::now();
            RedbStore::compact_file(&path).unwrap();
            let after = std::fs::metadata(&path).unwrap().len();
            println!(
                "compacted in {:?}: {before} -> {after} bytes, {:.0} bytes per ticket",
                t.elapsed(),
                after as f64 / BIG_TICKETS as f64
            );
        }
        "child-writer" => rt.block_on(child_writer(Path::new(&args[1]), args.get(2).is_some_and(|a| a == "qr"))),
        _ => {
            eprintln!(
                "scenarios: create-seq create-concurrent store-seq store-concurrent quick-repair raw side-by-side lookup load-1m query-1m upgrade-1m kill-1m"
            );
        }
    }
}

/// Bytes this process has caused to be written to storage so far (Linux `/proc/self/io`).
fn written_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("write_bytes: ").and_then(|v| v.trim().parse().ok())))
        .unwrap_or(0)
}

fn rounds(name: &str, mut f: impl FnMut() -> f64) {
    let mut v: Vec<f64> = (0..ROUNDS)
        .map(|r| {
            let x = f();
            println!("{name}: round {r}: {x:.0}/s");
            x
        })
        .collect();
    v.sort_by(f64::total_cmp);
    println!("{name}: MEDIAN {:.0}/s", v[v.len() / 2]);
}

fn scratch(tag: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{tag}-{}.redb", std::process::id()));
    let _ = std::fs::remove_file(&p);
    p
}

fn big_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("redb-1m.redb")
}

/// The store's options: the defaults, with full-text search when `CHAMADO_BENCH_SEARCH=1`.
fn options() -> RedbOptions {
    let options = RedbOptions::new();
    let search = match SEARCH.load(std::sync::atomic::Ordering::Relaxed) {
        0 => std::env::var("CHAMADO_BENCH_SEARCH").is_ok_and(|v| v == "1"),
        n => n == 2,
    };
    if search { options.full_text_search(true) } else { options }
}

/// Set by `side-by-side`: 0 reads `CHAMADO_BENCH_SEARCH`, 1 search off, 2 search on.
static SEARCH: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);
/// Bytes written per ticket by the last throughput run (from `/proc/self/io`).
static LAST_BYTES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Every writer scenario in one process, rounds interleaved, so that the ratios to raw redb hold
/// for one moment of this shared machine: raw redb at 1 and 64 tickets per commit, then
/// `RedbStore::commit` and engine creation, one task and 64, search off and on. Prints a table of
/// medians with each figure's share of raw redb at the same batch size, and bytes written per ticket.
fn side_by_side(rt: &tokio::runtime::Runtime) {
    use std::sync::atomic::Ordering::Relaxed;
    type Run<'a> = (&'a str, usize, u8, Box<dyn Fn() -> f64 + 'a>);
    let runs: Vec<Run> = vec![
        ("raw redb", 1, 0, Box::new(|| raw_redb(1, 1_000))),
        ("raw redb", 64, 0, Box::new(|| raw_redb(64, 10_000))),
        ("store-seq", 1, 1, Box::new(|| rt.block_on(store_commit(1, 1_000, false)))),
        ("store-concurrent", 64, 1, Box::new(|| rt.block_on(store_commit(64, 10_000, false)))),
        ("create-seq", 1, 1, Box::new(|| rt.block_on(engine_create(1, 1_000)))),
        ("create-concurrent", 64, 1, Box::new(|| rt.block_on(engine_create(64, 10_000)))),
        ("store-seq", 1, 2, Box::new(|| rt.block_on(store_commit(1, 1_000, false)))),
        ("store-concurrent", 64, 2, Box::new(|| rt.block_on(store_commit(64, 10_000, false)))),
        ("create-seq", 1, 2, Box::new(|| rt.block_on(engine_create(1, 1_000)))),
        ("create-concurrent", 64, 2, Box::new(|| rt.block_on(engine_create(64, 10_000)))),
    ];
    let mut results: Vec<Vec<(f64, u64)>> = vec![Vec::new(); runs.len()];
    for round in 0..ROUNDS {
        for (i, (name, batch, search, run)) in runs.iter().enumerate() {
            SEARCH.store(*search, Relaxed);
            let rate = run();
            let bytes = LAST_BYTES.load(Relaxed);
            println!("round {round}: {name} ({batch}, search {}): {rate:.0}/s, {bytes} B/ticket", search == &2);
            results[i].push((rate, bytes));
        }
    }
    SEARCH.store(0, Relaxed);
    let medians: Vec<(f64, u64)> = results
        .into_iter()
        .map(|mut v| {
            v.sort_by(|a, b| a.0.total_cmp(&b.0));
            v[v.len() / 2]
        })
        .collect();
    let raw = |batch: usize| if batch == 1 { medians[0].0 } else { medians[1].0 };
    println!(
        "| scenario | tasks | search | tickets/s (median) | share of raw redb at the same batch | bytes written per ticket |"
    );
    println!("|---|---:|---|---:|---:|---:|");
    for ((name, batch, search, _), (rate, bytes)) in runs.iter().zip(&medians) {
        println!(
            "| {name} | {batch} | {} | {rate:.0} | {:.0}% | {bytes} |",
            match search {
                0 => "—",
                1 => "off",
                _ => "on",
            },
            100.0 * rate / raw(*batch)
        );
    }
}

/// Rare search terms: the body of ticket `i` starts with `ref{i % RARE_TERMS}`, so a term is in 200 of 1M.
const RARE_TERMS: u64 = 5_000;

/// A first article of about 1 KB: a rare term, then words with the frequencies of real text (one of
/// 16,384 texts made before the clock starts, so making them costs the measured runs nothing).
fn body_1k(i: u64) -> String {
    static TEXTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let texts = TEXTS.get_or_init(|| (0..16_384).map(|k| prose::text(k, 1014)).collect());
    format!("ref{} {}", i % RARE_TERMS, texts[(i % 16_384) as usize])
}

async fn engine_create(tasks: usize, total: usize) -> f64 {
    let path = scratch("engine");
    // CHAMADO_BENCH_INLINE_READS=1 runs the engine's reads inline instead of on the store's reader threads.
    let inline = std::env::var("CHAMADO_BENCH_INLINE_READS").is_ok_and(|v| v == "1");
    let store = options().inline_reads(inline).open(&path).unwrap();
    let engine = Engine::builder(store.clone()).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let admin = engine.admin(&Actor::agent("admin")).await.unwrap();
    admin.put_customer(Customer::new("acme", "Acme Inc.")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    let per = total / tasks;
    let written = written_bytes();
    let start = Instant::now();
    let mut hs = Vec::new();
    for t in 0..tasks {
        let engine = engine.clone();
        hs.push(tokio::spawn(async move {
            let alice = Actor::customer("alice");
            for i in 0..per {
                let new = NewTicket::new(format!("bench {t}/{i}"), body_1k(i as u64), "Raw");
                engine.create_ticket(&alice, new).await.unwrap();
            }
        }));
    }
    for h in hs {
        h.await.unwrap();
    }
    let rate = (per * tasks) as f64 / start.elapsed().as_secs_f64();
    let bytes = (written_bytes() - written) / (per * tasks) as u64;
    LAST_BYTES.store(bytes, std::sync::atomic::Ordering::Relaxed);
    let stats = store.writer_stats();
    eprintln!("  writer: {stats:?}, {bytes} bytes written per ticket");
    drop(engine);
    drop(store);
    let _ = std::fs::remove_file(&path);
    rate
}

fn make_ticket(i: u64) -> Ticket {
    // Every queue gets every state: the state cycles with i / QUEUES, the queue with i.
    let state_type = match (i / QUEUES) % 20 {
        0 | 1 => StateType::Open,
        2 => StateType::New,
        3 => StateType::PendingReminder,
        _ => StateType::Closed,
    };
    Ticket {
        id: TicketId(i),
        number: format!("20261127{i:08}"),
        title: format!("Printer on floor {} jams", i % 7),
        queue: format!("Queue{}", i % QUEUES),
        state: state_type.as_str().into(),
        state_type,
        priority: Priority::NORMAL,
        lock: Lock::Unlock,
        owner: None,
        responsible: None,
        customer_user: Some(format!("user{}", i % BIG_USERS)),
        customer_id: Some(format!("customer{}", (i % BIG_USERS) / 10)),
        service: None,
        channel: ChannelKind::Email,
        created_at: Timestamp(1_700_000_000_000 + i as i64 * 1000),
        changed_at: Timestamp(1_700_000_000_000 + i as i64 * 1000),
        pending_until: (state_type == StateType::PendingReminder).then_some(Timestamp(1_800_000_000_000)),
        reminded_for: None,
        merged_into: None,
        linked: Vec::new(),
        version: 1,
        watchers: Vec::new(),
        unlock_at: None,
        sla: None,
        escalation: Default::default(),
    }
}

fn make_commit(i: u64) -> Commit {
    let t = make_ticket(i);
    let article = Article {
        id: ArticleId(i),
        ticket_id: t.id,
        sender: SenderType::Customer,
        channel: ChannelKind::Email,
        visible_to_customer: true,
        from: format!("user{}@example.com", i % BIG_USERS),
        reply_to: None,
        to: "support@example.com".into(),
        subject: t.title.clone(),
        body: body_1k(i),
        attachments: Vec::new(),
        external_id: Some(format!("<{i}@mail.example.com>")),
        references: Vec::new(),
        created_by: format!("user{}", i % BIG_USERS),
        created_at: t.created_at,
        sender_auth: None,
    };
    let history = HistoryEntry {
        ticket_id: t.id,
        at: t.created_at,
        actor: format!("user{}", i % BIG_USERS),
        kind: HistoryKind::Created,
        message: "new ticket".into(),
        text: None,
    };
    Commit {
        tickets: vec![TicketWrite { ticket: t, expected_version: 0 }],
        articles: vec![article],
        history: vec![history],
        ..Default::default()
    }
}

async fn store_commit(tasks: u64, total: u64, quick_repair: bool) -> f64 {
    let path = scratch("store");
    let store = options().quick_repair(quick_repair).open(&path).unwrap();
    let per = total / tasks;
    let written = written_bytes();
    let start = Instant::now();
    // Ids come from one counter, as the engine's allocator hands them out.
    let next = Arc::new(std::sync::atomic::AtomicU64::new(1));
    let mut hs = Vec::new();
    for _ in 0..tasks {
        let (store, next) = (store.clone(), Arc::clone(&next));
        hs.push(tokio::spawn(async move {
            for _ in 0..per {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                store.commit(make_commit(i)).await.unwrap();
            }
        }));
    }
    for h in hs {
        h.await.unwrap();
    }
    let rate = (per * tasks) as f64 / start.elapsed().as_secs_f64();
    LAST_BYTES.store((written_bytes() - written) / (per * tasks), std::sync::atomic::Ordering::Relaxed);
    eprintln!("  writer: {:?}", store.writer_stats());
    eprintln!(
        "  {} bytes written per ticket, file {} bytes",
        (written_bytes() - written) / (per * tasks),
        std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
    );
    drop(store);
    let _ = std::fs::remove_file(&path);
    rate
}

/// Raw redb, the reference: the same encoded ticket, number and article rows, `batch` per commit.
fn raw_redb(batch: u64, total: u64) -> f64 {
    const T: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("tickets");
    const N: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("numbers");
    const A: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("articles");
    let path = scratch("raw");
    let db = redb::Database::create(&path).unwrap();
    let written = written_bytes();
    let start = Instant::now();
    let mut i = 1;
    while i <= total {
        let txn = db.begin_write().unwrap();
        {
            let (mut t, mut n, mut a) =
                (txn.open_table(T).unwrap(), txn.open_table(N).unwrap(), txn.open_table(A).unwrap());
            for _ in 0..batch {
                let c = make_commit(i);
                let tk = &c.tickets[0].ticket;
                t.insert(i, postcard::to_allocvec(tk).unwrap().as_slice()).unwrap();
                n.insert(tk.number.as_str(), i).unwrap();
                a.insert(i, postcard::to_allocvec(&c.articles[0]).unwrap().as_slice()).unwrap();
                i += 1;
            }
        }
        txn.commit().unwrap();
    }
    let rate = (i - 1) as f64 / start.elapsed().as_secs_f64();
    LAST_BYTES.store((written_bytes() - written) / (i - 1), std::sync::atomic::Ordering::Relaxed);
    eprintln!(
        "  {} bytes written per ticket, file {} bytes",
        (written_bytes() - written) / (i - 1),
        std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
    );
    drop(db);
    let _ = std::fs::remove_file(&path);
    rate
}

async fn load(store: &RedbStore, from: u64, to: u64, tasks: u64) {
    let next = Arc::new(std::sync::atomic::AtomicU64::new(from));
    let mut hs = Vec::new();
    for _ in 0..tasks {
        let (store, next) = (store.clone(), Arc::clone(&next));
        hs.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i > to {
                    break;
                }
                store.commit(make_commit(i)).await.unwrap();
            }
        }));
    }
    for h in hs {
        h.await.unwrap();
    }
}

fn lookup(rt: &tokio::runtime::Runtime) {
    let path = scratch("lookup");
    let n = 100_000;
    rt.block_on(async {
        let store = RedbOptions::new().durable(false).max_batch(2048).open(&path).unwrap();
        load(&store, 1, n, 256).await;
        store.sync().await.unwrap();
    });
    // On tokio: reads go to the store's reader threads (the default), or run inline (`inline_reads`).
    for (name, inline) in [("reader threads", false), ("inline_reads", true)] {
        let store = RedbOptions::new().inline_reads(inline).open(&path).unwrap();
        rounds(&format!("ticket_by_number on tokio ({name}), 64 tasks"), || {
            let store = store.clone();
            rt.block_on(async move {
                let per = 5_000u64;
                let start = Instant::now();
                let mut hs = Vec::new();
                for t in 0..64u64 {
                    let store = store.clone();
                    hs.push(tokio::spawn(async move {
                        let mut x = t.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
                        for _ in 0..per {
                            x ^= x << 13;
                            x ^= x >> 7;
                            x ^= x << 17;
                            let i = 1 + x % n;
                            let t = store.ticket_by_number(&format!("20261127{i:08}")).await.unwrap();
                            assert!(t.is_some());
                        }
                    }));
                }
                for h in hs {
                    h.await.unwrap();
                }
                (per * 64) as f64 / start.elapsed().as_secs_f64()
            })
        });
    }
    let store = RedbStore::open(&path).unwrap();
    // Outside tokio: the read runs inline on the caller's thread (2 threads, one per core).
    rounds("ticket_by_number inline, 2 threads", || {
        let per = 100_000u64;
        let start = Instant::now();
        let hs: Vec<_> = (0..2u64)
            .map(|t| {
                let store = store.clone();
                std::thread::spawn(move || {
                    let mut x = (t + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
                    for _ in 0..per {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        let i = 1 + x % n;
                        let t = pollster::block_on(store.ticket_by_number(&format!("20261127{i:08}"))).unwrap();
                        assert!(t.is_some());
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        (per * 2) as f64 / start.elapsed().as_secs_f64()
    });
    drop(store);
    let _ = std::fs::remove_file(&path);
}

async fn load_big(path: &Path) {
    let store = options().durable(false).max_batch(4096).open(path).unwrap();
    let have = {
        let mut lo = 0;
        let mut hi = BIG_TICKETS + 1;
        // Tickets are loaded in id order by concurrent tasks: find the first missing id, roughly.
        while lo + 1 < hi {
            let mid = (lo + hi) / 2;
            if store.ticket(TicketId(mid)).await.unwrap().is_some() { lo = mid } else { hi = mid }
        }
        lo
    };
    if have >= BIG_TICKETS {
        println!("{} already holds {BIG_TICKETS} tickets", path.display());
        return;
    }
    let start = Instant::now();
    let from = have.saturating_sub(10_000).max(1);
    let mut at = from;
    while at <= BIG_TICKETS {
        let to = (at + 99_999).min(BIG_TICKETS);
        // Re-inserting an existing ticket is refused as a duplicate; skip those in the overlap.
        let next = Arc::new(std::sync::atomic::AtomicU64::new(at));
        let mut hs = Vec::new();
        for _ in 0..256 {
            let (store, next) = (store.clone(), Arc::clone(&next));
            hs.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i > to {
                        break;
                    }
                    match store.commit(make_commit(i)).await {
                        Ok(()) | Err(chamado::StoreError::Duplicate { .. }) => {}
                        Err(e) => panic!("{e}"),
                    }
                }
            }));
        }
        for h in hs {
            h.await.unwrap();
        }
        store.sync().await.unwrap();
        println!("loaded up to {to} in {:.1}s", start.elapsed().as_secs_f64());
        at = to + 1;
    }
    drop(store);
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

async fn query_big(path: &Path) {
    let size = std::fs::metadata(path).unwrap().len();
    println!("file size {size} bytes, {:.0} bytes per ticket (1 KB first article)", size as f64 / BIG_TICKETS as f64);
    if std::env::var("CHAMADO_BENCH_SEARCH").is_ok() {
        let t = Instant::now();
        drop(options().open(path).unwrap());
        println!("first open with full-text search (builds the index if the file has none): {:?}", t.elapsed());
    }
    let mut opens = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let store = options().open(path).unwrap();
        opens.push(t.elapsed());
        drop(store);
    }
    println!("clean open: {:?} (median of 3)", percentile(&mut opens, 0.5));
    let store = options().open(path).unwrap();
    for (name, index_of) in [
        (
            "customer user's tickets",
            Box::new(|k: u64| TicketIndex::CustomerUser(format!("user{}", k % BIG_USERS)))
                as Box<dyn Fn(u64) -> TicketIndex>,
        ),
        (
            "queue's open tickets",
            Box::new(|k: u64| TicketIndex::Queue {
                queue: format!("Queue{}", k % QUEUES),
                state_type: Some(StateType::Open),
            }),
        ),
    ] {
        for (mode, warm) in [("cold-ish (first pass)", false), ("warm", true)] {
            let mut lat = Vec::new();
            let mut x = 0x1234_5678_9abc_def1u64 ^ u64::from(warm);
            for _ in 0..2_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let index = index_of(x);
                let t = Instant::now();
                let page = store.list_tickets(&index, None, 50).await.unwrap();
                lat.push(t.elapsed());
                assert!(!page.items.is_empty());
            }
            println!(
                "first page (50) of a {name}, {mode}: p50 {:?} p99 {:?} max {:?}",
                percentile(&mut lat, 0.5),
                percentile(&mut lat, 0.99),
                percentile(&mut lat, 1.0)
            );
        }
    }
    // Second page too, via the cursor.
    let mut lat = Vec::new();
    for k in 0..1_000 {
        let index = TicketIndex::Queue { queue: format!("Queue{}", k % QUEUES), state_type: Some(StateType::Open) };
        let first = store.list_tickets(&index, None, 50).await.unwrap();
        let t = Instant::now();
        let page = store.list_tickets(&index, first.next, 50).await.unwrap();
        lat.push(t.elapsed());
        assert_eq!(page.items.len(), 50);
    }
    println!(
        "second page (50) of a queue's open tickets: p50 {:?} p99 {:?}",
        percentile(&mut lat, 0.5),
        percentile(&mut lat, 0.99)
    );
    let mut lat = Vec::new();
    for k in 0..10_000u64 {
        let i = 1 + (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) % BIG_TICKETS);
        let t = Instant::now();
        assert!(store.ticket_by_number(&format!("20261127{i:08}")).await.unwrap().is_some());
        lat.push(t.elapsed());
    }
    println!(
        "lookup by number at 1M (one task): p50 {:?} p99 {:?}",
        percentile(&mut lat, 0.5),
        percentile(&mut lat, 0.99)
    );
    search_big(&store).await;
    queue_view_big(store).await;
}

/// Full-text search at 1M tickets, 200 hits wanted (what the engine asks for a page of 50): rare terms
/// (200 matches, gathered and sorted), words of falling frequency (walked newest first once more than
/// the gather limit match) and a two-word query.
async fn search_big(store: &RedbStore) {
    if std::env::var("CHAMADO_BENCH_SEARCH").is_err() {
        println!("search: skipped (CHAMADO_BENCH_SEARCH=1 loads and queries with full-text search)");
        return;
    }
    store.index_search_words().await.unwrap();
    type QueryOf = Box<dyn Fn(u64) -> String>;
    let queries: Vec<(String, QueryOf)> = vec![
        ("a rare term (200 matches)".into(), Box::new(|k| format!("ref{}", k % RARE_TERMS))),
        (format!("the most common word ({})", prose::word(0)), Box::new(|_| prose::word(0))),
        ("a word of rank 50".into(), Box::new(|_| prose::word(50))),
        ("a word of rank 2,000".into(), Box::new(|_| prose::word(2_000))),
        ("a word of rank 15,000".into(), Box::new(|_| prose::word(15_000))),
        ("two words, ranks 3 and 400".into(), Box::new(|_| format!("{} {}", prose::word(3), prose::word(400)))),
    ];
    for (name, query_of) in queries {
        let mut lat = Vec::new();
        let mut hits = 0;
        for k in 0..200u64 {
            let q = query_of(k.wrapping_mul(7919));
            let t = Instant::now();
            hits = store.search_tickets(&q, 200).await.unwrap().len();
            lat.push(t.elapsed());
        }
        println!(
            "search, {name}, 200 wanted ({hits} found): p50 {:?} p99 {:?}",
            percentile(&mut lat, 0.5),
            percentile(&mut lat, 0.99)
        );
    }
}

/// What the agent's queue view costs at 1M tickets: the exact counts (one per queue and state type)
/// against walking the tickets as the view did before the stores kept counts.
async fn queue_view_big(store: RedbStore) {
    let mut lat = Vec::new();
    for k in 0..10_000u64 {
        let st = chamado::COUNTED_STATE_TYPES[(k % 5) as usize];
        let index = TicketIndex::Queue { queue: format!("Queue{}", k % QUEUES), state_type: Some(st) };
        let t = Instant::now();
        std::hint::black_box(store.count_tickets(&index).await.unwrap());
        lat.push(t.elapsed());
    }
    println!(
        "count of a queue's tickets of one state type: p50 {:?} p99 {:?}",
        percentile(&mut lat, 0.5),
        percentile(&mut lat, 0.99)
    );
    let (engine, mut lat, counted) = queue_overview::time_queue_overview(store, QUEUES, 1_000).await;
    println!(
        "queue overview ({} queues x 5 state types, {counted} tickets counted): p50 {:?} p99 {:?}",
        QUEUES + 4,
        percentile(&mut lat, 0.5),
        percentile(&mut lat, 0.99)
    );
    // Before: the view listed up to 10,000 visible tickets and counted them in memory.
    let mut lat = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let mut cursor = None;
        let mut seen = 0;
        while seen < 10_000 {
            let page = engine
                .list_tickets(&Actor::System, &chamado::TicketFilter::default(), cursor, chamado::MAX_PAGE)
                .await
                .unwrap();
            seen += page.items.len();
            match page.next {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        lat.push(t.elapsed());
    }
    println!(
        "listing 10,000 tickets as the view did before (and still counted only those): p50 {:?} p99 {:?}",
        percentile(&mut lat, 0.5),
        percentile(&mut lat, 0.99)
    );
}

/// Turns the big file back into schema 1 (no counts; the index entries stay, which the upgrade
/// re-inserts anyway) and times the in-place upgrade on open.
fn upgrade_big(path: &Path) {
    {
        let db = redb::Database::open(path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.delete_table(redb::TableDefinition::<&[u8], u64>::new("ticket_counts")).unwrap();
        let schema: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(chamado_redb::SCHEMA_TABLE);
        txn.open_table(schema).unwrap().insert("version", 1).unwrap();
        txn.commit().unwrap();
    }
    let t = Instant::now();
    let store = RedbStore::open(path).unwrap();
    println!("upgrade of {BIG_TICKETS} tickets from schema 1 to {}: {:?}", chamado_redb::SCHEMA_VERSION, t.elapsed());
    drop(store);
}

/// A writer that commits new tickets to the big file until it is killed.
async fn child_writer(path: &Path, quick_repair: bool) {
    let store = RedbOptions::new().quick_repair(quick_repair).open(path).unwrap();
    println!("READY");
    let base = 10_000_000 + u64::from(std::process::id()) * 100_000;
    let mut hs = Vec::new();
    for t in 0..16 {
        let store = store.clone();
        hs.push(tokio::spawn(async move {
            for i in 0.. {
                let _ = store.commit(make_commit(base + t * 5_000 + i % 5_000)).await;
            }
        }));
    }
    for h in hs {
        h.await.unwrap();
    }
}

fn kill_big(path: &Path, quick_repair: bool) {
    use std::io::BufRead;
    for round in 0..3 {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["child-writer", path.to_str().unwrap(), if quick_repair { "qr" } else { "full" }])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert!(line.contains("READY"));
        std::thread::sleep(Duration::from_millis(1500));
        child.kill().unwrap();
        child.wait().unwrap();
        let t = Instant::now();
        let store = RedbStore::open(path).unwrap();
        println!("round {round}: open after SIGKILL (quick repair {quick_repair}): {:?}", t.elapsed());
        drop(store);
        let t = Instant::now();
        let store = RedbStore::open(path).unwrap();
        println!("round {round}: clean open after that: {:?}", t.elapsed());
        drop(store);
    }
}
