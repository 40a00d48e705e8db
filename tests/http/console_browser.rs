//! The agent and admin console in a real headless Chromium, driven over WebDriver (chromedriver): an
//! admin creates a customer and a customer user and grants `ro` on a group; an agent opens a phone
//! ticket for that customer user, replies and closes it; the customer user sees it in the portal.
//! Screenshots of the main screens are written to `docs/screenshots/`.
//!
//! Without a browser the test prints that it skipped; with `CHAMADO_E2E=1` a missing browser fails.
//! `CHROMIUM` and `CHROMEDRIVER` override the binaries (default `/usr/bin/chromium`,
//! `/usr/bin/chromedriver`). The WebDriver client is `browser_support`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod browser_support;
mod common;
mod console_support;

use browser_support::Browser;
use common::Harness;
use console_support::set_password;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_in_headless_chromium() {
    let Some(wd) = Browser::start("console_in_headless_chromium", 1280, 900).await else {
        return;
    };

    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    h.agent("ana", json!({"users": ["rw"]})).await;
    set_password(&h.engine, "ana", "pw-ana").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    let app = h.app.clone();
    tokio::spawn(async move { axum::serve(listener, app).await });

    // The admin logs in.
    wd.goto(&format!("{site}/admin")).await;
    wd.wait_for("the agent login page", |url, _| url.ends_with("/agent/login")).await;
    wd.type_into("#login", "admin").await;
    wd.type_into("#password", "pw-admin").await;
    wd.follow("main form button[type=submit]").await;
    wd.wait_for("the queue view", |url, _| url.ends_with("/agent")).await;

    // A customer.
    wd.goto(&format!("{site}/admin/customers")).await;
    wd.type_into("#id", "globex").await;
    wd.type_into("#name", "Globex Corporation").await;
    wd.type_into("#city", "Springfield").await;
    wd.follow("form[method=post][action='/admin/customers'] button[type=submit]").await;
    wd.wait_for("the saved customer", |url, src| url.contains("done=saved") && src.contains("Globex Corporation"))
        .await;

    // A customer user of it.
    wd.goto(&format!("{site}/admin/customer-users")).await;
    wd.type_into("#login", "bob").await;
    wd.type_into("#email", "bob@globex.example").await;
    wd.type_into("#first_name", "Bob").await;
    wd.type_into("#last_name", "Builder").await;
    wd.type_into("#customer_id", "globex").await;
    wd.type_into("#password", "pw-bob").await;
    wd.follow("form[method=post][action='/admin/customer-users'] button[type=submit]").await;
    wd.wait_for("the customer user's groups", |url, _| url.contains("/admin/customer-users/bob/groups")).await;

    // Grant ro on users, Save.
    wd.select("#p-users-ro").await;
    wd.follow("button[value=save]").await;
    let (_, src) =
        wd.wait_for("the saved grants", |url, src| url.contains("done=saved") && src.contains("Saved.")).await;
    assert!(src.contains("id=\"p-users-ro\" name=\"p:users:ro\" value=\"1\" checked"), "{src}");
    wd.screenshot("console-admin-customer-user-groups").await;

    // The admin logs out; the agent logs in.
    wd.follow("header form button[type=submit]").await;
    wd.wait_for("the login page after logout", |url, _| url.ends_with("/agent/login")).await;
    wd.type_into("#login", "ana").await;
    wd.type_into("#password", "pw-ana").await;
    wd.follow("main form button[type=submit]").await;
    wd.wait_for("the queue view", |url, _| url.ends_with("/agent")).await;

    // A phone ticket for bob.
    wd.goto(&format!("{site}/agent/tickets/new")).await;
    wd.type_into("#search", "bob").await;
    wd.follow("form[role=search] button[type=submit]").await;
    wd.wait_for("the customer user search", |_, src| src.contains("customer_user=bob")).await;
    wd.follow("a[href='/agent/tickets/new?customer_user=bob']").await;
    wd.wait_for("the phone ticket form", |_, src| src.contains("id=\"picked\"")).await;
    wd.screenshot("console-phone-ticket").await;
    wd.select("#queue option[value='Raw']").await;
    wd.type_into("#title", "Printer on fire").await;
    wd.type_into("#body", "Bob called: smoke everywhere.").await;
    wd.follow("form[method=post][action='/agent/tickets/new'] button[type=submit]").await;
    let (url, _) = wd.wait_for("the new ticket", |url, _| url.contains("done=created")).await;
    let number = url.split("/agent/tickets/").nth(1).unwrap().split('?').next().unwrap().to_string();
    let t = h.engine.ticket(&chamado::Actor::System, &number).await.unwrap();
    assert_eq!(t.ticket.channel.as_str(), "phone");
    assert_eq!(t.ticket.customer_user.as_deref(), Some("bob"));

    // Reply.
    wd.click("#act-reply summary").await;
    wd.type_into("#reply-body", "We are sending a technician.").await;
    wd.follow("form[action$='/reply'] button[type=submit]").await;
    wd.wait_for("the reply", |url, src| url.contains("done=reply") && src.contains("We are sending a technician."))
        .await;

    // The queue view with the ticket.
    wd.goto(&format!("{site}/agent")).await;
    wd.wait_for("the queue view", |_, src| src.contains(&number)).await;
    wd.screenshot("console-queue-view").await;

    // Close it.
    wd.goto(&format!("{site}/agent/tickets/{number}")).await;
    wd.click("#act-state summary").await;
    wd.select("#state option[value='closed successful']").await;
    wd.follow("form[action$='/state'] button[type=submit]").await;
    wd.wait_for("the closed ticket", |url, src| {
        url.contains("done=state") && src.contains("id=\"ticket-state\">closed successful<")
    })
    .await;
    assert_eq!(h.engine.ticket(&chamado::Actor::System, &number).await.unwrap().ticket.queue, "Raw");
    wd.resize(1280, 1500).await;
    wd.screenshot("console-ticket-zoom").await;
    wd.resize(390, 844).await;
    wd.screenshot("console-ticket-zoom-phone").await;
    wd.resize(1280, 900).await;

    // The customer user sees it in the portal, with the reply.
    wd.goto(&format!("{site}/portal/login")).await;
    wd.type_into("#login", "bob").await;
    wd.type_into("#password", "pw-bob").await;
    wd.follow("main form button[type=submit]").await;
    wd.wait_for("the portal list", |url, src| url.ends_with("/portal/tickets") && src.contains(&number)).await;
    wd.goto(&format!("{site}/portal/tickets/{number}")).await;
    wd.wait_for("the ticket in the portal", |_, src| src.contains("We are sending a technician.")).await;

    wd.quit().await;
}
