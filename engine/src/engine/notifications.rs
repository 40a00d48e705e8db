//! Agent notifications (OTRS semantics): the engine's rules raise an event, [`Engine::add_notifications`]
//! picks who is told on which channel ([`crate::notify::recipients`]) and writes one outbox entry per
//! agent and channel into the commit that causes the event; [`Engine::deliver_due`] renders each entry
//! when it is sent, in the agent's language ([`Engine::notification_delivery`]).
//!
//! Where each kind is raised:
//! - `NewTicket`: every ticket opened by intake (mail, chat, portal, API), by an agent (a phone ticket:
//!   the agent is the actor), or by a follow-up on a closed ticket whose queue opens a new one. Not for a
//!   bounce filed in the bounce queue: a notification that bounces would open another and so on.
//! - `FollowUp`: a customer's message appended to its ticket (intake, portal, API).
//! - `OwnerSet`, `ResponsibleSet`, `MovedIntoMyQueue`: [`Engine::update_ticket`] (the new owner or
//!   responsible is the target; the agent who changed it the actor).
//! - `ReminderDue`, `LockTimeout`: [`Engine::tick`].
//! - `Bounced`: a bounce that marks one of our replies failed (the reply's author is the target).
//! - `EscalationWarning`, `EscalationBreach`: not raised yet. The SLA rules (#23) call
//!   [`Engine::add_notifications`] with these kinds in the commit that records the escalation; the
//!   recipient rule already knows them (owner, else the queue's agents; responsible and watchers too).

use super::build::history;
use super::directory_cache::NotifyIndex;
use super::{Actor, Engine};
use crate::article::Article;
use crate::directory::{
    Agent, GrantSubject, NotificationChannel, NotificationDef, NotificationKind, Record, RecordKind, pick_text,
};
use crate::error::Result;
use crate::history::{HistoryEntry, HistoryKind};
use crate::ids::{ArticleId, OutboxId};
use crate::notify::{Candidate, NotifyEvent, Recipient, recipients};
use crate::outbox::{FanOut, NotificationRef, OutboxEntry, OutboxStatus};
use crate::permissions::{AgentAccess, Permission};
use crate::store::Commit;
use crate::templating::NotificationVars;
use crate::ticket::Ticket;
use crate::time::Timestamp;
use chamado_i18n::{Message, Tr, key};
use std::sync::Arc;

/// The longest article text quoted in a shipped notification, in characters.
const MAX_QUOTED_CHARS: usize = 8000;

/// The agent an actor string (`agent:<login>`, `customer:<login>`, `system`) names, if it is one.
pub(super) fn agent_of(actor: &str) -> Option<&str> {
    actor.strip_prefix("agent:")
}

/// The agent an [`Actor`] is, if it is one.
pub(super) fn acting_agent(actor: &Actor) -> Option<&str> {
    match actor {
        Actor::Agent(login) => Some(login.as_str()),
        _ => None,
    }
}

/// A notification rendered for its agent.
pub(super) struct RenderedNotification {
    /// The ticket's number.
    pub ticket_number: String,
    /// The subject (carries the ticket number).
    pub subject: String,
    /// The text.
    pub body: String,
    /// The agent's name, for the mail's `To`.
    pub agent_name: String,
    /// The system's name in the agent's language, for the mail's `From`.
    pub from_name: String,
    /// The history line of an admin's text that failed to render (the shipped text was used instead).
    pub failure: Option<HistoryEntry>,
}

/// Up to this many notifications of one event are written as entries of their own in the commit that
/// causes it; more go as one entry that [`Engine::deliver_due`] fans out.
pub(super) const FAN_OUT_ABOVE: usize = 4;

/// How many agents a history line names before it counts the rest.
const NAMED_IN_HISTORY: usize = 20;

