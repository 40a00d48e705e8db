//! The body of every webhook request and the `data` of every event of the feed (`GET /api/v1/events`),
//! schema version 1, as types: the OpenAPI document's `webhooks` section and components are made from
//! them, and a Rust receiver can read a request with them (`serde_json::from_slice::<WebhookPayloadV1>`).
//!
//! Which parts a `data` object carries depends on the event: every ticket event has `ticket` (the ticket
//! after the change); `article.added` adds `article`; the `*_changed` events about one value add
//! `change` (`from`/`to`, or `locked` for `ticket.lock_changed`); `ticket.merged` adds `merge`; the
//! escalation events add `escalation`; `customer.changed` has `customer` and `customer_user.changed`
//! `customer_user` instead of a ticket. Fields may be added within a version; a field whose meaning
//! changes gets a new version (`data.version`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};

/// A webhook request's JSON body (Standard Webhooks): what happened, when, and the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPayloadV1 {
    /// The event type (`ticket.created`, ...).
    #[serde(rename = "type")]
    #[schema(schema_with = crate::webhooks::event_name)]
    pub event_type: String,
    /// When it happened (RFC 3339, UTC).
    pub timestamp: String,
    /// What it is about.
    pub data: WebhookDataV1,
}

/// The `data` of an event, version 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookDataV1 {
    /// The schema version: 1.
    #[schema(minimum = 1, maximum = 1)]
    pub version: u32,
    /// Who acted, as the ticket's history records it: `agent:<login>`, `customer:<login>` or `system`.
    pub actor: String,
    /// The ticket after the change (ticket events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<TicketPayloadV1>,
    /// The article added (`article.added`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticlePayloadV1>,
    /// The value before and after (`ticket.*_changed` about one value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangePayloadV1>,
    /// Which ticket went into which (`ticket.merged`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge: Option<MergePayloadV1>,
    /// The clock and its due time (`ticket.escalation_warning`, `ticket.escalation_breach`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<EscalationPayloadV1>,
    /// The customer (company) as written (`customer.changed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerPayloadV1>,
    /// The customer user as written (`customer_user.changed`; never a password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_user: Option<CustomerUserPayloadV1>,
}

/// A ticket in payloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketPayloadV1 {
    /// Internal id.
    pub id: u64,
    /// The ticket number everyone uses.
    pub number: String,
    /// Title.
    pub title: String,
    /// Queue.
    pub queue: String,
    /// State name.
    pub state: String,
    /// The state's type.
    #[schema(schema_with = crate::rules::state_type)]
    pub state_type: String,
    /// Priority level, 1 (very low) to 5 (very high).
    #[schema(minimum = 1, maximum = 5)]
    pub priority: u8,
    /// `lock` or `unlock`.
    #[schema(schema_with = lock)]
    pub lock: String,
    /// Owner's login.
    #[schema(required = true)]
    pub owner: Option<String>,
    /// Responsible agent's login.
    #[schema(required = true)]
    pub responsible: Option<String>,
    /// Customer user's login.
    #[schema(required = true)]
    pub customer_user: Option<String>,
    /// Customer id.
    #[schema(required = true)]
    pub customer_id: Option<String>,
    /// Service.
    #[schema(required = true)]
    pub service: Option<String>,
    /// SLA.
    #[schema(required = true)]
    pub sla: Option<String>,
    /// The channel it came by.
    #[schema(schema_with = channel)]
    pub channel: String,
    /// Opened (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub changed_at: String,
    /// A pending state's time (RFC 3339).
    #[schema(required = true)]
    pub pending_until: Option<String>,
    /// The id of the ticket it was merged into.
    #[schema(required = true)]
    pub merged_into: Option<u64>,
}

/// An article in payloads: its files by name, type and size (their content is in the API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticlePayloadV1 {
    /// Internal id.
    pub id: u64,
    /// `customer`, `agent` or `system`.
    #[schema(schema_with = sender)]
    pub sender: String,
    /// The channel.
    #[schema(schema_with = channel)]
    pub channel: String,
    /// Whether customers see it (internal notes are not).
    pub visible_to_customer: bool,
    /// Author as shown.
    pub from: String,
    /// Recipients as shown.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// The email Message-ID or chat message id.
    #[schema(required = true)]
    pub message_id: Option<String>,
    /// Who added it (login, or the channel's sender).
    pub created_by: String,
    /// Added (RFC 3339).
    pub created_at: String,
    /// Its files.
    pub attachments: Vec<AttachmentPayloadV1>,
}

/// A file of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentPayloadV1 {
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Bytes.
    pub size: u64,
    /// Shown inside the body rather than as a file.
    pub inline: bool,
}

/// A value before and after: names and texts as shown (`from` is `null` for the owner and the
/// responsible agent); `ticket.lock_changed` has `locked` instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePayloadV1 {
    /// Before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// After.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Locked after the change (`ticket.lock_changed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked: Option<bool>,
}

/// A merge, sent for both tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergePayloadV1 {
    /// The number of the ticket merged away.
    pub source: Option<String>,
    /// The number of the ticket it went into.
    pub target: Option<String>,
}

/// An escalation clock reaching its warning point or due time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationPayloadV1 {
    /// `first_response`, `update` or `solution`.
    #[schema(schema_with = clock)]
    pub clock: Option<String>,
    /// The clock's due time (RFC 3339).
    pub due: Option<String>,
}

/// A customer (company).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPayloadV1 {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Street.
    pub street: String,
    /// Postal code.
    pub zip: String,
    /// City.
    pub city: String,
    /// Country.
    pub country: String,
    /// Web site.
    pub url: String,
    /// Free text.
    pub comment: String,
    /// Valid or not.
    pub valid: bool,
}

/// A customer user (never the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerUserPayloadV1 {
    /// Login.
    pub login: String,
    /// Email address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone.
    pub phone: String,
    /// The customer (company) id.
    pub customer_id: String,
    /// Further customers whose tickets the user sees.
    pub extra_customer_ids: Vec<String>,
    /// Valid or not.
    pub valid: bool,
    /// Language tag (`null`: none chosen).
    #[schema(required = true)]
    pub language: Option<String>,
}

fn strings(values: &[&'static str], nullable: bool) -> Object {
    let ty = if nullable { SchemaType::from_iter([Type::String, Type::Null]) } else { SchemaType::new(Type::String) };
    let mut values: Vec<Option<&str>> = values.iter().copied().map(Some).collect();
    if nullable {
        values.push(None);
    }
    ObjectBuilder::new().schema_type(ty).enum_values(Some(values)).build()
}

fn lock() -> Object {
    strings(&["lock", "unlock"], false)
}

fn sender() -> Object {
    strings(&["customer", "agent", "system"], false)
}

fn channel() -> Object {
    strings(&["email", "web", "phone", "chat", "internal"], false)
}

fn clock() -> Object {
    strings(&["first_response", "update", "solution"], true)
}
