//! Problem details, authentication, sessions, idempotency and limits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{ADMIN_TOKEN, Harness, ticket};
use serde_json::json;
use std::time::{Duration, Instant};

async fn with_alice(h: &Harness) -> String {
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.login("alice").await
}

#[tokio::test]
async fn errors_are_problem_json_with_stable_codes() {
    let h = Harness::new().await;
    let alice = with_alice(&h).await;
    let post = |body: &'static str, ct: &'static str| {
        Request::builder()
            .method("POST")
            .uri("/api/v1/tickets")
            .header(header::AUTHORIZATION, format!("Bearer {alice}"))
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    let cases = [
        (h.raw(post("{not json", "application/json")).await, 400, "malformed_json"),
        (h.raw(post("{\"title\": 5}", "application/json")).await, 400, "malformed_json"),
        (
            h.raw(post("{\"title\":\"t\",\"body\":\"b\",\"queue\":\"Raw\",\"colour\":1}", "application/json")).await,
            400,
            "malformed_json",
        ),
        (h.raw(post("{}", "text/plain")).await, 415, "unsupported_media_type"),
        (
            h.call("POST", "/api/v1/tickets", Some(&alice), Some(json!({"title": " ", "body": "b", "queue": "Raw"})))
                .await,
            422,
            "validation",
        ),
        // A body naming a record that does not exist: not found, like a path would be.
        (h.call("POST", "/api/v1/tickets", Some(&alice), Some(ticket("t", "NoSuchQueue"))).await, 404, "not_found"),
        (
            h.call(
                "POST",
                "/api/v1/tickets",
                Some(&alice),
                Some(json!({"title": "t", "body": "b", "queue": "Raw", "priority": "3 NORMAL"})),
            )
            .await,
            422,
            "validation",
        ),
        (
            h.call(
                "POST",
                "/api/v1/tickets",
                Some(&alice),
                Some(json!({"title": "t", "body": "b", "queue": "Raw", "priority": 9})),
            )
            .await,
            422,
            "validation",
        ),
        (h.call("GET", "/api/v1/tickets", None, None).await, 401, "unauthorized"),
        (h.call("GET", "/api/v1/tickets", Some("cha_wrong"), None).await, 401, "unauthorized"),
        (h.call("GET", "/api/v1/tickets", Some("chs_expired-or-made-up"), None).await, 401, "unauthorized"),
        (h.call("GET", "/api/v1/tickets?limit=abc", Some(&alice), None).await, 400, "malformed_query"),
        (h.call("GET", "/api/v1/tickets?limit=0", Some(&alice), None).await, 400, "malformed_query"),
        (h.call("GET", "/api/v1/tickets?cursor=xyz", Some(&alice), None).await, 400, "malformed_query"),
        (h.call("GET", "/api/v1/tickets?cursor=%2B1.1", Some(&alice), None).await, 400, "malformed_query"),
        (h.call("DELETE", "/api/v1/sessions", Some(ADMIN_TOKEN), None).await, 403, "not_a_session"),
        (h.call("GET", "/api/v1/tickets?state_type=sleepy", Some(&alice), None).await, 400, "malformed_query"),
        (h.call("GET", "/api/v1/tickets/123", Some(&alice), None).await, 404, "not_found"),
        (h.call("GET", "/api/v1/nothing-here", Some(&alice), None).await, 404, "no_route"),
        (h.call("DELETE", "/api/v1/tickets", Some(&alice), None).await, 405, "method_not_allowed"),
        (
            h.call("POST", "/api/v1/customers", Some(ADMIN_TOKEN), Some(json!({"id": "acme", "name": "again"}))).await,
            409,
            "duplicate",
        ),
        (
            h.call_with("POST", "/api/v1/tickets", Some(&alice), Some(ticket("t", "Raw")), &[("idempotency-key", "")])
                .await,
            400,
            "malformed_header",
        ),
    ];
    for (i, (r, status, code)) in cases.iter().enumerate() {
        assert_eq!((r.status.as_u16(), r.code()), (*status, *code), "case {i}: {}", r.text);
        assert_eq!(r.content_type, "application/problem+json", "case {i}");
        assert_eq!(r.json["type"], format!("urn:chamado:problem:{code}"));
        assert_eq!(r.json["status"], *status);
        assert!(r.json["detail"].as_str().is_some_and(|d| d.len() > 5), "case {i} needs a detail: {}", r.text);
    }
    let unauth = h.call("GET", "/api/v1/tickets", None, None).await;
    assert!(unauth.headers.get(header::WWW_AUTHENTICATE).is_some());
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let h = Harness::new().await;
    let alice = with_alice(&h).await;
    let big = "x".repeat(100 * 1024);
    let r = h
        .call("POST", "/api/v1/tickets", Some(&alice), Some(json!({"title": "big", "body": big, "queue": "Raw"})))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"), "{}", r.text);
    assert_eq!(r.content_type, "application/problem+json");
    assert!(h.numbers(&alice, "").await.is_empty());
}

#[tokio::test]
async fn idempotency_key_returns_the_first_ticket_and_article() {
    let h = Harness::new().await;
    let alice = with_alice(&h).await;
    let key = [("idempotency-key", "retry-1")];
    let first = h.call_with("POST", "/api/v1/tickets", Some(&alice), Some(ticket("once", "Raw")), &key).await;
    let again = h.call_with("POST", "/api/v1/tickets", Some(&alice), Some(ticket("once", "Raw")), &key).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(first.json["number"], again.json["number"]);
    let n = first.json["number"].as_str().unwrap().to_string();
    assert_eq!(h.numbers(&alice, "").await, vec![n.clone()]);
    // Another key is another ticket; the same key from another caller is that caller's own.
    h.call_with(
        "POST",
        "/api/v1/tickets",
        Some(&alice),
        Some(ticket("twice", "Raw")),
        &[("idempotency-key", "retry-2")],
    )
    .await;
    assert_eq!(h.numbers(&alice, "").await.len(), 2);
    h.customer_user("bob", "acme").await;
    let bob = h.login("bob").await;
    let his = h.call_with("POST", "/api/v1/tickets", Some(&bob), Some(ticket("bob's", "Raw")), &key).await;
    assert_eq!(his.status, StatusCode::CREATED);
    assert_ne!(his.json["number"], first.json["number"]);
    assert_eq!(his.json["customer_user"], "bob");

    let akey = [("idempotency-key", "art-1")];
    let url = format!("/api/v1/tickets/{n}/articles");
    let a1 = h.call_with("POST", &url, Some(&alice), Some(json!({"body": "follow"})), &akey).await;
    let a2 = h.call_with("POST", &url, Some(&alice), Some(json!({"body": "follow"})), &akey).await;
    assert_eq!((a1.status, a2.status), (StatusCode::CREATED, StatusCode::CREATED), "{}", a2.text);
    assert_eq!(a1.json["article"]["id"], a2.json["article"]["id"]);
    let t = h.call("GET", &format!("/api/v1/tickets/{n}"), Some(&alice), None).await;
    assert_eq!(t.json["articles"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn sessions_log_in_log_out_and_expire_and_failures_look_alike() {
    let h = Harness::new().await;
    let alice = with_alice(&h).await;
    assert_eq!(h.call("GET", "/api/v1/tickets", Some(&alice), None).await.status, StatusCode::OK);

    let wrong = h.call("POST", "/api/v1/sessions", None, Some(json!({"login": "alice", "password": "nope"}))).await;
    let unknown = h.call("POST", "/api/v1/sessions", None, Some(json!({"login": "zed", "password": "nope"}))).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.text, unknown.text);
    // Invalid users cannot log in either, with the same answer.
    h.admin("PATCH", "/api/v1/customer-users/alice", Some(json!({"valid": false}))).await;
    let invalid =
        h.call("POST", "/api/v1/sessions", None, Some(json!({"login": "alice", "password": "pw-alice"}))).await;
    assert_eq!(invalid.text, unknown.text);
    assert_eq!(h.call("GET", "/api/v1/tickets", Some(&alice), None).await.status, StatusCode::UNAUTHORIZED);
    h.admin("PATCH", "/api/v1/customer-users/alice", Some(json!({"valid": true}))).await;

    let r = h.call("DELETE", "/api/v1/sessions", Some(&alice), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(h.call("GET", "/api/v1/tickets", Some(&alice), None).await.status, StatusCode::UNAUTHORIZED);

    let s = h.call("POST", "/api/v1/sessions", None, Some(json!({"login": "alice", "password": "pw-alice"}))).await;
    assert_eq!(s.status, StatusCode::CREATED);
    assert_eq!(s.json["expires_at"], "2026-11-28T06:37:52Z");
    let token = s.json["token"].as_str().unwrap().to_string();
    h.clock.advance(Duration::from_secs(8 * 3600 + 1));
    assert_eq!(h.call("GET", "/api/v1/tickets", Some(&token), None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn repeated_login_failures_are_slowed_down() {
    let h = Harness::new().await;
    with_alice(&h).await;
    let attempt = || h.call("POST", "/api/v1/sessions", None, Some(json!({"login": "alice", "password": "guess"})));
    for _ in 0..2 {
        assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    }
    // Slots are spaced from the 3rd (the last free) attempt's start.
    let started = Instant::now();
    assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    assert!(started.elapsed() >= Duration::from_millis(300), "the 4th attempt waits the base delay");
    assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    assert!(started.elapsed() >= Duration::from_millis(300 + 600), "and the gap to the 5th doubles");
    // Other logins are counted apart (see the throttle's unit test); a success resets alice's count.
    let ok = h.call("POST", "/api/v1/sessions", None, Some(json!({"login": "alice", "password": "pw-alice"}))).await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let started = Instant::now();
    assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    assert!(started.elapsed() < Duration::from_millis(1200), "no longer doubled after a success");
}

#[tokio::test]
async fn listing_pages_with_cursor_and_filters() {
    let h = Harness::new().await;
    let alice = with_alice(&h).await;
    let mut opened = Vec::new();
    for i in 0..5 {
        opened.push(h.open(&alice, ticket(&format!("t{i}"), "Raw")).await);
        h.clock.advance(Duration::from_secs(1));
    }
    let p1 = h.call("GET", "/api/v1/tickets?limit=2", Some(&alice), None).await;
    let cursor = p1.json["next_cursor"].as_str().unwrap().to_string();
    let p2 = h.call("GET", &format!("/api/v1/tickets?limit=2&cursor={cursor}"), Some(&alice), None).await;
    let got: Vec<String> = [&p1, &p2]
        .iter()
        .flat_map(|p| p.json["tickets"].as_array().unwrap().iter().map(|t| t["number"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(got, vec![opened[4].clone(), opened[3].clone(), opened[2].clone(), opened[1].clone()]);
    h.admin("PATCH", &format!("/api/v1/tickets/{}", opened[0]), Some(json!({"state": "closed successful"}))).await;
    assert_eq!(h.numbers(&alice, "?state_type=closed").await, vec![opened[0].clone()]);
    assert_eq!(h.numbers(ADMIN_TOKEN, "?state=closed%20successful&queue=Raw").await, vec![opened[0].clone()]);
    assert_eq!(h.numbers(ADMIN_TOKEN, "?customer_user=alice").await.len(), 5);
}

#[tokio::test]
async fn healthz_answers_ok() {
    let h = Harness::new().await;
    let r = h.call("GET", "/healthz", None, None).await;
    assert_eq!((r.status, r.json["status"].as_str()), (StatusCode::OK, Some("ok")));
}
