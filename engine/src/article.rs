//! Articles: the messages of a ticket.

use crate::attachment::AttachmentMeta;
use crate::channel_kind::ChannelKind;
use crate::ids::{ArticleId, TicketId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Who wrote an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SenderType {
    /// A customer user.
    Customer,
    /// An agent.
    Agent,
    /// The system (auto-responses, notices).
    System,
}

impl SenderType {
    /// The name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SenderType::Customer => "customer",
            SenderType::Agent => "agent",
            SenderType::System => "system",
        }
    }
}

/// One message of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Internal id.
    pub id: ArticleId,
    /// The ticket it belongs to.
    pub ticket_id: TicketId,
    /// Who wrote it.
    pub sender: SenderType,
    /// By which channel.
    pub channel: ChannelKind,
    /// Whether customers see it (internal notes are not).
    pub visible_to_customer: bool,
    /// Author as shown (`Name <address>`, agent login, chat user).
    pub from: String,
    /// Where replies to the author go: email address, chat id; `None` when not reachable.
    pub reply_to: Option<String>,
    /// Recipients as shown.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Attachments: their descriptions; the bytes are in the store ([`crate::Store::blob`]).
    pub attachments: Vec<AttachmentMeta>,
    /// External id for threading: the email Message-ID (ours for outbound), the chat message id.
    pub external_id: Option<String>,
    /// Ids this message referred to (In-Reply-To and References, chat reply-to).
    pub references: Vec<String>,
    /// Who created it: `customer:<login>`, `agent:<login>`, `system`.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// For inbound mail: what was verified about its sender (agents see "DMARC pass" or a warning,
    /// [`crate::SenderAuth::summary`]); `None` for everything else.
    #[serde(default)]
    pub sender_auth: Option<crate::sender_auth::SenderAuth>,
}
