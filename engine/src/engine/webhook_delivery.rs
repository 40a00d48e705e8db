//! Sending webhook deliveries: the engine claims them (splitting fan-out entries, keeping each ticket's
//! events to a subscriber in order), the host's transport sends them (HTTP, signatures, per-receiver
//! concurrency), and the engine records each result: retried with exponential backoff and jitter for the
//! retry window, then a dead letter; `410 Gone` disables the subscription.

use super::Engine;
use crate::directory::{Record, RecordKey, RecordKind};
use crate::error::DuplicateKind;
use crate::error::Result;
use crate::outbox::OutboxStatus;
use crate::store::{Commit, IdempotencyOutcome, IdempotencyRecord};
use crate::time::Timestamp;
use crate::webhooks::{KEPT_ATTEMPTS, WebhookAttempt, WebhookDelivery, WebhookOutcome, WebhookSubscription};
use std::collections::HashMap;
use std::time::Duration;

/// How soon a delivery held behind a first attempt of an earlier one is looked at again.
const HELD_RECHECK: Duration = Duration::from_secs(1);
/// The id of the event log's cursor row among the deliveries: where the loop that makes deliveries of
/// logged events has got to (`order` is the last `seq` done). Leased like a delivery, so that one node at a
/// time makes them. Allocated ids start at 1.
pub const FAN_OUT_CURSOR: u64 = 0;
/// The idempotency key the cursor row's creation takes, so it is created once ever.
const FAN_OUT_CURSOR_ONCE: &str = "webhooks:fan-out-cursor";
/// Events turned into deliveries per commit.
const FAN_OUT_BATCH: usize = 512;

/// One delivery ready to send: the request's parts, unsigned (the transport signs with `secrets`).
#[derive(Debug, Clone)]
pub struct WebhookJob {
    /// The delivery as claimed.
    pub delivery: WebhookDelivery,
    /// The subscription it goes to (URL, limits).
    pub subscription: WebhookSubscription,
    /// `webhook-id`: the event's id, the same on every attempt and replay.
    pub message_id: String,
    /// The JSON body.
    pub body: String,
    /// The secrets that sign it (each gives one `v1,` signature).
    pub secrets: Vec<String>,
}

/// Deliveries of one subscription about one ticket (or one directory change), to be sent one after
/// another, in this order; stop at the first that is not delivered and hand the rest to
/// [`Engine::release_webhooks`].
#[derive(Debug, Clone)]
pub struct WebhookChain {
    /// The subscription's id.
    pub subscription: String,
    /// The deliveries, in the ticket's event order.
    pub jobs: Vec<WebhookJob>,
}

/// What became of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookResult {
    /// Delivered: the chain goes on.
    Delivered,
    /// Will be retried at this time: the chain stops.
    Retry(Timestamp),
    /// A dead letter (the retry window ended): the chain goes on.
    DeadLetter,
    /// `410 Gone`: a dead letter, and the subscription is disabled; the chain stops (release the rest: they
    /// become dead letters too, to be replayed once an admin enables the subscription again).
    Disabled,
}

impl Engine {
    /// Claims due webhook deliveries (at most `limit` entries per store claim), makes deliveries of the
    /// events logged since the last time (when this node holds the log's cursor), and returns what may be
    /// sent now, as chains. Deliveries whose ticket has an earlier one pending for the same subscription
    /// wait for it.
    pub async fn claim_webhook_chains(&self, limit: usize) -> Result<Vec<WebhookChain>> {
        let cfg = &self.config().webhooks;
        let mut out: Vec<WebhookChain> = Vec::new();
        if self.store().webhook_delivery(FAN_OUT_CURSOR).await?.is_none() {
            // Created once, by whoever comes first: a second creation racing the first (another node, another
            // sender) could land after the first cursor was claimed and moved, putting it back to the log's
            // start, and every event would be delivered again. The key makes the late one a refusal.
            let once = IdempotencyRecord {
                key: FAN_OUT_CURSOR_ONCE.into(),
                ticket_id: None,
                article_id: None,
                outcome: IdempotencyOutcome::Rejected,
                detail: None,
                at: self.now(),
            };
            let create = Commit {
                webhooks: vec![cursor_row(0, Timestamp::EPOCH)],
                idempotency: Some(once),
                ..Default::default()
            };
            match self.store().commit(create).await {
                Err(e) if !e.is_duplicate(DuplicateKind::IdempotencyKey) => return Err(e.into()),
                _ => {}
            }
        }
        // New deliveries from the log are due at once: claim again (a bounded number of times).
        for _ in 0..4 {
            let now = self.now();
            let lease = now.plus(Duration::from_secs(cfg.lease_secs.max(1)));
            let claimed = self.store().claim_webhooks(now, lease, limit).await?;
            if claimed.is_empty() {
                break;
            }
            let (cursors, deliveries): (Vec<_>, Vec<_>) = claimed.into_iter().partition(|d| d.is_fan_out());
            let mut fanned = false;
            for c in cursors {
                if c.id == FAN_OUT_CURSOR {
                    fanned |= self.fan_out_log(c).await?;
                }
            }
            self.chain_deliveries(deliveries, &mut out).await?;
            if !fanned {
                break;
            }
        }
        Ok(out)
    }

