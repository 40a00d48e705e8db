//! Files of schema 8, which have no event log and no webhook tables, are upgraded in place: the new
//! tables appear empty, every older row (tickets, directory records of every kind, lookup keys) is left
//! byte for byte as it was, and the upgraded store then keeps events and deliveries like a new one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{
    Actor, Customer, CustomerUser, Engine, EventType, NewTicket, RecordKind, Store, TicketIndex, WebhookSubscription,
};
use chamado_redb::{RedbStore, SCHEMA_VERSION};
use common::{TempDir, set_schema_version, stored_schema_version};
use redb::{ReadableDatabase, ReadableTable, TableHandle};
use std::collections::BTreeMap;
use std::path::Path;

/// The tables schema 9 added.
const NEW_TABLES: [&str; 7] =
    ["events", "event_seq", "webhooks", "webhooks_due", "webhooks_by_sub", "webhooks_pending", "webhooks_done"];

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Every row of the bytes-keyed table `name`, as stored.
fn raw_rows(path: &Path, name: &str) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let db = redb::Database::open(path).unwrap();
    let read = db.begin_read().unwrap();
    let def: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new(name);
    let table = read.open_table(def).unwrap();
    table.iter().unwrap().map(|r| r.unwrap()).map(|(k, v)| (k.value().to_vec(), v.value().to_vec())).collect()
}

fn raw_tickets(path: &Path) -> BTreeMap<u64, Vec<u8>> {
    let db = redb::Database::open(path).unwrap();
    let read = db.begin_read().unwrap();
    let def: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("tickets");
    let table = read.open_table(def).unwrap();
    table.iter().unwrap().map(|r| r.unwrap()).map(|(k, v)| (k.value(), v.value().to_vec())).collect()
}

fn raw_lookups(path: &Path) -> BTreeMap<String, String> {
    let db = redb::Database::open(path).unwrap();
    let read = db.begin_read().unwrap();
    let def: redb::TableDefinition<&str, &str> = redb::TableDefinition::new("lookups");
    let table = read.open_table(def).unwrap();
    table.iter().unwrap().map(|r| r.unwrap()).map(|(k, v)| (k.value().to_string(), v.value().to_string())).collect()
}

fn table_names(path: &Path) -> Vec<String> {
    let db = redb::Database::open(path).unwrap();
    let read = db.begin_read().unwrap();
    read.list_tables().unwrap().map(|t| t.name().to_string()).collect()
}

/// A desk written by this build (defaults, a customer, a customer user, three tickets), then made a
/// schema 8 file: the new tables dropped, the version row set to 8.
async fn write_v8_file(path: &Path) -> Vec<String> {
    let store = RedbStore::open(path).unwrap();
    let engine = Engine::builder(store.clone()).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let admin = engine.admin(&Actor::agent("admin")).await.unwrap();
    admin.put_customer(Customer::new("acme", "Acme Inc.")).await.unwrap();
    let mut alice = CustomerUser::new("alice", "alice@acme.example", "acme");
    alice.identities = vec!["telegram:42".into()];
    admin.put_customer_user(alice).await.unwrap();
    let mut numbers = Vec::new();
    for i in 0..3 {
        let new = NewTicket::new(format!("t{i}"), format!("body {i}"), "Raw");
        numbers.push(engine.create_ticket(&Actor::customer("alice"), new).await.unwrap().ticket.number);
    }
    drop(engine);
    store.close().unwrap();
    drop(store);
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    let handles: Vec<_> = txn.list_tables().unwrap().filter(|t| NEW_TABLES.contains(&t.name())).collect();
    assert_eq!(handles.len(), NEW_TABLES.len(), "this build made every new table");
    for handle in handles {
        assert!(txn.delete_table(handle).unwrap());
    }
    set_schema_version(&txn, 8);
    txn.commit().unwrap();
    numbers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_of_schema_8_gain_the_event_log_and_webhook_tables() {
    let dir = TempDir::new("upgrade8");
    let path = dir.file("u8.redb");
    let numbers = write_v8_file(&path).await;
    assert!(table_names(&path).iter().all(|n| !NEW_TABLES.contains(&n.as_str())), "a schema 8 file");
    let records = raw_rows(&path, "records");
    let lookups = raw_lookups(&path);
    let tickets = raw_tickets(&path);
    assert!(records.len() > 10 && tickets.len() == 3);

    drop(RedbStore::open(&path).unwrap());
    assert_eq!(stored_schema_version(&path), 9);
    assert_eq!(SCHEMA_VERSION, 9);
    let names = table_names(&path);
    for name in NEW_TABLES {
        assert!(names.iter().any(|n| n == name), "{name} made by the upgrade");
    }
    assert_eq!(raw_rows(&path, "records"), records, "directory records unchanged, byte for byte");
    assert_eq!(raw_tickets(&path), tickets, "tickets unchanged");
    assert_eq!(raw_lookups(&path), lookups, "lookup keys unchanged");

    let store = RedbStore::open(&path).unwrap();
    assert_eq!(store.last_event_seq().await.unwrap(), 0, "an empty log");
    assert!(store.events_after(0, 10).await.unwrap().is_empty());
    assert_eq!(store.webhooks_pending().await.unwrap(), 0);
    for n in &numbers {
        assert!(store.ticket_by_number(n).await.unwrap().is_some(), "ticket {n}");
    }
    let raw = TicketIndex::Queue { queue: "Raw".into(), state_type: None };
    assert_eq!(store.count_tickets(&raw).await.unwrap(), 3);
    let alice = store.customer_user_by_lookup("telegram:42").await.unwrap().expect("lookup keys kept");
    assert_eq!(alice.login, "alice");
    let before_kinds: Vec<usize> = {
        let mut v = Vec::new();
        for kind in RecordKind::ALL {
            v.push(store.records(kind, "", None, 1_000).await.unwrap().len());
        }
        v
    };
    assert_eq!(before_kinds.iter().sum::<usize>(), records.len(), "every record read back under its kind");

    // The upgraded store keeps subscriptions, events and deliveries.
    let engine = Engine::builder(store.clone()).build().unwrap();
    let admin = engine.admin(&Actor::agent("admin")).await.unwrap();
    let sub = WebhookSubscription::new("wh_1", "https://hooks.example/in", vec![EventType::TicketCreated], SECRET);
    admin.put_webhook(sub).await.unwrap();
    let hooks = store.records(RecordKind::Webhook, "", None, 10).await.unwrap();
    assert_eq!(hooks.len(), 1, "a subscription is a record of the new kind");
    for (kind, n) in RecordKind::ALL.iter().zip(&before_kinds) {
        if *kind != RecordKind::Webhook {
            assert_eq!(store.records(*kind, "", None, 1_000).await.unwrap().len(), *n, "{kind:?} unchanged");
        }
    }
    let view =
        engine.create_ticket(&Actor::customer("alice"), NewTicket::new("after", "the upgrade", "Raw")).await.unwrap();
    let log = store.events_after(0, 10).await.unwrap();
    assert!(!log.is_empty(), "the new ticket's events");
    assert_eq!(log[0].seq, 1);
    assert!(log.iter().any(|e| e.event_type == EventType::TicketCreated && e.ticket_id == Some(view.ticket.id)));
    // The commit logs events only; the delivery loop makes the deliveries from the log.
    assert!(store.pending_webhooks_for_ticket(view.ticket.id).await.unwrap().is_empty());
    assert_eq!(store.webhooks_pending().await.unwrap(), 0);
    let chains = engine.claim_webhook_chains(64).await.unwrap();
    assert!(chains.iter().all(|c| c.subscription == "wh_1") && !chains.is_empty());
}
