//! Counter reservations under concurrency: requests served together still get disjoint consecutive
//! ranges, across two stores (nodes) on one schema, and requesters that go away mid-way cost only gaps.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chamado::Store;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reservations_are_disjoint() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("alloc");
    let nodes = [Arc::new(common::store(&url, &schema).await), Arc::new(common::store(&url, &schema).await)];
    let mut tasks = Vec::new();
    for i in 0..300u64 {
        let s = nodes[(i % 2) as usize].clone();
        let count = 1 + i % 16;
        tasks.push(tokio::spawn(async move { (s.allocate("numbers", count).await.unwrap(), count) }));
    }
    // Requesters that go away while their request may be in a batch being reserved.
    for i in 0..40u64 {
        let s = nodes[(i % 2) as usize].clone();
        let t = tokio::spawn(async move { s.allocate("numbers", 3).await });
        if i % 3 == 0 {
            tokio::task::yield_now().await;
        }
        t.abort();
    }
    let mut ranges = Vec::new();
    for t in tasks {
        ranges.push(t.await.unwrap());
    }
    ranges.sort_unstable();
    for w in ranges.windows(2) {
        let ((a, n), (b, _)) = (w[0], w[1]);
        assert!(a + n <= b, "ranges {a}+{n} and {b} overlap");
    }
    assert!(ranges[0].0 >= 1, "counters start at 1");
    let after = nodes[0].allocate("numbers", 1).await.unwrap();
    let (last, n) = ranges[ranges.len() - 1];
    assert!(after >= last + n, "a later reservation comes after every earlier one");
    common::drop_schemas(&url, "alloc").await;
}
