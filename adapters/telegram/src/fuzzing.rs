//! Arbitrary bytes as a Telegram update (feature `fuzzing`): the driver shared by the
//! `telegram_update` fuzz target (`fuzz/fuzz_targets/telegram_update.rs`) and the seed replay test
//! (`tests/fuzz_seeds.rs`), so both check the same thing.
//!
//! The bytes are parsed as the Bot API's `Update` JSON, as the webhook and `getUpdates` do; a parsed
//! update goes through [`TelegramBot::handle_update`] on a fresh [`Fixture`] (memory store, fixed
//! clock, one chat with an open ticket), so a finding replays on its own. The properties: nothing
//! panics, and `handle_update` fails only transiently (the Bot API is unreachable here, so answers in
//! the chat fail quietly and file downloads fail as transient, as when Telegram is down).

use crate::bot::{BotInfo, Inner, TelegramBot};
use crate::config::TelegramConfig;
use crate::error::TelegramError;
use chamado::{Customer, CustomerUser, Engine, FixedClock, MemoryStore, Timestamp};
use std::sync::{Arc, OnceLock, RwLock};
use teloxide::types::Update;

/// The fixture's fixed time, so ticket numbers are the same in every run (seeds can name them).
pub const NOW_UNIX_SECONDS: i64 = 1_795_819_072;

/// The Telegram user (and private chat) that has an open, active ticket in every fixture.
pub const KNOWN_USER: u64 = 4242;

/// [`KNOWN_USER`]'s private chat.
pub const KNOWN_CHAT: i64 = 4242;

/// The bot's user id, as `getMe` would say.
pub const BOT_ID: u64 = 999;

/// The bot's username, for commands like `/new@helpdesk_bot`.
pub const BOT_USERNAME: &str = "helpdesk_bot";

/// A Bot API URL where nothing listens: every call fails at once with a network error.
const UNREACHABLE_API: &str = "http://127.0.0.1:1";

/// What went wrong: the fixture could not be built (a bug of the driver), or a property failed.
#[derive(Debug, thiserror::Error)]
pub enum Finding {
    /// Building the fixture failed.
    #[error("building the fixture: {0}")]
    Setup(String),
    /// `handle_update` failed for good on an update.
    #[error("handle_update failed for good (not transient): {0}")]
    Permanent(TelegramError),
}

/// A bot on a seeded engine.
pub struct Fixture {
    /// The bot under test.
    pub bot: TelegramBot,
    /// Its engine.
    pub engine: Engine,
    /// The number of [`KNOWN_USER`]'s active ticket.
    pub ticket: String,
}

fn setup<E: std::fmt::Display>(what: &'static str) -> impl FnOnce(E) -> Finding {
    move |e| Finding::Setup(format!("{what}: {e}"))
}

/// One teloxide client for the process: building one loads TLS roots, far slower than an update.
fn client() -> Result<teloxide::Bot, Finding> {
    static BOT: OnceLock<Result<teloxide::Bot, String>> = OnceLock::new();
    let built = BOT.get_or_init(|| {
        let config = TelegramConfig::new("123456:FUZZ-token").with_api_url(UNREACHABLE_API);
        TelegramBot::new(Engine::builder(MemoryStore::new()).build().map_err(|e| e.to_string())?, config)
            .map(|b| b.inner.bot.clone())
            .map_err(|e| e.to_string())
    });
    built.clone().map_err(Finding::Setup)
}

/// A plain text message update from `user` in their private chat (parse it from its text: teloxide's
/// `Update` does not deserialize from a `serde_json::Value`).
pub fn text_update(update_id: u32, message_id: i32, user: u64, text: &str) -> serde_json::Value {
    serde_json::json!({
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": 1_764_000_000,
            "chat": {"id": user, "type": "private", "first_name": "Kim"},
            "from": {"id": user, "is_bot": false, "first_name": "Kim", "last_name": "Tester"},
            "text": text,
        }
    })
}

impl Fixture {
    /// An engine on a memory store at [`NOW_UNIX_SECONDS`] with OTRS's defaults and customer `acme`
    /// with customer user `alice`; a bot (known as [`BOT_USERNAME`]) whose Bot API is unreachable; and
    /// [`KNOWN_USER`], who opened a ticket by chat (it is their chat's active ticket).
    pub async fn new() -> Result<Fixture, Finding> {
        let clock = Arc::new(FixedClock::new(Timestamp::from_unix_seconds(NOW_UNIX_SECONDS)));
        let engine = Engine::builder(MemoryStore::new()).clock(clock).build().map_err(setup("engine"))?;
        engine.seed_defaults("admin").await.map_err(setup("seed"))?;
        let admin = engine.admin(&chamado::Actor::System).await.map_err(setup("admin"))?;
        admin.put_customer(Customer::new("acme", "Acme Inc.")).await.map_err(setup("customer"))?;
        admin
            .put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme"))
            .await
            .map_err(setup("customer user"))?;
        let config = TelegramConfig::new("123456:FUZZ-token").with_api_url(UNREACHABLE_API);
        let bot = TelegramBot {
            inner: Arc::new(Inner {
                engine: engine.clone(),
                bot: client()?,
                config,
                me: RwLock::new(Some(BotInfo { id: BOT_ID, username: BOT_USERNAME.into() })),
                serial: tokio::sync::Mutex::new(()),
            }),
        };
        // From bytes, as Telegram's come: teloxide's `Update` does not deserialize from a `Value`.
        let first = text_update(1, 1, KNOWN_USER, "The printer jams on tray 2.").to_string();
        let first: Update = serde_json::from_str(&first).map_err(setup("first update"))?;
        bot.handle_update(first).await.map_err(setup("first update"))?;
        let state = crate::chat_state::load(&engine, KNOWN_CHAT, KNOWN_USER).await.map_err(setup("chat state"))?;
        let ticket = state.active.ok_or_else(|| Finding::Setup("the first message opened no ticket".into()))?;
        Ok(Fixture { bot, engine, ticket })
    }
}

/// What one input did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exercised {
    /// Not an update (the webhook answers 400, polling never sees such bytes).
    NotAnUpdate,
    /// Handled.
    Handled,
    /// Failed transiently (the update would be delivered again).
    Transient,
}

/// Runs one input on a fresh fixture.
pub async fn exercise(data: &[u8]) -> Result<Exercised, Finding> {
    let Ok(update) = serde_json::from_slice::<Update>(data) else { return Ok(Exercised::NotAnUpdate) };
    let fixture = Fixture::new().await?;
    match fixture.bot.handle_update(update).await {
        Ok(()) => Ok(Exercised::Handled),
        Err(e) if e.is_transient() => Ok(Exercised::Transient),
        Err(e) => Err(Finding::Permanent(e)),
    }
}
