//! Long polling: `getUpdates` in a loop, each update handled before its offset is confirmed.

use crate::bot::{BotInfo, TelegramBot};
use crate::error::TelegramError;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use teloxide::RequestError;
use teloxide::payloads::setters::*;
use teloxide::requests::{Request, Requester};
use teloxide::types::Update;

/// The longest wait between retries.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// Updates per `getUpdates`: at most this many can be handled but not yet confirmed when the process
/// stops, and come again after a restart.
const BATCH: u8 = 100;

/// True when update `id` is one handled before (the last handled being `last`) that Telegram sends
/// again because the process stopped before confirming it. Only the batch before `last` counts: after
/// a week without updates Telegram numbers them afresh from a random point, possibly below `last`, and
/// those must be handled.
fn handled_before(last: Option<i64>, id: i64) -> bool {
    last.is_some_and(|last| id <= last && last - id < i64::from(BATCH))
}

/// The adapter name the polling cursor is kept under.
const CURSOR_ADAPTER: &str = "telegram";

fn backoff(failures: u32) -> Duration {
    Duration::from_millis(500).saturating_mul(1u32 << failures.min(8)).min(MAX_BACKOFF)
}

/// Sleeps `d`, or less when `shutdown` completes first (then `true`).
async fn sleep_or_stop(d: Duration, shutdown: &mut Pin<&mut (dyn Future<Output = ()> + Send)>) -> bool {
    tokio::select! {
        biased;
        () = shutdown.as_mut() => true,
        () = tokio::time::sleep(d) => false,
    }
}

impl TelegramBot {
    /// Checks the token (`getMe`; a wrong token is [`TelegramError::InvalidToken`] at once, an
    /// unreachable API is retried with backoff), removes any webhook, registers the command menu
    /// ([`TelegramBot::register_commands`]), then polls for updates until `shutdown` completes. Each update is handled before the
    /// next `getUpdates` confirms it; transient failures (store unavailable, Bot API errors) retry the
    /// same update with backoff, so none is lost. On shutdown the handled updates are confirmed.
    pub async fn run_polling(&self, shutdown: impl Future<Output = ()> + Send) -> Result<(), TelegramError> {
        let mut shutdown: Pin<&mut (dyn Future<Output = ()> + Send)> = std::pin::pin!(shutdown);
        let mut failures = 0;
        let info = loop {
            match self.connect().await {
                Ok(info) => break info,
                Err(TelegramError::Api(e)) => {
                    // Unreachable now (network, Telegram down): keep trying; a wrong token is final.
                    failures += 1;
                    let wait = backoff(failures);
                    tracing::warn!(error = %e, retry_in = ?wait, "cannot reach the Telegram Bot API");
                    if sleep_or_stop(wait, &mut shutdown).await {
                        return Ok(());
                    }
                }
                Err(e) => return Err(e),
            }
        };
        if let Err(e) = self.inner.bot.delete_webhook().await {
            tracing::warn!(error = %self.api_error(e), "deleteWebhook failed; getUpdates may be refused");
        }
        self.register_commands_or_warn().await;
        self.poll_loop(&info, &mut shutdown).await
    }

