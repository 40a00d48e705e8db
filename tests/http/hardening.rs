//! HTTP that holds under abuse: login attempts that cannot be raced, password changes that end the old
//! sessions and tokens, security headers on every answer, Secure cookies behind an https public URL.
//! The connection limits over real TCP are in `connections.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use chamado_http::HttpConfig;
use common::{ADMIN_TOKEN, Harness, Resp, test_config};
use console_support::{get, set_cookie};
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;

async fn login_from(h: &Harness, client: Option<SocketAddr>, login: &str, password: &str) -> Resp {
    let mut req = Request::post("/api/v1/sessions")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"login": login, "password": password}).to_string()))
        .unwrap();
    if let Some(addr) = client {
        req.extensions_mut().insert(ConnectInfo(addr));
    }
    h.raw(req).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_parallel_wrong_passwords_are_mostly_refused_unchecked() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let attempts: Vec<_> = (0..30)
        .map(|_| {
            let h = Harness { app: h.app.clone(), engine: h.engine.clone(), clock: h.clock.clone() };
            tokio::spawn(async move { login_from(&h, None, "alice", "guess").await })
        })
        .collect();
    let mut checked = 0;
    let mut refused = Vec::new();
    for a in attempts {
        let r = a.await.unwrap();
        match r.status {
            // Only a checked password answers 401.
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => refused.push(r),
            s => panic!("unexpected {s}: {}", r.text),
        }
    }
    // Free: 3; then slots 300 ms and 900 ms after them; the next (2.1 s away) is past the 2 s limit.
    assert_eq!(checked, 5, "3 free attempts and 2 held back were checked");
    assert_eq!(refused.len(), 25);
    for r in &refused {
        assert_eq!(r.code(), "too_many_attempts");
        assert!(r.headers[header::RETRY_AFTER].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    }
    let wait: u64 = refused[0].headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let ok = login_from(&h, None, "alice", "pw-alice").await;
    assert_eq!(ok.status, StatusCode::CREATED, "the right password works after the wait: {}", ok.text);
    assert_eq!(login_from(&h, None, "alice", "guess").await.status, StatusCode::UNAUTHORIZED, "a fresh count");
}

#[tokio::test]
async fn one_client_guessing_many_logins_is_throttled_and_others_are_not() {
    let throttle = chamado_http::ThrottleConfig {
        client_free_attempts: 4,
        base_delay: Duration::from_millis(1500),
        ..test_config().login_throttle
    };
    let config = HttpConfig { login_throttle: throttle, ..test_config() };
    let h = Harness::with_config(config).await;
    let guesser: SocketAddr = "192.0.2.10:5000".parse().unwrap();
    let other: SocketAddr = "198.51.100.7:6000".parse().unwrap();
    for i in 0..4 {
        let r = login_from(&h, Some(guesser), &format!("user{i}"), "guess").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let started = std::time::Instant::now();
    assert_eq!(login_from(&h, Some(guesser), "user9", "guess").await.status, StatusCode::UNAUTHORIZED);
    assert!(started.elapsed() >= Duration::from_millis(1000), "the client's 5th attempt is held back");
    let started = std::time::Instant::now();
    assert_eq!(login_from(&h, Some(other), "user9", "guess").await.status, StatusCode::UNAUTHORIZED);
    assert!(started.elapsed() < Duration::from_millis(1000), "another client is not");
}

#[tokio::test]
async fn a_password_change_ends_the_old_sessions_and_tokens() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let tickets = |token: String| {
        let h = &h;
        async move { h.call("GET", "/api/v1/tickets", Some(&token), None).await.status }
    };
    // An admin resets alice's password: both her sessions end.
    let (s1, s2) = (h.login("alice").await, h.login("alice").await);
    h.admin("PATCH", "/api/v1/customer-users/alice", Some(json!({"password": "pw-alice"}))).await;
    assert_eq!(tickets(s1).await, StatusCode::UNAUTHORIZED);
    assert_eq!(tickets(s2).await, StatusCode::UNAUTHORIZED);

    // Alice changes her own: the session she did it on stays, the other ends.
    let (s3, s4) = (h.login("alice").await, h.login("alice").await);
    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let wrong = h.call("PUT", "/api/v1/me/password", Some(&s3), Some(change("nope", "x"))).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN, "{}", wrong.text);
    assert_eq!(tickets(s4.clone()).await, StatusCode::OK, "a refused change ends nothing");
    let r = h.call("PUT", "/api/v1/me/password", Some(&s3), Some(change("pw-alice", "new secret"))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(tickets(s3).await, StatusCode::OK);
    assert_eq!(tickets(s4).await, StatusCode::UNAUTHORIZED);
    let new = login_from(&h, None, "alice", "new secret").await;
    assert_eq!(new.status, StatusCode::CREATED);
    let empty = h.call("PUT", "/api/v1/me/password", Some(ADMIN_TOKEN), Some(change("x", ""))).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.text);

    // An agent's password reset revokes its API tokens and ends its console session; an admin changing
    // its own keeps the token it called with.
    let bob = h.agent("bob", json!({"users": ["rw"]})).await;
    console_support::set_password(&h.engine, "bob", "pw-bob-1").await;
    let console = console_support::login(&h, "bob", "pw-bob-1").await;
    h.admin("PATCH", "/api/v1/agents/bob", Some(json!({"password": "pw-bob-2"}))).await;
    assert_eq!(tickets(bob).await, StatusCode::UNAUTHORIZED);
    let page = console.get("/agent").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "the old console cookie is signed out");
    assert_eq!(console_support::location(&page), "/agent/login");
    for pw in ["admin-pw-1", "admin-pw-2"] {
        h.admin("PATCH", "/api/v1/agents/admin", Some(json!({"password": pw}))).await;
    }
    assert_eq!(tickets(ADMIN_TOKEN.to_string()).await, StatusCode::OK);
    // Setting the same password again (a host on every start) ends nothing.
    let console = console_support::login(&h, "bob", "pw-bob-2").await;
    console_support::set_password(&h.engine, "bob", "pw-bob-2").await;
    assert_eq!(console.get("/agent").await.status, StatusCode::OK);
}

