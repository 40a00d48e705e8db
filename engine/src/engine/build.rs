//! Building blocks shared by every operation that writes: ids, new rows, history, retries, replies.

use super::Engine;
use crate::article::{Article, SenderType};
use crate::attachment::{Attachment, Blob, split_all};
use crate::channel_kind::ChannelKind;
use crate::error::{Error, Result, StoreError};
use crate::history::{HistoryEntry, HistoryKind};
use crate::ids::{ArticleId, OutboxId, TicketId};
use crate::lifecycle::StateRole;
use crate::outbox::{OutboxEntry, OutboxStatus};
use crate::priority::Priority;
use crate::store::IdempotencyOutcome;
use crate::ticket::{Lock, Ticket};
use crate::time::Timestamp;
use chamado_i18n::Message;

/// Internal ids are reserved in large blocks: they are never shown, so gaps cost nothing.
const ID_BLOCK: u64 = 256;
/// How many merge hops are followed before a chain is considered broken.
const MAX_MERGE_HOPS: usize = 16;

/// Fields of a ticket being opened.
pub(super) struct TicketSeed {
    pub title: String,
    pub queue: String,
    pub priority: Priority,
    pub customer_user: Option<String>,
    pub customer_id: Option<String>,
    pub service: Option<String>,
    pub sla: Option<String>,
    pub channel: ChannelKind,
}

/// Fields of an article being written.
#[derive(Clone)]
pub(super) struct ArticleSeed {
    pub sender: SenderType,
    pub channel: ChannelKind,
    pub visible_to_customer: bool,
    pub from: String,
    pub reply_to: Option<String>,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<Attachment>,
    pub external_id: Option<String>,
    pub references: Vec<String>,
    pub created_by: String,
    pub sender_auth: Option<crate::sender_auth::SenderAuth>,
}

impl Engine {
    pub(super) async fn next_id(&self, scope: &str) -> Result<u64> {
        self.inner.allocator.next(self.store().as_ref(), scope, ID_BLOCK).await
    }

    /// A fresh ticket number from the store's counter. Where tickets were imported, a number one of
    /// them holds is passed over (an import reserves its numbers, but another node may still hold
    /// values it reserved before).
    pub(super) async fn next_number(&self, now: Timestamp) -> Result<String> {
        let scope = self.numbers().counter_scope(now);
        loop {
            let counter = self.inner.allocator.next(self.store().as_ref(), &scope, self.config().number_block).await?;
            let number = self.numbers().format(now, counter);
            if !self.has_imported_numbers().await? || self.store().ticket_by_number(&number).await?.is_none() {
                return Ok(number);
            }
        }
    }

    /// A new ticket in the lifecycle's initial state with a fresh number and id, not yet committed.
    pub(super) async fn new_ticket(&self, seed: TicketSeed, now: Timestamp) -> Result<Ticket> {
        let title = seed.title.trim();
        let title = if title.is_empty() { "(no subject)".to_string() } else { truncate(title, 255) };
        let initial = self.role_state(StateRole::Initial).await?;
        Ok(Ticket {
            id: TicketId(self.next_id("ticket_id").await?),
            number: self.next_number(now).await?,
            title,
            queue: seed.queue,
            state: initial.name,
            state_type: initial.state_type,
            priority: seed.priority,
            lock: Lock::Unlock,
            owner: None,
            responsible: None,
            customer_user: seed.customer_user,
            customer_id: seed.customer_id,
            service: seed.service,
            channel: seed.channel,
            created_at: now,
            changed_at: now,
            pending_until: None,
            reminded_for: None,
            merged_into: None,
            linked: Vec::new(),
            version: 1,
            watchers: Vec::new(),
            unlock_at: None,
            sla: seed.sla,
            escalation: Default::default(),
        })
    }

    /// A new article, not yet committed, and the distinct files its commit must carry.
    pub(super) async fn new_article(
        &self,
        ticket: TicketId,
        seed: ArticleSeed,
        now: Timestamp,
    ) -> Result<(Article, Vec<Blob>)> {
        if seed.body.len() > self.config().max_body_bytes {
            return Err(Error::validation(
                chamado_i18n::Message::new("error-body-too-large")
                    .arg("size", seed.body.len())
                    .arg("max", self.config().max_body_bytes),
            ));
        }
        let (attachments, blobs) = split_all(seed.attachments);
        let article = Article {
            id: ArticleId(self.next_id("article_id").await?),
            ticket_id: ticket,
            sender: seed.sender,
            channel: seed.channel,
            visible_to_customer: seed.visible_to_customer,
            from: seed.from,
            reply_to: seed.reply_to,
            to: seed.to,
            subject: seed.subject,
            body: seed.body,
            attachments,
            external_id: seed.external_id,
            references: seed.references,
            created_by: seed.created_by,
            created_at: now,
            sender_auth: seed.sender_auth,
        };
        Ok((article, blobs))
    }

