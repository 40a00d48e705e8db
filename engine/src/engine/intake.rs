//! Inbound messages from any channel: threading, idempotency, sender check, follow-up or new ticket.

use super::access::Caller;
use super::articles::FollowUpInput;
use super::build::{ArticleSeed, TicketSeed, history};
use super::{Engine, UnknownSenderPolicy};
use crate::article::{Article, SenderType};
use crate::channel_kind::ChannelKind;
use crate::directory::customer_user_email_key as email_key;
use crate::directory::{CustomerUser, Record};
use crate::directory::{NotificationKind, Queue};
use crate::error::{DuplicateKind, Error, Result};
use crate::events::{Event, IntakeKind};
use crate::history::HistoryKind;
use crate::ids::ArticleId;
use crate::inbound::{InboundMessage, Sender};
use crate::notify::NotifyEvent;
use crate::permissions::Permission;
use crate::sender_auth::SenderAuthPolicy;
use crate::store::{Commit, IdempotencyOutcome, IdempotencyRecord, TicketWrite};
use crate::ticket::Ticket;
use chamado_i18n::Message;
use serde::{Deserialize, Serialize};

/// How many marked numbers of other shapes a message may have looked up (imported tickets).
const MAX_OTHER_NUMBERS: usize = 8;

/// What [`Engine::intake`] did with a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum IntakeOutcome {
    /// A new ticket was opened.
    NewTicket {
        /// The ticket.
        ticket: Ticket,
        /// The message as its first article.
        article: Article,
    },
    /// The message was appended to an existing ticket.
    FollowUp {
        /// The ticket.
        ticket: Ticket,
        /// The new article.
        article: Article,
    },
    /// The same message (same sender, same external id) was taken before; nothing was added.
    Duplicate {
        /// The ticket it went to the first time, if any.
        ticket_number: Option<String>,
        /// The article it became, if any.
        article_id: Option<ArticleId>,
    },
    /// The message was refused; `reason` is for the sender.
    Rejected {
        /// The ticket it was meant for, if known.
        ticket_number: Option<String>,
        /// Why, translatable where the engine wrote a message (a chat reply shows it in the sender's
        /// language).
        reason: crate::Reason,
        /// The queue's auto-reject was queued for the sender (the refusal is answered): a mail adapter
        /// accepts the message instead of bouncing it, as OTRS does.
        answered: bool,
    },
    /// A bounce of one of our outbound messages: that delivery was marked as the report says (failed,
    /// with its status), the ticket's history records it; no ticket or article was added. Not to be
    /// told to the bounce's sender.
    Bounce {
        /// The ticket of the message that bounced.
        ticket_number: String,
        /// Our article whose delivery bounced.
        article_id: ArticleId,
        /// The report's status code (`5.1.1`), if any.
        status: Option<String>,
    },
}

/// The customer user (or agent) a message speaks for.
pub(super) struct Author {
    pub(super) user: CustomerUser,
    pub(super) agent: Option<String>,
    pub(super) actor: String,
    pub(super) from: String,
    pub(super) reply_to: Option<String>,
    /// The sender, new to the directory, registered by the message's own commit (one durable write per
    /// message, not two).
    pub(super) register: Option<CustomerUser>,
}

impl Engine {
    /// Takes one inbound message: a follow-up when a ticket number in the subject or text resolves, or a
    /// referenced message id belongs to a ticket, or the channel's hint names one, and the sender may
    /// write to that ticket; otherwise a new ticket. The same external id from the same sender twice
    /// gives `Duplicate`. Acknowledge the message to its sender only after this returns `Ok`.
    /// Subscribers hear one [`Event::Intake`] per message taken.
    pub async fn intake(&self, msg: InboundMessage) -> Result<IntakeOutcome> {
        let channel = msg.channel;
        let checkpoint = msg.checkpoint.as_ref().map(|c| self.checkpoint_write(c)).transpose()?;
        let refused = msg.checkpoint.as_ref().and_then(|c| c.refused.clone());
        let outcome = self.take(msg).await?;
        // A new ticket or article carried the checkpoint in its commit; anything else committed nothing
        // of the message's own, so the checkpoint is saved on its own (a repeat would change nothing).
        if let Some(mut c) = checkpoint
            && !matches!(outcome, IntakeOutcome::NewTicket { .. } | IntakeOutcome::FollowUp { .. })
        {
            // A refusal the queue's auto-reject answered is taken like any message: the mailbox may
            // move or delete it.
            if let (IntakeOutcome::Rejected { answered: false, .. }, Some(r)) = (&outcome, refused) {
                c.value = Some(r.into_bytes());
            }
            self.store().put_meta(&c.key, c.value).await?;
        }
        let (kind, number) = match &outcome {
            IntakeOutcome::NewTicket { ticket, .. } => (IntakeKind::Created, Some(ticket.number.clone())),
            IntakeOutcome::FollowUp { ticket, .. } => (IntakeKind::FollowUp, Some(ticket.number.clone())),
            IntakeOutcome::Duplicate { ticket_number, .. } => (IntakeKind::Duplicate, ticket_number.clone()),
            IntakeOutcome::Rejected { ticket_number, .. } => (IntakeKind::Rejected, ticket_number.clone()),
            IntakeOutcome::Bounce { ticket_number, .. } => (IntakeKind::Bounce, Some(ticket_number.clone())),
        };
        self.emit(vec![Event::Intake { channel, outcome: kind, number }]);
        Ok(outcome)
    }

