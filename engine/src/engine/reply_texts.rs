//! The queue's salutation and signature around agents' replies to customers.

use super::Engine;
use crate::directory::{Agent, CustomerUser, LocalizedText, pick_text};
use crate::error::{Error, Result};
use crate::templating::{TemplateContext, render};
use crate::ticket::Ticket;
use chamado_i18n::{Message, key};

/// A reply's body with the queue's salutation and signature, and what went wrong with them (history
/// lines; the reply goes out regardless).
pub(super) struct WrappedReply {
    /// The body to send.
    pub body: String,
    /// One history line per part dropped.
    pub failures: Vec<Message>,
}

impl Engine {
    /// The languages to pick a customer user's texts in, most wanted first: the user's own, else the
    /// system's (as the shipped texts they get are chosen, [`Engine::customer_user_tr`] without an
    /// asked language), then English.
    pub(super) fn customer_languages(&self, user: Option<&CustomerUser>) -> Vec<String> {
        let mut out: Vec<String> = user.map(|u| self.customer_user_tr(u, None).lang()).into_iter().collect();
        out.push(self.config().i18n.default_language.clone());
        out.push("en".into());
        out
    }

    /// `body` between the ticket's queue's salutation and signature: `salutation + "\n\n" + body +
    /// "\n\n" + signature`, each in the ticket's customer user's language, rendered for `agent` (the one
    /// writing). A part the queue does not name, that is invalid or missing, or that renders empty is
    /// left out; one that fails to render is left out and reported in [`WrappedReply::failures`]. When
    /// the wrapped text would be longer than the largest body, the body goes out alone.
    pub(super) async fn wrap_reply(&self, ticket: &Ticket, agent: Option<&Agent>, body: &str) -> Result<WrappedReply> {
        let plain = || WrappedReply { body: body.to_string(), failures: Vec::new() };
        let queue = match self.queue(&ticket.queue).await {
            Ok(q) => q,
            Err(Error::NotFound(_)) => return Ok(plain()),
            Err(e) => return Err(e),
        };
        let salutation = match &queue.salutation {
            Some(name) => self.salutation(name).await?.filter(|s| s.valid).map(|s| (s.name, s.texts)),
            None => None,
        };
        let signature = match &queue.signature {
            Some(name) => self.signature(name).await?.filter(|s| s.valid).map(|s| (s.name, s.texts)),
            None => None,
        };
        if salutation.is_none() && signature.is_none() {
            return Ok(plain());
        }
        let user = match ticket.customer_user.as_deref() {
            Some(login) => self.customer_user(login).await?,
            None => None,
        };
        let languages = self.customer_languages(user.as_ref());
        let langs: Vec<&str> = languages.iter().map(String::as_str).collect();
        let ctx = self.template_context(ticket, None, agent).await?;
        let mut failures = Vec::new();
        let top = salutation.and_then(|(name, texts)| {
            render_part(key("history-reply-part-salutation"), &name, &texts, &langs, &ctx, &mut failures)
        });
        let bottom = signature.and_then(|(name, texts)| {
            render_part(key("history-reply-part-signature"), &name, &texts, &langs, &ctx, &mut failures)
        });
        let mut out = String::with_capacity(body.len() + 256);
        if let Some(t) = top {
            out.push_str(&t);
            out.push_str("\n\n");
        }
        out.push_str(body);
        if let Some(b) = bottom {
            out.push_str("\n\n");
            out.push_str(&b);
        }
        if out.len() > self.config().max_body_bytes {
            failures.push(Message::new("history-reply-texts-too-long"));
            return Ok(WrappedReply { body: body.to_string(), failures });
        }
        Ok(WrappedReply { body: out, failures })
    }
}

/// One part (salutation or signature) rendered, without trailing blank space; `None` when it renders
/// empty or fails (then a line in `failures`).
fn render_part(
    part: &'static str,
    name: &str,
    texts: &[LocalizedText],
    languages: &[&str],
    ctx: &TemplateContext,
    failures: &mut Vec<Message>,
) -> Option<String> {
    let text = pick_text(texts, languages)?;
    match render(&text.body, ctx) {
        Ok(out) => Some(out.trim_end().to_string()).filter(|s| !s.trim().is_empty()),
        Err(e) => {
            failures.push(
                Message::new("history-reply-text-failed")
                    .arg_key("part", part)
                    .arg("name", format!("{name:?}"))
                    .arg("language", text.language.as_str())
                    .arg("line", e.line.map_or(0, |l| l as i64))
                    .arg("detail", e.detail),
            );
            None
        }
    }
}
