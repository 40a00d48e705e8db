//! Webhook subscriptions over the API: add (a secret made when none is given, shown whole only then),
//! read, replace, change, remove; refusals in the engine's translated words (private targets unless the
//! engine allows them, unknown events, malformed secrets); secret rotation; the deliveries listing with
//! each attempt, replaying one delivery or a time range; a `410 Gone` shown and undone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use chamado::webhooks::WebhookConfig;
use chamado::{Actor, Engine, EngineConfig, FixedClock, MemoryStore, Timestamp, WebhookOutcome, WebhookResult};
use common::{ADMIN_TOKEN, Harness};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER: &str = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// A harness whose engine has these webhook settings.
async fn harness_with(webhooks: WebhookConfig) -> Harness {
    let clock = Arc::new(FixedClock::new(Timestamp::from_unix_seconds(1_795_819_072)));
    let config = EngineConfig { webhooks, ..EngineConfig::default() };
    let engine = Engine::builder(MemoryStore::new()).clock(clock.clone()).config(config).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let admin = engine.admin(&Actor::System).await.unwrap();
    chamado_http::auth::agent_token::install(&admin, "admin", ADMIN_TOKEN).await.unwrap();
    let app = common::full_router(engine.clone(), common::test_config());
    Harness { app, engine, clock }
}

