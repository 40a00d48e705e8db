//! The delivery worker.

use crate::metrics::Counters;
use crate::transport::WebhookTransport;
use crate::{WebhookError, WorkerConfig};
use chamado::{Engine, Timestamp, WebhookChain, WebhookJob, WebhookResult};
use chamado_runtime::Metrics;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::{JoinHandle, JoinSet};
use tracing::{debug, warn};

/// The most requests in flight to one receiver, whatever a subscription says.
const MAX_CONCURRENCY: u32 = 64;
/// Kept between a request's deadline and its lease's end, for recording the attempt.
const MAX_MARGIN_MS: i64 = 1000;

/// Sends webhook deliveries until stopped: claims due deliveries from the engine, sends each
/// subscription's chains with at most its `max_concurrency` requests in flight, records every attempt,
/// and gives back what it cannot send in time.
///
/// Each chain (one subscription, one ticket, in order) runs on its own task: it waits for a slot of its
/// subscription, then sends its deliveries one after another, stopping at the first to be retried (the
/// rest go back to the store, due after it). A slow or hanging receiver therefore only fills its own
/// slots; when too many of its chains already wait ([`WorkerConfig::max_waiting_chains`]), newly
/// claimed ones go back to the store for a while instead of queueing in memory. Claimed deliveries are reserved for the engine's lease
/// (`webhooks.lease_secs`): a request starts only if it can end before the lease does, so no other node
/// (or this one, later) sends the same delivery while it is in flight.
pub struct WebhookWorker {
    engine: Engine,
    transport: WebhookTransport,
    counters: Option<Counters>,
    config: WorkerConfig,
}

impl std::fmt::Debug for WebhookWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookWorker").field("config", &self.config).finish_non_exhaustive()
    }
}

/// What every chain task needs.
struct Shared {
    engine: Engine,
    transport: WebhookTransport,
    counters: Option<Counters>,
    busy_delay: Duration,
    /// Wakes the claim loop.
    wake: Arc<Notify>,
}

/// One subscription's slots and its chains under way (sending, or waiting for a slot).
struct Slot {
    max: usize,
    semaphore: Arc<Semaphore>,
    active: Arc<AtomicUsize>,
}

impl Slot {
    fn new(max: usize) -> Self {
        Slot { max, semaphore: Arc::new(Semaphore::new(max)), active: Arc::new(AtomicUsize::new(0)) }
    }
}

/// Counts a chain among its subscription's active ones until its task ends; wakes the claim loop when
/// the subscription has drained to `low_water`, so a busy receiver gets new work as soon as it has room
/// for a good share of it (rather than at the next poll, or a chain at a time).
struct Active {
    count: Arc<AtomicUsize>,
    low_water: usize,
    wake: Arc<Notify>,
}

impl Drop for Active {
    fn drop(&mut self) {
        let left = self.count.fetch_sub(1, Ordering::SeqCst).saturating_sub(1);
        if left == self.low_water {
            self.wake.notify_one();
        }
    }
}

impl WebhookWorker {
    /// A worker for `engine`, with an HTTP transport guarded by the engine's
    /// `webhooks.allow_private_targets`.
    pub fn new(engine: Engine, config: WorkerConfig) -> Result<Self, WebhookError> {
        config.validate()?;
        let transport = WebhookTransport::new(&config.transport(engine.config().webhooks.allow_private_targets))?;
        Self::with_transport(engine, config, transport)
    }

    /// A worker sending through `transport` (one with its own name lookup, say).
    pub fn with_transport(
        engine: Engine,
        config: WorkerConfig,
        transport: WebhookTransport,
    ) -> Result<Self, WebhookError> {
        config.validate()?;
        Ok(WebhookWorker { engine, transport, counters: None, config })
    }

    /// Counts deliveries by outcome in `metrics` (`chamado_webhook_deliveries_total{outcome}`).
    pub fn with_metrics(mut self, metrics: &Metrics) -> Self {
        self.counters = Counters::register(metrics);
        self
    }

    /// Runs [`WebhookWorker::run`] on a task of its own.
    pub fn spawn(self, stop: watch::Receiver<bool>) -> JoinHandle<()> {
        tokio::spawn(self.run(stop))
    }

