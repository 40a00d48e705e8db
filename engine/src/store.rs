//! The storage boundary. Storage adapters implement [`Store`]; the engine never does I/O itself.

use crate::article::Article;
use crate::attachment::Blob;
use crate::content_hash::ContentHash;
use crate::directory::{CustomerUser, Record, RecordKey, RecordKind, StateType};
use crate::error::StoreError;
use crate::history::HistoryEntry;
use crate::ids::{ArticleId, TicketId};
use crate::outbox::OutboxEntry;
use crate::ticket::{Lock, Ticket};
use crate::time::Timestamp;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;

/// A ticket to insert or update within a [`Commit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketWrite {
    /// The new row; its `version` is `expected_version + 1`.
    pub ticket: Ticket,
    /// The version the writer read; 0 inserts a new ticket (its id and number must be unused).
    pub expected_version: u64,
}

/// What an idempotency key resolved to the first time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// The key (scoped by the engine: channel, sender, external id).
    pub key: String,
    /// The ticket the first attempt created or touched.
    pub ticket_id: Option<TicketId>,
    /// The article it created.
    pub article_id: Option<ArticleId>,
    /// What the first attempt did.
    pub outcome: IdempotencyOutcome,
    /// A reason, for rejected outcomes.
    pub detail: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// What the first attempt under an idempotency key did.
///
/// Stored as its name (`new_ticket`, `follow_up`, `rejected`) in every encoding, compact ones included,
/// so records written when the outcome was a plain string read back unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdempotencyOutcome {
    /// It opened a ticket.
    NewTicket,
    /// It added an article to an existing ticket.
    FollowUp,
    /// It was refused; the record's `detail` says why.
    Rejected,
}

impl IdempotencyOutcome {
    /// Every outcome.
    pub const ALL: [IdempotencyOutcome; 3] =
        [IdempotencyOutcome::NewTicket, IdempotencyOutcome::FollowUp, IdempotencyOutcome::Rejected];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            IdempotencyOutcome::NewTicket => "new_ticket",
            IdempotencyOutcome::FollowUp => "follow_up",
            IdempotencyOutcome::Rejected => "rejected",
        }
    }
}

impl std::str::FromStr for IdempotencyOutcome {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, StoreError> {
        IdempotencyOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown idempotency outcome {s:?}")))
    }
}

// By name rather than derived: a derived enum would be a variant index in postcard (redb), which cannot
// read the strings stored before this type existed.
impl Serialize for IdempotencyOutcome {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for IdempotencyOutcome {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// One atomic change: all of it is durable, or none of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    /// Tickets inserted or updated, each with an optimistic version check.
    pub tickets: Vec<TicketWrite>,
    /// Articles inserted, or replaced by id (moving an article to another ticket re-indexes it).
    pub articles: Vec<Article>,
    /// History entries appended.
    pub history: Vec<HistoryEntry>,
    /// Outbox entries inserted, or replaced by id.
    pub outbox: Vec<OutboxEntry>,
    /// An idempotency key that must not exist yet.
    pub idempotency: Option<IdempotencyRecord>,
    /// The files of the commit's new articles, each kept once by its hash: a blob the store holds
    /// already is left as it is. Written in the same atomic step as the articles, so no article is ever
    /// stored without its files, and a refused commit leaves no blob behind.
    #[serde(default)]
    pub blobs: Vec<Blob>,
    /// Adapter state written with the change (a mailbox's checkpoint), so that the change and the
    /// position it was read at are durable together or not at all. Keys are distinct within a commit.
    #[serde(default)]
    pub meta: Vec<MetaWrite>,
    /// Events appended to the event log, in order. The store assigns each its `seq` when it applies the
    /// commit, increasing within the commit and greater than every `seq` of every commit that finished
    /// before this one began, on every node. Commits running at the same time on several nodes may
    /// finish out of `seq` order; [`Store::events_after`] must then hold back the later ones until the
    /// earlier are durable, so the event feed, which hands out events in `seq` order, never skips one
    /// that becomes visible later.
    #[serde(default)]
    pub events: Vec<crate::webhooks::EventRecord>,
    /// Webhook deliveries (and fan-out entries) inserted, or replaced by id.
    #[serde(default)]
    pub webhooks: Vec<crate::webhooks::WebhookDelivery>,
    /// Directory records inserted or replaced with the change, exactly as [`Store::put_record`] would
    /// (its lookup keys included), so that a directory change and its events are durable together.
    #[serde(default)]
    pub records: Vec<Record>,
    /// Counters (those of [`Store::allocate`]) moved up with the change, so that what a change counts
    /// (an auto-response sent) is counted exactly when the change is durable, without a write of its own.
    #[serde(default)]
    pub counters: Vec<CounterAdd>,
}

/// A counter moved up by a [`Commit`]: `scope`'s value (the last one [`Store::allocate`] handed out)
/// grows by `add`, as if that many values were allocated. Scopes are distinct within a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterAdd {
    /// The counter.
    pub scope: String,
    /// How much it grows.
    pub add: u64,
}

