//! The conformance cases. Each takes a fresh store.

use super::escalation_cases::running;
use super::fixtures::{article, outbox_entry, ticket};
use crate::directory::{
    Agent, CustomerUser, Grant, GrantSubject, Group, Queue, Record, RecordKey, RecordKind, StateType,
};
use crate::error::{DuplicateKind, StoreError};
use crate::history::{HistoryEntry, HistoryKind};
use crate::ids::{ArticleId, OutboxId, TicketId};
use crate::join::{BoxFuture, join_all};
use crate::outbox::OutboxStatus;
use crate::permissions::{Permission, PermissionSet};
use crate::sla::Escalation;
use crate::store::{
    Commit, CounterAdd, Cursor, IdempotencyOutcome, IdempotencyRecord, Store, TicketIndex, TicketWrite,
};
use crate::ticket::Ticket;
use crate::time::Timestamp;
use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;

type Case = fn(Box<dyn Store>) -> Pin<Box<dyn Future<Output = ()> + Send>>;

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        pub(super) const ALL: &[(&str, Case)] = &[$((stringify!($name), |s| Box::pin($name(s)))),*];
    };
}

cases!(
    counters_start_at_one_and_never_repeat,
    concurrent_allocations_are_unique,
    commits_move_counters,
    insert_and_read_ticket,
    duplicate_ticket_number_or_id_is_refused,
    version_conflict_fails_the_whole_commit,
    articles_history_and_external_ids,
    moving_an_article_reindexes_it,
    idempotency_keys_are_unique,
    adapter_state_commits_with_the_change,
    listings_are_newest_first_and_paginate,
    listings_follow_ticket_changes,
    counts_follow_every_index,
    due_tickets_follow_pending_state,
    outbox_claims_respect_leases,
    records_by_kind_and_prefix,
    customer_user_lookup_keys,
    people_keep_their_language_and_time_zone,
    meta_values,
    concurrent_commits_to_one_ticket_conflict,
    watchers_and_lock_expiry_are_kept,
    notification_outbox_entries_round_trip,
);

fn insert(t: &Ticket) -> TicketWrite {
    TicketWrite { ticket: t.clone(), expected_version: 0 }
}

fn update(t: &Ticket, expected: u64) -> TicketWrite {
    let mut t = t.clone();
    t.version = expected + 1;
    TicketWrite { ticket: t, expected_version: expected }
}

fn hist(ticket: u64, msg: &str) -> HistoryEntry {
    HistoryEntry {
        ticket_id: TicketId(ticket),
        at: Timestamp(1),
        actor: "system".into(),
        kind: HistoryKind::Created,
        message: msg.into(),
        text: None,
    }
}

async fn put_ticket(s: &dyn Store, t: &Ticket) {
    s.commit(Commit { tickets: vec![insert(t)], ..Default::default() }).await.expect("insert ticket");
}

async fn counters_start_at_one_and_never_repeat(s: Box<dyn Store>) {
    assert_eq!(s.allocate("a", 1).await.unwrap(), 1);
    assert_eq!(s.allocate("a", 1).await.unwrap(), 2);
    assert_eq!(s.allocate("a", 10).await.unwrap(), 3, "a block starts after the last value");
    assert_eq!(s.allocate("a", 1).await.unwrap(), 13, "the whole block was reserved");
    assert_eq!(s.allocate("b", 1).await.unwrap(), 1, "scopes are independent");
    assert_eq!(s.allocate("ticket_number:20261127", 1).await.unwrap(), 1);
}

async fn concurrent_allocations_are_unique(s: Box<dyn Store>) {
    let s: &dyn Store = s.as_ref();
    let futs: Vec<BoxFuture<'_, u64>> =
        (0..200).map(|_| Box::pin(async move { s.allocate("c", 1).await.unwrap() }) as Pin<Box<_>>).collect();
    let values = join_all(futs).await;
    let unique: HashSet<u64> = values.iter().copied().collect();
    assert_eq!(unique.len(), 200, "every concurrent allocation got its own value");
    assert_eq!(unique.iter().max(), Some(&200));
}

async fn commits_move_counters(s: Box<dyn Store>) {
    let add = |scope: &str, add: u64| CounterAdd { scope: scope.into(), add };
    assert_eq!(s.counter("x").await.unwrap(), 0, "a counter never moved reads 0");
    assert_eq!(s.allocate("x", 3).await.unwrap(), 1);
    assert_eq!(s.counter("x").await.unwrap(), 3, "the last value handed out");
    let t = ticket(1, 100);
    let c = Commit { tickets: vec![insert(&t)], counters: vec![add("x", 2), add("y", 1)], ..Default::default() };
    s.commit(c).await.unwrap();
    assert_eq!(s.counter("x").await.unwrap(), 5);
    assert_eq!(s.counter("y").await.unwrap(), 1);
    assert_eq!(s.allocate("x", 1).await.unwrap(), 6, "allocation goes on after what commits counted");
    // A refused commit counts nothing.
    let again = Commit { tickets: vec![insert(&t)], counters: vec![add("x", 10)], ..Default::default() };
    assert!(s.commit(again).await.is_err());
    assert_eq!(s.counter("x").await.unwrap(), 6);
    // Counters alone, and many commits counting the same counter at once.
    s.commit(Commit { counters: vec![add("z", 4)], ..Default::default() }).await.unwrap();
    let s: &dyn Store = s.as_ref();
    let futs: Vec<BoxFuture<'_, ()>> = (0..40u64)
        .map(|i| {
            Box::pin(async move {
                let t = ticket(10 + i, 1000 + i as i64);
                let c = Commit {
                    tickets: vec![insert(&t)],
                    counters: vec![add("z", 1), add("x", 1)],
                    ..Default::default()
                };
                s.commit(c).await.unwrap();
            }) as Pin<Box<_>>
        })
        .collect();
    join_all(futs).await;
    assert_eq!(s.counter("z").await.unwrap(), 44, "no concurrent addition lost");
    assert_eq!(s.counter("x").await.unwrap(), 46);
}

