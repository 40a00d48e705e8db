//! A Bot API stand-in on loopback, for tests of this adapter and of hosts that run the bot (feature
//! `standin`): `getMe`, `getUpdates` (long polling, honouring `offset`), `sendMessage` (recorded;
//! responses can be scripted), `sendDocument`, `getFile`, `deleteWebhook`, `setWebhook`,
//! `setMyCommands` (recorded) and the
//! `/file/bot<token>/<path>` download, in the documented JSON.
//!
//! Point a bot at it with [`TOKEN`] and [`StandIn::url`] ([`crate::TelegramConfig::token`] and
//! [`crate::TelegramConfig::api_url`]; `TELEGRAM_BOT_TOKEN` and `TELEGRAM_API_URL` for the `helpdesk`
//! example); inject messages with [`StandIn::send_text`] and
//! watch what the bot sends with [`StandIn::wait_for`].

mod server;

use serde_json::{Value, json};
use server::{Inner, Shared};
use std::sync::{Arc, MutexGuard, PoisonError};
use std::time::Duration;

/// The only bot token the stand-in accepts; any other answers 401 like Telegram.
pub const TOKEN: &str = "123456:TEST-token_abc";
/// The bot's user id (`getMe`).
pub const BOT_ID: u64 = 999;
/// The bot's username (`getMe`).
pub const BOT_USERNAME: &str = "helpdesk_bot";
/// How long [`StandIn::wait_for`] and [`StandIn::wait_count`] wait by default.
pub const DEFAULT_PATIENCE: Duration = Duration::from_secs(30);

/// The bot did not send what a test waited for in time.
#[derive(Debug, thiserror::Error)]
#[error("{expected} to chat {chat} within {patience:?}; sent there: {sent:#?}")]
pub struct WaitTimeout {
    /// What was awaited.
    pub expected: String,
    /// The chat.
    pub chat: u64,
    /// How long it waited.
    pub patience: Duration,
    /// The texts sent to the chat meanwhile.
    pub sent: Vec<String>,
}

/// A running stand-in; clones share its state. It serves until the tokio runtime stops.
#[derive(Clone)]
pub struct StandIn {
    /// The base URL to use as the Bot API URL, e.g. `http://127.0.0.1:40123`.
    pub url: String,
    patience: Duration,
    shared: Arc<Shared>,
}

