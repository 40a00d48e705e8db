//! Draining the outbox through the host's channels, with retries and backoff.

use super::Engine;
use super::build::history;
use crate::article::SenderType;
use crate::attachment::Attachment;
use crate::channel::{Channel, Delivery, DeliveryError};
use crate::error::{Error, Result, StoreError};
use crate::events::Event;
use crate::history::{HistoryEntry, HistoryKind};
use crate::outbox::{OutboxEntry, OutboxStatus};
use crate::store::Commit;
use chamado_i18n::Message;
use std::sync::Arc;
use std::time::Duration;

/// Entries claimed per store round trip.
const BATCH: usize = 32;
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// What one [`Engine::deliver_due`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Delivered.
    pub sent: usize,
    /// Failed this time; retried later.
    pub retried: usize,
    /// Failed for good.
    pub failed: usize,
    /// Due, but no channel of their kind is registered; they wait for one.
    pub waiting: usize,
    /// Notifications of one event to many agents, replaced by one entry per agent (then delivered).
    pub fanned_out: usize,
}

impl Engine {
    /// How many outbox entries wait for delivery or a retry (the backlog), from the store's due index.
    /// `Err(Error::Store(StoreError::Unavailable))` when the store does not count them.
    pub async fn outbox_pending(&self) -> Result<u64> {
        Ok(self.store().outbox_pending().await?)
    }

    /// Delivers every outbox entry that is due, through the channel of its kind. Each result is
    /// recorded durably; a failure is retried with exponential backoff until the attempt limit, then
    /// marked failed in the ticket history. Call it on a timer and after replies.
    pub async fn deliver_due(&self, channels: &[Arc<dyn Channel>]) -> Result<DeliveryReport> {
        let mut report = DeliveryReport::default();
        let mut seen = std::collections::HashSet::new();
        loop {
            let now = self.now();
            let lease = now.plus(Duration::from_secs(self.config().outbox_lease_secs));
            let claimed = self.store().claim_outbox(now, lease, BATCH).await?;
            let fresh: Vec<OutboxEntry> = claimed.into_iter().filter(|e| seen.insert(e.id)).collect();
            if fresh.is_empty() {
                return Ok(report);
            }
            // One ticket's articles go out one after another, in order (two replies arrive as written),
            // as do one agent's notifications of a ticket; the rest at the same time, so that a relay's
            // round trips (and a TCP stack's delayed acknowledgements) are paid once per batch, not
            // once per message.
            let order = |e: &OutboxEntry| (e.ticket_id, e.notification.as_ref().map(|_| e.recipient.clone()));
            let mut per_ticket: Vec<Vec<(Arc<dyn Channel>, OutboxEntry)>> = Vec::new();
            for entry in fresh {
                if entry.notification.as_ref().is_some_and(|n| !n.fan_out.is_empty()) {
                    self.fan_out(entry).await?;
                    report.fanned_out += 1;
                    continue;
                }
                match channels.iter().find(|c| c.kind() == entry.channel) {
                    // Left claimed: it becomes due again when the lease ends.
                    None => report.waiting += 1,
                    Some(ch) => match per_ticket.iter_mut().find(|g| order(&g[0].1) == order(&entry)) {
                        Some(group) => group.push((ch.clone(), entry)),
                        None => per_ticket.push(vec![(ch.clone(), entry)]),
                    },
                }
            }
            let runs = per_ticket.into_iter().map(|group| async move {
                let mut part = DeliveryReport::default();
                for (ch, entry) in group {
                    self.deliver_one(ch.as_ref(), entry, &mut part).await?;
                }
                Ok::<DeliveryReport, Error>(part)
            });
            for part in futures_util::future::join_all(runs).await {
                let part = part?;
                report.sent += part.sent;
                report.retried += part.retried;
                report.failed += part.failed;
            }
        }
    }

