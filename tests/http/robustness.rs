//! No input produces a 500 or a panic, and every API error is problem+json.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, header};
use common::{ADMIN_TOKEN, Harness};
use serde_json::json;

#[tokio::test]
async fn odd_requests_get_4xx_problems_never_5xx() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let alice = h.login("alice").await;
    let n = h.open(&alice, json!({"title": "t", "body": "b", "queue": "Raw"})).await;
    let odd_json = [
        json!(null),
        json!([]),
        json!("string"),
        json!({"title": "\u{0}", "body": "\u{0}", "queue": "Raw"}),
        json!({"title": "x".repeat(10_000), "body": "b", "queue": "Raw"}),
        json!({"title": "t", "body": "b", "queue": "Raw", "priority": "urgent!!"}),
        json!({"title": "t", "body": "b", "queue": "Raw", "priority": -1}),
        json!({"title": "t", "body": "b", "queue": "Raw", "service": "nope"}),
        json!({"title": "t", "body": "b", "queue": "Raw", "customer_user": "carol"}),
        json!({"title": "t", "body": "b", "queue": "\u{202e}evil"}),
        json!({"state": "pending reminder"}),
        json!({"state": "pending reminder", "pending_until": "yesterday"}),
        json!({"state": "pending reminder", "pending_until": "1999-01-01T00:00:00Z"}),
        json!({"state": "no such state"}),
        json!({"lock": "maybe"}),
        json!({"owner": "ghost"}),
        json!({"queue": "Nowhere"}),
        json!({"into": n}),
        json!({"body": ""}),
        json!({"permission": "rw"}),
        json!({"id": "", "name": ""}),
        json!({"login": " padded ", "email": "not-an-email"}),
        json!({"login": "x", "groups": {"users": ["godmode"]}}),
        json!({"name": "a::::b"}),
        json!({"name": "Q", "group": "nogroup", "follow_up": "sometimes"}),
    ];
    let targets = [
        ("POST", "/api/v1/tickets".to_string()),
        ("PATCH", format!("/api/v1/tickets/{n}")),
        ("POST", format!("/api/v1/tickets/{n}/articles")),
        ("POST", format!("/api/v1/tickets/{n}/merge")),
        ("POST", "/api/v1/customers".to_string()),
        ("POST", "/api/v1/customer-users".to_string()),
        ("POST", "/api/v1/agents".to_string()),
        ("POST", "/api/v1/services".to_string()),
        ("POST", "/api/v1/queues".to_string()),
        ("PUT", "/api/v1/default-groups/users".to_string()),
        ("PATCH", "/api/v1/customers/acme".to_string()),
    ];
    let mut count = 0;
    for token in [alice.as_str(), ADMIN_TOKEN] {
        for (method, path) in &targets {
            for body in &odd_json {
                let r = h.call(method, path, Some(token), Some(body.clone())).await;
                count += 1;
                assert!(r.status.as_u16() < 500, "{method} {path} {body}: {} {}", r.status, r.text);
                if !r.status.is_success() {
                    assert_eq!(r.content_type, "application/problem+json", "{method} {path} {body}: {}", r.text);
                }
            }
        }
    }
    assert!(count > 500);

    // Odd paths, queries and headers.
    for uri in [
        "/api/v1/tickets/%FF%FE",
        "/api/v1/tickets/..%2F..%2Fetc",
        "/api/v1/tickets/99999999999999999999999999999",
        "/api/v1/tickets?limit=-1",
        "/api/v1/tickets?limit=99999999999999999999999",
        "/api/v1/tickets?cursor=1.2.3",
        "/api/v1/tickets?state_type=",
        "/api/v1/customer-users/%00/groups",
        "/api/v1/customers?limit=5000",
    ] {
        let req = Request::builder()
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
            .body(Body::empty())
            .unwrap();
        let r = h.raw(req).await;
        assert!(r.status.is_client_error() || r.status.is_success(), "{uri}: {} {}", r.status, r.text);
        if !r.status.is_success() {
            assert_eq!(r.content_type, "application/problem+json", "{uri}: {}", r.text);
        }
    }
    for auth in ["Bearer", "Basic abc", "Bearer \u{7f}", "bearer    ", "Bearer chs_"] {
        let Ok(req) = Request::builder().uri("/api/v1/tickets").header(header::AUTHORIZATION, auth).body(Body::empty())
        else {
            continue;
        };
        let r = h.raw(req).await;
        assert_eq!(r.status.as_u16(), 401, "{auth:?}");
    }
}
