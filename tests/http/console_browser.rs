//! The agent and admin console in a real headless Chromium, driven over WebDriver (chromedriver): an
//! admin creates a customer and a customer user and grants `ro` on a group; an agent opens a phone
//! ticket for that customer user, replies and closes it; the customer user sees it in the portal. The
//! customer user's screenshot shows as a thumbnail in the zoom and downloads with its exact bytes; the
//! agent's internal note carries a file chosen in the browser's file input, which the customer user
//! never sees.
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

    // The customer user sends a screenshot with a follow-up (a multipart upload to the API): a
    // thumbnail in the zoom, and its link downloads the exact bytes in the agent's browser session.
    let bob = h.login("bob").await;
    let json_part = json!({"body": "Here is what the printer shows."}).to_string();
    let (body, boundary) = console_support::multipart(
        &[("json", json_part.as_str())],
        &[("file", "printer panel.png", "image/png", SCREENSHOT)],
    );
    let req = axum::http::Request::builder()
        .method("POST")
        .uri(format!("/api/v1/tickets/{number}/articles"))
        .header("authorization", format!("Bearer {bob}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(axum::body::Body::from(body))
        .unwrap();
    let r = h.raw(req).await;
    assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text);
    wd.goto(&format!("{site}/agent/tickets/{number}")).await;
    wd.wait_for("the zoom with the screenshot", |_, src| src.contains("printer panel.png")).await;
    let drawn = "const i = document.querySelector('.attachments img'); \
                 return new Promise(r => { const done = () => r([i.complete, i.naturalWidth, i.naturalHeight]); \
                 if (i.complete) done(); else i.addEventListener('load', done); })";
    assert_eq!(wd.script(drawn).await, json!([true, 160, 100]), "the thumbnail is drawn from the download URL");
    // The page may not fetch (its CSP allows no connections), so the link is fetched with the
    // browser's session cookie.
    let href = wd.script("return document.querySelector('.attachments a:not(:has(img))').href").await;
    let cookie = format!("chamado_agent_session={}", wd.cookie("chamado_agent_session").await);
    let path = href.as_str().unwrap().trim_start_matches(&site).to_string();
    let r = console_support::get(&h, &path, Some(&cookie)).await;
    assert_eq!(r.status, axum::http::StatusCode::OK);
    assert_eq!(r.content_type, "image/png");
    let disposition = r.headers["content-disposition"].to_str().unwrap();
    assert_eq!(disposition, "attachment; filename=\"printer panel.png\"; filename*=UTF-8''printer%20panel.png");
    let req = axum::http::Request::builder().uri(&path).header("cookie", &cookie).body(axum::body::Body::empty());
    let res = tower::ServiceExt::oneshot(h.app.clone(), req.unwrap()).await.unwrap();
    let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes().to_vec();
    assert_eq!(bytes, SCREENSHOT, "the exact bytes");

    // An internal note with a file chosen in the file input.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("spooler.log");
    std::fs::write(&log, "paper jam at tray 2\n").unwrap();
    wd.click("#act-note summary").await;
    wd.type_into("#note-body", "Spooler log attached.").await;
    wd.type_into("#note-files", log.to_str().unwrap()).await;
    wd.follow("form[action$='/note'] button[type=submit]").await;
    wd.wait_for("the note with its file", |url, src| url.contains("done=note") && src.contains("spooler.log")).await;
    let note = h.engine.ticket(&chamado::Actor::System, &number).await.unwrap().articles;
    let note = note.last().unwrap();
    assert!(!note.visible_to_customer);
    let note_id = note.id;
    assert_eq!(note.attachments[0].name, "spooler.log");
    let which = chamado::AttachmentRef::Index(0);
    let stored = h.engine.attachment(&chamado::Actor::System, &number, note.id, which).await.unwrap();
    assert_eq!(stored.data, b"paper jam at tray 2\n");

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
    let (_, src) = wd.wait_for("the ticket in the portal", |_, src| src.contains("We are sending a technician.")).await;
    assert!(src.contains("printer panel.png"), "the customer user's own file is listed");
    assert!(!src.contains("spooler.log") && !src.contains("Spooler log attached."), "the internal note is not");
    // Nor does the customer user get the note's file at its portal URL: 404, like a missing one.
    let cookie = format!("chamado_session={}", wd.cookie("chamado_session").await);
    let path = format!("/portal/tickets/{number}/articles/{note_id}/attachments/0");
    let r = console_support::get(&h, &path, Some(&cookie)).await;
    assert_eq!(r.status, axum::http::StatusCode::NOT_FOUND, "{}", r.text);
    assert!(!r.text.contains("paper jam"));

    wd.quit().await;
}

/// A 160×100 PNG (a checkerboard), as a customer's screenshot.
const SCREENSHOT: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 160, 0, 0, 0, 100, 8, 2, 0, 0, 0, 142, 212,
    172, 216, 0, 0, 1, 15, 73, 68, 65, 84, 120, 218, 237, 220, 49, 13, 0, 32, 12, 69, 193, 218, 97, 66, 26, 146, 48,
    129, 48, 36, 212, 67, 135, 14, 205, 37, 236, 63, 121, 183, 54, 196, 62, 183, 252, 254, 91, 229, 103, 183, 103, 55,
    132, 6, 44, 52, 96, 161, 1, 3, 6, 108, 23, 176, 93, 192, 118, 1, 3, 22, 26, 176, 208, 128, 133, 6, 108, 23, 176,
    93, 192, 118, 1, 3, 22, 26, 176, 208, 128, 133, 6, 12, 184, 21, 88, 172, 217, 187, 128, 1, 11, 13, 88, 104, 192,
    128, 1, 219, 5, 108, 23, 176, 93, 192, 128, 133, 6, 44, 52, 96, 161, 1, 219, 5, 108, 23, 176, 93, 192, 128, 133, 6,
    44, 52, 96, 161, 1, 3, 238, 5, 22, 203, 85, 165, 208, 128, 133, 6, 12, 24, 176, 93, 192, 118, 1, 219, 5, 12, 88,
    104, 192, 66, 3, 22, 26, 176, 93, 192, 118, 1, 219, 5, 12, 88, 104, 192, 66, 3, 22, 26, 48, 96, 192, 118, 253, 147,
    101, 215, 85, 165, 93, 192, 128, 133, 6, 44, 52, 96, 161, 1, 219, 5, 108, 23, 176, 93, 192, 128, 133, 6, 44, 52,
    96, 161, 1, 219, 5, 108, 23, 176, 93, 192, 128, 133, 6, 44, 52, 96, 161, 253, 147, 5, 201, 85, 165, 93, 192, 118,
    1, 219, 5, 12, 88, 104, 192, 66, 3, 22, 26, 176, 93, 192, 118, 1, 219, 5, 12, 88, 104, 192, 66, 3, 22, 26, 48, 96,
    192, 118, 1, 219, 5, 12, 88, 232, 209, 187, 9, 43, 138, 254, 3, 50, 155, 13, 219, 0, 0, 0, 0, 73, 69, 78, 68, 174,
    66, 96, 130,
];
