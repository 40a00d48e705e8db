//! What an import from another help desk (OTRS, Znuny) hands the engine: tickets with the numbers,
//! times, articles and history they had there, and the marks that make re-running an import write only
//! what changed ([`crate::Admin::import_ticket`], [`crate::Admin::import_record`]).

mod mark;

pub(crate) use mark::ImportMark;

use crate::article::SenderType;
use crate::attachment::Attachment;
use crate::channel_kind::ChannelKind;
use crate::history::HistoryKind;
use crate::priority::Priority;
use crate::ticket::Lock;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A ticket as the old system had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedTicket {
    /// A key naming the ticket in the old system for good, e.g. `znuny:ticket:42`: a re-run finds
    /// what it wrote by it.
    pub source: String,
    /// What changes whenever the old ticket or anything of it changes (its change time, article and
    /// history counts): an unchanged revision is skipped without writing.
    pub revision: String,
    /// The ticket number, kept as it was (any OTRS generator; no check digit required).
    pub number: String,
    /// Title.
    pub title: String,
    /// Queue name (must exist).
    pub queue: String,
    /// State name (must exist).
    pub state: String,
    /// Priority.
    pub priority: Priority,
    /// Lock.
    pub lock: Lock,
    /// Owner login.
    pub owner: Option<String>,
    /// Responsible login.
    pub responsible: Option<String>,
    /// Customer user login.
    pub customer_user: Option<String>,
    /// CustomerID.
    pub customer_id: Option<String>,
    /// Service name.
    pub service: Option<String>,
    /// SLA name.
    pub sla: Option<String>,
    /// When a pending state's time is reached.
    pub pending_until: Option<Timestamp>,
    /// The channel of its first article.
    pub channel: ChannelKind,
    /// Opened at.
    pub created_at: Timestamp,
    /// Last changed at.
    pub changed_at: Timestamp,
    /// Its articles, oldest first.
    pub articles: Vec<ImportedArticle>,
    /// Its history, oldest first.
    pub history: Vec<ImportedHistory>,
}

/// An article as the old system had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedArticle {
    /// A key naming the article in the old system for good, e.g. `znuny:article:7`.
    pub source: String,
    /// Who wrote it.
    pub sender: SenderType,
    /// By which channel.
    pub channel: ChannelKind,
    /// Whether customers see it.
    pub visible_to_customer: bool,
    /// Author as shown.
    pub from: String,
    /// Where replies go, when known.
    pub reply_to: Option<String>,
    /// Recipients as shown (To and Cc).
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Its Message-ID: replies to it thread into the ticket.
    pub message_id: Option<String>,
    /// In-Reply-To and References.
    pub references: Vec<String>,
    /// `customer:<login>`, `agent:<login>` or `system`.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// Files.
    pub attachments: Vec<Attachment>,
}

/// One history entry as the old system had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedHistory {
    /// Its id in the old system, increasing with time: a re-run appends only entries with a greater
    /// id than the ones it wrote.
    pub source_id: u64,
    /// When.
    pub at: Timestamp,
    /// `customer:<login>`, `agent:<login>` or `system`.
    pub actor: String,
    /// What kind of change, as near as ours go.
    pub kind: HistoryKind,
    /// What the old system said (its history type and text).
    pub message: String,
}

/// What importing one ticket or record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    /// It was new and is now written.
    Created,
    /// It existed from an earlier run and what changed was written.
    Updated,
    /// Nothing changed since the last run: nothing written.
    Unchanged,
}
