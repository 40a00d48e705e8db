//! Migration 8 on a database of migration 7 with rows in it: the event log and the webhook tables arrive,
//! every row already there reads back unchanged, the log starts at seq 1, and deliveries work at once.
//! Needs `CHAMADO_TEST_DATABASE_URL`; skips with a notice when it is unset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::testkit::{article, outbox_entry, ticket};
use chamado::*;

fn event(tag: &str) -> EventRecord {
    EventRecord {
        seq: 0,
        id: format!("evt_{tag}"),
        event_type: EventType::CustomerUserChanged,
        at: Timestamp(5),
        ticket_id: None,
        queue: None,
        order: 0,
        data: "{}".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_log_and_webhooks_arrive_with_rows_present() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("mig8");
    let tickets: Vec<Ticket> = (1..=3u64).map(|i| ticket(i, i as i64 * 10)).collect();
    let user = CustomerUser::new("alice", "alice@acme.example", "acme");
    let old_key = user.lookup_keys()[0].clone();
    {
        let store = common::store(&url, &schema).await;
        store
            .commit(Commit {
                tickets: tickets.iter().map(|t| TicketWrite { ticket: t.clone(), expected_version: 0 }).collect(),
                articles: vec![article(1, 1, None), article(2, 2, Some("<m2@x>"))],
                outbox: vec![outbox_entry(1, 1, 1, 100)],
                ..Default::default()
            })
            .await
            .unwrap();
        store.put_record(Record::CustomerUser(user.clone())).await.unwrap();
    }
    // Back to what migration 7 left.
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("SET search_path TO {schema}")).await.unwrap();
    client.batch_execute(common::UNDO_MIGRATION_8).await.unwrap();
    let version: i32 = client.query_one("SELECT max(version) FROM schema_migrations", &[]).await.unwrap().get(0);
    assert_eq!(version, 7);
    let gone = client.query_one("SELECT to_regclass('events') IS NULL", &[]).await.unwrap();
    assert!(gone.get::<_, bool>(0));

    let store = common::store(&url, &schema).await;
    let version: i32 = client.query_one("SELECT max(version) FROM schema_migrations", &[]).await.unwrap().get(0);
    assert_eq!(version, chamado_postgres::PgStore::schema_version(), "migration 8 and the later ones applied");
    let indexes: Vec<String> = client
        .query(
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = $1 AND tablename = 'webhooks' ORDER BY 1",
            &[&schema],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        indexes,
        [
            "webhooks_by_subscription",
            "webhooks_due",
            "webhooks_finished",
            "webhooks_pending_by_ticket",
            "webhooks_pkey"
        ]
    );
    for t in &tickets {
        assert_eq!(store.ticket(t.id).await.unwrap().as_ref(), Some(t), "ticket {} unchanged", t.id);
    }
    assert_eq!(store.article_by_external_id("<m2@x>").await.unwrap().map(|a| a.id), Some(ArticleId(2)));
    assert_eq!(store.outbox_for_ticket(TicketId(1)).await.unwrap().len(), 1);
    assert_eq!(store.customer_user_by_lookup(&old_key).await.unwrap(), Some(user.clone()));

    // The new tables work on the old rows at once.
    assert_eq!(store.last_event_seq().await.unwrap(), 0);
    let mut moved = user;
    moved.email = "alice@new.example".into();
    let new_key = moved.lookup_keys()[0].clone();
    let mut w = WebhookDelivery {
        id: 1,
        subscription: String::new(),
        fan_out: vec!["wh_1".into()],
        events: vec![event("a")],
        ticket_id: None,
        order: 0,
        status: OutboxStatus::Pending,
        attempts: 0,
        next_attempt_at: Timestamp(5),
        created_at: Timestamp(5),
        retry_since: Timestamp(5),
        recent_attempts: Vec::new(),
        replays: 0,
    };
    store
        .commit(Commit {
            events: vec![event("a")],
            webhooks: vec![w.clone()],
            records: vec![Record::CustomerUser(moved.clone())],
            ..Default::default()
        })
        .await
        .unwrap();
    let log = store.events_after(0, 10).await.unwrap();
    assert_eq!(log.iter().map(|e| (e.seq, e.id.as_str())).collect::<Vec<_>>(), [(1, "evt_a")]);
    assert_eq!(store.customer_user_by_lookup(&old_key).await.unwrap(), None);
    assert_eq!(store.customer_user_by_lookup(&new_key).await.unwrap(), Some(moved));
    w.next_attempt_at = Timestamp(60);
    assert_eq!(store.claim_webhooks(Timestamp(10), Timestamp(60), 10).await.unwrap(), vec![w]);
    common::drop_schemas(&url, "mig8").await;
}
