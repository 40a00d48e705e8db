//! A schema 5 file, whose history entries have no translatable text, is upgraded in place: every entry
//! reads back with its English message and no text, and the file is of the current schema.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{Commit, HistoryEntry, HistoryKind, Store, TicketId, TicketWrite, Timestamp};
use chamado_redb::{RedbStore, SCHEMA_TABLE, SCHEMA_VERSION};
use common::{TempDir, history, ticket};
use serde::Serialize;

/// A history entry as schema 5 wrote it.
#[derive(Serialize)]
struct HistoryV5 {
    ticket_id: TicketId,
    at: Timestamp,
    actor: String,
    kind: HistoryKind,
    message: String,
}

#[test]
fn history_entries_of_schema_5_are_upgraded_in_place() {
    let dir = TempDir::new("upgrade5");
    let path = dir.file("u5.redb");
    {
        let store = RedbStore::open(&path).unwrap();
        let entries = vec![history(1, "one"), history(1, "two"), history(1, "three")];
        let commit = Commit {
            tickets: vec![TicketWrite { ticket: ticket(1, "T1"), expected_version: 0 }],
            history: entries,
            ..Default::default()
        };
        pollster::block_on(store.commit(commit)).unwrap();
    }
    {
        // Rewrite every entry in the layout of schema 5 and mark the file as schema 5.
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new("history");
            let mut t = txn.open_table(def).unwrap();
            let rows: Vec<(Vec<u8>, Vec<u8>)> = redb::ReadableTable::iter(&t)
                .unwrap()
                .map(|r| {
                    let (k, v) = r.unwrap();
                    (k.value().to_vec(), v.value().to_vec())
                })
                .collect();
            assert_eq!(rows.len(), 3);
            for (k, v) in rows {
                let h: HistoryEntry = postcard::from_bytes(&v).unwrap();
                let old =
                    HistoryV5 { ticket_id: h.ticket_id, at: h.at, actor: h.actor, kind: h.kind, message: h.message };
                t.insert(k.as_slice(), postcard::to_allocvec(&old).unwrap().as_slice()).unwrap();
            }
        }
        // Tickets of schema 5 had no watchers or lock expiry (schema 7).
        common::rewrite_id_table(&txn, "tickets", |v| common::ticket_v6_bytes(&postcard::from_bytes(v).unwrap()));
        {
            let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(SCHEMA_TABLE);
            txn.open_table(def).unwrap().insert("version", 5).unwrap();
        }
        txn.commit().unwrap();
    }
    let store = RedbStore::open(&path).unwrap();
    let read = pollster::block_on(store.history(TicketId(1))).unwrap();
    let messages: Vec<&str> = read.iter().map(|h| h.message.as_str()).collect();
    assert_eq!(messages, ["one", "two", "three"]);
    assert!(read.iter().all(|h| h.text.is_none()));
    assert_eq!(pollster::block_on(store.ticket(TicketId(1))).unwrap(), Some(ticket(1, "T1")));
    drop(store);
    let db = redb::Database::open(&path).unwrap();
    let read = redb::ReadableDatabase::begin_read(&db).unwrap();
    let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new(SCHEMA_TABLE);
    assert_eq!(read.open_table(def).unwrap().get("version").unwrap().unwrap().value(), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 9, "and on through the later upgrades");
}
