//! Group commit under concurrency: many tasks, some conflicting; every acknowledged write is present,
//! every rejected one absent, numbers unique, and writes really are batched.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{Commit, DuplicateKind, Store, StoreError, TicketId, TicketIndex, TicketWrite};
use chamado_redb::RedbStore;
use common::{TempDir, article, history, ticket};
use std::collections::HashSet;
use std::sync::Arc;

const TASKS: u64 = 64;
const PER_TASK: u64 = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_commits_are_batched_and_each_is_judged_alone() {
    let dir = TempDir::new("group");
    let path = dir.file("g.redb");
    let store = Arc::new(RedbStore::open(&path).unwrap());
    // One hot ticket everybody fights over.
    let hot = ticket(1_000_000, "HOT");
    store
        .commit(Commit { tickets: vec![TicketWrite { ticket: hot, expected_version: 0 }], ..Default::default() })
        .await
        .unwrap();

    let mut handles = Vec::new();
    for task in 0..TASKS {
        let store = Arc::clone(&store);
        handles.push(tokio::spawn(async move {
            let mut created = Vec::new();
            let mut hot_updates = 0u64;
            let mut conflicts = 0u64;
            for i in 0..PER_TASK {
                let id = store.allocate("ticket", 1).await.unwrap();
                let number = format!("N{}", store.allocate("number", 1).await.unwrap());
                let mut t = ticket(id, &number);
                t.customer_user = Some(format!("user{}", task % 5));
                let commit = Commit {
                    tickets: vec![TicketWrite { ticket: t, expected_version: 0 }],
                    articles: vec![article(id, id)],
                    history: vec![history(id, "created")],
                    ..Default::default()
                };
                store.commit(commit).await.unwrap();
                created.push((id, number));
                if i % 4 == 0 {
                    // Read-modify-write of the hot ticket: races produce conflicts, never lost updates.
                    let cur = store.ticket(TicketId(1_000_000)).await.unwrap().unwrap();
                    let mut next = cur.clone();
                    next.version = cur.version + 1;
                    next.title = format!("task {task} step {i}");
                    let c = Commit {
                        tickets: vec![TicketWrite { ticket: next, expected_version: cur.version }],
                        history: vec![history(1_000_000, &format!("{task}/{i}"))],
                        ..Default::default()
                    };
                    match store.commit(c).await {
                        Ok(()) => hot_updates += 1,
                        Err(StoreError::Conflict { .. }) => conflicts += 1,
                        Err(e) => panic!("unexpected {e}"),
                    }
                }
            }
            (created, hot_updates, conflicts)
        }));
    }
    let mut all = Vec::new();
    let mut hot_updates = 0;
    let mut conflicts = 0;
    for h in handles {
        let (c, u, k) = h.await.unwrap();
        all.extend(c);
        hot_updates += u;
        conflicts += k;
    }
    assert_eq!(all.len() as u64, TASKS * PER_TASK);
    let numbers: HashSet<_> = all.iter().map(|(_, n)| n.clone()).collect();
    assert_eq!(numbers.len(), all.len(), "numbers are unique");
    let stats = store.writer_stats();
    assert!(stats.largest_batch > 1, "concurrent writes were grouped: {stats:?}");
    eprintln!("hot updates {hot_updates}, conflicts {conflicts}, writer {stats:?}");

    // Everything acknowledged is there, after a reopen too.
    drop(Arc::try_unwrap(store).unwrap());
    let store = RedbStore::open(&path).unwrap();
    for (id, number) in &all {
        let t = store.ticket_by_number(number).await.unwrap().unwrap();
        assert_eq!(t.id.0, *id);
        assert_eq!(store.articles(t.id).await.unwrap().len(), 1);
        assert_eq!(store.history(t.id).await.unwrap().len(), 1);
    }
    let hot = store.ticket(TicketId(1_000_000)).await.unwrap().unwrap();
    assert_eq!(hot.version, 1 + hot_updates, "every acknowledged update, and only those, applied");
    // The counts, kept per batch and written once at its end, match what each batch acknowledged.
    for u in 0..5 {
        let expected = (0..TASKS).filter(|t| t % 5 == u).count() as u64 * PER_TASK;
        let index = TicketIndex::CustomerUser(format!("user{u}"));
        assert_eq!(store.count_tickets(&index).await.unwrap(), expected, "count of {index:?}");
    }
    let all_of_state = TicketIndex::StateType(hot.state_type);
    assert_eq!(store.count_tickets(&all_of_state).await.unwrap(), TASKS * PER_TASK + 1, "count of {all_of_state:?}");
    assert_eq!(store.history(TicketId(1_000_000)).await.unwrap().len() as u64, hot_updates);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn duplicates_within_one_batch_fail_alone() {
    let dir = TempDir::new("group-dup");
    let store = Arc::new(RedbStore::open(dir.file("d.redb")).unwrap());
    for round in 0..5u64 {
        let mut handles = Vec::new();
        for task in 0..TASKS {
            let store = Arc::clone(&store);
            handles.push(tokio::spawn(async move {
                // Same number, distinct ids; plus a unique, valid ticket in every other task.
                let mut t = ticket(round * 1_000 + task + 1, &format!("SAME-{round}"));
                t.title = format!("{task}");
                let dup = store
                    .commit(Commit {
                        tickets: vec![TicketWrite { ticket: t, expected_version: 0 }],
                        ..Default::default()
                    })
                    .await;
                let ok = ticket(100_000 + round * 1_000 + task, &format!("U-{round}-{task}"));
                store
                    .commit(Commit {
                        tickets: vec![TicketWrite { ticket: ok, expected_version: 0 }],
                        ..Default::default()
                    })
                    .await
                    .unwrap();
                dup
            }));
        }
        let mut wins = 0;
        for h in handles {
            match h.await.unwrap() {
                Ok(()) => wins += 1,
                Err(StoreError::Duplicate { kind, detail }) => {
                    assert_eq!(kind, DuplicateKind::TicketNumber, "{detail}");
                    assert!(detail.contains("number"), "{detail}");
                }
                Err(e) => panic!("unexpected {e}"),
            }
        }
        assert_eq!(wins, 1, "exactly one insert of number SAME-{round} wins");
        let winner = store.ticket_by_number(&format!("SAME-{round}")).await.unwrap().unwrap();
        assert_eq!(winner.number, format!("SAME-{round}"));
        for task in 0..TASKS {
            assert!(store.ticket_by_number(&format!("U-{round}-{task}")).await.unwrap().is_some());
        }
    }
    assert!(store.writer_stats().largest_batch > 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_allocations_never_repeat_across_reopen() {
    let dir = TempDir::new("group-alloc");
    let path = dir.file("a.redb");
    let mut seen = HashSet::new();
    for _ in 0..3 {
        let store = Arc::new(RedbStore::open(&path).unwrap());
        let mut handles = Vec::new();
        for task in 0..TASKS {
            let store = Arc::clone(&store);
            handles.push(tokio::spawn(async move {
                let mut v = Vec::new();
                for _ in 0..10 {
                    let n = 1 + task % 3;
                    let first = store.allocate("x", n).await.unwrap();
                    v.extend(first..first + n);
                }
                v
            }));
        }
        for h in handles {
            for v in h.await.unwrap() {
                assert!(seen.insert(v), "value {v} handed out twice");
            }
        }
    }
}

/// Commits with events batched together: a refused one (a version conflict) leaves neither its events
/// nor its deliveries, the others' events take consecutive `seq`s in the order their commits applied,
/// and the feed holds exactly the accepted commits' events.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn refused_commits_in_a_batch_leave_no_events() {
    use chamado::{EventRecord, EventType, OutboxStatus, Timestamp, WebhookDelivery};
    let event = |tag: String| EventRecord {
        seq: 0,
        id: tag,
        event_type: EventType::TitleChanged,
        at: Timestamp(1),
        ticket_id: Some(TicketId(1)),
        queue: Some("Raw".into()),
        order: 0,
        data: "{}".into(),
    };
    let dir = TempDir::new("group-events");
    let store = Arc::new(RedbStore::open(dir.file("e.redb")).unwrap());
    store
        .commit(Commit {
            tickets: vec![TicketWrite { ticket: ticket(1, "HOT"), expected_version: 0 }],
            ..Default::default()
        })
        .await
        .unwrap();
    let mut handles = Vec::new();
    for task in 0..TASKS {
        let store = Arc::clone(&store);
        handles.push(tokio::spawn(async move {
            let mut accepted = Vec::new();
            for i in 0..4u64 {
                let cur = store.ticket(TicketId(1)).await.unwrap().unwrap();
                let mut next = cur.clone();
                next.version += 1;
                let tag = format!("{task}/{i}");
                let delivery = WebhookDelivery {
                    id: task * 100 + i + 1,
                    subscription: String::new(),
                    fan_out: vec!["wh_1".into()],
                    events: vec![event(format!("{tag}/a"))],
                    ticket_id: Some(TicketId(1)),
                    order: 0,
                    status: OutboxStatus::Pending,
                    attempts: 0,
                    next_attempt_at: Timestamp(1),
                    created_at: Timestamp(1),
                    retry_since: Timestamp(1),
                    recent_attempts: Vec::new(),
                    replays: 0,
                };
                let c = Commit {
                    tickets: vec![TicketWrite { ticket: next, expected_version: cur.version }],
                    events: vec![event(format!("{tag}/a")), event(format!("{tag}/b"))],
                    webhooks: vec![delivery],
                    ..Default::default()
                };
                match store.commit(c).await {
                    Ok(()) => accepted.push((tag, task * 100 + i + 1)),
                    Err(StoreError::Conflict { .. }) => {}
                    Err(e) => panic!("unexpected {e}"),
                }
            }
            accepted
        }));
    }
    let mut accepted = Vec::new();
    for h in handles {
        accepted.extend(h.await.unwrap());
    }
    assert!(accepted.len() < (TASKS * 4) as usize, "some commits were refused");
    let log = store.events_after(0, 10_000).await.unwrap();
    let seqs: Vec<u64> = log.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=2 * accepted.len() as u64).collect::<Vec<_>>(), "consecutive, from 1, no gaps");
    let tags: HashSet<&str> = accepted.iter().map(|(t, _)| t.as_str()).collect();
    for pair in log.chunks(2) {
        let tag = pair[0].id.strip_suffix("/a").expect("a commit's first event first");
        assert!(tags.contains(tag), "{tag} was accepted");
        assert_eq!(pair[1].id, format!("{tag}/b"), "a commit's events together");
    }
    assert_eq!(store.webhooks_pending().await.unwrap(), accepted.len() as u64, "only accepted deliveries");
    for (_, id) in &accepted {
        assert!(store.webhook_delivery(*id).await.unwrap().is_some());
    }
    let hot = store.ticket(TicketId(1)).await.unwrap().unwrap();
    assert_eq!(hot.version, 1 + accepted.len() as u64);
    assert!(store.writer_stats().largest_batch > 1, "commits were batched");
}
