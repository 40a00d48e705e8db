//! Files of schema 6 and older, whose tickets have no watchers or lock expiry and whose outbox entries
//! have no notification, are upgraded in place: every ticket and entry reads back with none, the indexes
//! (the due index too) still answer, and the file is of the current schema.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{
    ArticleId, ChannelKind, Commit, Lock, NotificationKind, NotificationRef, OutboxEntry, OutboxId, OutboxStatus,
    StateType, Store, Ticket, TicketId, TicketIndex, TicketWrite, Timestamp,
};
use chamado_redb::{RedbStore, SCHEMA_VERSION};
use common::{
    TempDir, history, outbox_v6_bytes, rewrite_id_table, set_schema_version, stored_schema_version, ticket,
    ticket_v6_bytes,
};
use std::path::Path;

/// A plain new ticket, a pending reminder due at 500 and one locked by ana, who is also responsible.
fn tickets() -> Vec<Ticket> {
    let plain = ticket(1, "T1");
    let mut pending = ticket(2, "T2");
    pending.state = "pending reminder".into();
    pending.state_type = StateType::PendingReminder;
    pending.pending_until = Some(Timestamp(500));
    let mut locked = ticket(3, "T3");
    locked.state = "open".into();
    locked.state_type = StateType::Open;
    locked.lock = Lock::Lock;
    locked.owner = Some("ana".into());
    locked.responsible = Some("ana".into());
    vec![plain, pending, locked]
}

fn entry(id: u64, ticket: u64, status: OutboxStatus, due: i64) -> OutboxEntry {
    OutboxEntry {
        id: OutboxId(id),
        ticket_id: TicketId(ticket),
        article_id: ArticleId(1),
        channel: ChannelKind::Email,
        recipient: "alice@acme.example".into(),
        status,
        attempts: 1,
        next_attempt_at: Timestamp(due),
        last_error: Some("421 try later".into()),
        created_at: Timestamp(1),
        receipt: (status == OutboxStatus::Sent).then(|| "queued as 42".into()),
        notification: None,
    }
}

/// Two pending entries (due at 10 and 20) and a sent one.
fn entries() -> Vec<OutboxEntry> {
    vec![
        entry(1, 1, OutboxStatus::Pending, 10),
        entry(2, 1, OutboxStatus::Sent, 0),
        entry(3, 2, OutboxStatus::Pending, 20),
    ]
}

/// Writes the tickets and entries through a store of this build, then rewrites them in the layout of
/// schema 6 and marks the file as `version`; `before_marking` may take more away from the file.
fn write_old_file(path: &Path, version: u64, before_marking: impl FnOnce(&redb::WriteTransaction)) {
    {
        let store = RedbStore::open(path).unwrap();
        let commit = Commit {
            tickets: tickets().into_iter().map(|t| TicketWrite { ticket: t, expected_version: 0 }).collect(),
            history: vec![history(1, "created")],
            outbox: entries(),
            ..Default::default()
        };
        pollster::block_on(store.commit(commit)).unwrap();
    }
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    let n = rewrite_id_table(&txn, "tickets", |v| {
        let t: Ticket = postcard::from_bytes(v).unwrap();
        let old = ticket_v6_bytes(&t);
        assert!(postcard::from_bytes::<Ticket>(&old).is_err(), "the old layout is not the current one");
        old
    });
    assert_eq!(n, 3);
    let n = rewrite_id_table(&txn, "outbox", |v| {
        let o: OutboxEntry = postcard::from_bytes(v).unwrap();
        let old = outbox_v6_bytes(&o);
        assert!(postcard::from_bytes::<OutboxEntry>(&old).is_err(), "the old layout is not the current one");
        old
    });
    assert_eq!(n, 3);
    before_marking(&txn);
    set_schema_version(&txn, version);
    txn.commit().unwrap();
}

/// What every upgraded file must answer.
async fn check_upgraded(store: &RedbStore) {
    for t in tickets() {
        let read = store.ticket(t.id).await.unwrap().unwrap();
        assert_eq!(read, t, "ticket {} reads back unchanged", t.id);
        assert!(read.watchers.is_empty() && read.unlock_at.is_none());
        assert_eq!(store.ticket_by_number(&t.number).await.unwrap(), Some(t));
    }
    let ids = |v: Vec<Ticket>| v.iter().map(|t| t.id.0).collect::<Vec<_>>();
    assert_eq!(ids(store.due_tickets(Timestamp(499), 10).await.unwrap()), Vec::<u64>::new());
    assert_eq!(ids(store.due_tickets(Timestamp(500), 10).await.unwrap()), vec![2], "the due index still holds it");
    let locked = TicketIndex::LockedBy("ana".into());
    assert_eq!(ids(store.list_tickets(&locked, None, 10).await.unwrap().items), vec![3]);
    assert_eq!(store.count_tickets(&locked).await.unwrap(), 1);
    assert_eq!(store.count_tickets(&TicketIndex::Responsible("ana".into())).await.unwrap(), 1);
    let raw = TicketIndex::Queue { queue: "Raw".into(), state_type: None };
    assert_eq!(ids(store.list_tickets(&raw, None, 10).await.unwrap().items), vec![3, 2, 1]);
    assert_eq!(store.count_tickets(&raw).await.unwrap(), 3);
    let all = entries();
    assert_eq!(store.outbox_for_ticket(TicketId(1)).await.unwrap(), all[..2].to_vec());
    assert_eq!(store.outbox_for_ticket(TicketId(2)).await.unwrap(), all[2..].to_vec());
    assert_eq!(store.outbox_pending().await.unwrap(), 2);
    assert_eq!(store.history(TicketId(1)).await.unwrap(), vec![history(1, "created")]);
}

