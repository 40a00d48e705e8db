//! Webhook deliveries on two nodes sharing one database: each due delivery is leased by one node at a
//! time, and a commit's events, deliveries and directory records are written with it or not at all.
//! Needs `CHAMADO_TEST_DATABASE_URL`; skips with a notice when it is unset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::testkit::ticket;
use chamado::*;
use std::collections::HashSet;
use std::sync::Arc;

fn event(tag: &str, ticket: Option<u64>) -> EventRecord {
    EventRecord {
        seq: 0,
        id: format!("evt_{tag}"),
        event_type: EventType::TicketCreated,
        at: Timestamp(1),
        ticket_id: ticket.map(TicketId),
        queue: None,
        order: 256,
        data: "{}".into(),
    }
}

fn delivery(id: u64, subscription: &str, ticket: Option<u64>, due: i64) -> WebhookDelivery {
    WebhookDelivery {
        id,
        subscription: subscription.into(),
        fan_out: Vec::new(),
        events: vec![event(&format!("d{id}"), ticket)],
        ticket_id: ticket.map(TicketId),
        order: 256,
        status: OutboxStatus::Pending,
        attempts: 0,
        next_attempt_at: Timestamp(due),
        created_at: Timestamp(due),
        retry_since: Timestamp(due),
        recent_attempts: Vec::new(),
        replays: 0,
    }
}

