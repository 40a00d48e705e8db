//! `GET /api/v1/queue-overview`: exact counts of the queues the agent may read, its own locked tickets,
//! and a refusal for customer users.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{ADMIN_TOKEN, Harness, ticket};
use serde_json::json;

#[tokio::test]
async fn counts_what_the_agent_may_read() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.admin("POST", "/api/v1/groups", Some(json!({"name": "sales"}))).await;
    h.admin("POST", "/api/v1/queues", Some(json!({"name": "Sales", "group": "sales"}))).await;
    let ana = h.agent("ana", json!({"users": ["rw"]})).await;
    let phone = |title: &str, queue: &str| {
        let mut t = ticket(title, queue);
        t["customer_user"] = json!("alice");
        t
    };
    let mut raw = Vec::new();
    for i in 0..5 {
        raw.push(h.open(ADMIN_TOKEN, phone(&format!("raw {i}"), "Raw")).await);
    }
    h.open(ADMIN_TOKEN, phone("misc", "Misc")).await;
    h.admin("POST", "/api/v1/agents", Some(json!({"login": "sam", "groups": {"sales": ["rw"]}}))).await;
    let sam = h.call("POST", "/api/v1/agents/sam/tokens", Some(ADMIN_TOKEN), None).await.json["token"]
        .as_str()
        .unwrap()
        .to_string();
    h.open(&sam, phone("sales", "Sales")).await;
    let closed = json!({"state": "closed successful"});
    h.call("PATCH", &format!("/api/v1/tickets/{}", raw[0]), Some(&ana), Some(closed)).await;
    let lock = json!({"lock": "lock", "owner": "ana"});
    let r = h.call("PATCH", &format!("/api/v1/tickets/{}", raw[1]), Some(&ana), Some(lock)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let r = h.call("GET", "/api/v1/queue-overview", Some(&ana), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let queues = r.json["queues"].as_array().unwrap();
    let names: Vec<&str> = queues.iter().map(|q| q["queue"].as_str().unwrap()).collect();
    assert!(names.contains(&"Raw") && names.contains(&"Misc") && !names.contains(&"Sales"), "{names:?}");
    let raw_counts = &queues.iter().find(|q| q["queue"] == "Raw").unwrap()["by_state_type"];
    assert_eq!(raw_counts, &json!({"new": 4, "open": 0, "pending_reminder": 0, "pending_auto": 0, "closed": 1}));
    assert_eq!((r.json["locked"].as_u64(), r.json["responsible"].as_u64()), (Some(1), Some(0)));

    let sam_view = h.call("GET", "/api/v1/queue-overview", Some(&sam), None).await;
    let names: Vec<&str> =
        sam_view.json["queues"].as_array().unwrap().iter().map(|q| q["queue"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Sales"]);

    let alice = h.login("alice").await;
    let r = h.call("GET", "/api/v1/queue-overview", Some(&alice), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(h.call("GET", "/api/v1/queue-overview", None, None).await.status, StatusCode::UNAUTHORIZED);
}
