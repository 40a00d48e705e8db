//! Automatic answers to customers, OTRS's four kinds ([`AutoResponseKind`]), each queue with its own
//! texts, with the loop protections of RFC 3834.
//!
//! Which text goes out: the [`AutoResponse`] the ticket's queue names for the kind
//! ([`crate::Queue::auto_responses`]) when it exists, is valid and is of that kind, rendered in the
//! customer user's language ([`crate::templating`]). Without one, [`AutoResponseKind::Reply`] sends the
//! shipped translated text (`mail-auto-response`, or the operator's [`super::AutoResponseConfig::text`]),
//! as every queue did before queues had their own; the other three kinds send nothing. A text that fails
//! to render is replaced by the kind's shipped text, and the failure is logged in the ticket's history:
//! it never blocks the intake. The same rules hold for all four kinds: never to auto-generated mail,
//! bounces, senders read from elsewhere than their header, machine or own addresses, nor
//! unauthenticated senders; at most [`super::AutoResponseConfig::max_per_hour`] in all and
//! [`super::AutoResponseConfig::max_per_sender_per_day`] per address. The limits are checked when the
//! answer is made and counted by the commit that queues it ([`crate::Commit::counters`]), so an answer
//! costs no durable write of its own; as with OTRS's loop protection, messages taken at the same moment
//! may pass a limit by as many as are taken at once.

use super::Engine;
use super::build::{ArticleSeed, history};
use crate::article::{Article, SenderType};
use crate::channel_kind::ChannelKind;
use crate::directory::{AutoResponse, AutoResponseKind, CustomerUser, pick_text};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::history::HistoryKind;
use crate::ids::{ArticleId, TicketId};
use crate::inbound::InboundMessage;
use crate::store::{Commit, CounterAdd};
use crate::templating::TemplateError;
use crate::ticket::Ticket;
use crate::time::Timestamp;
use chamado_i18n::Message;

/// Local parts that are machines, never people: answering them starts mail loops.
const MACHINE_LOCAL_PARTS: [&str; 4] = ["mailer-daemon", "postmaster", "noreply", "no-reply"];

/// True when `address` is one of ours or a machine's, so it must never get an auto-response.
pub fn is_unanswerable(address: &str, system_addresses: &[String]) -> bool {
    let a = address.trim().to_lowercase();
    let local = a.split('@').next().unwrap_or_default();
    system_addresses.iter().any(|s| s.trim().eq_ignore_ascii_case(&a)) || MACHINE_LOCAL_PARTS.contains(&local)
}

/// Where an auto-response to an inbound message would go, settled at intake ([`Engine::auto_target`]).
#[derive(Debug, Clone)]
pub(super) struct AutoTarget {
    /// The channel the message came by: the answer goes back by it.
    pub channel: ChannelKind,
    /// The reply address settled at intake.
    pub recipient: String,
    /// Who wrote the message: the answer is in their language and names them.
    pub user: CustomerUser,
    /// Whether the sender counts as authenticated ([`Engine::sender_authenticated`]).
    pub authenticated: bool,
    /// The thread the answer refers to: the message's references and its own id.
    pub references: Vec<String>,
}

impl Engine {
    /// Where an auto-response to `msg` would go; `None` when none may go at all, whatever its kind: the
    /// channel gets none, the mail is auto-generated or a bounce, its sender was read from elsewhere
    /// than its header (answering could hit a third party), or there is no reply address.
    pub(super) fn auto_target(&self, msg: &InboundMessage, author: &super::intake::Author) -> Option<AutoTarget> {
        let cfg = &self.config().auto_response;
        let recipient = author.reply_to.clone()?;
        if !cfg.channels.contains(&msg.channel)
            || msg.auto_generated
            || msg.bounce.is_some()
            || msg.sender_fallback.is_some()
        {
            return None;
        }
        // As `thread_references` reads it from the message's article.
        let references = match msg.external_id.as_ref().filter(|_| msg.channel != ChannelKind::Web) {
            Some(id) => {
                let mut refs = msg.references.clone();
                refs.push(id.clone());
                refs.dedup();
                refs
            }
            None => Vec::new(),
        };
        Some(AutoTarget {
            channel: msg.channel,
            recipient,
            user: author.user.clone(),
            authenticated: self.sender_authenticated(msg),
            references,
        })
    }

