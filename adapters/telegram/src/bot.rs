//! [`TelegramBot`]: the host's handle on the adapter.

use crate::config::TelegramConfig;
use crate::error::TelegramError;
use crate::linking::{LinkCode, issue_agent_link_code, issue_link_code};
use crate::outbound::TelegramChannel;
use crate::redact::redact;
use chamado::{Channel, Engine};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use teloxide::requests::Requester;
use teloxide::{Bot, RequestError};

/// Who the bot is, as `getMe` reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotInfo {
    /// The bot's user id.
    pub id: u64,
    /// The bot's username, without `@`.
    pub username: String,
}

/// A Telegram bot serving the help desk: turns updates into engine intake and commands, and provides
/// the outbound [`Channel`] for agent replies.
///
/// ```no_run
/// # async fn run(engine: chamado::Engine) -> Result<(), chamado_telegram::TelegramError> {
/// use chamado_telegram::{TelegramBot, TelegramConfig};
/// let bot = TelegramBot::new(engine.clone(), TelegramConfig::new("123:ABC"))?;
/// let channels = vec![bot.channel()];
/// // Drive `engine.deliver_due(&channels)` on a timer, and:
/// bot.run_polling(std::future::pending::<()>()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TelegramBot {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) engine: Engine,
    pub(crate) bot: Bot,
    pub(crate) config: TelegramConfig,
    pub(crate) me: RwLock<Option<BotInfo>>,
    /// Updates are handled one at a time, in order (webhook requests may arrive concurrently).
    pub(crate) serial: tokio::sync::Mutex<()>,
}

impl TelegramBot {
    /// A bot for `engine` with `config`. Checks the configuration; contacts nobody (see
    /// [`TelegramBot::connect`]).
    pub fn new(engine: Engine, config: TelegramConfig) -> Result<Self, TelegramError> {
        config.validate()?;
        let base = config.api_url.trim().trim_end_matches('/');
        let url = url::Url::parse(base)
            .ok()
            .filter(|u| !u.cannot_be_a_base() && matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| TelegramError::Config(format!("the Bot API URL {base:?} is not an http(s) URL")))?;
        // Long polls must end before the client's own timeout.
        let client = teloxide::net::default_reqwest_settings()
            .timeout(config.poll_timeout + Duration::from_secs(15))
            .build()
            .map_err(|e| TelegramError::Config(format!("cannot build the HTTP client: {e}")))?;
        let bot = Bot::with_client(config.token.clone(), client).set_api_url(url);
        Ok(TelegramBot {
            inner: Arc::new(Inner { engine, bot, config, me: RwLock::new(None), serial: tokio::sync::Mutex::new(()) }),
        })
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The configuration.
    pub fn config(&self) -> &TelegramConfig {
        &self.inner.config
    }

    /// The teloxide bot (token and API URL set), for hosts that need other Bot API calls.
    pub fn teloxide_bot(&self) -> &Bot {
        &self.inner.bot
    }

    /// The outbound channel for [`Engine::deliver_due`].
    pub fn channel(&self) -> Arc<dyn Channel> {
        Arc::new(self.telegram_channel())
    }

    /// The outbound channel as its concrete type.
    pub fn telegram_channel(&self) -> TelegramChannel {
        TelegramChannel::new(self.inner.bot.clone(), self.inner.engine.clone())
    }

    /// Checks the token with `getMe` and remembers who the bot is. A wrong token is
    /// [`TelegramError::InvalidToken`]; an unreachable API is [`TelegramError::Api`].
    pub async fn connect(&self) -> Result<BotInfo, TelegramError> {
        let me = self.inner.bot.get_me().await.map_err(|e| match self.api_error(e) {
            TelegramError::Api(why) => {
                TelegramError::Api(format!("getMe at {} failed: {why}", self.inner.bot.api_url()))
            }
            other => other,
        })?;
        // `Me::username` panics when the field is missing; read it ourselves.
        let info = BotInfo { id: me.user.id.0, username: me.user.username.clone().unwrap_or_default() };
        *self.inner.me.write().unwrap_or_else(|e| e.into_inner()) = Some(info.clone());
        tracing::info!(username = %info.username, id = info.id, "connected to the Telegram Bot API");
        Ok(info)
    }

    /// Who the bot is, once [`TelegramBot::connect`] succeeded.
    pub fn info(&self) -> Option<BotInfo> {
        self.inner.me.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Issues a one-time link code for customer user `login` (for the portal or API to show), valid
    /// for [`TelegramConfig::link_code_ttl`].
    pub async fn issue_link_code(&self, login: &str) -> Result<LinkCode, TelegramError> {
        issue_link_code(&self.inner.engine, login, self.inner.config.link_code_ttl).await
    }

    /// Issues a one-time code with which agent `login` links a private chat with the bot (where the
    /// agent's Telegram notifications then go), valid for [`TelegramConfig::link_code_ttl`].
    pub async fn issue_agent_link_code(&self, login: &str) -> Result<LinkCode, TelegramError> {
        issue_agent_link_code(&self.inner.engine, login, self.inner.config.link_code_ttl).await
    }

    /// The `https://t.me/<bot>?start=<code>` deep link for a code (after [`TelegramBot::connect`]).
    pub fn deep_link(&self, code: &str) -> Option<String> {
        self.info().map(|i| format!("https://t.me/{}?start={code}", i.username))
    }

    /// A Bot API failure as an adapter error, with the token removed from the text (reqwest errors
    /// name the URL, which contains it).
    pub(crate) fn api_error(&self, e: RequestError) -> TelegramError {
        match e {
            RequestError::Api(teloxide::ApiError::InvalidToken) => TelegramError::InvalidToken,
            other => TelegramError::Api(redact(&other.to_string(), &self.inner.config.token)),
        }
    }
}
