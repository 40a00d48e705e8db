//! Telegram, when a bot token is set (`TELEGRAM_BOT_TOKEN` / `telegram.bot_token`): webhook routes on the
//! HTTP server, or long polling (on PostgreSQL, by one node at a time: the leader).

use axum::Router;
use chamado::{Channel, Engine};
use chamado_telegram::{TelegramBot, TelegramConfig, TelegramError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::{error, info, warn};

/// How often a node that does not lead asks again.
const LEADER_RETRY: Duration = Duration::from_secs(5);

/// Completes when `stop` turns true (or its sender is gone).
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|v| *v).await;
}

/// Starts the bot if configured: adds its channel, mounts its webhook or spawns its polling task.
/// Returns what the banner shows (`@name (webhook)`), `None` without a bot.
pub async fn start(
    config: Option<TelegramConfig>,
    engine: &Engine,
    postgres: Option<chamado_postgres::PgStore>,
    stop: &watch::Receiver<bool>,
    app: &mut Router,
    tasks: &mut JoinSet<()>,
    channels: &mut Vec<Arc<dyn Channel>>,
) -> Result<Option<String>, TelegramError> {
    let Some(config) = config else { return Ok(None) };
    let bot = TelegramBot::new(engine.clone(), config)?;
    channels.push(bot.channel());
    if let Some(webhook) = bot.webhook_router() {
        *app = std::mem::take(app).merge(webhook);
        let me = bot.register_webhook().await?; // a wrong token stops the start here
        info!(bot = %me.username, mode = "webhook", "telegram connected");
        return Ok(Some(format!("@{} (webhook)", me.username)));
    }
    let me = bot.connect().await?; // a wrong token stops the start here
    info!(bot = %me.username, mode = "long polling", "telegram connected");
    let shown = format!("@{} (long polling)", me.username);
    let stop = stop.clone();
    tasks.spawn(async move {
        let Some(pg) = postgres else {
            if let Err(e) = bot.run_polling(stopped(stop)).await {
                error!(error = %e, "telegram polling stopped");
            }
            return;
        };
        // Telegram serves getUpdates to one client: only the leading node polls.
        loop {
            let mut lead = tokio::select! {
                l = pg.lead("chamado-telegram-polling", LEADER_RETRY) => match l {
                    Ok(l) => l,
                    Err(e) => {
                        warn!(error = %e, "telegram leadership: retrying");
                        tokio::time::sleep(LEADER_RETRY).await;
                        continue;
                    }
                },
                () = stopped(stop.clone()) => return,
            };
            info!("telegram: this node leads long polling");
            let s = stop.clone();
            tokio::select! {
                r = bot.run_polling(stopped(s)) => {
                    if let Err(e) = r { error!(error = %e, "telegram polling stopped"); }
                    return;
                }
                () = lead.lost() => warn!("telegram leadership lost; waiting to lead again"),
            }
        }
    });
    Ok(Some(shown))
}
