//! The event feed: the event log read from a cursor, filtered by what the caller may see. The REST
//! API's `GET /api/v1/events?after=` serves it (long-polling on top); embedders read it here.

use super::{Actor, Engine};
use crate::error::{Error, Result};
use crate::permissions::Permission;
use crate::webhooks::EventRecord;
use chamado_i18n::Message;

/// The most events one read returns.
pub const MAX_FEED_PAGE: usize = 1000;

/// A page of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventPage {
    /// The events the caller may see, in log order.
    pub events: Vec<EventRecord>,
    /// Where to go on from: the `seq` of the last event read, shown or not (the cursor given when none
    /// was read).
    pub next: u64,
}

impl Engine {
    /// Events after `cursor` (a `seq`; 0: from the oldest kept) that `actor` may see, reading at most
    /// `limit` (1 to [`MAX_FEED_PAGE`]) events of the log. Admins see everything; other agents the
    /// events of tickets in queues whose group they hold `ro` on; directory events are for admins only;
    /// customer users have no feed.
    pub async fn events(&self, actor: &Actor, cursor: u64, limit: usize) -> Result<EventPage> {
        let access = match actor {
            Actor::System => None,
            Actor::Agent(login) => {
                let a = self.agent_access(login).await?;
                if a.is_admin() { None } else { Some(a) }
            }
            Actor::CustomerUser(_) => {
                return Err(Error::permission_denied(Message::new("error-event-feed-agents-only")));
            }
        };
        let read = self.store().events_after(cursor, limit.clamp(1, MAX_FEED_PAGE)).await?;
        let next = read.last().map_or(cursor, |e| e.seq);
        let events = match access {
            None => read,
            Some(a) => {
                let snap = self.directory().await?;
                read.into_iter()
                    .filter(|e| {
                        e.event_type.is_ticket_event()
                            && e.queue
                                .as_ref()
                                .and_then(|q| snap.queues.get(q))
                                .is_some_and(|q| a.has(&q.group, Permission::Ro))
                    })
                    .collect()
            }
        };
        let mut complete = Vec::with_capacity(events.len());
        for e in events {
            complete.push(self.complete_event(e).await?);
        }
        Ok(EventPage { events: complete, next })
    }

    /// The cursor of the newest event: a feed that starts here gets only what happens from now on.
    pub async fn latest_event_cursor(&self) -> Result<u64> {
        Ok(self.store().last_event_seq().await?)
    }
}

impl Engine {
    /// The event as it is sent and served: an `article.added` event gets its article's text back (the
    /// log keeps it once, in the article).
    pub(super) async fn complete_event(&self, mut e: EventRecord) -> Result<EventRecord> {
        if e.event_type == crate::webhooks::EventType::ArticleAdded
            && let Some(id) = crate::webhooks::payload_article_id(&e.data)
            && let Some(article) = self.store().article(crate::ArticleId(id)).await?
        {
            e.data = crate::webhooks::with_article_body(&e.data, &article.body);
        }
        Ok(e)
    }
}
