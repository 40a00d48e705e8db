//! A Bot API stand-in on loopback: `getMe`, `getUpdates` (long polling, honouring `offset`),
//! `sendMessage` (recorded; responses can be scripted), `sendDocument`, `getFile`, `deleteWebhook`,
//! `setWebhook` and the `/file/bot<token>/<path>` download, in the documented JSON.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

pub const TOKEN: &str = "123456:TEST-token_abc";
pub const BOT_ID: u64 = 999;
pub const BOT_USERNAME: &str = "helpdesk_bot";

#[derive(Default)]
struct Inner {
    next_update_id: u64,
    next_message_id: i64,
    updates: Vec<Value>,
    /// Served once on the next getUpdates whatever the offset (at-least-once delivery).
    replays: Vec<Value>,
    sent: Vec<Value>,
    documents: Vec<String>,
    /// Responses for the next calls of a method (lowercase name): `None` answers normally.
    script: HashMap<String, VecDeque<Option<(u16, Value)>>>,
    files: HashMap<String, (String, Vec<u8>)>,
    offsets: Vec<i64>,
    calls: Vec<String>,
}

pub struct Shared {
    inner: Mutex<Inner>,
    notify: Notify,
}

#[derive(Clone)]
pub struct StandIn {
    pub url: String,
    shared: Arc<Shared>,
}

fn ok(result: Value) -> Response {
    (StatusCode::OK, axum::Json(json!({"ok": true, "result": result}))).into_response()
}

fn err(code: u16, description: &str, parameters: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": code, "description": description});
    if let Some(p) = parameters {
        body["parameters"] = p;
    }
    (StatusCode::from_u16(code).unwrap(), axum::Json(body)).into_response()
}

fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "Helpdesk", "username": BOT_USERNAME})
}

