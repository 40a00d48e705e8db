//! The adapter's error type.

use thiserror::Error;

/// What can go wrong running the bot.
#[derive(Debug, Error)]
pub enum TelegramError {
    /// The configuration is unusable.
    #[error("telegram configuration: {0}")]
    Config(String),
    /// A setting of [`crate::TelegramConfig`] is unusable; it names the field.
    #[error("telegram configuration: {0}")]
    Setting(#[from] crate::ConfigError),
    /// Telegram rejected the token (`getMe` answered 401/404).
    #[error(
        "Telegram rejected the bot token (getMe answered Unauthorized); check the configured bot token (`token`), as given by @BotFather"
    )]
    InvalidToken,
    /// The Bot API could not be reached or answered an error.
    #[error("telegram Bot API: {0}")]
    Api(String),
    /// A file could not be downloaded.
    #[error("telegram file download: {0}")]
    Download(String),
    /// The engine failed.
    #[error(transparent)]
    Engine(#[from] chamado::Error),
}

impl TelegramError {
    /// True when handling the same update again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            TelegramError::Api(_) | TelegramError::Download(_) => true,
            TelegramError::Engine(e) => e.is_transient(),
            TelegramError::Config(_) | TelegramError::Setting(_) | TelegramError::InvalidToken => false,
        }
    }
}
