//! Rows written before tickets had watchers and a lock expiry and outbox entries a notification, or before
//! tickets had an SLA and escalation clocks (their JSON lacks the fields), read back with none, stay in the
//! due indexes, and take the fields when next written: no migration of the JSON is needed.
//! Needs `CHAMADO_TEST_DATABASE_URL`; skips with a notice when it is unset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::sla::SlaClock;
use chamado::testkit::{outbox_entry, ticket};
use chamado::{
    ArticleId, Commit, Lock, NotificationKind, NotificationRef, StateType, Store, TicketId, TicketIndex, TicketWrite,
    Timestamp,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_without_the_new_fields_read_back_with_none() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("oldrows");
    let mut pending = ticket(1, 1);
    pending.state = "pending reminder".into();
    pending.state_type = StateType::PendingReminder;
    pending.pending_until = Some(Timestamp(500));
    let mut locked = ticket(2, 1);
    locked.lock = Lock::Lock;
    locked.owner = Some("ana".into());
    {
        let store = common::store(&url, &schema).await;
        store
            .commit(Commit {
                tickets: [&pending, &locked]
                    .into_iter()
                    .map(|t| TicketWrite { ticket: t.clone(), expected_version: 0 })
                    .collect(),
                outbox: vec![outbox_entry(1, 1, 1, 10), outbox_entry(2, 2, 1, 20)],
                ..Default::default()
            })
            .await
            .unwrap();
    }
    // Back to the JSON written before the fields existed.
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("SET search_path TO {schema}")).await.unwrap();
    let n = client.execute("UPDATE tickets SET data = data - 'watchers' - 'unlock_at'", &[]).await.unwrap();
    assert_eq!(n, 2);
    let n = client.execute("UPDATE outbox SET data = data - 'notification'", &[]).await.unwrap();
    assert_eq!(n, 2);
    let left = client
        .query_one(
            "SELECT (SELECT count(*) FROM tickets WHERE data ? 'watchers' OR data ? 'unlock_at')
                  + (SELECT count(*) FROM outbox WHERE data ? 'notification')",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(left.get::<_, i64>(0), 0);

    let store = common::store(&url, &schema).await;
    assert_eq!(store.ticket(TicketId(1)).await.unwrap(), Some(pending.clone()));
    assert_eq!(store.ticket(TicketId(2)).await.unwrap(), Some(locked.clone()));
    let due = |now| {
        let s = &store;
        async move { s.due_tickets(Timestamp(now), 10).await.unwrap().iter().map(|t| t.id.0).collect::<Vec<_>>() }
    };
    assert_eq!(due(500).await, vec![1], "the due index still holds the pending ticket");
    assert_eq!(store.outbox_for_ticket(TicketId(1)).await.unwrap(), vec![outbox_entry(1, 1, 1, 10)]);

    // Written again, the locked ticket takes a lock expiry (due at 300) and a watcher.
    let mut expiring = locked.clone();
    expiring.unlock_at = Some(Timestamp(300));
    expiring.watchers = vec!["ben".into()];
    expiring.version = 2;
    store
        .commit(Commit {
            tickets: vec![TicketWrite { ticket: expiring.clone(), expected_version: 1 }],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(store.ticket(TicketId(2)).await.unwrap(), Some(expiring));
    assert_eq!(due(1000).await, vec![2, 1]);
    let mut notice = outbox_entry(3, 2, 0, 15);
    notice.article_id = ArticleId(0);
    notice.notification = Some(NotificationRef {
        kind: NotificationKind::LockTimeout,
        agent: "ana".into(),
        actor: None,
        fan_out: Vec::new(),
    });
    store.commit(Commit { outbox: vec![notice.clone()], ..Default::default() }).await.unwrap();
    let claimed = store.claim_outbox(Timestamp(100), Timestamp(200), 10).await.unwrap();
    assert_eq!(claimed.iter().map(|e| e.id.0).collect::<Vec<_>>(), vec![1, 3, 2]);
    assert!(claimed[0].notification.is_none() && claimed[2].notification.is_none());
    assert_eq!(claimed[1].notification, notice.notification);
    common::drop_schemas(&url, "oldrows").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_without_clocks_read_back_with_idle_clocks() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("oldclocks");
    let mut pending = ticket(1, 1);
    pending.state = "pending reminder".into();
    pending.state_type = StateType::PendingReminder;
    pending.pending_until = Some(Timestamp(500));
    let mut locked = ticket(2, 2);
    locked.lock = Lock::Lock;
    locked.owner = Some("ana".into());
    locked.unlock_at = Some(Timestamp(300));
    locked.watchers = vec!["ben".into()];
    {
        let store = common::store(&url, &schema).await;
        store
            .commit(Commit {
                tickets: [&pending, &locked]
                    .into_iter()
                    .map(|t| TicketWrite { ticket: t.clone(), expected_version: 0 })
                    .collect(),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    // Back to the JSON written before the fields existed.
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("SET search_path TO {schema}")).await.unwrap();
    let n = client.execute("UPDATE tickets SET data = data - 'sla' - 'escalation'", &[]).await.unwrap();
    assert_eq!(n, 2);
    let left = client.query_one("SELECT count(*) FROM tickets WHERE data ? 'sla' OR data ? 'escalation'", &[]);
    assert_eq!(left.await.unwrap().get::<_, i64>(0), 0);

    let store = common::store(&url, &schema).await;
    for t in [&pending, &locked] {
        let read = store.ticket(t.id).await.unwrap().unwrap();
        assert_eq!(&read, t, "ticket {} reads back unchanged", t.id);
        assert!(read.sla.is_none() && read.escalation.is_idle());
    }
    let due = |now| {
        let s = &store;
        async move { s.due_tickets(Timestamp(now), 10).await.unwrap().iter().map(|t| t.id.0).collect::<Vec<_>>() }
    };
    assert_eq!(due(500).await, vec![2, 1], "the due index still holds both");
    for index in [TicketIndex::Escalated, TicketIndex::AtRisk] {
        assert!(store.list_tickets(&index, None, 10).await.unwrap().items.is_empty(), "{index:?}");
        assert_eq!(store.count_tickets(&index).await.unwrap(), 0, "{index:?}");
    }

    // Written again, the locked ticket takes an SLA whose first response clock breached at 100 and
    // whose solution clock warns at 200: escalated, due at the warning.
    let mut escalated = locked.clone();
    escalated.sla = Some("Gold".into());
    let clock = |warn_at: i64, due: i64, fired: bool| SlaClock {
        active: true,
        running_since: Some(Timestamp(2)),
        target_ms: 60_000,
        warn_ms: 48_000,
        due: Some(Timestamp(due)),
        warn_at: Some(Timestamp(warn_at)),
        warned: fired,
        breached: fired,
        ..Default::default()
    };
    escalated.escalation.first_response = clock(80, 100, true);
    escalated.escalation.solution = clock(200, 250, false);
    escalated.version = 2;
    store
        .commit(Commit {
            tickets: vec![TicketWrite { ticket: escalated.clone(), expected_version: 1 }],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(store.ticket(TicketId(2)).await.unwrap(), Some(escalated.clone()));
    assert_eq!(store.list_tickets(&TicketIndex::Escalated, None, 10).await.unwrap().items, vec![escalated]);
    assert_eq!(store.count_tickets(&TicketIndex::Escalated).await.unwrap(), 1);
    assert_eq!(due(199).await, Vec::<u64>::new(), "the lock's expiry at 300 is later than the warning");
    assert_eq!(due(200).await, vec![2]);
    common::drop_schemas(&url, "oldclocks").await;
}