async fn create(h: &Harness, body: Value) -> Value {
    let r = h.call("POST", "/api/v1/webhooks", Some(ADMIN_TOKEN), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json
}

fn hook(events: &[&str]) -> Value {
    json!({"url": "https://hooks.example.com/in", "events": events})
}

#[tokio::test]
async fn admins_add_read_replace_change_and_remove_subscriptions() {
    let h = Harness::new().await;
    let made = create(
        &h,
        json!({"url": "https://hooks.example.com/in",
        "events": ["ticket.created", "article.added", "ticket.created"], "queues": ["Raw"], "description": "CRM"}),
    )
    .await;
    let id = made["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("wh_"), "{id}");
    assert_eq!(made["events"], json!(["ticket.created", "article.added"]), "each event once, in order");
    assert_eq!(
        (made["enabled"].as_bool(), made["max_concurrency"].as_u64(), made["timeout_ms"].as_u64()),
        (Some(true), Some(4), Some(10_000))
    );
    // No secret given: one was made (32 random bytes), shown whole in this answer only.
    let secret = made["secrets"][0]["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_") && secret.len() == 50, "{secret}");
    assert!(chamado::webhooks::check_secret(&secret).is_ok());
    assert_eq!(made["secrets"][0]["masked"], format!("whsec_…{}", &secret[46..]));
    assert_eq!(made["secrets"][0]["active"], true);
    let stored = h.engine.admin(&Actor::System).await.unwrap().webhook(&id).await.unwrap();
    assert_eq!(stored.secrets[0].secret, secret, "the secret shown is the one that signs");
    assert_eq!(stored.queues, ["Raw"]);

    let one = h.admin("GET", &format!("/api/v1/webhooks/{id}"), None).await;
    assert!(one.json["secrets"][0].get("secret").is_none(), "masked afterwards: {}", one.text);
    assert!(!one.text.contains(&secret));
    assert_eq!(one.json["description"], "CRM");
    let all = h.admin("GET", "/api/v1/webhooks", None).await;
    assert_eq!(all.json["items"].as_array().unwrap().len(), 1);
    assert!(!all.text.contains(&secret));

    // PUT replaces every field; without secrets it keeps them.
    let put = h
        .admin(
            "PUT",
            &format!("/api/v1/webhooks/{id}"),
            Some(
                json!({"url": "https://crm.example.com/hook", "events": ["ticket.state_changed"], "timeout_ms": 2000}),
            ),
        )
        .await;
    assert_eq!(put.json["url"], "https://crm.example.com/hook");
    assert_eq!(put.json["events"], json!(["ticket.state_changed"]));
    assert_eq!((put.json["queues"].clone(), put.json["description"].clone()), (json!([]), json!("")));
    assert_eq!(put.json["timeout_ms"], 2000);
    assert_eq!(put.json["secrets"][0]["masked"], made["secrets"][0]["masked"], "the secret stayed");
    assert!(put.json["secrets"][0].get("secret").is_none());
    assert_eq!(put.json["created_at"], made["created_at"]);
    // PUT with a secret replaces the secrets.
    let put = h
        .admin(
            "PUT",
            &format!("/api/v1/webhooks/{id}"),
            Some(json!({"url": "https://crm.example.com/hook", "events": ["ticket.created"], "secret": SECRET})),
        )
        .await;
    assert_eq!(put.json["secrets"].as_array().unwrap().len(), 1);
    assert_eq!(put.json["secrets"][0]["masked"], "whsec_…LaSw");

    // PATCH changes what it names.
    let patched = h
        .admin(
            "PATCH",
            &format!("/api/v1/webhooks/{id}"),
            Some(json!({"enabled": false, "description": "paused", "groups": ["users"]})),
        )
        .await;
    assert_eq!(
        (patched.json["enabled"].as_bool(), patched.json["description"].as_str()),
        (Some(false), Some("paused"))
    );
    assert_eq!(patched.json["groups"], json!(["users"]));
    assert_eq!(patched.json["url"], "https://crm.example.com/hook", "the rest stays");
    let r =
        h.call("PATCH", &format!("/api/v1/webhooks/{id}"), Some(ADMIN_TOKEN), Some(json!({"secret": SECRET}))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "secrets are not patched: {}", r.text);

    let r = h.call("DELETE", &format!("/api/v1/webhooks/{id}"), Some(ADMIN_TOKEN), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    for (method, body) in
        [("GET", None), ("PUT", Some(hook(&["ticket.created"]))), ("PATCH", Some(json!({}))), ("DELETE", None)]
    {
        let r = h.call(method, &format!("/api/v1/webhooks/{id}"), Some(ADMIN_TOKEN), body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method}: {}", r.text);
    }
}

#[tokio::test]
async fn invalid_subscriptions_are_refused_in_the_engines_words() {
    let h = Harness::new().await;
    let refused = |r: &common::Resp, status: StatusCode, needle: &str| {
        assert_eq!(r.status, status, "{}", r.text);
        assert!(r.json["detail"].as_str().unwrap_or("").contains(needle), "{needle:?} in {}", r.text);
    };
    let post = |body: Value| h.call("POST", "/api/v1/webhooks", Some(ADMIN_TOKEN), Some(body));
    // Private targets: refused by default.
    for url in
        ["http://127.0.0.1:9000/hook", "http://localhost/x", "http://[::ffff:10.0.0.1]/x", "http://169.254.169.254/"]
    {
        let r = post(json!({"url": url, "events": ["ticket.created"]})).await;
        refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "private, loopback or link-local");
    }
    let r = h
        .call_with(
            "POST",
            "/api/v1/webhooks",
            Some(ADMIN_TOKEN),
            Some(json!({"url": "http://10.1.2.3/", "events": ["ticket.created"]})),
            &[("accept-language", "pt-BR")],
        )
        .await;
    refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "endereço privado");
    refused(
        &post(json!({"url": "ftp://hooks.example.com/", "events": ["ticket.created"]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "http or https",
    );
    refused(
        &post(hook(&["ticket.exploded"])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "\"ticket.exploded\" is not an event type",
    );
    let r = h
        .call_with(
            "POST",
            "/api/v1/webhooks",
            Some(ADMIN_TOKEN),
            Some(hook(&["nope"])),
            &[("accept-language", "pt-BR")],
        )
        .await;
    refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "não é um tipo de evento");
    refused(&post(hook(&[])).await, StatusCode::UNPROCESSABLE_ENTITY, "at least one event");
    let mut b = hook(&["ticket.created"]);
    b["secret"] = json!("whsec_c2hvcnQ=");
    refused(&post(b).await, StatusCode::UNPROCESSABLE_ENTITY, "24 to 64 bytes");
    let mut b = hook(&["ticket.created"]);
    b["max_concurrency"] = json!(0);
    refused(&post(b).await, StatusCode::UNPROCESSABLE_ENTITY, "1 to 64");
    let mut b = hook(&["ticket.created"]);
    b["secrets"] = json!([{"secret": SECRET, "expires_at": "tomorrow"}]);
    refused(&post(b).await, StatusCode::UNPROCESSABLE_ENTITY, "RFC 3339");
    let mut b = hook(&["ticket.created"]);
    b["secrets"] = json!(vec![json!({"secret": SECRET}); 11]);
    refused(&post(b).await, StatusCode::UNPROCESSABLE_ENTITY, "at most 10 secrets");
    let mut b = hook(&["ticket.created"]);
    b["queues"] = json!(["Nowhere"]);
    assert_eq!(post(b).await.status, StatusCode::NOT_FOUND);
    let mut b = hook(&["ticket.created"]);
    b["colour"] = json!("red");
    assert_eq!(post(b).await.status, StatusCode::BAD_REQUEST);
    // Admins only.
    let bob = h.agent("bob", json!({"users": ["rw"]})).await;
    let r = h.call("POST", "/api/v1/webhooks", Some(&bob), Some(hook(&["ticket.created"]))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(h.call("GET", "/api/v1/webhooks", Some(&bob), None).await.status, StatusCode::FORBIDDEN);
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let alice = h.login("alice").await;
    assert_eq!(h.call("GET", "/api/v1/webhooks", Some(&alice), None).await.status, StatusCode::FORBIDDEN);
    assert!(h.engine.admin(&Actor::System).await.unwrap().webhooks().await.unwrap().is_empty(), "nothing was stored");
}

#[tokio::test]
async fn private_targets_are_taken_when_the_engine_allows_them() {
    let h = harness_with(WebhookConfig { allow_private_targets: true, ..WebhookConfig::default() }).await;
    let made =
        create(&h, json!({"url": "http://127.0.0.1:9000/hook", "events": ["ticket.created"], "secret": SECRET})).await;
    assert_eq!(made["url"], "http://127.0.0.1:9000/hook");
    assert_eq!(made["secrets"][0]["secret"], SECRET, "a given secret is shown back once too");
}

#[tokio::test]
async fn a_new_secret_rotates_the_old_ones_out() {
    let h = Harness::new().await;
    let made =
        create(&h, json!({"url": "https://hooks.example.com/in", "events": ["ticket.created"], "secret": SECRET}))
            .await;
    let id = made["id"].as_str().unwrap();
    let path = format!("/api/v1/webhooks/{id}/secrets");
    let r = h.call("POST", &path, Some(ADMIN_TOKEN), Some(json!({"expire_old_after_hours": 24}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let secrets = r.json["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2);
    assert!(secrets[0].get("secret").is_none(), "the old one stays masked");
    assert_eq!(secrets[0]["expires_at"], "2026-11-28T22:37:52Z", "24 hours from now");
    assert_eq!((secrets[0]["active"].as_bool(), secrets[1]["active"].as_bool()), (Some(true), Some(true)));
    let new = secrets[1]["secret"].as_str().unwrap().to_string();
    assert!(new.starts_with("whsec_") && new != SECRET);
    assert_eq!(secrets[1]["expires_at"], Value::Null);
    let sub = h.engine.admin(&Actor::System).await.unwrap().webhook(id).await.unwrap();
    let now = h.engine.now();
    assert_eq!(sub.active_secrets(now), [SECRET.to_string(), new.clone()], "both sign meanwhile");
    assert_eq!(sub.active_secrets(now.plus(Duration::from_secs(25 * 3600))), std::slice::from_ref(&new));

    // A given secret, the others ended at once: ended secrets sign nothing and are dropped.
    let r = h.call("POST", &path, Some(ADMIN_TOKEN), Some(json!({"secret": OTHER, "expire_old_after_hours": 0}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let shown: Vec<(Option<&str>, bool)> = r.json["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["secret"].as_str(), s["active"].as_bool().unwrap()))
        .collect();
    assert_eq!(shown, [(Some(OTHER), true)]);
    let sub = h.engine.admin(&Actor::System).await.unwrap().webhook(id).await.unwrap();
    assert_eq!(sub.active_secrets(h.engine.now()), [OTHER.to_string()]);
    // Without a limit on the old one, both sign.
    let r = h.call("POST", &path, Some(ADMIN_TOKEN), Some(json!({"expires_at": "2027-01-01T00:00:00Z"}))).await;
    let secrets = r.json["secrets"].as_array().unwrap();
    assert_eq!((secrets[0]["masked"].as_str(), secrets[0]["expires_at"].clone()), (Some("whsec_…AAAA"), Value::Null));
    assert_eq!(secrets[1]["expires_at"], "2027-01-01T00:00:00Z");
    assert!(secrets[1]["secret"].is_string());
    let r = h.call("POST", &path, Some(ADMIN_TOKEN), Some(json!({"expire_old_after_hours": 8761}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "at most a year: {}", r.text);
    let r = h.call("POST", &path, Some(ADMIN_TOKEN), Some(json!({"secret": "whsec_bad"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        h.call("POST", "/api/v1/webhooks/wh_404/secrets", Some(ADMIN_TOKEN), Some(json!({}))).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Claims what is due and answers every job with `outcome`, returning the results.
async fn send_all(engine: &Engine, outcome: WebhookOutcome) -> Vec<WebhookResult> {
    let mut results = Vec::new();
    for chain in engine.claim_webhook_chains(100).await.unwrap() {
        for job in &chain.jobs {
            results.push(engine.finish_webhook(job, outcome.clone()).await.unwrap());
        }
    }
    results
}

fn failed() -> WebhookOutcome {
    WebhookOutcome::Failed { status: Some(500), error: "HTTP 500".into(), latency_ms: 12, retry_after: None }
}

#[tokio::test]
async fn deliveries_are_listed_with_their_attempts_and_replayed() {
    // A retry window of 0 hours: the first failure is a dead letter.
    let h = harness_with(WebhookConfig { retry_hours: 0, ..WebhookConfig::default() }).await;
    let made = create(&h, hook(&["ticket.created"])).await;
    let id = made["id"].as_str().unwrap().to_string();
    let deliveries = format!("/api/v1/webhooks/{id}/deliveries");
    let mut numbers = Vec::new();
    for i in 0..3 {
        numbers.push(h.open(ADMIN_TOKEN, common::ticket(&format!("T{i}"), "Raw")).await);
        h.clock.advance(Duration::from_secs(60));
    }
    // Queued: one delivery per ticket once the fan-out entries are split.
    let results = send_all(&h.engine, failed()).await;
    assert_eq!(results, [WebhookResult::DeadLetter; 3]);
    let list = h.admin("GET", &deliveries, None).await;
    let items = list.json["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{}", list.text);
    let tickets: Vec<&str> = items.iter().map(|d| d["ticket_number"].as_str().unwrap()).collect();
    assert_eq!(tickets, [numbers[2].as_str(), numbers[1].as_str(), numbers[0].as_str()], "newest first");
    let d = &items[0];
    assert_eq!(
        (d["status"].as_str(), d["attempts"].as_u64(), d["event_type"].as_str()),
        (Some("dead_letter"), Some(1), Some("ticket.created"))
    );
    assert!(d["event_id"].as_str().unwrap().starts_with("evt_"));
    assert_eq!(d["next_attempt_at"], Value::Null);
    assert_eq!(
        d["recent_attempts"],
        json!([{"at": h.engine.now().to_string(), "status": 500, "latency_ms": 12, "error": "HTTP 500"}])
    );
    assert_eq!(list.json["next_before"], Value::Null);
    // Paging.
    let first = h.admin("GET", &format!("{deliveries}?limit=2"), None).await;
    assert_eq!(first.json["items"].as_array().unwrap().len(), 2);
    let before = first.json["next_before"].as_u64().unwrap();
    let rest = h.admin("GET", &format!("{deliveries}?limit=2&before={before}"), None).await;
    assert_eq!(rest.json["items"][0]["ticket_number"], numbers[0].as_str());
    for q in ["limit=0", "limit=501", "limit=x", "before=-1", "before=9223372036854775808"] {
        let r = h.call("GET", &format!("{deliveries}?{q}"), Some(ADMIN_TOKEN), None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}: {}", r.text);
    }

    // Replaying one dead letter queues it again with the same event id; again is a conflict.
    let newest = items[0]["id"].as_u64().unwrap();
    let replay = format!("{deliveries}/{newest}/replay");
    let r = h.admin("POST", &replay, None).await;
    assert_eq!(
        (r.json["status"].as_str(), r.json["attempts"].as_u64(), r.json["replays"].as_u64()),
        (Some("pending"), Some(0), Some(1))
    );
    assert_eq!(r.json["event_id"], items[0]["event_id"]);
    assert_eq!(r.json["next_attempt_at"], h.engine.now().to_string());
    let again = h.call("POST", &replay, Some(ADMIN_TOKEN), None).await;
    assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "pending"), "{}", again.text);
    for bad in ["999999", "abc", "-1"] {
        let r = h.call("POST", &format!("{deliveries}/{bad}/replay"), Some(ADMIN_TOKEN), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}: {}", r.text);
    }
    // It is sent again, and delivered this time.
    let results = send_all(&h.engine, WebhookOutcome::Delivered { status: 204, latency_ms: 3 }).await;
    assert_eq!(results, [WebhookResult::Delivered]);
    let d = h.admin("GET", &format!("{deliveries}?limit=1"), None).await;
    assert_eq!(d.json["items"][0]["status"], "sent");
    assert_eq!(d.json["items"][0]["recent_attempts"].as_array().unwrap().len(), 2, "the failed attempt is kept");

    // A range: only the dead letters, then everything not waiting (the sent one too).
    let range = format!("/api/v1/webhooks/{id}/replay");
    let r = h.admin("POST", &range, Some(json!({"only_failed": true}))).await;
    assert_eq!(r.json, json!({"replayed": 2}));
    let r = h.admin("POST", &range, Some(json!({}))).await;
    assert_eq!(r.json, json!({"replayed": 1}), "the two replayed wait already");
    send_all(&h.engine, WebhookOutcome::Delivered { status: 200, latency_ms: 1 }).await;
    // A time range: only what was queued in it (the middle ticket, queued one minute after the first).
    let start = Timestamp::from_unix_seconds(1_795_819_072);
    let from = start.plus(Duration::from_secs(30)).to_string();
    let to = start.plus(Duration::from_secs(90)).to_string();
    let r = h.admin("POST", &range, Some(json!({"from": from, "to": to}))).await;
    assert_eq!(r.json, json!({"replayed": 1}));
    let r = h.call("POST", &range, Some(ADMIN_TOKEN), Some(json!({"from": "yesterday"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        h.call("POST", "/api/v1/webhooks/wh_404/replay", Some(ADMIN_TOKEN), Some(json!({}))).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        h.call("GET", "/api/v1/webhooks/wh_404/deliveries", Some(ADMIN_TOKEN), None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_gone_receiver_disables_the_subscription_until_an_admin_enables_it() {
    let h = Harness::new().await;
    let made = create(&h, hook(&["ticket.created"])).await;
    let id = made["id"].as_str().unwrap().to_string();
    h.open(ADMIN_TOKEN, common::ticket("Gone", "Raw")).await;
    assert_eq!(send_all(&h.engine, WebhookOutcome::Gone { latency_ms: 5 }).await, [WebhookResult::Disabled]);
    let one = h.admin("GET", &format!("/api/v1/webhooks/{id}"), None).await;
    assert_eq!(one.json["enabled"], false);
    assert!(one.json["disabled_reason"].as_str().unwrap().contains("410"), "{}", one.text);
    let d = h.admin("GET", &format!("/api/v1/webhooks/{id}/deliveries"), None).await;
    assert_eq!(d.json["items"][0]["status"], "dead_letter");
    assert_eq!(d.json["items"][0]["recent_attempts"][0]["status"], 410);
    let on = h.admin("PATCH", &format!("/api/v1/webhooks/{id}"), Some(json!({"enabled": true}))).await;
    assert_eq!((on.json["enabled"].clone(), on.json["disabled_reason"].clone()), (json!(true), Value::Null));
}
