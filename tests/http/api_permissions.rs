//! Permissions over HTTP: the engine's resolver decides, and other customers' tickets never leak.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{ADMIN_TOKEN, Harness, ticket};
use serde_json::json;

async fn two_customers(h: &Harness) {
    h.customer("acme").await;
    h.customer("globex").await;
    h.customer_user("alice", "acme").await;
    h.customer_user("bob", "acme").await;
    h.customer_user("carol", "globex").await;
}

#[tokio::test]
async fn another_customers_ticket_never_leaks_by_number_list_history_or_error_text() {
    let h = Harness::new().await;
    two_customers(&h).await;
    let alice = h.login("alice").await;
    let bob = h.login("bob").await;
    let carol = h.login("carol").await;
    let number = h.open(&alice, json!({"title": "Alice secret payroll", "body": "confidential", "queue": "Raw"})).await;

    // Bob is alice's colleague: company tickets are visible and writable through the default rw group.
    assert!(h.numbers(&bob, "").await.contains(&number));
    assert_eq!(h.call("GET", &format!("/api/v1/tickets/{number}"), Some(&bob), None).await.status, StatusCode::OK);
    let r = h
        .call("POST", &format!("/api/v1/tickets/{number}/articles"), Some(&bob), Some(json!({"body": "me too"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // Carol (another customer) gets exactly what a number that does not exist gets.
    let missing = "2026112710999999";
    let cases: Vec<(&str, String, Option<serde_json::Value>)> = vec![
        ("GET", "/api/v1/tickets/{n}".into(), None),
        ("GET", "/api/v1/tickets/{n}/history".into(), None),
        ("POST", "/api/v1/tickets/{n}/articles".into(), Some(json!({"body": "hi"}))),
        ("PATCH", "/api/v1/tickets/{n}".into(), Some(json!({"state": "closed successful"}))),
        ("POST", "/api/v1/tickets/{n}/merge".into(), Some(json!({"into": missing}))),
    ];
    for (method, path, body) in cases {
        let seen = h.call(method, &path.replace("{n}", &number), Some(&carol), body.clone()).await;
        let none = h.call(method, &path.replace("{n}", missing), Some(&carol), body).await;
        assert_eq!(seen.status, StatusCode::NOT_FOUND, "{method} {path}: {}", seen.text);
        assert_eq!(seen.content_type, "application/problem+json");
        let norm = |t: &str| t.replace(&number, "N").replace(missing, "N");
        assert_eq!(norm(&seen.text), norm(&none.text), "{method} {path}");
        assert!(!seen.text.contains("Alice") && !seen.text.contains("payroll") && !seen.text.contains("acme"));
    }
    assert!(!h.numbers(&carol, "").await.contains(&number));
    assert!(h.numbers(&carol, "?customer_user=alice").await.is_empty());
    assert!(h.numbers(&carol, "?queue=Raw").await.is_empty());

    // The ticket is untouched by carol's attempts.
    let t = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(ADMIN_TOKEN), None).await;
    assert_eq!(t.json["state"], "new");
    assert_eq!(t.json["articles"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn ro_and_rw_grants_of_customer_users_and_companies_and_default_groups() {
    let h = Harness::new().await;
    two_customers(&h).await;
    h.admin("POST", "/api/v1/groups", Some(json!({"name": "vip"}))).await;
    h.admin("POST", "/api/v1/queues", Some(json!({"name": "VIP", "group": "vip", "follow_up": "possible"}))).await;
    let dora = h.agent("dora", json!({"vip": ["rw"], "users": ["ro"]})).await;
    let carol = h.login("carol").await;

    // Without any grant on vip, carol cannot open there; the phone ticket dora opens for her is invisible.
    let r = h.call("POST", "/api/v1/tickets", Some(&carol), Some(ticket("vip please", "VIP"))).await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"), "{}", r.text);
    let phone = h
        .open(&dora, json!({"title": "Called in", "body": "by phone", "queue": "VIP", "customer_user": "carol"}))
        .await;
    let t = h.call("GET", &format!("/api/v1/tickets/{phone}"), Some(&dora), None).await;
    assert_eq!((t.json["channel"].as_str(), t.json["customer_id"].as_str()), (Some("phone"), Some("globex")));
    assert_eq!(
        h.call("GET", &format!("/api/v1/tickets/{phone}"), Some(&carol), None).await.status,
        StatusCode::NOT_FOUND
    );

    // ro: she sees it but may neither follow up nor open tickets there.
    h.admin("PUT", "/api/v1/customer-users/carol/groups/vip", Some(json!({"permission": "ro"}))).await;
    assert_eq!(h.call("GET", &format!("/api/v1/tickets/{phone}"), Some(&carol), None).await.status, StatusCode::OK);
    assert!(h.numbers(&carol, "").await.contains(&phone));
    let r = h
        .call("POST", &format!("/api/v1/tickets/{phone}/articles"), Some(&carol), Some(json!({"body": "hello"})))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"), "{}", r.text);
    let r = h.call("POST", "/api/v1/tickets", Some(&carol), Some(ticket("vip again", "VIP"))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let g = h.admin("GET", "/api/v1/customer-users/carol/groups", None).await;
    assert_eq!(g.json["effective"]["vip"], json!(["ro"]));

    // rw for her whole company: now she can write and open.
    h.admin("PUT", "/api/v1/customers/globex/groups/vip", Some(json!({"permission": "rw"}))).await;
    let r = h
        .call("POST", &format!("/api/v1/tickets/{phone}/articles"), Some(&carol), Some(json!({"body": "hello"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    h.open(&carol, ticket("vip now", "VIP")).await;
    let cg = h.admin("GET", "/api/v1/customers/globex/groups", None).await;
    assert_eq!(cg.json["grants"], json!([{"group": "vip", "permissions": ["rw"]}]));

    // Revoking the company grant and the user grant hides the ticket again.
    h.admin("DELETE", "/api/v1/customers/globex/groups/vip", None).await;
    h.admin("DELETE", "/api/v1/customer-users/carol/groups/vip", None).await;
    assert_eq!(
        h.call("GET", &format!("/api/v1/tickets/{phone}"), Some(&carol), None).await.status,
        StatusCode::NOT_FOUND
    );

    // The default group `users` (rw) is what lets customer users use Raw; without it, nothing.
    let alice = h.login("alice").await;
    let mine = h.open(&alice, ticket("default group", "Raw")).await;
    let d = h.admin("GET", "/api/v1/default-groups", None).await;
    assert_eq!(d.json["grants"], json!([{"group": "users", "permissions": ["rw"]}]));
    h.admin("DELETE", "/api/v1/default-groups/users", None).await;
    assert_eq!(
        h.call("GET", &format!("/api/v1/tickets/{mine}"), Some(&alice), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(h.numbers(&alice, "").await.is_empty());
    h.admin("PUT", "/api/v1/default-groups/users", Some(json!({"permission": "ro"}))).await;
    assert_eq!(h.call("GET", &format!("/api/v1/tickets/{mine}"), Some(&alice), None).await.status, StatusCode::OK);
    let r = h.call("POST", "/api/v1/tickets", Some(&alice), Some(ticket("ro default", "Raw"))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r =
        h.call("PUT", "/api/v1/default-groups/users", Some(ADMIN_TOKEN), Some(json!({"permission": "admin"}))).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation"));
}

#[tokio::test]
async fn services_own_and_default() {
    let h = Harness::new().await;
    two_customers(&h).await;
    h.admin("POST", "/api/v1/services", Some(json!({"name": "IT"}))).await;
    h.admin("POST", "/api/v1/services", Some(json!({"name": "IT::Email"}))).await;
    let r = h.call("POST", "/api/v1/services", Some(ADMIN_TOKEN), Some(json!({"name": "Nope::Child"}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "parent must exist: {}", r.text);
    h.admin("PUT", "/api/v1/customer-users/alice/services/IT::Email", None).await;
    let alice = h.login("alice").await;
    let carol = h.login("carol").await;
    let with_service = json!({"title": "mail down", "body": "no mail", "queue": "Raw", "service": "IT::Email"});

    let n = h.open(&alice, with_service.clone()).await;
    let t = h.call("GET", &format!("/api/v1/tickets/{n}"), Some(&alice), None).await;
    assert_eq!(t.json["service"], "IT::Email");
    let r = h.call("POST", "/api/v1/tickets", Some(&carol), Some(with_service.clone())).await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"), "{}", r.text);

    let s = h.admin("GET", "/api/v1/customer-users/alice/services", None).await;
    assert_eq!((s.json["services"].clone(), s.json["own"].clone()), (json!(["IT::Email"]), json!(["IT::Email"])));
    assert_eq!(h.admin("GET", "/api/v1/customer-users/carol/services", None).await.json["services"], json!([]));

    h.admin("PUT", "/api/v1/default-services/IT::Email", None).await;
    assert_eq!(
        h.admin("GET", "/api/v1/customer-users/carol/services", None).await.json["services"],
        json!(["IT::Email"])
    );
    h.open(&carol, with_service.clone()).await;
    h.admin("DELETE", "/api/v1/default-services/IT::Email", None).await;
    h.admin("DELETE", "/api/v1/customer-users/alice/services/IT::Email", None).await;
    let r = h.call("POST", "/api/v1/tickets", Some(&alice), Some(with_service)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn agents_get_what_their_groups_allow() {
    let h = Harness::new().await;
    two_customers(&h).await;
    let alice = h.login("alice").await;
    let n = h.open(&alice, ticket("agent perms", "Raw")).await;
    let olga = h.agent("olga", json!({"users": ["ro"]})).await;
    let nobody = h.agent("nobody", json!({})).await;
    let rita = h.agent("rita", json!({"users": ["rw"]})).await;
    let url = format!("/api/v1/tickets/{n}");

    // ro: read, history; no state change, no note, no admin.
    assert_eq!(h.call("GET", &url, Some(&olga), None).await.status, StatusCode::OK);
    assert_eq!(h.call("GET", &format!("{url}/history"), Some(&olga), None).await.status, StatusCode::OK);
    let r = h.call("PATCH", &url, Some(&olga), Some(json!({"state": "open"}))).await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"), "{}", r.text);
    let r = h.call("POST", &format!("{url}/articles"), Some(&olga), Some(json!({"body": "n", "internal": true}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(h.call("GET", "/api/v1/customers", Some(&olga), None).await.status, StatusCode::FORBIDDEN);

    // No group: the ticket does not exist for this agent.
    assert_eq!(h.call("GET", &url, Some(&nobody), None).await.status, StatusCode::NOT_FOUND);
    assert!(h.numbers(&nobody, "").await.is_empty());

    // rw: internal note hidden from the customer, reply shown; state and priority change.
    let r = h
        .call(
            "POST",
            &format!("{url}/articles"),
            Some(&rita),
            Some(json!({"body": "internal thoughts", "internal": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = h.call("POST", &format!("{url}/articles"), Some(&rita), Some(json!({"body": "we are on it"}))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = h.call("PATCH", &url, Some(&rita), Some(json!({"state": "open", "priority": 4, "lock": "lock"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.json["state"].as_str(), r.json["priority"].as_str(), r.json["owner"].as_str()),
        (Some("open"), Some("4 high"), Some("rita"))
    );
    let agent_view = h.call("GET", &url, Some(&rita), None).await;
    let customer_view = h.call("GET", &url, Some(&alice), None).await;
    assert_eq!(agent_view.json["articles"].as_array().map(Vec::len), Some(3));
    assert_eq!(customer_view.json["articles"].as_array().map(Vec::len), Some(2));
    assert!(!customer_view.text.contains("internal thoughts"));

    // Customers do not get the history of their own ticket: it is for agents.
    let r = h.call("GET", &format!("{url}/history"), Some(&alice), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let hist = h.call("GET", &format!("{url}/history"), Some(&rita), None).await;
    assert!(hist.json["history"].as_array().is_some_and(|a| a.iter().any(|e| e["kind"] == "state_changed")));
    // Customer users cannot administer.
    assert_eq!(h.call("GET", "/api/v1/customer-users", Some(&alice), None).await.status, StatusCode::FORBIDDEN);

    // Revoked agent tokens stop working at once.
    h.admin("DELETE", "/api/v1/agents/rita/tokens", None).await;
    let r = h.call("GET", &url, Some(&rita), None).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNAUTHORIZED, "unauthorized"));
    let fresh = h.admin("POST", "/api/v1/agents/rita/tokens", None).await;
    let token = fresh.json["token"].as_str().unwrap_or_default().to_string();
    assert_eq!(h.call("GET", &url, Some(&token), None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn follow_up_policy_reject_answers_409_with_the_reason_and_merge_works() {
    let h = Harness::new().await;
    two_customers(&h).await;
    h.admin("POST", "/api/v1/queues", Some(json!({"name": "Strict", "group": "users", "follow_up": "reject"}))).await;
    let alice = h.login("alice").await;
    let n = h.open(&alice, ticket("strict one", "Strict")).await;
    h.admin("PATCH", &format!("/api/v1/tickets/{n}"), Some(json!({"state": "closed successful"}))).await;
    let r = h
        .call("POST", &format!("/api/v1/tickets/{n}/articles"), Some(&alice), Some(json!({"body": "reopen please"})))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "rejected"), "{}", r.text);
    assert!(r.json["detail"].as_str().is_some_and(|d| !d.is_empty()));

    let a = h.open(&alice, ticket("dup a", "Raw")).await;
    let b = h.open(&alice, ticket("dup b", "Raw")).await;
    let r = h.call("POST", &format!("/api/v1/tickets/{a}/merge"), Some(&alice), Some(json!({"into": b}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "customers see their tickets but cannot merge: {}", r.text);
    let m = h.admin("POST", &format!("/api/v1/tickets/{a}/merge"), Some(json!({"into": b}))).await;
    assert_eq!(m.json["number"], b);
    assert_eq!(m.json["articles"].as_array().map(Vec::len), Some(2));
    let r = h.call("POST", &format!("/api/v1/tickets/{a}/merge"), Some(ADMIN_TOKEN), Some(json!({"into": b}))).await;
    assert_eq!(r.status.as_u16() / 100, 4, "merging again is refused: {}", r.text);
}

#[tokio::test]
async fn roles_and_agent_group_grants_and_invalid_agents() {
    let h = Harness::new().await;
    two_customers(&h).await;
    let alice = h.login("alice").await;
    let n = h.open(&alice, ticket("role based", "Raw")).await;
    let url = format!("/api/v1/tickets/{n}");
    let rob = h.agent("rob", json!({})).await;
    assert_eq!(h.call("GET", &url, Some(&rob), None).await.status, StatusCode::NOT_FOUND);

    h.admin("POST", "/api/v1/roles", Some(json!({"name": "support"}))).await;
    h.admin("PUT", "/api/v1/roles/support/groups/users", Some(json!({"permissions": ["ro", "note"]}))).await;
    h.admin("PUT", "/api/v1/agents/rob/roles/support", None).await;
    assert_eq!(h.call("GET", &url, Some(&rob), None).await.status, StatusCode::OK);
    let note =
        h.call("POST", &format!("{url}/articles"), Some(&rob), Some(json!({"body": "noted", "internal": true}))).await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.text);
    let reply = h.call("POST", &format!("{url}/articles"), Some(&rob), Some(json!({"body": "hello"}))).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    h.admin("PUT", "/api/v1/agents/rob/groups/users", Some(json!({"permissions": ["rw"]}))).await;
    let reply = h.call("POST", &format!("{url}/articles"), Some(&rob), Some(json!({"body": "hello"}))).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let agents = h.admin("GET", "/api/v1/agents?search=rob", None).await;
    assert_eq!(agents.json["agents"][0]["groups"]["users"], json!(["rw"]));
    h.admin("DELETE", "/api/v1/agents/rob/groups/users", None).await;
    h.admin("DELETE", "/api/v1/agents/rob/roles/support", None).await;
    assert_eq!(h.call("GET", &url, Some(&rob), None).await.status, StatusCode::NOT_FOUND);

    let bad = h
        .call("PUT", "/api/v1/agents/rob/groups/users", Some(ADMIN_TOKEN), Some(json!({"permissions": ["fly"]})))
        .await;
    assert_eq!((bad.status, bad.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation"));
    h.admin("PUT", "/api/v1/agents/rob/groups/users", Some(json!({"permissions": ["ro"]}))).await;
    h.admin("PATCH", "/api/v1/agents/rob", Some(json!({"valid": false}))).await;
    assert_eq!(h.call("GET", &url, Some(&rob), None).await.status, StatusCode::UNAUTHORIZED);
}
