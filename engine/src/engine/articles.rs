//! Adding articles: customer follow-ups (with the queue's policy) and agent replies and notes.

use super::access::{Caller, caller_sees};
use super::build::{ArticleSeed, TicketSeed, history};
use super::notifications::{acting_agent, agent_of};
use super::{Actor, Engine};
use crate::article::{Article, SenderType};
use crate::attachment::Attachment;
use crate::channel_kind::ChannelKind;
use crate::directory::{AutoResponseKind, NotificationKind, Queue};
use crate::error::{DuplicateKind, Error, Result};
use crate::events::Event;
use crate::history::HistoryKind;
use crate::lifecycle::{FollowUpAction, Trigger, follow_up_action};
use crate::notify::NotifyEvent;
use crate::permissions::Permission;
use crate::store::{Commit, IdempotencyOutcome, TicketWrite};
use crate::ticket::Ticket;
use chamado_i18n::Message;
use serde::{Deserialize, Serialize};

/// An article to add to an existing ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewArticle {
    /// The text.
    pub body: String,
    /// Subject; defaults to the ticket's tagged title.
    #[serde(default)]
    pub subject: Option<String>,
    /// For agents: an internal note (not visible to the customer, not sent).
    #[serde(default)]
    pub internal: bool,
    /// Attachments.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// A retried request with the same key adds nothing the second time.
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// For an agent's reply to the customer: send the body as written. By default (false) the engine
    /// puts the ticket's queue's salutation above it and its signature below it ([`crate::Queue`]'s
    /// `salutation` and `signature`, in the customer user's language); a caller whose form already
    /// showed them for editing, so the body includes them, sets this. Notes and customers' articles
    /// are never wrapped.
    #[serde(default)]
    pub raw: bool,
}

impl NewArticle {
    /// A customer-visible reply (or a customer follow-up).
    pub fn reply(body: impl Into<String>) -> Self {
        NewArticle {
            body: body.into(),
            subject: None,
            internal: false,
            attachments: Vec::new(),
            idempotency_key: None,
            raw: false,
        }
    }

    /// An internal note.
    pub fn note(body: impl Into<String>) -> Self {
        NewArticle { internal: true, ..NewArticle::reply(body) }
    }
}

/// What adding an article did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleOutcome {
    /// The ticket the article went to (a new one when the queue's policy opened one).
    pub ticket: Ticket,
    /// The article.
    pub article: Article,
    /// True when a follow-up on a closed ticket opened this new, linked ticket.
    pub opened_new_ticket: bool,
    /// True when the request was a repeat of an earlier one (same idempotency key).
    pub duplicate: bool,
}

/// Who writes a customer follow-up, and how.
pub(super) struct FollowUpInput {
    pub actor: String,
    pub seed: ArticleSeed,
    pub idempotency_key: Option<String>,
    /// History lines the follow-up records beside its article (what was verified about the sender,
    /// where replies go and why).
    pub notes: Vec<String>,
    /// Adapter state written with the follow-up (an inbound message's checkpoint).
    pub meta: Vec<crate::store::MetaWrite>,
    /// Where the queue's auto-responses (reject, follow-up, reply/new ticket) go; `None` sends none
    /// (the portal and the API: they answer on the page).
    pub auto: Option<super::auto_response::AutoTarget>,
    /// Set when the follow-up was refused and the queue's auto-reject was queued for the sender: the
    /// refusal is then answered, and a mail adapter accepts the message instead of bouncing it.
    pub answered: bool,
}

