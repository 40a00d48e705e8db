//! What the conformance suite cannot see: the feed hands out only durable events in non-durable mode,
//! the last `seq` survives a reopen, and pruning or claiming with nothing to do writes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{Commit, EventRecord, EventType, OutboxStatus, Store, Timestamp, WebhookDelivery};
use chamado_redb::RedbStore;
use common::TempDir;
use std::time::Duration;

fn event(tag: &str, at: i64) -> EventRecord {
    EventRecord {
        seq: 0,
        id: format!("evt_{tag}"),
        event_type: EventType::CustomerChanged,
        at: Timestamp(at),
        ticket_id: None,
        queue: None,
        order: 0,
        data: "{}".into(),
    }
}

fn delivery(id: u64, status: OutboxStatus, created: i64) -> WebhookDelivery {
    WebhookDelivery {
        id,
        subscription: "wh_1".into(),
        fan_out: Vec::new(),
        events: vec![event("d", created)],
        ticket_id: None,
        order: 0,
        status,
        attempts: 0,
        next_attempt_at: Timestamp(500),
        created_at: Timestamp(created),
        retry_since: Timestamp(created),
        recent_attempts: Vec::new(),
        replays: 0,
    }
}

async fn seqs(store: &RedbStore) -> Vec<u64> {
    store.events_after(0, 100).await.unwrap().iter().map(|e| e.seq).collect()
}

/// Without fsync per commit, an event is handed out only once a flush made it durable: a crash before
/// the flush would lose it and give its `seq` to another event, which a feed past it would skip.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_durable_stores_hand_out_only_flushed_events() {
    let dir = TempDir::new("events-nondurable");
    let path = dir.file("n.redb");
    {
        let store = RedbStore::options().durable(false).flush_interval(Duration::from_secs(3_600)).open(&path).unwrap();
        store.commit(Commit { events: vec![event("a", 1), event("b", 1)], ..Default::default() }).await.unwrap();
        assert_eq!(seqs(&store).await, Vec::<u64>::new(), "not durable yet");
        assert_eq!(store.last_event_seq().await.unwrap(), 0);
        store.sync().await.unwrap();
        assert_eq!(seqs(&store).await, vec![1, 2], "durable after the flush");
        assert_eq!(store.last_event_seq().await.unwrap(), 2);
        store.commit(Commit { events: vec![event("c", 1)], ..Default::default() }).await.unwrap();
        assert_eq!(store.events_after(1, 10).await.unwrap().len(), 1, "only up to the flush");
        assert_eq!(store.last_event_seq().await.unwrap(), 2);
        store.close().unwrap();
    }
    // Closing flushed; a reopened store hands out everything and goes on after it.
    let store = RedbStore::open(&path).unwrap();
    assert_eq!(seqs(&store).await, vec![1, 2, 3]);
    assert_eq!(store.last_event_seq().await.unwrap(), 3);
    store.commit(Commit { events: vec![event("d", 1)], ..Default::default() }).await.unwrap();
    assert_eq!(seqs(&store).await, vec![1, 2, 3, 4], "durable mode: at once");
}

/// The last `seq` survives pruning and a reopen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_seq_survives_pruning_and_reopening() {
    let dir = TempDir::new("events-reopen");
    let path = dir.file("r.redb");
    {
        let store = RedbStore::open(&path).unwrap();
        store.commit(Commit { events: vec![event("a", 1), event("b", 2)], ..Default::default() }).await.unwrap();
        assert_eq!(store.prune_events(Timestamp(10), 10).await.unwrap(), 2);
    }
    let store = RedbStore::open(&path).unwrap();
    assert_eq!(store.last_event_seq().await.unwrap(), 2);
    store.commit(Commit { events: vec![event("c", 3)], ..Default::default() }).await.unwrap();
    assert_eq!(seqs(&store).await, vec![3]);
}

/// A tick prunes and a delivery loop claims every few seconds: with nothing to do they read, and write
/// nothing (no write transaction, no fsync).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_pruning_and_claiming_write_nothing() {
    let dir = TempDir::new("events-idle");
    let store = RedbStore::open(dir.file("i.redb")).unwrap();
    store
        .commit(Commit {
            events: vec![event("a", 100)],
            webhooks: vec![delivery(1, OutboxStatus::Pending, 100), delivery(2, OutboxStatus::Sent, 200)],
            ..Default::default()
        })
        .await
        .unwrap();
    let before = store.writer_stats();
    assert_eq!(store.prune_events(Timestamp(100), 100).await.unwrap(), 0);
    assert_eq!(store.prune_webhooks(Timestamp(200), 100).await.unwrap(), 0, "the pending one is older, not finished");
    assert!(store.claim_webhooks(Timestamp(499), Timestamp(600), 10).await.unwrap().is_empty());
    let after = store.writer_stats();
    assert_eq!((after.operations, after.transactions), (before.operations, before.transactions), "nothing written");
    assert_eq!(store.prune_events(Timestamp(101), 100).await.unwrap(), 1);
    assert_eq!(store.prune_webhooks(Timestamp(201), 100).await.unwrap(), 1);
    assert_eq!(store.claim_webhooks(Timestamp(500), Timestamp(600), 10).await.unwrap().len(), 1);
    assert_eq!(store.writer_stats().operations, before.operations + 3, "each real one is one write");
}
