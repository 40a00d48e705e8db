//! `GET /api/v1/tickets?q=`: full-text search, filtered by what the caller may see.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{ADMIN_TOKEN, Harness, ticket};

#[tokio::test]
async fn search_finds_words_and_never_another_customers_tickets() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer("globex").await;
    h.customer_user("alice", "acme").await;
    h.customer_user("carol", "globex").await;
    let alice = h.login("alice").await;
    let carol = h.login("carol").await;
    let a = h.open(&alice, ticket("Printer jams on tray two", "Raw")).await;
    let c = h.open(&carol, ticket("Printer offline", "Raw")).await;
    assert_eq!(h.numbers(&alice, "?q=printer").await, vec![a.clone()], "alice finds only her own");
    assert_eq!(h.numbers(&carol, "?q=printer").await, vec![c.clone()]);
    let mut all = h.numbers(ADMIN_TOKEN, "?q=printer").await;
    all.sort();
    let mut expected = vec![a.clone(), c.clone()];
    expected.sort();
    assert_eq!(all, expected, "the agent finds both");
    assert_eq!(h.numbers(ADMIN_TOKEN, "?q=tray%20two").await, vec![a.clone()], "every word must match");
    assert!(h.numbers(&alice, "?q=offline").await.is_empty(), "carol's words are not alice's results");
    assert_eq!(h.numbers(ADMIN_TOKEN, "?q=printer&customer_id=globex").await, vec![c], "filters narrow hits");
    let r = h.call("GET", "/api/v1/tickets?q=%20", Some(ADMIN_TOKEN), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "an empty query is a validation problem: {}", r.text);
}
