//! Opening, reading and listing tickets.

use super::access::{Caller, caller_sees};
use super::build::{ArticleSeed, TicketSeed, history};
use super::{Actor, Engine, TicketView};
use crate::article::SenderType;
use crate::attachment::Attachment;
use crate::channel_kind::ChannelKind;
use crate::directory::{NotificationKind, StateType};
use crate::error::{DuplicateKind, Error, Result};
use crate::events::Event;
use crate::history::{HistoryEntry, HistoryKind};
use crate::notify::NotifyEvent;
use crate::permissions::Permission;
use crate::priority::Priority;
use crate::store::{Commit, Cursor, IdempotencyOutcome, Page, TicketIndex, TicketWrite};
use crate::ticket::{Lock, Ticket};
use chamado_i18n::Message;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

pub use super::articles::NewArticle;
pub use super::updates::TicketUpdate;

/// A ticket to open through the portal, the API or the agent's phone-ticket screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTicket {
    /// Title (subject).
    pub title: String,
    /// The first article's text.
    pub body: String,
    /// Queue name.
    pub queue: String,
    /// Service, if any (the customer user must hold it).
    #[serde(default)]
    pub service: Option<String>,
    /// SLA, if any: one of the service's SLAs.
    #[serde(default)]
    pub sla: Option<String>,
    /// Priority (default `3 normal`).
    #[serde(default)]
    pub priority: Option<Priority>,
    /// For agents: the customer user the ticket is for (a phone ticket).
    #[serde(default)]
    pub customer_user: Option<String>,
    /// Attachments of the first article.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// A retried request with the same key returns the first ticket instead of opening another.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

impl NewTicket {
    /// A ticket with a title, a text and a queue.
    pub fn new(title: impl Into<String>, body: impl Into<String>, queue: impl Into<String>) -> Self {
        NewTicket {
            title: title.into(),
            body: body.into(),
            queue: queue.into(),
            service: None,
            sla: None,
            priority: None,
            customer_user: None,
            attachments: Vec::new(),
            idempotency_key: None,
        }
    }
}

/// Which tickets a listing returns. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketFilter {
    /// Only this queue.
    pub queue: Option<String>,
    /// Only this state (by name).
    pub state: Option<String>,
    /// Only this state type.
    pub state_type: Option<StateType>,
    /// Only this customer user's tickets.
    pub customer_user: Option<String>,
    /// Only this customer's tickets.
    pub customer_id: Option<String>,
    /// Only tickets this agent owns (locked or not).
    pub owner: Option<String>,
    /// Only tickets this agent is responsible for.
    pub responsible: Option<String>,
    /// Only tickets of one of these state types (empty: any). With `state_type`, both must hold.
    pub state_types: Vec<StateType>,
    /// Only tickets this agent holds locked.
    pub locked_by: Option<String>,
    /// Only escalated tickets: a running clock passed its due time (as of the last [`Engine::tick`]).
    pub escalated: bool,
    /// Only tickets at risk: a running clock passed its warning point, none its due time.
    pub at_risk: bool,
}

impl TicketFilter {
    /// The store indexes that hold every ticket the filter can match, the narrowest first: an agent's
    /// own tickets, a queue (by state type), a customer, else the state-type indexes.
    fn sources(&self) -> Vec<TicketIndex> {
        let types: Vec<StateType> = match self.state_type {
            Some(st) => vec![st],
            None if !self.state_types.is_empty() => self.state_types.clone(),
            None => Vec::new(),
        };
        if self.escalated || self.at_risk {
            let mut v = Vec::new();
            if self.escalated {
                v.push(TicketIndex::Escalated);
            }
            if self.at_risk {
                v.push(TicketIndex::AtRisk);
            }
            v
        } else if let Some(l) = &self.locked_by {
            vec![TicketIndex::LockedBy(l.clone())]
        } else if let Some(l) = &self.responsible {
            vec![TicketIndex::Responsible(l.clone())]
        } else if let Some(q) = &self.queue {
            if types.is_empty() {
                vec![TicketIndex::Queue { queue: q.clone(), state_type: None }]
            } else {
                types.iter().map(|st| TicketIndex::Queue { queue: q.clone(), state_type: Some(*st) }).collect()
            }
        } else if let Some(cu) = &self.customer_user {
            vec![TicketIndex::CustomerUser(cu.clone())]
        } else if let Some(c) = &self.customer_id {
            vec![TicketIndex::Customer(c.clone())]
        } else if types.is_empty() {
            StateType::ALL.into_iter().map(TicketIndex::StateType).collect()
        } else {
            types.into_iter().map(TicketIndex::StateType).collect()
        }
    }