impl Engine {
    /// Adds an article to a ticket. Customers follow up (the queue's policy applies to closed tickets;
    /// a refusal is `Rejected` and recorded in history); agents reply (`rw`; sent to the customer on the
    /// ticket's channel through the outbox) or add internal notes (`note`).
    pub async fn add_article(&self, actor: &Actor, number: &str, new: NewArticle) -> Result<ArticleOutcome> {
        let key = new.idempotency_key.as_ref().map(|k| format!("api:{actor}:{k}"));
        if let Some(k) = &key
            && let Some(outcome) = self.repeated_article(k).await?
        {
            return Ok(outcome);
        }
        if new.body.trim().is_empty() {
            return Err(Error::validation(chamado_i18n::Message::new("error-body-empty")));
        }
        self.config().attachments.check(&new.attachments)?;
        let caller = self.caller(actor).await?;
        let ticket = self.resolve_number(number).await?;
        let queue = self.queue(&ticket.queue).await?;
        if !caller_sees(&caller, &ticket, &queue.group) {
            return Err(Error::not_found(chamado_i18n::Message::new("error-ticket-not-found").arg("number", number)));
        }
        match &caller {
            Caller::Customer(c) => {
                if new.internal {
                    return Err(Error::permission_denied(chamado_i18n::Message::new(
                        "error-customer-no-internal-notes",
                    )));
                }
                if !c.can_write(&ticket, &queue.group) {
                    return Err(Error::permission_denied(
                        chamado_i18n::Message::new("error-customer-read-only").arg("number", &ticket.number),
                    ));
                }
                let user = self.customer_user(c.login()).await?;
                let from = user
                    .as_ref()
                    .map_or_else(|| c.login().to_string(), |u| format!("{} <{}>", u.display_name(), u.email));
                let seed = ArticleSeed {
                    sender: SenderType::Customer,
                    channel: ChannelKind::Web,
                    visible_to_customer: true,
                    from,
                    reply_to: None,
                    to: queue.name.clone(),
                    subject: new
                        .subject
                        .unwrap_or_else(|| self.config().hook.reply_subject(&ticket.number, &ticket.title)),
                    body: new.body,
                    attachments: new.attachments,
                    external_id: None,
                    references: Vec::new(),
                    created_by: actor.to_string(),
                    sender_auth: None,
                };
                self.customer_follow_up(
                    ticket.number.clone(),
                    &mut FollowUpInput {
                        actor: actor.to_string(),
                        seed,
                        idempotency_key: key,
                        notes: Vec::new(),
                        meta: Vec::new(),
                        auto: None,
                        answered: false,
                    },
                )
                .await
            }
            Caller::Agent(a) => {
                let needed = if new.internal { Permission::Note } else { Permission::Rw };
                if !a.may(&ticket, &queue.group, needed) {
                    return Err(Error::permission_denied(
                        chamado_i18n::Message::new("error-agent-lacks-permission")
                            .arg("login", a.login())
                            .arg("permission", needed.to_string())
                            .arg("queue", format!("{:?}", queue.name)),
                    ));
                }
                self.agent_article(actor, &ticket.number, new, key).await
            }
            Caller::System => self.agent_article(actor, &ticket.number, new, key).await,
        }
    }

    async fn repeated_article(&self, key: &str) -> Result<Option<ArticleOutcome>> {
        let Some(rec) = self.store().idempotency(key).await? else { return Ok(None) };
        let (Some(tid), Some(aid)) = (rec.ticket_id, rec.article_id) else {
            return Err(Error::rejected(rec.detail.unwrap_or_else(|| "this request was refused before".into())));
        };
        let (Some(ticket), Some(article)) = (self.store().ticket(tid).await?, self.store().article(aid).await?) else {
            return Ok(None);
        };
        Ok(Some(ArticleOutcome {
            ticket,
            article,
            opened_new_ticket: rec.outcome == IdempotencyOutcome::NewTicket,
            duplicate: true,
        }))
    }

    /// An agent's (or the system's) reply or note, with retries on concurrent changes.
    async fn agent_article(
        &self,
        actor: &Actor,
        number: &str,
        new: NewArticle,
        key: Option<String>,
    ) -> Result<ArticleOutcome> {
        let mut attempt = 0;
        loop {
            match self.try_agent_article(actor, number, &new, key.clone()).await {
                Err(e) if self.should_retry(&e, attempt) => attempt += 1,
                Err(Error::Store(e)) if e.is_duplicate(DuplicateKind::IdempotencyKey) => {
                    let k = key.clone().unwrap_or_default();
                    return self
                        .repeated_article(&k)
                        .await?
                        .ok_or_else(|| Error::conflict(chamado_i18n::Message::new("error-request-in-progress")));
                }
                other => return other,
            }
        }
    }

