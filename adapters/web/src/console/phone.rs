//! `/agent/tickets/new`: a phone ticket for a customer user. Search and pick the customer user, then
//! choose a queue the agent may `create` in and one of the customer user's services.
//!
//! The queue's standard templates of kind `create` are offered: choosing a queue and a template and
//! "use" reloads the form with `?queue=Q&create_template=NAME`, the template rendered for the agent and
//! the customer user filling the title and the text; no script needed.

use super::frame;
use super::session::{AgentUser, see_other};
use crate::csrf_multipart::CsrfMultipart;
use crate::page::{Frame, problem_text, render};
use crate::url::path_segment;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Actor, CustomerUser, NewTicket, Priority, Record, RecordKind, TemplateKind};
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::extract::ApiQuery;

use serde::Deserialize;

/// The form's query: the customer user search and the picked customer user.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PhoneQuery {
    /// Search text for customer users.
    pub search: String,
    /// The picked customer user.
    pub customer_user: String,
    /// The queue chosen for the template picker.
    pub queue: String,
    /// A standard template of kind `create` to fill the form with.
    pub create_template: String,
}

/// The phone ticket's fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PhoneForm {
    customer_user: String,
    queue: String,
    service: String,
    priority: String,
    title: String,
    body: String,
    key: String,
}

/// The picked customer user and what a ticket for them may use.
struct Picked {
    user: CustomerUser,
    /// Queues the agent may create tickets in.
    queues: Vec<String>,
    /// The customer user's services.
    services: Vec<String>,
    /// Priorities: level and name.
    priorities: Vec<(String, &'static str)>,
    /// The preselected priority level.
    priority: String,
    /// A fresh idempotency key, so a form sent twice opens one ticket.
    key: String,
    /// The `create` templates of the chosen queue.
    templates: Vec<String>,
    /// The template the form was filled with, empty for none.
    template: String,
}

/// The phone ticket page.
#[derive(Template)]
#[template(path = "console/phone.html")]
struct PhonePage<'a> {
    frame: Frame,
    /// The session's CSRF token.
    csrf: &'a str,
    /// The customer user search text.
    search: &'a str,
    /// The search's customer users; `None` when nothing was searched.
    found: Option<Vec<CustomerUser>>,
    picked: Option<Picked>,
    /// What was entered before (after a refusal).
    f: &'a PhoneForm,
}

/// The new phone ticket screen.
pub async fn form(State(st): State<AppState>, user: AgentUser, ApiQuery(q): ApiQuery<PhoneQuery>) -> Response {
    let mut f = PhoneForm { customer_user: q.customer_user.clone(), queue: q.queue.clone(), ..Default::default() };
    let mut frame = frame::of(&user, "/agent/tickets/new");
    let template = q.create_template.trim();
    if !template.is_empty() && !f.customer_user.trim().is_empty() && !f.queue.trim().is_empty() {
        match fill(&st, &user, &f, template).await {
            Ok(Some((title, body))) => {
                f.title = title;
                f.body = body;
            }
            Ok(None) => {}
            Err(p) => frame = frame.with_notice(problem_text(&user.tr, &p), true),
        }
    }
    match page(&st, &user, frame, &q.search, &f, template).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(p) => user.error(&p),
    }
}

async fn page<'a>(
    st: &AppState,
    user: &'a AgentUser,
    frame: Frame,
    search: &'a str,
    f: &'a PhoneForm,
    template: &str,
) -> Result<PhonePage<'a>, Problem> {
    let found = if search.trim().is_empty() {
        None
    } else {
        let admin = st.engine.admin(&Actor::System).await?;
        let found = admin.search(RecordKind::CustomerUser, search.trim(), 25).await?;
        Some(
            found
                .into_iter()
                .filter_map(|r| match r {
                    Record::CustomerUser(u) if u.valid => Some(u),
                    _ => None,
                })
                .collect(),
        )
    };
    let login = f.customer_user.trim();
    let picked = if login.is_empty() { None } else { Some(picked(st, user, login, f, template).await?) };
    Ok(PhonePage { frame, csrf: &user.csrf, search, found, picked, f })
}

