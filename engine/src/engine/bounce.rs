//! What a bounce does: it never creates a customer user nor gets an answer. Matched to one of our
//! outbound messages (by the Message-IDs the report names), it marks that delivery as the report says
//! and records it in the ticket's history; otherwise it is filed quietly in the bounce queue.

use super::Engine;
use super::build::{ArticleSeed, TicketSeed, history};
use super::intake::IntakeOutcome;
use crate::article::{Article, SenderType};
use crate::bounce::BounceReport;
use crate::directory::NotificationKind;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::history::HistoryKind;
use crate::inbound::{InboundMessage, Sender};
use crate::notify::NotifyEvent;
use crate::outbox::{OutboxEntry, OutboxStatus};
use crate::store::{Commit, IdempotencyOutcome, TicketWrite};
use chamado_i18n::Message;

/// Most ids of a report looked up (a References header can name hundreds).
const MAX_LOOKUPS: usize = 16;

impl Engine {
    /// Takes a bounce. `key` is the message's idempotency key, already checked as unseen.
    pub(super) async fn take_bounce(
        &self,
        msg: &InboundMessage,
        report: &BounceReport,
        key: Option<String>,
    ) -> Result<IntakeOutcome> {
        match self.bounced_delivery(msg, report).await? {
            Some((article, entries)) => self.record_bounce(report, article, entries, key).await,
            None => self.file_bounce(msg, key).await,
        }
    }

    /// Our article the report is about and its outbox entries (those to the report's recipient when it
    /// names one of them). Only articles we sent (an outbox entry exists) match: a bounce naming a
    /// customer's own message id matches nothing.
    async fn bounced_delivery(
        &self,
        msg: &InboundMessage,
        report: &BounceReport,
    ) -> Result<Option<(Article, Vec<OutboxEntry>)>> {
        let ids = report.original_ids.iter().chain(msg.references.iter()).take(MAX_LOOKUPS);
        for id in ids {
            let Some(article) = self.store().article_by_external_id(id).await? else { continue };
            if article.sender == SenderType::Customer {
                continue;
            }
            let entries: Vec<OutboxEntry> = self
                .store()
                .outbox_for_ticket(article.ticket_id)
                .await?
                .into_iter()
                // Notifications about the article are not the article's delivery.
                .filter(|e| e.article_id == article.id && e.notification.is_none())
                .collect();
            if entries.is_empty() {
                continue;
            }
            let to_recipient: Vec<OutboxEntry> = match &report.recipient {
                Some(r) => entries.iter().filter(|e| e.recipient.eq_ignore_ascii_case(r)).cloned().collect(),
                None => Vec::new(),
            };
            return Ok(Some((article, if to_recipient.is_empty() { entries } else { to_recipient })));
        }
        Ok(None)
    }

    async fn record_bounce(
        &self,
        report: &BounceReport,
        article: Article,
        entries: Vec<OutboxEntry>,
        key: Option<String>,
    ) -> Result<IntakeOutcome> {
        let Some(ticket) = self.store().ticket(article.ticket_id).await? else {
            return Err(Error::conflict("the bounced message's ticket is gone; retry"));
        };
        let now = self.now();
        let mut commit = Commit {
            idempotency: super::build::idempotency(
                key.clone(),
                ticket.id,
                Some(article.id),
                IdempotencyOutcome::FollowUp,
                Some("bounce".into()),
                now,
            ),
            ..Default::default()
        };
        let mut events = Vec::new();
        let mut failed = false;
        for mut entry in entries {
            let note = super::notes::bounced(report, &entry.recipient);
            let text = note.english();
            if report.is_failure() {
                entry.status = OutboxStatus::Failed;
                entry.last_error = Some(text.clone());
                events.push(Event::OutboundFailed {
                    number: ticket.number.clone(),
                    channel: entry.channel,
                    error: text.clone(),
                });
                commit.outbox.push(entry);
                failed = true;
            }
            commit.history.push(history(ticket.id, now, "system", HistoryKind::OutboundFailed, note));
        }
        if failed {
            // The reply's author is told; for the system's own articles, the owner, else the queue's agents.
            let event = NotifyEvent {
                kind: NotificationKind::Bounced,
                ticket: &ticket,
                actor: None,
                target: super::notifications::agent_of(&article.created_by),
            };
            self.add_notifications(event, Some(article.id), now, &mut commit).await?;
        }
        if let Some(duplicate) = self.commit_intake(commit, key.as_deref(), None).await? {
            return Ok(duplicate);
        }
        self.emit(events);
        Ok(IntakeOutcome::Bounce {
            ticket_number: ticket.number,
            article_id: article.id,
            status: report.status.clone(),
        })
    }

