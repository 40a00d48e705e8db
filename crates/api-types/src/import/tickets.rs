//! Tickets an import sends: the ticket, its articles with their files (base64) and its history, times
//! as RFC 3339 and the engine's closed sets by name; made from the engine's imported ticket on the
//! sending side, read back by the server with every field checked.

use super::{CHANNELS, LOCKS, SENDERS, SOURCE_MAX, closed, history_kind_names, name_of, rfc3339_text};
use base64::Engine as _;
use chamado::import::{ImportedArticle, ImportedHistory, ImportedTicket};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};

/// A file of an article: `content` is its bytes in standard base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportAttachmentIn {
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Shown inline rather than attached.
    #[serde(default)]
    pub inline: bool,
    /// The bytes, standard base64 with padding.
    #[schema(pattern = "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")]
    pub content: String,
}

/// An article as the old system had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportArticleIn {
    /// A key naming the article in the old system for good, e.g. `znuny:article:7`: a re-run adds
    /// only articles it has not written.
    #[schema(schema_with = source_key)]
    pub source: String,
    /// `customer`, `agent` or `system`.
    #[schema(schema_with = senders)]
    pub sender: String,
    /// `email`, `web`, `phone`, `chat` or `internal`.
    #[schema(schema_with = channels)]
    pub channel: String,
    /// Whether customers see it.
    pub visible_to_customer: bool,
    /// Author as shown.
    #[serde(default)]
    pub from: String,
    /// Where replies go, when known.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// Recipients as shown (To and Cc).
    #[serde(default)]
    pub to: String,
    /// Subject.
    #[serde(default)]
    pub subject: String,
    /// Plain-text body (one over the server's article limit is cut there and kept whole as a file).
    #[serde(default)]
    pub body: String,
    /// Its Message-ID: replies to it thread into the ticket.
    #[serde(default)]
    pub message_id: Option<String>,
    /// In-Reply-To and References.
    #[serde(default)]
    pub references: Vec<String>,
    /// `customer:<login>`, `agent:<login>` or `system`.
    pub created_by: String,
    /// When (RFC 3339).
    #[schema(schema_with = rfc3339)]
    pub created_at: String,
    /// Files.
    #[serde(default, deserialize_with = "crate::object::list")]
    pub attachments: Vec<ImportAttachmentIn>,
}

/// One history entry as the old system had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportHistoryIn {
    /// Its id in the old system, increasing with time: a re-run appends only entries with a greater
    /// id than the ones it wrote.
    #[serde(deserialize_with = "whole_id")]
    #[schema(schema_with = history_id)]
    pub source_id: u64,
    /// When (RFC 3339).
    #[schema(schema_with = rfc3339)]
    pub at: String,
    /// `customer:<login>`, `agent:<login>` or `system`.
    pub actor: String,
    /// What kind of change, e.g. `state_changed`.
    #[schema(schema_with = history_kinds)]
    pub kind: String,
    /// What the old system said.
    #[serde(default)]
    pub message: String,
}

/// A ticket as the old system had it: `PUT /import/tickets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportTicketIn {
    /// A key naming the ticket in the old system for good, e.g. `znuny:ticket:42`: a re-run finds
    /// what it wrote by it.
    #[schema(schema_with = source_key)]
    pub source: String,
    /// What changes whenever the old ticket or anything of it changes: an unchanged revision is
    /// skipped without writing.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub revision: String,
    /// The ticket number, kept as it was (409 when a ticket not from this import holds it).
    #[schema(pattern = "^[A-Za-z0-9_-]{1,50}$")]
    pub number: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Queue name (404 unless it exists).
    pub queue: String,
    /// State name (404 unless it exists).
    pub state: String,
    /// Priority level, 1 (very low) to 5 (very high).
    #[serde(deserialize_with = "crate::mail_accounts::whole::percent")]
    #[schema(minimum = 1, maximum = 5)]
    pub priority: u8,
    /// `lock` or `unlock`.
    #[schema(schema_with = locks)]
    pub lock: String,
    /// Owner login.
    #[serde(default)]
    pub owner: Option<String>,
    /// Responsible login.
    #[serde(default)]
    pub responsible: Option<String>,
    /// Customer user login.
    #[serde(default)]
    pub customer_user: Option<String>,
    /// CustomerID.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// Service name.
    #[serde(default)]
    pub service: Option<String>,
    /// SLA name.
    #[serde(default)]
    pub sla: Option<String>,
    /// When a pending state's time is reached (RFC 3339), or `null`.
    #[serde(default)]
    #[schema(schema_with = rfc3339_or_null)]
    pub pending_until: Option<String>,
    /// The channel of its first article.
    #[schema(schema_with = channels)]
    pub channel: String,
    /// Opened at (RFC 3339).
    #[schema(schema_with = rfc3339)]
    pub created_at: String,
    /// Last changed at (RFC 3339).
    #[schema(schema_with = rfc3339)]
    pub changed_at: String,
    /// Its articles, oldest first.
    #[serde(default, deserialize_with = "crate::object::list")]
    pub articles: Vec<ImportArticleIn>,
    /// Its history, oldest first.
    #[serde(default, deserialize_with = "crate::object::list")]
    pub history: Vec<ImportHistoryIn>,
}

