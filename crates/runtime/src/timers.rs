//! The engine's background work: [`Engine::tick`] and [`Engine::deliver_due`] on their intervals.

use chamado::{Channel, Engine};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How often the background work runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timers {
    /// [`Engine::tick`]: pending auto-close and reminders (default 30 s).
    pub tick_every: Duration,
    /// [`Engine::deliver_due`]: the outbox (default 5 s).
    pub deliver_every: Duration,
}

impl Default for Timers {
    fn default() -> Self {
        Timers { tick_every: Duration::from_secs(30), deliver_every: Duration::from_secs(5) }
    }
}

/// What a background round reported, for the host to log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimerEvent {
    /// A tick that changed something.
    Tick(chamado::TickReport),
    /// A delivery round that did something.
    Delivery(chamado::DeliveryReport),
    /// A round that failed; it is retried at the next interval.
    Failed(String),
}

/// Runs [`Engine::tick`] and [`Engine::deliver_due`] on their intervals until `stop` turns true
/// (see [`crate::Shutdown::subscribe`]); a round under way when it does is finished first. `report`
/// hears about every round that did or failed something.
pub fn spawn_timers(
    engine: Engine,
    channels: Vec<Arc<dyn Channel>>,
    timers: Timers,
    mut stop: watch::Receiver<bool>,
    report: impl Fn(TimerEvent) + Send + Sync + 'static,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(timers.tick_every);
        let mut deliver = tokio::time::interval(timers.deliver_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        deliver.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            if *stop.borrow() {
                return;
            }
            tokio::select! {
                _ = stop.changed() => {
                    if stop.has_changed().is_err() || *stop.borrow() { return; }
                }
                _ = tick.tick() => match engine.tick(engine.now()).await {
                    Ok(r) if r != chamado::TickReport::default() => report(TimerEvent::Tick(r)),
                    Ok(_) => {}
                    Err(e) => report(TimerEvent::Failed(format!("tick: {e}"))),
                },
                _ = deliver.tick() => match engine.deliver_due(&channels).await {
                    Ok(r) if r.sent + r.retried + r.failed > 0 => report(TimerEvent::Delivery(r)),
                    Ok(_) => {}
                    Err(e) => report(TimerEvent::Failed(format!("delivery: {e}"))),
                },
            }
        }
    })
}
