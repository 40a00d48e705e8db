//! Opening files that are not what they should be: another schema version, corrupt or truncated
//! files, files held by another handle or process. Always a typed error, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{Commit, StateType, Store, StoreError, TicketIndex, TicketWrite};
use chamado_redb::{Error, RedbOptions, RedbStore, SCHEMA_TABLE, SCHEMA_VERSION};
use common::{TempDir, article, ticket};
use std::io::{Read, Write};
use std::process::{Command, Stdio};

const HOLDER_ENV: &str = "CHAMADO_REDB_HOLDER";

fn fill(path: &std::path::Path, tickets: u64) {
    let store = RedbStore::open(path).unwrap();
    pollster::block_on(async {
        for id in 1..=tickets {
            let mut a = article(id, id);
            a.body = "x".repeat(2_000);
            store
                .commit(Commit {
                    tickets: vec![TicketWrite { ticket: ticket(id, &format!("T{id}")), expected_version: 0 }],
                    articles: vec![a],
                    ..Default::default()
                })
                .await
                .unwrap();
        }
    });
}

#[test]
fn another_schema_version_is_refused_naming_both_versions() {
    let dir = TempDir::new("schema");
    let path = dir.file("s.redb");
    fill(&path, 3);
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(SCHEMA_TABLE);
            txn.open_table(def).unwrap().insert("version", 999).unwrap();
        }
        txn.commit().unwrap();
    }
    let err = RedbStore::open(&path).unwrap_err();
    assert!(matches!(err, Error::SchemaMismatch { found: 999, expected: SCHEMA_VERSION, .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("999") && msg.contains(&SCHEMA_VERSION.to_string()), "{msg}");
    assert!(matches!(StoreError::from(err), StoreError::Corrupt(_)));
}

/// Makes the file at `path` look as schema `version` (1 or 2) wrote it: without the tables that came
/// later (schema 1 also without any ticket index entries), tickets and outbox entries in their layout
/// before schema 7.
fn as_older_schema(path: &std::path::Path, version: u64) {
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    common::rewrite_id_table(&txn, "tickets", |v| common::ticket_v6_bytes(&postcard::from_bytes(v).unwrap()));
    common::rewrite_id_table(&txn, "outbox", |v| common::outbox_v6_bytes(&postcard::from_bytes(v).unwrap()));
    if version < 2 {
        txn.delete_table(redb::TableDefinition::<&[u8], u64>::new("ticket_counts")).unwrap();
        txn.delete_table(redb::TableDefinition::<&[u8], ()>::new("ticket_index")).unwrap();
    }
    txn.delete_table(redb::TableDefinition::<(&str, u64), &[u8]>::new("search_words")).unwrap();
    txn.delete_table(redb::TableDefinition::<u64, &[u8]>::new("search_pending")).unwrap();
    {
        let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(SCHEMA_TABLE);
        txn.open_table(def).unwrap().insert("version", version).unwrap();
    }
    txn.commit().unwrap();
}

/// A schema 1 file (no locked-by or responsible index entries, no counts, no search words) opens as
/// the current schema with every index and count rebuilt from the tickets, and stays so.
#[test]
fn a_schema_1_file_is_upgraded_in_place() {
    let dir = TempDir::new("upgrade");
    let path = dir.file("u.redb");
    let tickets: Vec<chamado::Ticket> = (1..=25u64)
        .map(|id| {
            let mut t = ticket(id, &format!("T{id}"));
            t.queue = if id % 2 == 0 { "Raw".into() } else { "Misc".into() };
            if id % 3 == 0 {
                t.lock = chamado::Lock::Lock;
                t.owner = Some("ana".into());
            }
            t.responsible = (id % 4 == 0).then(|| "ben".into());
            t
        })
        .collect();
    {
        let store = RedbStore::open(&path).unwrap();
        let writes = tickets.iter().map(|t| TicketWrite { ticket: t.clone(), expected_version: 0 }).collect();
        pollster::block_on(store.commit(Commit { tickets: writes, ..Default::default() })).unwrap();
    }
    // Turn it into what schema 1 wrote: no counts, and (going further) no index entries at all.
    as_older_schema(&path, 1);
    let store = RedbOptions::new().full_text_search(true).open(&path).unwrap();
    pollster::block_on(async {
        for index in [
            TicketIndex::Queue { queue: "Raw".into(), state_type: None },
            TicketIndex::Queue { queue: "Misc".into(), state_type: Some(StateType::New) },
            TicketIndex::StateType(StateType::New),
            TicketIndex::CustomerUser("alice".into()),
            TicketIndex::LockedBy("ana".into()),
            TicketIndex::Responsible("ben".into()),
        ] {
            let expected: Vec<u64> = {
                let mut v: Vec<&chamado::Ticket> =
                    tickets.iter().filter(|t| TicketIndex::keys_of(t).contains(&index)).collect();
                v.sort_by_key(|t| std::cmp::Reverse((t.changed_at, t.id)));
                v.iter().map(|t| t.id.0).collect()
            };
            let listed: Vec<u64> =
                store.list_tickets(&index, None, 100).await.unwrap().items.iter().map(|t| t.id.0).collect();
            assert_eq!(listed, expected, "{index:?}");
            assert_eq!(store.count_tickets(&index).await.unwrap(), expected.len() as u64, "{index:?}");
        }
        let found = store.search_tickets("Ticket 7", 10).await.unwrap();
        assert_eq!(found.iter().map(|t| t.id.0).collect::<Vec<_>>(), [7]);
    });
    drop(store);
    let db = redb::Database::open(&path).unwrap();
    let read = redb::ReadableDatabase::begin_read(&db).unwrap();
    let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(SCHEMA_TABLE);
    assert_eq!(read.open_table(def).unwrap().get("version").unwrap().unwrap().value(), SCHEMA_VERSION);
}

/// A schema 2 file (no search words) opened with full-text search gains the word index of every title
/// and article; opened without saying, it keeps it; turned off, it answers `Unsupported` and drops the
/// index; turned on again, it rebuilds it with what was written meanwhile.
#[test]
fn a_schema_2_file_gains_the_search_index() {
    let dir = TempDir::new("upgrade2");
    let path = dir.file("u2.redb");
    {
        let store = RedbStore::open(&path).unwrap();
        pollster::block_on(async {
            for id in 1..=30u64 {
                let mut a = article(id, id);
                a.body = format!("Body of {} with the word {}", id, if id % 3 == 0 { "toner" } else { "paper" });
                let mut t = ticket(id, &format!("T{id}"));
                t.title = format!("Printer {id}");
                let writes = vec![TicketWrite { ticket: t, expected_version: 0 }];
                store.commit(Commit { tickets: writes, articles: vec![a], ..Default::default() }).await.unwrap();
            }
        });
    }
    as_older_schema(&path, 2);
    let store = RedbOptions::new().full_text_search(true).open(&path).unwrap();
    pollster::block_on(async {
        let ids = |found: Vec<chamado::Ticket>| found.iter().map(|t| t.id.0).collect::<Vec<_>>();
        assert_eq!(ids(store.search_tickets("TONER printer", 100).await.unwrap()).len(), 10);
        assert_eq!(ids(store.search_tickets("printer 12", 100).await.unwrap()), [12]);
        assert!(store.search_tickets("toner paper", 100).await.unwrap().is_empty());
    });
    drop(store);
    // Opened without saying (a tool, the admin command line): the file keeps its index.
    let plain = RedbStore::open(&path).unwrap();
    assert!(plain.full_text_search());
    assert_eq!(pollster::block_on(plain.search_tickets("toner", 100)).unwrap().len(), 10);
    drop(plain);
    let plain = RedbOptions::new().full_text_search(false).open(&path).unwrap();
    assert!(matches!(pollster::block_on(plain.search_tickets("toner", 10)), Err(StoreError::Unsupported(_))));
    // Written while search was off: the rebuilt index must know it.
    pollster::block_on(plain.commit(Commit {
        tickets: vec![TicketWrite { ticket: ticket(31, "T31"), expected_version: 0 }],
        ..Default::default()
    }))
    .unwrap();
    drop(plain);
    assert!(!RedbStore::open(&path).unwrap().full_text_search(), "turned off, it stays off");
    let store = RedbOptions::new().full_text_search(true).open(&path).unwrap();
    pollster::block_on(async {
        assert_eq!(store.search_tickets("toner", 100).await.unwrap().len(), 10);
        assert_eq!(store.search_tickets("ticket 31", 100).await.unwrap().len(), 1);
    });
}

/// A schema 3 file (articles without `sender_auth`) opens as the current schema with every article
/// intact, its sender verification unknown and its files in the file table.
#[test]
fn a_schema_3_file_gains_the_articles_sender_verification() {
    /// An article as schema 3 wrote it.
    #[derive(serde::Serialize)]
    struct ArticleV3 {
        id: chamado::ArticleId,
        ticket_id: chamado::TicketId,
        sender: chamado::SenderType,
        channel: chamado::ChannelKind,
        visible_to_customer: bool,
        from: String,
        reply_to: Option<String>,
        to: String,
        subject: String,
        body: String,
        attachments: Vec<chamado::Attachment>,
        external_id: Option<String>,
        references: Vec<String>,
        created_by: String,
        created_at: chamado::Timestamp,
    }
    let dir = TempDir::new("upgrade3");
    let path = dir.file("u3.redb");
    fill(&path, 3);
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("articles");
            let mut t = txn.open_table(def).unwrap();
            for id in 1..=3u64 {
                let a = article(id, id);
                let old = ArticleV3 {
                    id: a.id,
                    ticket_id: a.ticket_id,
                    sender: a.sender,
                    channel: a.channel,
                    visible_to_customer: a.visible_to_customer,
                    from: a.from,
                    reply_to: a.reply_to,
                    to: a.to,
                    subject: a.subject,
                    body: format!("old body {id}"),
                    attachments: vec![chamado::Attachment {
                        name: "v3.txt".into(),
                        content_type: "text/plain".into(),
                        inline: false,
                        data: format!("file of schema 3, article {id}").into_bytes(),
                    }],
                    external_id: a.external_id,
                    references: a.references,
                    created_by: a.created_by,
                    created_at: a.created_at,
                };
                t.insert(id, postcard::to_allocvec(&old).unwrap().as_slice()).unwrap();
            }
        }
        {
            let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(SCHEMA_TABLE);
            txn.open_table(def).unwrap().insert("version", 3).unwrap();
        }
        txn.commit().unwrap();
    }
    let store = RedbStore::open(&path).unwrap();
    pollster::block_on(async {
        for id in 1..=3u64 {
            let a = store.article(chamado::ArticleId(id)).await.unwrap().unwrap();
            assert_eq!(a.body, format!("old body {id}"));
            assert_eq!(a.sender_auth, None);
            let bytes = store.blob(&a.attachments[0].sha256).await.unwrap();
            assert_eq!(bytes, Some(format!("file of schema 3, article {id}").into_bytes()), "through 4 into 5");
        }
    });
    drop(store);
    let db = redb::Database::open(&path).unwrap();
    let read = redb::ReadableDatabase::begin_read(&db).unwrap();
    let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(SCHEMA_TABLE);
    assert_eq!(read.open_table(def).unwrap().get("version").unwrap().unwrap().value(), SCHEMA_VERSION);
}

