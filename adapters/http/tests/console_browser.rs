//! The agent and admin console in a real headless Chromium, driven over WebDriver (chromedriver): an
//! admin creates a customer and a customer user and grants `ro` on a group; an agent opens a phone
//! ticket for that customer user, replies and closes it; the customer user sees it in the portal.
//! Screenshots of the main screens are written to `docs/screenshots/`.
//!
//! Without a browser the test prints that it skipped; with `CHAMADO_E2E=1` a missing browser fails.
//! `CHROMIUM` and `CHROMEDRIVER` override the binaries (default `/usr/bin/chromium`,
//! `/usr/bin/chromedriver`). The WebDriver client is the portal browser test's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::body::Bytes;
use common::Harness;
use console_support::set_password;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process, killed when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A minimal WebDriver client.
struct WebDriver {
    http: Client<HttpConnector, Full<Bytes>>,
    base: String,
    session: String,
}

impl WebDriver {
    async fn call(http: &Client<HttpConnector, Full<Bytes>>, method: &str, url: &str, body: Option<Value>) -> Value {
        let req = hyper::Request::builder()
            .method(method)
            .uri(url)
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body.map(|b| b.to_string()).unwrap_or_default())))
            .unwrap();
        let res = http.request(req).await.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert!(status.is_success(), "WebDriver {method} {url} -> {status}: {v}");
        v["value"].clone()
    }

    async fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        Self::call(&self.http, method, &format!("{}/session/{}{path}", self.base, self.session), body).await
    }

    async fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url}))).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self.cmd("POST", "/element", Some(json!({"using": "css selector", "value": css}))).await;
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}: {v}")).to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.cmd("POST", &format!("/element/{e}/value"), Some(json!({"text": text}))).await;
    }

    async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({}))).await;
    }

    async fn url(&self) -> String {
        self.cmd("GET", "/url", None).await.as_str().unwrap_or_default().to_string()
    }

    async fn source(&self) -> String {
        self.cmd("GET", "/source", None).await.as_str().unwrap_or_default().to_string()
    }

    /// Waits (up to 15 s) until the current page's url and source satisfy `ok`: a click that submits a
    /// form returns before the next page has loaded.
    async fn wait_for(&self, what: &str, ok: impl Fn(&str, &str) -> bool) -> (String, String) {
        let started = Instant::now();
        loop {
            let (url, source) = (self.url().await, self.source().await);
            if ok(&url, &source) {
                return (url, source);
            }
            assert!(started.elapsed() < Duration::from_secs(15), "waited in vain for {what}; at {url}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn binary(var: &str, default: &str) -> Option<PathBuf> {
    let p = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(default));
    p.is_file().then_some(p)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl WebDriver {
    /// Saves a PNG screenshot of the viewport to `docs/screenshots/<name>.png`.
    async fn screenshot(&self, name: &str) {
        let b64 = self.cmd("GET", "/screenshot", None).await;
        let png = base64_decode(b64.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    async fn resize(&self, width: u32, height: u32) {
        self.cmd("POST", "/window/rect", Some(json!({"width": width, "height": height}))).await;
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let digits: Vec<u32> = s.bytes().filter_map(val).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, d)| acc | (d << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_in_headless_chromium() {
    let required = std::env::var("CHAMADO_E2E").is_ok_and(|v| v == "1");
    let (Some(chromium), Some(chromedriver)) =
        (binary("CHROMIUM", "/usr/bin/chromium"), binary("CHROMEDRIVER", "/usr/bin/chromedriver"))
    else {
        assert!(
            !required,
            "CHAMADO_E2E=1 but chromium or chromedriver is missing (apt-get install chromium chromium-driver)"
        );
        println!(
            "SKIPPED console_in_headless_chromium: no chromium/chromedriver (set CHROMIUM/CHROMEDRIVER or install them)"
        );
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

    let port = free_port();
    let _driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", chromedriver.display())),
    );
    let base = format!("http://127.0.0.1:{port}");
    let http: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let started = Instant::now();
    loop {
        let req = hyper::Request::get(format!("{base}/status")).body(Full::new(Bytes::new())).unwrap();
        if http.request(req).await.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
        "binary": chromium.to_string_lossy(),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage", "--window-size=1280,900"]
    }}}});
    let session = WebDriver::call(&http, "POST", &format!("{base}/session"), Some(caps)).await;
    let wd = WebDriver {
        http: http.clone(),
        base: base.clone(),
        session: session["sessionId"].as_str().unwrap().to_string(),
    };

    // The admin logs in.
    wd.goto(&format!("{site}/admin")).await;
    wd.wait_for("the agent login page", |url, _| url.ends_with("/agent/login")).await;
    wd.type_into("#login", "admin").await;
    wd.type_into("#password", "pw-admin").await;
    wd.click("main form button[type=submit]").await;
    wd.wait_for("the queue view", |url, _| url.ends_with("/agent")).await;

    // A customer.
    wd.goto(&format!("{site}/admin/customers")).await;
    wd.type_into("#id", "globex").await;
    wd.type_into("#name", "Globex Corporation").await;
    wd.type_into("#city", "Springfield").await;
    wd.click("form[method=post][action='/admin/customers'] button[type=submit]").await;
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
    wd.click("form[method=post][action='/admin/customer-users'] button[type=submit]").await;
    wd.wait_for("the customer user's groups", |url, _| url.contains("/admin/customer-users/bob/groups")).await;

    // Grant ro on users, Save.
    wd.click("#p-users-ro").await;
    wd.click("button[value=save]").await;
    let (_, src) =
        wd.wait_for("the saved grants", |url, src| url.contains("done=saved") && src.contains("Saved.")).await;
    assert!(src.contains("id=\"p-users-ro\" name=\"p:users:ro\" value=\"1\" checked"), "{src}");
    wd.screenshot("console-admin-customer-user-groups").await;

    // The admin logs out; the agent logs in.
    wd.click("header form button[type=submit]").await;
    wd.wait_for("the login page after logout", |url, _| url.ends_with("/agent/login")).await;
    wd.type_into("#login", "ana").await;
    wd.type_into("#password", "pw-ana").await;
    wd.click("main form button[type=submit]").await;
    wd.wait_for("the queue view", |url, _| url.ends_with("/agent")).await;

    // A phone ticket for bob.
    wd.goto(&format!("{site}/agent/tickets/new")).await;
    wd.type_into("#search", "bob").await;
    wd.click("form[role=search] button[type=submit]").await;
    wd.wait_for("the customer user search", |_, src| src.contains("customer_user=bob")).await;
    wd.click("a[href='/agent/tickets/new?customer_user=bob']").await;
    wd.wait_for("the phone ticket form", |_, src| src.contains("id=\"picked\"")).await;
    wd.screenshot("console-phone-ticket").await;
    wd.click("#queue option[value='Raw']").await;
    wd.type_into("#title", "Printer on fire").await;
    wd.type_into("#body", "Bob called: smoke everywhere.").await;
    wd.click("form[method=post][action='/agent/tickets/new'] button[type=submit]").await;
    let (url, _) = wd.wait_for("the new ticket", |url, _| url.contains("done=created")).await;
    let number = url.split("/agent/tickets/").nth(1).unwrap().split('?').next().unwrap().to_string();
    let t = h.engine.ticket(&chamado::Actor::System, &number).await.unwrap();
    assert_eq!(t.ticket.channel.as_str(), "phone");
    assert_eq!(t.ticket.customer_user.as_deref(), Some("bob"));

    // Reply.
    wd.click("#act-reply summary").await;
    wd.type_into("#reply-body", "We are sending a technician.").await;
    wd.click("form[action$='/reply'] button[type=submit]").await;
    wd.wait_for("the reply", |url, src| url.contains("done=reply") && src.contains("We are sending a technician."))
        .await;

    // The queue view with the ticket.
    wd.goto(&format!("{site}/agent")).await;
    wd.wait_for("the queue view", |_, src| src.contains(&number)).await;
    wd.screenshot("console-queue-view").await;

    // Close it.
    wd.goto(&format!("{site}/agent/tickets/{number}")).await;
    wd.click("#act-state summary").await;
    wd.click("#state option[value='closed successful']").await;
    wd.click("form[action$='/state'] button[type=submit]").await;
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
    wd.click("main form button[type=submit]").await;
    wd.wait_for("the portal list", |url, src| url.ends_with("/portal/tickets") && src.contains(&number)).await;
    wd.goto(&format!("{site}/portal/tickets/{number}")).await;
    wd.wait_for("the ticket in the portal", |_, src| src.contains("We are sending a technician.")).await;

    WebDriver::call(&http, "DELETE", &format!("{base}/session/{}", wd.session), None).await;
}