    /// True when `t` passes every field of the filter (what a listing keeps, before permissions).
    pub fn matches(&self, t: &Ticket) -> bool {
        self.queue.as_ref().is_none_or(|q| *q == t.queue)
            && self.state.as_ref().is_none_or(|s| *s == t.state)
            && self.state_type.is_none_or(|s| s == t.state_type)
            && self.customer_user.as_ref().is_none_or(|c| t.customer_user.as_ref() == Some(c))
            && self.customer_id.as_ref().is_none_or(|c| t.customer_id.as_ref() == Some(c))
            && self.owner.as_ref().is_none_or(|o| t.owner.as_ref() == Some(o))
            && self.responsible.as_ref().is_none_or(|o| t.responsible.as_ref() == Some(o))
            && (self.state_types.is_empty() || self.state_types.contains(&t.state_type))
            && self.locked_by.as_ref().is_none_or(|o| t.lock == Lock::Lock && t.owner.as_ref() == Some(o))
            && (!(self.escalated || self.at_risk)
                || (self.escalated && t.escalation.is_breached())
                || (self.at_risk && t.escalation.is_at_risk()))
    }
}

/// Largest page a listing returns.
pub const MAX_PAGE: usize = 500;

impl Engine {
    /// Opens a ticket. A customer user opens it in the portal (channel web; needs `rw` on the queue's
    /// group and the service); an agent opens a phone ticket for `customer_user` (needs `create`).
    pub async fn create_ticket(&self, actor: &Actor, new: NewTicket) -> Result<TicketView> {
        let idem_key = new.idempotency_key.as_ref().map(|k| format!("api:{actor}:{k}"));
        if let Some(k) = &idem_key
            && let Some(view) = self.idempotent_view(actor, k).await?
        {
            return Ok(view);
        }
        if new.title.trim().is_empty() {
            return Err(Error::validation(chamado_i18n::Message::new("error-title-empty")));
        }
        if new.body.trim().is_empty() {
            return Err(Error::validation(chamado_i18n::Message::new("error-body-empty")));
        }
        self.config().attachments.check(&new.attachments)?;
        let queue = self.queue(&new.queue).await?;
        if !queue.valid {
            return Err(Error::rejected(
                chamado_i18n::Message::new("error-queue-closed-to-new").arg("name", format!("{:?}", queue.name)),
            ));
        }
        if let Some(p) = new.priority {
            self.check_priority_settable(p).await?;
        }
        // A customer user's record, when resolving their access read it: the ticket needs it below, and
        // reading it again would be a second request to the store for the same row.
        let (caller, read_user) = self.caller_and_user(actor).await?;
        let (channel, customer_login) = match (&caller, actor) {
            (Caller::Customer(c), _) => {
                if !c.can_create_in(&queue.group) {
                    return Err(Error::permission_denied(
                        chamado_i18n::Message::new("error-customer-may-not-create")
                            .arg("queue", format!("{:?}", queue.name)),
                    ));
                }
                if new.customer_user.as_ref().is_some_and(|u| u != c.login()) {
                    return Err(Error::permission_denied(chamado_i18n::Message::new(
                        "error-customer-only-own-tickets",
                    )));
                }
                (ChannelKind::Web, Some(c.login().to_string()))
            }
            (Caller::Agent(a), _) => {
                if !a.has(&queue.group, Permission::Create) {
                    return Err(Error::permission_denied(
                        chamado_i18n::Message::new("error-agent-may-not-create")
                            .arg("login", a.login())
                            .arg("queue", format!("{:?}", queue.name)),
                    ));
                }
                (ChannelKind::Phone, new.customer_user.clone())
            }
            (Caller::System, _) => (ChannelKind::Phone, new.customer_user.clone()),
        };
        let record = match (&customer_login, read_user) {
            (Some(login), Some(u)) if u.login == *login => Some(u),
            (Some(login), _) => self.customer_user(login).await?,
            (None, _) => None,
        };
        let user = match &customer_login {
            Some(login) => match record {
                Some(u) if u.valid => Some(u),
                Some(_) => {
                    return Err(Error::rejected(
                        chamado_i18n::Message::new("error-customer-user-invalid").arg("login", format!("{login:?}")),
                    ));
                }
                None => {
                    return Err(Error::not_found(
                        chamado_i18n::Message::new("error-customer-user-not-found").arg("login", format!("{login:?}")),
                    ));
                }
            },
            None => None,
        };
        if let Some(service) = &new.service {
            let allowed = match &user {
                // Resolved from the record just read when not cached, rather than reading it again.
                Some(u) => self.customer_access_given(&u.login, Some(u)).await?.has_service(service),
                None => self.services().await?.iter().any(|s| s.name == *service && s.valid),
            };
            if !allowed {
                return Err(Error::permission_denied(
                    chamado_i18n::Message::new("error-service-not-available").arg("service", format!("{service:?}")),
                ));
            }
        }
        if let Some(sla) = &new.sla {
            self.check_sla_for(new.service.as_deref(), sla).await?;
        }
        let now = self.now();
        let ticket = self
            .new_ticket(
                TicketSeed {
                    title: new.title.clone(),
                    queue: queue.name.clone(),
                    priority: new.priority.unwrap_or_default(),
                    customer_user: user.as_ref().map(|u| u.login.clone()),
                    customer_id: user.as_ref().map(|u| u.customer_id.clone()).filter(|c| !c.is_empty()),
                    service: new.service.clone(),
                    sla: new.sla.clone(),
                    channel,
                },
                now,
            )
            .await?;
        let from = match (&user, actor) {
            (Some(u), _) if u.email.is_empty() => u.display_name(),
            (Some(u), _) => format!("{} <{}>", u.display_name(), u.email),
            (None, a) => a.to_string(),
        };
        let (article, blobs) = self
            .new_article(
                ticket.id,
                ArticleSeed {
                    sender: SenderType::Customer,
                    channel,
                    visible_to_customer: true,
                    from,
                    reply_to: None,
                    to: queue.name.clone(),
                    subject: ticket.title.clone(),
                    body: new.body,
                    attachments: new.attachments,
                    external_id: None,
                    references: Vec::new(),
                    created_by: actor.to_string(),
                    sender_auth: None,
                },
                now,
            )
            .await?;
        let actor_s = actor.to_string();
        let mut commit = Commit {
            history: vec![
                history(
                    ticket.id,
                    now,
                    &actor_s,
                    HistoryKind::Created,
                    Message::new("history-created")
                        .arg("number", &ticket.number)
                        .arg("queue", &ticket.queue)
                        .arg("channel", channel.as_str()),
                ),
                history(
                    ticket.id,
                    now,
                    &actor_s,
                    HistoryKind::ArticleAdded,
                    Message::new("history-article-added").arg("article", article.id.to_string()),
                ),
            ],
            idempotency: super::build::idempotency(
                idem_key,
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
        let told = NotifyEvent {
            kind: NotificationKind::NewTicket,
            ticket: &ticket,
            actor: super::notifications::acting_agent(actor),
            target: None,
        };
        self.add_notifications(told, Some(article.id), now, &mut commit).await?;
        self.seal_clocks(&mut commit, now).await?;
        let ticket = commit.tickets.first().map_or(ticket, |w| w.ticket.clone());
        match self.store().commit(commit).await {
            Ok(()) => {}
            Err(e) if e.is_duplicate(DuplicateKind::IdempotencyKey) => {
                let key = format!("api:{actor}:{}", new.idempotency_key.unwrap_or_default());
                return self
                    .idempotent_view(actor, &key)
                    .await?
                    .ok_or_else(|| Error::conflict(chamado_i18n::Message::new("error-request-in-progress")));
            }
            Err(e) => return Err(e.into()),
        }
        self.emit(vec![
            Event::TicketCreated { number: ticket.number.clone(), queue: ticket.queue.clone(), channel },
            Event::ArticleAdded {
                number: ticket.number.clone(),
                article_id: article.id,
                sender: SenderType::Customer,
                visible_to_customer: true,
            },
        ]);
        Ok(TicketView { ticket, articles: vec![article] })
    }

    async fn idempotent_view(&self, actor: &Actor, key: &str) -> Result<Option<TicketView>> {
        let Some(rec) = self.store().idempotency(key).await? else { return Ok(None) };
        let Some(id) = rec.ticket_id else { return Ok(None) };
        let Some(t) = self.store().ticket(id).await? else { return Ok(None) };
        self.ticket(actor, &t.number).await.map(Some)
    }

    /// A ticket with the articles the caller may see. Tickets the caller may not see are `NotFound`,
    /// exactly like tickets that do not exist.
    pub async fn ticket(&self, actor: &Actor, number: &str) -> Result<TicketView> {
        // The common case (a ticket that was not merged away) is one read of the ticket and its articles.
        let (ticket, mut articles) = match self.store().ticket_with_articles(number.trim()).await? {
            Some((t, articles)) if t.merged_into.is_none() => (t, articles),
            Some(_) => {
                let t = self.resolve_number(number).await?;
                let articles = self.store().articles(t.id).await?;
                (t, articles)
            }
            None => {
                return Err(Error::not_found(
                    chamado_i18n::Message::new("error-ticket-not-found").arg("number", number),
                ));
            }
        };
        let caller = self.caller(actor).await?;
        let group = self.queue(&ticket.queue).await?.group;
        if !caller_sees(&caller, &ticket, &group) {
            return Err(Error::not_found(chamado_i18n::Message::new("error-ticket-not-found").arg("number", number)));
        }
        if matches!(caller, Caller::Customer(_)) {
            articles.retain(|a| a.visible_to_customer);
        }
        Ok(TicketView { ticket, articles })
    }

    /// A ticket's history (agents only).
    pub async fn history(&self, actor: &Actor, number: &str) -> Result<Vec<HistoryEntry>> {
        let view = self.ticket(actor, number).await?;
        if matches!(actor, Actor::CustomerUser(_)) {
            return Err(Error::permission_denied(chamado_i18n::Message::new("error-history-agents-only")));
        }
        Ok(self.store().history(view.ticket.id).await?)
    }

    /// Lists the tickets the caller may see, newest change first, `limit` (at most [`MAX_PAGE`]) per page.
    pub async fn list_tickets(
        &self,
        actor: &Actor,
        filter: &TicketFilter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Page<Ticket>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let caller = self.caller(actor).await?;
        let sources = match &caller {
            Caller::Customer(c) => {
                let mut own = vec![TicketIndex::CustomerUser(c.login().to_string())];
                if c.company_tickets() {
                    own.extend(c.customer_ids().iter().map(|id| TicketIndex::Customer(id.clone())));
                }
                own
            }
            Caller::Agent(_) | Caller::System => filter.sources(),
        };
        let dir = self.directory().await?;
        let groups: std::collections::HashMap<&str, &str> =
            dir.queues.values().map(|q| (q.name.as_str(), q.group.as_str())).collect();
        let visible =
            |t: &Ticket| filter.matches(t) && groups.get(t.queue.as_str()).is_some_and(|g| caller_sees(&caller, t, g));
        self.merged_page(&sources, after, limit, visible).await
    }

    /// Merges several listings (each newest first) into one page, skipping repeats and filtered tickets.
    async fn merged_page(
        &self,
        sources: &[TicketIndex],
        after: Option<Cursor>,
        limit: usize,
        keep: impl Fn(&Ticket) -> bool,
    ) -> Result<Page<Ticket>> {
        struct Source<'a> {
            index: &'a TicketIndex,
            buffer: VecDeque<Ticket>,
            next: Option<Cursor>,
            exhausted: bool,
        }
        let fetch = limit.max(32);
        let mut srcs: Vec<Source<'_>> = sources
            .iter()
            .map(|index| Source { index, buffer: VecDeque::new(), next: after, exhausted: false })
            .collect();
        let mut out: Vec<Ticket> = Vec::with_capacity(limit);
        let mut last: Option<Cursor> = after;
        while out.len() < limit {
            for s in srcs.iter_mut() {
                if s.buffer.is_empty() && !s.exhausted {
                    let page = self.store().list_tickets(s.index, s.next, fetch).await?;
                    s.exhausted = page.next.is_none();
                    s.next = page.next;
                    s.buffer.extend(page.items);
                }
            }
            let best = srcs
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.buffer.front().map(|t| (i, (t.changed_at, t.id))))
                .max_by_key(|(_, k)| *k);
            let Some((i, key)) = best else { break };
            let Some(t) = srcs[i].buffer.pop_front() else { break };
            // The same ticket can come from several sources; equal keys are adjacent, keep the first.
            if last.is_some_and(|c| (c.changed_at, c.id) <= key) {
                continue;
            }
            last = Some(Cursor::after(&t));
            if keep(&t) {
                out.push(t);
            }
        }
        let more = srcs.iter().any(|s| !s.buffer.is_empty() || !s.exhausted);
        let next = if out.len() == limit && more { out.last().map(Cursor::after) } else { None };
        Ok(Page { items: out, next })
    }
}

/// For agents: whether the ticket counts as locked by someone else.
pub(super) fn locked_by_other(t: &Ticket, login: &str) -> bool {
    t.lock == Lock::Lock && t.owner.as_deref().is_some_and(|o| o != login)
}