    /// Adds the auto-response of `kind` for `ticket` to `commit` when the ticket's queue sends one and
    /// the rules allow it (see the module). `about` is the customer's message it answers (its
    /// `article.*` in the text). Suppressions and text failures are recorded in the ticket's history.
    pub(super) async fn add_auto_response(
        &self,
        kind: AutoResponseKind,
        target: &AutoTarget,
        ticket: &Ticket,
        about: Option<&Article>,
        commit: &mut Commit,
        events: &mut Vec<Event>,
    ) -> Result<()> {
        let chosen = self.queue_auto_response(&ticket.queue, kind).await?;
        if chosen.is_none() && kind != AutoResponseKind::Reply {
            return Ok(());
        }
        let cfg = &self.config().auto_response;
        let recipient = target.recipient.clone();
        let now = self.now();
        if target.channel == ChannelKind::Email && is_unanswerable(&recipient, &self.config().system_addresses) {
            commit.history.push(history(
                ticket.id,
                now,
                "system",
                HistoryKind::AutoResponse,
                Message::new("history-auto-response-machine-address").arg("recipient", &recipient),
            ));
            return Ok(());
        }
        // Forged senders would turn auto-responses into backscatter to whoever they named.
        if !target.authenticated {
            commit.history.push(history(
                ticket.id,
                now,
                "system",
                HistoryKind::AutoResponse,
                Message::new("history-auto-response-unauthenticated").arg("recipient", &recipient),
            ));
            return Ok(());
        }
        let hour = format!("auto_response:hour:{}", now.as_unix_seconds().div_euclid(3600));
        if self.store().counter(&hour).await? >= cfg.max_per_hour {
            commit.history.push(history(
                ticket.id,
                now,
                "system",
                HistoryKind::AutoResponse,
                Message::new("history-auto-response-hourly-limit")
                    .arg("recipient", &recipient)
                    .arg("limit", cfg.max_per_hour),
            ));
            return Ok(());
        }
        let scope = format!("auto_response:{}:{}", recipient.to_lowercase(), now.date().yyyymmdd());
        if self.store().counter(&scope).await? >= cfg.max_per_sender_per_day {
            commit.history.push(history(
                ticket.id,
                now,
                "system",
                HistoryKind::AutoResponse,
                Message::new("history-auto-response-daily-limit")
                    .arg("recipient", &recipient)
                    .arg("limit", cfg.max_per_sender_per_day),
            ));
            return Ok(());
        }
        count_in(commit, hour);
        count_in(commit, scope);
        let (subject, mut body) =
            self.auto_response_text(kind, chosen.as_ref(), target, ticket, about, commit, now).await?;
        // An operator's text or a small body limit must not cost the intake its ticket.
        truncate_to(&mut body, self.config().max_body_bytes);
        let (mut article, _no_files) = self
            .new_article(
                ticket.id,
                ArticleSeed {
                    sender: SenderType::System,
                    channel: target.channel,
                    visible_to_customer: true,
                    from: self.system_address(),
                    reply_to: None,
                    to: recipient.clone(),
                    subject,
                    body,
                    attachments: Vec::new(),
                    external_id: None,
                    references: Vec::new(),
                    created_by: "system".into(),
                    sender_auth: None,
                },
                now,
            )
            .await?;
        article.external_id = Some(self.message_id(&ticket.number, article.id));
        article.references.clone_from(&target.references);
        let entry = self.new_outbox(&article, target.channel, recipient.clone(), now).await?;
        let queued = match &chosen {
            Some(a) => Message::new("history-auto-response-queued-named")
                .arg("name", format!("{:?}", a.name))
                .arg("kind", kind.as_str())
                .arg("recipient", &recipient),
            None => Message::new("history-auto-response-queued").arg("recipient", &recipient),
        };
        commit.history.push(history(ticket.id, now, "system", HistoryKind::AutoResponse, queued));
        events.push(Event::ArticleAdded {
            number: ticket.number.clone(),
            article_id: article.id,
            sender: SenderType::System,
            visible_to_customer: true,
        });
        commit.articles.push(article);
        commit.outbox.push(entry);
        Ok(())
    }

