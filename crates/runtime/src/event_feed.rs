//! The event feed as hosts and embedders read it, on top of [`Engine::events`]: [`EventFeed::wait`] (a
//! page, or, when nothing new is there, a wait for it up to a deadline: the REST API's long-poll) and
//! [`EventFeed::stream`] / [`event_stream`] (every event from a cursor on, as it happens).
//!
//! New events are noticed two ways: the engine's own events (something this process committed) wake
//! the waiters at once, and a poll interval reads the log anyway, because other nodes sharing the store
//! append to it too, and not every commit is announced as an engine event.

use chamado::{Actor, Engine, EventPage, EventRecord, MAX_FEED_PAGE, Result};
use futures_util::stream::{Stream, unfold};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// How often a waiting reader looks at the log when no engine event woke it (one second): the delay
/// after which events committed by another node are seen.
pub const DEFAULT_FEED_POLL: Duration = Duration::from_secs(1);

/// How long one round of a stream waits before it reads again regardless (the poll interval still
/// applies within it).
const STREAM_ROUND: Duration = Duration::from_secs(60);

/// Reads the engine's event log for callers, waking them when the engine commits something.
///
/// Make one per engine and share it (clones share it too): [`EventFeed::new`] registers a handler with
/// [`Engine::subscribe`], which the engine keeps for its life (it does nothing once every clone of the
/// feed is gone).
#[derive(Clone)]
pub struct EventFeed {
    engine: Engine,
    /// Bumped by every engine event.
    changes: watch::Receiver<u64>,
    /// Kept here so the handler's weak reference lives as long as a clone of the feed.
    _sender: Arc<watch::Sender<u64>>,
}

impl std::fmt::Debug for EventFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventFeed").field("changes", &*self.changes.borrow()).finish_non_exhaustive()
    }
}

impl EventFeed {
    /// A feed of `engine`'s event log.
    pub fn new(engine: &Engine) -> EventFeed {
        let sender = Arc::new(watch::Sender::new(0u64));
        let weak = Arc::downgrade(&sender);
        engine.subscribe(move |_| {
            if let Some(s) = weak.upgrade() {
                s.send_modify(|n| *n = n.wrapping_add(1));
            }
        });
        EventFeed { engine: engine.clone(), changes: sender.subscribe(), _sender: sender }
    }

    /// The engine read.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Events after `cursor` that `actor` may see, at most `limit` log entries read per round
    /// ([`Engine::events`]). When there are none, waits up to `wait` for new ones (woken by the engine's
    /// events, and reading again every `poll`), then answers what there is: possibly no events, with
    /// the cursor moved past those the caller may not see.
    pub async fn wait(
        &self,
        actor: &Actor,
        cursor: u64,
        limit: usize,
        wait: Duration,
        poll: Duration,
    ) -> Result<EventPage> {
        let deadline = Instant::now() + wait;
        let poll = poll.max(Duration::from_millis(10));
        let mut changes = self.changes.clone();
        let mut cursor = cursor;
        loop {
            // Marked before the read: a commit after it wakes the wait below.
            changes.borrow_and_update();
            let page = self.engine.events(actor, cursor, limit).await?;
            let now = Instant::now();
            if !page.events.is_empty() || now >= deadline {
                return Ok(page);
            }
            let skipped = page.next != cursor;
            cursor = page.next;
            if skipped {
                // Only events the caller may not see were read: there may be more right behind them.
                continue;
            }
            tokio::select! {
                Ok(()) = changes.changed() => {}
                () = tokio::time::sleep(poll.min(deadline - now)) => {}
            }
        }
    }

    /// Every event after `cursor` that `actor` may see, in log order, as it happens (never ending by
    /// itself). An error (the actor may not read the feed, the store failed) is the stream's last item:
    /// resume with a new stream from the `seq` of the last event received.
    pub fn stream(&self, actor: Actor, cursor: u64, poll: Duration) -> impl Stream<Item = Result<EventRecord>> + use<> {
        let state = StreamState { feed: self.clone(), actor, cursor, poll, buffered: VecDeque::new(), failed: false };
        unfold(state, |mut s| async move {
            if s.failed {
                return None;
            }
            loop {
                if let Some(e) = s.buffered.pop_front() {
                    return Some((Ok(e), s));
                }
                match s.feed.wait(&s.actor, s.cursor, MAX_FEED_PAGE, STREAM_ROUND, s.poll).await {
                    Ok(page) => {
                        s.cursor = page.next;
                        s.buffered.extend(page.events);
                    }
                    Err(e) => {
                        s.failed = true;
                        return Some((Err(e), s));
                    }
                }
            }
        })
    }
}

/// Where a stream is.
struct StreamState {
    feed: EventFeed,
    actor: Actor,
    cursor: u64,
    poll: Duration,
    buffered: VecDeque<EventRecord>,
    failed: bool,
}

