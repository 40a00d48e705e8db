//! Webhook subscriptions as admins manage them: add, change, remove, see the latest deliveries and their
//! attempts, replay dead letters or a time range.

use super::Admin;
use crate::directory::{Record, RecordKey, RecordKind};
use crate::error::{Error, Result};
use crate::outbox::OutboxStatus;
use crate::store::Commit;
use crate::time::Timestamp;
use crate::webhooks::{WebhookDelivery, WebhookSubscription, WebhookTarget};
use chamado_i18n::Message;

/// Deliveries walked per store read when replaying a range.
const PAGE: usize = 200;

impl Admin<'_> {
    /// Adds or replaces a subscription and returns it as stored. An empty id gets a new one (`wh_<n>`);
    /// a new subscription's `created_at` is now, a changed one keeps its own. The URL must be `http(s)`
    /// and, unless `webhooks.allow_private_targets` is set, not point at a private, loopback or
    /// link-local address; queues and groups named must exist.
    pub async fn put_webhook(&self, mut sub: WebhookSubscription) -> Result<WebhookSubscription> {
        let engine = self.engine;
        if sub.id.is_empty() {
            sub.id = format!("wh_{}", engine.next_id("webhook").await?);
        }
        sub.validate()?;
        let target = WebhookTarget::parse(&sub.url)?;
        target.check(engine.config().webhooks.allow_private_targets)?;
        for q in &sub.queues {
            if engine.store().record(&RecordKey::new(RecordKind::Queue, q)).await?.is_none() {
                return Err(Error::not_found(super::admin_texts::missing(RecordKind::Queue, q)));
            }
        }
        for g in &sub.groups {
            if engine.store().record(&RecordKey::new(RecordKind::Group, g)).await?.is_none() {
                return Err(Error::not_found(super::admin_texts::missing(RecordKind::Group, g)));
            }
        }
        let now = engine.now();
        match self.webhook(&sub.id).await {
            Ok(old) => (sub.created_at, sub.starts_after) = (old.created_at, old.starts_after),
            Err(Error::NotFound(_)) => {
                sub.created_at = now;
                sub.starts_after = engine.store().last_event_seq().await?;
            }
            Err(e) => return Err(e),
        }
        if sub.enabled {
            sub.disabled_reason = None;
        }
        for s in &mut sub.secrets {
            if s.created_at == Timestamp::EPOCH {
                s.created_at = now;
            }
        }
        self.put(Record::Webhook(sub.clone())).await?;
        Ok(sub)
    }

    /// Every subscription, by id.
    pub async fn webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        let records = self.engine.all_records(RecordKind::Webhook, "").await?;
        Ok(records.into_iter().filter_map(|r| if let Record::Webhook(w) = r { Some(w) } else { None }).collect())
    }

    /// One subscription.
    pub async fn webhook(&self, id: &str) -> Result<WebhookSubscription> {
        match self.engine.store().record(&RecordKey::new(RecordKind::Webhook, id)).await? {
            Some(Record::Webhook(w)) => Ok(w),
            _ => Err(Error::not_found(Message::new("error-webhook-not-found").arg("id", id))),
        }
    }

    /// Removes a subscription; what is queued for it becomes a dead letter when its turn comes.
    pub async fn delete_webhook(&self, id: &str) -> Result<()> {
        self.webhook(id).await?;
        self.engine.store().delete_record(&RecordKey::new(RecordKind::Webhook, id)).await?;
        self.engine.invalidate_directory();
        Ok(())
    }

    /// A subscription's deliveries, newest first (ids below `before` when given), with their latest
    /// attempts: status, latency, error.
    pub async fn webhook_deliveries(
        &self,
        id: &str,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<WebhookDelivery>> {
        self.webhook(id).await?;
        Ok(self.engine.store().webhook_deliveries(id, before, limit.clamp(1, 500)).await?)
    }

    /// Sends one delivery of subscription `id` again (a dead letter, or one delivered before), with the
    /// same `webhook-id`, now, with a new retry window.
    pub async fn replay_webhook_delivery(&self, id: &str, delivery: u64) -> Result<WebhookDelivery> {
        self.webhook(id).await?;
        let found = self.engine.store().webhook_delivery(delivery).await?;
        let Some(d) = found.filter(|d| d.subscription == id) else {
            return Err(Error::not_found(
                Message::new("error-webhook-delivery-not-found").arg("id", delivery.to_string()),
            ));
        };
        let d = self.replayed(d);
        self.engine.store().commit(Commit { webhooks: vec![d.clone()], ..Default::default() }).await?;
        Ok(d)
    }

    /// Sends again every delivery of subscription `id` queued in `[from, to)` that is not waiting already
    /// (`only_failed`: only dead letters); returns how many.
    pub async fn replay_webhooks(&self, id: &str, from: Timestamp, to: Timestamp, only_failed: bool) -> Result<usize> {
        self.webhook(id).await?;
        let mut before = None;
        let mut replayed = 0;
        loop {
            let page = self.engine.store().webhook_deliveries(id, before, PAGE).await?;
            let Some(last) = page.last() else { break };
            before = Some(last.id);
            let done = page.len() < PAGE || page.iter().any(|d| d.created_at < from);
            let picked: Vec<WebhookDelivery> = page
                .into_iter()
                .filter(|d| d.created_at >= from && d.created_at < to && d.status != OutboxStatus::Pending)
                .filter(|d| !only_failed || d.status == OutboxStatus::Failed)
                .map(|d| self.replayed(d))
                .collect();
            replayed += picked.len();
            if !picked.is_empty() {
                self.engine.store().commit(Commit { webhooks: picked, ..Default::default() }).await?;
            }
            if done {
                break;
            }
        }
        Ok(replayed)
    }

    fn replayed(&self, mut d: WebhookDelivery) -> WebhookDelivery {
        let now = self.engine.now();
        d.status = OutboxStatus::Pending;
        d.attempts = 0;
        d.next_attempt_at = now;
        d.retry_since = now;
        d.replays += 1;
        d
    }
}
