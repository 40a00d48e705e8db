//! A disk below the free-space reserve: writes are refused as `Unavailable` before they reach redb,
//! reads go on, and the file is unharmed. (tests/faults_disk_full.sh fills a real filesystem.)
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{Commit, Store, StoreError, TicketWrite};
use chamado_redb::RedbStore;
use common::{TempDir, ticket};

fn insert(id: u64) -> Commit {
    Commit {
        tickets: vec![TicketWrite { ticket: ticket(id, &format!("D{id}")), expected_version: 0 }],
        ..Default::default()
    }
}

#[test]
fn below_the_reserve_writes_are_unavailable_and_reads_go_on() {
    let dir = TempDir::new("disk-full");
    let path = dir.file("d.redb");
    pollster::block_on(async {
        let store = RedbStore::open(&path).unwrap();
        for id in 1..=3 {
            store.commit(insert(id)).await.unwrap();
        }
        drop(store);

        // No disk has u64::MAX bytes free: the store behaves as on a full disk.
        let full = RedbStore::options().min_free_space(u64::MAX).open(&path).unwrap();
        match full.commit(insert(4)).await {
            Err(StoreError::Unavailable(m)) => assert!(m.contains("disk holding the store is full"), "{m}"),
            other => panic!("a write on a full disk answered {other:?}"),
        }
        assert!(matches!(full.put_meta("k", Some(b"v".to_vec())).await, Err(StoreError::Unavailable(_))));
        for id in 1..=3 {
            assert!(full.ticket_by_number(&format!("D{id}")).await.unwrap().is_some(), "D{id} readable");
        }
        assert!(full.ticket_by_number("D4").await.unwrap().is_none());
        drop(full);

        // Space is back: the same file takes writes and lost nothing.
        let store = RedbStore::open(&path).unwrap();
        store.commit(insert(4)).await.unwrap();
        for id in 1..=4 {
            assert!(store.ticket_by_number(&format!("D{id}")).await.unwrap().is_some(), "D{id}");
        }
    });
}
