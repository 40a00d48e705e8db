//! # chamado-telegram
//!
//! The Telegram adapter of [`chamado`]: people open and follow tickets by chat, and agents'
//! replies come back to the chat, with the ticket number as the shared reference.
//!
//! - Inbound: every message becomes [`chamado::InboundMessage`] on [`chamado::ChannelKind::Chat`];
//!   the engine threads it (ticket numbers in the text, the chat's active ticket, the ticket named by
//!   the bot message it replies to), checks the sender and the queue's follow-up policy, and
//!   deduplicates by the message's id. Commands: `/start`, `/new`, `/tickets`, `/ticket`, `/close`,
//!   `/link`, `/language`, `/help`.
//! - Language: the bot answers in the linked customer user's own language, else in the language of
//!   the user's Telegram app (the update's `language_code`), else in the system's
//!   (`i18n.default_language`); `/language <tag>` sets the user's own. At start
//!   ([`TelegramBot::run_polling`], [`TelegramBot::register_webhook`]) the command menu is registered
//!   with `setMyCommands` in every language ([`TelegramBot::register_commands`]).
//! - Outbound: [`TelegramChannel`] (from [`TelegramBot::channel`]) delivers the engine's outbox
//!   entries with `sendMessage`, tagged with the ticket number and split at 4096 characters: replies
//!   to customers' chats, and agents' notifications to the chat each agent linked.
//! - Transport: long polling ([`TelegramBot::run_polling`]) or a webhook route for an axum server
//!   ([`TelegramBot::webhook_router`], [`TelegramBot::register_webhook`]).
//! - Linking: [`issue_link_code`] gives a customer user a one-time code for `/link`;
//!   [`issue_agent_link_code`] (or [`chamado::Engine::issue_agent_link_code`]) gives an agent one, which
//!   `/link` in a private chat with the bot makes the agent's notification chat.
//!
//! ## Connecting a real bot
//!
//! 1. Talk to [@BotFather](https://t.me/BotFather): `/newbot`, pick a name and a username, and copy
//!    the token it gives you. The command menu needs no `/setcommands`: the bot registers it itself,
//!    in every language, when it starts.
//! 2. Give the host the token: it builds a [`TelegramConfig`] (deserializable, with defaults; the
//!    `helpdesk` example reads `TELEGRAM_BOT_TOKEN` or `telegram.bot_token`); tickets opened by chat
//!    go to [`TelegramConfig::queue`] (default `Raw`). A wrong token stops the start with
//!    [`TelegramError::InvalidToken`].
//! 3. Long polling needs nothing else (outbound HTTPS to `api.telegram.org`). For webhook mode set
//!    [`TelegramConfig::webhook`]: the public HTTPS URL of the host ending in the route path, the
//!    secret (1-256 of `A-Z a-z 0-9 _ -`) and the path (default `/telegram/webhook`); the host merges
//!    [`TelegramBot::webhook_router`] into its axum router and calls [`TelegramBot::register_webhook`].
//! 4. [`TelegramConfig::api_url`] points the bot at another Bot API server (a self-hosted
//!    `telegram-bot-api`, or a stand-in in tests).
//!
//! Unknown Telegram users become customer users `tg:<telegram user id>` (when the engine's
//! unknown-sender policy allows). Existing customer users link their Telegram account with a code
//! from [`TelegramBot::issue_link_code`]: `/link <code>`, or the deep link
//! [`TelegramBot::deep_link`] which sends `/start <code>`.
//!
//! Feature `standin`: the module `standin`, a loopback Bot API stand-in for tests of the adapter and of hosts.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod attachments;
mod bot;
mod chat_state;
mod command_handlers;
mod command_menu;
mod commands;
mod config;
mod conversation;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod identity;
mod language;
mod linking;
mod outbound;
mod polling;
mod redact;
mod reply;
mod split;
#[cfg(feature = "standin")]
pub mod standin;
mod texts;
mod webhook;

pub use attachments::{IncomingFile, incoming_file};
pub use bot::{BotInfo, TelegramBot};
pub use chamado::{ChatState, LinkRefusal};
pub use commands::{Command, parse as parse_command};
pub use config::{ConfigError, DEFAULT_API_URL, DEFAULT_WEBHOOK_PATH, TelegramConfig, WebhookConfig};
pub use error::TelegramError;
pub use identity::identity;
pub use linking::{LinkCode, issue_agent_link_code, issue_link_code, redeem_agent_link_code, redeem_link_code};
pub use outbound::{TelegramChannel, delivery_error};
pub use split::{MAX_MESSAGE_LEN, split_text};
pub use webhook::SECRET_HEADER;
