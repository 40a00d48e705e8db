//! Webhook deliveries: the outbox entries of webhooks, kept by the store beside the event log.

use super::EventRecord;
use crate::ids::TicketId;
use crate::outbox::OutboxStatus;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Attempts a delivery remembers, newest last.
pub const KEPT_ATTEMPTS: usize = 10;

/// One event to send to one subscription, or (a fan-out entry) the events of one commit about one ticket,
/// to be split into one delivery per subscription by the delivery loop.
///
/// The commit that causes events writes at most one fan-out entry per ticket, whatever the number of
/// subscribers, so that subscriptions cost the write path little; the loop replaces it by the deliveries
/// in one commit (after a crash, either the fan-out entry or all of its deliveries exist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    /// Id (allocated, scope `webhook_delivery`).
    pub id: u64,
    /// The subscription; empty in a fan-out entry.
    pub subscription: String,
    /// A fan-out entry: the subscriptions it is split into (empty in a delivery).
    pub fan_out: Vec<String>,
    /// A delivery: exactly one event; a fan-out entry: the commit's events about one ticket (or one
    /// directory change), in order.
    pub events: Vec<EventRecord>,
    /// The ticket the events are about (`None`: a directory change).
    pub ticket_id: Option<TicketId>,
    /// The order of the (first) event among the ticket's ([`EventRecord::order`]).
    pub order: u64,
    /// Pending (waiting for an attempt at `next_attempt_at`), sent, or failed for good (a dead letter).
    pub status: OutboxStatus,
    /// Attempts since it was queued or last replayed.
    pub attempts: u32,
    /// When it may be attempted (again); while claimed, the end of the claim's lease.
    pub next_attempt_at: Timestamp,
    /// When it was queued.
    pub created_at: Timestamp,
    /// When the current run of retries started (queued, or replayed): retries stop 24 hours (the
    /// configured window) after it.
    pub retry_since: Timestamp,
    /// The latest attempts, oldest first (at most [`KEPT_ATTEMPTS`]).
    pub recent_attempts: Vec<WebhookAttempt>,
    /// How many times an admin replayed it.
    pub replays: u32,
}

/// One attempt to send a delivery: what the receiver answered and how long it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookAttempt {
    /// When the request was sent.
    pub at: Timestamp,
    /// The HTTP status, when the receiver answered.
    pub status: Option<u16>,
    /// From sending the request to the answer (or the failure), in milliseconds.
    pub latency_ms: u64,
    /// Why it failed (`None`: delivered).
    pub error: Option<String>,
}

/// What a transport reports for one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// A 2xx answer.
    Delivered {
        /// The status.
        status: u16,
        /// Milliseconds taken.
        latency_ms: u64,
    },
    /// `410 Gone`: the receiver wants no more; the subscription is disabled.
    Gone {
        /// Milliseconds taken.
        latency_ms: u64,
    },
    /// Anything else: a non-2xx status, a timeout, a refused connection, a refused target. Retried.
    Failed {
        /// The status, when the receiver answered.
        status: Option<u16>,
        /// What went wrong, for admins.
        error: String,
        /// Milliseconds taken.
        latency_ms: u64,
        /// What the receiver asked for (`Retry-After`), honoured up to the backoff's cap.
        retry_after: Option<Duration>,
    },
}

impl WebhookDelivery {
    /// When a store must hand this entry to [`crate::Store::claim_webhooks`]: the next attempt, while
    /// pending. Stores index exactly this.
    pub fn due_at(&self) -> Option<Timestamp> {
        (self.status == OutboxStatus::Pending).then_some(self.next_attempt_at)
    }

    /// Whether this is a fan-out entry (split into deliveries by the delivery loop).
    pub fn is_fan_out(&self) -> bool {
        self.subscription.is_empty()
    }

    /// The event a delivery sends (`None` in a fan-out entry with several).
    pub fn event(&self) -> Option<&EventRecord> {
        match self.events.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The latest attempt.
    pub fn last_attempt(&self) -> Option<&WebhookAttempt> {
        self.recent_attempts.last()
    }

    /// Whether this pending entry must go out before `other` (same ticket, same subscriber, earlier).
    pub fn precedes(&self, other: &WebhookDelivery) -> bool {
        self.id != other.id
            && self.status == OutboxStatus::Pending
            && self.ticket_id.is_some()
            && self.ticket_id == other.ticket_id
            && self.order < other.order
            && (self.subscription == other.subscription
                || (self.is_fan_out() && self.fan_out.contains(&other.subscription)))
    }
}
