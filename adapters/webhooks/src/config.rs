//! The worker's settings (the engine's own, retries and leases, are `EngineConfig.webhooks`).

use crate::WebhookError;
use crate::transport::TransportConfig;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How the delivery worker runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkerConfig {
    /// How often due deliveries are looked for when no event woke the worker: retries coming due, and
    /// work other nodes queued, in milliseconds (default 1,000).
    pub poll_interval_ms: u64,
    /// Deliveries claimed per round (default 100).
    pub claim_batch: usize,
    /// Chains of one subscription waiting for one of its `max_concurrency` slots at most (default 64);
    /// beyond, newly claimed ones go back to the store for `busy_delay_ms`, so a hanging receiver holds
    /// neither memory nor other receivers' turns.
    pub max_waiting_chains: usize,
    /// How long deliveries a busy receiver could not take wait before they are claimed again, in
    /// milliseconds (default 5,000).
    pub busy_delay_ms: u64,
    /// Connecting and the TLS handshake, at most, in milliseconds (default 5,000); the whole request is
    /// bounded by the subscription's `timeout_ms`.
    pub connect_timeout_ms: u64,
    /// The `User-Agent` of requests (default `chamado-webhooks/<version>`).
    pub user_agent: String,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            poll_interval_ms: 1000,
            claim_batch: 100,
            max_waiting_chains: 64,
            busy_delay_ms: 5000,
            connect_timeout_ms: 5000,
            user_agent: crate::DEFAULT_USER_AGENT.to_string(),
        }
    }
}

impl WorkerConfig {
    /// Checks every field's range; the error names the field.
    pub fn validate(&self) -> Result<(), WebhookError> {
        let bad = |field: &'static str, message: &str| Err(WebhookError::Config { field, message: message.into() });
        if !(10..=3_600_000).contains(&self.poll_interval_ms) {
            return bad("poll_interval_ms", "must be 10 to 3600000 milliseconds");
        }
        if !(1..=10_000).contains(&self.claim_batch) {
            return bad("claim_batch", "must be 1 to 10000");
        }
        if !(1..=100_000).contains(&self.max_waiting_chains) {
            return bad("max_waiting_chains", "must be 1 to 100000");
        }
        if !(10..=3_600_000).contains(&self.busy_delay_ms) {
            return bad("busy_delay_ms", "must be 10 to 3600000 milliseconds");
        }
        if !(100..=60_000).contains(&self.connect_timeout_ms) {
            return bad("connect_timeout_ms", "must be 100 to 60000 milliseconds");
        }
        let ua = &self.user_agent;
        if ua.trim().is_empty() || ua.len() > 200 || !ua.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
            return bad("user_agent", "must be 1 to 200 visible ASCII characters");
        }
        Ok(())
    }

    /// The transport's settings, with the engine's `webhooks.allow_private_targets`.
    pub fn transport(&self, allow_private_targets: bool) -> TransportConfig {
        TransportConfig {
            allow_private_targets,
            connect_timeout: Duration::from_millis(self.connect_timeout_ms),
            user_agent: self.user_agent.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_and_each_bad_field_is_named() {
        WorkerConfig::default().validate().unwrap();
        let field = |c: WorkerConfig| match c.validate() {
            Err(WebhookError::Config { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let d = WorkerConfig::default;
        assert_eq!(field(WorkerConfig { poll_interval_ms: 0, ..d() }), "poll_interval_ms");
        assert_eq!(field(WorkerConfig { claim_batch: 0, ..d() }), "claim_batch");
        assert_eq!(field(WorkerConfig { max_waiting_chains: 0, ..d() }), "max_waiting_chains");
        assert_eq!(field(WorkerConfig { busy_delay_ms: 1, ..d() }), "busy_delay_ms");
        assert_eq!(field(WorkerConfig { connect_timeout_ms: 99_999, ..d() }), "connect_timeout_ms");
        assert_eq!(field(WorkerConfig { user_agent: "a\nb".into(), ..d() }), "user_agent");
        let parsed: WorkerConfig = serde_json::from_str(r#"{"claim_batch": 5}"#).unwrap();
        assert_eq!(parsed, WorkerConfig { claim_batch: 5, ..d() });
        assert!(serde_json::from_str::<WorkerConfig>(r#"{"claim_bach": 5}"#).is_err());
    }
}