    async fn try_agent_article(
        &self,
        actor: &Actor,
        number: &str,
        new: &NewArticle,
        key: Option<String>,
    ) -> Result<ArticleOutcome> {
        let mut ticket = self.resolve_number(number).await?;
        let now = self.now();
        let articles = self.store().articles(ticket.id).await?;
        let agent = match actor {
            Actor::Agent(l) => self.agent(l).await?,
            _ => None,
        };
        let agent_name = match (actor, &agent) {
            (Actor::Agent(_), Some(a)) if !(a.first_name.is_empty() && a.last_name.is_empty()) => {
                format!("{} {}", a.first_name, a.last_name).trim().to_string()
            }
            (Actor::Agent(l), _) => l.clone(),
            (other, _) => other.to_string(),
        };
        // An agent's reply to the customer goes out between the queue's salutation and signature.
        let wrapped = if new.internal || new.raw || !matches!(actor, Actor::Agent(_)) {
            super::reply_texts::WrappedReply { body: new.body.clone(), failures: Vec::new() }
        } else {
            self.wrap_reply(&ticket, agent.as_ref(), &new.body).await?
        };
        let sender = if matches!(actor, Actor::System) { SenderType::System } else { SenderType::Agent };
        let target = if new.internal { None } else { self.reply_target(&ticket, &articles).await? };
        let subject =
            new.subject.clone().unwrap_or_else(|| self.config().hook.reply_subject(&ticket.number, &ticket.title));
        let channel = match (&target, new.internal) {
            (_, true) => ChannelKind::Internal,
            (Some((c, _, _)), false) => *c,
            (None, false) => ticket.channel,
        };
        let (mut article, blobs) = self
            .new_article(
                ticket.id,
                ArticleSeed {
                    sender,
                    channel,
                    visible_to_customer: !new.internal,
                    from: agent_name,
                    reply_to: None,
                    to: target.as_ref().map(|(_, r, _)| r.clone()).unwrap_or_default(),
                    subject,
                    body: wrapped.body,
                    attachments: new.attachments.clone(),
                    external_id: None,
                    references: Vec::new(),
                    created_by: actor.to_string(),
                    sender_auth: None,
                },
                now,
            )
            .await?;
        let actor_s = actor.to_string();
        let mut commit = Commit { blobs, ..Commit::default() };
        commit.history.extend(
            wrapped.failures.into_iter().map(|m| history(ticket.id, now, "system", HistoryKind::ArticleAdded, m)),
        );
        let mut events = Vec::new();
        if let Some((channel, recipient, from_article)) = target {
            article.external_id = Some(self.message_id(&ticket.number, article.id));
            article.references = Self::thread_references(&articles);
            let entry = self.new_outbox(&article, channel, recipient.clone(), now).await?;
            commit.history.push(history(
                ticket.id,
                now,
                &actor_s,
                HistoryKind::OutboundQueued,
                match from_article {
                    Some(a) => Message::new("history-reply-queued-article").arg("article", a.to_string()),
                    None => Message::new("history-reply-queued-registered"),
                }
                .arg("channel", channel.as_str())
                .arg("recipient", &recipient),
            ));
            commit.outbox.push(entry);
        }
        let expected = ticket.version;
        // The owner answered the customer: the lock's timeout stops (locking again restarts it).
        if !new.internal && ticket.owner.as_deref().is_some_and(|o| acting_agent(actor) == Some(o)) {
            ticket.unlock_at = None;
        }
        let answered = Trigger::Answered { internal: new.internal };
        events.extend(self.automatic_change(&mut ticket, answered, &actor_s, now, &mut commit).await?);
        ticket.changed_at = now;
        ticket.version = expected + 1;
        let added = if new.internal {
            Message::new("history-internal-note-added")
        } else {
            Message::new("history-reply-added")
        };
        commit.history.push(history(
            ticket.id,
            now,
            &actor_s,
            HistoryKind::ArticleAdded,
            added.arg("article", article.id.to_string()),
        ));
        commit.idempotency =
            super::build::idempotency(key, ticket.id, Some(article.id), IdempotencyOutcome::FollowUp, None, now);
        commit.tickets.push(TicketWrite { ticket: ticket.clone(), expected_version: expected });
        commit.articles.push(article.clone());
        self.seal_clocks(&mut commit, now).await?;
        super::escalation::take_clocks(&commit, &mut ticket);
        self.store().commit(commit).await?;
        events.insert(
            0,
            Event::ArticleAdded {
                number: ticket.number.clone(),
                article_id: article.id,
                sender,
                visible_to_customer: !new.internal,
            },
        );
        self.emit(events);
        Ok(ArticleOutcome { ticket, article, opened_new_ticket: false, duplicate: false })
    }