    /// Delivers until `stop` turns true (or its sender is dropped). It wakes on every engine event (a
    /// commit that may have queued deliveries) and every `poll_interval_ms` (retries coming due, work
    /// queued by other nodes). On stop it claims nothing more; chains waiting for a slot give their
    /// deliveries back at once, and chains sending finish the request under way (at most its timeout),
    /// record it and give the rest back; it returns when all have.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let WebhookWorker { engine, transport, counters, config } = self;
        let busy_delay = Duration::from_millis(config.busy_delay_ms);
        let wake = Arc::new(Notify::new());
        let shared = Arc::new(Shared { engine: engine.clone(), transport, counters, busy_delay, wake: wake.clone() });
        // Weak: the engine keeps its subscribers for its whole life, this worker may end sooner.
        let weak: Weak<Notify> = Arc::downgrade(&wake);
        engine.subscribe(move |_| {
            if let Some(w) = weak.upgrade() {
                w.notify_one();
            }
        });
        let mut poll = tokio::time::interval(Duration::from_millis(config.poll_interval_ms));
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut tasks = JoinSet::new();
        let mut slots: HashMap<String, Slot> = HashMap::new();
        // After receivers turned work back, claim about as much as they took: more would only go back too.
        let mut batch = config.claim_batch;
        loop {
            if *stop.borrow() {
                break;
            }
            while tasks.try_join_next().is_some() {}
            slots.retain(|_, s| s.active.load(Ordering::SeqCst) > 0);
            let again = match engine.claim_webhook_chains(batch).await {
                Ok(chains) => {
                    let claimed: usize = chains.iter().map(|c| c.jobs.len()).sum();
                    let mut busy = Vec::new();
                    for chain in chains {
                        busy.extend(shared.dispatch(chain, config.max_waiting_chains, &mut slots, &mut tasks, &stop));
                    }
                    let taken = claimed - busy.len();
                    if busy.is_empty() {
                        // Work was due and receivers had room: more may be due already (a full claim, or
                        // the log's next events turned into deliveries). Claims grow back to the full batch
                        // step by step, so a receiver that just turned work back is not flooded again.
                        batch = batch.saturating_mul(2).min(config.claim_batch);
                        claimed > 0
                    } else {
                        // One commit for all: a saturated receiver can turn back most of a claim. Wait
                        // for one to drain (or the poll) before claiming again.
                        debug!(deliveries = busy.len(), "receivers busy: deliveries handed back for later");
                        shared.release(&busy, engine.now().plus(busy_delay)).await;
                        batch = taken.clamp(1, config.claim_batch);
                        false
                    }
                }
                Err(e) => {
                    warn!(error = %e, "claiming webhook deliveries failed; trying again at the next round");
                    false
                }
            };
            if again {
                // More may be due: claim again, after letting the chains just started run.
                tokio::task::yield_now().await;
                continue;
            }
            tokio::select! {
                changed = stop.changed() => if changed.is_err() { break },
                () = wake.notified() => {},
                _ = poll.tick() => {},
            }
        }
        while tasks.join_next().await.is_some() {}
    }
}

impl Shared {
    /// Starts `chain` on its own task; when its subscription already has `max_waiting` chains waiting
    /// beside those sending, returns its deliveries instead, to be handed back for later.
    fn dispatch(
        self: &Arc<Self>,
        chain: WebhookChain,
        max_waiting: usize,
        slots: &mut HashMap<String, Slot>,
        tasks: &mut JoinSet<()>,
        stop: &watch::Receiver<bool>,
    ) -> Vec<WebhookJob> {
        let Some(first) = chain.jobs.first() else { return Vec::new() };
        let max = first.subscription.max_concurrency.clamp(1, MAX_CONCURRENCY) as usize;
        let slot = slots.entry(chain.subscription.clone()).or_insert_with(|| Slot::new(max));
        if slot.max != max {
            // Changed by an admin: chains under way keep their slots of the old limit.
            let active = slot.active.clone();
            *slot = Slot { active, ..Slot::new(max) };
        }
        // Counted from when it is started, not from when it begins to wait: the chains of one claim are
        // all started before any of them runs.
        if slot.active.load(Ordering::SeqCst) >= max.saturating_add(max_waiting) {
            return chain.jobs;
        }
        slot.active.fetch_add(1, Ordering::SeqCst);
        let low_water = max.saturating_add(max_waiting) / 2;
        let active = Active { count: slot.active.clone(), low_water, wake: self.wake.clone() };
        let semaphore = slot.semaphore.clone();
        tasks.spawn(self.clone().run_chain(chain.jobs, semaphore, active, stop.clone()));
        Vec::new()
    }