async fn insert_and_read_ticket(s: Box<dyn Store>) {
    let t = ticket(1, 100);
    put_ticket(s.as_ref(), &t).await;
    assert_eq!(s.ticket(TicketId(1)).await.unwrap(), Some(t.clone()));
    assert_eq!(s.ticket_by_number(&t.number).await.unwrap(), Some(t.clone()));
    assert_eq!(s.ticket(TicketId(2)).await.unwrap(), None);
    assert_eq!(s.ticket_by_number("nope").await.unwrap(), None);
    assert!(s.articles(TicketId(1)).await.unwrap().is_empty());
    assert!(s.history(TicketId(1)).await.unwrap().is_empty());
}

async fn duplicate_ticket_number_or_id_is_refused(s: Box<dyn Store>) {
    let t = ticket(1, 100);
    put_ticket(s.as_ref(), &t).await;
    let mut same_number = ticket(2, 100);
    same_number.number = t.number.clone();
    let err = s
        .commit(Commit {
            tickets: vec![insert(&same_number)],
            articles: vec![article(7, 2, None)],
            ..Default::default()
        })
        .await;
    assert!(
        matches!(err, Err(StoreError::Duplicate { kind: DuplicateKind::TicketNumber, .. })),
        "same number: {err:?}"
    );
    assert_eq!(s.article(ArticleId(7)).await.unwrap(), None, "a refused commit leaves nothing behind");
    let mut same_id = ticket(1, 100);
    same_id.number = "other".into();
    let err = s.commit(Commit { tickets: vec![insert(&same_id)], ..Default::default() }).await;
    assert!(matches!(err, Err(StoreError::Duplicate { kind: DuplicateKind::TicketId, .. })), "same id: {err:?}");
    let (a, mut b) = (ticket(3, 1), ticket(4, 1));
    b.number = a.number.clone();
    let err = s.commit(Commit { tickets: vec![insert(&a), insert(&b)], ..Default::default() }).await;
    assert!(
        matches!(err, Err(StoreError::Duplicate { kind: DuplicateKind::TicketNumber, .. })),
        "two new tickets with one number in one commit: {err:?}"
    );
    assert_eq!(s.ticket(TicketId(3)).await.unwrap(), None);
}

async fn version_conflict_fails_the_whole_commit(s: Box<dyn Store>) {
    let t = ticket(1, 100);
    put_ticket(s.as_ref(), &t).await;
    let stale = s
        .commit(Commit {
            tickets: vec![update(&t, 5)],
            articles: vec![article(1, 1, Some("<m1@x>"))],
            history: vec![hist(1, "x")],
            ..Default::default()
        })
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict { ticket: 1, expected: 5, found: 1 })), "{stale:?}");
    assert!(s.articles(TicketId(1)).await.unwrap().is_empty(), "no article from a conflicting commit");
    assert!(s.history(TicketId(1)).await.unwrap().is_empty(), "no history from a conflicting commit");
    assert_eq!(s.article_by_external_id("<m1@x>").await.unwrap(), None);
    let mut changed = t.clone();
    changed.title = "changed".into();
    s.commit(Commit { tickets: vec![update(&changed, 1)], ..Default::default() }).await.unwrap();
    let now = s.ticket(TicketId(1)).await.unwrap().unwrap();
    assert_eq!((now.version, now.title.as_str()), (2, "changed"));
    let again = s.commit(Commit { tickets: vec![update(&changed, 1)], ..Default::default() }).await;
    assert!(matches!(again, Err(StoreError::Conflict { .. })), "the old version is stale now");
    let missing = s.commit(Commit { tickets: vec![update(&ticket(9, 1), 1)], ..Default::default() }).await;
    assert!(matches!(missing, Err(StoreError::Conflict { found: 0, .. })), "updating a missing ticket: {missing:?}");
}

async fn articles_history_and_external_ids(s: Box<dyn Store>) {
    put_ticket(s.as_ref(), &ticket(1, 100)).await;
    put_ticket(s.as_ref(), &ticket(2, 100)).await;
    let mut a3 = article(3, 1, Some("<m3@x>"));
    a3.created_at = Timestamp(3);
    s.commit(Commit {
        articles: vec![article(1, 1, Some("<m1@x>")), article(2, 2, None)],
        history: vec![hist(1, "one"), hist(1, "two")],
        ..Default::default()
    })
    .await
    .unwrap();
    s.commit(Commit { articles: vec![a3.clone()], history: vec![hist(1, "three")], ..Default::default() })
        .await
        .unwrap();
    let ids: Vec<u64> = s.articles(TicketId(1)).await.unwrap().iter().map(|a| a.id.0).collect();
    assert_eq!(ids, vec![1, 3], "a ticket's articles, oldest first");
    assert_eq!(s.article(ArticleId(3)).await.unwrap(), Some(a3), "articles round-trip unchanged (attachments too)");
    let msgs: Vec<String> = s.history(TicketId(1)).await.unwrap().into_iter().map(|h| h.message).collect();
    assert_eq!(msgs, vec!["one", "two", "three"], "history in commit order");
    let (t, with) = s.ticket_with_articles(&ticket(1, 100).number).await.unwrap().unwrap();
    assert_eq!(t.id, TicketId(1), "ticket_with_articles finds the ticket by number");
    assert_eq!(with, s.articles(TicketId(1)).await.unwrap(), "and the same articles, oldest first");
    assert_eq!(s.ticket_with_articles("nope").await.unwrap(), None);
    assert_eq!(s.article_by_external_id("<m1@x>").await.unwrap().map(|a| a.id), Some(ArticleId(1)));
    assert_eq!(s.article_by_external_id("<none@x>").await.unwrap(), None);
    s.commit(Commit { articles: vec![article(4, 2, Some("<m1@x>"))], ..Default::default() }).await.unwrap();
    assert_eq!(
        s.article_by_external_id("<m1@x>").await.unwrap().map(|a| a.id),
        Some(ArticleId(4)),
        "the latest article with an id wins"
    );
}

