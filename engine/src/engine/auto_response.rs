//! Automatic answers to new tickets, with the loop protections of RFC 3834.

use super::Engine;
use super::build::{ArticleSeed, history};
use crate::article::{Article, SenderType};
use crate::error::Result;
use crate::events::Event;
use crate::history::HistoryKind;
use crate::inbound::InboundMessage;
use crate::store::Commit;
use crate::ticket::Ticket;
use chamado_i18n::Message;

/// Local parts that are machines, never people: answering them starts mail loops.
const MACHINE_LOCAL_PARTS: [&str; 4] = ["mailer-daemon", "postmaster", "noreply", "no-reply"];

/// True when `address` is one of ours or a machine's, so it must never get an auto-response.
pub fn is_unanswerable(address: &str, system_addresses: &[String]) -> bool {
    let a = address.trim().to_lowercase();
    let local = a.split('@').next().unwrap_or_default();
    system_addresses.iter().any(|s| s.trim().eq_ignore_ascii_case(&a)) || MACHINE_LOCAL_PARTS.contains(&local)
}

impl Engine {
    /// Adds an auto-response to `commit` when the rules allow one for this new ticket.
    pub(super) async fn add_auto_response(
        &self,
        msg: &InboundMessage,
        author: &super::intake::Author,
        ticket: &Ticket,
        first: &Article,
        commit: &mut Commit,
        events: &mut Vec<Event>,
    ) -> Result<()> {
        let cfg = &self.config().auto_response;
        let Some(recipient) = author.reply_to.clone() else { return Ok(()) };
        // A bounce or a sender taken from elsewhere than its header: answering could hit a third party.
        if !cfg.channels.contains(&msg.channel)
            || msg.auto_generated
            || msg.bounce.is_some()
            || msg.sender_fallback.is_some()
        {
            return Ok(());
        }
        let now = self.now();
        if msg.channel == crate::ChannelKind::Email && is_unanswerable(&recipient, &self.config().system_addresses) {
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
        if !self.sender_authenticated(msg) {
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
        let sent_this_hour = self.store().allocate(&hour, 1).await?;
        if sent_this_hour > cfg.max_per_hour {
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
        let sent_today = self.store().allocate(&scope, 1).await?;
        if sent_today > cfg.max_per_sender_per_day {
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
        let name = author.user.display_name();
        let text = match &cfg.text {
            Some(own) => {
                own.replace("{number}", &ticket.number).replace("{title}", &ticket.title).replace("{name}", &name)
            }
            // Mail has no Accept-Language: the user's own language, else the system's.
            None => self.customer_user_tr(&author.user, None).t3(
                "mail-auto-response",
                "name",
                name.as_str(),
                "number",
                ticket.number.as_str(),
                "title",
                ticket.title.as_str(),
            ),
        };
        let (mut article, _no_files) = self
            .new_article(
                ticket.id,
                ArticleSeed {
                    sender: SenderType::System,
                    channel: msg.channel,
                    visible_to_customer: true,
                    from: self.system_address(),
                    reply_to: None,
                    to: recipient.clone(),
                    subject: self.config().hook.reply_subject(&ticket.number, &ticket.title),
                    body: text,
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
        article.references = Self::thread_references(std::slice::from_ref(first));
        let entry = self.new_outbox(&article, msg.channel, recipient.clone(), now).await?;
        commit.history.push(history(
            ticket.id,
            now,
            "system",
            HistoryKind::AutoResponse,
            Message::new("history-auto-response-queued").arg("recipient", &recipient),
        ));
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
