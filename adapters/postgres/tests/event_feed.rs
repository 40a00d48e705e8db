//! The event log on two nodes (two `PgStore`s, two pools, one database): while writers on both commit
//! tickets with events, a feed polling both never sees a seq lower than one it already saw, and in the end
//! it saw every event exactly once, seqs 1..n without a gap, each commit's events consecutive.
//! Needs `CHAMADO_TEST_DATABASE_URL`; skips with a notice when it is unset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::testkit::ticket;
use chamado::*;
use chamado_postgres::PgStore;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const WRITERS: usize = 16;
const READERS: usize = 3;
const COMMITS: usize = 40;

fn event(tag: &str, ticket: u64) -> EventRecord {
    EventRecord {
        seq: 0,
        id: format!("evt_{tag}"),
        event_type: EventType::TicketCreated,
        at: Timestamp(1),
        ticket_id: Some(TicketId(ticket)),
        queue: Some("Raw".into()),
        order: 256,
        data: format!(r#"{{"version":1,"tag":"{tag}"}}"#),
    }
}

/// Writer `w`'s commit `c` holds this many events.
fn per_commit(w: usize, c: usize) -> usize {
    1 + (w * 7 + c) % 3
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_feed_on_two_nodes_never_skips_an_event() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("feed");
    let nodes = [Arc::new(common::store(&url, &schema).await), Arc::new(common::store(&url, &schema).await)];
    let finished = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let store = nodes[w % 2].clone();
        let finished = finished.clone();
        writers.push(tokio::spawn(async move {
            for c in 0..COMMITS {
                // A ticket with each commit, so commits take as long as the engine's do.
                let id = (w * COMMITS + c + 1) as u64;
                let events = (0..per_commit(w, c)).map(|k| event(&format!("{w}/{c}/{k}"), id)).collect();
                let commit = Commit {
                    tickets: vec![TicketWrite { ticket: ticket(id, id as i64), expected_version: 0 }],
                    events,
                    ..Default::default()
                };
                store.commit(commit).await.unwrap();
            }
            finished.fetch_add(1, Ordering::SeqCst);
        }));
    }
    // Three feeds, each polling both nodes in turn.
    let readers: Vec<_> = (0..READERS)
        .map(|r| {
            let nodes = nodes.clone();
            let finished = finished.clone();
            tokio::spawn(async move {
                let mut seen: Vec<EventRecord> = Vec::new();
                let mut cursor = 0u64;
                let mut reads = r;
                loop {
                    let done = finished.load(Ordering::SeqCst) == WRITERS;
                    let page = nodes[reads % 2].events_after(cursor, 5).await.unwrap();
                    reads += 1;
                    for e in page.iter() {
                        assert!(e.seq > cursor, "seq {} read after {cursor}", e.seq);
                        assert_eq!(e.seq, cursor + 1, "seq {} right after {cursor}: one was skipped", e.seq);
                        cursor = e.seq;
                    }
                    let empty = page.is_empty();
                    seen.extend(page);
                    if done && empty {
                        break;
                    }
                }
                (seen, reads)
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let mut feeds = Vec::new();
    for r in readers {
        feeds.push(r.await.unwrap());
    }
    let (seen, reads) = feeds.pop().unwrap();
    for (other, _) in &feeds {
        assert_eq!(other, &seen, "every feed read the same log");
    }
    let total: usize = (0..WRITERS).flat_map(|w| (0..COMMITS).map(move |c| per_commit(w, c))).sum();
    assert_eq!(seen.len(), total, "every event read once ({reads} reads)");
    let seqs: Vec<u64> = seen.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=total as u64).collect::<Vec<_>>(), "seqs 1..n, no gap");
    let mut by_id: HashMap<&str, u64> = HashMap::new();
    for e in &seen {
        assert!(by_id.insert(e.id.as_str(), e.seq).is_none(), "{} read twice", e.id);
    }
    for w in 0..WRITERS {
        let mut last = 0;
        for c in 0..COMMITS {
            let first = by_id[format!("evt_{w}/{c}/0").as_str()];
            assert!(first > last, "writer {w}'s commits in order");
            for k in 0..per_commit(w, c) {
                assert_eq!(by_id[format!("evt_{w}/{c}/{k}").as_str()], first + k as u64, "a commit's events together");
            }
            last = first;
        }
    }
    for node in &nodes {
        assert_eq!(node.last_event_seq().await.unwrap(), total as u64);
    }
    let first = seen.iter().find(|e| e.id == "evt_0/0/0").unwrap();
    assert_eq!(first.data, event("0/0/0", 1).data, "kept as written");
    common::drop_schemas(&url, "feed").await;
}

/// A writer killed in the middle of its events (its connection gone) leaves no lock behind: later
/// commits and feed reads on both nodes go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_commit_leaves_the_log_usable() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("feedcancel");
    let a: PgStore = common::store(&url, &schema).await;
    let b: PgStore = common::store(&url, &schema).await;
    for i in 0..20u64 {
        // Dropped at once, or part way: the statements already sent run to their end on the server.
        let commit = Commit { events: vec![event(&format!("c{i}"), i)], ..Default::default() };
        let _ = tokio::time::timeout(std::time::Duration::from_micros(i * 50), a.commit(commit)).await;
    }
    let before = b.last_event_seq().await.unwrap();
    assert!(before <= 20);
    b.commit(Commit { events: vec![event("after", 1)], ..Default::default() }).await.unwrap();
    a.commit(Commit { events: vec![event("after2", 1)], ..Default::default() }).await.unwrap();
    let all = a.events_after(0, 100).await.unwrap();
    assert_eq!(all.last().map(|e| e.id.as_str()), Some("evt_after2"));
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(b.last_event_seq().await.unwrap(), all.last().unwrap().seq);
    common::drop_schemas(&url, "feedcancel").await;
}

/// The race itself, step by step: a transaction that drew seq 1 and has not committed, a commit that drew
/// seq 2 and has. A feed must not hand out 2 yet (it waits for the writer in flight), and gets 1 then 2 once
/// the first commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_waits_for_a_lower_seq_still_in_flight() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("feedrace");
    let store = common::store(&url, &schema).await;
    let (mut slow, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    slow.batch_execute(&format!("SET search_path TO {schema}")).await.unwrap();
    let tx = slow.transaction().await.unwrap();
    let first = serde_json::to_value(event("slow", 1)).unwrap();
    let row =
        tx.query_one("SELECT chamado_append_events(ARRAY[1]::bigint[], ARRAY[$1::jsonb])", &[&first]).await.unwrap();
    assert_eq!(row.get::<_, i64>(0), 1, "the slow writer drew seq 1");
    store.commit(Commit { events: vec![event("fast", 2)], ..Default::default() }).await.unwrap();

    let waiting = tokio::time::timeout(std::time::Duration::from_millis(500), store.events_after(0, 10)).await;
    if let Ok(read) = waiting {
        let seqs: Vec<u64> = read.unwrap().iter().map(|e| e.seq).collect();
        panic!("the feed read {seqs:?} while seq 1 was in flight");
    }
    let reader = {
        let store = store.clone();
        tokio::spawn(async move { store.events_after(0, 10).await.unwrap() })
    };
    tx.commit().await.unwrap();
    let read = reader.await.unwrap();
    let got: Vec<(u64, &str)> = read.iter().map(|e| (e.seq, e.id.as_str())).collect();
    assert_eq!(got, [(1, "evt_slow"), (2, "evt_fast")]);
    common::drop_schemas(&url, "feedrace").await;
}

/// Drawing seqs fails after the writer took the session lock that makes a commit's seqs one block (here
/// the sequence is exhausted): the handler releases it, so writers on other connections and nodes go on
/// at once instead of waiting for a lock nobody will release.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_while_drawing_seqs_releases_the_lock() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("feedfail");
    let a = common::store(&url, &schema).await;
    let b = common::store(&url, &schema).await;
    a.commit(Commit { events: vec![event("one", 1)], ..Default::default() }).await.unwrap();
    let (admin, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    admin.batch_execute(&format!("SET search_path TO {schema}; ALTER SEQUENCE event_seq MAXVALUE 2")).await.unwrap();
    // Every pooled connection of `a` fails the same way.
    for i in 0..10 {
        let three = vec![event(&format!("x{i}"), 1), event(&format!("y{i}"), 1)];
        let refused = a.commit(Commit { events: three, ..Default::default() }).await;
        assert!(matches!(refused, Err(StoreError::Unavailable(_))), "{refused:?}");
    }
    admin.batch_execute("ALTER SEQUENCE event_seq MAXVALUE 9223372036854775807").await.unwrap();
    let quick = std::time::Duration::from_secs(3);
    for store in [&b, &a, &b] {
        let commit = store.commit(Commit { events: vec![event("after", 1)], ..Default::default() });
        tokio::time::timeout(quick, commit).await.expect("no lock left behind").unwrap();
    }
    let seqs: Vec<u64> = b.events_after(0, 10).await.unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(seqs.len(), 4, "the first and the three after: {seqs:?}");
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    common::drop_schemas(&url, "feedfail").await;
}
