//! The `data` object of event payloads (schema version [`PAYLOAD_VERSION`], published in the OpenAPI
//! document's `webhooks` section). Changing a field's meaning needs a new version; adding a field does
//! not.

use crate::article::Article;
use crate::directory::{Customer, CustomerUser};
use crate::ticket::Ticket;
use crate::time::Timestamp;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value, json};

/// The version of the payload schema, sent as `data.version`.
pub const PAYLOAD_VERSION: u32 = 1;

/// One named part of a payload's `data` beside `version` and `actor`. Tickets and articles, in every
/// ticket event, are serialized straight from the rows they describe: building a `serde_json::Value`
/// tree first cost the engine about a tenth of its CPU per ticket created (measured with `perf`).
pub(crate) enum Part<'a> {
    /// A ticket (see [`TicketPayload`]).
    Ticket(&'a Ticket),
    /// An article (see [`ArticlePayload`]).
    Article(&'a Article),
    /// Anything else, as a JSON value.
    Value(Value),
}

impl Serialize for Part<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Part::Ticket(t) => TicketPayload(t).serialize(s),
            Part::Article(a) => ArticlePayload(a).serialize(s),
            Part::Value(v) => v.serialize(s),
        }
    }
}

/// A time as payloads show it: RFC 3339 (`Timestamp`'s `Display`), written without an interim string.
struct Rfc3339(Timestamp);

impl Serialize for Rfc3339 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// What a ticket looks like in payloads.
struct TicketPayload<'a>(&'a Ticket);

impl Serialize for TicketPayload<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut m = s.serialize_map(Some(19))?;
        m.serialize_entry("id", &t.id.0)?;
        m.serialize_entry("number", &t.number)?;
        m.serialize_entry("title", &t.title)?;
        m.serialize_entry("queue", &t.queue)?;
        m.serialize_entry("state", &t.state)?;
        m.serialize_entry("state_type", &t.state_type)?;
        m.serialize_entry("priority", &t.priority)?;
        m.serialize_entry("lock", &t.lock)?;
        m.serialize_entry("owner", &t.owner)?;
        m.serialize_entry("responsible", &t.responsible)?;
        m.serialize_entry("customer_user", &t.customer_user)?;
        m.serialize_entry("customer_id", &t.customer_id)?;
        m.serialize_entry("service", &t.service)?;
        m.serialize_entry("sla", &t.sla)?;
        m.serialize_entry("channel", &t.channel)?;
        m.serialize_entry("created_at", &Rfc3339(t.created_at))?;
        m.serialize_entry("changed_at", &Rfc3339(t.changed_at))?;
        m.serialize_entry("pending_until", &t.pending_until.map(Rfc3339))?;
        m.serialize_entry("merged_into", &t.merged_into.map(|m| m.0))?;
        m.end()
    }
}

/// What an article looks like in payloads (its files by name, type and size; their content stays in
/// the API). The text is not stored with the event: articles never change, so [`with_article_body`] adds
/// it when the event is sent or read, and the log and the outbox keep one copy of each text (the
/// article's) rather than one per event and subscriber.
struct ArticlePayload<'a>(&'a Article);

impl Serialize for ArticlePayload<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.0;
        let mut m = s.serialize_map(Some(11))?;
        m.serialize_entry("id", &a.id.0)?;
        m.serialize_entry("sender", &a.sender)?;
        m.serialize_entry("channel", &a.channel)?;
        m.serialize_entry("visible_to_customer", &a.visible_to_customer)?;
        m.serialize_entry("from", &a.from)?;
        m.serialize_entry("to", &a.to)?;
        m.serialize_entry("subject", &a.subject)?;
        m.serialize_entry("message_id", &a.external_id)?;
        m.serialize_entry("created_by", &a.created_by)?;
        m.serialize_entry("created_at", &Rfc3339(a.created_at))?;
        m.serialize_entry("attachments", &Files(a))?;
        m.end()
    }
}

/// An article's files in payloads.
struct Files<'a>(&'a Article);

impl Serialize for Files<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.attachments.len()))?;
        for f in &self.0.attachments {
            seq.serialize_element(
                &json!({"name": f.name, "content_type": f.content_type, "size": f.size, "inline": f.inline}),
            )?;
        }
        seq.end()
    }
}

/// A customer (company).
pub(crate) fn customer(c: &Customer) -> Value {
    json!({
        "id": c.id, "name": c.name, "street": c.street, "zip": c.zip, "city": c.city,
        "country": c.country, "url": c.url, "comment": c.comment, "valid": c.valid,
    })
}

/// A customer user (never the password hash).
pub(crate) fn customer_user(u: &CustomerUser) -> Value {
    json!({
        "login": u.login, "email": u.email, "first_name": u.first_name, "last_name": u.last_name,
        "phone": u.phone, "customer_id": u.customer_id, "extra_customer_ids": u.extra_customer_ids,
        "valid": u.valid, "language": u.language,
    })
}

/// The whole `data` object: the version, who acted, and the parts given.
pub(crate) fn data(actor: &str, parts: &[(&str, Part<'_>)]) -> String {
    struct Data<'a, 'b> {
        actor: &'a str,
        parts: &'a [(&'a str, Part<'b>)],
    }
    impl Serialize for Data<'_, '_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(2 + self.parts.len()))?;
            m.serialize_entry("version", &PAYLOAD_VERSION)?;
            m.serialize_entry("actor", self.actor)?;
            for (name, part) in self.parts {
                m.serialize_entry(name, part)?;
            }
            m.end()
        }
    }
    // Serializing borrowed rows and JSON values into a string cannot fail (no map has non-string keys).
    serde_json::to_string(&Data { actor, parts }).unwrap_or_default()
}

/// The id of the article an `article.added` event's stored `data` names.
pub(crate) fn article_id(data: &str) -> Option<u64> {
    let v: Value = serde_json::from_str(data).ok()?;
    v.get("article")?.get("id")?.as_u64()
}

/// `data` with the article's text put back (`data.article.body`); `data` as it is when it names no
/// article.
pub(crate) fn with_article_body(data: &str, body: &str) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(data) else { return data.to_string() };
    match v.get_mut("article").and_then(Value::as_object_mut) {
        Some(article) => {
            article.insert("body".into(), json!(body));
            v.to_string()
        }
        None => data.to_string(),
    }
}
