//! `/portal/tickets/new`: the new-ticket form, offering only the queues and services the customer
//! user may use, and opening the ticket.

use super::frame::{Section, error, signed_in};
use super::session::{PortalUser, see_other};
use crate::csrf_multipart::CsrfMultipart;
use crate::page::{Frame, problem_text, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Actor, NewTicket};
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::random::secret;
use serde::Deserialize;

/// A fresh idempotency key for a form, so a double submit does not open two tickets or add two
/// replies.
pub fn form_key() -> String {
    secret("portal-").unwrap_or_default()
}

/// What the new-ticket form was filled with.
#[derive(Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    queue: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    key: String,
}

/// The new-ticket page.
#[derive(Template)]
#[template(path = "portal/new_ticket.html")]
pub struct NewTicketPage {
    /// The frame.
    pub frame: Frame,
    /// Why the last attempt failed, in the page's language.
    pub failure: Option<String>,
    /// The queues the customer user may open tickets in; empty: no form at all.
    pub queues: Vec<String>,
    /// The services the customer user may choose.
    pub services: Vec<String>,
    /// What the form holds.
    pub form: NewForm,
    /// The form's CSRF token.
    pub csrf: String,
}

/// The new-ticket form.
pub async fn new_form(State(st): State<AppState>, user: PortalUser) -> Response {
    render_new(&st, &user, NewForm::default(), StatusCode::OK, None).await
}

async fn render_new(
    st: &AppState,
    user: &PortalUser,
    mut form: NewForm,
    status: StatusCode,
    failure: Option<String>,
) -> Response {
    let actor = Actor::customer(&user.login);
    let queues = match st.engine.queues_for_new_tickets(&actor).await {
        Ok(q) => q.into_iter().map(|q| q.name).collect(),
        Err(e) => return error(user, &e.into()),
    };
    let services = match st.engine.customer_access(&user.login).await {
        Ok(a) => a.services().iter().cloned().collect(),
        Err(e) => return error(user, &e.into()),
    };
    if form.key.is_empty() {
        form.key = form_key();
    }
    let page = NewTicketPage {
        frame: signed_in(user, Section::NewTicket),
        failure,
        queues,
        services,
        form,
        csrf: user.csrf.clone(),
    };
    render(status, &page)
}

/// Opens the ticket (channel web) with its files and shows it; a refusal shows the form again, filled
/// (but for the files, which browsers never refill), with the reason.
pub async fn create(
    State(st): State<AppState>,
    CsrfMultipart { user, form: f, files }: CsrfMultipart<PortalUser, NewForm>,
) -> Response {
    let mut new = NewTicket::new(f.subject.clone(), f.body.clone(), f.queue.clone());
    new.attachments = files;
    new.service = Some(f.service.clone()).filter(|s| !s.is_empty());
    new.idempotency_key = Some(f.key.clone()).filter(|k| !k.is_empty() && k.len() <= 200);
    match st.engine.create_ticket(&Actor::customer(&user.login), new).await {
        Ok(view) => see_other(&super::ticket_url(&view.ticket.number)),
        Err(e) => {
            let p = Problem::from(e);
            let text = problem_text(&user.tr, &p);
            render_new(&st, &user, f, p.status(), Some(text)).await
        }
    }
}
