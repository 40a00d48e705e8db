//! Files of schema 7, whose tickets have no SLA and no escalation clocks, are upgraded in place: every
//! ticket reads back with no SLA and idle clocks, its watchers and lock expiry kept, the indexes (the due
//! index too) still answer, no ticket is escalated or at risk, and the file is of the current schema.
//! Upgraded tickets then take clocks like any other.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::sla::{ClockOutcome, Escalation, SlaClock};
use chamado::{Commit, Lock, StateType, Store, Ticket, TicketId, TicketIndex, TicketWrite, Timestamp};
use chamado_redb::{RedbStore, SCHEMA_VERSION};
use common::{TempDir, history, rewrite_id_table, set_schema_version, stored_schema_version, ticket, ticket_v7_bytes};
use std::path::Path;

/// A plain new ticket, a pending reminder due at 500, one locked by ana (also responsible) and one locked
/// by ben until 300 with two watchers (the fields schema 7 added, kept through the upgrade).
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
    let mut watched = ticket(4, "T4");
    watched.state = "open".into();
    watched.state_type = StateType::Open;
    watched.lock = Lock::Lock;
    watched.owner = Some("ben".into());
    watched.watchers = vec!["carla".into(), "dan".into()];
    watched.unlock_at = Some(Timestamp(300));
    vec![plain, pending, locked, watched]
}

/// A running clock of a 60-minute target started at 1,000 whose warning (80%) and breach are due at
/// `warn_at` and `due`; `warned` and `breached` say which of its events fired.
fn running(warn_at: i64, due: i64, warned: bool, breached: bool) -> SlaClock {
    SlaClock {
        active: true,
        spent_ms: 0,
        running_since: Some(Timestamp(1_000)),
        target_ms: 3_600_000,
        warn_ms: 2_880_000,
        due: Some(Timestamp(due)),
        warn_at: Some(Timestamp(warn_at)),
        warned,
        breached,
        last: None,
    }
}

/// Clocks as a ticket under an SLA has them: first response met, update breached, solution running.
fn escalated() -> Escalation {
    Escalation {
        first_response: SlaClock {
            last: Some(ClockOutcome { met: true, at: Timestamp(1_200), working_ms: 200 }),
            ..Default::default()
        },
        update: running(100, 200, true, true),
        solution: running(5_000, 6_000, false, false),
        responded: true,
        awaiting_agent: true,
    }
}

/// Writes `tickets` through a store of this build, then rewrites the rows `to_v7` picks in the layout
/// of schema 7 and marks the file as schema 7.
fn write_v7_file(path: &Path, tickets: &[Ticket], to_v7: impl Fn(&Ticket) -> bool) {
    {
        let store = RedbStore::open(path).unwrap();
        let commit = Commit {
            tickets: tickets.iter().map(|t| TicketWrite { ticket: t.clone(), expected_version: 0 }).collect(),
            history: vec![history(1, "created")],
            ..Default::default()
        };
        pollster::block_on(store.commit(commit)).unwrap();
    }
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    let n = rewrite_id_table(&txn, "tickets", |v| {
        let t: Ticket = postcard::from_bytes(v).unwrap();
        if !to_v7(&t) {
            return v.to_vec();
        }
        let old = ticket_v7_bytes(&t);
        assert!(postcard::from_bytes::<Ticket>(&old).is_err(), "the old layout is not the current one");
        old
    });
    assert_eq!(n, tickets.len());
    set_schema_version(&txn, 7);
    txn.commit().unwrap();
}

/// Every ticket value of the file at `path` is exactly the current encoding of what it decodes to.
fn assert_current_layout(path: &Path) {
    let db = redb::Database::open(path).unwrap();
    let read = redb::ReadableDatabase::begin_read(&db).unwrap();
    let def: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("tickets");
    for row in redb::ReadableTable::iter(&read.open_table(def).unwrap()).unwrap() {
        let (_, v) = row.unwrap();
        let again = postcard::to_allocvec(&postcard::from_bytes::<Ticket>(v.value()).unwrap()).unwrap();
        assert_eq!(again, v.value(), "a ticket row in the current layout");
    }
}

fn ids(v: &[Ticket]) -> Vec<u64> {
    v.iter().map(|t| t.id.0).collect()
}

async fn listed(store: &RedbStore, index: &TicketIndex) -> Vec<u64> {
    let page = store.list_tickets(index, None, 10).await.unwrap();
    assert_eq!(store.count_tickets(index).await.unwrap(), page.items.len() as u64, "count of {index:?}");
    ids(&page.items)
}