    /// Sends `jobs` in order once a slot is free; see [`WebhookWorker`].
    async fn run_chain(
        self: Arc<Self>,
        jobs: Vec<WebhookJob>,
        semaphore: Arc<Semaphore>,
        _active: Active,
        mut stop: watch::Receiver<bool>,
    ) {
        let Some(first) = jobs.first() else { return };
        let Some(may_wait) = self.start_window(first, self.engine.now()) else {
            return self.release(&jobs, self.engine.now()).await;
        };
        // `None` inside: no slot within the lease; outside: stopped while waiting.
        let permit: Option<Option<OwnedSemaphorePermit>> = tokio::select! {
            p = tokio::time::timeout(may_wait, semaphore.acquire_owned()) => Some(p.ok().and_then(Result::ok)),
            _ = stop.wait_for(|s| *s) => None,
        };
        let Some(permit) = permit else {
            return self.release(&jobs, self.engine.now()).await;
        };
        let Some(_permit) = permit else {
            // The receiver stayed busy for as long as the lease allowed: give them back for later.
            let at = self.engine.now().plus(self.busy_delay);
            return self.release(&jobs, at).await;
        };
        for (i, job) in jobs.iter().enumerate() {
            let now = self.engine.now();
            let stopping = *stop.borrow();
            let Some(timeout) = self.budget(job, now).filter(|_| !stopping) else {
                return self.release(&jobs[i..], now).await;
            };
            let outcome = self.transport.send(job, timeout).await;
            let result = match self.engine.finish_webhook(job, outcome).await {
                Ok(r) => r,
                Err(e) => {
                    // The attempt stays claimed until its lease ends, then it is sent again (receivers
                    // drop duplicates by webhook-id); the rest wait for it.
                    warn!(error = %e, delivery = job.delivery.id, "recording a webhook attempt failed");
                    return;
                }
            };
            if let Some(c) = &self.counters {
                c.attempt(result);
            }
            match result {
                WebhookResult::Delivered | WebhookResult::DeadLetter => {}
                WebhookResult::Retry(at) => return self.release(&jobs[i + 1..], at).await,
                WebhookResult::Disabled => return self.release(&jobs[i + 1..], self.engine.now()).await,
            }
        }
    }

    /// Gives claimed deliveries back, due at `at`, in their order.
    async fn release(&self, jobs: &[WebhookJob], at: Timestamp) {
        if jobs.is_empty() {
            return;
        }
        match self.engine.release_webhooks(jobs, at).await {
            Ok(()) => {
                if let Some(c) = &self.counters {
                    c.released(jobs.len());
                }
            }
            // They come back when their lease ends.
            Err(e) => warn!(error = %e, "handing webhook deliveries back failed"),
        }
    }

    /// The request timeout `job` may start with at `now`, if any: its subscription's, when that still
    /// fits before its lease ends (less a margin for recording the attempt). A lease shorter than the
    /// timeout (a configuration mistake) shortens requests to what is left, down to half the lease.
    fn budget(&self, job: &WebhookJob, now: Timestamp) -> Option<Duration> {
        let (left, need) = self.lease_left(job, now);
        let want = job.subscription.timeout_ms.max(1);
        (left >= need).then(|| Duration::from_millis(want.min(u64::try_from(left).unwrap_or(0))))
    }

    /// How long `job` may still wait to start at `now`, if it may start at all.
    fn start_window(&self, job: &WebhookJob, now: Timestamp) -> Option<Duration> {
        let (left, need) = self.lease_left(job, now);
        (left >= need).then(|| Duration::from_millis(u64::try_from(left - need).unwrap_or(0)))
    }

    /// Milliseconds left of `job`'s lease at `now` (less the margin), and the least a request needs.
    fn lease_left(&self, job: &WebhookJob, now: Timestamp) -> (i64, i64) {
        let lease_ms =
            i64::try_from(self.engine.config().webhooks.lease_secs.max(1).saturating_mul(1000)).unwrap_or(i64::MAX);
        let margin = MAX_MARGIN_MS.min(lease_ms / 10);
        // A claimed delivery's next attempt is the end of its lease.
        let left = job.delivery.next_attempt_at.as_millis().saturating_sub(now.as_millis()).saturating_sub(margin);
        let want = i64::try_from(job.subscription.timeout_ms.max(1)).unwrap_or(i64::MAX);
        (left, want.min(lease_ms / 2))
    }
}
