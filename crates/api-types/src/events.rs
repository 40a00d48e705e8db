//! The event feed's answer (`GET /api/v1/events`): the events after a cursor, and where to go on from.
//!
//! A cursor is the event's position in the server's event log (its `seq`), written as a decimal string
//! so that no JSON reader rounds it. Clients treat it as opaque: they pass a `next_cursor` back as
//! `after`, or `now` to start with what happens next.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One event, as webhooks send it, with its cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeedEvent {
    /// Its position: pass it as `after` to read on from here.
    #[schema(pattern = "^[0-9]{1,20}$")]
    pub cursor: String,
    /// Its id: the `webhook-id` of its webhook deliveries, the same on every node and every read.
    pub id: String,
    /// What happened (`ticket.created`, ...).
    #[serde(rename = "type")]
    #[schema(schema_with = crate::webhooks::event_name)]
    pub event_type: String,
    /// When (RFC 3339, UTC).
    pub timestamp: String,
    /// What it is about: the webhook payload's `data`.
    #[schema(value_type = crate::webhook_payload::WebhookDataV1)]
    pub data: serde_json::Value,
}

/// A page of the feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeedPage {
    /// The events the caller may see, in log order (possibly none).
    pub events: Vec<FeedEvent>,
    /// Where to go on from (`after` of the next request): past every event read, also those the caller
    /// may not see.
    #[schema(pattern = "^[0-9]{1,20}$")]
    pub next_cursor: String,
}
