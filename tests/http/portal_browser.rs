//! The portal in a real headless Chromium, driven over WebDriver (chromedriver): log in, open a
//! ticket with a file (listed on its page), see its number in the list, reply, get a Telegram link
//! code, log out. Screenshots of the ticket and the link page are written to `docs/screenshots/`.
//!
//! Without a browser the test prints that it skipped; with `CHAMADO_E2E=1` a missing browser fails.
//! `CHROMIUM` and `CHROMEDRIVER` override the binaries (default `/usr/bin/chromium`,
//! `/usr/bin/chromedriver`). The WebDriver client is `browser_support`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod browser_support;
mod common;

use browser_support::Browser;
use common::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portal_in_headless_chromium() {
    let Some(wd) = Browser::start("portal_in_headless_chromium", 390, 844).await else {
        return;
    };

    // The server on a random loopback port.
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    let app = h.app.clone();
    tokio::spawn(async move { axum::serve(listener, app).await });

    // Log in.
    wd.goto(&format!("{site}/portal/tickets")).await;
    wd.wait_for("the login page", |url, _| url.ends_with("/portal/login")).await;
    wd.type_into("#login", "alice").await;
    wd.type_into("#password", "pw-alice").await;
    wd.follow("main form button[type=submit]").await;
    wd.wait_for("the ticket list after login", |url, _| url.ends_with("/portal/tickets")).await;

    // Open a ticket with a file attached.
    let dir = std::env::temp_dir().join(format!("chamado-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let upload = dir.join("smoke-report.txt");
    std::fs::write(&upload, "smoke level: high\n").unwrap();
    wd.goto(&format!("{site}/portal/tickets/new")).await;
    wd.type_into("#subject", "Printer on fire").await;
    wd.type_into("#body", "Smoke everywhere.").await;
    wd.type_into("#files", upload.to_str().unwrap()).await;
    wd.follow("main form button[type=submit]").await;
    let is_ticket_page = |url: &str| {
        let last = url.rsplit('/').next().unwrap_or_default();
        url.contains("/portal/tickets/") && !last.is_empty() && last.chars().all(|c| c.is_ascii_digit())
    };
    let (url, source) = wd.wait_for("the new ticket's page", |url, _| is_ticket_page(url)).await;
    let number = url.rsplit('/').next().unwrap().to_string();
    let source = if source.contains("Smoke everywhere.") { source } else { wd.source().await };
    assert!(source.contains("Smoke everywhere."));
    // The file is listed on the ticket with its download link, and the engine keeps its bytes.
    let file_name = upload.file_name().unwrap().to_str().unwrap();
    assert!(source.contains(&format!(">{file_name}</a>")), "{source}");
    let _ = std::fs::remove_dir_all(&dir);
    let view = h.engine.ticket(&chamado::Actor::System, &number).await.unwrap();
    let file = h
        .engine
        .attachment(&chamado::Actor::customer("alice"), &number, view.articles[0].id, chamado::AttachmentRef::Index(0))
        .await
        .unwrap();
    assert_eq!((file.meta.name.as_str(), file.data.as_slice()), (file_name, &b"smoke level: high\n"[..]));

    // See its number in the list.
    wd.goto(&format!("{site}/portal/tickets")).await;
    let (_, list) = wd.wait_for("the ticket list", |_, src| src.contains("My tickets")).await;
    assert!(list.contains(&number) && list.contains("Printer on fire"));

    // Reply.
    wd.follow(&format!("a[href='/portal/tickets/{number}']")).await;
    wd.wait_for("the ticket page", |url, src| {
        url.ends_with(&format!("/portal/tickets/{number}")) && src.contains("Your reply")
    })
    .await;
    wd.type_into("#body", "Fire is out now.").await;
    wd.follow("main form button[type=submit]").await;
    wd.wait_for("the reply on the ticket page", |url, src| {
        url.ends_with(&format!("/portal/tickets/{number}")) && src.contains("Fire is out now.")
    })
    .await;
    let t = h.engine.ticket(&chamado::Actor::System, &number).await.unwrap();
    assert_eq!(t.articles.len(), 2);
    wd.screenshot("portal-ticket").await;

    // Link Telegram: the nav link, a code on request, and the bot's redemption binds the chat to alice.
    wd.follow("header nav a[href='/portal/link-telegram']").await;
    wd.wait_for("the Telegram link page", |url, src| {
        url.ends_with("/portal/link-telegram") && src.contains("Get a link code")
    })
    .await;
    wd.follow("main form button[type=submit]").await;
    let (_, page) = wd.wait_for("the link code", |_, src| src.contains("id=\"link-code\"")).await;
    let start = page.find("id=\"link-code\">").unwrap() + "id=\"link-code\">".len();
    let code = page[start..].split('<').next().unwrap().to_string();
    assert!(page.contains(&format!("/link {code}")), "{page}");
    wd.screenshot("portal-link-telegram").await;
    let bound = h.engine.redeem_link_code("telegram", &code, "tg:1001").await.unwrap();
    assert_eq!(bound.as_deref(), Ok("alice"));

    // Log out: back to the login page, and the list is closed again.
    wd.follow("header form button[type=submit]").await;
    wd.wait_for("the login page after logout", |url, _| url.ends_with("/portal/login")).await;
    wd.goto(&format!("{site}/portal/tickets")).await;
    wd.wait_for("the login page instead of the list", |url, _| url.ends_with("/portal/login")).await;

    wd.quit().await;
}