#[test]
fn a_redb_file_of_another_application_is_refused() {
    let dir = TempDir::new("foreign");
    let path = dir.file("f.redb");
    {
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<u64, u64> = redb::TableDefinition::new("something_else");
            txn.open_table(def).unwrap().insert(1, 2).unwrap();
        }
        txn.commit().unwrap();
    }
    let err = RedbStore::open(&path).unwrap_err();
    assert!(matches!(err, Error::NotAStore { .. }), "{err:?}");
}

#[test]
fn garbage_and_empty_files_are_corrupt() {
    let dir = TempDir::new("garbage");
    let garbage = dir.file("g.redb");
    std::fs::write(&garbage, b"this is not a database at all, just some text that goes on and on".repeat(200)).unwrap();
    let err = RedbStore::open(&garbage).unwrap_err();
    assert!(matches!(err, Error::Corrupt(_)), "{err:?}");
    let empty = dir.file("e.redb");
    std::fs::write(&empty, b"").unwrap();
    let err = RedbStore::open(&empty).unwrap_err();
    assert!(matches!(err, Error::Corrupt(_)), "{err:?}");
}

#[test]
fn truncated_files_give_an_error_or_a_consistent_store_never_a_panic() {
    let dir = TempDir::new("truncated");
    let original = dir.file("o.redb");
    fill(&original, 200);
    let bytes = std::fs::read(&original).unwrap();
    let mut errors = 0;
    for cut in [16, 100, 512, 4096, 8192, bytes.len() / 3, bytes.len() / 2, bytes.len() - 4096, bytes.len() - 1] {
        let path = dir.file(&format!("t{cut}.redb"));
        std::fs::write(&path, &bytes[..cut]).unwrap();
        match RedbStore::open(&path) {
            Err(e) => {
                eprintln!("cut {cut}: {e}");
                errors += 1;
                assert!(matches!(e, Error::Corrupt(_) | Error::Io(_) | Error::Storage(_)), "cut {cut}: {e:?}");
            }
            Ok(store) => {
                // Whatever redb recovered must read without panicking; undecodable rows are typed errors.
                pollster::block_on(async {
                    for n in 1..=200 {
                        let _ = store.ticket_by_number(&format!("T{n}")).await;
                    }
                });
            }
        }
    }
    assert!(errors > 0);
}