const DELIVERIES: u64 = 300;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_lease_each_delivery_to_one_at_a_time() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("hooks2");
    let a = Arc::new(common::store(&url, &schema).await);
    let b = Arc::new(common::store(&url, &schema).await);
    let mut all: Vec<WebhookDelivery> =
        (1..=DELIVERIES).map(|id| delivery(id, "wh_1", Some(id % 7), 1_000 + id as i64)).collect();
    // Finished ones are never claimed.
    for w in all.iter_mut().filter(|w| w.id % 10 == 0) {
        w.status = if w.id % 20 == 0 { OutboxStatus::Sent } else { OutboxStatus::Failed };
    }
    let pending = all.iter().filter(|w| w.status == OutboxStatus::Pending).count();
    a.commit(Commit { webhooks: all, ..Default::default() }).await.unwrap();
    assert_eq!(b.webhooks_pending().await.unwrap(), pending as u64);

    // Eight claimers on each node, small batches, until nothing is due: every pending delivery exactly once.
    let claim_all = |lease: i64, now: i64| {
        let mut tasks = Vec::new();
        for t in 0..16 {
            let store = if t % 2 == 0 { a.clone() } else { b.clone() };
            tasks.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let got = store.claim_webhooks(Timestamp(now), Timestamp(lease), 3).await.unwrap();
                    if got.is_empty() {
                        break mine;
                    }
                    for w in got {
                        assert_eq!(w.next_attempt_at, Timestamp(lease), "returned leased");
                        mine.push(w.id);
                    }
                }
            }));
        }
        tasks
    };
    let mut claimed = Vec::new();
    for t in claim_all(50_000, 10_000) {
        claimed.extend(t.await.unwrap());
    }
    let unique: HashSet<u64> = claimed.iter().copied().collect();
    assert_eq!((claimed.len(), unique.len()), (pending, pending), "each claimed once, by one node");
    assert!(unique.iter().all(|id| id % 10 != 0), "no finished delivery claimed");
    assert_eq!(a.webhook_delivery(1).await.unwrap().unwrap().next_attempt_at, Timestamp(50_000), "stored leased");
    // Before the lease ends nobody gets them again; after, they are due again (the node holding them died).
    assert!(b.claim_webhooks(Timestamp(49_999), Timestamp(60_000), 500).await.unwrap().is_empty());
    let mut again = Vec::new();
    for t in claim_all(90_000, 50_000) {
        again.extend(t.await.unwrap());
    }
    again.sort_unstable();
    let mut expected: Vec<u64> = unique.into_iter().collect();
    expected.sort_unstable();
    assert_eq!(again, expected, "re-claimed once each after the lease");
    assert_eq!(a.webhooks_pending().await.unwrap(), pending as u64, "leased ones stay pending");

    // Sent and pruned: pending ones stay, finished ones older than the cut go, at most `limit` per call.
    let done: Vec<WebhookDelivery> = (1..=20)
        .map(|id| {
            let mut w = delivery(id, "wh_1", Some(id % 7), 1_000 + id as i64);
            w.status = OutboxStatus::Sent;
            w
        })
        .collect();
    b.commit(Commit { webhooks: done, ..Default::default() }).await.unwrap();
    assert_eq!(a.prune_webhooks(Timestamp(1_015), 5).await.unwrap(), 5);
    assert_eq!(a.prune_webhooks(Timestamp(1_015), 100).await.unwrap(), 9, "the rest of 1..=14, created before");
    assert!(a.webhook_delivery(14).await.unwrap().is_none());
    assert!(a.webhook_delivery(15).await.unwrap().is_some());
    assert!(a.webhook_delivery(21).await.unwrap().is_some(), "pending, kept");
    common::drop_schemas(&url, "hooks2").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_events_and_deliveries_commit_with_the_change_or_not_at_all() {
    let Some(url) = common::url() else { return };
    let s = common::store(&url, &common::schema_name("hooksatomic")).await;
    let t = ticket(1, 1);
    s.commit(Commit {
        tickets: vec![TicketWrite { ticket: t.clone(), expected_version: 0 }],
        events: vec![event("created", Some(1))],
        ..Default::default()
    })
    .await
    .unwrap();
    let user = CustomerUser::new("carol", "carol@acme.example", "acme");
    let lookup = Record::CustomerUser(user.clone()).lookup_keys()[0].clone();
    let mut stale = t.clone();
    stale.version = 5;
    let refused = Commit {
        tickets: vec![TicketWrite { ticket: stale, expected_version: 4 }],
        events: vec![event("lost", Some(1)), event("lost2", Some(1))],
        webhooks: vec![delivery(9, "wh_1", Some(1), 1)],
        records: vec![Record::CustomerUser(user.clone()), Record::Customer(Customer::new("acme", "Acme"))],
        ..Default::default()
    };
    match s.commit(refused.clone()).await {
        Err(StoreError::Conflict { ticket: 1, expected: 4, found: 1 }) => {}
        other => panic!("expected a conflict on ticket 1, got {other:?}"),
    }
    assert_eq!(s.last_event_seq().await.unwrap(), 1, "no seq drawn");
    assert_eq!(s.events_after(0, 10).await.unwrap().len(), 1);
    assert_eq!(s.webhook_delivery(9).await.unwrap(), None);
    assert_eq!(s.record(&RecordKey::new(RecordKind::CustomerUser, "carol")).await.unwrap(), None);
    assert_eq!(s.record(&RecordKey::new(RecordKind::Customer, "acme")).await.unwrap(), None);
    assert_eq!(s.customer_user_by_lookup(&lookup).await.unwrap(), None);

    // The same commit, right this time: everything at once, the events next in the log.
    let mut fixed = refused;
    fixed.tickets[0].expected_version = 1;
    fixed.tickets[0].ticket.version = 2;
    s.commit(fixed).await.unwrap();
    let log = s.events_after(0, 10).await.unwrap();
    let ids: Vec<(u64, &str)> = log.iter().map(|e| (e.seq, e.id.as_str())).collect();
    assert_eq!(ids, [(1, "evt_created"), (2, "evt_lost"), (3, "evt_lost2")]);
    assert_eq!(s.webhook_delivery(9).await.unwrap().map(|w| w.id), Some(9));
    assert_eq!(s.customer_user_by_lookup(&lookup).await.unwrap(), Some(user));
    assert!(s.record(&RecordKey::new(RecordKind::Customer, "acme")).await.unwrap().is_some());
    assert_eq!(s.ticket(TicketId(1)).await.unwrap().unwrap().version, 2);

    // Directory records without events are a transaction of their own too; put_record still works.
    let moved = CustomerUser::new("carol", "carol@new.example", "acme");
    s.commit(Commit { records: vec![Record::CustomerUser(moved.clone())], ..Default::default() }).await.unwrap();
    assert_eq!(s.customer_user_by_lookup(&lookup).await.unwrap(), None, "the old key left");
    let new_key = Record::CustomerUser(moved.clone()).lookup_keys()[0].clone();
    assert_eq!(s.customer_user_by_lookup(&new_key).await.unwrap(), Some(moved));
    s.put_record(Record::CustomerUser(CustomerUser::new("carol", "carol@acme.example", "acme"))).await.unwrap();
    assert!(s.customer_user_by_lookup(&lookup).await.unwrap().is_some());
    assert_eq!(s.customer_user_by_lookup(&new_key).await.unwrap(), None);
    common::drop_schemas(&url, "hooksatomic").await;
}
