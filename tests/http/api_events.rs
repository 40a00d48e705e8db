//! The event feed over the API: pages in log order resumed by cursor, `after=now`, long-polling that
//! wakes when a ticket is opened during the wait (and answers empty after it), filtering by what the
//! caller may see, customer users refused, malformed parameters refused, waiting requests bounded per
//! caller, and every event's `data` read by the published payload schema types (which refuse unknown
//! fields and need every required one, so the schema and the engine agree).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use chamado_api_types::webhook_payload::WebhookPayloadV1;
use common::{ADMIN_TOKEN, Harness, ticket};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn cursor(v: &Value) -> u64 {
    v.as_str().and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("a cursor string: {v}"))
}

async fn feed(h: &Harness, token: &str, query: &str) -> Value {
    let r = h.call("GET", &format!("/api/v1/events{query}"), Some(token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text);
    r.json
}

fn types(page: &Value) -> Vec<String> {
    page["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_string()).collect()
}

fn numbers(page: &Value) -> Vec<String> {
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["data"]["ticket"]["number"].as_str().unwrap_or("-").to_string())
        .collect()
}

#[tokio::test]
async fn the_feed_pages_in_order_and_resumes_from_its_cursor() {
    let h = Harness::new().await;
    let start = feed(&h, ADMIN_TOKEN, "?after=now").await;
    assert_eq!(start["events"], json!([]));
    let from = start["next_cursor"].as_str().unwrap().to_string();
    let mut opened = Vec::new();
    for i in 0..3 {
        opened.push(h.open(ADMIN_TOKEN, ticket(&format!("T{i}"), "Raw")).await);
    }
    // Each opening is two events of one commit: the ticket, its first article.
    let p1 = feed(&h, ADMIN_TOKEN, &format!("?after={from}&limit=4")).await;
    assert_eq!(types(&p1), ["ticket.created", "article.added", "ticket.created", "article.added"]);
    assert_eq!(numbers(&p1), [opened[0].clone(), opened[0].clone(), opened[1].clone(), opened[1].clone()]);
    let cursors: Vec<u64> = p1["events"].as_array().unwrap().iter().map(|e| cursor(&e["cursor"])).collect();
    assert!(cursors.windows(2).all(|w| w[0] < w[1]) && cursors[0] > from.parse::<u64>().unwrap(), "{cursors:?}");
    assert_eq!(cursor(&p1["next_cursor"]), cursors[3]);
    let e = &p1["events"][0];
    assert!(e["id"].as_str().unwrap().starts_with("evt_"));
    assert_eq!(e["timestamp"], "2026-11-27T22:37:52Z");
    assert_eq!((e["data"]["version"].as_u64(), e["data"]["actor"].as_str()), (Some(1), Some("agent:admin")));
    assert_eq!(p1["events"][1]["data"]["article"]["body"], "body of T0");

    // Resuming from next_cursor gives the rest, then an empty page that keeps the cursor.
    let p2 = feed(&h, ADMIN_TOKEN, &format!("?after={}", cursor(&p1["next_cursor"]))).await;
    assert_eq!(numbers(&p2), [opened[2].clone(), opened[2].clone()]);
    let end = cursor(&p2["next_cursor"]);
    let p3 = feed(&h, ADMIN_TOKEN, &format!("?after={end}")).await;
    assert_eq!((p3["events"].clone(), cursor(&p3["next_cursor"])), (json!([]), end));
    // From an event's own cursor: what follows it.
    let p4 = feed(&h, ADMIN_TOKEN, &format!("?after={}&limit=1", cursors[2])).await;
    assert_eq!(cursor(&p4["events"][0]["cursor"]), cursors[3]);
    // No cursor: from the oldest event kept (the same events, read again).
    let all = feed(&h, ADMIN_TOKEN, "?limit=1000").await;
    assert_eq!(all["events"].as_array().unwrap().len(), 6);
    assert_eq!(all["events"][0], p1["events"][0], "the same event on every read");
    assert_eq!(
        feed(&h, ADMIN_TOKEN, "?after=now").await["next_cursor"].as_str().map(|c| c.parse::<u64>().ok()),
        Some(Some(end))
    );
}

#[tokio::test]
async fn a_long_poll_wakes_when_a_ticket_is_opened_and_else_answers_empty_after_the_wait() {
    let h = Arc::new(Harness::new().await);
    let now = feed(&h, ADMIN_TOKEN, "?after=now").await["next_cursor"].as_str().unwrap().to_string();
    let started = Instant::now();
    let empty = feed(&h, ADMIN_TOKEN, &format!("?after={now}&wait=1")).await;
    assert!(started.elapsed() >= Duration::from_secs(1), "it waited");
    assert_eq!((empty["events"].clone(), empty["next_cursor"].as_str()), (json!([]), Some(now.as_str())));

    let waiting = {
        let h = h.clone();
        let now = now.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            (feed(&h, ADMIN_TOKEN, &format!("?after={now}&wait=20")).await, started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "nothing happened yet: it waits");
    let number = h.open(ADMIN_TOKEN, ticket("Wake up", "Raw")).await;
    let (page, took) = tokio::time::timeout(Duration::from_secs(10), waiting).await.unwrap().unwrap();
    assert_eq!(numbers(&page)[0], number);
    assert_eq!(types(&page)[0], "ticket.created");
    assert!(took < Duration::from_secs(5), "woken by the commit, not the 20 s wait: {took:?}");
    // Events already there: answered at once whatever the wait.
    let started = Instant::now();
    let at_once = feed(&h, ADMIN_TOKEN, &format!("?after={now}&wait=30")).await;
    assert_eq!(numbers(&at_once)[0], number);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn callers_see_only_the_events_of_queues_they_may_read() {
    let h = Harness::new().await;
    h.admin("POST", "/api/v1/groups", Some(json!({"name": "sales"}))).await;
    h.admin("POST", "/api/v1/queues", Some(json!({"name": "Sales", "group": "sales"}))).await;
    h.admin("PUT", "/api/v1/agents/admin/groups/sales", Some(json!({"permissions": ["rw"]}))).await;
    let bob = h.agent("bob", json!({"users": ["ro"]})).await;
    let from = feed(&h, ADMIN_TOKEN, "?after=now").await["next_cursor"].as_str().unwrap().to_string();
    let hidden = h.open(ADMIN_TOKEN, ticket("Secret deal", "Sales")).await;
    let shown = h.open(ADMIN_TOKEN, ticket("Printer", "Raw")).await;
    h.customer("acme").await;
    let admin = feed(&h, ADMIN_TOKEN, &format!("?after={from}")).await;
    assert_eq!(types(&admin).len(), 5, "{admin}");
    assert!(numbers(&admin).contains(&hidden));
    assert_eq!(types(&admin)[4], "customer.changed");
    assert_eq!(admin["events"][4]["data"]["customer"]["id"], "acme");
    let mine = feed(&h, &bob, &format!("?after={from}")).await;
    assert_eq!(numbers(&mine), [shown.clone(), shown.clone()], "no Sales ticket, no directory event");
    assert_eq!(mine["next_cursor"], admin["next_cursor"], "the cursor moves past what bob may not see");
    // A wait that reads only hidden events goes on waiting, past them.
    let started = Instant::now();
    let after = mine["next_cursor"].as_str().unwrap().to_string();
    h.open(ADMIN_TOKEN, ticket("Another deal", "Sales")).await;
    let quiet = feed(&h, &bob, &format!("?after={after}&wait=1")).await;
    assert_eq!(quiet["events"], json!([]));
    assert!(cursor(&quiet["next_cursor"]) > cursor(&mine["next_cursor"]));
    assert!(started.elapsed() >= Duration::from_secs(1));

    // Customer users have no feed.
    h.customer_user("alice", "acme").await;
    let alice = h.login("alice").await;
    let r = h.call("GET", "/api/v1/events", Some(&alice), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = h.call("GET", "/api/v1/events?wait=5", Some(&alice), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "refused at once, not after the wait");
    assert_eq!(h.call("GET", "/api/v1/events", None, None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_parameters_are_refused() {
    let h = Harness::new().await;
    for q in [
        "limit=0",
        "limit=1001",
        "wait=31",
        "wait=-1",
        "after=abc",
        "after=%2B5",
        "after=-1",
        "after=12345678901234567890",
        "limit=x",
    ] {
        let r = h.call("GET", &format!("/api/v1/events?{q}"), Some(ADMIN_TOKEN), None).await;
        assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "malformed_query"), "{q}: {}", r.text);
    }
    let r =
        h.call_with("GET", "/api/v1/events?wait=99", Some(ADMIN_TOKEN), None, &[("accept-language", "pt-BR")]).await;
    assert!(r.json["detail"].as_str().unwrap().contains("entre 0 e 30 segundos"), "{}", r.text);
}

#[tokio::test]
async fn waiting_requests_are_bounded_per_caller() {
    let h = Arc::new(Harness::new().await);
    let bob = h.agent("bob", json!({"users": ["ro"]})).await;
    let now = feed(&h, ADMIN_TOKEN, "?after=now").await["next_cursor"].as_str().unwrap().to_string();
    let mut waiting = Vec::new();
    for _ in 0..chamado_api::events::MAX_WAITING_PER_CALLER {
        let (h, now) = (h.clone(), now.clone());
        waiting.push(tokio::spawn(async move { feed(&h, ADMIN_TOKEN, &format!("?after={now}&wait=20")).await }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = h.call("GET", &format!("/api/v1/events?after={now}&wait=20"), Some(ADMIN_TOKEN), None).await;
    assert_eq!((r.status, r.code()), (StatusCode::TOO_MANY_REQUESTS, "too_many_waiting"), "{}", r.text);
    assert_eq!(r.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
    // Others, and reads that do not wait, are not held back.
    let r = h.call("GET", &format!("/api/v1/events?after={now}"), Some(ADMIN_TOKEN), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h.call("GET", &format!("/api/v1/events?after={now}&wait=1"), Some(&bob), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // A ticket wakes every waiting request; then the places are free again.
    let number = h.open(ADMIN_TOKEN, ticket("Wake all", "Raw")).await;
    for w in waiting {
        let page = tokio::time::timeout(Duration::from_secs(10), w).await.unwrap().unwrap();
        assert_eq!(numbers(&page)[0], number);
    }
    let r = h.call("GET", &format!("/api/v1/events?after={now}&wait=20"), Some(ADMIN_TOKEN), None).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn every_event_fits_the_published_payload_schema() {
    let h = Harness::new().await;
    let from = feed(&h, ADMIN_TOKEN, "?after=now").await["next_cursor"].as_str().unwrap().to_string();
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.admin("PATCH", "/api/v1/customers/acme", Some(json!({"city": "Recife"}))).await;
    let a = h.open(ADMIN_TOKEN, json!({"title": "One", "body": "b", "queue": "Raw", "customer_user": "alice"})).await;
    let b = h.open(ADMIN_TOKEN, ticket("Two", "Raw")).await;
    h.admin(
        "PATCH",
        &format!("/api/v1/tickets/{a}"),
        Some(
            json!({"state": "open", "priority": 4, "queue": "Misc", "title": "One!", "owner": "admin", "lock": "lock"}),
        ),
    )
    .await;
    h.admin("POST", &format!("/api/v1/tickets/{a}/articles"), Some(json!({"body": "A note", "internal": true}))).await;
    h.admin("POST", &format!("/api/v1/tickets/{b}/merge"), Some(json!({"into": a}))).await;
    let page = feed(&h, ADMIN_TOKEN, &format!("?after={from}&limit=1000")).await;
    let mut seen = std::collections::BTreeSet::new();
    for e in page["events"].as_array().unwrap() {
        let body = json!({"type": e["type"], "timestamp": e["timestamp"], "data": e["data"]});
        let payload: WebhookPayloadV1 =
            serde_json::from_value(body.clone()).unwrap_or_else(|err| panic!("{err}: {body}"));
        assert_eq!(payload.data.version, 1);
        seen.insert(payload.event_type);
    }
    for t in [
        "customer.changed",
        "customer_user.changed",
        "ticket.created",
        "article.added",
        "ticket.state_changed",
        "ticket.priority_changed",
        "ticket.queue_changed",
        "ticket.title_changed",
        "ticket.owner_changed",
        "ticket.lock_changed",
        "ticket.merged",
    ] {
        assert!(seen.contains(t), "{t} not seen in {seen:?}");
    }
}