impl Engine {
    /// Tells agents of `event`: picks the recipients by the kind's rule among the agents with the
    /// ticket's queue in "My queues", its owner, responsible, watchers and the event's target (each
    /// with whether they may read the ticket), and adds to `commit` one outbox entry per agent and
    /// channel, plus one history entry naming the agents told. `article` is the article the
    /// notification is about, if any. Call it while building the commit that causes the event, with the
    /// ticket as it is after the change, so the notifications are durable exactly when the event is.
    ///
    /// This is also the entry point of notifications raised elsewhere: the SLA rules (#23) call it with
    /// [`NotificationKind::EscalationWarning`] and [`NotificationKind::EscalationBreach`].
    ///
    /// Returns who is told, on which channel.
    pub(crate) async fn add_notifications(
        &self,
        event: NotifyEvent<'_>,
        article: Option<ArticleId>,
        now: Timestamp,
        commit: &mut Commit,
    ) -> Result<Vec<Recipient>> {
        let index = self.notify_index().await?;
        let def = index
            .defs
            .iter()
            .find(|d| d.kind == event.kind)
            .cloned()
            .unwrap_or_else(|| NotificationDef::shipped(event.kind));
        if !def.valid {
            return Ok(Vec::new());
        }
        let ticket = event.ticket;
        let group = self.queue(&ticket.queue).await?.group;
        // Everyone the rule may pick: the queue's agents first, then the ticket's own people.
        let mut logins: Vec<&str> = index
            .my_queue_agents
            .get(&ticket.queue)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let named = ticket.owner.iter().chain(ticket.responsible.iter()).chain(ticket.watchers.iter());
        for login in named.map(String::as_str).chain(event.target) {
            if !logins.contains(&login) {
                logins.push(login);
            }
        }
        // Agents the index does not know (created by another node a moment ago) are read one by one.
        let mut extra: Vec<(Agent, Option<AgentAccess>)> = Vec::new();
        for login in &logins {
            if !index.agents.contains_key(*login)
                && let Some(agent) = self.agent(login).await?
            {
                let access = self.agent_access(login).await.ok();
                extra.push((agent, access));
            }
        }
        let known = logins.iter().filter_map(|l| index.agents.get(*l).map(|a| (a, index.access.get(*l))));
        let others = extra.iter().map(|(a, access)| (a, access.as_ref()));
        let candidates: Vec<Candidate<'_>> = known
            .chain(others)
            .map(|(agent, access)| Candidate {
                agent,
                may_read: access.is_some_and(|a| a.may(ticket, &group, Permission::Ro)),
            })
            .collect();
        let told = recipients(&event, &candidates, &def);
        if told.is_empty() {
            return Ok(told);
        }
        let entry = |id: u64, channel, recipient: String, agent: String, fan_out: Vec<FanOut>| OutboxEntry {
            id: OutboxId(id),
            ticket_id: ticket.id,
            article_id: article.unwrap_or(ArticleId(0)),
            channel,
            recipient,
            status: OutboxStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            created_at: now,
            receipt: None,
            notification: Some(NotificationRef {
                kind: event.kind,
                agent,
                actor: event.actor.map(str::to_string),
                fan_out,
            }),
        };
        if told.len() > FAN_OUT_ABOVE {
            // Many agents: one entry now, expanded by the delivery loop, so that a queue with 200 agents
            // costs the commit that opens a ticket one row, not 200.
            let fan_out = told
                .iter()
                .map(|r| FanOut { agent: r.login.clone(), channel: r.channel, address: r.address.clone() })
                .collect();
            let id = self.next_id("outbox_id").await?;
            commit.outbox.push(entry(id, crate::ChannelKind::Internal, String::new(), String::new(), fan_out));
        } else {
            for r in &told {
                let id = self.next_id("outbox_id").await?;
                commit.outbox.push(entry(id, r.channel.channel_kind(), r.address.clone(), r.login.clone(), Vec::new()));
            }
        }
        commit.history.push(history(
            ticket.id,
            now,
            "system",
            HistoryKind::Notification,
            Message::new("history-notification-queued")
                .arg_key("kind", event.kind.label_key())
                .arg("recipients", told_list(&told)),
        ));
        Ok(told)
    }