    /// Makes the deliveries of the events logged after the cursor (the node holds its lease): one per
    /// enabled subscription that wants the event and existed when it was logged, in log order, so one
    /// ticket's deliveries to a subscription are queued in the order of its events; the cursor moves in
    /// the same commit (after a crash, either both or neither). Returns whether there were events.
    async fn fan_out_log(&self, mut cursor: WebhookDelivery) -> Result<bool> {
        let events = self.store().events_after(cursor.order, FAN_OUT_BATCH).await?;
        let snap = self.directory().await?;
        let now = self.now();
        let mut commit = Commit::default();
        for e in &events {
            let group = e.queue.as_ref().and_then(|q| snap.queues.get(q)).map(|q| q.group.as_str());
            for sub in snap.webhooks.iter().filter(|s| e.seq > s.starts_after) {
                if !sub.wants(e.event_type, e.queue.as_deref(), group) {
                    continue;
                }
                commit.webhooks.push(WebhookDelivery {
                    id: self.next_id("webhook_delivery").await?,
                    subscription: sub.id.clone(),
                    fan_out: Vec::new(),
                    events: vec![e.clone()],
                    ticket_id: e.ticket_id,
                    order: e.order,
                    status: OutboxStatus::Pending,
                    attempts: 0,
                    next_attempt_at: now,
                    created_at: e.at,
                    retry_since: e.at,
                    recent_attempts: Vec::new(),
                    replays: 0,
                });
            }
        }
        // Due again at once: the next claim (woken by the next event, or the loop's poll interval) looks
        // at the log again; idle, that is one small write per poll, on the node that claims it.
        cursor.order = events.last().map_or(cursor.order, |e| e.seq);
        cursor.next_attempt_at = now;
        commit.webhooks.push(cursor);
        self.store().commit(commit).await?;
        Ok(!events.is_empty())
    }