    async fn poll_loop(
        &self,
        info: &BotInfo,
        shutdown: &mut Pin<&mut (dyn Future<Output = ()> + Send)>,
    ) -> Result<(), TelegramError> {
        let timeout = u32::try_from(self.inner.config.poll_timeout.as_secs()).unwrap_or(u32::MAX);
        let mut offset: i32 = 0;
        let mut failures: u32 = 0;
        // Update ids are per bot: a new token starts another sequence.
        let cursor = format!("updates:{}", info.id);
        let mut last = self.last_handled(&cursor).await;
        tracing::info!(bot = %info.username, "polling Telegram for updates");
        loop {
            let request = self.inner.bot.get_updates().offset(offset).timeout(timeout).limit(BATCH).send();
            let result = tokio::select! {
                biased;
                () = shutdown.as_mut() => break,
                r = request => r,
            };
            match result {
                Ok(updates) => {
                    failures = 0;
                    for update in updates {
                        let id = i64::from(update.id.0);
                        let next = i32::try_from(update.id.0).map(|id| id.saturating_add(1)).unwrap_or(i32::MAX);
                        if handled_before(last, id) {
                            tracing::info!(update_id = id, "update handled before the restart; not again");
                        } else {
                            if !self.handle_with_retry(update, shutdown).await {
                                return self.confirm(offset).await;
                            }
                            self.save_handled(&cursor, id).await;
                            last = Some(id);
                        }
                        offset = offset.max(next);
                    }
                }
                Err(RequestError::Api(teloxide::ApiError::InvalidToken)) => return Err(TelegramError::InvalidToken),
                Err(RequestError::RetryAfter(s)) => {
                    tracing::warn!(seconds = s.seconds(), "getUpdates rate limited");
                    if sleep_or_stop(s.duration(), shutdown).await {
                        break;
                    }
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let wait = backoff(failures);
                    tracing::warn!(error = %self.api_error(e), retry_in = ?wait, "getUpdates failed");
                    if sleep_or_stop(wait, shutdown).await {
                        break;
                    }
                }
            }
        }
        self.confirm(offset).await
    }

    /// Handles one update, retrying transient failures until they pass or shutdown (then `false`: the
    /// update stays unconfirmed and comes again).
    async fn handle_with_retry(
        &self,
        update: Update,
        shutdown: &mut Pin<&mut (dyn Future<Output = ()> + Send)>,
    ) -> bool {
        let id = update.id.0;
        let mut failures = 0;
        loop {
            match self.handle_update(update.clone()).await {
                Ok(()) => return true,
                Err(e) if e.is_transient() => {
                    failures += 1;
                    let wait = backoff(failures);
                    tracing::warn!(update_id = id, error = %e, retry_in = ?wait, "update failed; retrying");
                    if sleep_or_stop(wait, shutdown).await {
                        return false;
                    }
                }
                Err(e) => {
                    tracing::error!(update_id = id, error = %e, "update failed for good; skipping it");
                    return true;
                }
            }
        }
    }

    /// The last update handled, as recorded through the engine (`None` when unknown).
    async fn last_handled(&self, cursor: &str) -> Option<i64> {
        match self.inner.engine.cursor(CURSOR_ADAPTER, cursor).await {
            Ok(v) => v.and_then(|v| v.parse().ok()),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the last handled telegram update; updates may be handled again");
                None
            }
        }
    }

    /// Records that update `id` is handled. A failure only means it may be handled again after a
    /// restart, which the engine's idempotency keys make harmless for messages.
    async fn save_handled(&self, cursor: &str, id: i64) {
        if let Err(e) = self.inner.engine.set_cursor(CURSOR_ADAPTER, cursor, Some(&id.to_string())).await {
            tracing::warn!(update_id = id, error = %e, "cannot record the last handled telegram update");
        }
    }

    /// Tells Telegram that every update before `offset` is handled.
    async fn confirm(&self, offset: i32) -> Result<(), TelegramError> {
        if offset != 0
            && let Err(e) = self.inner.bot.get_updates().offset(offset).timeout(0).limit(1).await
        {
            tracing::warn!(error = %self.api_error(e), "could not confirm the last updates; they will come again");
        }
        tracing::info!("telegram polling stopped");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_batch_before_the_last_handled_update_counts_as_handled() {
        assert!(!handled_before(None, 5));
        assert!(handled_before(Some(1000), 1000));
        assert!(handled_before(Some(1000), 901));
        assert!(!handled_before(Some(1000), 900), "older than a batch: a new sequence");
        assert!(!handled_before(Some(1000), 1001));
        assert!(!handled_before(Some(1000), 3), "renumbered after a quiet week");
    }
}