#[test]
fn tickets_of_schema_7_are_upgraded_in_place() {
    let dir = TempDir::new("upgrade7");
    let path = dir.file("u7.redb");
    write_v7_file(&path, &tickets(), |_| true);
    assert!(RedbStore::open(&path).is_ok(), "opening upgrades");
    assert_eq!(stored_schema_version(&path), SCHEMA_VERSION, "and on through the later upgrades");
    assert_eq!(SCHEMA_VERSION, 9);
    assert_current_layout(&path);
    pollster::block_on(async {
        let store = RedbStore::open(&path).unwrap();
        for t in tickets() {
            let read = store.ticket(t.id).await.unwrap().unwrap();
            assert_eq!(read, t, "ticket {} reads back unchanged", t.id);
            assert!(read.sla.is_none() && read.escalation.is_idle());
            assert_eq!(store.ticket_by_number(&t.number).await.unwrap(), Some(t));
        }
        let watched = store.ticket(TicketId(4)).await.unwrap().unwrap();
        assert_eq!((watched.watchers.len(), watched.unlock_at), (2, Some(Timestamp(300))), "schema 7's fields kept");
        let due = |now| {
            let s = &store;
            async move { ids(&s.due_tickets(Timestamp(now), 10).await.unwrap()) }
        };
        assert_eq!(due(299).await, Vec::<u64>::new());
        assert_eq!(due(300).await, vec![4], "the lock's expiry is still indexed");
        assert_eq!(due(500).await, vec![4, 2], "and the pending reminder");
        assert_eq!(listed(&store, &TicketIndex::LockedBy("ana".into())).await, vec![3]);
        assert_eq!(listed(&store, &TicketIndex::LockedBy("ben".into())).await, vec![4]);
        assert_eq!(listed(&store, &TicketIndex::Responsible("ana".into())).await, vec![3]);
        let raw = TicketIndex::Queue { queue: "Raw".into(), state_type: None };
        assert_eq!(listed(&store, &raw).await, vec![4, 3, 2, 1]);
        assert_eq!(listed(&store, &TicketIndex::Escalated).await, Vec::<u64>::new(), "idle clocks escalate nothing");
        assert_eq!(listed(&store, &TicketIndex::AtRisk).await, Vec::<u64>::new());
        assert_eq!(store.history(TicketId(1)).await.unwrap(), vec![history(1, "created")]);

        // Upgraded rows take the new fields: an SLA whose update clock breached at 200 (escalated, due
        // again at the solution clock's warning), another ticket warned (at risk).
        let mut gold = store.ticket(TicketId(1)).await.unwrap().unwrap();
        gold.sla = Some("Gold".into());
        gold.escalation = escalated();
        gold.version = 2;
        let mut warned = store.ticket(TicketId(3)).await.unwrap().unwrap();
        warned.sla = Some("Silver".into());
        warned.escalation.solution = running(100, 700, true, false);
        warned.version = 2;
        let writes = [&gold, &warned].map(|t| TicketWrite { ticket: t.clone(), expected_version: 1 });
        store.commit(Commit { tickets: writes.to_vec(), ..Default::default() }).await.unwrap();
        drop(store);
        let store = RedbStore::open(&path).unwrap();
        assert_eq!(store.ticket(TicketId(1)).await.unwrap(), Some(gold));
        assert_eq!(store.ticket(TicketId(3)).await.unwrap(), Some(warned));
        assert_eq!(listed(&store, &TicketIndex::Escalated).await, vec![1]);
        assert_eq!(listed(&store, &TicketIndex::AtRisk).await, vec![3]);
        let due = |now| {
            let s = &store;
            async move { ids(&s.due_tickets(Timestamp(now), 10).await.unwrap()) }
        };
        assert_eq!(due(500).await, vec![4, 2]);
        assert_eq!(due(700).await, vec![4, 2, 3], "the warned clock's breach is due");
        assert_eq!(due(5_000).await, vec![4, 2, 3, 1], "the solution clock's warning is due");
    });
}

/// An upgrade cut short (some rows already re-encoded, the version row not yet written) finishes on the
/// next open, leaving the rows already of schema 8 as they are, clocks and all.
#[test]
fn rows_already_of_schema_8_are_kept_as_they_are() {
    let dir = TempDir::new("upgrade7-cut");
    let path = dir.file("u7.redb");
    let mut all = tickets();
    all[0].sla = Some("Gold".into());
    all[0].escalation = escalated();
    write_v7_file(&path, &all, |t| t.id != TicketId(1));
    let store = RedbStore::open(&path).unwrap();
    pollster::block_on(async {
        for t in &all {
            assert_eq!(store.ticket(t.id).await.unwrap().as_ref(), Some(t), "ticket {}", t.id);
        }
        assert_eq!(listed(&store, &TicketIndex::Escalated).await, vec![1], "still escalated");
        assert_eq!(listed(&store, &TicketIndex::AtRisk).await, Vec::<u64>::new());
        let due: Vec<u64> = ids(&store.due_tickets(Timestamp(5_000), 10).await.unwrap());
        assert_eq!(due, vec![4, 2, 1]);
    });
    drop(store);
    assert_eq!(stored_schema_version(&path), SCHEMA_VERSION);
    assert_current_layout(&path);
}
