//! Webhook subscriptions and their deliveries, the shapes of `/api/v1/webhooks`.
//!
//! Secrets: a subscription is answered with its secrets masked (`whsec_…` and the last four
//! characters), except in the answers that made them: creating a subscription shows every secret in
//! full, adding one (`POST /webhooks/{id}/secrets`) shows the new one in full. Nothing else ever shows a
//! secret again, so whoever configures the receiver copies it from those answers.
//!
//! Times travel as RFC 3339 strings; event types as their dotted names (`ticket.created`), an unknown
//! one being a 422 with a translated message.

use chamado::webhooks::{EventType, WebhookAttempt, WebhookDelivery, WebhookSecret, WebhookSubscription};
use chamado::{Error, OutboxStatus, Timestamp};
use chamado_i18n::Message;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, SchemaType, Type};

/// What a secret looks like: `whsec_` and standard base64 (the engine also wants 24 to 64 bytes).
pub const SECRET_PATTERN: &str = "^whsec_[A-Za-z0-9+/]+={0,2}$";
/// The most requests in flight to one receiver ([`WebhookSubscription::validate`]).
pub const CONCURRENCY_MAX: u32 = 64;
/// The shortest timeout, in milliseconds.
pub const TIMEOUT_MIN_MS: u32 = 100;
/// The longest timeout, in milliseconds.
pub const TIMEOUT_MAX_MS: u32 = 60_000;
/// The longest URL, in bytes.
pub const URL_MAX: usize = 2000;
/// The longest description, in bytes.
pub const DESCRIPTION_MAX: usize = 1000;
/// The most secrets a subscription holds (each signs every request while active).
pub const SECRETS_MAX: usize = 10;

fn four() -> u32 {
    4
}

fn ten_seconds() -> u32 {
    10_000
}

/// A signing secret as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretIn {
    /// `whsec_` followed by 24 to 64 bytes in standard base64.
    #[schema(pattern = "^whsec_[A-Za-z0-9+/]+={0,2}$", min_length = 38, max_length = 94)]
    pub secret: String,
    /// When it stops signing (RFC 3339; `null` or absent: never).
    #[serde(default)]
    #[schema(schema_with = rfc3339_or_null)]
    pub expires_at: Option<String>,
}

/// A subscription as `POST /webhooks` creates it and `PUT /webhooks/{id}` replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    /// The receiver: an `http` or `https` URL, at most 2,000 bytes, without user name or password.
    /// Unless the server allows private targets, it must not name a private, loopback or link-local
    /// address (422).
    #[schema(max_length = 2000)]
    pub url: String,
    /// The events sent, by name (at least one).
    #[schema(schema_with = event_names)]
    pub events: Vec<String>,
    /// One signing secret. When neither `secret` nor `secrets` is given, `POST` makes one (32 random
    /// bytes) and `PUT` keeps the subscription's secrets.
    #[serde(default)]
    #[schema(pattern = "^whsec_[A-Za-z0-9+/]+={0,2}$", min_length = 38, max_length = 94)]
    pub secret: Option<String>,
    /// Several secrets, each with its end (rotation): every active one signs every request. Taken
    /// after `secret`; at most 10 in all.
    #[serde(default, deserialize_with = "crate::object::list")]
    #[schema(max_items = 10)]
    pub secrets: Vec<SecretIn>,
    /// Only tickets in these queues (empty: any).
    #[serde(default)]
    #[schema(schema_with = names)]
    pub queues: Vec<String>,
    /// Only tickets in queues of these groups (empty: any).
    #[serde(default)]
    #[schema(schema_with = names)]
    pub groups: Vec<String>,
    /// Sent to (default true). A disabled subscription queues nothing.
    #[serde(default = "crate::yes")]
    pub enabled: bool,
    /// What it is for (at most 1,000 bytes).
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub description: String,
    /// Requests in flight to the receiver at most (1 to 64, default 4).
    #[serde(default = "four", deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(minimum = 1, maximum = 64, default = 4)]
    pub max_concurrency: u32,
    /// How long to wait for an answer, in milliseconds (100 to 60,000, default 10,000).
    #[serde(default = "ten_seconds", deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(minimum = 100, maximum = 60000, default = 10000)]
    pub timeout_ms: u32,
}