    /// A customer's follow-up on `number`, by the queue's policy, retried on concurrent changes. The
    /// caller has checked that the sender may write to the ticket.
    pub(super) async fn customer_follow_up(&self, number: String, input: &mut FollowUpInput) -> Result<ArticleOutcome> {
        let mut attempt = 0;
        loop {
            match self.try_customer_follow_up(&number, input).await {
                Err(e) if self.should_retry(&e, attempt) => attempt += 1,
                Err(Error::Store(e)) if e.is_duplicate(DuplicateKind::IdempotencyKey) => {
                    let k = input.idempotency_key.clone().unwrap_or_default();
                    return self
                        .repeated_article(&k)
                        .await?
                        .ok_or_else(|| Error::conflict(chamado_i18n::Message::new("error-request-in-progress")));
                }
                other => return other,
            }
        }
    }

    async fn try_customer_follow_up(&self, number: &str, input: &mut FollowUpInput) -> Result<ArticleOutcome> {
        let mut ticket = self.resolve_number(number).await?;
        let queue = self.queue(&ticket.queue).await?;
        let now = self.now();
        let actor = input.actor.clone();
        let expected = ticket.version;
        match follow_up_action(ticket.state_type, queue.follow_up) {
            FollowUpAction::Reject(reason) => {
                let mut commit = Commit::default();
                commit.history.push(history(
                    ticket.id,
                    now,
                    &actor,
                    HistoryKind::FollowUpRejected,
                    super::notes::follow_up_refused(&reason),
                ));
                let mut events = Vec::new();
                if let Some(target) = &input.auto {
                    let refused = super::auto_response::unsaved_article(ticket.id, &input.seed, now);
                    let kind = AutoResponseKind::Reject;
                    self.add_auto_response(kind, target, &ticket, Some(&refused), &mut commit, &mut events).await?;
                }
                let answered = !commit.outbox.is_empty();
                ticket.version = expected + 1;
                commit.tickets.push(TicketWrite { ticket: ticket.clone(), expected_version: expected });
                commit.idempotency = super::build::idempotency(
                    input.idempotency_key.clone(),
                    ticket.id,
                    None,
                    IdempotencyOutcome::Rejected,
                    Some(reason.to_string()),
                    now,
                );
                self.seal_clocks(&mut commit, now).await?;
                self.store().commit(commit).await?;
                input.answered = answered;
                events.insert(0, Event::FollowUpRejected { number: ticket.number.clone(), reason: reason.to_string() });
                self.emit(events);
                Err(Error::Rejected(reason))
            }
            FollowUpAction::OpenNewTicket => self.follow_up_as_new_ticket(ticket, &queue, input).await,
            action => {
                let (article, blobs) = self.new_article(ticket.id, input.seed.clone(), now).await?;
                let mut commit = Commit { blobs, ..Commit::default() };
                let mut events = vec![];
                commit.history.push(history(
                    ticket.id,
                    now,
                    &actor,
                    HistoryKind::FollowUp,
                    Message::new("history-follow-up")
                        .arg("article", article.id.to_string())
                        .arg("channel", article.channel.as_str()),
                ));
                commit.history.extend(
                    input.notes.iter().map(|n| super::intake::sender_auth_entry(ticket.id, article.id, now, n)),
                );
                let follow_up = Trigger::FollowUp(&action);
                events.extend(self.automatic_change(&mut ticket, follow_up, &actor, now, &mut commit).await?);
                ticket.changed_at = now;
                ticket.version = expected + 1;
                let told = NotifyEvent {
                    kind: NotificationKind::FollowUp,
                    ticket: &ticket,
                    actor: agent_of(&actor),
                    target: None,
                };
                self.add_notifications(told, Some(article.id), now, &mut commit).await?;
                commit.idempotency = super::build::idempotency(
                    input.idempotency_key.clone(),
                    ticket.id,
                    Some(article.id),
                    IdempotencyOutcome::FollowUp,
                    None,
                    now,
                );
                commit.tickets.push(TicketWrite { ticket: ticket.clone(), expected_version: expected });
                commit.articles.push(article.clone());
                commit.meta.clone_from(&input.meta);
                if let Some(target) = &input.auto {
                    let kind = AutoResponseKind::FollowUp;
                    self.add_auto_response(kind, target, &ticket, Some(&article), &mut commit, &mut events).await?;
                }
                self.seal_clocks(&mut commit, now).await?;
                super::escalation::take_clocks(&commit, &mut ticket);
                self.store().commit(commit).await?;
                events.insert(
                    0,
                    Event::ArticleAdded {
                        number: ticket.number.clone(),
                        article_id: article.id,
                        sender: article.sender,
                        visible_to_customer: true,
                    },
                );
                self.emit(events);
                Ok(ArticleOutcome { ticket, article, opened_new_ticket: false, duplicate: false })
            }
        }
    }

