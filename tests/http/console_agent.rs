//! The agent console over HTTP: login, queue view, ticket zoom and its actions, phone tickets,
//! search; forged and CSRF-less POSTs are refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::http::StatusCode;
use common::{ADMIN_TOKEN, Harness};
use console_support::{get, location, login, set_password, try_login};
use serde_json::json;

async fn setup() -> (Harness, String) {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.agent("ana", json!({"users": ["rw"]})).await;
    h.agent("rob", json!({"users": ["ro"]})).await;
    h.agent("nobody", json!({})).await;
    for a in ["ana", "rob", "nobody"] {
        set_password(&h.engine, a, &format!("pw-{a}")).await;
    }
    let number = h
        .open(
            ADMIN_TOKEN,
            json!({"title": "Printer <b>on fire</b>", "body": "It burns.", "queue": "Raw", "customer_user": "alice"}),
        )
        .await;
    (h, number)
}

#[tokio::test]
async fn login_is_required_and_checks_the_password() {
    let (h, _) = setup().await;
    let r = get(&h, "/agent", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/agent/login");

    let form = get(&h, "/agent/login", None).await;
    assert!(form.headers.get("set-cookie").is_none(), "the login form needs no cookie: its Origin is checked");
    assert!(form.text.contains("<label for=\"login\">") && form.text.contains("<label for=\"password\">"));

    let (r, c) = try_login(&h, "ana", "wrong").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(c.is_none());
    let (r, c) = try_login(&h, "ghost", "pw-ghost").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(c.is_none());

    // A login form posted by another site's page is refused, right password or not.
    let fields = [("login", "ana"), ("password", "pw-ana")];
    let r = console_support::post_from(&h, "/agent/login", None, &fields, Some("http://evil.example")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(console_support::set_cookie(&r, "chamado_agent_session").is_none());

    let (r, c) = try_login(&h, "ana", "pw-ana").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let c = c.unwrap();
    let session = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("chamado_agent_session="))
        .unwrap();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/"));

    // The agent session is not a customer API session.
    let api = h.call("GET", "/api/v1/tickets", Some(c.cookie.trim_start_matches("chamado_agent_session=")), None).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);

    // Logout needs the CSRF token, then ends the session.
    let r = c.post_without_csrf("/agent/logout", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c.post("/agent/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c.get("/agent").await;
    assert_eq!(location(&r), "/agent/login");
}

#[tokio::test]
async fn queue_view_lists_readable_queues_with_counts_escaped() {
    let (h, number) = setup().await;
    let ana = login(&h, "ana", "pw-ana").await;
    let r = ana.get("/agent").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains(&number), "{}", r.text);
    assert!(r.text.contains("Printer &#60;b&#62;on fire&#60;/b&#62;"), "escaped: {}", r.text);
    assert!(!r.text.contains("<b>on fire"));
    assert!(r.text.contains("Raw</a> <span class=\"meta\">(1)</span>"), "{}", r.text);
    assert!(r.text.contains("My locked tickets") && r.text.contains("My responsible tickets"));

    // Closed tab is empty, per-queue filter works, sorting by priority is offered.
    let r = ana.get("/agent?state=closed").await;
    assert!(!r.text.contains(&format!(">{number}<")));
    let r = ana.get("/agent?queue=Misc").await;
    assert!(!r.text.contains(&format!(">{number}<")));
    let r = ana.get("/agent?queue=Raw&sort=priority").await;
    assert!(r.text.contains(&format!(">{number}<")) && r.text.contains("Sorted by priority"));

    // Paging: 30 tickets make two pages.
    for i in 0..30 {
        h.open(
            ADMIN_TOKEN,
            json!({"title": format!("bulk {i}"), "body": "x", "queue": "Misc", "customer_user": "alice"}),
        )
        .await;
    }
    let r = ana.get("/agent?queue=Misc").await;
    assert!(r.text.contains("30 tickets, page 1 of 2") && r.text.contains("Next page"), "{}", r.text);
    let r = ana.get("/agent?queue=Misc&page=2").await;
    assert!(r.text.contains("page 2 of 2") && r.text.contains("Previous page"));

    // The all tab lists newest change first from the store's index, a cursor per page, with the
    // exact total from the engine's counts.
    let r = ana.get("/agent?queue=Misc&state=all").await;
    assert!(r.text.contains("30 tickets, newest change first") && r.text.contains("All (30)"), "{}", r.text);
    assert!(r.text.contains(">bulk 29<") && !r.text.contains(">bulk 4<"), "newest first, 25 a page");
    let next = r.text.split("\" rel=\"next\"").next().and_then(|s| s.rsplit("href=\"").next()).unwrap();
    let r = ana.get(&console_support::attr(next)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains(">bulk 4<") && r.text.contains(">bulk 0<") && !r.text.contains(">bulk 5<"), "{}", r.text);
    assert!(r.text.contains("rel=\"first\"") && !r.text.contains("rel=\"next\""));
    let r = ana.get("/agent?queue=Misc&state=all&after=garbage").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // Locking puts it under "my locked tickets".
    let r = ana.post(&format!("/agent/tickets/{number}/lock"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = ana.get("/agent?mine=locked&state=all").await;
    assert!(r.text.contains(&format!(">{number}<")));
    assert!(r.text.contains("id=\"count-locked\">(1)"));

    // Pending and responsible: the pending tab counts and lists what waits; "my responsible tickets"
    // lists what the agent answers for, counted in the sidebar.
    let pending = json!({"state": "pending reminder", "pending_until": "2030-01-01T00:00:00Z", "responsible": "ana"});
    let r = h.call("PATCH", &format!("/api/v1/tickets/{number}"), Some(ADMIN_TOKEN), Some(pending)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = ana.get("/agent?state=pending").await;
    assert!(r.text.contains("Pending (1)") && r.text.contains(&format!(">{number}<")), "{}", r.text);
    assert!(r.text.contains("1 ticket, page 1 of 1"), "{}", r.text);
    let r = ana.get("/agent?mine=responsible&state=all").await;
    assert!(r.text.contains(&format!(">{number}<")) && r.text.contains("id=\"count-responsible\">(1)"), "{}", r.text);
    let r = ana.get("/agent").await;
    assert!(!r.text.contains(&format!(">{number}<")), "a pending ticket is not in the open tab");

    // An agent without any group sees no tickets.
    let nobody = login(&h, "nobody", "pw-nobody").await;
    let r = nobody.get("/agent").await;
    assert!(!r.text.contains(&number));
    let r = nobody.get(&format!("/agent/tickets/{number}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn zoom_shows_actions_the_engine_allows_and_they_work() {
    let (h, number) = setup().await;
    let ana = login(&h, "ana", "pw-ana").await;
    let zoom = format!("/agent/tickets/{number}");
    let r = ana.get(&zoom).await;
    assert_eq!(r.status, StatusCode::OK);
    for action in ["reply", "note", "state", "priority", "owner", "responsible", "lock", "merge"] {
        assert!(r.text.contains(&format!("/agent/tickets/{number}/{action}\"")), "missing {action}");
    }
    assert!(r.text.contains("alice") && r.text.contains("acme Inc."), "customer info");
    assert!(!r.text.contains("Other tickets of this customer<"));
    h.customer_user("carol", "acme").await;
    let carols =
        h.open(ADMIN_TOKEN, json!({"title": "Carol's", "body": "x", "queue": "Raw", "customer_user": "carol"})).await;
    let alices = h
        .open(ADMIN_TOKEN, json!({"title": "Alice again", "body": "x", "queue": "Raw", "customer_user": "alice"}))
        .await;
    let r = ana.get(&zoom).await;
    assert!(r.text.contains("Other tickets of this customer user") && r.text.contains(&format!(">{alices}<")));
    assert!(r.text.contains("Other tickets of this customer<") && r.text.contains(&format!(">{carols}<")));

    let r = ana.post(&format!("{zoom}/note"), &[("body", "secret <note>")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{zoom}?done=note"));
    let r = ana.post(&format!("{zoom}/reply"), &[("body", "We are on it.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = ana.post(&format!("{zoom}/priority"), &[("priority", "5")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = ana.post(&format!("{zoom}/responsible"), &[("responsible", "ana")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = ana
        .post(&format!("{zoom}/state"), &[("state", "pending reminder"), ("pending_until", "2027-01-10T09:30")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = ana.get(&format!("{zoom}?done=state")).await;
    assert!(r.text.contains("The state was changed."));
    assert!(r.text.contains("id=\"ticket-state\">pending reminder<"), "{}", r.text);
    // Shown in the agent's zone (the system's, UTC) and language format.
    assert!(r.text.contains("2027-01-10 09:30"), "{}", r.text);
    assert!(r.text.contains("<span class=\"tag\">internal</span>") && r.text.contains("secret &#60;note&#62;"));
    assert!(r.text.contains("We are on it.") && r.text.contains("5 very high"));
    assert!(r.text.contains("<h2>History</h2>"));

    let r = ana.post(&format!("{zoom}/state"), &[("state", "closed successful")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let v = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(ADMIN_TOKEN), None).await;
    assert_eq!(v.json["state"], "closed successful");
    assert_eq!(v.json["priority"], "5 very high");

    // Bad input is a page with the engine's reason, not a 500.
    let r = ana.post(&format!("{zoom}/priority"), &[("priority", "nine")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = ana.post(&format!("{zoom}/fly"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Merge into another ticket.
    let other =
        h.open(ADMIN_TOKEN, json!({"title": "dup", "body": "x", "queue": "Raw", "customer_user": "alice"})).await;
    let r = ana.post(&format!("/agent/tickets/{other}/merge"), &[("into", &number)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(location(&r), format!("{zoom}?done=merge"));
}

#[tokio::test]
async fn forged_and_csrf_less_posts_are_refused() {
    let (h, number) = setup().await;
    let zoom = format!("/agent/tickets/{number}");
    let rob = login(&h, "rob", "pw-rob").await;
    let r = rob.get(&zoom).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("id=\"no-actions\""), "a ro agent sees no action forms");
    assert!(!r.text.contains("/note\"") && !r.text.contains("/state\""));

    for (action, fields) in [
        ("note", vec![("body", "forged")]),
        ("reply", vec![("body", "forged")]),
        ("state", vec![("state", "closed successful")]),
        ("priority", vec![("priority", "1")]),
        ("lock", vec![]),
        ("owner", vec![("owner", "rob")]),
    ] {
        let r = rob.post(&format!("{zoom}/{action}"), &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{action}: {}", r.text);
    }

    let ana = login(&h, "ana", "pw-ana").await;
    let r = ana.post_without_csrf(&format!("{zoom}/note"), &[("body", "no token")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = ana.post_without_csrf(&format!("{zoom}/note"), &[("body", "wrong token"), ("csrf", &rob.csrf)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let v = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(ADMIN_TOKEN), None).await;
    assert_eq!(v.json["articles"].as_array().unwrap().len(), 1, "nothing was added");
    assert_eq!(v.json["state"], "new");
    let phone = [("customer_user", "alice"), ("queue", "Raw"), ("title", "forged"), ("body", "x")];
    let r = ana.post_without_csrf("/agent/tickets/new", &phone).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(h.numbers(ADMIN_TOKEN, "").await, vec![number.clone()], "no phone ticket was opened");

    // The admin screens need rw on admin.
    let r = ana.get("/admin").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = ana.post("/admin/customers", &[("id", "evil"), ("name", "Evil")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn phone_ticket_and_search() {
    let (h, _) = setup().await;
    let ana = login(&h, "ana", "pw-ana").await;
    let r = ana.get("/agent/tickets/new?search=alic").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("/agent/tickets/new?customer_user=alice"), "{}", r.text);
    let r = ana.get("/agent/tickets/new?customer_user=alice").await;
    assert!(r.text.contains("id=\"picked\"") && r.text.contains("<option value=\"Raw\""));
    let r = ana
        .post(
            "/agent/tickets/new",
            &[
                ("customer_user", "alice"),
                ("queue", "Misc"),
                ("title", "Called about VPN"),
                ("body", "VPN down"),
                ("priority", "4"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let loc = location(&r);
    let number = loc.trim_start_matches("/agent/tickets/").split('?').next().unwrap().to_string();
    let v = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(ADMIN_TOKEN), None).await;
    assert_eq!(v.json["channel"], "phone");
    assert_eq!(v.json["customer_user"], "alice");
    assert_eq!(v.json["queue"], "Misc");

    // rob (ro) may not create; the engine says why.
    let rob = login(&h, "rob", "pw-rob").await;
    let r = rob
        .post("/agent/tickets/new", &[("customer_user", "alice"), ("queue", "Misc"), ("title", "x"), ("body", "y")])
        .await;
    assert!(r.status == StatusCode::FORBIDDEN || r.status == StatusCode::UNPROCESSABLE_ENTITY, "{}", r.status);

    let r = ana.get("/agent/search?q=VPN").await;
    assert!(r.text.contains(&format!(">{number}<")), "{}", r.text);
    let r = ana.get("/agent/search?q=VPN&state=closed").await;
    assert!(!r.text.contains(&format!(">{number}<")));
    let r = rob.get("/agent/search?q=VPN").await;
    assert!(r.text.contains(&format!(">{number}<")), "ro agents find what they may read");
    let r = ana.get("/agent/search?customer_user=alice&queue=Misc").await;
    assert!(r.text.contains(&format!(">{number}<")), "{}", r.text);
    let r = ana.get("/agent/search?customer=acme&state=new").await;
    assert!(r.text.contains(&format!(">{number}<")));
    let r = ana.get("/agent/search?customer=globex").await;
    assert!(r.text.contains("No tickets found."));
    let r = ana.get(&format!("/agent/search?number={number}")).await;
    assert_eq!(location(&r), format!("/agent/tickets/{number}"));
    let nobody = login(&h, "nobody", "pw-nobody").await;
    let r = nobody.get(&format!("/agent/search?number={number}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("No ticket") && r.text.contains("that you may see"));
    let r = nobody.get("/agent/search?q=VPN").await;
    assert!(!r.text.contains(&format!(">{number}<")));

    // What was asked for comes back escaped, in the message and in the form.
    let r = ana.get("/agent/search?number=%3Cb%3E1&customer_user=%22%3E%3Cscript%3E").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("No ticket &#60;b&#62;1 that you may see"), "{}", r.text);
    assert!(r.text.contains("value=\"&#34;&#62;&#60;script&#62;\""), "{}", r.text);
    assert!(!r.text.contains("<b>1") && !r.text.contains("<script>"));
}
