//! A webhook subscription: where to send which events, signed with which secrets.

use super::{EventType, TargetError, WebhookTarget};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use chamado_i18n::Message;
use serde::{Deserialize, Serialize};

/// The prefix of Standard Webhooks secrets.
pub const SECRET_PREFIX: &str = "whsec_";
/// The fewest secret bytes accepted (Standard Webhooks asks for 24 to 64).
const MIN_SECRET_BYTES: usize = 24;
/// The most secret bytes accepted.
const MAX_SECRET_BYTES: usize = 64;

/// An admin's subscription to events, as the directory keeps it ([`crate::RecordKind::Webhook`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSubscription {
    /// The unique id (`wh_<n>` when the engine picks it).
    pub id: String,
    /// The receiver: an `http` or `https` URL.
    pub url: String,
    /// The events sent (at least one).
    pub events: Vec<EventType>,
    /// Only tickets in these queues (empty: any queue).
    pub queues: Vec<String>,
    /// Only tickets in queues of these groups (empty: any group).
    pub groups: Vec<String>,
    /// The signing secrets (`whsec_` + base64 of 24 to 64 bytes): each active one signs every request,
    /// so a receiver can move to a new secret before the old one ends. At least one.
    pub secrets: Vec<WebhookSecret>,
    /// Sent to; a disabled subscription queues nothing (and its queued deliveries wait).
    pub enabled: bool,
    /// Why the engine disabled it (a `410 Gone`), for admins.
    pub disabled_reason: Option<String>,
    /// What it is for, for admins.
    pub description: String,
    /// Requests in flight to this receiver at most (default 4).
    pub max_concurrency: u32,
    /// How long to wait for an answer, in milliseconds (default 10,000).
    pub timeout_ms: u64,
    /// When it was created.
    pub created_at: crate::Timestamp,
    /// The event log's position when it was created (set by the engine): it gets the events logged after.
    #[serde(default)]
    pub starts_after: u64,
}

/// One signing secret of a subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSecret {
    /// `whsec_` + base64.
    pub secret: String,
    /// When it was added.
    pub created_at: Timestamp,
    /// When it stops signing (`None`: never). A rotated-out secret keeps signing until then.
    pub expires_at: Option<Timestamp>,
}

impl WebhookSubscription {
    /// A subscription of `url` to `events`, signed with `secret`, enabled, with the default limits.
    pub fn new(id: &str, url: &str, events: Vec<EventType>, secret: &str) -> WebhookSubscription {
        WebhookSubscription {
            id: id.to_string(),
            url: url.to_string(),
            events,
            queues: Vec::new(),
            groups: Vec::new(),
            secrets: vec![WebhookSecret { secret: secret.to_string(), created_at: Timestamp::EPOCH, expires_at: None }],
            enabled: true,
            disabled_reason: None,
            description: String::new(),
            max_concurrency: 4,
            timeout_ms: 10_000,
            created_at: Timestamp::EPOCH,
            starts_after: 0,
        }
    }

    /// The secrets that sign at `now`.
    pub fn active_secrets(&self, now: Timestamp) -> Vec<String> {
        self.secrets.iter().filter(|s| s.expires_at.is_none_or(|e| e > now)).map(|s| s.secret.clone()).collect()
    }

    /// Whether an event of `event_type` about a ticket in `queue` (of `group`) goes to this subscription.
    /// Directory events ignore the queue and group filters.
    pub fn wants(&self, event_type: EventType, queue: Option<&str>, group: Option<&str>) -> bool {
        if !self.enabled || !self.events.contains(&event_type) {
            return false;
        }
        if !event_type.is_ticket_event() {
            return true;
        }
        let queue_ok = self.queues.is_empty() || queue.is_some_and(|q| self.queues.iter().any(|x| x == q));
        let group_ok = self.groups.is_empty() || group.is_some_and(|g| self.groups.iter().any(|x| x == g));
        queue_ok && group_ok
    }

