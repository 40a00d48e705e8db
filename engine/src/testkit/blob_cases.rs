//! Conformance cases for stored files: each distinct file is kept once by its hash, fetched on its
//! own (never with articles), and written in the same atomic step as the articles that carry it.

use super::fixtures::{article, file, ticket};
use crate::attachment::{AttachmentMeta, Blob};
use crate::content_hash::ContentHash;
use crate::error::{DuplicateKind, StoreError};
use crate::ids::{ArticleId, TicketId};
use crate::join::{BoxFuture, join_all};
use crate::store::{Commit, IdempotencyOutcome, IdempotencyRecord, Store, TicketWrite};
use crate::time::Timestamp;
use std::future::Future;
use std::pin::Pin;

type Case = fn(Box<dyn Store>) -> Pin<Box<dyn Future<Output = ()> + Send>>;

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        pub(super) const ALL: &[(&str, Case)] = &[$((stringify!($name), |s| Box::pin($name(s)))),*];
    };
}

cases!(
    a_file_on_many_articles_is_stored_once,
    blobs_are_fetched_by_hash_alone,
    a_refused_commit_leaves_no_blob,
    concurrent_commits_of_one_file_store_it_once,
);

/// A new ticket `id` with article `id` carrying `files`, and their blobs: what the engine commits.
fn ticket_with_files(id: u64, files: &[(&str, &[u8])]) -> Commit {
    let mut a = article(id, id, None);
    a.attachments.clear();
    let mut blobs: Vec<Blob> = Vec::new();
    for (name, data) in files {
        let (meta, blob) = file(name, data).split();
        a.attachments.push(meta);
        blobs.push(blob);
    }
    Commit {
        tickets: vec![TicketWrite { ticket: ticket(id, 100 + id as i64), expected_version: 0 }],
        articles: vec![a],
        blobs,
        ..Default::default()
    }
}

async fn a_file_on_many_articles_is_stored_once(s: Box<dyn Store>) {
    let logo: &[u8] = b"\x89PNG the signature logo";
    assert_eq!(s.blob_count().await.unwrap(), 0, "a fresh store keeps no files");
    for id in 1..=5 {
        s.commit(ticket_with_files(id, &[("logo.png", logo), ("note.txt", format!("note {id}").as_bytes())]))
            .await
            .unwrap();
    }
    assert_eq!(s.blob_count().await.unwrap(), 6, "one logo and five distinct notes");
    // The same file twice in one commit (attached twice, or under two names) is one blob too.
    let mut twice = ticket_with_files(6, &[("a.png", logo), ("b.png", logo)]);
    twice.blobs.push(Blob::of(logo.to_vec()));
    s.commit(twice).await.unwrap();
    assert_eq!(s.blob_count().await.unwrap(), 6);
    assert_eq!(s.blob(&ContentHash::of(logo)).await.unwrap().as_deref(), Some(logo));
    let a = s.article(ArticleId(6)).await.unwrap().unwrap();
    let names: Vec<&str> = a.attachments.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["a.png", "b.png"], "each article keeps its own names for the one file");
}

async fn blobs_are_fetched_by_hash_alone(s: Box<dyn Store>) {
    let data: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    s.commit(ticket_with_files(1, &[("photo.jpg", &data), ("empty.txt", b"")])).await.unwrap();
    let (_, articles) = s.ticket_with_articles(&ticket(1, 101).number).await.unwrap().unwrap();
    let metas: &[AttachmentMeta] = &articles[0].attachments;
    assert_eq!(metas.len(), 2);
    assert_eq!((metas[0].size, metas[0].sha256), (300_000, ContentHash::of(&data)), "articles keep size and hash");
    assert_eq!(s.blob(&metas[0].sha256).await.unwrap(), Some(data), "every byte, binary too");
    assert_eq!(s.blob(&metas[1].sha256).await.unwrap(), Some(Vec::new()), "an empty file is a file");
    assert_eq!(s.blob(&ContentHash::of(b"never stored")).await.unwrap(), None);
    assert_eq!(s.articles(TicketId(1)).await.unwrap(), articles, "listing articles reads the same descriptions");
}

async fn a_refused_commit_leaves_no_blob(s: Box<dyn Store>) {
    s.commit(ticket_with_files(1, &[("a.txt", b"first")])).await.unwrap();
    // Refused for a duplicate ticket number: neither its article nor its file may remain.
    let mut dup = ticket_with_files(2, &[("b.txt", b"refused for the number")]);
    dup.tickets[0].ticket.number = ticket(1, 0).number;
    let err = s.commit(dup).await;
    assert!(matches!(err, Err(StoreError::Duplicate { kind: DuplicateKind::TicketNumber, .. })), "{err:?}");
    // Refused for a stale version.
    let mut stale = ticket_with_files(3, &[("c.txt", b"refused for the version")]);
    let mut t1 = ticket(1, 101);
    t1.version = 9;
    stale.tickets = vec![TicketWrite { ticket: t1, expected_version: 8 }];
    stale.articles[0].ticket_id = TicketId(1);
    let err = s.commit(stale).await;
    assert!(matches!(err, Err(StoreError::Conflict { .. })), "{err:?}");
    // Refused for a taken idempotency key.
    let key = |n| IdempotencyRecord {
        key: "k".into(),
        ticket_id: Some(TicketId(n)),
        article_id: Some(ArticleId(n)),
        outcome: IdempotencyOutcome::NewTicket,
        detail: None,
        at: Timestamp(1),
    };
    let mut first = ticket_with_files(4, &[("d.txt", b"kept")]);
    first.idempotency = Some(key(4));
    s.commit(first).await.unwrap();
    let mut again = ticket_with_files(5, &[("e.txt", b"refused for the key")]);
    again.idempotency = Some(key(5));
    let err = s.commit(again).await;
    assert!(matches!(err, Err(StoreError::Duplicate { kind: DuplicateKind::IdempotencyKey, .. })), "{err:?}");
    for refused in [&b"refused for the number"[..], b"refused for the version", b"refused for the key"] {
        assert_eq!(s.blob(&ContentHash::of(refused)).await.unwrap(), None, "{}", String::from_utf8_lossy(refused));
    }
    for article in [2, 3, 5] {
        assert_eq!(s.article(ArticleId(article)).await.unwrap(), None, "article {article}");
    }
    assert_eq!(s.blob_count().await.unwrap(), 2, "only the files of the commits that were taken");
}

async fn concurrent_commits_of_one_file_store_it_once(s: Box<dyn Store>) {
    let s: &dyn Store = s.as_ref();
    let futs: Vec<BoxFuture<'_, ()>> = (1..=16u64)
        .map(|id| {
            Box::pin(async move { s.commit(ticket_with_files(id, &[("logo.png", b"the same logo")])).await.unwrap() })
                as Pin<Box<_>>
        })
        .collect();
    join_all(futs).await;
    assert_eq!(s.blob_count().await.unwrap(), 1, "sixteen articles, one file");
    for id in 1..=16 {
        let a = s.article(ArticleId(id)).await.unwrap().unwrap();
        assert_eq!(s.blob(&a.attachments[0].sha256).await.unwrap().as_deref(), Some(&b"the same logo"[..]));
    }
}
