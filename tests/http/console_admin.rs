//! The admin console over HTTP: customers, customer users, the customer user <-> groups screen (a
//! granted `ro` makes the ticket visible to the customer user in the API and the portal), services,
//! agents with their permissions, groups and queues.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::http::StatusCode;
use common::{ADMIN_TOKEN, Harness};
use console_support::{location, login, set_password};
use serde_json::json;

#[tokio::test]
async fn admin_grant_round_trip_reaches_the_customer() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    let admin = login(&h, "admin", "pw-admin").await;
    let r = admin.get("/admin").await;
    assert_eq!(r.status, StatusCode::OK);

    // A group and a queue in it; give the admin agent rw there through the agent <-> groups screen.
    let r = admin.post("/admin/groups", &[("name", "vip"), ("comment", "VIP <only>"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = admin.get("/admin/groups").await;
    // askama escapes `<` and `>` as numeric references.
    assert!(r.text.contains("VIP &#60;only&#62;") && !r.text.contains("VIP <only>"), "{}", r.text);
    let r = admin
        .post("/admin/queues", &[("name", "VIP"), ("group", "vip"), ("follow_up", "reject"), ("valid", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = admin.get("/admin/agents/admin/groups").await;
    assert!(r.text.contains("name=\"p:vip:move_into\""), "seven permissions per group");
    let r = admin
        .post(
            "/admin/agents/admin/groups",
            &[("p:admin:rw", "1"), ("p:users:rw", "1"), ("p:vip:rw", "1"), ("submit", "save")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/admin/agents/admin/groups?done=saved");

    // Customer and customer user through the forms.
    let r = admin.post("/admin/customers", &[("id", "globex"), ("name", "Globex <Corp>"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = admin.post("/admin/customers", &[("id", "globex"), ("name", "again"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = admin.get("/admin/customers?search=glob").await;
    assert!(r.text.contains("Globex &#60;Corp&#62;") && !r.text.contains("Globex <Corp>"), "{}", r.text);
    let r = admin
        .post(
            "/admin/customer-users",
            &[
                ("login", "bob"),
                ("email", "bob@globex.example"),
                ("first_name", "Bob"),
                ("last_name", "Builder"),
                ("customer_id", "globex"),
                ("password", "pw-bob"),
                ("valid", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(location(&r), "/admin/customer-users/bob/groups?done=saved");

    // A phone ticket for bob in VIP: bob cannot see it without a grant on vip.
    let number =
        h.open(ADMIN_TOKEN, json!({"title": "VIP issue", "body": "x", "queue": "VIP", "customer_user": "bob"})).await;
    let bob = h.login("bob").await;
    assert!(!h.numbers(&bob, "").await.contains(&number));

    // The grant screen: a row per group with ro and rw; grant ro on vip with "Save and finish".
    let r = admin.get("/admin/customer-users/bob/groups").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("name=\"p:vip:ro\"") && r.text.contains("name=\"p:vip:rw\""));
    assert!(r.text.contains("value=\"finish\""));
    let r = admin.post("/admin/customer-users/bob/groups", &[("p:vip:ro", "1"), ("submit", "finish")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/admin/customer-users?done=saved");
    let r = admin.get("/admin/customer-users/bob/groups").await;
    assert!(r.text.contains("name=\"p:vip:ro\" value=\"1\" checked"), "{}", r.text);
    assert!(!r.text.contains("name=\"p:vip:rw\" value=\"1\" checked"));
    assert!(h.numbers(&bob, "").await.contains(&number), "bob sees the ticket after the ro grant");
    let v = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(&bob), None).await;
    assert_eq!(v.status, StatusCode::OK);

    // Revoking (all boxes off) hides it again.
    let r = admin.post("/admin/customer-users/bob/groups", &[("submit", "save")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!h.numbers(&bob, "").await.contains(&number));

    // Customer <-> groups: a company grant works too.
    let r = admin.post("/admin/customers/globex/groups", &[("p:vip:ro", "1"), ("submit", "save")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(h.numbers(&bob, "").await.contains(&number));

    // Edit: password reset and extra customers; invalid users cannot log in.
    let r = admin
        .post(
            "/admin/customer-users/bob",
            &[
                ("email", "bob@globex.example"),
                ("customer_id", "globex"),
                ("extra_customer_ids", "acme2, other"),
                ("password", "new-pw-bob"),
                ("valid", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let u = h.engine.customer_user("bob").await.unwrap().unwrap();
    assert_eq!(u.extra_customer_ids, vec!["acme2".to_string(), "other".to_string()]);
    let s = h.call("POST", "/api/v1/sessions", None, Some(json!({"login": "bob", "password": "new-pw-bob"}))).await;
    assert_eq!(s.status, StatusCode::CREATED);
    let r = admin.post("/admin/customers/globex", &[("name", "Globex")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!h.engine.customer("globex").await.unwrap().unwrap().valid, "no valid box: invalid");
}

#[tokio::test]
async fn services_default_groups_and_agents() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let admin = login(&h, "admin", "pw-admin").await;

    for (name, parent) in [("Email", ""), ("Outbound", "Email"), ("VPN", "")] {
        let r = admin.post("/admin/services", &[("name", name), ("parent", parent), ("valid", "1")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    }
    let r = admin.get("/admin/services").await;
    assert!(r.text.contains("Email::Outbound"));

    let r = admin.get("/admin/customer-users/alice/services").await;
    assert!(r.text.contains("name=\"s:VPN\""));
    let r = admin.post("/admin/customer-users/alice/services", &[("s:VPN", "1"), ("submit", "save")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let token = h.login("alice").await;
    let s = h.call("GET", "/api/v1/customer-users/alice/services", Some(ADMIN_TOKEN), None).await;
    assert!(s.text.contains("VPN"), "{}", s.text);
    let _ = token;

    // Default services: "select all" grants every service to all customer users.
    let r = admin.get("/admin/default-services").await;
    assert!(r.text.contains("Select all services"));
    let r = admin.post("/admin/default-services", &[("all", "1"), ("submit", "finish")]).await;
    assert_eq!(location(&r), "/admin?done=saved");
    let s = h.call("GET", "/api/v1/customer-users/alice/services", Some(ADMIN_TOKEN), None).await;
    assert!(s.text.contains("Email::Outbound"), "{}", s.text);

    // Default groups screen shows the seeded rw on users.
    let r = admin.get("/admin/default-groups").await;
    assert!(r.text.contains("name=\"p:users:rw\" value=\"1\" checked"), "{}", r.text);

    // Agents: add with a password, who can then log in; token reset shows a token once.
    let r = admin
        .post("/admin/agents", &[("login", "carl"), ("first_name", "Carl"), ("password", "pw-carl"), ("valid", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = admin
        .post("/admin/agents/carl/groups", &[("p:users:ro", "1"), ("p:users:note", "1"), ("submit", "save")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let access = h.engine.agent_access("carl").await.unwrap();
    assert!(access.has("users", chamado::Permission::Note) && !access.has("users", chamado::Permission::Rw));
    let carl = login(&h, "carl", "pw-carl").await;
    assert_eq!(carl.get("/agent").await.status, StatusCode::OK);
    let r = admin.post("/admin/agents/carl", &[("token_reset", "1")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let start = r.text.find("<code id=\"token\">").unwrap() + "<code id=\"token\">".len();
    let token = r.text[start..].split('<').next().unwrap();
    let api = h.call("GET", "/api/v1/tickets", Some(token), None).await;
    assert_eq!(api.status, StatusCode::OK);

    // Forms without CSRF change nothing.
    let r = admin.post_without_csrf("/admin/customer-users/alice/groups", &[("submit", "save")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin.get("/admin/customer-users/nobody/groups").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn roles_give_agents_group_permissions() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    h.agent("dora", json!({})).await;
    let admin = login(&h, "admin", "pw-admin").await;
    let r = admin.post("/admin/roles", &[("name", "support"), ("comment", "1st level"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = admin.get("/admin/roles").await;
    assert!(r.text.contains("/admin/roles/support/groups"));
    let r = admin
        .post("/admin/roles/support/groups", &[("p:users:ro", "1"), ("p:users:create", "1"), ("submit", "finish")])
        .await;
    assert_eq!(location(&r), "/admin/roles?done=saved");
    assert!(!h.engine.agent_access("dora").await.unwrap().has("users", chamado::Permission::Create));
    let r = admin.get("/admin/agents/dora").await;
    assert!(r.text.contains("name=\"r:support\""));
    let r = admin.post("/admin/agents/dora/roles", &[("r:support", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let access = h.engine.agent_access("dora").await.unwrap();
    assert!(access.has("users", chamado::Permission::Create) && !access.has("users", chamado::Permission::Rw));
    let r = admin.post("/admin/agents/dora/roles", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!h.engine.agent_access("dora").await.unwrap().has("users", chamado::Permission::Ro));
}

#[tokio::test]
async fn group_view_grants_many_customer_users() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.customer_user("amos", "acme").await;
    let admin = login(&h, "admin", "pw-admin").await;
    let r = admin.get("/admin/groups").await;
    assert!(r.text.contains("/admin/groups/admin/customer-users"));
    let r = admin.get("/admin/groups/admin/customer-users?search=ali").await;
    assert!(r.text.contains("name=\"p:alice:ro\"") && !r.text.contains("name=\"p:amos:ro\""), "{}", r.text);
    // Only the rows shown (u:<login>) change: amos is untouched.
    h.admin("PUT", "/api/v1/customer-users/amos/groups/admin", Some(json!({"permission": "rw"}))).await;
    let r = admin
        .post("/admin/groups/admin/customer-users", &[("u:alice", "1"), ("p:alice:rw", "1"), ("submit", "finish")])
        .await;
    assert_eq!(location(&r), "/admin/groups?done=saved");
    let access = h.engine.customer_access("alice").await.unwrap();
    assert!(access.groups().get("admin").is_some_and(|p| p.contains(chamado::Permission::Rw)));
    let amos = h.engine.customer_access("amos").await.unwrap();
    assert!(amos.groups().get("admin").is_some_and(|p| p.contains(chamado::Permission::Rw)));
    let r = admin.get("/admin/groups/nope/customer-users").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
