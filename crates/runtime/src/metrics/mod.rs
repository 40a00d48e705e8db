//! The metrics registry of a host, in the Prometheus text exposition format (0.0.4).
//!
//! Counters come from the engine's events (so tickets opened by mail or chat count too, not only those
//! opened over HTTP) and the outbox and webhook backlogs from the store at scrape time. Other parts of
//! the host register their own metrics into the same registry ([`Metrics::register_once`]); the HTTP
//! adapter adds its request latencies that way and serves [`Metrics::render`] at `GET /metrics`, the
//! webhooks adapter its deliveries by outcome.

mod events;

use chamado::Engine;
use events::EventCounters;
use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::{Metric, Registry};
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

/// The media type of [`Metrics::render`], the one Prometheus scrapes.
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

/// What other parts registered, by name, so a second registration hands back the first.
type Registered = HashMap<String, Box<dyn Any + Send + Sync>>;

/// A Prometheus registry counting one engine's events. Cloning shares it.
#[derive(Clone)]
pub struct Metrics {
    engine: Engine,
    registry: Arc<RwLock<Registry>>,
    registered: Arc<Mutex<Registered>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// A registry counting `engine`'s events from now on (it subscribes; the subscription lasts as long
    /// as the engine).
    pub fn new(engine: &Engine) -> Self {
        let mut registry = Registry::default();
        let counters = Arc::new(EventCounters::register(&mut registry));
        engine.subscribe(move |e| counters.record(e));
        Metrics { engine: engine.clone(), registry: Arc::new(RwLock::new(registry)), registered: Arc::default() }
    }

    /// The metric registered under `name`, registering `make()` with `help` the first time: parts that
    /// may be set up more than once (a router built twice on one registry) share one family instead of
    /// writing it twice. `name` and `help` follow the registry's rules: counters get `_total` appended,
    /// help texts a full stop. A name registered before with another metric type gives `None`.
    pub fn register_once<M>(&self, name: &str, help: &str, make: impl FnOnce() -> M) -> Option<M>
    where
        M: Metric + Clone,
    {
        let mut registered = self.registered.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(existing) = registered.get(name) {
            return existing.downcast_ref::<M>().cloned();
        }
        let metric = make();
        self.registry.write().unwrap_or_else(|e| e.into_inner()).register(name, help, metric.clone());
        registered.insert(name.to_string(), Box::new(metric.clone()));
        Some(metric)
    }

    /// Everything in the Prometheus text format. The outbox and webhook backlogs are read from the store
    /// now; a store that does not count one (or fails) leaves that gauge out rather than failing the
    /// scrape.
    pub async fn render(&self) -> String {
        // Read before taking the registry's lock: no lock is held across the store's await.
        let pending = self.engine.outbox_pending().await.ok();
        let webhooks = self.engine.webhooks_pending().await.ok();
        let mut out = String::with_capacity(4096);
        {
            let registry = self.registry.read().unwrap_or_else(|e| e.into_inner());
            // Writing into a String does not fail.
            let _ = prometheus_text::encode(&mut out, &registry);
        }
        if let Some(pending) = pending {
            let mut scrape = Registry::default();
            let gauge = Gauge::<i64>::default();
            gauge.set(i64::try_from(pending).unwrap_or(i64::MAX));
            scrape.register(
                "chamado_outbox_pending",
                "Outbox entries waiting for delivery or a retry (the backlog)",
                gauge,
            );
            let _ = prometheus_text::encode(&mut out, &scrape);
        }
        if let Some(pending) = webhooks {
            let mut scrape = Registry::default();
            let gauge = Gauge::<i64>::default();
            gauge.set(i64::try_from(pending).unwrap_or(i64::MAX));
            scrape.register(
                "chamado_webhooks_pending",
                "Webhook deliveries waiting to be sent or retried (the backlog)",
                gauge,
            );
            let _ = prometheus_text::encode(&mut out, &scrape);
        }
        out
    }
}
