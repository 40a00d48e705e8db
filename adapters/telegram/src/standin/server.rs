//! The stand-in's HTTP side: its state and the Bot API methods it answers.

use super::{BOT_ID, BOT_USERNAME, TOKEN};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::sync::Notify;

/// The longest getUpdates wait honoured, so a stopping bot is never held long.
const MAX_POLL_TIMEOUT_SECS: u64 = 5;

/// What the stand-in has seen and will answer.
#[derive(Default)]
pub(super) struct Inner {
    pub(super) next_update_id: u64,
    pub(super) next_message_id: i64,
    pub(super) updates: Vec<Value>,
    /// Served once on the next getUpdates whatever the offset (at-least-once delivery).
    pub(super) replays: Vec<Value>,
    pub(super) sent: Vec<Value>,
    pub(super) documents: Vec<String>,
    /// Responses for the next calls of a method (lowercase name): `None` answers normally.
    pub(super) script: HashMap<String, VecDeque<Option<(u16, Value)>>>,
    pub(super) files: HashMap<String, (String, Vec<u8>)>,
    pub(super) offsets: Vec<i64>,
    pub(super) calls: Vec<String>,
    /// The parameters of every setMyCommands call.
    pub(super) my_commands: Vec<Value>,
}

/// The state shared by the handlers and the test's [`super::StandIn`].
pub(super) struct Shared {
    pub(super) inner: Mutex<Inner>,
    /// Wakes long polls when an update is queued.
    pub(super) notify: Notify,
    /// Wakes waiting tests when the bot sent a message.
    pub(super) sent_notify: Notify,
}

impl Shared {
    pub(super) fn new() -> Shared {
        Shared {
            inner: Mutex::new(Inner { next_update_id: 1000, next_message_id: 50_000, ..Default::default() }),
            notify: Notify::new(),
            sent_notify: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The routes: `/bot<token>/<method>` and `/file/bot<token>/<path>`.
pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new().route("/{bot}/{method}", post(method)).route("/file/{bot}/{*path}", get(file)).with_state(shared)
}

fn ok(result: Value) -> Response {
    (StatusCode::OK, axum::Json(json!({"ok": true, "result": result}))).into_response()
}

fn err(code: u16, description: &str, parameters: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": code, "description": description});
    if let Some(p) = parameters {
        body["parameters"] = p;
    }
    (StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST), axum::Json(body)).into_response()
}

fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "Helpdesk", "username": BOT_USERNAME})
}

fn authorized(bot: &str) -> bool {
    bot.strip_prefix("bot") == Some(TOKEN)
}

async fn method(State(s): State<Arc<Shared>>, Path((bot, method)): Path<(String, String)>, body: Bytes) -> Response {
    if !authorized(&bot) {
        return err(401, "Unauthorized", None);
    }
    // Bot API method names are case-insensitive (teloxide sends `GetMe`).
    let method = method.to_ascii_lowercase();
    {
        let mut inner = s.lock();
        inner.calls.push(method.clone());
        if let Some(Some((code, body))) = inner.script.get_mut(&method).and_then(VecDeque::pop_front) {
            let params = body.get("parameters").cloned();
            return err(code, body["description"].as_str().unwrap_or("error"), params);
        }
    }
    let p: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match method.as_str() {
        "getme" => ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "Helpdesk", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false
        })),
        "deletewebhook" | "setwebhook" => ok(json!(true)),
        "setmycommands" => {
            s.lock().my_commands.push(p);
            ok(json!(true))
        }
        "getupdates" => get_updates(&s, &p).await,
        "sendmessage" => {
            let id = {
                let mut inner = s.lock();
                inner.sent.push(p.clone());
                inner.next_message_id += 1;
                inner.next_message_id
            };
            s.sent_notify.notify_waiters();
            ok(json!({
                "message_id": id, "date": 1_764_000_000,
                "chat": {"id": p["chat_id"], "type": "private", "first_name": "User"},
                "from": bot_user(),
                "text": p["text"],
            }))
        }
        "senddocument" => {
            let mut inner = s.lock();
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
            let inner = s.lock();
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
    let timeout = p["timeout"].as_u64().unwrap_or(0).min(MAX_POLL_TIMEOUT_SECS);
    let limit = usize::try_from(p["limit"].as_u64().unwrap_or(100).clamp(1, 100)).unwrap_or(100);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        let notified = s.notify.notified();
        {
            let mut inner = s.lock();
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
    if !authorized(&bot) {
        return (StatusCode::UNAUTHORIZED, "Unauthorized").into_response();
    }
    let inner = s.lock();
    match inner.files.values().find(|(p, _)| *p == path) {
        Some((_, data)) => (StatusCode::OK, data.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, "Not Found").into_response(),
    }
}
