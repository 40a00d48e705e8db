//! The worker's counters in the host's Prometheus registry: attempts by what became of them, and
//! deliveries handed back unattempted. The backlog gauge (`chamado_webhooks_pending`) is the runtime's,
//! read from the store at scrape time.

use chamado::WebhookResult;
use chamado_runtime::Metrics;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;

/// The `outcome` label's values.
const OUTCOMES: [&str; 5] = ["delivered", "retry", "dead_letter", "gone", "released"];

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ByOutcome {
    outcome: &'static str,
}

/// Handles on every series, so counting is one atomic add.
#[derive(Debug, Clone)]
pub(crate) struct Counters {
    by_outcome: [Counter; OUTCOMES.len()],
}

impl Counters {
    /// Registers the family once in `metrics` (a second worker on the same registry shares it), every
    /// series at 0. `None` if the name is taken by a metric of another type.
    pub(crate) fn register(metrics: &Metrics) -> Option<Counters> {
        let family = metrics.register_once(
            "chamado_webhook_deliveries",
            "Webhook deliveries by outcome: delivered (2xx), retry (failed, to be retried), dead_letter \
             (failed for good), gone (410, the subscription disabled), released (handed back unattempted: \
             a busy receiver, a lease running out, a shutdown)",
            Family::<ByOutcome, Counter>::default,
        )?;
        Some(Counters { by_outcome: OUTCOMES.map(|outcome| family.get_or_create(&ByOutcome { outcome }).clone()) })
    }

    /// Counts one attempt.
    pub(crate) fn attempt(&self, result: WebhookResult) {
        let i = match result {
            WebhookResult::Delivered => 0,
            WebhookResult::Retry(_) => 1,
            WebhookResult::DeadLetter => 2,
            WebhookResult::Disabled => 3,
        };
        self.by_outcome[i].inc();
    }

    /// Counts `n` deliveries handed back unattempted.
    pub(crate) fn released(&self, n: usize) {
        self.by_outcome[4].inc_by(u64::try_from(n).unwrap_or(u64::MAX));
    }
}
