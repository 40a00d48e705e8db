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

/// The error notice of a page the engine refused a change on.
fn alert(html: &str) -> &str {
    let start = html.find("role=\"alert\">").map_or(html.len(), |i| i + "role=\"alert\">".len());
    html[start..].split("</p>").next().unwrap_or("")
}

#[tokio::test]
async fn groups_search_edit_rename_and_invalidate() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    let admin = login(&h, "admin", "pw-admin").await;
    let r = admin.post("/admin/groups", &[("name", "vip"), ("comment", "VIP"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = admin
        .post("/admin/queues", &[("name", "VIP"), ("group", "vip"), ("follow_up", "reject"), ("valid", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.admin("PUT", "/api/v1/customer-users/alice/groups/vip", Some(json!({"permission": "ro"}))).await;

    // Search: the engine's, over names and comments.
    let r = admin.get("/admin/groups?search=vi").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains("href=\"/admin/groups/vip\"") && !r.text.contains("href=\"/admin/groups/users\""),
        "{}",
        r.text
    );
    assert!(r.text.contains("role=\"search\"") && r.text.contains("value=\"vi\""));
    let r = admin.get("/admin/groups?search=nothing-like-it").await;
    assert!(r.text.contains("No group matches."));

    // Rename: the queue and the customer user's grant follow.
    let r = admin.get("/admin/groups/vip").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("action=\"/admin/groups/vip\"") && r.text.contains("value=\"vip\""), "{}", r.text);
    let r = admin.post("/admin/groups/vip", &[("name", "premium"), ("comment", "Top"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(location(&r), "/admin/groups/premium?done=saved");
    let r = admin.get("/admin/groups/premium?done=saved").await;
    assert!(r.text.contains("Saved.") && r.text.contains("value=\"Top\""));
    assert_eq!(admin.get("/admin/groups/vip").await.status, StatusCode::NOT_FOUND);
    let q = h.call("GET", "/api/v1/queues/VIP", Some(ADMIN_TOKEN), None).await;
    assert!(q.text.contains("\"premium\""), "{}", q.text);
    let access = h.engine.customer_access("alice").await.unwrap();
    assert!(access.groups().contains_key("premium") && !access.groups().contains_key("vip"));

    // Invalidate (no valid box) and revalidate.
    let r = admin.post("/admin/groups/premium", &[("name", "premium"), ("comment", "Top")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let g = h.call("GET", "/api/v1/groups/premium", Some(ADMIN_TOKEN), None).await;
    assert!(g.text.contains("\"valid\":false"), "{}", g.text);
    assert!(admin.get("/admin/groups").await.text.contains("invalid"));
    let r = admin.post("/admin/groups/premium", &[("name", "premium"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let g = h.call("GET", "/api/v1/groups/premium", Some(ADMIN_TOKEN), None).await;
    assert!(g.text.contains("\"valid\":true"), "{}", g.text);

    // What the engine refuses shows on the form: group admin stays admin and valid; names are unique.
    let r = admin.post("/admin/groups/admin", &[("name", "admin")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(alert(&r.text).contains("cannot be renamed nor made invalid"), "{}", r.text);
    assert!(r.text.contains("action=\"/admin/groups/admin\""), "the form is shown again");
    let r = admin.post("/admin/groups/admin", &[("name", "root"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = admin.post("/admin/groups/premium", &[("name", "users"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(alert(&r.text).contains("already exists"), "{}", r.text);
    assert!(h.engine.agent_access("admin").await.unwrap().is_admin());
}

#[tokio::test]
async fn roles_rename_and_invalidate() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    h.agent("dora", json!({})).await;
    let admin = login(&h, "admin", "pw-admin").await;
    admin.post("/admin/roles", &[("name", "support"), ("valid", "1")]).await;
    admin.post("/admin/roles/support/groups", &[("p:users:create", "1"), ("submit", "save")]).await;
    admin.post("/admin/agents/dora/roles", &[("r:support", "1")]).await;
    assert!(h.engine.agent_access("dora").await.unwrap().has("users", chamado::Permission::Create));

    let r = admin.get("/admin/roles?search=supp").await;
    assert!(r.text.contains("href=\"/admin/roles/support\""), "{}", r.text);
    let r = admin.post("/admin/roles/support", &[("name", "helpdesk"), ("comment", "1st"), ("valid", "1")]).await;
    assert_eq!(location(&r), "/admin/roles/helpdesk?done=saved");
    assert!(h.engine.agent_access("dora").await.unwrap().has("users", chamado::Permission::Create), "members follow");
    let r = admin.get("/admin/agents/dora").await;
    assert!(r.text.contains("name=\"r:helpdesk\" value=\"1\" checked"), "{}", r.text);

    // An invalid role grants nothing.
    let r = admin.post("/admin/roles/helpdesk", &[("name", "helpdesk")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!h.engine.agent_access("dora").await.unwrap().has("users", chamado::Permission::Create));
    let r = admin.post("/admin/roles/helpdesk", &[("name", " "), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(!alert(&r.text).is_empty());
}

#[tokio::test]
async fn queues_states_and_priorities_edit() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    let admin = login(&h, "admin", "pw-admin").await;

    // Queue: group and follow-up policy change, the name stays; a missing group is refused on the form.
    let r = admin.get("/admin/queues/Raw").await;
    assert!(r.text.contains("<option value=\"possible\" selected>"), "{}", r.text);
    let r = admin.post("/admin/queues/Raw", &[("group", "admin"), ("follow_up", "new_ticket"), ("valid", "1")]).await;
    assert_eq!(location(&r), "/admin/queues/Raw?done=saved");
    let q = h.call("GET", "/api/v1/queues/Raw", Some(ADMIN_TOKEN), None).await;
    assert!(q.text.contains("\"group\":\"admin\"") && q.text.contains("new_ticket"), "{}", q.text);
    let r = admin.post("/admin/queues/Raw", &[("group", "nope"), ("follow_up", "reject"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(alert(&r.text).contains("not found"), "{}", r.text);
    let r = admin.post("/admin/queues/Junk", &[("group", "users"), ("follow_up", "possible")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(h.call("GET", "/api/v1/queues/Junk", Some(ADMIN_TOKEN), None).await.text.contains("\"valid\":false"));

    // States: add one, invalidate and revalidate it; the states the engine sets stay valid.
    let r = admin.post("/admin/states", &[("name", "waiting <parts>"), ("state_type", "open"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = admin.get("/admin/states?search=waiting").await;
    assert!(
        r.text.contains("href=\"/admin/states/waiting%20%3Cparts%3E\"") && r.text.contains("waiting &#60;parts&#62;")
    );
    let r = admin.post("/admin/states/waiting%20%3Cparts%3E", &[("next_state", "")]).await;
    assert_eq!(location(&r), "/admin/states/waiting%20%3Cparts%3E?done=saved");
    let s =
        h.engine.admin(&chamado::Actor::System).await.unwrap().get(chamado::RecordKind::State, "waiting <parts>").await;
    assert!(matches!(s, Ok(Some(chamado::Record::State(ref d))) if !d.valid), "{s:?}");
    admin.post("/admin/states/waiting%20%3Cparts%3E", &[("valid", "1")]).await;
    let r = admin.post("/admin/states/new", &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(alert(&r.text).contains("needs a valid state"), "{}", r.text);
    let r = admin.post("/admin/states", &[("name", "pending x"), ("state_type", "pending_auto"), ("valid", "1")]).await;
    assert_eq!(location(&r), "/admin/states?done=saved", "{}", r.text);
    let pending = h.call("GET", "/api/v1/states/pending%20x", Some(ADMIN_TOKEN), None).await;
    // Without a next state it goes to the lifecycle's auto-close state when due (OTRS's default).
    assert!(pending.status.is_success() && !pending.text.contains("\"next_state\":\""), "{}", pending.text);

    // Priorities: rename (tickets keep the level), invalidate; the default stays valid, names unique.
    let r = admin.get("/admin/priorities").await;
    assert!(r.text.contains("href=\"/admin/priorities/3\"") && r.text.contains("3 normal"));
    let r = admin.post("/admin/priorities/4", &[("name", "4 urgent"), ("comment", "soon")]).await;
    assert_eq!(location(&r), "/admin/priorities?done=saved");
    let all = h.engine.priorities().await.unwrap();
    assert!(all.iter().any(|p| p.level.level() == 4 && p.name == "4 urgent" && !p.valid));
    let r = admin.post("/admin/priorities/3", &[("name", "3 normal")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(alert(&r.text).contains("stays valid"), "{}", r.text);
    let r = admin.post("/admin/priorities/2", &[("name", "4 urgent"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(admin.get("/admin/priorities/9").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn services_search_and_who_has_each() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let admin = login(&h, "admin", "pw-admin").await;
    for (name, parent) in [("Email", ""), ("Outbound", "Email"), ("VPN", "")] {
        admin.post("/admin/services", &[("name", name), ("parent", parent), ("valid", "1")]).await;
    }
    let r = admin.get("/admin/services?search=outb").await;
    assert!(r.text.contains("href=\"/admin/services/Email%3A%3AOutbound\""), "{}", r.text);
    assert!(!r.text.contains("href=\"/admin/services/VPN\""));

    admin.post("/admin/customer-users/alice/services", &[("s:Email::Outbound", "1"), ("submit", "save")]).await;
    let r = admin.get("/admin/services/Email%3A%3AOutbound").await;
    assert_eq!(r.status, StatusCode::OK);
    let holders = r.text.split("id=\"customer-users\"").nth(1).unwrap_or("");
    assert!(holders.contains(">alice</a>"), "{}", r.text);
    let customers = r.text.split("id=\"customers\"").nth(1).unwrap_or("");
    assert!(customers.contains(">acme</a>"), "{}", r.text);
    assert!(r.text.contains("Not a default service."));
    let r = admin.get("/admin/services/VPN").await;
    assert!(r.text.contains("No customer user has it directly."));
    admin.post("/admin/default-services", &[("s:VPN", "1"), ("submit", "save")]).await;
    let r = admin.get("/admin/services/VPN").await;
    assert!(r.text.contains("A default service: every customer user has it."), "{}", r.text);

    // Invalidating the parent makes the child unusable; revalidating brings it back.
    let r = admin.post("/admin/services/Email", &[("comment", "mail")]).await;
    assert_eq!(location(&r), "/admin/services/Email?done=saved");
    let r = admin.get("/admin/services/Email%3A%3AOutbound").await;
    assert!(r.text.contains("nobody can choose it now"), "{}", r.text);
    admin.post("/admin/services/Email", &[("comment", "mail"), ("valid", "1")]).await;
    let r = admin.get("/admin/services/Email%3A%3AOutbound").await;
    assert!(!r.text.contains("nobody can choose it now"));
    assert_eq!(admin.get("/admin/services/Nope").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_admin_form_refuses_a_missing_token() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.admin("POST", "/api/v1/services", Some(json!({"name": "VPN"}))).await;
    h.admin("POST", "/api/v1/roles", Some(json!({"name": "support"}))).await;
    let admin = login(&h, "admin", "pw-admin").await;
    let posts: [(&str, &[(&str, &str)]); 13] = [
        ("/admin/customers", &[("id", "x"), ("name", "x"), ("valid", "1")]),
        ("/admin/customer-users", &[("login", "x"), ("email", "x@x.example"), ("customer_id", "acme")]),
        ("/admin/agents", &[("login", "x"), ("valid", "1")]),
        ("/admin/groups", &[("name", "x"), ("valid", "1")]),
        ("/admin/groups/users", &[("name", "renamed"), ("valid", "1")]),
        ("/admin/roles/support", &[("name", "renamed"), ("valid", "1")]),
        ("/admin/queues/Raw", &[("group", "users"), ("follow_up", "possible")]),
        ("/admin/services/VPN", &[("comment", "x")]),
        ("/admin/states/open", &[]),
        ("/admin/priorities/1", &[("name", "1 tiny"), ("valid", "1")]),
        ("/admin/default-groups", &[("submit", "save")]),
        ("/admin/default-services", &[("all", "1"), ("submit", "save")]),
        ("/admin/agents/admin/roles", &[("r:support", "1")]),
    ];
    for (path, fields) in posts {
        let r = admin.post_without_csrf(path, fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        let mut wrong = vec![("csrf", "not-the-token")];
        wrong.extend_from_slice(fields);
        assert_eq!(admin.post_without_csrf(path, &wrong).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    // Nothing changed.
    let a = h.engine.admin(&chamado::Actor::System).await.unwrap();
    assert!(a.get(chamado::RecordKind::Customer, "x").await.unwrap().is_none());
    assert!(a.get(chamado::RecordKind::Group, "renamed").await.unwrap().is_none());
    assert!(a.get(chamado::RecordKind::Role, "support").await.unwrap().is_some());
    assert!(h.engine.priorities().await.unwrap().iter().all(|p| p.name != "1 tiny"));
    let s = h.call("GET", "/api/v1/states/open", Some(ADMIN_TOKEN), None).await;
    assert!(s.text.contains("\"valid\":true"));
    assert!(h.engine.customer_access("alice").await.unwrap().groups().contains_key("users"), "default groups kept");
}