fn assert_security_headers(r: &Resp, what: &str) {
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        assert_eq!(r.headers.get(&name).and_then(|v| v.to_str().ok()), Some(value), "{name} on {what}");
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let h =
        Harness::with_config(HttpConfig { public_url: Some("https://help.example.com".into()), ..test_config() }).await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let alice = h.login("alice").await;
    let api = h.call("GET", "/api/v1/tickets", Some(&alice), None).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_security_headers(&api, "an API answer");
    assert_security_headers(&h.call("GET", "/api/v1/tickets", None, None).await, "a 401");
    assert_security_headers(&h.call("GET", "/api/v1/nothing", None, None).await, "an API 404");
    assert_security_headers(&h.call("DELETE", "/healthz", None, None).await, "a 405");
    let portal = get(&h, "/portal/login", None).await;
    assert_eq!(portal.status, StatusCode::OK);
    assert_security_headers(&portal, "the portal");
    assert_security_headers(&get(&h, "/portal/tickets", None).await, "a portal redirect");
    let console = get(&h, "/agent/login", None).await;
    assert_security_headers(&console, "the console");
    assert_security_headers(&get(&h, "/elsewhere", None).await, "a 404");
    assert_eq!(portal.headers[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000", "https public URL");
    // And the cookies are Secure there (neither login form sets one before a login: both check
    // Origin; the sessions' are checked).
    assert!(portal.headers.get(header::SET_COOKIE).is_none() && console.headers.get(header::SET_COOKIE).is_none());
    let signed_in = portal_login(&h).await;
    console_support::set_password(&h.engine, "admin", "pw-admin").await;
    let (console_in, _) = console_support::try_login(&h, "admin", "pw-admin").await;
    for (r, name) in [(&signed_in, "chamado_session"), (&console_in, "chamado_agent_session")] {
        let c =
            r.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find(|v| v.starts_with(name));
        let c = c.unwrap_or_else(|| panic!("no {name} cookie"));
        assert!(c.contains("Secure") && c.contains("HttpOnly"), "{c}");
    }

    let plain = Harness::new().await;
    plain.customer("acme").await;
    plain.customer_user("alice", "acme").await;
    let page = portal_login(&plain).await;
    assert!(set_cookie(&page, "chamado_session").is_some());
    let c = page.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(!c.contains("Secure"), "no Secure without an https public URL: {c}");
    assert!(page.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
}

/// alice logs in through the portal's form, as a browser on the portal's own page posts it.
async fn portal_login(h: &Harness) -> Resp {
    let req = Request::post("/portal/login")
        .header(header::HOST, "help.example.com")
        .header(header::ORIGIN, "https://help.example.com")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("login=alice&password=pw-alice"))
        .unwrap();
    let r = h.raw(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    r
}