#[test]
fn flipped_bytes_never_panic() {
    let dir = TempDir::new("flipped");
    let original = dir.file("o.redb");
    fill(&original, 100);
    let bytes = std::fs::read(&original).unwrap();
    for (i, at) in (0..bytes.len()).step_by(bytes.len() / 23 + 1).enumerate() {
        let mut b = bytes.clone();
        for x in &mut b[at..(at + 64).min(bytes.len())] {
            *x ^= 0x5a;
        }
        let path = dir.file(&format!("f{i}.redb"));
        std::fs::write(&path, &b).unwrap();
        match RedbStore::open(&path) {
            Ok(store) => pollster::block_on(async {
                let mut failed = 0;
                for n in 1..=100 {
                    failed += usize::from(store.ticket_by_number(&format!("T{n}")).await.is_err());
                    failed += usize::from(store.articles(chamado::TicketId(n)).await.is_err());
                }
                eprintln!("flip at {at}: opened, {failed} reads failed");
            }),
            Err(e) => eprintln!("flip at {at}: {e}"),
        }
    }
}

#[test]
fn a_second_handle_in_this_process_is_refused() {
    let dir = TempDir::new("locked");
    let path = dir.file("l.redb");
    let first = RedbStore::open(&path).unwrap();
    let err = RedbStore::open(&path).unwrap_err();
    assert!(matches!(&err, Error::Locked { path: p } if p == &path), "{err:?}");
    assert!(err.to_string().contains("already open"));
    drop(first);
    RedbStore::open(&path).unwrap();
}

