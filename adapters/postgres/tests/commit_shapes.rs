//! Commit shapes the conformance suite does not cover but the one-statement commit must get right: several
//! writes of one ticket, repeated article and outbox ids, article words reaching the search document of
//! tickets inside and outside the commit, history order, and refusals naming the right ticket.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chamado::testkit::{article, outbox_entry, ticket};
use chamado::*;
use chamado_postgres::PgStore;

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

fn with_body(id: u64, ticket: u64, body: &str) -> Article {
    let mut a = article(id, ticket, None);
    a.body = body.into();
    a
}

async fn found(s: &PgStore, q: &str) -> Vec<u64> {
    let mut ids: Vec<u64> = s.search_tickets(q, 50).await.unwrap().iter().map(|t| t.id.0).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commit_shapes() {
    let Some(url) = common::url() else { return };
    let s = common::store(&url, &common::schema_name("shapes")).await;
    shapes(&s).await;
    common::drop_schemas(&url, "shapes").await;
}

async fn shapes(s: &PgStore) {
    // Insert then update of one ticket in one commit fold into one write of the last row.
    let t1 = ticket(1, 10);
    let mut t1b = t1.clone();
    t1b.title = "renamed".into();
    s.commit(Commit {
        tickets: vec![insert(&t1), update(&t1b, 1)],
        articles: vec![with_body(1, 1, "alpha words"), with_body(2, 1, "beta words")],
        history: (0..5).map(|i| hist(1, &format!("h{i}"))).collect(),
        ..Default::default()
    })
    .await
    .unwrap();
    let now = s.ticket(TicketId(1)).await.unwrap().unwrap();
    assert_eq!((now.version, now.title.as_str()), (2, "renamed"));
    let msgs: Vec<String> = s.history(TicketId(1)).await.unwrap().into_iter().map(|h| h.message).collect();
    assert_eq!(msgs, vec!["h0", "h1", "h2", "h3", "h4"], "history in commit order");
    assert_eq!(found(s, "alpha beta renamed").await, vec![1], "both articles' words and the new title");

    // A second write that does not expect the first one's version is a conflict, and nothing is written.
    let t2 = ticket(2, 10);
    let err = s.commit(Commit { tickets: vec![insert(&t2), update(&t2, 5)], ..Default::default() }).await;
    assert!(matches!(err, Err(StoreError::Conflict { ticket: 2, expected: 5, found: 1 })), "{err:?}");
    assert_eq!(s.ticket(TicketId(2)).await.unwrap(), None);

    // Words of an article whose ticket is not written in the commit still reach its search document;
    // an updated ticket keeps its earlier words and gains the new ones.
    s.commit(Commit { tickets: vec![insert(&t2)], ..Default::default() }).await.unwrap();
    s.commit(Commit { articles: vec![with_body(3, 2, "gamma")], ..Default::default() }).await.unwrap();
    assert_eq!(found(s, "gamma").await, vec![2]);
    s.commit(Commit { tickets: vec![update(&t1b, 2)], articles: vec![with_body(4, 1, "delta")], ..Default::default() })
        .await
        .unwrap();
    assert_eq!(found(s, "alpha delta").await, vec![1]);
    // Both at once: an article of a written ticket and one of a ticket the commit does not write.
    let t2now = s.ticket(TicketId(2)).await.unwrap().unwrap();
    s.commit(Commit {
        tickets: vec![update(&t2now, t2now.version)],
        articles: vec![with_body(8, 1, "zeta"), with_body(9, 2, "eta")],
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!((found(s, "zeta delta").await, found(s, "eta gamma").await), (vec![1], vec![2]));

    // One article or outbox id twice in a commit: the last one wins, as with one upsert per row.
    let mut ext_a = article(5, 2, Some("<same@x>"));
    ext_a.body = "first".into();
    let mut ext_b = article(6, 2, Some("<same@x>"));
    ext_b.body = "second".into();
    let mut again = article(5, 2, Some("<same@x>"));
    again.body = "third".into();
    let mut o2 = outbox_entry(1, 2, 5, 99);
    o2.recipient = "bob@acme.example".into();
    s.commit(Commit {
        articles: vec![ext_a, ext_b, again],
        outbox: vec![outbox_entry(1, 2, 5, 10), o2],
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(s.article(ArticleId(5)).await.unwrap().unwrap().body, "third");
    assert_eq!(s.article_by_external_id("<same@x>").await.unwrap().map(|a| a.id), Some(ArticleId(5)));
    let out = s.outbox_for_ticket(TicketId(2)).await.unwrap();
    assert_eq!((out.len(), out[0].recipient.as_str()), (1, "bob@acme.example"));
    assert_eq!(found(s, "first second third").await, vec![2], "every article's words were indexed");

    // A refusal names the first failing ticket in commit order, and leaves nothing behind.
    let t3 = ticket(3, 10);
    let err = s
        .commit(Commit {
            tickets: vec![insert(&t3), update(&t1b, 1), insert(&ticket(2, 10))],
            articles: vec![with_body(7, 3, "epsilon")],
            history: vec![hist(3, "no")],
            ..Default::default()
        })
        .await;
    assert!(matches!(err, Err(StoreError::Conflict { ticket: 1, expected: 1, found: 3 })), "{err:?}");
    assert_eq!(s.ticket(TicketId(3)).await.unwrap(), None);
    assert_eq!(s.article(ArticleId(7)).await.unwrap(), None);
    assert!(s.history(TicketId(3)).await.unwrap().is_empty());
    assert!(found(s, "epsilon").await.is_empty());

    // Renumbering a ticket onto another's number is a duplicate.
    let mut clash = s.ticket(TicketId(2)).await.unwrap().unwrap();
    clash.number = t1.number.clone();
    let err = s.commit(Commit { tickets: vec![update(&clash, clash.version)], ..Default::default() }).await;
    assert!(matches!(err, Err(StoreError::Duplicate { kind: DuplicateKind::TicketNumber, .. })), "{err:?}");

    // A big commit (the bulk loader's shape) in one statement.
    let mut big = Commit::default();
    for id in 100..600u64 {
        big.tickets.push(insert(&ticket(id, id as i64)));
        big.articles.push(with_body(id, id, &format!("bulk w{id}")));
        big.history.push(hist(id, "bulk"));
    }
    s.commit(big).await.unwrap();
    assert_eq!(found(s, "bulk w321").await, vec![321]);
    assert_eq!(s.history(TicketId(599)).await.unwrap().len(), 1);
}