/// Every ticket and outbox value of the file at `path` is exactly the current encoding of what it decodes to.
fn assert_current_layout(path: &Path) {
    let db = redb::Database::open(path).unwrap();
    let read = redb::ReadableDatabase::begin_read(&db).unwrap();
    for name in ["tickets", "outbox"] {
        let def: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new(name);
        for row in redb::ReadableTable::iter(&read.open_table(def).unwrap()).unwrap() {
            let (_, v) = row.unwrap();
            let again = if name == "tickets" {
                postcard::to_allocvec(&postcard::from_bytes::<Ticket>(v.value()).unwrap()).unwrap()
            } else {
                postcard::to_allocvec(&postcard::from_bytes::<OutboxEntry>(v.value()).unwrap()).unwrap()
            };
            assert_eq!(again, v.value(), "a {name} row in the current layout");
        }
    }
}

#[test]
fn tickets_and_outbox_entries_of_schema_6_are_upgraded_in_place() {
    let dir = TempDir::new("upgrade6");
    let path = dir.file("u6.redb");
    write_old_file(&path, 6, |_| {});
    assert!(RedbStore::open(&path).is_ok(), "opening upgrades");
    assert_eq!(stored_schema_version(&path), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 9, "and on through the later upgrades");
    assert_current_layout(&path);
    pollster::block_on(async {
        let store = RedbStore::open(&path).unwrap();
        check_upgraded(&store).await;
        // Upgraded rows take the new fields: a watched ticket whose lock runs out at 300 is due then.
        let mut locked = store.ticket(TicketId(3)).await.unwrap().unwrap();
        locked.watchers = vec!["ben".into()];
        locked.unlock_at = Some(Timestamp(300));
        locked.version = 2;
        store
            .commit(Commit {
                tickets: vec![TicketWrite { ticket: locked.clone(), expected_version: 1 }],
                ..Default::default()
            })
            .await
            .unwrap();
        let notice = OutboxEntry {
            id: OutboxId(4),
            article_id: ArticleId(0),
            notification: Some(NotificationRef {
                kind: NotificationKind::LockTimeout,
                agent: "ana".into(),
                actor: None,
                fan_out: Vec::new(),
            }),
            ..entry(4, 3, OutboxStatus::Pending, 30)
        };
        store.commit(Commit { outbox: vec![notice.clone()], ..Default::default() }).await.unwrap();
        drop(store);
        let store = RedbStore::open(&path).unwrap();
        assert_eq!(store.ticket(TicketId(3)).await.unwrap(), Some(locked));
        let due: Vec<u64> = store.due_tickets(Timestamp(1000), 10).await.unwrap().iter().map(|t| t.id.0).collect();
        assert_eq!(due, vec![3, 2], "the lock's expiry is indexed, earliest first");
        assert_eq!(store.outbox_for_ticket(TicketId(3)).await.unwrap(), vec![notice.clone()]);
        let claimed = store.claim_outbox(Timestamp(30), Timestamp(60), 10).await.unwrap();
        let claimed_ids: Vec<u64> = claimed.iter().map(|e| e.id.0).collect();
        assert_eq!(claimed_ids, vec![1, 3, 4], "old and new entries are claimed by due time");
        assert_eq!(claimed[2].notification, notice.notification);
    });
}

#[test]
fn a_file_of_schema_1_is_upgraded_through_every_version() {
    let dir = TempDir::new("upgrade1");
    let path = dir.file("u1.redb");
    // Schema 1 had no locked-by or responsible indexes and no counts: the upgrade from 1 builds them
    // from the tickets, which are then still in the layout of schema 6.
    write_old_file(&path, 1, |txn| {
        for name in ["ticket_index", "pending_due"] {
            let def: redb::TableDefinition<&[u8], ()> = redb::TableDefinition::new(name);
            txn.open_table(def).unwrap().retain(|_, _| false).unwrap();
        }
        let counts: redb::TableDefinition<&[u8], u64> = redb::TableDefinition::new("ticket_counts");
        txn.open_table(counts).unwrap().retain(|_, _| false).unwrap();
    });
    let store = RedbStore::open(&path).unwrap();
    pollster::block_on(check_upgraded(&store));
    drop(store);
    assert_eq!(stored_schema_version(&path), SCHEMA_VERSION);
    assert_current_layout(&path);
}