    async fn take(&self, mut msg: InboundMessage) -> Result<IntakeOutcome> {
        let key =
            msg.external_id.as_ref().map(|id| format!("{}:{}:{}", msg.channel.as_str(), sender_key(&msg.sender), id));
        if let Some(k) = &key
            && let Some(rec) = self.store().idempotency(k).await?
        {
            return self.duplicate_of(rec).await;
        }
        super::long_subject::fit_subject(&mut msg, self.config().max_body_bytes);
        if msg.body.len() > self.config().max_body_bytes {
            return Ok(IntakeOutcome::Rejected {
                ticket_number: None,
                reason: chamado_i18n::Message::new("error-message-too-large")
                    .arg("max", self.config().max_body_bytes)
                    .into(),
                answered: false,
            });
        }
        if let Some(report) = &msg.bounce {
            return self.take_bounce(&msg, report, key).await;
        }
        let mut author = match self.author(&msg).await? {
            Ok(a) => a,
            Err(reason) => {
                self.emit(vec![Event::IntakeRejected { sender: msg.sender.clone(), reason: reason.clone() }]);
                return Ok(IntakeOutcome::Rejected { ticket_number: None, reason: reason.into(), answered: false });
            }
        };
        let authenticated = self.sender_authenticated(&msg);
        let mut notes: Vec<String> = self.sender_auth_note(&msg).into_iter().collect();
        // A sender read from elsewhere than its header is not who the ticket belongs to: never a follow-up.
        let target =
            if msg.force_new || msg.sender_fallback.is_some() { None } else { self.thread_target(&msg).await? };
        // A new sender naming a ticket (rare) is stored first, so that the sender check reads them as
        // any customer user; a new ticket registers its sender in its own commit.
        if target.is_some()
            && let Some(user) = author.register.take()
        {
            self.store().put_record(Record::CustomerUser(user)).await?;
        }
        if let Some(ticket) = target
            && self.may_follow_up(&author, &ticket).await?
        {
            // Under `enforce` a follow-up needs an authenticated sender: anyone can write `From:` and a
            // ticket number. The new ticket does not say which ticket was matched.
            if authenticated || self.config().sender_auth != SenderAuthPolicy::Enforce {
                notes.extend(self.settle_reply_to(&msg, &mut author, &ticket.queue, authenticated));
                return self.intake_follow_up(&msg, &author, ticket, key, notes).await;
            }
            notes.push("unauthenticated sender: not joined to the ticket it referred to".into());
        }
        let queue = self.intake_queue(&msg).await?;
        notes.extend(self.settle_reply_to(&msg, &mut author, &queue.name, authenticated));
        self.intake_new_ticket(&msg, &author, key, queue, notes).await
    }

    /// The queue for a new ticket: the routed one when it exists and is valid, else the default queue.
    async fn intake_queue(&self, msg: &InboundMessage) -> Result<Queue> {
        match &msg.queue {
            Some(q) => match self.queue(q).await {
                Ok(q) if q.valid => Ok(q),
                _ => self.queue(&self.config().default_queue).await,
            },
            None => self.queue(&self.config().default_queue).await,
        }
    }

