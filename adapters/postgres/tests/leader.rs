//! One leader at a time; leadership passes on when the leader goes.

mod common;

use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_leader_at_a_time() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("leader");
    let a = common::store(&url, &schema).await;
    let b = common::store(&url, &schema).await;
    let job = format!("telegram-polling-{schema}");
    let lead = a.try_lead(&job).await.expect("database reachable").expect("first node leads");
    assert!(lead.is_held());
    assert!(b.try_lead(&job).await.expect("database reachable").is_none(), "second node waits");
    assert!(b.try_lead("another job").await.expect("reachable").is_some(), "jobs are independent");
    let waiter = tokio::spawn(async move { b.lead(&job, Duration::from_millis(50)).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!waiter.is_finished(), "still waiting while the leader lives");
    drop(lead);
    let taken = tokio::time::timeout(Duration::from_secs(10), waiter).await;
    assert!(matches!(taken, Ok(Ok(Ok(_)))), "the waiting node takes over");
    common::drop_schemas(&url, "leader").await;
}