    /// Replaces a fanned-out notification by one entry per agent and channel, in one commit: after a
    /// crash either it is still there (and fanned out again) or all of them are.
    async fn fan_out(&self, mut entry: OutboxEntry) -> Result<()> {
        let Some(n) = entry.notification.take() else { return Ok(()) };
        let now = self.now();
        let mut commit = Commit::default();
        for f in &n.fan_out {
            commit.outbox.push(OutboxEntry {
                id: crate::ids::OutboxId(self.next_id("outbox_id").await?),
                ticket_id: entry.ticket_id,
                article_id: entry.article_id,
                channel: f.channel.channel_kind(),
                recipient: f.address.clone(),
                status: OutboxStatus::Pending,
                attempts: 0,
                next_attempt_at: now,
                last_error: None,
                created_at: entry.created_at,
                receipt: None,
                notification: Some(crate::outbox::NotificationRef {
                    kind: n.kind,
                    agent: f.agent.clone(),
                    actor: n.actor.clone(),
                    fan_out: Vec::new(),
                }),
            });
        }
        // Done: the entries written now and the history line of the commit that queued it say who is
        // told; the list itself need not be kept.
        entry.receipt = Some(format!("fanned out to {}", n.fan_out.len()));
        entry.status = OutboxStatus::Sent;
        entry.attempts += 1;
        entry.notification = Some(crate::outbox::NotificationRef { fan_out: Vec::new(), ..n });
        commit.outbox.push(entry);
        Ok(self.store().commit(commit).await?)
    }

    async fn deliver_one(
        &self,
        channel: &dyn Channel,
        mut entry: OutboxEntry,
        report: &mut DeliveryReport,
    ) -> Result<()> {
        // A notification's text that failed to render is logged with the attempt's result.
        let mut notes = Vec::new();
        let gone = match self.delivery_for(&entry, &mut notes).await {
            Ok(Some(delivery)) => Ok(delivery),
            Ok(None) => Err("the article to send no longer exists".to_string()),
            Err(e @ Error::Store(StoreError::Missing(_))) => Err(e.to_string()),
            Err(e) => return Err(e),
        };
        let delivery = match gone {
            Ok(delivery) => delivery,
            Err(why) => {
                // The article, its ticket or a file is gone (cannot happen with a conforming store):
                // record and stop, so one broken entry does not hold up the others.
                entry.status = OutboxStatus::Failed;
                entry.last_error = Some(why);
                report.failed += 1;
                return Ok(self.store().commit(Commit { outbox: vec![entry], ..Default::default() }).await?);
            }
        };
        let result = channel.deliver(&delivery).await;
        let now = self.now();
        entry.attempts += 1;
        let mut commit = Commit { history: notes, ..Commit::default() };
        let mut events = Vec::new();
        match result {
            Ok(receipt) => {
                entry.status = OutboxStatus::Sent;
                entry.receipt = receipt;
                entry.last_error = None;
                let sent = match &entry.notification {
                    Some(n) => Message::new("history-notification-sent")
                        .arg_key("kind", n.kind.label_key())
                        .arg("agent", &n.agent)
                        .arg("channel", super::notifications::channel_name(entry.channel)),
                    None => Message::new("history-outbound-sent")
                        .arg("channel", entry.channel.as_str())
                        .arg("recipient", &entry.recipient),
                };
                commit.history.push(history(entry.ticket_id, now, "system", HistoryKind::OutboundSent, sent));
                events.push(Event::OutboundSent { number: delivery.ticket_number.clone(), channel: entry.channel });
                report.sent += 1;
            }
            Err(err) => {
                let (message, retry_after, permanent) = match err {
                    DeliveryError::Temporary { message, retry_after } => (message, retry_after, false),
                    DeliveryError::Permanent(message) => (message, None, true),
                };
                entry.last_error = Some(message.clone());
                if permanent || entry.attempts >= self.config().outbox_max_attempts {
                    entry.status = OutboxStatus::Failed;
                    commit.history.push(history(
                        entry.ticket_id,
                        now,
                        "system",
                        HistoryKind::OutboundFailed,
                        Message::new("history-outbound-failed")
                            .arg("channel", entry.channel.as_str())
                            .arg("recipient", &entry.recipient)
                            .arg("attempts", entry.attempts)
                            .arg("error", &message),
                    ));
                    events.push(Event::OutboundFailed {
                        number: delivery.ticket_number.clone(),
                        channel: entry.channel,
                        error: message,
                    });
                    report.failed += 1;
                } else {
                    let backoff = self.backoff(entry.attempts).max(retry_after.unwrap_or_default());
                    entry.next_attempt_at = now.plus(backoff);
                    report.retried += 1;
                }
            }
        }
        commit.outbox.push(entry);
        self.store().commit(commit).await?;
        self.emit(events);
        Ok(())
    }

