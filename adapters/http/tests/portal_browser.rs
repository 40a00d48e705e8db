//! The portal in a real headless Chromium, driven over WebDriver (chromedriver): log in, open a
//! ticket, see its number in the list, reply, log out.
//!
//! Without a browser the test prints that it skipped; with `CHAMADO_E2E=1` a missing browser fails.
//! `CHROMIUM` and `CHROMEDRIVER` override the binaries (default `/usr/bin/chromium`,
//! `/usr/bin/chromedriver`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Bytes;
use common::Harness;
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
    /// Ends chromedriver and the browser it started (they share the process group made for them), so
    /// a failed test leaves no browser behind.
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let group = format!("-{}", self.0.id());
            let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        }
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

/// Puts the child in a process group of its own, so it and its browser can be ended together.
fn new_process_group(cmd: &mut Command) -> &mut Command {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    cmd
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portal_in_headless_chromium() {
    let required = std::env::var("CHAMADO_E2E").is_ok_and(|v| v == "1");
    let (Some(chromium), Some(chromedriver)) =
        (binary("CHROMIUM", "/usr/bin/chromium"), binary("CHROMEDRIVER", "/usr/bin/chromedriver"))
    else {
        assert!(
            !required,
            "CHAMADO_E2E=1 but chromium or chromedriver is missing (apt-get install chromium chromium-driver)"
        );
        println!(
            "SKIPPED portal_in_headless_chromium: no chromium/chromedriver (set CHROMIUM/CHROMEDRIVER or install them)"
        );
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

    // chromedriver on another random port.
    let port = free_port();
    let _driver = Driver(
        new_process_group(Command::new(&chromedriver).arg(format!("--port={port}")))
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
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage", "--window-size=390,844"]
    }}}});
    let session = WebDriver::call(&http, "POST", &format!("{base}/session"), Some(caps)).await;
    let wd = WebDriver {
        http: http.clone(),
        base: base.clone(),
        session: session["sessionId"].as_str().unwrap().to_string(),
    };

    // Log in.
    wd.goto(&format!("{site}/portal/tickets")).await;
    wd.wait_for("the login page", |url, _| url.ends_with("/portal/login")).await;
    wd.type_into("#login", "alice").await;
    wd.type_into("#password", "pw-alice").await;
    wd.click("main form button[type=submit]").await;
    wd.wait_for("the ticket list after login", |url, _| url.ends_with("/portal/tickets")).await;

    // Open a ticket.
    wd.goto(&format!("{site}/portal/tickets/new")).await;
    wd.type_into("#subject", "Printer on fire").await;
    wd.type_into("#body", "Smoke everywhere.").await;
    wd.click("main form button[type=submit]").await;
    let is_ticket_page = |url: &str| {
        let last = url.rsplit('/').next().unwrap_or_default();
        url.contains("/portal/tickets/") && !last.is_empty() && last.chars().all(|c| c.is_ascii_digit())
    };
    let (url, source) = wd.wait_for("the new ticket's page", |url, _| is_ticket_page(url)).await;
    let number = url.rsplit('/').next().unwrap().to_string();
    assert!(source.contains("Smoke everywhere.") || wd.source().await.contains("Smoke everywhere."));

    // See its number in the list.
    wd.goto(&format!("{site}/portal/tickets")).await;
    let (_, list) = wd.wait_for("the ticket list", |_, src| src.contains("My tickets")).await;
    assert!(list.contains(&number) && list.contains("Printer on fire"));

    // Reply.
    wd.click(&format!("a[href='/portal/tickets/{number}']")).await;
    wd.wait_for("the ticket page", |url, src| {
        url.ends_with(&format!("/portal/tickets/{number}")) && src.contains("Your reply")
    })
    .await;
    wd.type_into("#body", "Fire is out now.").await;
    wd.click("main form button[type=submit]").await;
    wd.wait_for("the reply on the ticket page", |url, src| {
        url.ends_with(&format!("/portal/tickets/{number}")) && src.contains("Fire is out now.")
    })
    .await;
    let t = h.engine.ticket(&chamado::Actor::System, &number).await.unwrap();
    assert_eq!(t.articles.len(), 2);

    // Log out: back to the login page, and the list is closed again.
    wd.click("header form button[type=submit]").await;
    wd.wait_for("the login page after logout", |url, _| url.ends_with("/portal/login")).await;
    wd.goto(&format!("{site}/portal/tickets")).await;
    wd.wait_for("the login page instead of the list", |url, _| url.ends_with("/portal/login")).await;

    WebDriver::call(&http, "DELETE", &format!("{base}/session/{}", wd.session), None).await;
}
