//! One entry of the event log: what happened, written in the commit that made it happen.

use super::EventType;
use crate::ids::TicketId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// An event as the log keeps it, the feed hands it out and webhooks send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    /// The position in the log: assigned by the store when the commit is applied, strictly increasing
    /// in commit order (0 in a [`crate::Commit`] not yet applied). The feed's cursor.
    pub seq: u64,
    /// A unique id (`evt_<n>`): the `webhook-id` of every delivery of this event, so receivers can
    /// drop duplicates.
    pub id: String,
    /// What happened.
    pub event_type: EventType,
    /// When.
    pub at: Timestamp,
    /// The ticket, for ticket events.
    pub ticket_id: Option<TicketId>,
    /// The queue the ticket is in after the change (who may see the event follows from it).
    pub queue: Option<String>,
    /// The order of the ticket's events: its version after the commit, times 256, plus the event's
    /// place in the commit. Deliveries of one ticket to one subscriber go out in this order.
    pub order: u64,
    /// The `data` object of the payload, as JSON (schema [`super::PAYLOAD_VERSION`]). As stored, an
    /// `article.added` event's article has no `body`: the engine adds the article's text when it hands
    /// the event out ([`crate::Engine::events`], webhook deliveries).
    pub data: String,
}

impl EventRecord {
    /// The JSON payload sent and served: `{"type", "timestamp", "data"}` (Standard Webhooks).
    pub fn body(&self) -> String {
        // `type` and `timestamp` are our own fixed spellings (no characters JSON escapes); `data` is JSON
        // the engine wrote with serde_json.
        format!(r#"{{"type":"{}","timestamp":"{}","data":{}}}"#, self.event_type.as_str(), self.at, self.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_json_with_type_timestamp_and_data() {
        let e = EventRecord {
            seq: 3,
            id: "evt_7".into(),
            event_type: EventType::TicketCreated,
            at: Timestamp(1_764_000_000_000),
            ticket_id: Some(TicketId(1)),
            queue: Some("Raw".into()),
            order: 256,
            data: r#"{"version":1,"ticket":{"number":"1"}}"#.into(),
        };
        let v: serde_json::Value = serde_json::from_str(&e.body()).unwrap();
        assert_eq!(v["type"], "ticket.created");
        assert_eq!(v["timestamp"], e.at.to_string());
        assert_eq!(v["data"]["ticket"]["number"], "1");
    }
}
