//! Filling a [`TemplateContext`] from a ticket, an article and an agent, and rendering admins' texts.

use super::{Actor, Engine};
use crate::article::Article;
use crate::directory::{Agent, LocalizedText, TemplateKind, pick_text};
use crate::error::{Error, Result};
use crate::templating::{
    AgentVars, ArticleVars, CustomerUserVars, CustomerVars, QueueVars, TemplateContext, TemplateError, TicketVars,
    UrlVars, render,
};
use crate::ticket::Ticket;
use chamado_i18n::Message;

/// A text rendered for a reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedText {
    /// The subject (empty when the text has none).
    pub subject: String,
    /// The body.
    pub body: String,
}

impl Engine {
    /// The values templates read about `ticket`, `article` (the one the text is about) and `agent` (the
    /// one told or writing).
    pub async fn template_context(
        &self,
        ticket: &Ticket,
        article: Option<&Article>,
        agent: Option<&Agent>,
    ) -> Result<TemplateContext> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let queue = self.queue(&ticket.queue).await.ok();
        let user = match ticket.customer_user.as_deref() {
            Some(login) => self.customer_user(login).await?,
            None => None,
        };
        let customer = match ticket.customer_id.as_deref() {
            Some(id) => self.customer(id).await?,
            None => None,
        };
        let base = self.config().public_url.trim_end_matches('/');
        let link = |path: String| if base.is_empty() { String::new() } else { format!("{base}{path}") };
        Ok(TemplateContext {
            ticket: TicketVars {
                number: ticket.number.clone(),
                title: ticket.title.clone(),
                queue: ticket.queue.clone(),
                state: ticket.state.clone(),
                priority: self.priority_name(ticket.priority).await?,
                owner: opt(&ticket.owner),
                responsible: opt(&ticket.responsible),
                customer_user: opt(&ticket.customer_user),
                customer_id: opt(&ticket.customer_id),
                service: opt(&ticket.service),
                created_at: ticket.created_at.to_string(),
            },
            article: article.map_or_else(ArticleVars::default, |a| ArticleVars {
                from: a.from.clone(),
                to: a.to.clone(),
                subject: a.subject.clone(),
                body: a.body.clone(),
                sender: a.sender.as_str().to_string(),
                channel: a.channel.as_str().to_string(),
            }),
            customer_user: user.map(customer_user_vars).unwrap_or_default(),
            customer: customer.map_or_else(CustomerVars::default, |c| CustomerVars { id: c.id, name: c.name }),
            agent: agent.map(agent_vars).unwrap_or_default(),
            queue: queue.map_or_else(QueueVars::default, |q| QueueVars { name: q.name, group: q.group }),
            urls: UrlVars {
                console: link("/agent".into()),
                portal: link("/portal".into()),
                ticket: link(format!("/agent/tickets/{}", ticket.number)),
                portal_ticket: link(format!("/portal/tickets/{}", ticket.number)),
            },
            notification: Default::default(),
        })
    }

    /// Renders one language's text with `ctx`.
    pub fn render_text(
        &self,
        text: &LocalizedText,
        ctx: &TemplateContext,
    ) -> std::result::Result<RenderedText, TemplateError> {
        Ok(RenderedText { subject: render(&text.subject, ctx)?, body: render(&text.body, ctx)? })
    }

    /// Standard template `name` rendered for the calling agent on ticket `number`, in the agent's
    /// language: what the console's reply form and the API offer. The template must be valid, of
    /// `kind` and assigned to the ticket's queue.
    pub async fn render_template_for(
        &self,
        actor: &Actor,
        number: &str,
        name: &str,
        kind: TemplateKind,
    ) -> Result<RenderedText> {
        let ticket = self.ticket(actor, number).await?.ticket;
        let queue = ticket.queue.clone();
        let ctx = move |agent: Option<Agent>| async move { self.template_context(&ticket, None, agent.as_ref()).await };
        self.render_offered(actor, &queue, name, kind, ctx).await
    }

    /// Template `name` of kind [`TemplateKind::Create`] rendered for the calling agent who opens a
    /// ticket in `queue` (a phone ticket) for `customer_user` (if chosen yet): there is no ticket yet,
    /// so `ticket.*` holds only `queue`, `customer_user` and `customer_id`, and `article.*` is empty; `customer_user.*`, `customer.*`, `queue.*`, `agent.*` and
    /// `urls.console`/`urls.portal` are filled.
    pub async fn render_create_template(
        &self,
        actor: &Actor,
        queue: &str,
        name: &str,
        customer_user: Option<&str>,
    ) -> Result<RenderedText> {
        let q = self.queue(queue).await?;
        let user = match customer_user {
            Some(login) => self.customer_user(login).await?,
            None => None,
        };
        let customer = match user.as_ref().map(|u| u.customer_id.clone()).filter(|c| !c.is_empty()) {
            Some(id) => self.customer(&id).await?,
            None => None,
        };
        let base = self.config().public_url.trim_end_matches('/').to_string();
        let ctx = move |agent: Option<Agent>| async move {
            let link = |path: &str| if base.is_empty() { String::new() } else { format!("{base}{path}") };
            Ok(crate::templating::TemplateContext {
                ticket: TicketVars {
                    queue: q.name.clone(),
                    customer_user: user.as_ref().map(|u| u.login.clone()).unwrap_or_default(),
                    customer_id: user.as_ref().map(|u| u.customer_id.clone()).unwrap_or_default(),
                    ..Default::default()
                },
                agent: agent.as_ref().map(agent_vars).unwrap_or_default(),
                customer_user: user.map(customer_user_vars).unwrap_or_default(),
                customer: customer.map_or_else(CustomerVars::default, |c| CustomerVars { id: c.id, name: c.name }),
                queue: QueueVars { name: q.name, group: q.group },
                urls: UrlVars { console: link("/agent"), portal: link("/portal"), ..Default::default() },
                ..Default::default()
            })
        };
        self.render_offered(actor, queue, name, TemplateKind::Create, ctx).await
    }

    async fn render_offered<F, Fut>(
        &self,
        actor: &Actor,
        queue: &str,
        name: &str,
        kind: TemplateKind,
        context: F,
    ) -> Result<RenderedText>
    where
        F: FnOnce(Option<Agent>) -> Fut,
        Fut: std::future::Future<Output = Result<crate::templating::TemplateContext>>,
    {
        let offered = self.templates_for_queue(actor, queue, kind).await?;
        let Some(template) = offered.into_iter().find(|t| t.name == name) else {
            return Err(Error::not_found(Message::new("error-template-not-offered").arg("name", format!("{name:?}"))));
        };
        let agent = match actor {
            Actor::Agent(login) => self.agent(login).await?,
            _ => None,
        };
        let languages = self.reader_languages(agent.as_ref());
        let langs: Vec<&str> = languages.iter().map(String::as_str).collect();
        let Some(text) = pick_text(&template.texts, &langs) else {
            return Ok(RenderedText { subject: String::new(), body: String::new() });
        };
        let ctx = context(agent).await?;
        let failed = |part: &'static str, e: TemplateError| {
            Error::validation(
                Message::new("error-template-invalid")
                    .arg_key("part", part)
                    .arg("language", text.language.clone())
                    .arg("line", e.line.map_or(0, |l| l as i64))
                    .arg("detail", e.detail),
            )
        };
        Ok(RenderedText {
            subject: render(&text.subject, &ctx)
                .map_err(|e| failed(chamado_i18n::key("error-text-part-subject"), e))?,
            body: render(&text.body, &ctx).map_err(|e| failed(chamado_i18n::key("error-text-part-body"), e))?,
        })
    }

    /// The languages to pick an agent's texts in, most wanted first: the agent's own, then the system's.
    pub(super) fn reader_languages(&self, agent: Option<&Agent>) -> Vec<String> {
        let mut out: Vec<String> = agent.and_then(|a| a.language.clone()).into_iter().collect();
        out.push(self.config().i18n.default_language.clone());
        out.push("en".into());
        out
    }
}

/// `agent.*` of a template.
fn agent_vars(a: &Agent) -> AgentVars {
    let name = format!("{} {}", a.first_name, a.last_name).trim().to_string();
    AgentVars {
        name: if name.is_empty() { a.login.clone() } else { name },
        login: a.login.clone(),
        first_name: a.first_name.clone(),
        last_name: a.last_name.clone(),
        email: a.email.clone(),
    }
}

/// `customer_user.*` of a template.
pub(super) fn customer_user_vars(u: crate::directory::CustomerUser) -> CustomerUserVars {
    CustomerUserVars {
        name: u.display_name(),
        login: u.login,
        first_name: u.first_name,
        last_name: u.last_name,
        email: u.email,
    }
}
