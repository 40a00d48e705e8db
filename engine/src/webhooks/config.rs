//! Settings of the event log and webhook deliveries.

use serde::{Deserialize, Serialize};

/// How webhooks are retried and how long events and deliveries are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookConfig {
    /// Let subscriptions point at private, loopback and link-local addresses (default false). Hosts
    /// read `CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS`; tests on loopback need it.
    pub allow_private_targets: bool,
    /// How long a delivery is retried before it becomes a dead letter, in hours (default 24).
    pub retry_hours: u64,
    /// The first retry's delay in seconds; it doubles per attempt, with ±20% jitter, up to
    /// `max_backoff_secs` (default 5).
    pub backoff_secs: u64,
    /// The longest wait between two attempts, in seconds (default 3600).
    pub max_backoff_secs: u64,
    /// How long a claimed delivery is reserved for one attempt, in seconds (default 60; longer than any
    /// subscription's timeout).
    pub lease_secs: u64,
    /// How long the event log keeps events, in days (default 7): the event feed can be resumed from a
    /// cursor this old.
    pub event_retention_days: u64,
    /// How long finished deliveries (sent, dead letters) are kept for the attempts view and replays, in
    /// days (default 30).
    pub delivery_retention_days: u64,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            allow_private_targets: false,
            retry_hours: 24,
            backoff_secs: 5,
            max_backoff_secs: 3600,
            lease_secs: 60,
            event_retention_days: 7,
            delivery_retention_days: 30,
        }
    }
}
