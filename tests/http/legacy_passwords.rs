//! Agents and customer users imported from OTRS/Znuny keep their password hashes: the first login that
//! matches one stores the password again as Argon2id, without ending a session or revoking a token,
//! and the password goes on working. A failed upgrade never fails the login.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::http::StatusCode;
use chamado::{Actor, Engine, FixedClock, Timestamp, testkit::FlakyStore};
use chamado_http::auth::{password, session};
use common::{Harness, Resp, full_router, test_config};
use console_support::{HOST, post_from, set_cookie, try_login};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

const PASSWORD: &str = "s3cret pass";
const NON_ASCII: &str = "sénha coração ☃";
/// `perl -MDigest::SHA=sha256_hex -E 'say sha256_hex("s3cret pass")'`: Znuny's default `sha2`.
const SHA256: &str = "099a754c8251fb8a001b6642afb5259bd2edb705677b939f6ef4c00cab1e6389";
/// `perl -MCrypt::Eksblowfish::Bcrypt=bcrypt_hash,en_base64 -E 'say "BCRYPT:4:AbCdEfGhIjKlMnOp:",
/// en_base64(bcrypt_hash({key_nul => 1, cost => 4, salt => "AbCdEfGhIjKlMnOp"}, "s3cret pass"))'`
const BCRYPT: &str = "BCRYPT:4:AbCdEfGhIjKlMnOp:fqAenTDbCt.2iqcYkHqjAlAFRm99blO";
/// The same with cost 9 (what Znuny writes for agents) of [`NON_ASCII`] as UTF-8 octets.
const BCRYPT_NON_ASCII: &str = "BCRYPT:9:k3Jq9ZxWv2LmN8pR:NoImFbWLklEdPmaOl46t0vJ3XmA3Kcy";

/// Stores `hash` as the password hash of agent `login`, as an import writes it (a first password
/// ends nothing).
async fn import_agent_hash(engine: &Engine, login: &str, hash: &str) {
    let admin = engine.admin(&Actor::System).await.unwrap();
    let mut agent = engine.agent(login).await.unwrap().unwrap();
    agent.password_hash = Some(hash.to_string());
    admin.put_agent(agent).await.unwrap();
}

async fn import_customer_user(h: &Harness, login: &str, hash: &str) {
    h.admin(
        "POST",
        "/api/v1/customer-users",
        Some(json!({"login": login, "email": format!("{login}@acme.example"), "first_name": login,
            "last_name": "Imported", "customer_id": "acme"})),
    )
    .await;
    let admin = h.engine.admin(&Actor::System).await.unwrap();
    let mut user = h.engine.customer_user(login).await.unwrap().unwrap();
    user.password_hash = Some(hash.to_string());
    admin.put_customer_user(user).await.unwrap();
}

async fn agent_hash(engine: &Engine, login: &str) -> String {
    engine.agent(login).await.unwrap().unwrap().password_hash.unwrap()
}

async fn customer_hash(engine: &Engine, login: &str) -> String {
    engine.customer_user(login).await.unwrap().unwrap().password_hash.unwrap()
}

async fn api_login(h: &Harness, login: &str, pw: &str) -> Resp {
    h.call("POST", "/api/v1/sessions", None, Some(json!({"login": login, "password": pw}))).await
}

async fn portal_login(h: &Harness, login: &str, pw: &str) -> Resp {
    let origin = format!("http://{HOST}");
    post_from(h, "/portal/login", None, &[("login", login), ("password", pw)], Some(&origin)).await
}

fn assert_upgraded(hash: &str, pw: &str) {
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!password::needs_rehash(hash));
    assert!(password::verify(pw, hash));
}

