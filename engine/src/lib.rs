//! # chamado
//!
//! An embeddable help-desk ticketing engine with OTRS/Znuny semantics: customers and customer users,
//! agents working tickets in queues of groups, unique ticket numbers, permission resolution, and the
//! threading of inbound messages from any channel.
//!
//! The engine is pure: no runtime, no I/O. Hosts give it a [`Store`] (storage adapter), a [`Clock`] and
//! [`Channel`]s (outbound delivery), and call it from whatever executor they run. See [`Engine`] for a
//! complete example.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod article;
mod attachment;
mod attachment_limits;
mod bounce;
mod channel;
mod channel_kind;
mod clock;
mod content_hash;
pub mod directory;
mod engine;
mod error;
mod events;
mod history;
mod ids;
pub mod import;
mod inbound;
mod join;
mod lifecycle;
mod memory_store;
pub mod notify;
mod numbering;
mod outbox;
pub mod permissions;
mod priority;
mod reason;
mod search_words;
mod sender_auth;
mod sender_fallback;
pub mod sla;
mod store;
mod subject;
pub mod templating;
#[cfg(feature = "testkit")]
pub mod testkit;
mod ticket;
mod time;
pub mod webhooks;

pub use article::{Article, SenderType};
pub use attachment::{Attachment, AttachmentMeta, Blob};
pub use attachment_limits::{AttachmentLimits, AttachmentRefusal};
pub use bounce::BounceReport;
pub use channel::{Channel, Delivery, DeliveryError};
pub use channel_kind::ChannelKind;
pub use clock::{Clock, FixedClock, SystemClock};
pub use content_hash::{BadContentHash, ContentHash};
pub use directory::{
    AfterImport, Agent, AutoResponse, AutoResponseKind, Calendar, Customer, CustomerUser, FirstSync, FollowUpPolicy,
    Grant, GrantSubject, GrantTarget, Group, LocalizedText, MailAccount, MailCredential, MailProtocol, MailTls,
    NotificationChannel, NotificationChoice, NotificationDef, NotificationKind, PriorityDef, Queue, QueueAutoResponses,
    Record, RecordKey, RecordKind, Role, Salutation, Service, Signature, Sla, StandardTemplate, StateDef, StateType,
    TemplateKind,
};
pub use engine::{
    Actor, Admin, AutoResponseConfig, DeliveryReport, Engine, EngineBuilder, EngineConfig, EventHandler, I18nConfig,
    IntakeOutcome, NewArticle, NewTicket, NotificationSetting, NotificationSettings, Preferences, RenderedText,
    TickReport, TicketFilter, TicketUpdate, TicketView, UnknownSenderPolicy,
};
pub use engine::{
    ArticleOutcome, AttachmentFile, AttachmentRef, COUNTED_STATE_TYPES, MAX_PAGE, QueueCounts, QueueOverview,
    ServiceHolders,
};
pub use engine::{ChatState, Credential, LinkRefusal, MailAccountStatus, MailToken, SessionKind};
pub use engine::{
    ClockSetting, ClockView, EscalationView, SlaReport, SlaReportQuery, SlaReportRow, TargetStats, clock_name,
};
pub use engine::{EventPage, MAX_FEED_PAGE, WebhookChain, WebhookJob, WebhookResult};
pub use error::DuplicateKind;
pub use error::{Error, Result, StoreError};
pub use events::{Event, IntakeKind};
pub use history::{HistoryArg, HistoryEntry, HistoryKind, HistoryText};
pub use ids::{ArticleId, OutboxId, TicketId};
pub use inbound::{Checkpoint, InboundMessage, Sender};
pub use lifecycle::{FollowUpAction, LifecycleStates, check_transition, follow_up_action};
pub use memory_store::MemoryStore;
pub use numbering::{NumberFormat, StandardNumbers, TicketNumberGenerator, check_digit};
pub use outbox::{FanOut, NotificationRef, OutboxEntry, OutboxStatus};
pub use permissions::{AgentAccess, CustomerAccess, Permission, PermissionSet, ServiceDefaults};
pub use priority::Priority;
pub use reason::Reason;
pub use search_words::{MAX_WORD_CHARS, search_words};
pub use sender_auth::{AuthResult, SenderAuth, SenderAuthPolicy};
pub use sender_fallback::{SenderFallback, SenderSource};
pub use store::IdempotencyOutcome;
pub use store::{
    COUNTS_IN_FLIGHT, Commit, CounterAdd, Cursor, IdempotencyRecord, MetaWrite, Page, Store, StoreResult, TicketIndex,
    TicketWrite,
};
pub use subject::TicketHook;
pub use ticket::{Lock, Ticket};
pub use time::{CivilDate, Timestamp};
pub use webhooks::{EventRecord, EventType, WebhookConfig, WebhookDelivery, WebhookOutcome, WebhookSubscription};