impl StandIn {
    /// Starts serving on a free loopback port (needs a tokio runtime).
    pub async fn start() -> std::io::Result<StandIn> {
        let shared = Arc::new(Shared::new());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = server::router(shared.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!("telegram stand-in stopped serving: {e}");
            }
        });
        Ok(StandIn { url: format!("http://{addr}"), patience: DEFAULT_PATIENCE, shared })
    }

    /// Waits `patience` instead of [`DEFAULT_PATIENCE`] in [`StandIn::wait_for`] and [`StandIn::wait_count`].
    pub fn with_patience(mut self, patience: Duration) -> StandIn {
        self.patience = patience;
        self
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A test that panicked while holding the lock must not hide the state from the others.
        self.shared.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues an update of `kind` (e.g. `message`) with the next id; returns the whole update.
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

    /// A fresh message id.
    pub fn next_message_id(&self) -> i64 {
        let mut inner = self.lock();
        inner.next_message_id += 1;
        inner.next_message_id
    }

    /// A private-chat text message from `user` (not queued; see [`StandIn::send_text`]).
    pub fn message(&self, user: u64, text: &str) -> Value {
        json!({
            "message_id": self.next_message_id(),
            "date": 1_764_000_000,
            "chat": {"id": user, "type": "private", "first_name": format!("User{user}")},
            "from": {"id": user, "is_bot": false, "first_name": format!("User{user}"), "last_name": "Tester"},
            "text": text,
        })
    }

    /// Queues a private-chat text message from `user`; returns the update.
    pub fn send_text(&self, user: u64, text: &str) -> Value {
        let m = self.message(user, text);
        self.push("message", m)
    }

    /// Queues a private-chat text message from `user` whose Telegram app is set to `language_code`
    /// (as Telegram sends it, e.g. `pt-br`); returns the update.
    pub fn send_text_in(&self, user: u64, text: &str, language_code: &str) -> Value {
        let mut m = self.message(user, text);
        m["from"]["language_code"] = json!(language_code);
        self.push("message", m)
    }

    /// Registers a downloadable file.
    pub fn add_file(&self, file_id: &str, path: &str, data: &[u8]) {
        self.lock().files.insert(file_id.to_string(), (path.to_string(), data.to_vec()));
    }

    /// Scripts the answers to the next sendMessage calls: `Some((status, {"description": ..,
    /// "parameters": ..}))` answers that error, `None` answers normally.
    pub fn script_send(&self, responses: Vec<Option<(u16, Value)>>) {
        self.script("sendmessage", responses);
    }

    /// Scripts the answers to the next calls of `method` (lowercase), like [`StandIn::script_send`].
    pub fn script(&self, method: &str, responses: Vec<Option<(u16, Value)>>) {
        self.lock().script.entry(method.to_string()).or_default().extend(responses);
    }

    /// The raw bodies of the sendDocument calls.
    pub fn documents(&self) -> Vec<String> {
        self.lock().documents.clone()
    }

    /// The parameters of every sendMessage call, in order.
    pub fn sent(&self) -> Vec<Value> {
        self.lock().sent.clone()
    }

    /// The texts sent to `chat`, in order.
    pub fn sent_to(&self, chat: u64) -> Vec<String> {
        self.sent()
            .into_iter()
            .filter(|m| m["chat_id"].as_u64() == Some(chat) || m["chat_id"].as_str() == Some(&chat.to_string()))
            .map(|m| m["text"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// The methods called (lowercase), in order.
    pub fn calls(&self) -> Vec<String> {
        self.lock().calls.clone()
    }

    /// The parameters of every setMyCommands call (`commands`, and `language_code` when given), in order.
    pub fn my_commands(&self) -> Vec<Value> {
        self.lock().my_commands.clone()
    }

    /// The `offset` of every getUpdates call, in order.
    pub fn offsets(&self) -> Vec<i64> {
        self.lock().offsets.clone()
    }

    /// Waits until a message to `chat` satisfies `pred`; returns its text.
    pub async fn wait_for(&self, chat: u64, pred: impl Fn(&str) -> bool) -> Result<String, WaitTimeout> {
        let deadline = tokio::time::Instant::now() + self.patience;
        loop {
            let sent = self.sent_to(chat);
            if let Some(t) = sent.iter().find(|t| pred(t)) {
                return Ok(t.clone());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(self.timeout("a matching message".into(), chat, sent));
            }
            self.changed(deadline).await;
        }
    }

    /// Waits until at least `n` messages went to `chat`; returns all of them.
    pub async fn wait_count(&self, chat: u64, n: usize) -> Result<Vec<String>, WaitTimeout> {
        let deadline = tokio::time::Instant::now() + self.patience;
        loop {
            let sent = self.sent_to(chat);
            if sent.len() >= n {
                return Ok(sent);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(self.timeout(format!("{n} messages"), chat, sent));
            }
            self.changed(deadline).await;
        }
    }

    /// Returns when the bot sent something, or at `deadline`; a short tick also covers a send that
    /// landed between reading the state and subscribing.
    async fn changed(&self, deadline: tokio::time::Instant) {
        let tick = tokio::time::Instant::now() + Duration::from_millis(50);
        let _ = tokio::time::timeout_at(deadline.min(tick), self.shared.sent_notify.notified()).await;
    }

    fn timeout(&self, expected: String, chat: u64, sent: Vec<String>) -> WaitTimeout {
        WaitTimeout { expected, chat, patience: self.patience, sent }
    }
}

/// The first ticket number tagged `Ticket#N` in `text`, if any.
pub fn ticket_number(text: &str) -> Option<String> {
    let start = text.find("Ticket#")? + "Ticket#".len();
    let number: String = text[start..].chars().take_while(char::is_ascii_digit).collect();
    Some(number).filter(|n| !n.is_empty())
}