/// Changes to a subscription (`PATCH`, JSON merge patch): absent or `null` fields stay. Secrets change
/// with `PUT` or `POST /webhooks/{id}/secrets`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    /// A new receiver URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2000)]
    pub url: Option<String>,
    /// New events (at least one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = event_names_or_null)]
    pub events: Option<Vec<String>>,
    /// New queue filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = names_or_null)]
    pub queues: Option<Vec<String>>,
    /// New group filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = names_or_null)]
    pub groups: Option<Vec<String>>,
    /// Enable (also after a `410 Gone` disabled it) or disable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// A new description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    /// New concurrency (1 to 64).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::mail_accounts::whole::count_or_null"
    )]
    #[schema(minimum = 1, maximum = 64)]
    pub max_concurrency: Option<u32>,
    /// New timeout in milliseconds (100 to 60,000).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::mail_accounts::whole::count_or_null"
    )]
    #[schema(minimum = 100, maximum = 60000)]
    pub timeout_ms: Option<u32>,
}

impl WebhookPatch {
    /// Applies the fields given to `sub` (the engine checks the result when it is stored).
    pub fn apply(self, sub: &mut WebhookSubscription) -> Result<(), Error> {
        if let Some(url) = self.url {
            sub.url = url;
        }
        if let Some(events) = self.events {
            sub.events = event_types(&events)?;
        }
        if let Some(queues) = self.queues {
            sub.queues = dedup(queues);
        }
        if let Some(groups) = self.groups {
            sub.groups = dedup(groups);
        }
        if let Some(enabled) = self.enabled {
            sub.enabled = enabled;
        }
        if let Some(description) = self.description {
            sub.description = description;
        }
        if let Some(n) = self.max_concurrency {
            sub.max_concurrency = n;
        }
        if let Some(ms) = self.timeout_ms {
            sub.timeout_ms = u64::from(ms);
        }
        Ok(())
    }
}

/// A new secret for a subscription (`POST /webhooks/{id}/secrets`): rotation is adding the new one
/// and letting the old ones end a few hours later, once the receiver knows the new one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretRotation {
    /// The new secret (absent or `null`: 32 random bytes are made).
    #[serde(default)]
    #[schema(pattern = "^whsec_[A-Za-z0-9+/]+={0,2}$", min_length = 38, max_length = 94)]
    pub secret: Option<String>,
    /// When the new secret stops signing (RFC 3339; absent or `null`: never).
    #[serde(default)]
    #[schema(schema_with = rfc3339_or_null)]
    pub expires_at: Option<String>,
    /// The other secrets stop signing this many hours from now (0 to 8760; 0: at once; absent or
    /// `null`: they keep their own ends).
    #[serde(default, deserialize_with = "crate::mail_accounts::whole::count_or_null")]
    #[schema(minimum = 0, maximum = 8760)]
    pub expire_old_after_hours: Option<u32>,
}

/// A secret as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SecretOut {
    /// `whsec_…` and the secret's last four characters, to tell secrets apart.
    pub masked: String,
    /// The whole secret: only in the answer that created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// When it was added (RFC 3339).
    pub created_at: String,
    /// When it stops signing (RFC 3339; `null`: never).
    pub expires_at: Option<String>,
    /// Whether it signs requests now.
    pub active: bool,
}

impl SecretOut {
    /// `s` as shown at `now`, in full when `reveal`.
    pub fn new(s: &WebhookSecret, now: Timestamp, reveal: bool) -> SecretOut {
        SecretOut {
            masked: mask(&s.secret),
            secret: reveal.then(|| s.secret.clone()),
            created_at: s.created_at.to_string(),
            expires_at: s.expires_at.map(|t| t.to_string()),
            active: s.expires_at.is_none_or(|e| e > now),
        }
    }
}

/// `whsec_…` and the last four characters.
pub fn mask(secret: &str) -> String {
    let tail: String = secret.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("{}…{tail}", chamado::webhooks::SECRET_PREFIX)
}

