//! Telegram, when `TELEGRAM_BOT_TOKEN` is set: webhook routes on the HTTP server, or long polling (on
//! PostgreSQL, by one node at a time: the leader).

use axum::Router;
use chamado::{Channel, Engine};
use chamado_telegram::{TelegramBot, TelegramError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// How often a node that does not lead asks again.
const LEADER_RETRY: Duration = Duration::from_secs(5);

/// Completes when `stop` turns true (or its sender is gone).
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|v| *v).await;
}

/// Starts the bot if configured: adds its channel, mounts its webhook or spawns its polling task.
pub async fn start(
    engine: &Engine,
    postgres: Option<chamado_postgres::PgStore>,
    stop: &watch::Receiver<bool>,
    app: &mut Router,
    tasks: &mut JoinSet<()>,
    channels: &mut Vec<Arc<dyn Channel>>,
) -> Result<(), TelegramError> {
    let Some(config) = chamado_telegram::config_from_env()? else { return Ok(()) };
    let bot = TelegramBot::new(engine.clone(), config)?;
    channels.push(bot.channel());
    if let Some(webhook) = bot.webhook_router() {
        *app = std::mem::take(app).merge(webhook);
        let me = bot.register_webhook().await?; // a wrong token stops the start here
        println!("telegram: @{} (webhook)", me.username);
        return Ok(());
    }
    let me = bot.connect().await?; // a wrong token stops the start here
    println!("telegram: @{} (long polling)", me.username);
    let stop = stop.clone();
    tasks.spawn(async move {
        let Some(pg) = postgres else {
            if let Err(e) = bot.run_polling(stopped(stop)).await {
                eprintln!("helpdesk: telegram: {e}");
            }
            return;
        };
        // Telegram serves getUpdates to one client: only the leading node polls.
        loop {
            let mut lead = tokio::select! {
                l = pg.lead("chamado-telegram-polling", LEADER_RETRY) => match l {
                    Ok(l) => l,
                    Err(e) => {
                        eprintln!("helpdesk: telegram leadership: {e}");
                        tokio::time::sleep(LEADER_RETRY).await;
                        continue;
                    }
                },
                () = stopped(stop.clone()) => return,
            };
            println!("telegram: this node leads long polling");
            let s = stop.clone();
            tokio::select! {
                r = bot.run_polling(stopped(s)) => {
                    if let Err(e) = r { eprintln!("helpdesk: telegram: {e}"); }
                    return;
                }
                () = lead.lost() => eprintln!("helpdesk: telegram leadership lost; waiting to lead again"),
            }
        }
    });
    Ok(())
}