    /// The auto-response `queue` sends for `kind`: the one it names, when that exists, is valid and is
    /// of `kind`.
    async fn queue_auto_response(&self, queue: &str, kind: AutoResponseKind) -> Result<Option<AutoResponse>> {
        let queue = match self.queue(queue).await {
            Ok(q) => q,
            Err(Error::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let Some(name) = queue.auto_responses.get(kind) else { return Ok(None) };
        Ok(self.auto_response(name).await?.filter(|a| a.valid && a.kind == kind))
    }

    /// Subject and body of an auto-response: `chosen` rendered in the recipient's language, else (none
    /// chosen, or it failed to render: logged in `commit`) the kind's shipped text.
    #[allow(clippy::too_many_arguments)]
    async fn auto_response_text(
        &self,
        kind: AutoResponseKind,
        chosen: Option<&AutoResponse>,
        target: &AutoTarget,
        ticket: &Ticket,
        about: Option<&Article>,
        commit: &mut Commit,
        now: Timestamp,
    ) -> Result<(String, String)> {
        let Some(auto) = chosen else { return Ok(self.shipped_auto_response(kind, &target.user, ticket)) };
        let languages = self.customer_languages(Some(&target.user));
        let langs: Vec<&str> = languages.iter().map(String::as_str).collect();
        let Some(text) = pick_text(&auto.texts, &langs) else {
            return Ok(self.shipped_auto_response(kind, &target.user, ticket));
        };
        let mut ctx = self.template_context(ticket, about, None).await?;
        // A sender registered by this very message is stored with its commit, after this text is made.
        if ticket.customer_user.as_deref() == Some(target.user.login.as_str()) {
            ctx.customer_user = super::text_context::customer_user_vars(target.user.clone());
        }
        let max = self.config().max_body_bytes;
        let rendered = self.render_text(text, &ctx).and_then(|r| {
            if r.body.len() > max {
                Err(TemplateError { line: None, detail: format!("the text is longer than {max} bytes") })
            } else {
                Ok(r)
            }
        });
        match rendered {
            Ok(r) => {
                let subject = self.tagged_subject(ticket, &r.subject);
                Ok((subject, r.body))
            }
            Err(e) => {
                commit.history.push(history(
                    ticket.id,
                    now,
                    "system",
                    HistoryKind::AutoResponse,
                    Message::new("history-auto-response-render-failed")
                        .arg("name", format!("{:?}", auto.name))
                        .arg("language", text.language.as_str())
                        .arg("line", e.line.map_or(0, |l| l as i64))
                        .arg("detail", e.detail),
                ));
                Ok(self.shipped_auto_response(kind, &target.user, ticket))
            }
        }
    }

    /// An admin's rendered subject, on one line and carrying the ticket's number (`[Ticket#N] …`
    /// unless the text has it already); the shipped reply subject when it rendered empty.
    fn tagged_subject(&self, ticket: &Ticket, rendered: &str) -> String {
        let hook = &self.config().hook;
        let line = rendered.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            return hook.reply_subject(&ticket.number, &ticket.title);
        }
        if hook.find_numbers(&line, self.numbers()).contains(&ticket.number) {
            return line;
        }
        format!("{} {line}", hook.build_subject(&ticket.number, ""))
    }

    /// The shipped subject and text of `kind`, in `user`'s language, else the system's (mail has no
    /// `Accept-Language`). For [`AutoResponseKind::Reply`] the operator's own text wins when set.
    fn shipped_auto_response(&self, kind: AutoResponseKind, user: &CustomerUser, ticket: &Ticket) -> (String, String) {
        let subject = self.config().hook.reply_subject(&ticket.number, &ticket.title);
        let name = user.display_name();
        let tr = self.customer_user_tr(user, None);
        let (number, title) = (ticket.number.as_str(), ticket.title.as_str());
        let body = match kind {
            AutoResponseKind::Reply => match &self.config().auto_response.text {
                Some(own) => own.replace("{number}", number).replace("{title}", title).replace("{name}", &name),
                None => tr.t3("mail-auto-response", "name", name.as_str(), "number", number, "title", title),
            },
            AutoResponseKind::Reject => {
                tr.t3("mail-auto-reject", "name", name.as_str(), "number", number, "title", title)
            }
            AutoResponseKind::FollowUp => {
                tr.t3("mail-auto-follow-up", "name", name.as_str(), "number", number, "title", title)
            }
            AutoResponseKind::ReplyNewTicket => {
                tr.t3("mail-auto-reply-new-ticket", "name", name.as_str(), "number", number, "title", title)
            }
        };
        (subject, body)
    }
}

/// Counts one more for `scope` in `commit` (one addition per scope, as a commit's counters must be).
fn count_in(commit: &mut Commit, scope: String) {
    match commit.counters.iter_mut().find(|c| c.scope == scope) {
        Some(c) => c.add += 1,
        None => commit.counters.push(CounterAdd { scope, add: 1 }),
    }
}

/// Cuts `text` to at most `max` bytes, at a character boundary.
fn truncate_to(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

/// The article a message would have become, not stored: what a refused follow-up's auto-reject is
/// about (`article.*` in its text).
pub(super) fn unsaved_article(ticket: TicketId, seed: &ArticleSeed, now: Timestamp) -> Article {
    Article {
        id: ArticleId(0),
        ticket_id: ticket,
        sender: seed.sender,
        channel: seed.channel,
        visible_to_customer: seed.visible_to_customer,
        from: seed.from.clone(),
        reply_to: seed.reply_to.clone(),
        to: seed.to.clone(),
        subject: seed.subject.clone(),
        body: seed.body.clone(),
        attachments: Vec::new(),
        external_id: seed.external_id.clone(),
        references: seed.references.clone(),
        created_by: seed.created_by.clone(),
        created_at: now,
        sender_auth: seed.sender_auth.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_unanswerable;

    #[test]
    fn machines_and_ourselves_are_unanswerable() {
        let ours = vec!["support@example.com".to_string()];
        assert!(is_unanswerable("MAILER-DAEMON@mx.example.org", &ours));
        assert!(is_unanswerable("postmaster@example.org", &ours));
        assert!(is_unanswerable("Support@Example.com", &ours));
        assert!(!is_unanswerable("alice@example.org", &ours));
    }
}