/// A subscription as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WebhookOut {
    /// The id (`wh_<n>`).
    pub id: String,
    /// The receiver.
    pub url: String,
    /// The events sent.
    #[schema(schema_with = event_names)]
    pub events: Vec<String>,
    /// Only tickets in these queues (empty: any).
    pub queues: Vec<String>,
    /// Only tickets in queues of these groups (empty: any).
    pub groups: Vec<String>,
    /// The signing secrets (masked but in the answer that created them).
    pub secrets: Vec<SecretOut>,
    /// Sent to.
    pub enabled: bool,
    /// Why the server disabled it (the receiver answered `410 Gone`), until an admin enables it again.
    pub disabled_reason: Option<String>,
    /// What it is for.
    pub description: String,
    /// Requests in flight at most.
    pub max_concurrency: u32,
    /// Milliseconds to wait for an answer.
    pub timeout_ms: u64,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

impl WebhookOut {
    /// `sub` as shown at `now`, with the secrets `reveal` picks in full.
    pub fn new(sub: &WebhookSubscription, now: Timestamp, reveal: impl Fn(&WebhookSecret) -> bool) -> WebhookOut {
        WebhookOut {
            id: sub.id.clone(),
            url: sub.url.clone(),
            events: sub.events.iter().map(|e| e.as_str().to_string()).collect(),
            queues: sub.queues.clone(),
            groups: sub.groups.clone(),
            secrets: sub.secrets.iter().map(|s| SecretOut::new(s, now, reveal(s))).collect(),
            enabled: sub.enabled,
            disabled_reason: sub.disabled_reason.clone(),
            description: sub.description.clone(),
            max_concurrency: sub.max_concurrency,
            timeout_ms: sub.timeout_ms,
            created_at: sub.created_at.to_string(),
        }
    }
}

/// Subscriptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WebhookList {
    /// In id order.
    pub items: Vec<WebhookOut>,
}

/// One attempt to send a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttemptOut {
    /// When it was sent (RFC 3339).
    pub at: String,
    /// The receiver's HTTP status (`null`: no answer).
    pub status: Option<u16>,
    /// From sending to the answer or the failure, in milliseconds.
    pub latency_ms: u64,
    /// Why it failed (`null`: delivered).
    pub error: Option<String>,
}

impl From<&WebhookAttempt> for AttemptOut {
    fn from(a: &WebhookAttempt) -> Self {
        AttemptOut { at: a.at.to_string(), status: a.status, latency_ms: a.latency_ms, error: a.error.clone() }
    }
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its (next) attempt, or being sent.
    Pending,
    /// The receiver took it (2xx).
    Sent,
    /// Given up on (the retry window ended, `410 Gone`, the subscription was removed or disabled):
    /// replay it to send it again.
    DeadLetter,
}

/// One event sent (or to send) to a subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeliveryOut {
    /// The delivery's id (what `/deliveries/{delivery}/replay` and `before` take).
    pub id: u64,
    /// Pending, sent or a dead letter.
    pub status: DeliveryStatus,
    /// Attempts since it was queued or last replayed.
    pub attempts: u32,
    /// When it is attempted next (RFC 3339; `null` unless pending).
    pub next_attempt_at: Option<String>,
    /// When it was queued (RFC 3339).
    pub created_at: String,
    /// The event's id: the `webhook-id` header of every attempt.
    pub event_id: String,
    /// The event's type.
    pub event_type: String,
    /// The ticket's number, for ticket events.
    pub ticket_number: Option<String>,
    /// How many times an admin replayed it.
    pub replays: u32,
    /// The latest attempts (at most 10), oldest first.
    pub recent_attempts: Vec<AttemptOut>,
}