    /// The directory as notifications read it, built once per directory snapshot.
    async fn notify_index(&self) -> Result<Arc<NotifyIndex>> {
        let dir = self.directory().await?;
        if let Some(index) = dir.cached_notify() {
            return Ok(index);
        }
        let agents: Vec<Agent> = self
            .all_records(RecordKind::Agent, "")
            .await?
            .into_iter()
            .filter_map(|r| if let Record::Agent(a) = r { Some(a) } else { None })
            .collect();
        let mut grants = Vec::new();
        for prefix in [GrantSubject::Agent(String::new()), GrantSubject::Role(String::new())] {
            // `agent:` and `role:`: every agent's and every role's grants, one scan each.
            let head = prefix.key_prefix();
            let head = head.trim_end_matches('\u{1f}');
            grants.extend(
                self.all_records(RecordKind::Grant, head)
                    .await?
                    .into_iter()
                    .filter_map(|r| if let Record::Grant(g) = r { Some(g) } else { None }),
            );
        }
        let defs = self.notification_defs().await?;
        let index = NotifyIndex::build(agents, &grants, &dir.roles, &dir.groups, defs);
        Ok(dir.cache_notify(index))
    }

    /// Renders the notification `n` of outbox `entry` for its agent, in the agent's language: the
    /// admin's text for the kind when there is one (templates read the ticket, the article, the agent and
    /// `notification.kind` / `notification.actor`), else, or when it fails, the shipped translated text.
    /// `None` when the ticket is gone.
    pub(super) async fn notification_delivery(
        &self,
        entry: &OutboxEntry,
        n: &NotificationRef,
    ) -> Result<Option<RenderedNotification>> {
        let Some(ticket) = self.store().ticket(entry.ticket_id).await? else { return Ok(None) };
        let article = match entry.article_id {
            ArticleId(0) => None,
            id => self.store().article(id).await?,
        };
        let agent = self.agent(&n.agent).await?;
        let def = self.notification_def(n.kind).await?;
        let tr = match &agent {
            Some(a) => self.agent_tr(a, None),
            None => self.anonymous_tr(None),
        };
        let mut ctx = self.template_context(&ticket, article.as_ref(), agent.as_ref()).await?;
        ctx.notification =
            NotificationVars { kind: n.kind.as_str().to_string(), actor: n.actor.clone().unwrap_or_default() };
        let languages = self.reader_languages(agent.as_ref());
        let langs: Vec<&str> = languages.iter().map(String::as_str).collect();
        let mut failure = None;
        let own = match pick_text(&def.texts, &langs) {
            None => None,
            Some(text) => match self.render_text(text, &ctx) {
                Ok(r) if !r.subject.trim().is_empty() => Some(r),
                Ok(_) => None,
                Err(e) => {
                    failure = Some(history(
                        ticket.id,
                        self.now(),
                        "system",
                        HistoryKind::Notification,
                        Message::new("history-notification-text-failed")
                            .arg_key("kind", n.kind.label_key())
                            .arg("language", text.language.clone())
                            .arg("line", e.line.map_or(0, |l| i64::try_from(l).unwrap_or(i64::MAX)))
                            .arg("detail", e.detail)
                            .arg("agent", n.agent.clone()),
                    ));
                    None
                }
            },
        };
        let (subject, body) = match own {
            Some(r) => (r.subject.trim().to_string(), r.body),
            None => self.shipped_notification(&tr, n, &ticket, article.as_ref(), &ctx.urls.ticket),
        };
        Ok(Some(RenderedNotification {
            ticket_number: ticket.number.clone(),
            subject,
            body,
            agent_name: if ctx.agent.name.is_empty() { n.agent.clone() } else { ctx.agent.name.clone() },
            from_name: tr.t("mail-from-system"),
            failure,
        }))
    }