    /// Groups claimed deliveries into chains, holding back those with an earlier pending one.
    async fn chain_deliveries(&self, mut claimed: Vec<WebhookDelivery>, out: &mut Vec<WebhookChain>) -> Result<()> {
        claimed.sort_by_key(|d| (d.ticket_id, d.subscription.clone(), d.order));
        let snap = self.directory().await?;
        let now = self.now();
        let mut pending_of: HashMap<crate::TicketId, Vec<WebhookDelivery>> = HashMap::new();
        let mut dead = Commit::default();
        let mut held = Commit::default();
        for d in claimed {
            let Some(sub) = snap.webhooks.iter().find(|s| s.id == d.subscription).cloned() else {
                let mut d = d;
                d.status = OutboxStatus::Failed;
                d.recent_attempts.push(note(now, "the subscription no longer exists"));
                dead.webhooks.push(d);
                continue;
            };
            if !sub.enabled {
                let mut d = d;
                d.status = OutboxStatus::Failed;
                d.recent_attempts.push(note(now, "the subscription is disabled"));
                dead.webhooks.push(d);
                continue;
            }
            if let Some(t) = d.ticket_id {
                if let std::collections::hash_map::Entry::Vacant(e) = pending_of.entry(t) {
                    e.insert(self.store().pending_webhooks_for_ticket(t).await?);
                }
                let in_chain = |p: &WebhookDelivery| out.iter().any(|c| c.jobs.iter().any(|j| j.delivery.id == p.id));
                if let Some(first) =
                    pending_of[&t].iter().filter(|p| p.precedes(&d) && !in_chain(p)).min_by_key(|p| p.next_attempt_at)
                {
                    // An earlier event of this ticket waits for its (re)try: go right after it. A first
                    // attempt may be under way (claimed, its next attempt the lease's end) and usually ends
                    // in milliseconds: look again soon rather than a whole lease later.
                    let mut d = d;
                    let after = first.next_attempt_at.max(now).plus(Duration::from_millis(1));
                    d.next_attempt_at = if first.attempts == 0 { after.min(now.plus(HELD_RECHECK)) } else { after };
                    held.webhooks.push(d);
                    continue;
                }
            }
            let Some(event) = d.event().cloned() else {
                let mut d = d;
                d.status = OutboxStatus::Failed;
                d.recent_attempts.push(note(now, "the delivery holds no event"));
                dead.webhooks.push(d);
                continue;
            };
            let event = self.complete_event(event).await?;
            let job = WebhookJob {
                message_id: event.id.clone(),
                body: event.body(),
                secrets: sub.active_secrets(now),
                subscription: sub,
                delivery: d,
            };
            // The ticket's chain to this subscription may come from an earlier claim of this call (its
            // earlier events, claimed before the log's newest were made deliveries): join it, or the two
            // would be sent side by side.
            let same_chain = out.iter_mut().find(|c| {
                c.subscription == job.delivery.subscription
                    && job.delivery.ticket_id.is_some()
                    && c.jobs.last().is_some_and(|j| j.delivery.ticket_id == job.delivery.ticket_id)
            });
            match same_chain {
                Some(chain) => chain.jobs.push(job),
                None => out.push(WebhookChain { subscription: job.delivery.subscription.clone(), jobs: vec![job] }),
            }
        }
        for c in [dead, held] {
            if !c.webhooks.is_empty() {
                self.store().commit(c).await?;
            }
        }
        Ok(())
    }

    /// Records the outcome of sending `job`. Delivered: done. `410 Gone`: a dead letter, and the
    /// subscription is disabled. Otherwise retried after a backoff (doubling from
    /// `webhooks.backoff_secs`, ±20% jitter, at least what `Retry-After` asked, at most
    /// `max_backoff_secs`) until `retry_hours` after the run started, then a dead letter.
    pub async fn finish_webhook(&self, job: &WebhookJob, outcome: WebhookOutcome) -> Result<WebhookResult> {
        let cfg = &self.config().webhooks;
        let now = self.now();
        let mut d = job.delivery.clone();
        d.attempts += 1;
        let (attempt, result) = match outcome {
            WebhookOutcome::Delivered { status, latency_ms } => {
                (WebhookAttempt { at: now, status: Some(status), latency_ms, error: None }, WebhookResult::Delivered)
            }
            WebhookOutcome::Gone { latency_ms } => {
                self.disable_gone(&job.subscription.id, now).await?;
                let error = Some("410 Gone: the subscription was disabled".to_string());
                (WebhookAttempt { at: now, status: Some(410), latency_ms, error }, WebhookResult::Disabled)
            }
            WebhookOutcome::Failed { status, error, latency_ms, retry_after } => {
                let window_ends = d.retry_since.plus(Duration::from_secs(cfg.retry_hours.saturating_mul(3600)));
                let backoff = backoff(cfg, d.id, d.attempts).max(retry_after.unwrap_or_default());
                let backoff = backoff.min(Duration::from_secs(cfg.max_backoff_secs.max(1)));
                let next = now.plus(backoff);
                let result = if now >= window_ends { WebhookResult::DeadLetter } else { WebhookResult::Retry(next) };
                (WebhookAttempt { at: now, status, latency_ms, error: Some(error) }, result)
            }
        };
        d.recent_attempts.push(attempt);
        if d.recent_attempts.len() > KEPT_ATTEMPTS {
            let extra = d.recent_attempts.len() - KEPT_ATTEMPTS;
            d.recent_attempts.drain(..extra);
        }
        match result {
            WebhookResult::Delivered => d.status = OutboxStatus::Sent,
            WebhookResult::DeadLetter | WebhookResult::Disabled => d.status = OutboxStatus::Failed,
            WebhookResult::Retry(next) => d.next_attempt_at = next,
        }
        self.store().commit(Commit { webhooks: vec![d], ..Default::default() }).await?;
        Ok(result)
    }

