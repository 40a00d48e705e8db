//! What channel adapters hand to [`crate::Engine::intake`].

use crate::attachment::Attachment;
use crate::channel_kind::ChannelKind;
use serde::{Deserialize, Serialize};

/// Who sent an inbound message, as the channel knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Sender {
    /// An email address (Reply-To preferred for answers, From for identity).
    Email {
        /// The sender's address (From).
        address: String,
        /// The display name, if any.
        name: Option<String>,
        /// Where answers go (Reply-To), when it differs from `address`.
        reply_to: Option<String>,
    },
    /// A chat user.
    Chat {
        /// The network, e.g. `telegram`.
        network: String,
        /// The user's id on that network.
        user_id: String,
        /// The chat replies go to.
        chat_id: String,
        /// The display name, if any.
        name: Option<String>,
    },
    /// A customer user authenticated by the adapter (portal, API session).
    CustomerUser {
        /// The login.
        login: String,
    },
    /// An agent entering a message on behalf of a customer user (phone tickets).
    AgentOnBehalf {
        /// The agent's login.
        agent: String,
        /// The customer user's login.
        customer_user: String,
    },
}

/// One message arriving by any channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundMessage {
    /// The channel it came by.
    pub channel: ChannelKind,
    /// Who sent it.
    pub sender: Sender,
    /// Recipients as shown (To/Cc for mail).
    #[serde(default)]
    pub to: String,
    /// Subject (decoded).
    #[serde(default)]
    pub subject: String,
    /// Text body.
    #[serde(default)]
    pub body: String,
    /// Attachments.
    #[serde(default)]
    pub attachments: Vec<crate::attachment::Attachment>,
    /// The channel's id for this message, used for idempotency and threading: Message-ID, chat update
    /// id, HTTP Idempotency-Key. The same id from the same sender is taken once.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Ids this message refers to: In-Reply-To, then every References id; the chat message replied to.
    #[serde(default)]
    pub references: Vec<String>,
    /// True for auto-generated mail (RFC 3834 Auto-Submitted, Precedence bulk/junk/list, X-Loop, List-Id,
    /// mailer-daemon): never auto-answered.
    #[serde(default)]
    pub auto_generated: bool,
    /// The queue for a new ticket, chosen by the system's routing (recipient mapping, chat config);
    /// `None` uses the engine's default queue.
    #[serde(default)]
    pub queue: Option<String>,
    /// A ticket the channel already associates with the message (a chat's active ticket); tried after
    /// numbers in the text and references.
    #[serde(default)]
    pub ticket_hint: Option<String>,
    /// Always open a new ticket (e.g. a chat's `/new`).
    #[serde(default)]
    pub force_new: bool,
    /// Set when the sender header was missing or not an address and the adapter took the sender from
    /// elsewhere: the message opens a new ticket flagged for agents and gets no auto-response.
    #[serde(default)]
    pub sender_fallback: Option<crate::SenderFallback>,
    /// Set when the message is a bounce (a delivery status notification, a null or mailer-daemon
    /// sender): it never creates a customer user nor gets an auto-response; matched to one of our
    /// outbound messages it marks that delivery failed, otherwise it is filed in the bounce queue.
    #[serde(default)]
    pub bounce: Option<crate::BounceReport>,
    /// What the mail channel verified about the sender (SPF, DKIM, DMARC). For email, `None` means
    /// nothing was verified: the sender is unauthenticated. Other channels authenticate by their own
    /// login and leave it `None`.
    #[serde(default)]
    pub sender_auth: Option<crate::sender_auth::SenderAuth>,
    /// Where the adapter read the message (a mailbox's folder and highest UID), saved as the adapter's
    /// cursor ([`crate::Engine::cursor`]) in the same commit as the ticket or article the message becomes,
    /// or on its own when it becomes none (a duplicate, a refusal): a crash never separates the two.
    #[serde(default)]
    pub checkpoint: Option<Checkpoint>,
}

/// A cursor value an inbound message carries into the commit that takes it ([`InboundMessage::checkpoint`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The adapter whose cursor it is (`imap`, `pop3`).
    pub adapter: String,
    /// The cursor's name (an account and folder).
    pub name: String,
    /// The position after this message.
    pub value: String,
    /// Saved instead of `value` when the message is refused (`Rejected`), so the adapter can tell refused
    /// messages from taken ones (a refused mail must never be deleted from its mailbox).
    #[serde(default)]
    pub refused: Option<String>,
}

impl InboundMessage {
    /// A message with the given channel, sender, subject and body and nothing else.
    pub fn new(channel: ChannelKind, sender: Sender, subject: impl Into<String>, body: impl Into<String>) -> Self {
        InboundMessage {
            channel,
            sender,
            to: String::new(),
            subject: subject.into(),
            body: body.into(),
            attachments: Vec::<Attachment>::new(),
            external_id: None,
            references: Vec::new(),
            auto_generated: false,
            queue: None,
            ticket_hint: None,
            force_new: false,
            sender_fallback: None,
            bounce: None,
            sender_auth: None,
            checkpoint: None,
        }
    }
}