    /// The `new_ticket` policy: a new ticket for the follow-up, linked both ways to the closed one.
    async fn follow_up_as_new_ticket(
        &self,
        mut old: Ticket,
        queue: &Queue,
        input: &mut FollowUpInput,
    ) -> Result<ArticleOutcome> {
        let now = self.now();
        let mut new = self
            .new_ticket(
                TicketSeed {
                    title: old.title.clone(),
                    queue: queue.name.clone(),
                    priority: old.priority,
                    customer_user: old.customer_user.clone(),
                    customer_id: old.customer_id.clone(),
                    service: old.service.clone(),
                    sla: None,
                    channel: input.seed.channel,
                },
                now,
            )
            .await?;
        // The follow-up's author may differ from the old ticket's customer (same company).
        if let Some(login) = input.actor.strip_prefix("customer:")
            && let Some(u) = self.customer_user(login).await?
        {
            new.customer_id = Some(u.customer_id.clone()).filter(|c| !c.is_empty());
            new.customer_user = Some(u.login);
        }
        new.linked.push(old.id);
        let (article, blobs) = self.new_article(new.id, input.seed.clone(), now).await?;
        let expected = old.version;
        old.linked.push(new.id);
        old.version = expected + 1;
        let actor = input.actor.clone();
        let mut commit = Commit {
            history: vec![
                history(
                    new.id,
                    now,
                    &actor,
                    HistoryKind::Created,
                    Message::new("history-created-by-follow-up").arg("number", &new.number).arg("old", &old.number),
                ),
                history(
                    new.id,
                    now,
                    &actor,
                    HistoryKind::Linked,
                    Message::new("history-linked-to").arg("number", &old.number),
                ),
                history(
                    old.id,
                    now,
                    &actor,
                    HistoryKind::Linked,
                    Message::new("history-follow-up-opened").arg("number", &new.number),
                ),
            ],
            idempotency: super::build::idempotency(
                input.idempotency_key.clone(),
                new.id,
                Some(article.id),
                IdempotencyOutcome::NewTicket,
                None,
                now,
            ),
            tickets: vec![
                TicketWrite { ticket: new.clone(), expected_version: 0 },
                TicketWrite { ticket: old, expected_version: expected },
            ],
            articles: vec![article.clone()],
            outbox: Vec::new(),
            blobs,
            meta: input.meta.clone(),

            ..Default::default()
        };
        let told =
            NotifyEvent { kind: NotificationKind::NewTicket, ticket: &new, actor: agent_of(&actor), target: None };
        self.add_notifications(told, Some(article.id), now, &mut commit).await?;
        let mut events = vec![
            Event::TicketCreated { number: new.number.clone(), queue: new.queue.clone(), channel: new.channel },
            Event::ArticleAdded {
                number: new.number.clone(),
                article_id: article.id,
                sender: article.sender,
                visible_to_customer: true,
            },
        ];
        if let Some(target) = &input.auto {
            let kind = AutoResponseKind::ReplyNewTicket;
            self.add_auto_response(kind, target, &new, Some(&article), &mut commit, &mut events).await?;
        }
        self.seal_clocks(&mut commit, now).await?;
        super::escalation::take_clocks(&commit, &mut new);
        self.store().commit(commit).await?;
        self.emit(events);
        Ok(ArticleOutcome { ticket: new, article, opened_new_ticket: true, duplicate: false })
    }
}