    /// Puts claimed deliveries that were not attempted back, due at `at` (no attempt counted): the rest
    /// of a chain that stopped, or deliveries a busy receiver could not take within their lease.
    pub async fn release_webhooks(&self, jobs: &[WebhookJob], at: Timestamp) -> Result<()> {
        if jobs.is_empty() {
            return Ok(());
        }
        let webhooks = jobs
            .iter()
            .enumerate()
            .map(|(i, j)| {
                let mut d = j.delivery.clone();
                // Keep the chain's order among themselves.
                d.next_attempt_at = at.plus(Duration::from_millis(i as u64));
                d
            })
            .collect();
        Ok(self.store().commit(Commit { webhooks, ..Default::default() }).await?)
    }

    /// How many webhook deliveries wait (the backlog), for monitoring.
    pub async fn webhooks_pending(&self) -> Result<u64> {
        let all = self.store().webhooks_pending().await?;
        let cursor = self.store().webhook_delivery(FAN_OUT_CURSOR).await?.is_some_and(|c| c.due_at().is_some());
        Ok(all.saturating_sub(u64::from(cursor)))
    }

    async fn disable_gone(&self, id: &str, now: Timestamp) -> Result<()> {
        if let Some(Record::Webhook(mut s)) = self.store().record(&RecordKey::new(RecordKind::Webhook, id)).await?
            && s.enabled
        {
            s.enabled = false;
            s.disabled_reason = Some(format!("410 Gone at {now}"));
            self.store().put_record(Record::Webhook(s)).await?;
            self.invalidate_directory();
        }
        Ok(())
    }
}

fn note(at: Timestamp, error: &str) -> WebhookAttempt {
    WebhookAttempt { at, status: None, latency_ms: 0, error: Some(error.to_string()) }
}

/// The wait before attempt `attempts + 1`: `backoff_secs` doubled per attempt, with ±20% jitter drawn
/// from the delivery's id and attempt (deterministic, so the engine needs no random source, and spread
/// so that retries of many deliveries do not arrive together).
fn backoff(cfg: &crate::webhooks::WebhookConfig, id: u64, attempts: u32) -> Duration {
    let base = Duration::from_secs(cfg.backoff_secs.max(1));
    let raw = base.saturating_mul(1u32 << attempts.saturating_sub(1).min(20));
    let capped = raw.min(Duration::from_secs(cfg.max_backoff_secs.max(1)));
    // SplitMix64 of (id, attempts): a well-spread value in [0, 1).
    let mut z = id.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(attempts).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let unit = (z >> 11) as f64 / (1u64 << 53) as f64;
    capped.mul_f64(0.8 + 0.4 * unit)
}

/// The cursor row at `seq`, due at `at`.
fn cursor_row(seq: u64, at: Timestamp) -> WebhookDelivery {
    WebhookDelivery {
        id: FAN_OUT_CURSOR,
        subscription: String::new(),
        fan_out: Vec::new(),
        events: Vec::new(),
        ticket_id: None,
        order: seq,
        status: OutboxStatus::Pending,
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
        retry_since: at,
        recent_attempts: Vec::new(),
        replays: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_within_twenty_percent_and_caps() {
        let cfg = crate::webhooks::WebhookConfig::default();
        for attempts in 1..=12u32 {
            let nominal = (5u64 << (attempts - 1)).min(3600) as f64;
            let mut seen = std::collections::HashSet::new();
            for id in 0..200 {
                let b = backoff(&cfg, id, attempts).as_secs_f64();
                assert!(b >= nominal * 0.8 - 1e-9 && b <= nominal * 1.2 + 1e-9, "{attempts} {b}");
                seen.insert(b.to_bits());
            }
            assert!(seen.len() > 150, "jitter spreads retries");
        }
    }
}