    /// A bounce that matches nothing: a ticket in the bounce queue, with no customer user, not visible
    /// to customers (it may quote a reply meant for someone else), never answered, and no agent is
    /// notified of it (a notification that bounced would be filed here and notify again).
    async fn file_bounce(&self, msg: &InboundMessage, key: Option<String>) -> Result<IntakeOutcome> {
        let queue = match self.queue(&self.config().bounce_queue).await {
            Ok(q) if q.valid => q,
            _ => self.queue(&self.config().default_queue).await?,
        };
        let now = self.now();
        let title = self.config().hook.clean_subject(&msg.subject);
        let ticket = self
            .new_ticket(
                TicketSeed {
                    title,
                    queue: queue.name.clone(),
                    priority: Default::default(),
                    customer_user: None,
                    customer_id: None,
                    service: None,
                    sla: None,
                    channel: msg.channel,
                },
                now,
            )
            .await?;
        let from = match &msg.sender {
            Sender::Email { address, name: Some(n), .. } if !n.trim().is_empty() => format!("{} <{address}>", n.trim()),
            Sender::Email { address, .. } => address.clone(),
            Sender::Chat { user_id, network, .. } => format!("{network}:{user_id}"),
            Sender::CustomerUser { login } => login.clone(),
            Sender::AgentOnBehalf { customer_user, .. } => customer_user.clone(),
        };
        let subject = if msg.subject.trim().is_empty() { ticket.title.clone() } else { msg.subject.clone() };
        let seed = ArticleSeed {
            sender: SenderType::Customer,
            channel: msg.channel,
            visible_to_customer: false,
            from,
            reply_to: None,
            to: msg.to.clone(),
            subject,
            body: msg.body.clone(),
            attachments: msg.attachments.clone(),
            external_id: msg.external_id.clone(),
            references: msg.references.clone(),
            created_by: "system".into(),
            sender_auth: msg.sender_auth.clone(),
        };
        let (article, blobs) = self.new_article(ticket.id, seed, now).await?;
        let commit = Commit {
            history: vec![
                history(ticket.id, now, "system", HistoryKind::Created, super::notes::unmatched_bounce(&queue.name)),
                history(
                    ticket.id,
                    now,
                    "system",
                    HistoryKind::ArticleAdded,
                    Message::new("history-article-added").arg("article", article.id.to_string()),
                ),
            ],
            idempotency: super::build::idempotency(
                key.clone(),
                ticket.id,
                Some(article.id),
                IdempotencyOutcome::NewTicket,
                None,
                now,
            ),
            tickets: vec![TicketWrite { ticket: ticket.clone(), expected_version: 0 }],
            articles: vec![article.clone()],
            outbox: Vec::new(),
            blobs,
            meta: Vec::new(),

            ..Default::default()
        };
        if let Some(duplicate) = self.commit_intake(commit, key.as_deref(), Some(msg)).await? {
            return Ok(duplicate);
        }
        self.emit(vec![
            Event::TicketCreated { number: ticket.number.clone(), queue: ticket.queue.clone(), channel: msg.channel },
            Event::ArticleAdded {
                number: ticket.number.clone(),
                article_id: article.id,
                sender: SenderType::Customer,
                visible_to_customer: false,
            },
        ]);
        Ok(IntakeOutcome::NewTicket { ticket, article })
    }
}