    /// The shipped text of a notification, in `tr`'s language: a subject with the ticket's tagged
    /// number, and a text with the ticket's number, title and queue, who caused it, the article's text
    /// and the link to the ticket.
    fn shipped_notification(
        &self,
        tr: &Tr,
        n: &NotificationRef,
        ticket: &Ticket,
        article: Option<&Article>,
        link: &str,
    ) -> (String, String) {
        let tag = self.config().hook.build_subject(&ticket.number, "");
        let (subject_key, body_key) = shipped_keys(n.kind);
        let subject =
            tr.t3(subject_key, "tag", tag.as_str(), "title", ticket.title.as_str(), "queue", ticket.queue.as_str());
        let mut body = tr.t3(
            body_key,
            "number",
            ticket.number.as_str(),
            "title",
            ticket.title.as_str(),
            "queue",
            ticket.queue.as_str(),
        );
        if let Some(actor) = n.actor.as_deref().filter(|a| !a.is_empty()) {
            body.push('\n');
            body.push_str(&tr.t1("notify-body-by", "actor", actor));
        }
        if let Some(a) = article.filter(|a| !a.body.trim().is_empty()) {
            body.push_str("\n\n");
            body.push_str(&tr.t1("notify-body-article", "from", a.from.as_str()));
            body.push('\n');
            let quoted: String = a.body.chars().take(MAX_QUOTED_CHARS).collect();
            body.push_str(quoted.trim_end());
            if a.body.chars().nth(MAX_QUOTED_CHARS).is_some() {
                body.push_str(" […]");
            }
        }
        if !link.is_empty() {
            body.push_str("\n\n");
            body.push_str(&tr.t1("notify-body-link", "url", link));
        }
        body.push('\n');
        (subject, body)
    }
}

/// The agents told and their channels, for the history: `ana (email), ben (email, telegram)`.
fn told_list(told: &[Recipient]) -> String {
    // Recipients come grouped by agent (every channel of one agent in a row).
    let mut parts: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut agents = 0;
    for r in told {
        match parts.last_mut() {
            Some((l, channels)) if *l == r.login => channels.push(r.channel.as_str()),
            _ => {
                agents += 1;
                if parts.len() < NAMED_IN_HISTORY {
                    parts.push((&r.login, vec![r.channel.as_str()]));
                }
            }
        }
    }
    let mut named: Vec<String> = parts.iter().map(|(l, c)| format!("{l} ({})", c.join(", "))).collect();
    if agents > parts.len() {
        named.push(format!("+{}", agents - parts.len()));
    }
    named.join(", ")
}

/// The name of the notification channel an outbox entry goes by (`email`, `telegram`).
pub(super) fn channel_name(channel: crate::ChannelKind) -> &'static str {
    match channel {
        crate::ChannelKind::Chat => NotificationChannel::Telegram.as_str(),
        _ => NotificationChannel::Email.as_str(),
    }
}

/// The message keys of a kind's shipped subject and text.
fn shipped_keys(kind: NotificationKind) -> (&'static str, &'static str) {
    match kind {
        NotificationKind::NewTicket => (key("notify-subject-new-ticket"), key("notify-body-new-ticket")),
        NotificationKind::FollowUp => (key("notify-subject-follow-up"), key("notify-body-follow-up")),
        NotificationKind::LockTimeout => (key("notify-subject-lock-timeout"), key("notify-body-lock-timeout")),
        NotificationKind::OwnerSet => (key("notify-subject-owner-set"), key("notify-body-owner-set")),
        NotificationKind::ResponsibleSet => (key("notify-subject-responsible-set"), key("notify-body-responsible-set")),
        NotificationKind::ReminderDue => (key("notify-subject-reminder-due"), key("notify-body-reminder-due")),
        NotificationKind::MovedIntoMyQueue => {
            (key("notify-subject-moved-into-my-queue"), key("notify-body-moved-into-my-queue"))
        }
        NotificationKind::EscalationWarning => {
            (key("notify-subject-escalation-warning"), key("notify-body-escalation-warning"))
        }
        NotificationKind::EscalationBreach => {
            (key("notify-subject-escalation-breach"), key("notify-body-escalation-breach"))
        }
        NotificationKind::Bounced => (key("notify-subject-bounced"), key("notify-body-bounced")),
    }
}

impl Engine {
    /// The valid agent who linked chat `chat_id` (where their Telegram notifications go), if any: chat
    /// adapters use it so that an agent writing in that chat is not taken for a customer.
    pub async fn agent_by_chat(&self, chat_id: &str) -> Result<Option<Agent>> {
        if chat_id.is_empty() {
            return Ok(None);
        }
        let index = self.notify_index().await?;
        Ok(index.agents.values().find(|a| a.valid && a.telegram_chat.as_deref() == Some(chat_id)).cloned())
    }
}