/// Every event after `cursor` (a `seq`; 0: from the oldest kept, [`Engine::latest_event_cursor`]: from
/// now on) that `actor` may see, as it happens, reading the log again every `poll` when the engine
/// announced nothing (other nodes write too). See [`EventFeed::stream`]; a host that opens many streams
/// makes one [`EventFeed`] and calls its `stream`.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use chamado::{Actor, Engine, MemoryStore};
/// use futures_util::StreamExt;
/// let engine = Engine::builder(MemoryStore::new()).build()?;
/// let from = engine.latest_event_cursor().await?;
/// let events = chamado_runtime::event_stream(&engine, Actor::System, from, chamado_runtime::DEFAULT_FEED_POLL);
/// let mut events = std::pin::pin!(events);
/// while let Some(event) = events.next().await {
///     let event = event?;
///     println!("{} {} {}", event.seq, event.event_type, event.body());
/// }
/// # Ok(())
/// # }
/// ```
pub fn event_stream(
    engine: &Engine,
    actor: Actor,
    cursor: u64,
    poll: Duration,
) -> impl Stream<Item = Result<EventRecord>> + use<> {
    EventFeed::new(engine).stream(actor, cursor, poll)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado::{MemoryStore, NewTicket};
    use futures_util::StreamExt;

    async fn engine() -> Engine {
        let engine = Engine::builder(MemoryStore::new()).build().unwrap_or_else(|e| unreachable!("{e}"));
        engine.seed_defaults("admin").await.unwrap_or_else(|e| unreachable!("{e}"));
        engine
    }

    async fn open(engine: &Engine, title: &str) -> String {
        let t = engine
            .create_ticket(&Actor::agent("admin"), NewTicket::new(title, "body", "Raw"))
            .await
            .unwrap_or_else(|e| unreachable!("{e}"));
        t.ticket.number
    }

    fn number(e: &EventRecord) -> String {
        let data: serde_json::Value = serde_json::from_str(&e.data).unwrap_or_default();
        data["ticket"]["number"].as_str().unwrap_or_default().to_string()
    }

    #[tokio::test]
    async fn the_stream_gives_every_event_in_order_then_waits_for_new_ones() {
        let engine = engine().await;
        // The seed's welcome ticket came before.
        let from = engine.latest_event_cursor().await.unwrap_or_else(|e| unreachable!("{e}"));
        let first = open(&engine, "one").await;
        let stream = event_stream(&engine, Actor::System, from, Duration::from_secs(30));
        let mut stream = std::pin::pin!(stream);
        let e1 = stream.next().await.and_then(|r| r.ok()).unwrap_or_else(|| unreachable!("an event"));
        assert_eq!((e1.event_type, number(&e1)), (chamado::EventType::TicketCreated, first.clone()));
        // Its first article is an event of the same commit.
        let e1 = stream.next().await.and_then(|r| r.ok()).unwrap_or_else(|| unreachable!("an event"));
        assert_eq!((e1.event_type, number(&e1)), (chamado::EventType::ArticleAdded, first));
        // Nothing more: the next item waits; a ticket opened meanwhile wakes it long before the poll.
        let later = {
            let engine = engine.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(200)).await;
                open(&engine, "two").await
            })
        };
        let started = Instant::now();
        let e2 = tokio::time::timeout(Duration::from_secs(10), stream.next()).await;
        let e2 = e2.ok().flatten().and_then(|r| r.ok()).unwrap_or_else(|| unreachable!("a second event"));
        let second = later.await.unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(number(&e2), second);
        assert!(e2.seq > e1.seq, "log order");
        assert!(started.elapsed() < Duration::from_secs(5), "woken by the engine, not the 30 s poll");
    }

    #[tokio::test]
    async fn wait_answers_at_once_when_events_exist_and_empty_after_the_deadline() {
        let engine = engine().await;
        let feed = EventFeed::new(&engine);
        let from = engine.latest_event_cursor().await.unwrap_or_else(|e| unreachable!("{e}"));
        open(&engine, "one").await;
        let started = Instant::now();
        let page = feed
            .wait(&Actor::System, from, 10, Duration::from_secs(20), Duration::from_secs(20))
            .await
            .unwrap_or_else(|e| unreachable!("{e}"));
        let types: Vec<_> = page.events.iter().map(|e| e.event_type).collect();
        assert_eq!(types, [chamado::EventType::TicketCreated, chamado::EventType::ArticleAdded]);
        assert!(started.elapsed() < Duration::from_secs(2));
        let started = Instant::now();
        let empty = feed
            .wait(&Actor::System, page.next, 10, Duration::from_millis(300), Duration::from_millis(50))
            .await
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert!(empty.events.is_empty());
        assert_eq!(empty.next, page.next);
        assert!(started.elapsed() >= Duration::from_millis(300), "it waited until the deadline");
    }

    #[tokio::test]
    async fn a_customer_user_stream_ends_with_the_refusal() {
        let engine = engine().await;
        let stream = event_stream(&engine, Actor::customer("alice"), 0, DEFAULT_FEED_POLL);
        let items: Vec<_> = stream.collect().await;
        assert!(matches!(items.as_slice(), [Err(chamado::Error::PermissionDenied(_))]), "{items:?}");
    }
}