    fn backoff(&self, attempts: u32) -> Duration {
        let base = Duration::from_secs(self.config().outbox_backoff_secs.max(1));
        base.saturating_mul(1u32 << attempts.saturating_sub(1).min(16)).min(MAX_BACKOFF)
    }

    /// The ticket's customer user, when it has one that still exists.
    async fn ticket_customer_user(
        &self,
        ticket: &crate::ticket::Ticket,
    ) -> Result<Option<crate::directory::CustomerUser>> {
        match ticket.customer_user.as_deref() {
            Some(login) => self.customer_user(login).await,
            None => Ok(None),
        }
    }

    /// What to hand the channel for `entry`; `None` when what it sends is gone. A notification's text
    /// that failed to render adds its history line to `notes` (on the first attempt only).
    async fn delivery_for(&self, entry: &OutboxEntry, notes: &mut Vec<HistoryEntry>) -> Result<Option<Delivery>> {
        if let Some(n) = &entry.notification {
            let Some(text) = self.notification_delivery(entry, n).await? else { return Ok(None) };
            if entry.attempts == 0 {
                notes.extend(text.failure);
            }
            return Ok(Some(Delivery {
                outbox_id: entry.id,
                channel: entry.channel,
                recipient: entry.recipient.clone(),
                recipient_name: text.agent_name,
                ticket_number: text.ticket_number,
                subject: text.subject,
                body: text.body,
                attachments: Vec::new(),
                from: self.system_address(),
                from_name: text.from_name,
                message_id: None,
                in_reply_to: None,
                references: Vec::new(),
                auto_response: false,
                notification: Some(n.kind),
                attempt: entry.attempts,
            }));
        }
        let (Some(article), Some(ticket)) =
            (self.store().article(entry.article_id).await?, self.store().ticket(entry.ticket_id).await?)
        else {
            return Ok(None);
        };
        let user = self.ticket_customer_user(&ticket).await?;
        let from_name = match article.sender {
            // The texts of a ticket's mail: in its customer user's language, else the system's.
            SenderType::System => match &user {
                Some(u) => self.customer_user_tr(u, None),
                None => self.anonymous_tr(None),
            }
            .t("mail-from-system"),
            _ => article.from.clone(),
        };
        // Named only when the mail goes to that user's own address: a name never goes out with a stranger's.
        let recipient_name = match &user {
            Some(u)
                if entry.channel == crate::ChannelKind::Email
                    && u.email.eq_ignore_ascii_case(entry.recipient.trim()) =>
            {
                u.display_name()
            }
            _ => String::new(),
        };
        // The files go out as they came in: each read from the store by its hash.
        let mut attachments = Vec::with_capacity(article.attachments.len());
        for meta in article.attachments {
            let Some(data) = self.store().blob(&meta.sha256).await? else {
                return Err(Error::Store(StoreError::Missing(format!(
                    "the file {} of article {}",
                    meta.sha256, article.id
                ))));
            };
            attachments.push(Attachment::join(meta, data));
        }
        Ok(Some(Delivery {
            outbox_id: entry.id,
            channel: entry.channel,
            recipient: entry.recipient.clone(),
            recipient_name,
            ticket_number: ticket.number,
            subject: article.subject,
            body: article.body,
            attachments,
            from: self.system_address(),
            from_name,
            message_id: article.external_id,
            in_reply_to: article.references.last().cloned(),
            references: article.references,
            auto_response: article.sender == SenderType::System,
            notification: None,
            attempt: entry.attempts,
        }))
    }
}