/// A value of the adapter-state area ([`Store::meta`]) set (`Some`) or deleted (`None`) by a [`Commit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaWrite {
    /// The key.
    pub key: String,
    /// The new value; `None` deletes it.
    pub value: Option<Vec<u8>>,
}

/// Which tickets a listing walks. Every listing is ordered newest change first: `(changed_at, id)`
/// descending.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TicketIndex {
    /// A customer user's tickets (by login).
    CustomerUser(String),
    /// A customer's (company's) tickets (by CustomerID).
    Customer(String),
    /// A queue's tickets, optionally only those of one state type.
    Queue {
        /// The queue name.
        queue: String,
        /// Only this state type.
        state_type: Option<StateType>,
    },
    /// Every ticket of a state type.
    StateType(StateType),
    /// The tickets an agent holds locked (lock `lock`, owner this login).
    LockedBy(String),
    /// The tickets an agent is responsible for (by login).
    Responsible(String),
    /// Tickets with a running escalation clock whose breach has fired.
    Escalated,
    /// Tickets with a running escalation clock whose warning has fired, none breached.
    AtRisk,
}

/// A position in a listing: the last ticket of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cursor {
    /// Its `changed_at`.
    pub changed_at: Timestamp,
    /// Its id.
    pub id: TicketId,
}

impl Cursor {
    /// The cursor after `ticket`.
    pub fn after(ticket: &Ticket) -> Self {
        Cursor { changed_at: ticket.changed_at, id: ticket.id }
    }

    /// An opaque text form for APIs.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.changed_at.0, self.id.0)
    }

    /// Parses [`Cursor::encode`]'s form.
    pub fn decode(s: &str) -> Option<Self> {
        let (a, b) = s.split_once('.')?;
        Some(Cursor { changed_at: Timestamp(a.parse().ok()?), id: TicketId(b.parse().ok()?) })
    }

    /// True when `ticket` comes strictly after this cursor in listing order.
    pub fn precedes(&self, ticket: &Ticket) -> bool {
        (ticket.changed_at, ticket.id) < (self.changed_at, self.id)
    }
}

/// A page of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Where the next page starts, if there may be one.
    pub next: Option<Cursor>,
}

/// How many counts [`Store::count_tickets_many`]'s default asks for at once.
pub const COUNTS_IN_FLIGHT: usize = 64;

/// Where tickets, articles, history, outbox, directory records and counters live.
///
/// Implementations must make [`Store::commit`] atomic and durable before it returns, index exactly the
/// keys the model's functions name ([`Ticket::pending_due`], [`OutboxEntry::due_at`],
/// [`Record::lookup_keys`]), and pass the `testkit` conformance suite (feature `testkit`).
#[async_trait]
pub trait Store: Send + Sync {
    /// Reserves `count` consecutive values of counter `scope` and returns the first. Counters start at 1
    /// and never hand out a value twice, whatever happens afterwards.
    async fn allocate(&self, scope: &str, count: u64) -> StoreResult<u64>;

