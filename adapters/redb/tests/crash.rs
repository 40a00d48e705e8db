//! Crash test: a child process creates tickets through the engine as fast as it can, printing each
//! number after its create returns; the parent SIGKILLs it at random moments, reopens the file and
//! checks that every printed ticket is there with its first article, that no number was issued twice,
//! and that the next child keeps getting fresh numbers; and that the event log holds exactly the stored
//! tickets' events, numbered 1, 2, 3.. without a gap or a repeat across the kills.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{Actor, Customer, CustomerUser, Engine, EventType, NewTicket, Store, TicketId, TicketIndex};
use chamado_redb::RedbOptions;
use common::{Rng, TempDir};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CHILD_ENV: &str = "CHAMADO_REDB_CRASH_CHILD";
const KILLS: usize = 20;
const WRITERS: usize = 8;

/// The tickets whose `ticket.created` event is in the log, after checking that the log is numbered
/// 1, 2, 3.. and that its last `seq` is the last event's.
async fn created_in_log(store: &chamado_redb::RedbStore, round: usize) -> HashSet<TicketId> {
    let mut created = HashSet::new();
    let mut cursor = 0;
    loop {
        let page = store.events_after(cursor, 1_000).await.unwrap();
        let Some(last) = page.last() else { break };
        for e in &page {
            assert_eq!(e.seq, cursor + 1, "round {round}: the log goes on from {cursor} at {}", e.seq);
            cursor = e.seq;
            if e.event_type == EventType::TicketCreated {
                assert!(created.insert(e.ticket_id.unwrap()), "round {round}: a ticket created twice");
            }
        }
        cursor = last.seq;
    }
    assert_eq!(store.last_event_seq().await.unwrap(), cursor, "round {round}: the last seq is the last event's");
    created
}

/// The child: runs only when re-executed by `sigkill_never_loses_an_acknowledged_ticket`.
#[test]
fn crash_child_process() {
    let Ok(path) = std::env::var(CHILD_ENV) else { return };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async move {
        let store = RedbOptions::new().full_text_search(true).open(&path).unwrap();
        let engine = Engine::builder(store).build().unwrap();
        engine.seed_defaults("admin").await.unwrap();
        let admin = engine.admin(&Actor::agent("admin")).await.unwrap();
        admin.put_customer(Customer::new("acme", "Acme Inc.")).await.unwrap();
        admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
        let mut tasks = Vec::new();
        for w in 0..WRITERS {
            let engine = engine.clone();
            tasks.push(tokio::spawn(async move {
                let alice = Actor::customer("alice");
                for i in 0.. {
                    let new = NewTicket::new(format!("crash {w}/{i}"), format!("first article {w}/{i}"), "Raw");
                    let view = engine.create_ticket(&alice, new).await.unwrap();
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "CREATED {}", view.ticket.number).unwrap();
                    out.flush().unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
}

#[test]
fn sigkill_never_loses_an_acknowledged_ticket() {
    let dir = TempDir::new("crash");
    let path = dir.file("crash.redb");
    let exe = std::env::current_exe().unwrap();
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    eprintln!("crash test seed {seed}");
    let mut rng = Rng::new(seed);
    let mut printed_all: Vec<String> = Vec::new();
    let mut unique = HashSet::new();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args(["crash_child_process", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let reader = {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                let mut r = BufReader::new(stdout);
                let mut buf = String::new();
                while r.read_line(&mut buf).unwrap_or(0) > 0 {
                    // Only complete lines: a line cut by the kill was never fully printed.
                    if let Some(n) = buf.strip_suffix('\n').and_then(|l| l.strip_prefix("CREATED ")) {
                        lines.lock().unwrap().push(n.to_string());
                    }
                    buf.clear();
                }
            })
        };
        // Wait for the first acknowledged ticket, then kill at a random moment after it.
        let started = Instant::now();
        while lines.lock().unwrap().is_empty() {
            if let Some(status) = child.try_wait().unwrap() {
                let mut err = String::new();
                std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
                panic!("round {round}: the child exited on its own ({status}): {err}");
            }
            assert!(started.elapsed() < Duration::from_secs(30), "round {round}: the child made no progress");
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(rng.below(250)));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "round {round}: the child was killed, not finished");
        reader.join().unwrap();
        let printed = std::mem::take(&mut *lines.lock().unwrap());
        assert!(!printed.is_empty(), "round {round}: new tickets keep getting created");
        for n in &printed {
            assert!(unique.insert(n.clone()), "round {round}: ticket number {n} was issued twice");
        }

        let opened = Instant::now();
        let store = RedbOptions::new().full_text_search(true).open(&path).unwrap();
        let open_time = opened.elapsed();
        rt.block_on(async {
            for n in &printed {
                let t = store
                    .ticket_by_number(n)
                    .await
                    .unwrap()
                    .unwrap_or_else(|| panic!("round {round}: acknowledged ticket {n} is missing"));
                let articles = store.articles(t.id).await.unwrap();
                assert!(!articles.is_empty(), "round {round}: ticket {n} lost its first article");
            }
            let created = created_in_log(&store, round).await;
            for n in &printed {
                let t = store.ticket_by_number(n).await.unwrap().unwrap();
                assert!(created.contains(&t.id), "round {round}: ticket {n}'s event is missing");
            }
        });
        drop(store);
        eprintln!("round {round}: {} tickets acknowledged, reopened in {open_time:?}", printed.len());
        printed_all.extend(printed);
    }

    // Finally: everything ever acknowledged is there, and the store's numbers and ids are unique.
    let store = RedbOptions::new().full_text_search(true).open(&path).unwrap();
    rt.block_on(async {
        for n in &printed_all {
            assert!(store.ticket_by_number(n).await.unwrap().is_some(), "ticket {n} is missing at the end");
        }
        let index = TicketIndex::Queue { queue: "Raw".into(), state_type: None };
        let (mut ids, mut numbers, mut after) = (HashSet::new(), HashSet::new(), None);
        loop {
            let page = store.list_tickets(&index, after, 500).await.unwrap();
            for t in &page.items {
                assert!(ids.insert(t.id), "ticket id {} listed twice", t.id);
                assert!(numbers.insert(t.number.clone()), "ticket number {} stored twice", t.number);
            }
            match page.next {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        assert!(numbers.len() >= printed_all.len());
        // A ticket and its events were written together or not at all.
        assert_eq!(created_in_log(&store, KILLS).await, ids, "the log's created tickets are the stored ones");
        // The count kept with the index survived every kill exactly as the index did.
        assert_eq!(store.count_tickets(&index).await.unwrap(), ids.len() as u64, "count after the kills");
        // The search word index (its pending rows and blocks) survived every kill exactly too: a
        // ticket's title finds it, and everything found holds the words.
        for n in printed_all.iter().step_by((printed_all.len() / 40).max(1)) {
            let t = store.ticket_by_number(n).await.unwrap().unwrap();
            let found = store.search_tickets(&t.title, 1_000).await.unwrap();
            assert!(found.iter().any(|f| f.id == t.id), "searching {:?} misses ticket {n}", t.title);
            let words = chamado::search_words(&t.title);
            // Titles and first articles carry the same numbers, so a match's title holds the words.
            assert!(
                found.iter().all(|f| chamado::search_words(&f.title).is_superset(&words)),
                "searching {:?} found tickets without the words",
                t.title
            );
        }
    });
    eprintln!("{} tickets acknowledged over {KILLS} kills", printed_all.len());
}
