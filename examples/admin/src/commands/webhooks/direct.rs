//! Webhooks on the store: the engine's admin operations, answered in the API's shapes.

use super::Webhooks;
use crate::direct::Direct;
use crate::error::{AdminError, Result};
use chamado::webhooks::WebhookSecret;
use chamado::{Actor, Admin, OutboxStatus, Timestamp, WebhookSubscription};
use chamado_api_types::webhooks::{DeliveryOut, SECRETS_MAX, WebhookOut as Shown, WebhookPatch};
use std::time::Duration;

impl Direct {
    async fn webhook_admin(&self) -> Result<Admin<'_>> {
        Ok(self.engine().admin(&Actor::System).await?)
    }

    /// `w` as the API shows it now: every secret masked.
    fn shown(&self, w: &WebhookSubscription) -> Shown {
        Shown::new(w, self.engine().now(), |_| false)
    }
}

impl Webhooks for Direct {
    async fn webhooks(&self) -> Result<Vec<Shown>> {
        Ok(self.webhook_admin().await?.webhooks().await?.iter().map(|w| self.shown(w)).collect())
    }

    async fn webhook_get(&self, id: &str) -> Result<Option<Shown>> {
        match self.webhook_admin().await?.webhook(id).await {
            Ok(w) => Ok(Some(self.shown(&w))),
            Err(chamado::Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn webhook_add(&self, w: WebhookSubscription) -> Result<Shown> {
        Ok(self.shown(&self.webhook_admin().await?.put_webhook(w).await?))
    }

    async fn webhook_patch(&self, id: &str, p: WebhookPatch) -> Result<Shown> {
        let admin = self.webhook_admin().await?;
        let mut w = admin.webhook(id).await?;
        p.apply(&mut w)?;
        Ok(self.shown(&admin.put_webhook(w).await?))
    }

    /// As `POST /webhooks/{id}/secrets` does it.
    async fn webhook_add_secret(&self, id: &str, secret: &str, expire_old_after_hours: Option<u32>) -> Result<Shown> {
        let admin = self.webhook_admin().await?;
        let mut w = admin.webhook(id).await?;
        let now = self.engine().now();
        if let Some(hours) = expire_old_after_hours {
            let end = now.plus(Duration::from_secs(u64::from(hours) * 3600));
            for s in &mut w.secrets {
                s.expires_at = Some(s.expires_at.map_or(end, |e| e.min(end)));
            }
        }
        // Ended secrets sign nothing: dropped, they leave room for new ones.
        w.secrets.retain(|s| s.expires_at.is_none_or(|e| e > now));
        w.secrets.push(WebhookSecret { secret: secret.to_string(), created_at: now, expires_at: None });
        if w.secrets.len() > SECRETS_MAX {
            return Err(AdminError::Usage(format!(
                "webhook {id:?} would hold more than {SECRETS_MAX} secrets: end the old ones with --expire-secrets-after-hours"
            )));
        }
        Ok(self.shown(&admin.put_webhook(w).await?))
    }

    async fn webhook_delete(&self, id: &str) -> Result<()> {
        Ok(self.webhook_admin().await?.delete_webhook(id).await?)
    }

    async fn webhook_deliveries(&self, id: &str, limit: usize) -> Result<Vec<DeliveryOut>> {
        let found = self.webhook_admin().await?.webhook_deliveries(id, None, limit).await?;
        Ok(found.iter().map(DeliveryOut::from).collect())
    }

    async fn webhook_replay_one(&self, id: &str, delivery: u64) -> Result<DeliveryOut> {
        let admin = self.webhook_admin().await?;
        // As the API: one waiting to be sent is not queued again (its attempts would start over).
        let page = admin.webhook_deliveries(id, Some(delivery.saturating_add(1)), 1).await?;
        if page.first().is_some_and(|d| d.id == delivery && d.status == OutboxStatus::Pending) {
            return Err(AdminError::Usage(format!("delivery {delivery} is waiting to be sent already")));
        }
        Ok(DeliveryOut::from(&admin.replay_webhook_delivery(id, delivery).await?))
    }

    async fn webhook_replay(&self, id: &str, from: Timestamp, to: Timestamp, only_failed: bool) -> Result<usize> {
        Ok(self.webhook_admin().await?.replay_webhooks(id, from, to, only_failed).await?)
    }
}