impl From<&ImportedTicket> for ImportTicketIn {
    fn from(t: &ImportedTicket) -> Self {
        ImportTicketIn {
            source: t.source.clone(),
            revision: t.revision.clone(),
            number: t.number.clone(),
            title: t.title.clone(),
            queue: t.queue.clone(),
            state: t.state.clone(),
            priority: t.priority.level(),
            lock: name_of(&t.lock),
            owner: t.owner.clone(),
            responsible: t.responsible.clone(),
            customer_user: t.customer_user.clone(),
            customer_id: t.customer_id.clone(),
            service: t.service.clone(),
            sla: t.sla.clone(),
            pending_until: t.pending_until.map(rfc3339_text),
            channel: t.channel.as_str().to_string(),
            created_at: rfc3339_text(t.created_at),
            changed_at: rfc3339_text(t.changed_at),
            articles: t.articles.iter().map(ImportArticleIn::from).collect(),
            history: t.history.iter().map(ImportHistoryIn::from).collect(),
        }
    }
}

impl From<&ImportedArticle> for ImportArticleIn {
    fn from(a: &ImportedArticle) -> Self {
        ImportArticleIn {
            source: a.source.clone(),
            sender: a.sender.as_str().to_string(),
            channel: a.channel.as_str().to_string(),
            visible_to_customer: a.visible_to_customer,
            from: a.from.clone(),
            reply_to: a.reply_to.clone(),
            to: a.to.clone(),
            subject: a.subject.clone(),
            body: a.body.clone(),
            message_id: a.message_id.clone(),
            references: a.references.clone(),
            created_by: a.created_by.clone(),
            created_at: rfc3339_text(a.created_at),
            attachments: a
                .attachments
                .iter()
                .map(|f| ImportAttachmentIn {
                    name: f.name.clone(),
                    content_type: f.content_type.clone(),
                    inline: f.inline,
                    content: base64::engine::general_purpose::STANDARD.encode(&f.data),
                })
                .collect(),
        }
    }
}

impl From<&ImportedHistory> for ImportHistoryIn {
    fn from(h: &ImportedHistory) -> Self {
        ImportHistoryIn {
            source_id: h.source_id,
            at: rfc3339_text(h.at),
            actor: h.actor.clone(),
            kind: name_of(&h.kind),
            message: h.message.clone(),
        }
    }
}

fn whole_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let n = crate::mail_accounts::whole::id(d)?;
    if n > i64::MAX as u64 {
        return Err(serde::de::Error::custom("a history id is at most 9223372036854775807"));
    }
    Ok(n)
}

fn history_id() -> Object {
    ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)).maximum(Some(i64::MAX)).build()
}

fn source_key() -> Object {
    ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(SOURCE_MAX)).build()
}

fn rfc3339() -> Object {
    ObjectBuilder::new().schema_type(Type::String).pattern(Some(crate::webhooks::RFC3339_PATTERN)).build()
}

fn rfc3339_or_null() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .pattern(Some(crate::webhooks::RFC3339_PATTERN))
        .build()
}

fn locks() -> Object {
    closed(&LOCKS)
}

fn channels() -> Object {
    closed(&CHANNELS)
}

fn senders() -> Object {
    closed(&SENDERS)
}

fn history_kinds() -> Object {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(history_kind_names())).build()
}