async fn picked(
    st: &AppState,
    user: &AgentUser,
    login: &str,
    f: &PhoneForm,
    template: &str,
) -> Result<Picked, Problem> {
    let Some(cu) = st.engine.customer_user(login).await? else {
        return Err(Problem::not_found(format!("customer user {login:?}"))
            .with_message(chamado_i18n::Message::new("console-customer-user-not-found").arg("login", login)));
    };
    let queues: Vec<String> =
        st.engine.queues_for_new_tickets(&user.actor()).await?.into_iter().map(|q| q.name).collect();
    let templates = if queues.contains(&f.queue) {
        let offered = st.engine.templates_for_queue(&user.actor(), &f.queue, TemplateKind::Create).await?;
        offered.into_iter().map(|t| t.name).collect()
    } else {
        Vec::new()
    };
    let services = st.engine.customer_access(&cu.login).await?.services().iter().cloned().collect();
    let priorities = Priority::all().map(|p| (p.level().to_string(), p.name())).collect();
    let priority = if f.priority.is_empty() { Priority::default().level().to_string() } else { f.priority.clone() };
    let key = chamado_http::random::secret("").map_err(|e| Problem::internal(e.to_string()))?;
    let template = if templates.iter().any(|t| t == template) { template.to_string() } else { String::new() };
    Ok(Picked { user: cu, queues, services, priorities, priority, key, templates, template })
}

/// The title and text of `create` template `name` of the form's queue, rendered for the agent and the
/// form's customer user in the agent's language; `None` when the queue does not offer it (the picker
/// was left on another queue's template).
///
/// The engine renders templates for a ticket ([`chamado::Engine::render_template_for`]); a phone
/// ticket has none yet, so this fills the values templates read from what there is: the customer
/// user and customer, the agent, the queue and the helpdesk's links (the ticket's own values are empty).
async fn fill(st: &AppState, user: &AgentUser, f: &PhoneForm, name: &str) -> Result<Option<(String, String)>, Problem> {
    let customer_user = Some(f.customer_user.trim()).filter(|c| !c.is_empty());
    match st.engine.render_create_template(&user.actor(), f.queue.trim(), name, customer_user).await {
        Ok(text) => Ok(Some((text.subject, text.body))),
        // Not offered in this queue (or no such template): the form stays as it was.
        Err(chamado::Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Opens the phone ticket with the uploaded files (the engine checks `create` on the queue and the
/// customer user's service).
pub async fn create(
    State(st): State<AppState>,
    CsrfMultipart { user, form: f, files }: CsrfMultipart<AgentUser, PhoneForm>,
) -> Response {
    let mut new = NewTicket::new(f.title.clone(), f.body.clone(), f.queue.clone());
    new.attachments = files;
    new.customer_user = Some(f.customer_user.trim().to_string());
    new.service = Some(f.service.clone()).filter(|s| !s.is_empty());
    new.idempotency_key = Some(format!("console:{}", f.key)).filter(|_| !f.key.is_empty() && f.key.len() <= 200);
    new.priority = match f.priority.parse::<u8>().ok().map(Priority::new) {
        Some(Ok(p)) => Some(p),
        _ => None,
    };
    match st.engine.create_ticket(&user.actor(), new).await {
        Ok(view) => see_other(&format!("/agent/tickets/{}?done=created", path_segment(&view.ticket.number))),
        Err(e) => {
            let p = Problem::from(e);
            let frame = frame::of(&user, "/agent/tickets/new").with_notice(problem_text(&user.tr, &p), true);
            match page(&st, &user, frame, "", &f, "").await {
                Ok(page) => render(p.status(), &page),
                Err(p2) => user.error(&p2),
            }
        }
    }
}
