//! Webhooks through the helpdesk's `/api/v1/webhooks`.

use super::Webhooks;
use crate::error::{AdminError, Result};
use crate::http_client::encode;
use crate::remote::Remote;
use chamado::{Timestamp, WebhookSubscription};
use chamado_api_types::webhooks::{
    DeliveryList, DeliveryOut, ReplayCount, ReplayRange, SecretRotation, WebhookIn, WebhookList, WebhookOut as Shown,
    WebhookPatch,
};

/// `/webhooks/{id}`.
fn path(id: &str) -> String {
    format!("/webhooks/{}", encode(id))
}

/// A time as the API reads it: RFC 3339 in UTC, to the millisecond.
fn rfc3339(t: Timestamp) -> Result<String> {
    jiff::Timestamp::from_millisecond(t.0)
        .map(|t| t.to_string())
        .map_err(|e| AdminError::Usage(format!("{t:?} is out of range: {e}")))
}

/// The body that adds `w` (whose one secret the command line made or was given).
fn body(w: WebhookSubscription) -> WebhookIn {
    WebhookIn {
        url: w.url,
        events: w.events.iter().map(|e| e.as_str().to_string()).collect(),
        secret: w.secrets.into_iter().next().map(|s| s.secret),
        secrets: Vec::new(),
        queues: w.queues,
        groups: w.groups,
        enabled: w.enabled,
        description: w.description,
        max_concurrency: w.max_concurrency,
        timeout_ms: u32::try_from(w.timeout_ms).unwrap_or(u32::MAX),
    }
}

impl Webhooks for Remote {
    async fn webhooks(&self) -> Result<Vec<Shown>> {
        Ok(self.http().get::<WebhookList>("/webhooks").await?.items)
    }

    async fn webhook_get(&self, id: &str) -> Result<Option<Shown>> {
        match self.http().get(&path(id)).await {
            Ok(w) => Ok(Some(w)),
            Err(AdminError::Api { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn webhook_add(&self, w: WebhookSubscription) -> Result<Shown> {
        self.http().post("/webhooks", &body(w)).await
    }

    async fn webhook_patch(&self, id: &str, p: WebhookPatch) -> Result<Shown> {
        self.http().patch(&path(id), &p).await
    }

    async fn webhook_add_secret(&self, id: &str, secret: &str, expire_old_after_hours: Option<u32>) -> Result<Shown> {
        let rotation = SecretRotation { secret: Some(secret.to_string()), expires_at: None, expire_old_after_hours };
        self.http().post(&format!("{}/secrets", path(id)), &rotation).await
    }

    async fn webhook_delete(&self, id: &str) -> Result<()> {
        self.http().delete(&path(id)).await
    }

    async fn webhook_deliveries(&self, id: &str, limit: usize) -> Result<Vec<DeliveryOut>> {
        let page: DeliveryList = self.http().get(&format!("{}/deliveries?limit={limit}", path(id))).await?;
        Ok(page.items)
    }

    async fn webhook_replay_one(&self, id: &str, delivery: u64) -> Result<DeliveryOut> {
        let at = format!("{}/deliveries/{delivery}/replay", path(id));
        self.http().post(&at, &serde_json::json!({})).await
    }

    async fn webhook_replay(&self, id: &str, from: Timestamp, to: Timestamp, only_failed: bool) -> Result<usize> {
        let range = ReplayRange { from: Some(rfc3339(from)?), to: Some(rfc3339(to)?), only_failed };
        let n: ReplayCount = self.http().post(&format!("{}/replay", path(id)), &range).await?;
        Ok(usize::try_from(n.replayed).unwrap_or(usize::MAX))
    }
}
