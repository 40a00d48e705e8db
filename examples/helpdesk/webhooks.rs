//! Webhooks: the engine's settings (`[webhooks]`: private targets, retries, leases, retention) and the
//! delivery worker, which runs beside the other loops and stops with them.

use crate::sections;
use crate::settings::SettingsError;
use crate::source::Source;
use chamado::{Engine, WebhookConfig};
use chamado_runtime::Metrics;
use chamado_webhooks::{WebhookError, WebhookWorker, WorkerConfig};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::info;

/// Reads `[webhooks]` into `engine` (the engine's part) and returns the worker's part; every value is
/// checked, errors name the key (or `CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS`).
pub fn load(
    source: &Source,
    s: &sections::Webhooks,
    engine: &mut WebhookConfig,
) -> Result<WorkerConfig, SettingsError> {
    let defaults = WebhookConfig::default();
    let ranged = |key: &str, set: Option<u64>, default: u64, range: std::ops::RangeInclusive<u64>, unit: &str| {
        let n = set.unwrap_or(default);
        if range.contains(&n) {
            Ok(n)
        } else {
            Err(SettingsError {
                at: source.file_origin(&format!("webhooks.{key}")),
                value: Some(n.to_string()),
                message: format!("must be {} to {} {unit}", range.start(), range.end()),
            })
        }
    };
    if let Some(allow) = s.allow_private_targets {
        engine.allow_private_targets = allow;
    }
    engine.retry_hours = ranged("retry_hours", s.retry_hours, defaults.retry_hours, 1..=720, "hours")?;
    engine.backoff_secs = ranged("backoff_secs", s.backoff_secs, defaults.backoff_secs, 1..=86_400, "seconds")?;
    engine.max_backoff_secs = ranged(
        "max_backoff_secs",
        s.max_backoff_secs,
        defaults.max_backoff_secs,
        engine.backoff_secs..=86_400,
        "seconds",
    )?;
    // Longer than the longest subscription timeout (60 s) lets every request run its whole timeout.
    engine.lease_secs = ranged("lease_secs", s.lease_secs, defaults.lease_secs, 2..=3600, "seconds")?;
    engine.event_retention_days =
        ranged("event_retention_days", s.event_retention_days, defaults.event_retention_days, 1..=3650, "days")?;
    engine.delivery_retention_days = ranged(
        "delivery_retention_days",
        s.delivery_retention_days,
        defaults.delivery_retention_days,
        1..=3650,
        "days",
    )?;

    let d = WorkerConfig::default();
    let count = |n: Option<u64>, default: usize| n.map_or(default, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let worker = WorkerConfig {
        poll_interval_ms: s.poll_interval_ms.unwrap_or(d.poll_interval_ms),
        claim_batch: count(s.claim_batch, d.claim_batch),
        max_waiting_chains: count(s.max_waiting_chains, d.max_waiting_chains),
        busy_delay_ms: s.busy_delay_ms.unwrap_or(d.busy_delay_ms),
        connect_timeout_ms: s.connect_timeout_ms.unwrap_or(d.connect_timeout_ms),
        ..d
    };
    worker.validate().map_err(|e| match e {
        WebhookError::Config { field, message } => {
            SettingsError { at: source.file_origin(&format!("webhooks.{field}")), value: None, message }
        }
        other => SettingsError { at: source.file_origin("webhooks"), value: None, message: other.to_string() },
    })?;
    Ok(worker)
}

/// Starts the delivery worker on `tasks`, counting into `metrics`, until `stop`.
pub fn start(
    config: &WorkerConfig,
    engine: &Engine,
    metrics: &Metrics,
    stop: &watch::Receiver<bool>,
    tasks: &mut JoinSet<()>,
) -> Result<(), WebhookError> {
    let worker = WebhookWorker::new(engine.clone(), config.clone())?.with_metrics(metrics);
    tasks.spawn(worker.run(stop.clone()));
    let allow_private_targets = engine.config().webhooks.allow_private_targets;
    info!(allow_private_targets, "webhook deliveries running");
    Ok(())
}
