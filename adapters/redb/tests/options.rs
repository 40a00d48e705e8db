//! Options: non-durable bulk mode flushes on sync and on close; small batches still work.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{Commit, Store, TicketWrite};
use chamado_redb::RedbStore;
use common::{TempDir, ticket};
use std::time::Duration;

fn insert(id: u64) -> Commit {
    Commit {
        tickets: vec![TicketWrite { ticket: ticket(id, &format!("N{id}")), expected_version: 0 }],
        ..Default::default()
    }
}

#[test]
fn non_durable_mode_keeps_everything_after_sync_and_close() {
    let dir = TempDir::new("options");
    let path = dir.file("o.redb");
    pollster::block_on(async {
        let store = RedbStore::options().durable(false).flush_interval(Duration::from_millis(20)).open(&path).unwrap();
        for id in 1..=50 {
            store.commit(insert(id)).await.unwrap();
        }
        store.sync().await.unwrap();
        for id in 51..=100 {
            store.commit(insert(id)).await.unwrap();
        }
        store.close().unwrap();
        // Writes after close are refused, reads still work.
        assert!(store.commit(insert(101)).await.is_err());
        assert!(store.ticket_by_number("N100").await.unwrap().is_some());
        drop(store);
        assert!(RedbStore::compact_file(&path).is_ok());
        assert!(RedbStore::compact_file(dir.file("missing.redb")).is_err());
        let store = RedbStore::open(&path).unwrap();
        for id in 1..=100 {
            assert!(store.ticket_by_number(&format!("N{id}")).await.unwrap().is_some(), "N{id}");
        }
    });
}

#[test]
fn quick_repair_and_batches_of_one_work() {
    let dir = TempDir::new("options-qr");
    let path = dir.file("q.redb");
    pollster::block_on(async {
        let store = RedbStore::options().quick_repair(true).max_batch(1).cache_size(8 << 20).open(&path).unwrap();
        for id in 1..=10 {
            store.commit(insert(id)).await.unwrap();
        }
        assert_eq!(store.writer_stats().largest_batch, 1);
        drop(store);
        let store = RedbStore::open(&path).unwrap();
        assert!(store.ticket_by_number("N10").await.unwrap().is_some());
    });
}
