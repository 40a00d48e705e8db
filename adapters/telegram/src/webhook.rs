//! Webhook mode: Telegram posts updates to a route the host mounts into its axum server.

use crate::bot::{BotInfo, TelegramBot};
use crate::error::TelegramError;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use teloxide::payloads::setters::*;
use teloxide::requests::Requester;
use teloxide::types::Update;

/// The header carrying the webhook secret.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Compares without stopping at the first difference.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl TelegramBot {
    /// The webhook route (at [`crate::WebhookConfig::path`]) to merge into the host's router. Requests
    /// without the right `X-Telegram-Bot-Api-Secret-Token` get 401. An update is answered 200 once
    /// handled; 503 when handling failed transiently, so Telegram delivers it again. `None` when the
    /// configuration has no webhook.
    pub fn webhook_router(&self) -> Option<Router> {
        let path = self.inner.config.webhook.as_ref()?.path.clone();
        Some(Router::new().route(&path, post(receive)).with_state(self.clone()))
    }

    /// Checks the token (`getMe`), registers the webhook URL and secret with `setWebhook` and the
    /// command menu ([`TelegramBot::register_commands`]; a failure there is only logged). Call it
    /// once the host serves [`TelegramBot::webhook_router`].
    pub async fn register_webhook(&self) -> Result<BotInfo, TelegramError> {
        let info = self.connect().await?;
        let Some(w) = &self.inner.config.webhook else {
            return Err(TelegramError::Config("no webhook configured".into()));
        };
        let url = url::Url::parse(&w.url)
            .map_err(|e| TelegramError::Config(format!("the webhook URL {:?} is invalid: {e}", w.url)))?;
        self.inner.bot.set_webhook(url).secret_token(w.secret_token.clone()).await.map_err(|e| self.api_error(e))?;
        tracing::info!(url = %w.url, "telegram webhook registered");
        self.register_commands_or_warn().await;
        Ok(info)
    }
}

async fn receive(State(bot): State<TelegramBot>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Some(w) = &bot.inner.config.webhook else { return StatusCode::NOT_FOUND };
    let given = headers.get(SECRET_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
    if !same_secret(given, w.secret_token.as_bytes()) {
        tracing::warn!("telegram webhook request with a wrong or missing secret token");
        return StatusCode::UNAUTHORIZED;
    }
    let update: Update = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(error = %e, "telegram webhook body is not an update");
            return StatusCode::BAD_REQUEST;
        }
    };
    let id = update.id.0;
    match bot.handle_update(update).await {
        Ok(()) => StatusCode::OK,
        Err(e) if e.is_transient() => {
            tracing::warn!(update_id = id, error = %e, "update failed; Telegram will deliver it again");
            StatusCode::SERVICE_UNAVAILABLE
        }
        Err(e) => {
            tracing::error!(update_id = id, error = %e, "update failed for good; dropping it");
            StatusCode::OK
        }
    }
}