impl From<&WebhookDelivery> for DeliveryOut {
    fn from(d: &WebhookDelivery) -> Self {
        let status = match d.status {
            OutboxStatus::Pending => DeliveryStatus::Pending,
            OutboxStatus::Sent => DeliveryStatus::Sent,
            OutboxStatus::Failed => DeliveryStatus::DeadLetter,
        };
        let event = d.events.first();
        let ticket_number = event.and_then(|e| {
            let data: serde_json::Value = serde_json::from_str(&e.data).ok()?;
            data["ticket"]["number"].as_str().map(str::to_string)
        });
        DeliveryOut {
            id: d.id,
            status,
            attempts: d.attempts,
            next_attempt_at: (status == DeliveryStatus::Pending).then(|| d.next_attempt_at.to_string()),
            created_at: d.created_at.to_string(),
            event_id: event.map(|e| e.id.clone()).unwrap_or_default(),
            event_type: event.map(|e| e.event_type.as_str().to_string()).unwrap_or_default(),
            ticket_number,
            replays: d.replays,
            recent_attempts: d.recent_attempts.iter().map(AttemptOut::from).collect(),
        }
    }
}

/// A page of a subscription's deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first.
    pub items: Vec<DeliveryOut>,
    /// Pass as `before` for the next page (`null`: this was the last).
    pub next_before: Option<u64>,
}

/// Which deliveries to send again (`POST /webhooks/{id}/replay`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplayRange {
    /// Deliveries queued at or after this time (RFC 3339; absent or `null`: the oldest kept).
    #[serde(default)]
    #[schema(schema_with = rfc3339_or_null)]
    pub from: Option<String>,
    /// Deliveries queued before this time (RFC 3339; absent or `null`: now).
    #[serde(default)]
    #[schema(schema_with = rfc3339_or_null)]
    pub to: Option<String>,
    /// Only dead letters (default false: also those delivered).
    #[serde(default)]
    pub only_failed: bool,
}

/// How many deliveries were queued again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReplayCount {
    /// The number.
    pub replayed: u64,
}

/// The event types named, each once, in the order given; an unknown name is a 422 naming it.
pub fn event_types(names: &[String]) -> Result<Vec<EventType>, Error> {
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let t = EventType::parse(name).ok_or_else(|| {
            Error::validation(Message::new("error-api-webhook-event").arg("event", format!("{name:?}")))
        })?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

/// `names` without repeats, in the order given.
pub fn dedup(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// What `chamado_http::time::parse_rfc3339` reads, as a JSON Schema pattern (the same text; the
/// OpenAPI test holds the two equal).
pub const RFC3339_PATTERN: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

fn rfc3339_or_null() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .pattern(Some(RFC3339_PATTERN))
        .build()
}

/// An event type's name.
pub fn event_name() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(EventType::ALL.into_iter().map(EventType::as_str)))
        .build()
}

fn event_names() -> Array {
    ArrayBuilder::new().items(event_name()).min_items(Some(1)).build()
}

fn event_names_or_null() -> Array {
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(event_name())
        .min_items(Some(1))
        .build()
}

fn names() -> Array {
    ArrayBuilder::new().items(crate::rules::name()).build()
}

fn names_or_null() -> Array {
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(crate::rules::name())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_the_tail() {
        assert_eq!(mask("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "whsec_…LaSw");
        assert_eq!(mask("ab"), "whsec_…ab");
    }

    #[test]
    fn event_names_are_checked_and_deduplicated() {
        let names = ["ticket.created".to_string(), "article.added".into(), "ticket.created".into()];
        assert_eq!(event_types(&names).ok(), Some(vec![EventType::TicketCreated, EventType::ArticleAdded]));
        assert!(matches!(event_types(&["ticket.exploded".into()]), Err(Error::Validation(_))));
    }

    #[test]
    fn bodies_take_defaults_and_refuse_unknown_fields() {
        let b: WebhookIn = serde_json::from_str(r#"{"url": "https://h.example/", "events": ["ticket.created"]}"#)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!((b.enabled, b.max_concurrency, b.timeout_ms, b.secret.is_none()), (true, 4, 10_000, true));
        let b: WebhookIn =
            serde_json::from_str(r#"{"url": "u", "events": [], "max_concurrency": 8.0, "timeout_ms": 500}"#)
                .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!((b.max_concurrency, b.timeout_ms), (8, 500), "whole floats are integers");
        assert!(serde_json::from_str::<WebhookIn>(r#"{"url": "u", "events": [], "colour": 1}"#).is_err());
        assert!(serde_json::from_str::<WebhookPatch>(r#"{"secret": "whsec_x"}"#).is_err(), "secrets are not patched");
    }
}