    /// Commits an inbound message's change. When the same message (its idempotency key) was taken
    /// meanwhile, nothing is written and the earlier outcome is answered as a duplicate.
    /// `msg`'s checkpoint, if it has one, is written with the change.
    pub(super) async fn commit_intake(
        &self,
        mut commit: Commit,
        key: Option<&str>,
        msg: Option<&InboundMessage>,
    ) -> Result<Option<IntakeOutcome>> {
        if let Some(m) = msg {
            commit.meta.extend(self.checkpoint_meta(m));
        }
        // The clocks move at the instant the message's change was made.
        let at = commit.tickets.iter().map(|w| w.ticket.changed_at).max().unwrap_or_else(|| self.now());
        self.seal_clocks(&mut commit, at).await?;
        match self.store().commit(commit).await {
            Ok(()) => Ok(None),
            Err(e) if e.is_duplicate(DuplicateKind::IdempotencyKey) => {
                match self.store().idempotency(key.unwrap_or_default()).await? {
                    Some(rec) => self.duplicate_of(rec).await.map(Some),
                    None => Err(Error::conflict("the message is being processed; retry")),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The adapter-state write of `msg`'s checkpoint (checked in [`Engine::intake`]).
    pub(super) fn checkpoint_meta(&self, msg: &InboundMessage) -> Vec<crate::store::MetaWrite> {
        msg.checkpoint.iter().filter_map(|c| self.checkpoint_write(c).ok()).collect()
    }

    pub(super) async fn duplicate_of(&self, rec: IdempotencyRecord) -> Result<IntakeOutcome> {
        let number = match rec.ticket_id {
            Some(id) => self.resolve_id(id).await?.map(|t| t.number),
            None => None,
        };
        Ok(IntakeOutcome::Duplicate { ticket_number: number, article_id: rec.article_id })
    }

    /// Who the message speaks for, creating unknown senders when the policy says so. `Err` is a refusal.
    async fn author(&self, msg: &InboundMessage) -> Result<std::result::Result<Author, String>> {
        let mut register = None;
        let (user, agent, reply_to, from) = match &msg.sender {
            Sender::Email { address, name, reply_to } => {
                let address = address.trim();
                if address.is_empty() {
                    return Ok(Err("the message has no sender address".into()));
                }
                let user = match self.store().customer_user_by_lookup(&email_key(address)).await? {
                    Some(u) => u,
                    None => {
                        let mut u = CustomerUser::new(address.to_lowercase(), address, address.to_lowercase());
                        if let Some(n) = name {
                            let (first, last) = n.trim().rsplit_once(' ').unwrap_or((n.trim(), ""));
                            u.first_name = first.to_string();
                            u.last_name = last.to_string();
                        }
                        match self.create_sender(u).await? {
                            Ok(Registered::Stored(u)) => u,
                            Ok(Registered::New(u)) => {
                                register = Some(u.clone());
                                u
                            }
                            Err(reason) => return Ok(Err(reason)),
                        }
                    }
                };
                let from = match name {
                    Some(n) if !n.trim().is_empty() => format!("{} <{address}>", n.trim()),
                    _ => address.to_string(),
                };
                (user, None, Some(reply_to.clone().unwrap_or_else(|| address.to_string())), from)
            }
            Sender::Chat { network, user_id, chat_id, name } => {
                let identity = format!("{network}:{user_id}");
                let user = match self.store().customer_user_by_lookup(&identity).await? {
                    Some(u) => u,
                    None => {
                        let mut u = CustomerUser::new(identity.clone(), "", identity.clone());
                        u.identities.push(identity.clone());
                        u.first_name = name.clone().unwrap_or_default();
                        match self.create_sender(u).await? {
                            Ok(Registered::Stored(u)) => u,
                            Ok(Registered::New(u)) => {
                                register = Some(u.clone());
                                u
                            }
                            Err(reason) => return Ok(Err(reason)),
                        }
                    }
                };
                let from = name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| identity.clone());
                (user, None, Some(chat_id.clone()), from)
            }
            Sender::CustomerUser { login } => match self.customer_user(login).await? {
                Some(u) => {
                    let from = if u.email.is_empty() {
                        u.display_name()
                    } else {
                        format!("{} <{}>", u.display_name(), u.email)
                    };
                    (u, None, None, from)
                }
                None => return Ok(Err(format!("customer user {login:?} does not exist"))),
            },
            Sender::AgentOnBehalf { agent, customer_user } => {
                if self.agent_access(agent).await.is_err() {
                    return Ok(Err(format!("agent {agent:?} is unknown or invalid")));
                }
                match self.customer_user(customer_user).await? {
                    Some(u) => {
                        let from = format!("{} (via {agent})", u.display_name());
                        (u, Some(agent.clone()), None, from)
                    }
                    None => return Ok(Err(format!("customer user {customer_user:?} does not exist"))),
                }
            }
        };
        if !user.valid {
            return Ok(Err(format!("customer user {:?} is invalid and cannot open or follow up tickets", user.login)));
        }
        let actor = match &agent {
            Some(a) => format!("agent:{a}"),
            None => format!("customer:{}", user.login),
        };
        Ok(Ok(Author { user, agent, actor, from, reply_to, register }))
    }

    /// An unknown sender as a customer user, when the policy registers them: the one stored already
    /// under the same login, or a new one for the message's commit to store.
    async fn create_sender(&self, user: CustomerUser) -> Result<std::result::Result<Registered, String>> {
        if self.config().unknown_sender == UnknownSenderPolicy::Reject {
            return Ok(Err("the sender is not a known customer user".into()));
        }
        if let Err(e) = user.validate() {
            return Ok(Err(format!("the sender cannot be registered: {e}")));
        }
        // A concurrent message may have created the same user: keep whichever is stored.
        if let Some(existing) = self.customer_user(&user.login).await? {
            return Ok(Ok(Registered::Stored(existing)));
        }
        Ok(Ok(Registered::New(user)))
    }

    /// The ticket a message threads into: a number in subject or text, a referenced message id, the
    /// channel's hint; merges are followed.
    async fn thread_target(&self, msg: &InboundMessage) -> Result<Option<Ticket>> {
        let hook = &self.config().hook;
        let mut numbers = hook.find_numbers(&msg.subject, self.numbers());
        numbers.extend(hook.find_numbers(&msg.body, self.numbers()));
        if self.has_imported_numbers().await? {
            // Imported numbers need not fit our format: after ours, any marked number is looked up.
            let subject = hook.find_any_numbers(&msg.subject, MAX_OTHER_NUMBERS);
            let body = hook.find_any_numbers(&msg.body, MAX_OTHER_NUMBERS);
            for n in subject.into_iter().chain(body).take(MAX_OTHER_NUMBERS) {
                if !numbers.contains(&n) {
                    numbers.push(n);
                }
            }
        }
        for n in numbers {
            match self.resolve_number(&n).await {
                Ok(t) => return Ok(Some(t)),
                Err(Error::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        for r in &msg.references {
            if let Some(a) = self.store().article_by_external_id(r).await?
                && let Some(t) = self.resolve_id(a.ticket_id).await?
            {
                return Ok(Some(t));
            }
        }
        if let Some(hint) = &msg.ticket_hint {
            match self.resolve_number(hint).await {
                Ok(t) => return Ok(Some(t)),
                Err(Error::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    /// The sender check: the ticket's own customer user, a user of the same customer with `rw` on the
    /// queue's group, or an agent with `note` may add to it. Anyone else opens a new ticket.
    async fn may_follow_up(&self, author: &Author, ticket: &Ticket) -> Result<bool> {
        let group = self.queue(&ticket.queue).await?.group;
        if let Some(agent) = &author.agent {
            let a = self.agent_access(agent).await?;
            return Ok(a.may(ticket, &group, Permission::Note));
        }
        if ticket.customer_user.as_deref() == Some(author.user.login.as_str()) {
            return Ok(true);
        }
        match self.caller(&super::Actor::CustomerUser(author.user.login.clone())).await {
            Ok(Caller::Customer(c)) => Ok(c.can_write(ticket, &group)),
            Ok(_) | Err(Error::PermissionDenied(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn seed(&self, msg: &InboundMessage, author: &Author, subject: String) -> ArticleSeed {
        ArticleSeed {
            sender: SenderType::Customer,
            channel: msg.channel,
            visible_to_customer: true,
            from: author.from.clone(),
            reply_to: author.reply_to.clone(),
            to: msg.to.clone(),
            subject,
            body: msg.body.clone(),
            attachments: msg.attachments.clone(),
            external_id: msg.external_id.clone().filter(|_| msg.channel != ChannelKind::Web),
            references: msg.references.clone(),
            created_by: author.actor.clone(),
            sender_auth: msg.sender_auth.clone().filter(|_| msg.channel == ChannelKind::Email),
        }
    }

    async fn intake_follow_up(
        &self,
        msg: &InboundMessage,
        author: &Author,
        ticket: Ticket,
        key: Option<String>,
        notes: Vec<String>,
    ) -> Result<IntakeOutcome> {
        let mut input = FollowUpInput {
            actor: author.actor.clone(),
            seed: self.seed(msg, author, msg.subject.clone()),
            idempotency_key: key,
            notes,
            meta: self.checkpoint_meta(msg),
            auto: self.auto_target(msg, author),
            answered: false,
        };
        let number = ticket.number.clone();
        match self.customer_follow_up(number.clone(), &mut input).await {
            Ok(o) if o.duplicate => {
                Ok(IntakeOutcome::Duplicate { ticket_number: Some(o.ticket.number), article_id: Some(o.article.id) })
            }
            Ok(o) if o.opened_new_ticket => Ok(IntakeOutcome::NewTicket { ticket: o.ticket, article: o.article }),
            Ok(o) => Ok(IntakeOutcome::FollowUp { ticket: o.ticket, article: o.article }),
            Err(Error::Rejected(reason)) => {
                Ok(IntakeOutcome::Rejected { ticket_number: Some(number), reason, answered: input.answered })
            }
            Err(e) => Err(e),
        }
    }

    async fn intake_new_ticket(
        &self,
        msg: &InboundMessage,
        author: &Author,
        key: Option<String>,
        queue: Queue,
        notes: Vec<String>,
    ) -> Result<IntakeOutcome> {
        let now = self.now();
        let title = self.config().hook.clean_subject(&msg.subject);
        let title = if title.is_empty() {
            msg.body.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string()
        } else {
            title
        };
        let ticket = self
            .new_ticket(
                TicketSeed {
                    title,
                    queue: queue.name.clone(),
                    priority: Default::default(),
                    customer_user: Some(author.user.login.clone()),
                    customer_id: Some(author.user.customer_id.clone()).filter(|c| !c.is_empty()),
                    service: None,
                    sla: None,
                    channel: msg.channel,
                },
                now,
            )
            .await?;
        let subject = if msg.subject.trim().is_empty() { ticket.title.clone() } else { msg.subject.clone() };
        let (article, blobs) = self.new_article(ticket.id, self.seed(msg, author, subject), now).await?;
        let mut commit = Commit {
            history: vec![
                history(
                    ticket.id,
                    now,
                    &author.actor,
                    HistoryKind::Created,
                    Message::new("history-created")
                        .arg("number", &ticket.number)
                        .arg("queue", &ticket.queue)
                        .arg("channel", msg.channel.as_str()),
                ),
                history(
                    ticket.id,
                    now,
                    &author.actor,
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
            records: author.register.iter().cloned().map(Record::CustomerUser).collect(),
            ..Default::default()
        };
        commit.history.extend(notes.into_iter().map(|n| sender_auth_entry(ticket.id, article.id, now, &n)));
        let mut events = vec![
            Event::TicketCreated { number: ticket.number.clone(), queue: ticket.queue.clone(), channel: msg.channel },
            Event::ArticleAdded {
                number: ticket.number.clone(),
                article_id: article.id,
                sender: SenderType::Customer,
                visible_to_customer: true,
            },
        ];
        if let Some(fallback) = &msg.sender_fallback {
            let note = super::notes::sender_flagged(fallback, &author.from);
            commit.history.push(history(ticket.id, now, "system", HistoryKind::SenderFlagged, note));
        }
        if let Some(target) = self.auto_target(msg, author) {
            let kind = crate::directory::AutoResponseKind::Reply;
            self.add_auto_response(kind, &target, &ticket, Some(&article), &mut commit, &mut events).await?;
        }
        let told = NotifyEvent {
            kind: NotificationKind::NewTicket,
            ticket: &ticket,
            actor: author.agent.as_deref(),
            target: None,
        };
        self.add_notifications(told, Some(article.id), now, &mut commit).await?;
        if let Some(duplicate) = self.commit_intake(commit, key.as_deref(), Some(msg)).await? {
            return Ok(duplicate);
        }
        self.emit(events);
        Ok(IntakeOutcome::NewTicket { ticket, article })
    }
}

/// An unknown sender as [`Engine::author`] finds them.
enum Registered {
    /// Stored already (by a message taken a moment before).
    Stored(CustomerUser),
    /// To be stored by this message's commit.
    New(CustomerUser),
}

/// Who sent a message, for idempotency keys: the same external id from another sender is another message.
fn sender_key(s: &Sender) -> String {
    match s {
        Sender::Email { address, .. } => address.trim().to_lowercase(),
        Sender::Chat { network, user_id, .. } => format!("{network}:{user_id}"),
        Sender::CustomerUser { login } => format!("customer:{login}"),
        Sender::AgentOnBehalf { agent, .. } => format!("agent:{agent}"),
    }
}

/// A history line about what was verified for an article's sender, naming the article.
pub(super) fn sender_auth_entry(
    ticket: crate::ids::TicketId,
    article: ArticleId,
    at: crate::time::Timestamp,
    note: &str,
) -> crate::history::HistoryEntry {
    history(
        ticket,
        at,
        "system",
        HistoryKind::SenderAuthentication,
        Message::new("history-sender-authentication").arg("article", article.to_string()).arg("note", note),
    )
}
