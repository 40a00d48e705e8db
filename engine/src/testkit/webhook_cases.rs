//! Conformance cases for the event log and the webhook deliveries: `seq`s handed out in commit order and
//! never twice (pruning included), the feed's paging and its "never skip" rule under concurrent commits,
//! a commit's events, deliveries and directory records written with it or not at all, and the
//! deliveries' indexes (due, by subscription, pending by ticket, finished for pruning).

use super::fixtures::ticket;
use crate::directory::{CustomerUser, Record, RecordKey, RecordKind};
use crate::error::StoreError;
use crate::ids::TicketId;
use crate::join::{BoxFuture, join_all};
use crate::outbox::OutboxStatus;
use crate::store::{Commit, IdempotencyOutcome, IdempotencyRecord, Store, TicketWrite};
use crate::time::Timestamp;
use crate::webhooks::{EventRecord, EventType, WebhookDelivery};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

type Case = fn(Box<dyn Store>) -> Pin<Box<dyn Future<Output = ()> + Send>>;

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        pub(super) const ALL: &[(&str, Case)] = &[$((stringify!($name), |s| Box::pin($name(s)))),*];
    };
}

cases!(
    events_get_seqs_in_commit_order,
    events_after_pages_through_the_log,
    pruning_events_removes_the_oldest_and_never_reuses_a_seq,
    a_refused_commit_writes_no_events_deliveries_or_records,
    commit_records_are_written_with_their_lookup_keys,
    deliveries_are_inserted_and_replaced_by_id,
    claiming_deliveries_takes_the_due_ones_under_a_lease,
    deliveries_are_listed_per_subscription_newest_first,
    pending_deliveries_of_a_ticket,
    pruning_deliveries_removes_only_old_finished_ones,
    concurrent_commits_number_events_without_gaps_and_readers_never_skip,
);