/// Holds the store open until stdin closes; runs only when re-executed by the test below.
#[test]
fn holder_process() {
    let Ok(path) = std::env::var(HOLDER_ENV) else { return };
    let store = RedbStore::open(&path).unwrap();
    println!("HOLDING");
    std::io::stdout().flush().unwrap();
    let mut buf = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut buf);
    drop(store);
}

#[test]
fn a_file_held_by_another_process_is_refused() {
    let dir = TempDir::new("locked-proc");
    let path = dir.file("p.redb");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["holder_process", "--exact", "--nocapture", "--test-threads=1"])
        .env(HOLDER_ENV, &path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("HOLDING") {
        line.clear();
        assert!(std::io::BufRead::read_line(&mut out, &mut line).unwrap() > 0, "the holder died");
    }
    let err = RedbStore::open(&path).unwrap_err();
    assert!(matches!(err, Error::Locked { .. }), "{err:?}");
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    RedbStore::open(&path).unwrap();
}

/// A schema 4 file (files inline in each article) opens as schema 5: every file moves into the file
/// table once per distinct content, each article keeps name, type, size and hash, and the bytes read
/// back unchanged.
#[test]
fn a_schema_4_file_moves_its_files_into_the_file_table_once() {
    /// An article as schema 4 wrote it.
    #[derive(serde::Serialize)]
    struct ArticleV4 {
        id: chamado::ArticleId,
        ticket_id: chamado::TicketId,
        sender: chamado::SenderType,
        channel: chamado::ChannelKind,
        visible_to_customer: bool,
        from: String,
        reply_to: Option<String>,
        to: String,
        subject: String,
        body: String,
        attachments: Vec<chamado::Attachment>,
        external_id: Option<String>,
        references: Vec<String>,
        created_by: String,
        created_at: chamado::Timestamp,
        sender_auth: Option<chamado::SenderAuth>,
    }
    let logo = chamado::Attachment {
        name: "logo.png".into(),
        content_type: "image/png".into(),
        inline: true,
        data: b"\x89PNG the signature logo".to_vec(),
    };
    let dir = TempDir::new("upgrade4");
    let path = dir.file("u4.redb");
    fill(&path, 4);
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("articles");
            let mut t = txn.open_table(def).unwrap();
            for id in 1..=4u64 {
                let a = article(id, id);
                let mut files = vec![logo.clone()];
                if id % 2 == 0 {
                    files.push(chamado::Attachment {
                        name: format!("report-{id}.pdf"),
                        content_type: "application/pdf".into(),
                        inline: false,
                        data: format!("%PDF report {id}").into_bytes(),
                    });
                }
                let old = ArticleV4 {
                    id: a.id,
                    ticket_id: a.ticket_id,
                    sender: a.sender,
                    channel: a.channel,
                    visible_to_customer: a.visible_to_customer,
                    from: a.from,
                    reply_to: a.reply_to,
                    to: a.to,
                    subject: a.subject,
                    body: format!("old body {id}"),
                    attachments: files,
                    external_id: a.external_id,
                    references: a.references,
                    created_by: a.created_by,
                    created_at: a.created_at,
                    sender_auth: None,
                };
                t.insert(id, postcard::to_allocvec(&old).unwrap().as_slice()).unwrap();
            }
        }
        txn.delete_table(redb::TableDefinition::<&[u8], &[u8]>::new("blobs")).unwrap();
        {
            let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(SCHEMA_TABLE);
            txn.open_table(def).unwrap().insert("version", 4).unwrap();
        }
        txn.commit().unwrap();
    }
    let store = RedbStore::open(&path).unwrap();
    pollster::block_on(async {
        assert_eq!(store.blob_count().await.unwrap(), 3, "one logo and two reports");
        for id in 1..=4u64 {
            let a = store.article(chamado::ArticleId(id)).await.unwrap().unwrap();
            assert_eq!(a.body, format!("old body {id}"));
            assert_eq!(a.attachments.len(), if id % 2 == 0 { 2 } else { 1 });
            assert_eq!(a.attachments[0], logo.meta(), "name, type, inline flag, size and hash kept");
            assert_eq!(store.blob(&a.attachments[0].sha256).await.unwrap(), Some(logo.data.clone()));
            if let Some(report) = a.attachments.get(1) {
                let bytes = store.blob(&report.sha256).await.unwrap().unwrap();
                assert_eq!(bytes, format!("%PDF report {id}").into_bytes());
                assert_eq!(report.size, bytes.len() as u64);
            }
        }
    });
    drop(store);
    let db = redb::Database::open(&path).unwrap();
    let read = redb::ReadableDatabase::begin_read(&db).unwrap();
    let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(SCHEMA_TABLE);
    assert_eq!(read.open_table(def).unwrap().get("version").unwrap().unwrap().value(), SCHEMA_VERSION);
}