async fn moving_an_article_reindexes_it(s: Box<dyn Store>) {
    put_ticket(s.as_ref(), &ticket(1, 100)).await;
    put_ticket(s.as_ref(), &ticket(2, 100)).await;
    s.commit(Commit { articles: vec![article(1, 1, Some("<m@x>"))], ..Default::default() }).await.unwrap();
    let mut moved = article(1, 2, Some("<m@x>"));
    moved.body = "moved".into();
    s.commit(Commit { articles: vec![moved], ..Default::default() }).await.unwrap();
    assert!(s.articles(TicketId(1)).await.unwrap().is_empty(), "moved away");
    let to: Vec<_> = s.articles(TicketId(2)).await.unwrap();
    assert_eq!((to.len(), to[0].body.as_str()), (1, "moved"));
    assert_eq!(s.article_by_external_id("<m@x>").await.unwrap().map(|a| a.ticket_id), Some(TicketId(2)));
}

async fn idempotency_keys_are_unique(s: Box<dyn Store>) {
    let rec = |key: &str| IdempotencyRecord {
        key: key.into(),
        ticket_id: Some(TicketId(1)),
        article_id: Some(ArticleId(1)),
        outcome: IdempotencyOutcome::NewTicket,
        detail: None,
        at: Timestamp(5),
    };
    s.commit(Commit { tickets: vec![insert(&ticket(1, 1))], idempotency: Some(rec("k1")), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(s.idempotency("k1").await.unwrap(), Some(rec("k1")));
    assert_eq!(s.idempotency("k2").await.unwrap(), None);
    let dup = s
        .commit(Commit { tickets: vec![insert(&ticket(2, 1))], idempotency: Some(rec("k1")), ..Default::default() })
        .await;
    assert!(matches!(dup, Err(StoreError::Duplicate { kind: DuplicateKind::IdempotencyKey, .. })), "{dup:?}");
    assert_eq!(s.ticket(TicketId(2)).await.unwrap(), None, "a duplicate key refuses the whole commit");
    let conflict = s
        .commit(Commit { tickets: vec![update(&ticket(1, 1), 9)], idempotency: Some(rec("k3")), ..Default::default() })
        .await;
    assert!(conflict.is_err());
    assert_eq!(s.idempotency("k3").await.unwrap(), None, "a failed commit records no key");
    // Every outcome reads back as it was written, the refusal with its reason.
    let outcomes = [
        (IdempotencyOutcome::FollowUp, None),
        (IdempotencyOutcome::Rejected, Some("the queue takes no follow-ups".to_string())),
    ];
    for (i, (outcome, detail)) in outcomes.into_iter().enumerate() {
        let key = format!("outcome-{i}");
        let r = IdempotencyRecord { key: key.clone(), outcome, detail, ..rec("") };
        let t = ticket(10 + i as u64, 1);
        s.commit(Commit { tickets: vec![insert(&t)], idempotency: Some(r.clone()), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(s.idempotency(&key).await.unwrap(), Some(r));
    }
}

async fn adapter_state_commits_with_the_change(s: Box<dyn Store>) {
    use crate::store::MetaWrite;
    let put = |k: &str, v: &str| MetaWrite { key: k.into(), value: Some(v.as_bytes().to_vec()) };
    let rec = |key: &str| IdempotencyRecord {
        key: key.into(),
        ticket_id: Some(TicketId(1)),
        article_id: None,
        outcome: IdempotencyOutcome::NewTicket,
        detail: None,
        at: Timestamp(5),
    };
    s.put_meta("mail:cursor:gone", Some(b"x".to_vec())).await.unwrap();
    s.commit(Commit {
        tickets: vec![insert(&ticket(1, 1))],
        idempotency: Some(rec("m1")),
        meta: vec![put("mail:cursor:a/INBOX", "7:41"), MetaWrite { key: "mail:cursor:gone".into(), value: None }],
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(s.meta("mail:cursor:a/INBOX").await.unwrap(), Some(b"7:41".to_vec()));
    assert_eq!(s.meta("mail:cursor:gone").await.unwrap(), None, "a None value deletes the key");
    let refused = s
        .commit(Commit {
            tickets: vec![insert(&ticket(2, 1))],
            idempotency: Some(rec("m1")),
            meta: vec![put("mail:cursor:a/INBOX", "7:42")],
            ..Default::default()
        })
        .await;
    assert!(refused.is_err());
    assert_eq!(
        s.meta("mail:cursor:a/INBOX").await.unwrap(),
        Some(b"7:41".to_vec()),
        "a refused commit moves no cursor"
    );
    s.commit(Commit { meta: vec![put("mail:cursor:a/INBOX", "7:43")], ..Default::default() }).await.unwrap();
    assert_eq!(s.meta("mail:cursor:a/INBOX").await.unwrap(), Some(b"7:43".to_vec()), "state alone commits too");
}

async fn listings_are_newest_first_and_paginate(s: Box<dyn Store>) {
    for i in 1..=25u64 {
        let mut t = ticket(i, (i % 7) as i64 * 10); // repeated changed_at values: the id breaks ties
        t.customer_user = Some(if i % 2 == 0 { "alice".into() } else { "bob".into() });
        t.customer_id = Some(if i % 3 == 0 { "acme".into() } else { "globex".into() });
        t.queue = if i % 5 == 0 { "Misc".into() } else { "Raw".into() };
        if i % 4 == 0 {
            t.state = "closed successful".into();
            t.state_type = StateType::Closed;
        }
        put_ticket(s.as_ref(), &t).await;
    }
    let all = |pred: &dyn Fn(u64) -> bool| {
        let mut v: Vec<(i64, u64)> = (1..=25u64).filter(|i| pred(*i)).map(|i| ((i % 7) as i64 * 10, i)).collect();
        v.sort_by(|a, b| b.cmp(a));
        v.into_iter().map(|(_, i)| i).collect::<Vec<u64>>()
    };
    let cases: Vec<(TicketIndex, Vec<u64>)> = vec![
        (TicketIndex::CustomerUser("alice".into()), all(&|i| i % 2 == 0)),
        (TicketIndex::Customer("acme".into()), all(&|i| i % 3 == 0)),
        (TicketIndex::Queue { queue: "Raw".into(), state_type: None }, all(&|i| i % 5 != 0)),
        (
            TicketIndex::Queue { queue: "Raw".into(), state_type: Some(StateType::Closed) },
            all(&|i| i % 5 != 0 && i % 4 == 0),
        ),
        (TicketIndex::StateType(StateType::Open), all(&|i| i % 4 != 0)),
        (TicketIndex::CustomerUser("nobody".into()), vec![]),
    ];
    for (index, expected) in cases {
        for page_size in [1usize, 3, 50] {
            let mut got = Vec::new();
            let mut after: Option<Cursor> = None;
            for _ in 0..100 {
                let page = s.list_tickets(&index, after, page_size).await.unwrap();
                assert!(page.items.len() <= page_size);
                got.extend(page.items.iter().map(|t| t.id.0));
                match page.next {
                    Some(c) => after = Some(c),
                    None => break,
                }
            }
            assert_eq!(got, expected, "{index:?} with pages of {page_size}");
        }
    }
}

async fn listings_follow_ticket_changes(s: Box<dyn Store>) {
    let t = ticket(1, 10);
    put_ticket(s.as_ref(), &t).await;
    let mut moved = t.clone();
    moved.queue = "Misc".into();
    moved.state = "closed successful".into();
    moved.state_type = StateType::Closed;
    moved.customer_user = Some("carol".into());
    moved.changed_at = Timestamp(20);
    s.commit(Commit { tickets: vec![update(&moved, 1)], ..Default::default() }).await.unwrap();
    let ids = |p: crate::store::Page<Ticket>| p.items.iter().map(|t| t.id.0).collect::<Vec<_>>();
    let raw = TicketIndex::Queue { queue: "Raw".into(), state_type: None };
    assert!(ids(s.list_tickets(&raw, None, 10).await.unwrap()).is_empty(), "left the old queue");
    assert!(ids(s.list_tickets(&TicketIndex::StateType(StateType::Open), None, 10).await.unwrap()).is_empty());
    assert!(ids(s.list_tickets(&TicketIndex::CustomerUser("alice".into()), None, 10).await.unwrap()).is_empty());
    let misc = TicketIndex::Queue { queue: "Misc".into(), state_type: Some(StateType::Closed) };
    let page = s.list_tickets(&misc, None, 10).await.unwrap();
    assert_eq!(ids(page.clone()), vec![1]);
    assert_eq!(page.items[0].changed_at, Timestamp(20), "listings return the current row");
    assert_eq!(ids(s.list_tickets(&TicketIndex::CustomerUser("carol".into()), None, 10).await.unwrap()), vec![1]);
}

/// The indexes the count case checks: every key its tickets had at some point, and some never used.
fn count_probes() -> Vec<TicketIndex> {
    let mut v = vec![
        TicketIndex::CustomerUser("alice".into()),
        TicketIndex::CustomerUser("bob".into()),
        TicketIndex::Customer("acme".into()),
        TicketIndex::Customer("globex".into()),
        TicketIndex::LockedBy("ana".into()),
        TicketIndex::LockedBy("ben".into()),
        TicketIndex::Responsible("ana".into()),
        TicketIndex::Responsible("ben".into()),
        TicketIndex::CustomerUser("nobody".into()),
        TicketIndex::Escalated,
        TicketIndex::AtRisk,
    ];
    for queue in ["Raw", "Misc", "Junk"] {
        v.push(TicketIndex::Queue { queue: queue.into(), state_type: None });
        for st in StateType::ALL {
            v.push(TicketIndex::Queue { queue: queue.into(), state_type: Some(st) });
        }
    }
    v.extend(StateType::ALL.into_iter().map(TicketIndex::StateType));
    v
}

/// Each probe's count equals the length of its full listing, and both equal what `expected` says.
async fn assert_counts(s: &dyn Store, tickets: &[Ticket], when: &str) {
    let probes = count_probes();
    let many = s.count_tickets_many(&probes).await.unwrap();
    assert_eq!(many.len(), probes.len(), "{when}: one count per index asked");
    for (index, counted) in probes.into_iter().zip(many) {
        let expected = tickets.iter().filter(|t| TicketIndex::keys_of(t).contains(&index)).count() as u64;
        assert_eq!(counted, expected, "{when}: count of {index:?} among several");
    }
    for index in count_probes() {
        let expected = tickets.iter().filter(|t| TicketIndex::keys_of(t).contains(&index)).count() as u64;
        let mut listed = 0u64;
        let mut after = None;
        loop {
            let page = s.list_tickets(&index, after, 7).await.unwrap();
            listed += page.items.len() as u64;
            match page.next {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        assert_eq!(listed, expected, "{when}: listing {index:?}");
        assert_eq!(s.count_tickets(&index).await.unwrap(), expected, "{when}: count of {index:?}");
    }
}

async fn counts_follow_every_index(s: Box<dyn Store>) {
    let mut tickets = Vec::new();
    for i in 1..=30u64 {
        let mut t = ticket(i, i as i64);
        t.customer_user = Some(if i % 2 == 0 { "alice".into() } else { "bob".into() });
        t.customer_id = (i % 5 != 0).then(|| if i % 3 == 0 { "acme".into() } else { "globex".into() });
        t.queue = ["Raw", "Misc", "Junk"][(i % 3) as usize].into();
        let st = StateType::ALL[(i % 4) as usize];
        t.state_type = st;
        t.state = format!("{st:?}");
        if i % 3 == 1 {
            t.lock = crate::ticket::Lock::Lock;
            t.owner = Some(if i % 2 == 0 { "ana".into() } else { "ben".into() });
        } else if i % 3 == 2 {
            // Owned but not locked: not in anyone's locked tickets.
            t.owner = Some("ana".into());
        }
        t.responsible = (i % 4 == 1).then(|| "ana".into());
        // Some escalated, some at risk.
        match i % 6 {
            0 => t.escalation.solution = running(10, 20, true, true),
            3 => t.escalation.update = running(10, 900, true, false),
            _ => {}
        }
        tickets.push(t);
    }
    // In commits of several tickets, as the engine's batches write them.
    for chunk in tickets.chunks(8) {
        let writes = chunk.iter().map(insert).collect();
        s.commit(Commit { tickets: writes, ..Default::default() }).await.unwrap();
    }
    assert_counts(s.as_ref(), &tickets, "after inserts").await;

    // Move, close, unlock, hand over: every changed key moves its count.
    for (n, t) in tickets.iter_mut().enumerate().filter(|(n, _)| n % 2 == 0) {
        let expected = t.version;
        t.version += 1;
        t.changed_at = Timestamp(100 + n as i64);
        t.queue = if t.queue == "Raw" { "Misc".into() } else { "Raw".into() };
        t.state_type = if t.state_type == StateType::Closed { StateType::Open } else { StateType::Closed };
        t.lock = crate::ticket::Lock::Unlock;
        t.responsible = if t.responsible.is_some() { None } else { Some("ben".into()) };
        t.customer_user = Some("alice".into());
        // Clocks stop on some, breach or warn on others.
        t.escalation = match n % 3 {
            0 if !t.escalation.is_idle() => Default::default(),
            0 => Escalation { first_response: running(10, 20, true, true), ..Default::default() },
            _ => Escalation { update: running(10, 900, true, false), ..Default::default() },
        };
        let write = TicketWrite { ticket: t.clone(), expected_version: expected };
        s.commit(Commit { tickets: vec![write], ..Default::default() }).await.unwrap();
    }
    assert_counts(s.as_ref(), &tickets, "after updates").await;

    // A refused commit changes no count.
    let mut stale = tickets[1].clone();
    stale.queue = "Junk".into();
    let refused = TicketWrite { ticket: stale, expected_version: 99 };
    assert!(s.commit(Commit { tickets: vec![refused], ..Default::default() }).await.is_err());
    assert_counts(s.as_ref(), &tickets, "after a refused commit").await;
}

async fn due_tickets_follow_pending_state(s: Box<dyn Store>) {
    let mut a = ticket(1, 1);
    a.state = "pending auto close+".into();
    a.state_type = StateType::PendingAuto;
    a.pending_until = Some(Timestamp(100));
    let mut b = ticket(2, 1);
    b.state = "pending reminder".into();
    b.state_type = StateType::PendingReminder;
    b.pending_until = Some(Timestamp(50));
    let c = ticket(3, 1);
    for t in [&a, &b, &c] {
        put_ticket(s.as_ref(), t).await;
    }
    let due = |now| {
        let s = &s;
        async move { s.due_tickets(Timestamp(now), 10).await.unwrap().iter().map(|t| t.id.0).collect::<Vec<_>>() }
    };
    assert_eq!(due(10).await, Vec::<u64>::new());
    assert_eq!(due(60).await, vec![2]);
    assert_eq!(due(100).await, vec![2, 1], "earliest due first");
    let mut reminded = b.clone();
    reminded.reminded_for = Some(Timestamp(50));
    s.commit(Commit { tickets: vec![update(&reminded, 1)], ..Default::default() }).await.unwrap();
    assert_eq!(due(1000).await, vec![1], "a fired reminder is not due again");
    let mut closed = a.clone();
    closed.state = "closed successful".into();
    closed.state_type = StateType::Closed;
    closed.pending_until = None;
    s.commit(Commit { tickets: vec![update(&closed, 1)], ..Default::default() }).await.unwrap();
    assert_eq!(due(1000).await, Vec::<u64>::new());
}

async fn outbox_claims_respect_leases(s: Box<dyn Store>) {
    put_ticket(s.as_ref(), &ticket(1, 1)).await;
    s.commit(Commit {
        articles: vec![article(1, 1, None)],
        outbox: vec![outbox_entry(1, 1, 1, 10), outbox_entry(2, 1, 1, 20), outbox_entry(3, 1, 1, 500)],
        ..Default::default()
    })
    .await
    .unwrap();
    let ids = |v: Vec<crate::outbox::OutboxEntry>| v.iter().map(|e| e.id.0).collect::<Vec<_>>();
    assert_eq!(
        ids(s.claim_outbox(Timestamp(5), Timestamp(300), 10).await.unwrap()),
        Vec::<u64>::new(),
        "nothing due yet"
    );
    let claimed = s.claim_outbox(Timestamp(30), Timestamp(300), 10).await.unwrap();
    assert_eq!(ids(claimed.clone()), vec![1, 2]);
    assert!(claimed.iter().all(|e| e.next_attempt_at == Timestamp(300)), "claims carry the lease");
    assert_eq!(
        ids(s.claim_outbox(Timestamp(100), Timestamp(400), 10).await.unwrap()),
        Vec::<u64>::new(),
        "leased entries are not claimed again"
    );
    let mut sent = claimed[0].clone();
    sent.status = OutboxStatus::Sent;
    sent.attempts = 1;
    s.commit(Commit { outbox: vec![sent], ..Default::default() }).await.unwrap();
    assert_eq!(
        ids(s.claim_outbox(Timestamp(1000), Timestamp(2000), 1).await.unwrap()),
        vec![2],
        "lease over: due again; limit honoured"
    );
    assert_eq!(
        ids(s.claim_outbox(Timestamp(1000), Timestamp(2000), 10).await.unwrap()),
        vec![3],
        "sent entries are never claimed"
    );
    let all = s.outbox_for_ticket(TicketId(1)).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all.iter().find(|e| e.id == OutboxId(1)).map(|e| e.status), Some(OutboxStatus::Sent));
    assert!(s.outbox_for_ticket(TicketId(9)).await.unwrap().is_empty());
    // Counting is optional; a store that counts counts pending entries only, claimed (leased) or not.
    match s.outbox_pending().await {
        Ok(n) => assert_eq!(n, 2, "two pending entries (one sent)"),
        Err(StoreError::Unavailable(_)) => {}
        Err(e) => panic!("outbox_pending: {e}"),
    }
}

async fn records_by_kind_and_prefix(s: Box<dyn Store>) {
    let rw = PermissionSet::of(&[Permission::Rw]);
    let grants = [
        Grant::group(GrantSubject::CustomerUser("al".into()), "users", rw),
        Grant::group(GrantSubject::CustomerUser("alice".into()), "users", rw),
        Grant::group(GrantSubject::CustomerUser("alice".into()), "sales", PermissionSet::of(&[Permission::Ro])),
        Grant::group(GrantSubject::DefaultCustomerUsers, "users", rw),
    ];
    for g in &grants {
        s.put_record(Record::Grant(g.clone())).await.unwrap();
    }
    s.put_record(Record::Group(Group::new("users"))).await.unwrap();
    s.put_record(Record::Queue(Queue::new("Raw", "users", Default::default()))).await.unwrap();
    let alice = GrantSubject::CustomerUser("alice".into()).key_prefix();
    let got = s.records(RecordKind::Grant, &alice, None, 10).await.unwrap();
    assert_eq!(got.len(), 2, "the prefix ends with a separator, so `al` does not match `alice`: {got:?}");
    assert_eq!(s.records(RecordKind::Grant, "", None, 10).await.unwrap().len(), 4);
    let first = s.records(RecordKind::Grant, &alice, None, 1).await.unwrap();
    let rest = s.records(RecordKind::Grant, &alice, Some(&first[0].key().key), 10).await.unwrap();
    assert_eq!(rest.len(), 1, "paging with after");
    assert_ne!(first[0], rest[0]);
    assert_eq!(
        s.records(RecordKind::Group, "", None, 10).await.unwrap(),
        vec![Record::Group(Group::new("users"))],
        "kinds are separate"
    );
    let key = RecordKey::new(RecordKind::Queue, "Raw");
    assert!(s.record(&key).await.unwrap().is_some());
    s.put_record(Record::Queue(Queue::new("Raw", "admin", Default::default()))).await.unwrap();
    assert!(matches!(s.record(&key).await.unwrap(), Some(Record::Queue(q)) if q.group == "admin"), "put replaces");
    s.delete_record(&key).await.unwrap();
    assert_eq!(s.record(&key).await.unwrap(), None);
    s.delete_record(&key).await.unwrap();
}

async fn customer_user_lookup_keys(s: Box<dyn Store>) {
    let mut u = CustomerUser::new("alice", "Alice@Acme.example", "acme");
    u.identities.push("tg:42".into());
    s.put_record(Record::CustomerUser(u.clone())).await.unwrap();
    assert_eq!(s.customer_user_by_lookup("email:alice@acme.example").await.unwrap(), Some(u.clone()));
    assert_eq!(s.customer_user_by_lookup("tg:42").await.unwrap(), Some(u.clone()));
    u.email = "alice@new.example".into();
    u.identities.clear();
    s.put_record(Record::CustomerUser(u.clone())).await.unwrap();
    assert_eq!(s.customer_user_by_lookup("email:alice@acme.example").await.unwrap(), None, "old keys are dropped");
    assert_eq!(s.customer_user_by_lookup("tg:42").await.unwrap(), None);
    assert_eq!(s.customer_user_by_lookup("email:alice@new.example").await.unwrap(), Some(u.clone()));
    s.delete_record(&RecordKey::new(RecordKind::CustomerUser, "alice")).await.unwrap();
    assert_eq!(s.customer_user_by_lookup("email:alice@new.example").await.unwrap(), None);
}

async fn people_keep_their_language_and_time_zone(s: Box<dyn Store>) {
    let mut u = CustomerUser::new("joao", "joao@acme.example", "acme");
    u.first_name = "João".into();
    u.language = Some("pt-BR".into());
    s.put_record(Record::CustomerUser(u.clone())).await.unwrap();
    let key = RecordKey::new(RecordKind::CustomerUser, "joao");
    assert_eq!(s.record(&key).await.unwrap(), Some(Record::CustomerUser(u.clone())));
    assert_eq!(s.customer_user_by_lookup("email:joao@acme.example").await.unwrap(), Some(u.clone()));
    let mut a = Agent::new("ana");
    a.language = Some("pt-BR".into());
    a.time_zone = Some("America/Sao_Paulo".into());
    s.put_record(Record::Agent(a.clone())).await.unwrap();
    assert_eq!(s.record(&RecordKey::new(RecordKind::Agent, "ana")).await.unwrap(), Some(Record::Agent(a.clone())));
    // Cleared choices stay cleared.
    u.language = None;
    s.put_record(Record::CustomerUser(u.clone())).await.unwrap();
    assert_eq!(s.record(&key).await.unwrap(), Some(Record::CustomerUser(u)));
    a.time_zone = None;
    s.put_record(Record::Agent(a.clone())).await.unwrap();
    assert_eq!(s.record(&RecordKey::new(RecordKind::Agent, "ana")).await.unwrap(), Some(Record::Agent(a)));
}

async fn meta_values(s: Box<dyn Store>) {
    assert_eq!(s.meta("k").await.unwrap(), None);
    s.put_meta("k", Some(b"v1".to_vec())).await.unwrap();
    s.put_meta("k", Some(b"v2".to_vec())).await.unwrap();
    assert_eq!(s.meta("k").await.unwrap(), Some(b"v2".to_vec()));
    s.put_meta("k", None).await.unwrap();
    assert_eq!(s.meta("k").await.unwrap(), None);
}

async fn concurrent_commits_to_one_ticket_conflict(s: Box<dyn Store>) {
    put_ticket(s.as_ref(), &ticket(1, 1)).await;
    let s: &dyn Store = s.as_ref();
    let futs: Vec<BoxFuture<'_, Result<(), StoreError>>> = (0..20u64)
        .map(|i| {
            Box::pin(async move {
                let mut t = ticket(1, 1);
                t.title = format!("writer {i}");
                s.commit(Commit {
                    tickets: vec![update(&t, 1)],
                    articles: vec![article(100 + i, 1, None)],
                    ..Default::default()
                })
                .await
            }) as Pin<Box<_>>
        })
        .collect();
    let results = join_all(futs).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "exactly one writer of version 1 wins");
    assert!(results.iter().filter(|r| r.is_err()).all(|r| matches!(r, Err(StoreError::Conflict { .. }))));
    assert_eq!(s.articles(TicketId(1)).await.unwrap().len(), 1, "losers added nothing");
    assert_eq!(s.ticket(TicketId(1)).await.unwrap().unwrap().version, 2);
}

/// The ids `due_tickets(now)` must return: exactly the tickets whose [`Ticket::pending_due`] is at or
/// before `now`, earliest first (ties by id).
fn expected_due(tickets: &[&Ticket], now: i64) -> Vec<u64> {
    let mut due: Vec<(Timestamp, u64)> =
        tickets.iter().filter_map(|t| t.pending_due().map(|d| (d, t.id.0))).filter(|(d, _)| d.0 <= now).collect();
    due.sort();
    due.into_iter().map(|(_, id)| id).collect()
}

async fn watchers_and_lock_expiry_are_kept(s: Box<dyn Store>) {
    use crate::ticket::Lock;
    // Locked by ana until 100, watched by two agents.
    let mut locked = ticket(1, 1);
    locked.lock = Lock::Lock;
    locked.owner = Some("ana".into());
    locked.watchers = vec!["ben".into(), "carla".into()];
    locked.unlock_at = Some(Timestamp(100));
    // An expiry left on an unlocked ticket runs out for nobody.
    let mut unlocked = ticket(2, 1);
    unlocked.owner = Some("ana".into());
    unlocked.unlock_at = Some(Timestamp(50));
    // Pending reminder at 200 and locked until 150: due at the earlier.
    let mut both = ticket(3, 1);
    both.state = "pending reminder".into();
    both.state_type = StateType::PendingReminder;
    both.pending_until = Some(Timestamp(200));
    both.lock = Lock::Lock;
    both.owner = Some("ben".into());
    both.unlock_at = Some(Timestamp(150));
    s.commit(Commit { tickets: vec![insert(&locked), insert(&unlocked), insert(&both)], ..Default::default() })
        .await
        .unwrap();
    for t in [&locked, &unlocked, &both] {
        assert_eq!(s.ticket(t.id).await.unwrap().as_ref(), Some(t), "ticket {} round-trips", t.id);
        assert_eq!(s.ticket_by_number(&t.number).await.unwrap().as_ref(), Some(t));
    }
    let by_ana = s.list_tickets(&TicketIndex::LockedBy("ana".into()), None, 10).await.unwrap();
    assert_eq!(by_ana.items, vec![locked.clone()], "listings return the watchers and expiry too");

    let due = |now| {
        let s = &s;
        async move { s.due_tickets(Timestamp(now), 10).await.unwrap().iter().map(|t| t.id.0).collect::<Vec<_>>() }
    };
    assert_eq!(due(99).await, Vec::<u64>::new());
    assert_eq!(due(100).await, vec![1], "a locked ticket is due when its lock runs out, whatever its state");
    assert_eq!(due(150).await, vec![1, 3], "the earlier of the lock's expiry and the pending time");
    assert_eq!(due(1000).await, vec![1, 3], "an unlocked ticket's expiry is never due; each ticket once");
    for now in [0, 50, 99, 100, 149, 150, 200, 1000] {
        assert_eq!(due(now).await, expected_due(&[&locked, &unlocked, &both], now), "exactly pending_due at {now}");
    }

    // The lock is renewed until 500, and one watcher leaves: re-indexed.
    let mut renewed = locked.clone();
    renewed.unlock_at = Some(Timestamp(500));
    renewed.watchers = vec!["carla".into()];
    renewed.version = 2;
    s.commit(Commit { tickets: vec![update(&renewed, 1)], ..Default::default() }).await.unwrap();
    assert_eq!(s.ticket(TicketId(1)).await.unwrap(), Some(renewed.clone()));
    assert_eq!(due(499).await, vec![3], "the old expiry is gone from the index");
    assert_eq!(due(500).await, vec![3, 1]);
    // The pending ticket's lock is released: due at its pending time only.
    let mut released = both.clone();
    released.lock = Lock::Unlock;
    released.version = 2;
    s.commit(Commit { tickets: vec![update(&released, 1)], ..Default::default() }).await.unwrap();
    assert_eq!(due(199).await, Vec::<u64>::new());
    assert_eq!(due(200).await, vec![3]);
    // Unlocked with its expiry kept, and nobody watching: never due, watchers cleared.
    let mut unlocked_now = renewed.clone();
    unlocked_now.lock = Lock::Unlock;
    unlocked_now.watchers.clear();
    unlocked_now.version = 3;
    s.commit(Commit { tickets: vec![update(&unlocked_now, 2)], ..Default::default() }).await.unwrap();
    assert_eq!(s.ticket(TicketId(1)).await.unwrap(), Some(unlocked_now.clone()));
    assert_eq!(due(10_000).await, vec![3]);
    for now in [0, 50, 100, 150, 200, 499, 500, 10_000] {
        assert_eq!(
            due(now).await,
            expected_due(&[&unlocked_now, &unlocked, &released], now),
            "exactly pending_due at {now} after the changes"
        );
    }
    // An unlocked ticket taken again with an expiry becomes due.
    let mut relocked = unlocked.clone();
    relocked.lock = Lock::Lock;
    relocked.version = 2;
    s.commit(Commit { tickets: vec![update(&relocked, 1)], ..Default::default() }).await.unwrap();
    assert_eq!(due(60).await, vec![2]);
}

async fn notification_outbox_entries_round_trip(s: Box<dyn Store>) {
    use crate::channel_kind::ChannelKind;
    use crate::directory::NotificationKind;
    use crate::outbox::{NotificationRef, OutboxEntry};
    put_ticket(s.as_ref(), &ticket(1, 1)).await;
    put_ticket(s.as_ref(), &ticket(2, 1)).await;
    let notice = |id: u64, ticket: u64, due: i64, kind: NotificationKind, actor: Option<&str>| {
        let mut e = outbox_entry(id, ticket, 0, due);
        e.article_id = ArticleId(0);
        e.recipient = "ana@example.com".into();
        e.notification =
            Some(NotificationRef { kind, agent: "ana".into(), actor: actor.map(str::to_string), fan_out: Vec::new() });
        e
    };
    let follow_up = notice(1, 1, 10, NotificationKind::FollowUp, Some("customer:alice"));
    let mut timeout = notice(2, 1, 20, NotificationKind::LockTimeout, None);
    timeout.channel = ChannelKind::Chat;
    timeout.recipient = "4242".into();
    let article_entry = outbox_entry(3, 1, 7, 30);
    s.commit(Commit { outbox: vec![follow_up.clone(), timeout.clone(), article_entry.clone()], ..Default::default() })
        .await
        .unwrap();
    assert_eq!(
        s.outbox_for_ticket(TicketId(1)).await.unwrap(),
        vec![follow_up.clone(), timeout.clone(), article_entry.clone()],
        "entries read back as written, notification and all"
    );
    let claimed = s.claim_outbox(Timestamp(25), Timestamp(100), 10).await.unwrap();
    let mut leased = vec![follow_up.clone(), timeout.clone()];
    for e in &mut leased {
        e.next_attempt_at = Timestamp(100);
    }
    assert_eq!(claimed, leased, "a claim hands out the whole entry with its lease");
    let mut sent = claimed[0].clone();
    sent.status = OutboxStatus::Sent;
    sent.attempts = 1;
    sent.receipt = Some("queued as 1".into());
    s.commit(Commit { outbox: vec![sent.clone()], ..Default::default() }).await.unwrap();
    let read = s.outbox_for_ticket(TicketId(1)).await.unwrap();
    assert_eq!(read, vec![sent, leased[1].clone(), article_entry.clone()]);

    // Many notifications in one commit (one per agent of a busy queue): every one is kept and claimable.
    let kinds = NotificationKind::ALL;
    let many: Vec<OutboxEntry> = (0..200u64)
        .map(|i| {
            let mut e = notice(1000 + i, 2, 40 + (i % 7) as i64, kinds[i as usize % kinds.len()], Some("ben"));
            e.notification = e.notification.map(|n| NotificationRef { agent: format!("agent{i}"), ..n });
            e.recipient = format!("agent{i}@example.com");
            e
        })
        .collect();
    s.commit(Commit { outbox: many.clone(), ..Default::default() }).await.unwrap();
    assert_eq!(s.outbox_for_ticket(TicketId(2)).await.unwrap(), many, "all 200, by id");
    let claimed = s.claim_outbox(Timestamp(1000), Timestamp(2000), 500).await.unwrap();
    let mut expected: Vec<OutboxEntry> = many.into_iter().chain([leased[1].clone(), article_entry]).collect();
    expected.sort_by_key(|e| (e.next_attempt_at, e.id));
    for e in &mut expected {
        e.next_attempt_at = Timestamp(2000);
    }
    assert_eq!(claimed.len(), 202, "every pending entry is claimable");
    assert_eq!(claimed, expected, "in due order, each whole");
    assert!(s.claim_outbox(Timestamp(1000), Timestamp(2000), 500).await.unwrap().is_empty(), "all leased");
}