    pub(super) async fn new_outbox(
        &self,
        article: &Article,
        channel: ChannelKind,
        recipient: String,
        now: Timestamp,
    ) -> Result<OutboxEntry> {
        Ok(OutboxEntry {
            id: OutboxId(self.next_id("outbox_id").await?),
            ticket_id: article.ticket_id,
            article_id: article.id,
            channel,
            recipient,
            status: OutboxStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            created_at: now,
            receipt: None,
            notification: None,
        })
    }

    /// Our Message-ID for an outbound article, recorded on it so replies thread back.
    pub(super) fn message_id(&self, number: &str, article: ArticleId) -> String {
        format!("<chamado.{number}.{article}@{}>", self.config().message_id_domain)
    }

    /// The system's sending address.
    pub(super) fn system_address(&self) -> String {
        self.config().system_addresses.first().cloned().unwrap_or_else(|| "support@localhost".into())
    }

    /// The ticket with this number, following merges to the ticket that now holds its thread.
    pub(super) async fn resolve_number(&self, number: &str) -> Result<Ticket> {
        let not_found = || Error::not_found(chamado_i18n::Message::new("error-ticket-not-found").arg("number", number));
        let mut ticket = self.store().ticket_by_number(number.trim()).await?.ok_or_else(not_found)?;
        for _ in 0..MAX_MERGE_HOPS {
            match ticket.merged_into {
                Some(target) => ticket = self.store().ticket(target).await?.ok_or_else(not_found)?,
                None => return Ok(ticket),
            }
        }
        Err(not_found())
    }

    /// The ticket with this id, following merges.
    pub(super) async fn resolve_id(&self, id: TicketId) -> Result<Option<Ticket>> {
        let Some(mut ticket) = self.store().ticket(id).await? else { return Ok(None) };
        for _ in 0..MAX_MERGE_HOPS {
            match ticket.merged_into {
                Some(target) => match self.store().ticket(target).await? {
                    Some(t) => ticket = t,
                    None => return Ok(None),
                },
                None => return Ok(Some(ticket)),
            }
        }
        Ok(None)
    }

    /// True when another attempt should follow this error (a concurrent change, retries left).
    pub(super) fn should_retry(&self, e: &Error, attempt: u32) -> bool {
        matches!(e, Error::Store(StoreError::Conflict { .. })) && attempt < self.config().conflict_retries
    }

    /// Where an outbound reply on this ticket goes, and why: the channel and address of the customer's
    /// last reachable message (settled at intake, see the ticket's history), with that article's id,
    /// else the customer user's email address (no article).
    pub(super) async fn reply_target(
        &self,
        ticket: &Ticket,
        articles: &[Article],
    ) -> Result<Option<(ChannelKind, String, Option<ArticleId>)>> {
        let last = articles.iter().rev().find(|a| a.sender == SenderType::Customer && a.reply_to.is_some());
        if let Some(a) = last {
            let channel = if a.channel == ChannelKind::Chat { ChannelKind::Chat } else { ChannelKind::Email };
            return Ok(a.reply_to.clone().map(|r| (channel, r, Some(a.id))));
        }
        if let Some(login) = &ticket.customer_user
            && let Some(u) = self.customer_user(login).await?
            && !u.email.is_empty()
        {
            return Ok(Some((ChannelKind::Email, u.email, None)));
        }
        Ok(None)
    }

    /// The thread an outbound reply refers to: the customer's last message's references plus its id.
    pub(super) fn thread_references(articles: &[Article]) -> Vec<String> {
        let last = articles.iter().rev().find(|a| a.sender == SenderType::Customer && a.external_id.is_some());
        let mut refs = Vec::new();
        if let Some(a) = last {
            refs.extend(a.references.iter().cloned());
            refs.extend(a.external_id.iter().cloned());
        }
        refs.dedup();
        refs
    }
}

/// A history entry saying `message` (kept as its key and arguments, and in English).
pub(super) fn history(
    ticket: TicketId,
    at: Timestamp,
    actor: &str,
    kind: HistoryKind,
    message: Message,
) -> HistoryEntry {
    HistoryEntry::new(ticket, at, actor, kind, &message)
}

/// The idempotency record for an operation that took `key` (when the caller gave one).
pub(super) fn idempotency(
    key: Option<String>,
    ticket: TicketId,
    article: Option<ArticleId>,
    outcome: IdempotencyOutcome,
    detail: Option<String>,
    at: Timestamp,
) -> Option<crate::store::IdempotencyRecord> {
    key.map(|key| crate::store::IdempotencyRecord {
        key,
        ticket_id: Some(ticket),
        article_id: article,
        outcome,
        detail,
        at,
    })
}

/// At most `max` characters, cut at a character boundary.
pub(super) fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}