/// An event about `ticket` (or the directory) at `at`, tagged `tag` in its data.
fn event(tag: &str, at: i64, ticket: Option<u64>) -> EventRecord {
    EventRecord {
        // Any value: the store assigns the seq.
        seq: 99,
        id: format!("evt_{tag}"),
        event_type: EventType::TicketCreated,
        at: Timestamp(at),
        ticket_id: ticket.map(TicketId),
        queue: ticket.map(|_| "Raw".to_string()),
        order: 256,
        data: format!(r#"{{"version":1,"tag":"{tag}"}}"#),
    }
}

/// A pending delivery of event `tag` to `subscription` about `ticket`, due at `due`, created at `created`.
fn delivery(id: u64, subscription: &str, ticket: Option<u64>, due: i64, created: i64) -> WebhookDelivery {
    WebhookDelivery {
        id,
        subscription: subscription.to_string(),
        fan_out: Vec::new(),
        events: vec![event(&format!("d{id}"), created, ticket)],
        ticket_id: ticket.map(TicketId),
        order: 256 + id,
        status: OutboxStatus::Pending,
        attempts: 0,
        next_attempt_at: Timestamp(due),
        created_at: Timestamp(created),
        retry_since: Timestamp(created),
        recent_attempts: Vec::new(),
        replays: 0,
    }
}

/// A pending fan-out entry of a commit's events about `ticket` to `subscriptions`.
fn fan_out(id: u64, subscriptions: &[&str], ticket: Option<u64>, due: i64) -> WebhookDelivery {
    WebhookDelivery {
        subscription: String::new(),
        fan_out: subscriptions.iter().map(|s| s.to_string()).collect(),
        events: vec![event(&format!("f{id}a"), due, ticket), event(&format!("f{id}b"), due, ticket)],
        ..delivery(id, "", ticket, due, due)
    }
}

fn with_status(mut w: WebhookDelivery, status: OutboxStatus) -> WebhookDelivery {
    w.status = status;
    w
}

async fn events(s: &dyn Store, events: Vec<EventRecord>) {
    s.commit(Commit { events, ..Default::default() }).await.expect("commit events");
}

async fn webhooks(s: &dyn Store, webhooks: Vec<WebhookDelivery>) {
    s.commit(Commit { webhooks, ..Default::default() }).await.expect("commit deliveries");
}

async fn all_events(s: &dyn Store) -> Vec<EventRecord> {
    s.events_after(0, 100_000).await.unwrap()
}

fn seqs(v: &[EventRecord]) -> Vec<u64> {
    v.iter().map(|e| e.seq).collect()
}

fn ids(v: &[WebhookDelivery]) -> Vec<u64> {
    v.iter().map(|w| w.id).collect()
}

async fn events_get_seqs_in_commit_order(s: Box<dyn Store>) {
    let s = s.as_ref();
    assert_eq!(s.last_event_seq().await.unwrap(), 0, "an empty log");
    assert!(all_events(s).await.is_empty());
    // With a ticket and a fan-out entry, as the engine writes them.
    let t = ticket(1, 1);
    s.commit(Commit {
        tickets: vec![TicketWrite { ticket: t, expected_version: 0 }],
        events: vec![event("a", 1, Some(1)), event("b", 1, Some(1)), event("c", 1, Some(1))],
        webhooks: vec![fan_out(7, &["wh_1"], Some(1), 1)],
        ..Default::default()
    })
    .await
    .unwrap();
    events(s, vec![event("d", 2, None), event("e", 2, None)]).await;
    let log = all_events(s).await;
    assert_eq!(seqs(&log), vec![1, 2, 3, 4, 5], "seqs 1, 2, 3.. in commit order");
    let tags: Vec<&str> = log.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(tags, ["evt_a", "evt_b", "evt_c", "evt_d", "evt_e"], "in the commits' order");
    let mut expected = event("a", 1, Some(1));
    expected.seq = 1;
    assert_eq!(log[0], expected, "kept exactly, with its seq");
    assert_eq!(s.last_event_seq().await.unwrap(), 5);
    assert!(s.webhook_delivery(7).await.unwrap().is_some(), "the fan-out entry came with its events");
    // A commit without events takes no seq.
    s.commit(Commit::default()).await.unwrap();
    events(s, vec![event("f", 3, None)]).await;
    assert_eq!(s.last_event_seq().await.unwrap(), 6);
}

async fn events_after_pages_through_the_log(s: Box<dyn Store>) {
    let s = s.as_ref();
    for i in 0..10 {
        events(s, vec![event(&i.to_string(), i, None)]).await;
    }
    assert_eq!(seqs(&s.events_after(0, 3).await.unwrap()), vec![1, 2, 3]);
    assert_eq!(seqs(&s.events_after(3, 3).await.unwrap()), vec![4, 5, 6], "strictly after");
    assert_eq!(seqs(&s.events_after(8, 5).await.unwrap()), vec![9, 10], "up to the end");
    assert!(s.events_after(10, 5).await.unwrap().is_empty(), "nothing after the last");
    assert!(s.events_after(u64::MAX, 5).await.unwrap().is_empty());
    assert!(s.events_after(0, 0).await.unwrap().is_empty(), "limit 0");
    // Resuming from the last seq seen walks the whole log once.
    let mut cursor = 0;
    let mut seen = Vec::new();
    loop {
        let page = s.events_after(cursor, 4).await.unwrap();
        let Some(last) = page.last() else { break };
        cursor = last.seq;
        seen.extend(seqs(&page));
    }
    assert_eq!(seen, (1..=10).collect::<Vec<u64>>());
}

async fn pruning_events_removes_the_oldest_and_never_reuses_a_seq(s: Box<dyn Store>) {
    let s = s.as_ref();
    assert_eq!(s.prune_events(Timestamp(1_000), 10).await.unwrap(), 0, "nothing to prune");
    events(s, vec![event("10", 10, None), event("20", 20, None)]).await;
    events(s, vec![event("30", 30, None), event("35", 35, None), event("50", 50, None)]).await;
    assert_eq!(s.prune_events(Timestamp(35), 2).await.unwrap(), 2, "at most the limit");
    assert_eq!(seqs(&all_events(s).await), vec![3, 4, 5], "the oldest went first");
    assert_eq!(s.prune_events(Timestamp(35), 10).await.unwrap(), 1);
    assert_eq!(seqs(&all_events(s).await), vec![4, 5], "an event at `before` is kept");
    assert_eq!(s.prune_events(Timestamp(35), 10).await.unwrap(), 0);
    assert_eq!(s.prune_events(Timestamp(1_000), 10).await.unwrap(), 2, "everything");
    assert!(all_events(s).await.is_empty());
    assert_eq!(s.last_event_seq().await.unwrap(), 5, "the last seq survives an empty log");
    events(s, vec![event("60", 60, None)]).await;
    assert_eq!(seqs(&all_events(s).await), vec![6], "a seq is never handed out twice");
    assert_eq!(s.last_event_seq().await.unwrap(), 6);
    assert_eq!(seqs(&s.events_after(5, 10).await.unwrap()), vec![6], "a feed at 5 resumes");
}

async fn a_refused_commit_writes_no_events_deliveries_or_records(s: Box<dyn Store>) {
    let s = s.as_ref();
    let t = ticket(1, 1);
    s.commit(Commit {
        tickets: vec![TicketWrite { ticket: t.clone(), expected_version: 0 }],
        events: vec![event("created", 1, Some(1))],
        idempotency: Some(IdempotencyRecord {
            key: "k".into(),
            ticket_id: Some(TicketId(1)),
            article_id: None,
            outcome: IdempotencyOutcome::NewTicket,
            detail: None,
            at: Timestamp(1),
        }),
        ..Default::default()
    })
    .await
    .unwrap();
    let user = CustomerUser::new("carol", "carol@acme.example", "acme");
    let lookup = Record::CustomerUser(user.clone()).lookup_keys()[0].clone();
    let mut stale = t.clone();
    stale.version = 3;
    stale.title = "lost update".into();
    let refused = Commit {
        tickets: vec![TicketWrite { ticket: stale, expected_version: 2 }],
        events: vec![event("lost", 2, Some(1))],
        webhooks: vec![fan_out(5, &["wh_1"], Some(1), 2), delivery(6, "wh_1", Some(1), 2, 2)],
        records: vec![Record::CustomerUser(user)],
        ..Default::default()
    };
    assert!(matches!(s.commit(refused).await, Err(StoreError::Conflict { .. })), "a version conflict");
    let mut again = Commit {
        events: vec![event("dup", 2, None)],
        webhooks: vec![delivery(8, "wh_1", None, 2, 2)],
        idempotency: Some(IdempotencyRecord {
            key: "k".into(),
            ticket_id: None,
            article_id: None,
            outcome: IdempotencyOutcome::Rejected,
            detail: None,
            at: Timestamp(2),
        }),
        ..Default::default()
    };
    again.records.push(Record::CustomerUser(CustomerUser::new("dave", "dave@acme.example", "acme")));
    assert!(matches!(s.commit(again).await, Err(StoreError::Duplicate { .. })), "a duplicate idempotency key");
    assert_eq!(seqs(&all_events(s).await), vec![1], "no event of a refused commit");
    assert_eq!(s.last_event_seq().await.unwrap(), 1, "nor a seq");
    for id in [5, 6, 8] {
        assert_eq!(s.webhook_delivery(id).await.unwrap(), None, "no delivery {id} of a refused commit");
    }
    assert_eq!(s.webhooks_pending().await.unwrap(), 0);
    assert!(s.pending_webhooks_for_ticket(TicketId(1)).await.unwrap().is_empty());
    assert!(s.webhook_deliveries("wh_1", None, 10).await.unwrap().is_empty());
    assert_eq!(s.record(&RecordKey::new(RecordKind::CustomerUser, "carol")).await.unwrap(), None, "nor a record");
    assert_eq!(s.record(&RecordKey::new(RecordKind::CustomerUser, "dave")).await.unwrap(), None);
    assert_eq!(s.customer_user_by_lookup(&lookup).await.unwrap(), None, "nor a lookup key");
    assert_eq!(s.ticket(TicketId(1)).await.unwrap(), Some(t), "nor the ticket");
    events(s, vec![event("next", 3, None)]).await;
    assert_eq!(seqs(&all_events(s).await), vec![1, 2], "the next commit takes the next seq, no gap");
}

async fn commit_records_are_written_with_their_lookup_keys(s: Box<dyn Store>) {
    let s = s.as_ref();
    let mut user = CustomerUser::new("carol", "Carol@Acme.example", "acme");
    user.identities = vec!["telegram:7".into()];
    let record = Record::CustomerUser(user.clone());
    let keys = record.lookup_keys();
    assert_eq!(keys.len(), 2);
    s.commit(Commit {
        events: vec![event("carol", 1, None)],
        records: vec![record.clone(), Record::Customer(crate::directory::Customer::new("acme", "Acme"))],
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(s.record(&record.key()).await.unwrap(), Some(record), "the record");
    for k in &keys {
        assert_eq!(s.customer_user_by_lookup(k).await.unwrap(), Some(user.clone()), "found by {k}");
    }
    assert!(s.record(&RecordKey::new(RecordKind::Customer, "acme")).await.unwrap().is_some());
    assert_eq!(seqs(&all_events(s).await), vec![1], "with its event");
    // Replacing it moves its lookup keys, exactly as put_record does.
    let mut moved = user.clone();
    moved.email = "carol@new.example".into();
    moved.identities = Vec::new();
    let moved_record = Record::CustomerUser(moved.clone());
    s.commit(Commit { records: vec![moved_record.clone()], ..Default::default() }).await.unwrap();
    for k in &keys {
        assert_eq!(s.customer_user_by_lookup(k).await.unwrap(), None, "{k} left with the old record");
    }
    assert_eq!(s.customer_user_by_lookup(&moved_record.lookup_keys()[0]).await.unwrap(), Some(moved.clone()));
    // And the same record through put_record reads the same.
    s.put_record(Record::CustomerUser(user.clone())).await.unwrap();
    assert_eq!(s.customer_user_by_lookup(&keys[0]).await.unwrap(), Some(user));
    assert_eq!(s.customer_user_by_lookup(&moved_record.lookup_keys()[0]).await.unwrap(), None);
}

async fn deliveries_are_inserted_and_replaced_by_id(s: Box<dyn Store>) {
    let s = s.as_ref();
    assert_eq!(s.webhook_delivery(1).await.unwrap(), None);
    let d = delivery(1, "wh_1", Some(4), 10, 5);
    let f = fan_out(2, &["wh_1", "wh_2"], Some(4), 10);
    webhooks(s, vec![d.clone(), f.clone()]).await;
    assert_eq!(s.webhook_delivery(1).await.unwrap(), Some(d.clone()), "kept exactly");
    assert_eq!(s.webhook_delivery(2).await.unwrap(), Some(f), "a fan-out entry too");
    assert_eq!(s.webhooks_pending().await.unwrap(), 2);
    let mut sent = with_status(d, OutboxStatus::Sent);
    sent.attempts = 1;
    sent.recent_attempts.push(crate::webhooks::WebhookAttempt {
        at: Timestamp(11),
        status: Some(200),
        latency_ms: 42,
        error: None,
    });
    webhooks(s, vec![sent.clone()]).await;
    assert_eq!(s.webhook_delivery(1).await.unwrap(), Some(sent), "replaced by id");
    assert_eq!(s.webhooks_pending().await.unwrap(), 1, "a sent delivery is no longer pending");
    assert_eq!(ids(&s.webhook_deliveries("wh_1", None, 10).await.unwrap()), vec![1], "listed once");
}

async fn claiming_deliveries_takes_the_due_ones_under_a_lease(s: Box<dyn Store>) {
    let s = s.as_ref();
    assert!(s.claim_webhooks(Timestamp(1_000), Timestamp(2_000), 10).await.unwrap().is_empty(), "none");
    webhooks(
        s,
        vec![
            delivery(1, "wh_1", Some(1), 30, 1),
            delivery(2, "wh_1", Some(1), 10, 1),
            fan_out(3, &["wh_2"], Some(2), 20),
            delivery(4, "wh_2", None, 50, 1),
            with_status(delivery(5, "wh_1", Some(1), 5, 1), OutboxStatus::Sent),
            with_status(delivery(6, "wh_1", Some(1), 5, 1), OutboxStatus::Failed),
        ],
    )
    .await;
    assert_eq!(s.webhooks_pending().await.unwrap(), 4, "sent and failed ones are not pending");
    let first = s.claim_webhooks(Timestamp(25), Timestamp(100), 10).await.unwrap();
    assert_eq!(ids(&first), vec![2, 3], "the due ones, earliest first; never sent or failed ones");
    assert!(first.iter().all(|w| w.next_attempt_at == Timestamp(100)), "returned as updated");
    assert_eq!(s.webhook_delivery(2).await.unwrap().unwrap().next_attempt_at, Timestamp(100), "stored");
    assert!(s.claim_webhooks(Timestamp(25), Timestamp(100), 10).await.unwrap().is_empty(), "leased: not again");
    assert_eq!(ids(&s.claim_webhooks(Timestamp(99), Timestamp(200), 1).await.unwrap()), vec![1], "limit");
    assert_eq!(ids(&s.claim_webhooks(Timestamp(99), Timestamp(200), 10).await.unwrap()), vec![4]);
    assert!(s.claim_webhooks(Timestamp(99), Timestamp(300), 10).await.unwrap().is_empty());
    assert_eq!(
        ids(&s.claim_webhooks(Timestamp(100), Timestamp(300), 10).await.unwrap()),
        vec![2, 3],
        "claimable again once the lease ends"
    );
    assert_eq!(s.webhooks_pending().await.unwrap(), 4, "claimed ones are still pending");
    // Finished ones leave the due index; one made pending again (a replay) comes back.
    let done = with_status(s.webhook_delivery(2).await.unwrap().unwrap(), OutboxStatus::Sent);
    let dead = with_status(s.webhook_delivery(3).await.unwrap().unwrap(), OutboxStatus::Failed);
    let mut replayed = s.webhook_delivery(6).await.unwrap().unwrap();
    replayed.status = OutboxStatus::Pending;
    replayed.next_attempt_at = Timestamp(150);
    webhooks(s, vec![done, dead, replayed]).await;
    assert_eq!(s.webhooks_pending().await.unwrap(), 3);
    assert_eq!(ids(&s.claim_webhooks(Timestamp(1_000), Timestamp(2_000), 10).await.unwrap()), vec![6, 1, 4]);
}

async fn deliveries_are_listed_per_subscription_newest_first(s: Box<dyn Store>) {
    let s = s.as_ref();
    webhooks(
        s,
        vec![
            delivery(1, "a", Some(1), 1, 1),
            delivery(2, "b", Some(1), 1, 1),
            with_status(delivery(3, "a", None, 1, 1), OutboxStatus::Sent),
            fan_out(4, &["a", "b"], Some(1), 1),
            with_status(delivery(5, "a", Some(2), 1, 1), OutboxStatus::Failed),
            delivery(7, "a", Some(2), 1, 1),
            delivery(8, "ab", Some(2), 1, 1),
        ],
    )
    .await;
    assert_eq!(ids(&s.webhook_deliveries("a", None, 10).await.unwrap()), vec![7, 5, 3, 1], "no fan-out entry");
    assert_eq!(ids(&s.webhook_deliveries("a", None, 2).await.unwrap()), vec![7, 5], "limit");
    assert_eq!(ids(&s.webhook_deliveries("a", Some(5), 10).await.unwrap()), vec![3, 1], "below `before`");
    assert_eq!(ids(&s.webhook_deliveries("a", Some(1), 10).await.unwrap()), Vec::<u64>::new());
    assert_eq!(ids(&s.webhook_deliveries("b", None, 10).await.unwrap()), vec![2]);
    assert_eq!(ids(&s.webhook_deliveries("ab", None, 10).await.unwrap()), vec![8], "no prefix match");
    assert!(s.webhook_deliveries("", None, 10).await.unwrap().is_empty(), "fan-out entries are nobody's");
    assert!(s.webhook_deliveries("c", None, 10).await.unwrap().is_empty());
    assert!(s.webhook_deliveries("a", None, 0).await.unwrap().is_empty(), "limit 0");
}

async fn pending_deliveries_of_a_ticket(s: Box<dyn Store>) {
    let s = s.as_ref();
    webhooks(
        s,
        vec![
            fan_out(1, &["a"], Some(1), 1),
            delivery(2, "a", Some(1), 1, 1),
            with_status(delivery(3, "a", Some(1), 1, 1), OutboxStatus::Sent),
            delivery(4, "a", Some(2), 1, 1),
            delivery(5, "a", None, 1, 1),
            with_status(delivery(6, "b", Some(1), 1, 1), OutboxStatus::Failed),
        ],
    )
    .await;
    assert_eq!(ids(&s.pending_webhooks_for_ticket(TicketId(1)).await.unwrap()), vec![1, 2], "pending, fan-out too");
    assert_eq!(ids(&s.pending_webhooks_for_ticket(TicketId(2)).await.unwrap()), vec![4]);
    assert!(s.pending_webhooks_for_ticket(TicketId(3)).await.unwrap().is_empty());
    let sent = with_status(s.webhook_delivery(2).await.unwrap().unwrap(), OutboxStatus::Sent);
    let replayed = with_status(s.webhook_delivery(3).await.unwrap().unwrap(), OutboxStatus::Pending);
    webhooks(s, vec![sent, replayed]).await;
    assert_eq!(ids(&s.pending_webhooks_for_ticket(TicketId(1)).await.unwrap()), vec![1, 3], "follows the status");
    let split = with_status(s.webhook_delivery(1).await.unwrap().unwrap(), OutboxStatus::Sent);
    webhooks(s, vec![split]).await;
    assert_eq!(ids(&s.pending_webhooks_for_ticket(TicketId(1)).await.unwrap()), vec![3]);
}

async fn pruning_deliveries_removes_only_old_finished_ones(s: Box<dyn Store>) {
    let s = s.as_ref();
    assert_eq!(s.prune_webhooks(Timestamp(1_000), 10).await.unwrap(), 0, "nothing to prune");
    webhooks(
        s,
        vec![
            with_status(delivery(1, "a", Some(1), 1, 10), OutboxStatus::Sent),
            delivery(2, "a", Some(1), 1, 10),
            with_status(delivery(3, "a", None, 1, 20), OutboxStatus::Failed),
            with_status(fan_out(4, &["a"], Some(1), 25), OutboxStatus::Sent),
            with_status(delivery(5, "a", Some(1), 1, 35), OutboxStatus::Sent),
            with_status(delivery(6, "a", Some(2), 1, 40), OutboxStatus::Sent),
        ],
    )
    .await;
    assert_eq!(s.prune_webhooks(Timestamp(35), 1).await.unwrap(), 1, "at most the limit");
    assert_eq!(s.webhook_delivery(1).await.unwrap(), None, "the oldest went first");
    assert_eq!(s.prune_webhooks(Timestamp(35), 10).await.unwrap(), 2, "the other finished ones before 35");
    assert_eq!(s.prune_webhooks(Timestamp(35), 10).await.unwrap(), 0);
    for id in [1, 3, 4] {
        assert_eq!(s.webhook_delivery(id).await.unwrap(), None, "{id} pruned");
    }
    for id in [2, 5, 6] {
        assert!(s.webhook_delivery(id).await.unwrap().is_some(), "{id} kept (pending, or not old)");
    }
    assert_eq!(ids(&s.webhook_deliveries("a", None, 10).await.unwrap()), vec![6, 5, 2], "gone from the list");
    assert_eq!(ids(&s.pending_webhooks_for_ticket(TicketId(1)).await.unwrap()), vec![2]);
    assert_eq!(s.prune_webhooks(Timestamp(1_000), 10).await.unwrap(), 2, "a pending one is never pruned");
    assert_eq!(s.webhooks_pending().await.unwrap(), 1);
    assert_eq!(ids(&s.claim_webhooks(Timestamp(1), Timestamp(2), 10).await.unwrap()), vec![2]);
}

/// Returns `Pending` once, so that other futures of a [`join_all`] get polled.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

const WRITERS: usize = 8;
const COMMITS: usize = 20;

async fn concurrent_commits_number_events_without_gaps_and_readers_never_skip(s: Box<dyn Store>) {
    let s: &dyn Store = s.as_ref();
    let finished = &AtomicUsize::new(0);
    // Writer w's commit c holds 1 to 3 events tagged w/c/k.
    let per_commit = |w: usize, c: usize| 1 + (w + c) % 3;
    let total: usize = (0..WRITERS).flat_map(|w| (0..COMMITS).map(move |c| per_commit(w, c))).sum();
    let mut futs: Vec<BoxFuture<'_, Vec<u64>>> = (0..WRITERS)
        .map(|w| {
            Box::pin(async move {
                for c in 0..COMMITS {
                    let evs = (0..per_commit(w, c)).map(|k| event(&format!("{w}/{c}/{k}"), 1, None)).collect();
                    s.commit(Commit { events: evs, ..Default::default() }).await.expect("commit events");
                }
                finished.fetch_add(1, Ordering::SeqCst);
                Vec::new()
            }) as BoxFuture<'_, Vec<u64>>
        })
        .collect();
    // A feed polling while they commit: every page continues exactly where the last one ended.
    futs.push(Box::pin(async move {
        let mut seen = Vec::new();
        let mut cursor = 0u64;
        loop {
            let done = finished.load(Ordering::SeqCst) == WRITERS;
            let page = s.events_after(cursor, 7).await.expect("read the feed");
            for e in &page {
                assert_eq!(e.seq, cursor + 1, "the feed saw seq {} right after {cursor}: none skipped", e.seq);
                cursor = e.seq;
                seen.push(e.seq);
            }
            if done && page.is_empty() {
                break;
            }
            YieldNow(false).await;
        }
        seen
    }));
    let results = join_all(futs).await;
    let seen = results.last().cloned().unwrap_or_default();
    assert_eq!(seen, (1..=total as u64).collect::<Vec<u64>>(), "the feed saw every event once, in order");
    let log = all_events(s).await;
    assert_eq!(seqs(&log), (1..=total as u64).collect::<Vec<u64>>(), "no gaps, no duplicates");
    assert_eq!(s.last_event_seq().await.unwrap(), total as u64);
    // Each writer's events in its own order, each commit's events together.
    for w in 0..WRITERS {
        let mine: Vec<(u64, String)> =
            log.iter().filter(|e| e.id.starts_with(&format!("evt_{w}/"))).map(|e| (e.seq, e.id.clone())).collect();
        let expected: Vec<String> =
            (0..COMMITS).flat_map(|c| (0..per_commit(w, c)).map(move |k| format!("evt_{w}/{c}/{k}"))).collect();
        assert_eq!(mine.iter().map(|(_, id)| id.clone()).collect::<Vec<_>>(), expected, "writer {w} in order");
        let mut i = 0;
        for c in 0..COMMITS {
            let n = per_commit(w, c);
            let first = mine[i].0;
            assert!(
                mine[i..i + n].iter().enumerate().all(|(k, (seq, _))| *seq == first + k as u64),
                "one commit's events are consecutive"
            );
            i += n;
        }
    }
}