    /// Checks the fields (the URL's form, not where it points: see [`WebhookTarget`]).
    pub fn validate(&self) -> Result<()> {
        let invalid = |m: Message| Err(Error::validation(m));
        if self.id.trim().is_empty() || self.id.len() > 100 {
            return invalid(Message::new("error-webhook-id"));
        }
        if let Err(e) = WebhookTarget::parse(&self.url) {
            return Err(e.into());
        }
        if self.events.is_empty() {
            return invalid(Message::new("error-webhook-no-events"));
        }
        if self.secrets.is_empty() {
            return invalid(Message::new("error-webhook-no-secret"));
        }
        for s in &self.secrets {
            check_secret(&s.secret)?;
        }
        if !(1..=64).contains(&self.max_concurrency) {
            return invalid(Message::new("error-webhook-concurrency"));
        }
        if !(100..=60_000).contains(&self.timeout_ms) {
            return invalid(Message::new("error-webhook-timeout"));
        }
        if self.description.len() > 1000 {
            return invalid(Message::new("error-webhook-description"));
        }
        Ok(())
    }
}

/// Checks a secret's form: `whsec_` + standard base64 of 24 to 64 bytes.
pub fn check_secret(secret: &str) -> Result<()> {
    let bad = || Error::validation(Message::new("error-webhook-secret"));
    let b64 = secret.strip_prefix(SECRET_PREFIX).ok_or_else(bad)?;
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).map_err(|_| bad())?;
    if !(MIN_SECRET_BYTES..=MAX_SECRET_BYTES).contains(&bytes.len()) {
        return Err(bad());
    }
    Ok(())
}

impl From<TargetError> for Error {
    fn from(e: TargetError) -> Self {
        Error::validation(e.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    #[test]
    fn a_valid_subscription_passes_and_bad_fields_are_refused() {
        let ok = WebhookSubscription::new("wh_1", "https://hooks.example/in", vec![EventType::TicketCreated], SECRET);
        ok.validate().unwrap();
        let mut s = ok.clone();
        s.events.clear();
        assert!(s.validate().is_err());
        let mut s = ok.clone();
        s.secrets[0].secret = "whsec_short".into();
        assert!(s.validate().is_err());
        let mut s = ok.clone();
        s.secrets[0].secret = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into();
        assert!(s.validate().is_err());
        let mut s = ok.clone();
        s.url = "ftp://hooks.example/".into();
        assert!(s.validate().is_err());
        let mut s = ok;
        s.max_concurrency = 0;
        assert!(s.validate().is_err());
    }

    #[test]
    fn filters_apply_to_ticket_events_only() {
        let mut s = WebhookSubscription::new(
            "wh_1",
            "https://hooks.example/in",
            vec![EventType::TicketCreated, EventType::CustomerChanged],
            SECRET,
        );
        s.queues = vec!["Sales".into()];
        assert!(s.wants(EventType::TicketCreated, Some("Sales"), Some("users")));
        assert!(!s.wants(EventType::TicketCreated, Some("Raw"), Some("users")));
        assert!(!s.wants(EventType::ArticleAdded, Some("Sales"), Some("users")));
        assert!(s.wants(EventType::CustomerChanged, None, None));
        s.enabled = false;
        assert!(!s.wants(EventType::TicketCreated, Some("Sales"), Some("users")));
    }

    #[test]
    fn expired_secrets_stop_signing() {
        let mut s = WebhookSubscription::new("wh_1", "https://h.example/", vec![EventType::TicketCreated], SECRET);
        s.secrets.push(WebhookSecret {
            secret: "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into(),
            created_at: Timestamp(0),
            expires_at: Some(Timestamp(10)),
        });
        assert_eq!(s.active_secrets(Timestamp(5)).len(), 2);
        assert_eq!(s.active_secrets(Timestamp(10)), vec![SECRET.to_string()]);
    }
}