#[tokio::test]
async fn agents_with_znuny_hashes_log_in_keep_their_tokens_and_are_upgraded() {
    let h = Harness::new().await;
    for (login, hash, pw) in [("ana", SHA256, PASSWORD), ("bruno", BCRYPT_NON_ASCII, NON_ASCII)] {
        let token = h.agent(login, json!({"users": ["rw"]})).await;
        import_agent_hash(&h.engine, login, hash).await;

        let (wrong, none) = try_login(&h, login, "s3cret pasS").await;
        assert!(none.is_none(), "{login}: a wrong password before the upgrade");
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(agent_hash(&h.engine, login).await, hash, "a failed login upgrades nothing");

        let (r, console) = try_login(&h, login, pw).await;
        let console = console.unwrap_or_else(|| panic!("{login}: {} {}", r.status, r.text));
        assert_upgraded(&agent_hash(&h.engine, login).await, pw);
        // The session just opened and the API token the agent had before both go on working.
        assert_eq!(console.get("/agent").await.status, StatusCode::OK);
        assert_eq!(h.call("GET", "/api/v1/tickets", Some(&token), None).await.status, StatusCode::OK);

        let (_, again) = try_login(&h, login, pw).await;
        assert!(again.is_some(), "{login}: the same password after the upgrade");
        let (wrong, none) = try_login(&h, login, "s3cret pasS").await;
        assert!(none.is_none(), "{login}: a wrong password after the upgrade");
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(console.get("/agent").await.status, StatusCode::OK, "the first session lives on");
        assert_eq!(h.call("GET", "/api/v1/tickets", Some(&token), None).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn customer_users_with_znuny_hashes_log_in_by_api_and_portal_and_are_upgraded() {
    let h = Harness::new().await;
    h.customer("acme").await;
    for (login, hash, pw) in [("alice", SHA256, PASSWORD), ("carla", BCRYPT, PASSWORD), ("dora", SHA256, PASSWORD)] {
        import_customer_user(&h, login, hash).await;
        // A session opened before the upgrade (say, by an earlier login whose upgrade failed).
        let earlier = session::open(&h.engine, login, Duration::from_secs(3600)).await.unwrap().token;

        let wrong = api_login(&h, login, "s3cret pasS").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{login}");
        assert_eq!(customer_hash(&h.engine, login).await, hash);

        // dora's first login is the portal's, the others' the API's.
        if login == "dora" {
            let r = portal_login(&h, login, pw).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
            let cookie = set_cookie(&r, "chamado_session").unwrap();
            let page = console_support::get(&h, "/portal/tickets", Some(&cookie)).await;
            assert_eq!(page.status, StatusCode::OK, "the portal session works");
        } else {
            let r = api_login(&h, login, pw).await;
            assert_eq!(r.status, StatusCode::CREATED, "{login}: {}", r.text);
            let token = r.json["token"].as_str().unwrap();
            assert_eq!(h.call("GET", "/api/v1/tickets", Some(token), None).await.status, StatusCode::OK);
        }
        assert_upgraded(&customer_hash(&h.engine, login).await, pw);
        assert_eq!(h.call("GET", "/api/v1/tickets", Some(&earlier), None).await.status, StatusCode::OK);

        assert_eq!(api_login(&h, login, pw).await.status, StatusCode::CREATED, "{login}: again");
        assert_eq!(portal_login(&h, login, pw).await.status, StatusCode::SEE_OTHER, "{login}: the portal too");
        assert_eq!(api_login(&h, login, "s3cret pasS").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(portal_login(&h, login, "s3cret pasS").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(h.call("GET", "/api/v1/tickets", Some(&earlier), None).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_failed_upgrade_still_logs_in_and_the_next_login_upgrades() {
    let (store, down) = FlakyStore::new();
    let clock = Arc::new(FixedClock::new(Timestamp::from_unix_seconds(1_795_819_072)));
    let engine = Engine::builder(store).clock(clock.clone()).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let h = Harness { app: full_router(engine.clone(), test_config()), engine, clock };
    let admin = h.engine.admin(&Actor::System).await.unwrap();
    chamado_http::auth::agent_token::install(&admin, "admin", common::ADMIN_TOKEN).await.unwrap();
    h.customer("acme").await;
    import_customer_user(&h, "alice", SHA256).await;
    h.agent("ana", json!({"users": ["rw"]})).await;
    import_agent_hash(&h.engine, "ana", BCRYPT).await;

    // Directory writes fail; sessions (adapter state) still open.
    down.store(true, Ordering::SeqCst);
    let r = api_login(&h, "alice", PASSWORD).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(customer_hash(&h.engine, "alice").await, SHA256, "not upgraded");
    let (r, console) = try_login(&h, "ana", PASSWORD).await;
    assert!(console.is_some(), "{} {}", r.status, r.text);
    assert_eq!(agent_hash(&h.engine, "ana").await, BCRYPT, "not upgraded");

    down.store(false, Ordering::SeqCst);
    assert_eq!(api_login(&h, "alice", PASSWORD).await.status, StatusCode::CREATED);
    assert_upgraded(&customer_hash(&h.engine, "alice").await, PASSWORD);
    assert!(try_login(&h, "ana", PASSWORD).await.1.is_some());
    assert_upgraded(&agent_hash(&h.engine, "ana").await, PASSWORD);
}

#[tokio::test]
async fn setting_an_agents_same_password_upgrades_an_imported_hash_and_keeps_its_token() {
    let h = Harness::new().await;
    let token = h.agent("ana", json!({"users": ["rw"]})).await;
    import_agent_hash(&h.engine, "ana", SHA256).await;
    console_support::set_password(&h.engine, "ana", PASSWORD).await;
    assert_upgraded(&agent_hash(&h.engine, "ana").await, PASSWORD);
    assert_eq!(h.call("GET", "/api/v1/tickets", Some(&token), None).await.status, StatusCode::OK);
}
