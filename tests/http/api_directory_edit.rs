//! Editing the directory over the API: PATCH and validity for groups, queues, services, roles, states
//! and priorities; the per-service view; search.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{ADMIN_TOKEN, Harness};
use serde_json::json;

#[tokio::test]
async fn a_group_is_renamed_with_its_queues_and_invalidated_and_the_admin_group_stays() {
    let h = Harness::new().await;
    h.admin("POST", "/api/v1/groups", Some(json!({"name": "vip"}))).await;
    h.admin("POST", "/api/v1/queues", Some(json!({"name": "VIP", "group": "vip"}))).await;
    let r = h.admin("PATCH", "/api/v1/groups/vip", Some(json!({"name": "gold", "comment": "best"}))).await;
    assert_eq!(r.json, json!({"name": "gold", "comment": "best", "valid": true}));
    assert_eq!(h.admin("GET", "/api/v1/queues/VIP", None).await.json["group"], "gold");
    assert_eq!(h.call("GET", "/api/v1/groups/vip", Some(ADMIN_TOKEN), None).await.status, StatusCode::NOT_FOUND);

    let taken = h.call("PATCH", "/api/v1/groups/gold", Some(ADMIN_TOKEN), Some(json!({"name": "users"}))).await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.text);
    let off = h.admin("PATCH", "/api/v1/groups/gold", Some(json!({"valid": false}))).await;
    assert_eq!(off.json["valid"], false);
    for body in [json!({"valid": false}), json!({"name": "root"})] {
        let r = h.call("PATCH", "/api/v1/groups/admin", Some(ADMIN_TOKEN), Some(body)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    }
    let r = h.call("PATCH", "/api/v1/groups/gold", Some(ADMIN_TOKEN), Some(json!({"name": ""}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = h.call("PATCH", "/api/v1/groups/gold", Some(ADMIN_TOKEN), Some(json!({"colour": "red"}))).await;
    assert!(r.status.is_client_error(), "unknown fields are refused: {}", r.text);
}

#[tokio::test]
async fn an_invalid_queue_takes_no_new_tickets_and_its_policy_is_an_enum() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let alice = h.login("alice").await;
    let n = h.open(&alice, json!({"title": "Old", "body": "b", "queue": "Misc"})).await;
    let q = h.admin("PATCH", "/api/v1/queues/Misc", Some(json!({"valid": false, "follow_up": "reject"}))).await;
    let none = json!({"reply": null, "reject": null, "follow_up": null, "reply_new_ticket": null});
    let no_clocks = json!({"calendar": null, "first_response_minutes": 0, "update_minutes": 0, "solution_minutes": 0,
        "notify_before_percent": 80, "pause_in": ["pending_reminder", "pending_auto"]});
    assert_eq!(
        q.json,
        json!({"name": "Misc", "group": "users", "follow_up": "reject", "comment": "", "valid": false,
            "auto_responses": none, "salutation": null, "signature": null, "unlock_timeout_minutes": 0,
            "escalation": no_clocks})
    );
    let r = h
        .call("POST", "/api/v1/tickets", Some(&alice), Some(json!({"title": "New", "body": "b", "queue": "Misc"})))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "refused for what is stored, not for its shape: {}", r.text);
    assert_eq!(h.call("GET", &format!("/api/v1/tickets/{n}"), Some(&alice), None).await.status, StatusCode::OK);
    let bad = h.call("PATCH", "/api/v1/queues/Misc", Some(ADMIN_TOKEN), Some(json!({"follow_up": ""}))).await;
    assert!(bad.status.is_client_error(), "{}", bad.text);
    let bad = h.call("PATCH", "/api/v1/queues/Misc", Some(ADMIN_TOKEN), Some(json!({"group": "nope"}))).await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND, "{}", bad.text);
    assert_eq!(h.call("GET", "/api/v1/queues/Nope", Some(ADMIN_TOKEN), None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn roles_and_services_are_edited_and_a_service_shows_who_has_it() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.admin("POST", "/api/v1/roles", Some(json!({"name": "support"}))).await;
    let r = h.admin("PATCH", "/api/v1/roles/support", Some(json!({"name": "helpdesk", "valid": false}))).await;
    assert_eq!(r.json, json!({"name": "helpdesk", "comment": "", "valid": false}));
    assert_eq!(h.admin("GET", "/api/v1/roles/helpdesk", None).await.json["valid"], false);

    h.admin("POST", "/api/v1/services", Some(json!({"name": "IT"}))).await;
    h.admin("POST", "/api/v1/services", Some(json!({"name": "IT::Email"}))).await;
    h.admin("PUT", "/api/v1/customer-users/alice/services/IT::Email", None).await;
    h.admin("PUT", "/api/v1/default-services/IT", None).await;
    let v = h.admin("GET", "/api/v1/services/IT::Email/holders", None).await;
    assert_eq!(v.json["customer_users"], json!(["alice"]));
    assert_eq!(v.json["customers"], json!(["acme"]));
    assert_eq!((v.json["default"].clone(), v.json["usable"].clone()), (json!(false), json!(true)));
    assert_eq!(h.admin("GET", "/api/v1/services/IT/holders", None).await.json["default"], true);
    let s = h.admin("PATCH", "/api/v1/services/IT", Some(json!({"valid": false, "comment": "old"}))).await;
    assert_eq!(s.json, json!({"name": "IT", "comment": "old", "valid": false}));
    assert_eq!(h.admin("GET", "/api/v1/services/IT::Email/holders", None).await.json["usable"], false);
    let r = h.call("PATCH", "/api/v1/services/IT", Some(ADMIN_TOKEN), Some(json!({"name": "Tech"}))).await;
    assert!(r.status.is_client_error(), "services keep their names: {}", r.text);
    let missing = h.call("GET", "/api/v1/services/Nope/holders", Some(ADMIN_TOKEN), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let found = h.admin("GET", "/api/v1/services?search=EMAIL", None).await;
    assert_eq!(found.json["items"][0]["name"], "IT::Email");
    assert_eq!(found.json["items"].as_array().map(Vec::len), Some(1));
    let found = h.admin("GET", "/api/v1/groups?search=DMI&limit=1", None).await;
    assert_eq!(found.json["items"], json!([{"name": "admin", "comment": "", "valid": true}]));
}

#[tokio::test]
async fn states_keep_their_type_and_priorities_are_renamed_and_invalidated() {
    let h = Harness::new().await;
    let s = h.admin("POST", "/api/v1/states", Some(json!({"name": "waiting", "state_type": "pending_reminder"}))).await;
    assert_eq!(s.status, StatusCode::CREATED);
    assert_eq!(h.admin("PATCH", "/api/v1/states/waiting", Some(json!({"valid": false}))).await.json["valid"], false);
    let r = h.call("PATCH", "/api/v1/states/open", Some(ADMIN_TOKEN), Some(json!({"valid": false}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "the lifecycle needs it: {}", r.text);
    let r = h.call("PATCH", "/api/v1/states/waiting", Some(ADMIN_TOKEN), Some(json!({"state_type": "closed"}))).await;
    assert!(r.status.is_client_error(), "a state keeps its type: {}", r.text);
    let r = h.call("POST", "/api/v1/states", Some(ADMIN_TOKEN), Some(json!({"name": "x", "state_type": "done"}))).await;
    assert!(r.status.is_client_error(), "{}", r.text);
    let all = h.admin("GET", "/api/v1/states?search=pending", None).await;
    assert!(all.json["items"].as_array().is_some_and(|a| a.len() >= 3), "{}", all.text);

    let p = h.admin("PATCH", "/api/v1/priorities/4", Some(json!({"name": "urgent"}))).await;
    assert_eq!(p.json, json!({"level": 4, "name": "urgent", "comment": "", "valid": true}));
    h.admin("PATCH", "/api/v1/priorities/5", Some(json!({"valid": false}))).await;
    let list = h.admin("GET", "/api/v1/priorities", None).await;
    let names: Vec<&str> = list.json["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["1 very low", "2 low", "3 normal", "urgent", "5 very high"]);
    assert_eq!(list.json["items"][4]["valid"], false);
    let r = h.call("PATCH", "/api/v1/priorities/3", Some(ADMIN_TOKEN), Some(json!({"valid": false}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let r = h.call("PATCH", "/api/v1/priorities/2", Some(ADMIN_TOKEN), Some(json!({"name": "URGENT"}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    for level in ["0", "6", "x"] {
        let r = h.call("PATCH", &format!("/api/v1/priorities/{level}"), Some(ADMIN_TOKEN), Some(json!({}))).await;
        assert!(r.status.is_client_error(), "{level}: {}", r.text);
    }
}

#[tokio::test]
async fn only_admins_edit_the_directory() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let alice = h.login("alice").await;
    let agent = h.agent("rob", json!({"users": ["rw"]})).await;
    for token in [alice.as_str(), agent.as_str()] {
        for (method, path, body) in [
            ("PATCH", "/api/v1/groups/users", Some(json!({"valid": false}))),
            ("PATCH", "/api/v1/queues/Raw", Some(json!({"valid": false}))),
            ("PATCH", "/api/v1/priorities/4", Some(json!({"name": "x"}))),
            ("GET", "/api/v1/states", None),
        ] {
            let r = h.call(method, path, Some(token), body).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path}: {}", r.text);
        }
    }
    assert_eq!(h.admin("GET", "/api/v1/queues/Raw", None).await.json["valid"], true);
}
