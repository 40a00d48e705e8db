//! Group commit: commits sent at once share transactions, a refused one fails alone and its batch-mates
//! are applied, events stay consecutive per commit, and the kept counts match the listings throughout.
//! Also migration 9 filling the counts of a database written before it.
//! Needs `CHAMADO_TEST_DATABASE_URL`; skips with a notice when it is unset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::testkit::{article, ticket};
use chamado::*;
use chamado_postgres::PgStore;
use std::sync::Arc;

fn event(tag: &str, ticket: u64) -> EventRecord {
    EventRecord {
        seq: 0,
        id: format!("evt_{tag}"),
        event_type: EventType::TicketCreated,
        at: Timestamp(1),
        ticket_id: Some(TicketId(ticket)),
        queue: Some("Raw".into()),
        order: 256,
        data: format!(r#"{{"tag":"{tag}"}}"#),
    }
}

fn idempotency_key(key: &str, ticket: u64) -> IdempotencyRecord {
    IdempotencyRecord {
        key: key.into(),
        ticket_id: Some(TicketId(ticket)),
        article_id: None,
        outcome: IdempotencyOutcome::NewTicket,
        detail: None,
        at: Timestamp(1),
    }
}

fn insert(t: Ticket) -> TicketWrite {
    TicketWrite { ticket: t, expected_version: 0 }
}

/// Ticket `id` in one of three queues and states, some with a customer user and an owner's lock, so the
/// counts cover several keys.
fn varied(id: u64) -> Ticket {
    let mut t = ticket(id, id as i64);
    t.queue = ["Raw", "Misc", "Junk"][(id % 3) as usize].into();
    if id.is_multiple_of(2) {
        t.state = "open".into();
        t.state_type = StateType::Open;
    }
    t.customer_user = Some(format!("user{}", id % 4));
    if id.is_multiple_of(5) {
        t.lock = Lock::Lock;
        t.owner = Some("ana".into());
    }
    t
}

/// Every probe's kept count equals its listing's length.
async fn counts_match_listings(s: &PgStore, when: &str) {
    let mut probes = vec![TicketIndex::LockedBy("ana".into())];
    for q in ["Raw", "Misc", "Junk"] {
        probes.push(TicketIndex::Queue { queue: q.into(), state_type: None });
        for st in [StateType::New, StateType::Open, StateType::Closed] {
            probes.push(TicketIndex::Queue { queue: q.into(), state_type: Some(st) });
        }
    }
    for u in 0..4 {
        probes.push(TicketIndex::CustomerUser(format!("user{u}")));
    }
    probes.extend([StateType::New, StateType::Open, StateType::Closed].map(TicketIndex::StateType));
    // The kept counts, asked together, equal counting the index rows.
    let kept = s.count_tickets_many(&probes).await.unwrap();
    let scanned = s.clone().with_scanned_counts(true).count_tickets_many(&probes).await.unwrap();
    assert_eq!(kept, scanned, "{when}: kept counts against count(*)");
    for index in probes {
        let mut listed = 0u64;
        let mut after = None;
        loop {
            let page = s.list_tickets(&index, after, 100).await.unwrap();
            listed += page.items.len() as u64;
            match page.next {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        assert_eq!(s.count_tickets(&index).await.unwrap(), listed, "{when}: count of {index:?}");
    }
}

/// What each concurrent commit of the test is, and so what it must get back.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A new ticket with an article, history and two events: applied.
    Create,
    /// An update of a ticket with the version it has: applied.
    Update,
    /// An update expecting an old version: a conflict.
    Stale,
    /// A new ticket whose number is taken: a duplicate number.
    TakenNumber,
    /// A new ticket with an idempotency key already used: a duplicate key.
    TakenKey,
}

fn kind_of(i: u64) -> Kind {
    match i % 8 {
        1 => Kind::Update,
        3 => Kind::Stale,
        5 => Kind::TakenNumber,
        7 => Kind::TakenKey,
        _ => Kind::Create,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_commits_fail_alone_in_their_batch() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("group");
    let s = Arc::new(common::store(&url, &schema).await);
    // Tickets 1..=40 to update, and one idempotency key taken.
    let first: Vec<TicketWrite> = (1..=40).map(|i| insert(varied(i))).collect();
    s.commit(Commit { tickets: first, ..Default::default() }).await.unwrap();
    s.commit(Commit {
        tickets: vec![insert(varied(41))],
        idempotency: Some(idempotency_key("taken", 41)),
        ..Default::default()
    })
    .await
    .unwrap();
    counts_match_listings(&s, "before").await;

    for round in 0..3u64 {
        let base = 1000 + round * 1000;
        let barrier = Arc::new(tokio::sync::Barrier::new(64));
        let mut tasks = Vec::new();
        for i in 0..64u64 {
            let (s, barrier) = (s.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                let kind = kind_of(i);
                let id = base + i;
                let mut c = Commit::default();
                match kind {
                    Kind::Create | Kind::TakenNumber | Kind::TakenKey => {
                        let mut t = varied(id);
                        if kind == Kind::TakenNumber {
                            t.number = ticket(2, 0).number;
                        }
                        if kind == Kind::TakenKey {
                            c.idempotency = Some(idempotency_key("taken", id));
                        }
                        c.tickets.push(insert(t));
                        c.articles.push(article(id, id, None));
                        c.history.push(HistoryEntry {
                            ticket_id: TicketId(id),
                            at: Timestamp(1),
                            actor: "system".into(),
                            kind: HistoryKind::Created,
                            message: format!("created {id}"),
                            text: None,
                        });
                    }
                    Kind::Update | Kind::Stale => {
                        // Each update task has a ticket of its own among 1..=40 (i is odd: 32 tasks).
                        let target = 1 + (i / 2) % 40;
                        let current = s.ticket(TicketId(target)).await.unwrap().unwrap();
                        let mut t = current.clone();
                        t.version += 1;
                        t.state = "closed successful".into();
                        t.state_type = StateType::Closed;
                        t.queue = "Junk".into();
                        let expected = if kind == Kind::Stale { current.version + 7 } else { current.version };
                        c.tickets.push(TicketWrite { ticket: t, expected_version: expected });
                    }
                }
                c.events.push(event(&format!("{id}a"), id));
                c.events.push(event(&format!("{id}b"), id));
                barrier.wait().await;
                (i, s.commit(c).await)
            }));
        }
        for t in tasks {
            let (i, result) = t.await.unwrap();
            match (kind_of(i), result) {
                (Kind::Create | Kind::Update, Ok(())) => {}
                (Kind::Stale, Err(StoreError::Conflict { .. })) => {}
                (Kind::TakenNumber, Err(StoreError::Duplicate { kind: DuplicateKind::TicketNumber, .. })) => {}
                (Kind::TakenKey, Err(StoreError::Duplicate { kind: DuplicateKind::IdempotencyKey, .. })) => {}
                (kind, other) => panic!("round {round}, commit {i} ({kind:?}): {other:?}"),
            }
        }
        // Applied commits are there, refused ones left nothing.
        for i in 0..64u64 {
            let id = base + i;
            let there = s.ticket(TicketId(id)).await.unwrap().is_some();
            assert_eq!(there, kind_of(i) == Kind::Create, "round {round}: ticket {id}");
            assert_eq!(s.articles(TicketId(id)).await.unwrap().len(), usize::from(kind_of(i) == Kind::Create));
        }
        counts_match_listings(&s, &format!("round {round}")).await;
    }

    // Events: only the applied commits', each commit's two consecutive and in order.
    let events = s.events_after(0, 10_000).await.unwrap();
    let applied = (0..64u64).filter(|i| matches!(kind_of(*i), Kind::Create | Kind::Update)).count();
    assert_eq!(events.len(), 3 * applied * 2);
    for pair in events.chunks(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert_eq!(b.seq, a.seq + 1, "{a:?} {b:?}");
        assert_eq!(a.id.trim_end_matches('a'), b.id.trim_end_matches('b'), "one commit's events together");
    }

    // The commits did share transactions: fewer distinct writers than new tickets.
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("SET search_path TO {schema}")).await.unwrap();
    let row = client
        .query_one("SELECT count(*), count(DISTINCT xmin::text) FROM tickets WHERE id >= 1000", &[])
        .await
        .unwrap();
    let (tickets, transactions): (i64, i64) = (row.get(0), row.get(1));
    assert_eq!(tickets, 3 * 32);
    assert!(transactions < tickets, "{transactions} transactions for {tickets} tickets: no batch formed");
    common::drop_schemas(&url, "group").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_commit_off_applies_each_commit_alone() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("alone");
    let s = common::store(&url, &schema).await.with_group_commit(false);
    s.commit(Commit { tickets: vec![insert(varied(1))], ..Default::default() }).await.unwrap();
    let stale = TicketWrite { ticket: varied(1), expected_version: 5 };
    let refused = s.commit(Commit { tickets: vec![stale], ..Default::default() }).await;
    assert!(matches!(refused, Err(StoreError::Conflict { ticket: 1, expected: 5, found: 1 })), "{refused:?}");
    counts_match_listings(&s, "alone").await;
    common::drop_schemas(&url, "alone").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migration_9_fills_the_counts_of_existing_tickets() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("mig9");
    {
        let s = common::store(&url, &schema).await;
        let writes: Vec<TicketWrite> = (1..=50).map(|i| insert(varied(i))).collect();
        s.commit(Commit { tickets: writes, ..Default::default() }).await.unwrap();
    }
    // Back to migration 8: no counts; then tickets written by a build without them.
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("SET search_path TO {schema}")).await.unwrap();
    client
        .batch_execute(
            "DROP TRIGGER tickets_count_insert ON tickets; DROP TRIGGER tickets_count_update ON tickets;
             DROP TRIGGER tickets_count_delete ON tickets; DROP FUNCTION chamado_count_tickets();
             DROP FUNCTION chamado_count_keys(text, smallint, text, text, jsonb, smallint);
             DROP TABLE ticket_counts; DELETE FROM schema_migrations WHERE version = 9;
             UPDATE tickets SET queue = 'Misc' WHERE id <= 10",
        )
        .await
        .unwrap();
    let s = common::store(&url, &schema).await;
    let version: i32 = client.query_one("SELECT max(version) FROM schema_migrations", &[]).await.unwrap().get(0);
    assert_eq!(version, PgStore::schema_version());
    counts_match_listings(&s, "after migration 9").await;
    assert_eq!(s.count_tickets(&TicketIndex::Queue { queue: "Misc".into(), state_type: None }).await.unwrap(), 23);
    // And kept from then on.
    let mut moved = s.ticket(TicketId(1)).await.unwrap().unwrap();
    moved.version += 1;
    moved.queue = "Raw".into();
    s.commit(Commit { tickets: vec![TicketWrite { ticket: moved, expected_version: 1 }], ..Default::default() })
        .await
        .unwrap();
    counts_match_listings(&s, "after a move").await;
    common::drop_schemas(&url, "mig9").await;
}