    /// The value of counter `scope`: the last one [`Store::allocate`] handed out, with every
    /// [`Commit::counters`] addition; 0 for a counter never moved.
    async fn counter(&self, scope: &str) -> StoreResult<u64>;

    /// Applies a commit atomically. Errors: [`StoreError::Conflict`] when a ticket's version differs,
    /// [`StoreError::Duplicate`] when an inserted ticket's id or number, or the idempotency key, exists.
    async fn commit(&self, commit: Commit) -> StoreResult<()>;

    /// A ticket by id.
    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>>;
    /// A ticket by number (merged tickets keep their number).
    async fn ticket_by_number(&self, number: &str) -> StoreResult<Option<Ticket>>;
    /// A ticket's articles, oldest first.
    async fn articles(&self, ticket: TicketId) -> StoreResult<Vec<Article>>;
    /// A ticket by number together with its articles (oldest first): the read behind every ticket view.
    /// Stores that can should answer from one read transaction (one snapshot, one round trip); the
    /// default reads the two in turn.
    async fn ticket_with_articles(&self, number: &str) -> StoreResult<Option<(Ticket, Vec<Article>)>> {
        let Some(ticket) = self.ticket_by_number(number).await? else { return Ok(None) };
        let articles = self.articles(ticket.id).await?;
        Ok(Some((ticket, articles)))
    }
    /// One article.
    async fn article(&self, id: ArticleId) -> StoreResult<Option<Article>>;
    /// A ticket's history, oldest first.
    async fn history(&self, ticket: TicketId) -> StoreResult<Vec<HistoryEntry>>;
    /// The latest article carrying this external id (Message-ID, chat message id).
    async fn article_by_external_id(&self, external_id: &str) -> StoreResult<Option<Article>>;
    /// What an idempotency key resolved to.
    async fn idempotency(&self, key: &str) -> StoreResult<Option<IdempotencyRecord>>;
    /// A page of tickets from an index, newest change first, strictly after `after`.
    async fn list_tickets(&self, index: &TicketIndex, after: Option<Cursor>, limit: usize)
    -> StoreResult<Page<Ticket>>;
    /// How many tickets an index holds, answered from counts the store keeps with the index (never by
    /// walking it), so views can show exact totals at millions of tickets.
    async fn count_tickets(&self, index: &TicketIndex) -> StoreResult<u64>;
    /// Several counts ([`Store::count_tickets`]), in the order asked. Stores across a network should
    /// answer them together (one round trip); the default asks for each, [`COUNTS_IN_FLIGHT`] at a time,
    /// so a page waits for the slowest rather than the sum.
    async fn count_tickets_many(&self, indexes: &[TicketIndex]) -> StoreResult<Vec<u64>> {
        let mut counts = Vec::with_capacity(indexes.len());
        // At most COUNTS_IN_FLIGHT at a time, so an agent of a thousand queues does not queue thousands
        // of requests on a small connection pool.
        for chunk in indexes.chunks(COUNTS_IN_FLIGHT) {
            let batch = crate::join::join_all(
                chunk.iter().map(|i| -> crate::join::BoxFuture<'_, _> { self.count_tickets(i) }).collect(),
            )
            .await;
            for n in batch {
                counts.push(n?);
            }
        }
        Ok(counts)
    }
    /// Tickets whose [`Ticket::pending_due`] is at or before `now`, earliest first.
    async fn due_tickets(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<Ticket>>;

    /// Claims up to `limit` outbox entries due at `now` (by [`OutboxEntry::due_at`]): atomically sets
    /// their `next_attempt_at` to `lease_until`, so no other claimer gets them until the lease ends,
    /// and returns them as updated.
    async fn claim_outbox(&self, now: Timestamp, lease_until: Timestamp, limit: usize)
    -> StoreResult<Vec<OutboxEntry>>;
    /// A ticket's outbox entries, oldest first.
    async fn outbox_for_ticket(&self, ticket: TicketId) -> StoreResult<Vec<OutboxEntry>>;
    /// How many outbox entries are pending (due now or waiting for a retry), for monitoring. Stores
    /// answer from the due index they keep anyway; stores that cannot count cheaply answer `Unavailable`.
    async fn outbox_pending(&self) -> StoreResult<u64> {
        Err(StoreError::Unavailable("this store does not count its outbox".into()))
    }

    /// Inserts or replaces a directory record (durably).
    async fn put_record(&self, record: Record) -> StoreResult<()>;
    /// Deletes a directory record; deleting a missing one is not an error.
    async fn delete_record(&self, key: &RecordKey) -> StoreResult<()>;
    /// One directory record.
    async fn record(&self, key: &RecordKey) -> StoreResult<Option<Record>>;
    /// Records of a kind whose key starts with `prefix`, in key order, strictly after `after`.
    async fn records(
        &self,
        kind: RecordKind,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Record>>;
    /// The customer user indexed under a lookup key ([`CustomerUser::lookup_keys`]).
    async fn customer_user_by_lookup(&self, key: &str) -> StoreResult<Option<CustomerUser>>;

    /// Tickets whose title or article text holds every word of `query`, newest change first, at most
    /// `limit`. Words are what [`search_words`](crate::search_words) makes of the text and the query; a
    /// query without words finds nothing. The engine filters the result by permission. Stores without
    /// search answer `Unsupported`.
    async fn search_tickets(&self, query: &str, limit: usize) -> StoreResult<Vec<Ticket>> {
        let _ = (query, limit);
        Err(StoreError::Unsupported("full-text search".into()))
    }

    /// The bytes of a stored file ([`Commit::blobs`]) by hash. Reads of articles never read these.
    async fn blob(&self, hash: &ContentHash) -> StoreResult<Option<Vec<u8>>>;
    /// How many distinct files the store keeps: one per hash, however many articles carry it.
    async fn blob_count(&self) -> StoreResult<u64>;

    /// Adapter state, which the engine keeps for adapters (tokens, sessions, chat states, cursors): a
    /// value by key. Only the engine calls it.
    async fn meta(&self, key: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Sets (`Some`) or deletes (`None`) an adapter state value, durably.
    async fn put_meta(&self, key: &str, value: Option<Vec<u8>>) -> StoreResult<()>;

    /// Events of the log with `seq` greater than `after`, in `seq` order, at most `limit`. Only events of
    /// commits that are durable; never one whose `seq` is lower than an event already returned by an
    /// earlier call (a feed resuming from the last `seq` it saw misses nothing).
    async fn events_after(&self, after: u64, limit: usize) -> StoreResult<Vec<crate::webhooks::EventRecord>>;
    /// The greatest `seq` in the log (0 when it is empty): where a new feed starts.
    async fn last_event_seq(&self) -> StoreResult<u64>;
    /// Removes up to `limit` of the oldest events whose time is before `before`; returns how many.
    async fn prune_events(&self, before: Timestamp, limit: usize) -> StoreResult<u64>;

    /// Claims up to `limit` webhook deliveries due at `now` (by [`WebhookDelivery::due_at`]), earliest
    /// first, as [`Store::claim_outbox`] does for the outbox: their `next_attempt_at` becomes
    /// `lease_until` atomically.
    ///
    /// [`WebhookDelivery::due_at`]: crate::webhooks::WebhookDelivery::due_at
    async fn claim_webhooks(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<crate::webhooks::WebhookDelivery>>;
    /// One webhook delivery by id.
    async fn webhook_delivery(&self, id: u64) -> StoreResult<Option<crate::webhooks::WebhookDelivery>>;
    /// A subscription's deliveries, newest (highest id) first, with ids below `before` when given, at
    /// most `limit`. Fan-out entries belong to no subscription and are never listed.
    async fn webhook_deliveries(
        &self,
        subscription: &str,
        before: Option<u64>,
        limit: usize,
    ) -> StoreResult<Vec<crate::webhooks::WebhookDelivery>>;
    /// The pending deliveries and fan-out entries about a ticket (any subscription), by id.
    async fn pending_webhooks_for_ticket(&self, ticket: TicketId)
    -> StoreResult<Vec<crate::webhooks::WebhookDelivery>>;
    /// How many webhook deliveries and fan-out entries are pending (the backlog).
    async fn webhooks_pending(&self) -> StoreResult<u64>;
    /// Removes up to `limit` finished deliveries (sent or failed) created before `before`, oldest first;
    /// returns how many.
    async fn prune_webhooks(&self, before: Timestamp, limit: usize) -> StoreResult<u64>;
}

impl TicketIndex {
    /// Every index a ticket belongs to. Stores index exactly these keys.
    pub fn keys_of(ticket: &Ticket) -> Vec<TicketIndex> {
        let mut keys = vec![
            TicketIndex::Queue { queue: ticket.queue.clone(), state_type: None },
            TicketIndex::Queue { queue: ticket.queue.clone(), state_type: Some(ticket.state_type) },
            TicketIndex::StateType(ticket.state_type),
        ];
        if let Some(cu) = &ticket.customer_user {
            keys.push(TicketIndex::CustomerUser(cu.clone()));
        }
        if let Some(c) = &ticket.customer_id {
            keys.push(TicketIndex::Customer(c.clone()));
        }
        if let (Lock::Lock, Some(owner)) = (ticket.lock, &ticket.owner) {
            keys.push(TicketIndex::LockedBy(owner.clone()));
        }
        if let Some(r) = &ticket.responsible {
            keys.push(TicketIndex::Responsible(r.clone()));
        }
        if ticket.escalation.is_breached() {
            keys.push(TicketIndex::Escalated);
        } else if ticket.escalation.is_at_risk() {
            keys.push(TicketIndex::AtRisk);
        }
        keys
    }

    /// A compact, unambiguous byte key for the index, usable as a storage key prefix.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            TicketIndex::CustomerUser(l) => {
                out.push(1);
                out.extend_from_slice(l.as_bytes());
            }
            TicketIndex::Customer(c) => {
                out.push(2);
                out.extend_from_slice(c.as_bytes());
            }
            TicketIndex::Queue { queue, state_type } => {
                out.push(3);
                out.push(state_type.map_or(0, StateType::code));
                out.extend_from_slice(queue.as_bytes());
            }
            TicketIndex::StateType(st) => {
                out.push(4);
                out.push(st.code());
            }
            TicketIndex::LockedBy(l) => {
                out.push(5);
                out.extend_from_slice(l.as_bytes());
            }
            TicketIndex::Responsible(l) => {
                out.push(6);
                out.extend_from_slice(l.as_bytes());
            }
            TicketIndex::Escalated => out.push(7),
            TicketIndex::AtRisk => out.push(8),
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_outcomes_keep_their_stored_names() {
        let names: Vec<String> = IdempotencyOutcome::ALL.iter().map(|o| serde_json::to_string(o).unwrap()).collect();
        assert_eq!(names, ["\"new_ticket\"", "\"follow_up\"", "\"rejected\""]);
        for o in IdempotencyOutcome::ALL {
            let back: IdempotencyOutcome = serde_json::from_str(&format!("\"{}\"", o.as_str())).unwrap();
            assert_eq!(back, o);
        }
        assert!(serde_json::from_str::<IdempotencyOutcome>("\"merged\"").is_err());
        assert!(serde_json::from_str::<IdempotencyOutcome>("1").is_err());
    }
}
