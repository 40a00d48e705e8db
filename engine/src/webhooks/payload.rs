//! The `data` object of event payloads (schema version [`PAYLOAD_VERSION`], published in the OpenAPI
//! document's `webhooks` section). Changing a field's meaning needs a new version; adding a field does
//! not.

use crate::article::Article;
use crate::directory::{Customer, CustomerUser};
use crate::ticket::Ticket;
use serde_json::{Value, json};

/// The version of the payload schema, sent as `data.version`.
pub const PAYLOAD_VERSION: u32 = 1;

/// What a ticket looks like in payloads.
pub(crate) fn ticket(t: &Ticket) -> Value {
    json!({
        "id": t.id.0,
        "number": t.number,
        "title": t.title,
        "queue": t.queue,
        "state": t.state,
        "state_type": t.state_type,
        "priority": t.priority,
        "lock": t.lock,
        "owner": t.owner,
        "responsible": t.responsible,
        "customer_user": t.customer_user,
        "customer_id": t.customer_id,
        "service": t.service,
        "sla": t.sla,
        "channel": t.channel,
        "created_at": t.created_at.to_string(),
        "changed_at": t.changed_at.to_string(),
        "pending_until": t.pending_until.map(|p| p.to_string()),
        "merged_into": t.merged_into.map(|m| m.0),
    })
}

/// What an article looks like in payloads (its files by name, type and size; their content stays in
/// the API). The text is not stored with the event: articles never change, so [`with_article_body`] adds
/// it when the event is sent or read, and the log and the outbox keep one copy of each text (the
/// article's) rather than one per event and subscriber.
pub(crate) fn article(a: &Article) -> Value {
    let files: Vec<Value> = a
        .attachments
        .iter()
        .map(|f| json!({"name": f.name, "content_type": f.content_type, "size": f.size, "inline": f.inline}))
        .collect();
    json!({
        "id": a.id.0,
        "sender": a.sender,
        "channel": a.channel,
        "visible_to_customer": a.visible_to_customer,
        "from": a.from,
        "to": a.to,
        "subject": a.subject,
        "message_id": a.external_id,
        "created_by": a.created_by,
        "created_at": a.created_at.to_string(),
        "attachments": files,
    })
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
pub(crate) fn data(actor: &str, parts: Vec<(&str, Value)>) -> String {
    let mut object = serde_json::Map::new();
    object.insert("version".into(), json!(PAYLOAD_VERSION));
    object.insert("actor".into(), json!(actor));
    for (name, value) in parts {
        object.insert(name.into(), value);
    }
    Value::Object(object).to_string()
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
