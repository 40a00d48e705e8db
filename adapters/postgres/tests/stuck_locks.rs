//! A node never waits forever: a row lock held by another session (a hung or half-dead node) makes a
//! request fail as unavailable after the pooled connections' `lock_timeout`, and the node carries on
//! once the lock is gone. Needs `CHAMADO_TEST_DATABASE_URL`; skips with a notice when it is unset.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chamado::{Store, StoreError};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_lock_fails_the_request_instead_of_hanging_it() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("stuck");
    let store = common::store(&url, &schema).await;
    let first = store.allocate("tickets", 1).await.unwrap();

    // Another session takes the counter's row lock and sits on it.
    let (holder, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    holder
        .batch_execute(&format!("BEGIN; SELECT value FROM {schema}.counters WHERE scope = 'tickets' FOR UPDATE"))
        .await
        .unwrap();

    let started = Instant::now();
    let err = tokio::time::timeout(Duration::from_secs(40), store.allocate("tickets", 1))
        .await
        .expect("the request must not hang")
        .unwrap_err();
    let waited = started.elapsed();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    assert!(waited >= Duration::from_secs(9) && waited < Duration::from_secs(30), "failed after {waited:?}");

    holder.batch_execute("ROLLBACK").await.unwrap();
    let next = store.allocate("tickets", 1).await.unwrap();
    assert!(next > first, "the node carries on: {next} after {first}");
    common::drop_schemas(&url, "stuck").await;
}
