//! The [`Engine`]: the facade hosts embed. It authorises, applies the domain rules, and commits through
//! the [`Store`].

mod access;
mod actor;
mod adapter_state;
mod admin;
mod admin_edit;
mod admin_texts;
mod allocator;
mod articles;
mod attachments;
mod auto_response;
mod bounce;
mod build;
mod choices;
mod config;
mod delivery;
mod directory_cache;
mod escalation;
mod event_feed;
mod import;
mod intake;
mod languages;
mod long_subject;
mod mail_accounts;
mod notes;
mod notification_prefs;
mod notifications;
mod preferences;
mod queue_overview;
mod reply_texts;
mod search;
mod seed;
mod sender_auth;
mod service_holders;
mod sla_report;
mod slas;
mod state_changes;
mod text_context;
mod texts;
mod tick;
mod ticket_customer;
mod tickets;
mod updates;
mod views;
mod watchers;
mod webhook_delivery;
mod webhook_events;
mod webhooks;

pub use actor::Actor;
pub use adapter_state::{ChatState, Credential, LinkRefusal, MailAccountStatus, MailToken, SessionKind};
pub use admin::Admin;
pub use articles::ArticleOutcome;
pub use attachments::{AttachmentFile, AttachmentRef};
pub use config::{AutoResponseConfig, EngineConfig, I18nConfig, UnknownSenderPolicy};
pub use delivery::DeliveryReport;
pub use escalation::{ClockSetting, ClockView, EscalationView, clock_name};
pub use event_feed::{EventPage, MAX_FEED_PAGE};
pub use intake::IntakeOutcome;
pub use notification_prefs::{NotificationSetting, NotificationSettings};
pub use preferences::Preferences;
pub use queue_overview::{COUNTED_STATE_TYPES, QueueCounts, QueueOverview};
pub use service_holders::ServiceHolders;
pub use sla_report::{SlaReport, SlaReportQuery, SlaReportRow, TargetStats};
pub use text_context::RenderedText;
pub use tick::TickReport;
pub use tickets::{MAX_PAGE, NewArticle, NewTicket, TicketFilter, TicketUpdate};
pub use views::TicketView;
pub use webhook_delivery::{WebhookChain, WebhookJob, WebhookResult};

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::numbering::{StandardNumbers, TicketNumberGenerator};
use crate::store::Store;
use allocator::Allocator;
use std::sync::{Arc, RwLock};

/// A subscriber to domain events.
pub type EventHandler = Arc<dyn Fn(&Event) + Send + Sync>;

/// The help-desk engine. Cheap to clone; clones share everything.
///
/// ```
/// use chamado::{Actor, Engine, MemoryStore, NewArticle, NewTicket, TicketUpdate, CustomerUser, Customer};
/// # pollster::block_on(async {
/// let engine = Engine::builder(MemoryStore::new()).build()?;
/// engine.seed_defaults("admin").await?;
/// let admin = engine.admin(&Actor::agent("admin")).await?;
/// admin.put_customer(Customer::new("acme", "Acme Inc.")).await?;
/// admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await?;
///
/// // Alice opens a ticket in the portal.
/// let alice = Actor::customer("alice");
/// let view = engine.create_ticket(&alice, NewTicket::new("Printer broken", "It jams.", "Raw")).await?;
/// let number = view.ticket.number.clone();
///
/// // The admin agent answers and closes it.
/// let agent = Actor::agent("admin");
/// engine.add_article(&agent, &number, NewArticle::reply("Fixed the paper tray.")).await?;
/// let closed = engine.update_ticket(&agent, &number, TicketUpdate::state("closed successful")).await?;
/// assert_eq!(closed.state, "closed successful");
/// assert_eq!(engine.ticket(&alice, &number).await?.articles.len(), 2);
/// # Ok::<(), chamado::Error>(()) }).unwrap();
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    config: EngineConfig,
    numbers: Arc<dyn TicketNumberGenerator>,
    allocator: Allocator,
    subscribers: RwLock<Vec<EventHandler>>,
    directory: RwLock<Option<Arc<directory_cache::Snapshot>>>,
    /// Bumped by every invalidation, so a snapshot loaded across an admin write is not installed.
    directory_generation: std::sync::atomic::AtomicU64,
    /// Set while one caller reloads an expired snapshot: the others go on with the expired one.
    directory_reloading: std::sync::atomic::AtomicBool,
    /// Whether the store holds imported tickets (`import::IMPORTED_*`).
    imported: std::sync::atomic::AtomicU8,
}

/// Builds an [`Engine`].
pub struct EngineBuilder {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    config: EngineConfig,
    numbers: Option<Arc<dyn TicketNumberGenerator>>,
}

impl EngineBuilder {
    /// Uses this clock instead of the system clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Uses this configuration.
    pub fn config(mut self, config: EngineConfig) -> Self {
        self.config = config;
        self
    }

    /// Uses a custom ticket number generator instead of the configured built-in format.
    pub fn numbers(mut self, generator: Arc<dyn TicketNumberGenerator>) -> Self {
        self.numbers = Some(generator);
        self
    }

    /// Checks the configuration and builds the engine.
    pub fn build(self) -> Result<Engine> {
        let numbers = match self.numbers {
            Some(n) => n,
            None => Arc::new(StandardNumbers::new(self.config.number_format, &self.config.system_id)?),
        };
        if self.config.hook.hook.is_empty() {
            return Err(Error::validation("the ticket hook must not be empty"));
        }
        Ok(Engine {
            inner: Arc::new(Inner {
                store: self.store,
                clock: self.clock,
                config: self.config,
                numbers,
                allocator: Allocator::default(),
                subscribers: RwLock::new(Vec::new()),
                directory: RwLock::new(None),
                directory_generation: std::sync::atomic::AtomicU64::new(0),
                directory_reloading: std::sync::atomic::AtomicBool::new(false),
                imported: std::sync::atomic::AtomicU8::new(import::IMPORTED_UNKNOWN),
            }),
        })
    }
}

impl Engine {
    /// Starts building an engine on `store`, with the system clock and default configuration.
    pub fn builder(store: impl Store + 'static) -> EngineBuilder {
        Self::builder_arc(Arc::new(store))
    }

    /// Like [`Engine::builder`] for a store that is already shared.
    pub fn builder_arc(store: Arc<dyn Store>) -> EngineBuilder {
        EngineBuilder { store, clock: Arc::new(SystemClock), config: EngineConfig::default(), numbers: None }
    }

    /// The store. Only the engine reads and writes it: adapters go through the engine's operations.
    pub(crate) fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    /// The configuration.
    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    /// The ticket number generator.
    pub fn numbers(&self) -> &dyn TicketNumberGenerator {
        self.inner.numbers.as_ref()
    }

    /// The current time by the host's clock.
    pub fn now(&self) -> crate::Timestamp {
        self.inner.clock.now()
    }

    /// Calls `handler` with every event from now on, after its commit is durable.
    pub fn subscribe(&self, handler: impl Fn(&Event) + Send + Sync + 'static) {
        self.inner.subscribers.write().unwrap_or_else(|e| e.into_inner()).push(Arc::new(handler));
    }

    fn emit(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let subs = self.inner.subscribers.read().unwrap_or_else(|e| e.into_inner()).clone();
        for e in &events {
            for s in &subs {
                s(e);
            }
        }
    }
}
