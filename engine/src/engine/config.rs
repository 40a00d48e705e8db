use crate::channel_kind::ChannelKind;
use crate::lifecycle::LifecycleStates;
use crate::numbering::NumberFormat;
use crate::permissions::ServiceDefaults;
use crate::subject::TicketHook;
use serde::{Deserialize, Serialize};

/// What to do with mail or chat from someone who is not a known customer user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownSenderPolicy {
    /// Create a customer user (the email address or `tg:<id>` as login) and go on.
    #[default]
    CreateCustomerUser,
    /// Refuse the message.
    Reject,
}

/// Automatic answers to customers' messages (each queue picks its texts, [`crate::Queue::auto_responses`]);
/// these limits and channels hold for all four kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoResponseConfig {
    /// Channels whose messages get one (default: email).
    pub channels: Vec<ChannelKind>,
    /// An operator's own answer to new tickets in queues that name no auto-reply, in one language for
    /// everyone; `{number}`, `{title}` and `{name}` are replaced. `None` (the default) sends the
    /// translated `mail-auto-response` in the customer user's language, else the system's.
    pub text: Option<String>,
    /// At most this many per sender address per day (default 40).
    pub max_per_sender_per_day: u64,
    /// At most this many in all per hour (default 200), so forged senders cannot make us a source of
    /// backscatter at volume.
    pub max_per_hour: u64,
}

impl Default for AutoResponseConfig {
    fn default() -> Self {
        AutoResponseConfig {
            channels: vec![ChannelKind::Email],
            text: None,
            max_per_sender_per_day: 40,
            max_per_hour: 200,
        }
    }
}

/// The system's language and time zone: for people who chose none, and whose browser or chat app
/// asks for no language chamado speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct I18nConfig {
    /// A language tag chamado has texts in (default `en`); see `chamado_i18n::Language::parse`.
    pub default_language: String,
    /// An IANA time zone name (default `UTC`).
    pub default_time_zone: String,
}

impl Default for I18nConfig {
    fn default() -> Self {
        I18nConfig { default_language: "en".into(), default_time_zone: "UTC".into() }
    }
}

/// Engine settings. Defaults follow OTRS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngineConfig {
    /// SystemID in ticket numbers (digits; default `10`).
    pub system_id: String,
    /// Ticket number format (default DateChecksum).
    pub number_format: NumberFormat,
    /// How many ticket numbers to reserve from the store at once. Reserved numbers lost in a crash leave
    /// gaps, never repeats. 1 gives strictly consecutive numbers at the cost of one extra durable write
    /// per ticket (default 16).
    pub number_block: u64,
    /// Ticket hook and divider (default `Ticket#`, empty).
    pub hook: TicketHook,
    /// The queue for new tickets when routing names none (default `Raw`).
    pub default_queue: String,
    /// The queue for bounces that match none of our outbound messages (default `Postmaster`); when it
    /// does not exist or is invalid, the default queue.
    pub bounce_queue: String,
    /// Unknown senders (default: create the customer user).
    pub unknown_sender: UnknownSenderPolicy,
    /// Auto-responses.
    pub auto_response: AutoResponseConfig,
    /// Our own addresses: never auto-answered, used as `From` of outbound mail (the first one).
    pub system_addresses: Vec<String>,
    /// Domain of Message-IDs we generate.
    pub message_id_domain: String,
    /// Whether customer users see their company's tickets (default true).
    pub company_tickets: bool,
    /// How default services combine with own services.
    pub service_defaults: ServiceDefaults,
    /// Outbound attempts before an entry is marked failed (default 8).
    pub outbox_max_attempts: u32,
    /// First retry delay in seconds; doubles per attempt up to one hour (default 30).
    pub outbox_backoff_secs: u64,
    /// How long a claimed outbox entry is reserved for one delivery attempt, in seconds (default 300).
    pub outbox_lease_secs: u64,
    /// Retries of an operation that hit a concurrent change (default 8).
    pub conflict_retries: u32,
    /// Largest accepted text body in bytes (default 1 MiB); longer bodies are refused.
    pub max_body_bytes: usize,
    /// Limits on the files of articles written through the API, the portal or the console (default
    /// 10 MiB per file, 25 MiB per article, 20 files). Mail and chat intake have their own caps.
    pub attachments: crate::attachment_limits::AttachmentLimits,
    /// The language and time zone of people who chose none.
    pub i18n: I18nConfig,
    /// How long, in milliseconds, the snapshot of groups, roles, services, queues, states and default grants
    /// is reused before it is read again (default 1000; 0 reads it on every request). Changes through this
    /// engine's admin take effect at once; this bounds how late other nodes sharing the store see them.
    pub directory_cache_ms: u64,
    /// The states the engine sets on its own (default: the seeded OTRS states).
    pub lifecycle: LifecycleStates,
    /// What unauthenticated mail senders may do (default `enforce`).
    pub sender_auth: crate::sender_auth::SenderAuthPolicy,
    /// Queues where an authenticated sender's `Reply-To` outside its own domain is honoured (default
    /// none: replies go to the sender's address, or the customer user's registered one).
    pub reply_to_queues: Vec<String>,
    /// Where people reach the helpdesk's web surface, e.g. `https://helpdesk.example.com` (no trailing
    /// slash): links in notifications and texts (`urls.*` of [`crate::templating`]). Empty: no links.
    pub public_url: String,
    /// The event log and webhook deliveries.
    pub webhooks: crate::webhooks::WebhookConfig,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            system_id: "10".into(),
            number_format: NumberFormat::DateChecksum,
            number_block: 16,
            hook: TicketHook::default(),
            default_queue: "Raw".into(),
            bounce_queue: "Postmaster".into(),
            unknown_sender: UnknownSenderPolicy::CreateCustomerUser,
            auto_response: AutoResponseConfig::default(),
            system_addresses: vec!["support@localhost".into()],
            message_id_domain: "localhost".into(),
            company_tickets: true,
            service_defaults: ServiceDefaults::Union,
            outbox_max_attempts: 8,
            outbox_backoff_secs: 30,
            outbox_lease_secs: 300,
            conflict_retries: 8,
            max_body_bytes: 1 << 20,
            attachments: crate::attachment_limits::AttachmentLimits::default(),
            i18n: I18nConfig::default(),
            directory_cache_ms: 1000,
            lifecycle: LifecycleStates::default(),
            sender_auth: crate::sender_auth::SenderAuthPolicy::default(),
            reply_to_queues: Vec::new(),
            public_url: String::new(),
            webhooks: crate::webhooks::WebhookConfig::default(),
        }
    }
}