impl StandIn {
    pub async fn start() -> StandIn {
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner { next_update_id: 1000, next_message_id: 50_000, ..Default::default() }),
            notify: Notify::new(),
        });
        let app = Router::new()
            .route("/{bot}/{method}", post(method))
            .route("/file/{bot}/{*path}", get(file))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        StandIn { url: format!("http://{addr}"), shared }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.shared.inner.lock().unwrap()
    }

    /// Queues an update with the next id; returns the whole update.
    pub fn push(&self, kind: &str, payload: Value) -> Value {
        let mut inner = self.lock();
        inner.next_update_id += 1;
        let update = json!({"update_id": inner.next_update_id, kind: payload});
        inner.updates.push(update.clone());
        drop(inner);
        self.shared.notify.notify_waiters();
        update
    }

    /// Delivers an update again on the next getUpdates, even if confirmed (Telegram's at-least-once
    /// delivery, e.g. after a crash before the offset was confirmed).
    pub fn redeliver(&self, update: &Value) {
        self.lock().replays.push(update.clone());
        self.shared.notify.notify_waiters();
    }

    pub fn next_message_id(&self) -> i64 {
        let mut inner = self.lock();
        inner.next_message_id += 1;
        inner.next_message_id
    }

    /// A private-chat text message from `user`.
    pub fn message(&self, user: u64, text: &str) -> Value {
        json!({
            "message_id": self.next_message_id(),
            "date": 1_764_000_000,
            "chat": {"id": user, "type": "private", "first_name": format!("User{user}")},
            "from": {"id": user, "is_bot": false, "first_name": format!("User{user}"), "last_name": "Tester"},
            "text": text,
        })
    }

    pub fn send_text(&self, user: u64, text: &str) -> Value {
        let m = self.message(user, text);
        self.push("message", m)
    }

    /// Registers a downloadable file.
    pub fn add_file(&self, file_id: &str, path: &str, data: &[u8]) {
        self.lock().files.insert(file_id.to_string(), (path.to_string(), data.to_vec()));
    }

    /// Scripts the answers to the next sendMessage calls.
    pub fn script_send(&self, responses: Vec<Option<(u16, Value)>>) {
        self.script("sendmessage", responses);
    }

    /// Scripts the answers to the next calls of `method` (lowercase).
    pub fn script(&self, method: &str, responses: Vec<Option<(u16, Value)>>) {
        self.lock().script.entry(method.to_string()).or_default().extend(responses);
    }

    pub fn documents(&self) -> Vec<String> {
        self.lock().documents.clone()
    }

    pub fn sent(&self) -> Vec<Value> {
        self.lock().sent.clone()
    }

    pub fn sent_to(&self, chat: u64) -> Vec<String> {
        self.sent()
            .into_iter()
            .filter(|m| m["chat_id"].as_i64() == Some(chat as i64) || m["chat_id"].as_str() == Some(&chat.to_string()))
            .map(|m| m["text"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    pub fn calls(&self) -> Vec<String> {
        self.lock().calls.clone()
    }

    pub fn offsets(&self) -> Vec<i64> {
        self.lock().offsets.clone()
    }

    /// Waits until a message to `chat` satisfies `pred`; returns its text.
    pub async fn wait_for(&self, chat: u64, pred: impl Fn(&str) -> bool) -> String {
        for _ in 0..500 {
            if let Some(t) = self.sent_to(chat).into_iter().find(|t| pred(t)) {
                return t;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("no matching message to chat {chat}; sent: {:#?}", self.sent_to(chat));
    }

    /// Waits until `n` messages went to `chat`.
    pub async fn wait_count(&self, chat: u64, n: usize) -> Vec<String> {
        for _ in 0..500 {
            let s = self.sent_to(chat);
            if s.len() >= n {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("expected {n} messages to chat {chat}; sent: {:#?}", self.sent_to(chat));
    }
}

fn params(body: &Bytes) -> Value {
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

async fn method(State(s): State<Arc<Shared>>, Path((bot, method)): Path<(String, String)>, body: Bytes) -> Response {
    if bot != format!("bot{TOKEN}") {
        return err(401, "Unauthorized", None);
    }
    // Bot API method names are case-insensitive (teloxide sends `GetMe`).
    let method = method.to_ascii_lowercase();
    {
        let mut inner = s.inner.lock().unwrap();
        inner.calls.push(method.clone());
        if let Some(Some((code, body))) = inner.script.get_mut(&method).and_then(VecDeque::pop_front) {
            let params = body.get("parameters").cloned();
            return err(code, body["description"].as_str().unwrap_or("error"), params);
        }
    }
    let p = params(&body);
    match method.as_str() {
        "getme" => ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "Helpdesk", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false
        })),
        "deletewebhook" | "setwebhook" => ok(json!(true)),
        "getupdates" => get_updates(&s, &p).await,
        "sendmessage" => {
            let mut inner = s.inner.lock().unwrap();
            inner.sent.push(p.clone());
            inner.next_message_id += 1;
            let id = inner.next_message_id;
            ok(json!({
                "message_id": id, "date": 1_764_000_000,
                "chat": {"id": p["chat_id"], "type": "private", "first_name": "User"},
                "from": bot_user(),
                "text": p["text"],
            }))
        }
        "senddocument" => {
            let mut inner = s.inner.lock().unwrap();
            inner.documents.push(String::from_utf8_lossy(&body).into_owned());
            inner.next_message_id += 1;
            let id = inner.next_message_id;
            ok(json!({
                "message_id": id, "date": 1_764_000_000,
                "chat": {"id": 1, "type": "private", "first_name": "User"},
                "from": bot_user(),
                "document": {"file_id": "out", "file_unique_id": "out-u", "file_size": 1}
            }))
        }
        "getfile" => {
            let inner = s.inner.lock().unwrap();
            let id = p["file_id"].as_str().unwrap_or_default();
            match inner.files.get(id) {
                Some((path, data)) => ok(json!({
                    "file_id": id, "file_unique_id": format!("{id}-u"), "file_size": data.len(), "file_path": path
                })),
                None => err(400, "Bad Request: invalid file_id", None),
            }
        }
        _ => err(404, "Not Found: method not found", None),
    }
}

async fn get_updates(s: &Arc<Shared>, p: &Value) -> Response {
    let offset = p["offset"].as_i64().unwrap_or(0);
    let timeout = p["timeout"].as_u64().unwrap_or(0).min(5);
    let limit = p["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        let notified = s.notify.notified();
        {
            let mut inner = s.inner.lock().unwrap();
            inner.offsets.push(offset);
            if offset > 0 {
                inner.updates.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
            }
            let mut batch: Vec<Value> = std::mem::take(&mut inner.replays);
            batch.extend(inner.updates.iter().take(limit).cloned());
            if !batch.is_empty() || tokio::time::Instant::now() >= deadline {
                return ok(Value::Array(batch));
            }
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

async fn file(State(s): State<Arc<Shared>>, Path((bot, path)): Path<(String, String)>) -> Response {
    if bot != format!("bot{TOKEN}") {
        return (StatusCode::UNAUTHORIZED, "Unauthorized").into_response();
    }
    let inner = s.inner.lock().unwrap();
    match inner.files.values().find(|(p, _)| *p == path) {
        Some((_, data)) => (StatusCode::OK, data.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, "Not Found").into_response(),
    }
}

/// The first ticket number tagged `[Ticket#N]` in `text`.
pub fn ticket_number(text: &str) -> String {
    let start = text.find("Ticket#").expect("no ticket tag") + "Ticket#".len();
    text[start..].chars().take_while(char::is_ascii_digit).collect()
}
