//! Rows written before tickets had watchers and a lock expiry and outbox entries a notification (their
//! JSON lacks the fields) read back with none, stay in the due indexes, and take the fields when next
//! written: no migration is needed.
//! Needs `CHAMADO_TEST_DATABASE_URL`; skips with a notice when it is unset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::testkit::{outbox_entry, ticket};
use chamado::{
    ArticleId, Commit, Lock, NotificationKind, NotificationRef, StateType, Store, TicketId, TicketWrite, Timestamp,
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
