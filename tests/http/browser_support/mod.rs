//! The browser tests' WebDriver client: starts chromedriver and a headless Chromium session, and
//! drives pages (go to, type, click, wait for a page, screenshots).
//!
//! `CHROMIUM` and `CHROMEDRIVER` override the binaries (default `/usr/bin/chromium`,
//! `/usr/bin/chromedriver`). Without them [`Browser::start`] returns `None` after printing that the test
//! skipped; with `CHAMADO_E2E=1` a missing browser fails the test.
#![allow(dead_code)]

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process (in a process group of its own, so a terminal's Ctrl-C does not reach it
/// first), killed when dropped; [`Browser::quit`] closes the browser before that.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // Only chromedriver: killing its whole process group with kill(1) also ended the shell that
        // ran the tests on the project's VMs (seen three times, cause not found).
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A WebDriver session in a headless Chromium. Ends the session (and chromedriver) when dropped.
pub struct Browser {
    http: Client<HttpConnector, Full<Bytes>>,
    base: String,
    session: String,
    _driver: Driver,
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium session with the window size
    /// `width`×`height`; `None` (after printing that `test` skipped) when there is no browser.
    pub async fn start(test: &str, width: u32, height: u32) -> Option<Browser> {
        Self::start_in(test, width, height, None).await
    }

    /// As [`Browser::start`], with the browser's language set to `lang` (e.g. `pt-BR`): its interface
    /// and the `Accept-Language` it sends, as a person's browser in that language.
    pub async fn start_in(test: &str, width: u32, height: u32, lang: Option<&str>) -> Option<Browser> {
        let required = std::env::var("CHAMADO_E2E").is_ok_and(|v| v == "1");
        let (Some(chromium), Some(chromedriver)) =
            (binary("CHROMIUM", "/usr/bin/chromium"), binary("CHROMEDRIVER", "/usr/bin/chromedriver"))
        else {
            assert!(
                !required,
                "CHAMADO_E2E=1 but chromium or chromedriver is missing (apt-get install chromium chromium-driver)"
            );
            println!("SKIPPED {test}: no chromium/chromedriver (set CHROMIUM/CHROMEDRIVER or install them)");
            return None;
        };
        let port = free_port();
        let mut command = Command::new(&chromedriver);
        command.arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        let driver = Driver(command.spawn().unwrap_or_else(|e| panic!("starting {}: {e}", chromedriver.display())));
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
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-background-networking".into(),
            "--disable-dev-shm-usage".into(),
            format!("--window-size={width},{height}"),
        ];
        let mut options = json!({"binary": chromium.to_string_lossy()});
        if let Some(lang) = lang {
            args.push(format!("--lang={lang}"));
            options["prefs"] = json!({"intl.accept_languages": lang});
        }
        options["args"] = json!(args);
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}});
        let session = call(&http, "POST", &format!("{base}/session"), Some(caps)).await;
        let session = session["sessionId"].as_str().unwrap().to_string();
        Some(Browser { http, base, session, _driver: driver })
    }

    /// Ends the browser session.
    pub async fn quit(self) {
        call(&self.http, "DELETE", &format!("{}/session/{}", self.base, self.session), None).await;
    }

    async fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        call(&self.http, method, &format!("{}/session/{}{path}", self.base, self.session), body).await
    }

    /// Opens `url`.
    pub async fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url}))).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self.cmd("POST", "/element", Some(json!({"using": "css selector", "value": css}))).await;
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}: {v}")).to_string()
    }

    /// Types `text` into the element `css` selects.
    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.cmd("POST", &format!("/element/{e}/value"), Some(json!({"text": text}))).await;
    }

    /// Clicks the element `css` selects and waits until the page it leads to has replaced the current
    /// one and loaded: a click returns before the browser navigates, and a condition checked right
    /// after it can still hold on the old page (a `?done=saved` url does, after a save that
    /// redirected to the same screen).
    pub async fn follow(&self, css: &str) {
        let mark = json!({"script": "window.__chamado_old_page = true; return true", "args": []});
        self.cmd("POST", "/execute/sync", Some(mark)).await;
        self.click(css).await;
        let started = Instant::now();
        let probe = "return document.readyState === 'complete' && window.__chamado_old_page === undefined";
        loop {
            // While the browser navigates the script may fail to run: that is "not yet".
            let url = format!("{}/session/{}/execute/sync", self.base, self.session);
            let v = try_call(&self.http, "POST", &url, Some(json!({"script": probe, "args": []}))).await;
            if v.and_then(|v| v.as_bool()) == Some(true) {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(15), "clicking {css} did not lead to a new page");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the element `css` selects (for elements that change the page in place; see
    /// [`Browser::follow`] for those that load another).
    pub async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({}))).await;
    }

    /// The current page's URL.
    pub async fn url(&self) -> String {
        self.cmd("GET", "/url", None).await.as_str().unwrap_or_default().to_string()
    }

    /// The current page's HTML.
    pub async fn source(&self) -> String {
        self.cmd("GET", "/source", None).await.as_str().unwrap_or_default().to_string()
    }

    /// Whether the current document has finished loading.
    async fn loaded(&self) -> bool {
        let state =
            self.cmd("POST", "/execute/sync", Some(json!({"script": "return document.readyState", "args": []})));
        state.await.as_str() == Some("complete")
    }

    /// Waits (up to 15 s) until the current page has loaded and its url and source satisfy `ok`: a
    /// click that submits a form returns before the next page has loaded, and the url changes before
    /// the new page's elements can be used. The url is read before and after the readiness check, so
    /// the old page's `complete` never vouches for a new url.
    pub async fn wait_for(&self, what: &str, ok: impl Fn(&str, &str) -> bool) -> (String, String) {
        let started = Instant::now();
        loop {
            let before = self.url().await;
            let loaded = self.loaded().await;
            let source = self.source().await;
            let url = self.url().await;
            if loaded && before == url && ok(&url, &source) {
                return (url, source);
            }
            assert!(started.elapsed() < Duration::from_secs(15), "waited in vain for {what}; at {url}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Makes the checkbox or option `css` selects selected, clicking it (again) until the browser
    /// reports it selected: a click is only a request, and a page still settling can swallow it.
    pub async fn select(&self, css: &str) {
        let started = Instant::now();
        loop {
            let e = self.find(css).await;
            if self.cmd("GET", &format!("/element/{e}/selected"), None).await.as_bool() == Some(true) {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(15), "{css} never became selected");
            self.cmd("POST", &format!("/element/{e}/click"), Some(json!({}))).await;
        }
    }

    /// Saves a PNG screenshot of the viewport to `docs/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let b64 = self.cmd("GET", "/screenshot", None).await;
        let png = base64_decode(b64.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Runs `script` in the page (a returned promise is awaited) and gives back its result.
    pub async fn script(&self, script: &str) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({"script": script, "args": []}))).await
    }

    /// The value of the browser's cookie `name` for the current page (HttpOnly ones too).
    pub async fn cookie(&self, name: &str) -> String {
        let v = self.cmd("GET", &format!("/cookie/{name}"), None).await;
        v["value"].as_str().unwrap_or_else(|| panic!("no cookie {name}: {v}")).to_string()
    }

    /// Resizes the window.
    pub async fn resize(&self, width: u32, height: u32) {
        self.cmd("POST", "/window/rect", Some(json!({"width": width, "height": height}))).await;
    }
}

/// A WebDriver command that may fail: its value on success, `None` otherwise.
async fn try_call(
    http: &Client<HttpConnector, Full<Bytes>>,
    method: &str,
    url: &str,
    body: Option<Value>,
) -> Option<Value> {
    let req = hyper::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.map(|b| b.to_string()).unwrap_or_default())))
        .ok()?;
    let res = http.request(req).await.ok()?;
    let ok = res.status().is_success();
    let bytes = res.into_body().collect().await.ok()?.to_bytes();
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    ok.then(|| v["value"].clone())
}

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

fn binary(var: &str, default: &str) -> Option<PathBuf> {
    let p = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(default));
    p.is_file().then_some(p)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
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
