//! `/portal/tickets/{number}`: a ticket with its customer-visible articles, and the reply form.

use super::frame::{Section, error, signed_in};
use super::session::{PortalUser, see_other};
use crate::csrf_multipart::CsrfMultipart;
use crate::page::{Frame, problem_text, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Actor, NewArticle, TicketView};
use chamado_http::AppState;
use chamado_http::Problem;
use serde::Deserialize;

/// Why a reply was not taken, as the ticket page tells it.
pub enum Refusal {
    /// The queue's follow-up policy refused it (a closed ticket of a `reject` queue).
    Rejected(String),
    /// The customer user may not write to the ticket (read-only access).
    Forbidden(String),
    /// Anything else, with the problem's text.
    Other(String),
}

impl Refusal {
    fn of(tr: &chamado_i18n::Tr, p: &Problem) -> Self {
        let detail = problem_text(tr, p);
        match p.code() {
            "rejected" => Refusal::Rejected(detail),
            "forbidden" => Refusal::Forbidden(detail),
            _ => Refusal::Other(detail),
        }
    }
}

/// A ticket's page.
#[derive(Template)]
#[template(path = "portal/ticket.html")]
pub struct TicketPage {
    /// The frame.
    pub frame: Frame,
    /// The ticket and its customer-visible articles.
    pub view: TicketView,
    /// Why the last reply was not taken.
    pub refusal: Option<Refusal>,
    /// The reply form's CSRF token.
    pub csrf: String,
    /// The reply form's idempotency key.
    pub key: String,
}

/// One ticket: its customer-visible articles and the reply form.
pub async fn show(State(st): State<AppState>, user: PortalUser, Path(number): Path<String>) -> Response {
    render_ticket(&st, &user, &number, StatusCode::OK, None).await
}

async fn render_ticket(
    st: &AppState,
    user: &PortalUser,
    number: &str,
    status: StatusCode,
    refusal: Option<Refusal>,
) -> Response {
    let view = match st.engine.ticket(&Actor::customer(&user.login), number).await {
        Ok(v) => v,
        Err(e) => return error(user, &e.into()),
    };
    let page = TicketPage {
        frame: signed_in(user, Section::Tickets),
        view,
        refusal,
        csrf: user.csrf.clone(),
        key: super::new_ticket::form_key(),
    };
    render(status, &page)
}

/// The reply form's fields.
#[derive(Debug, Deserialize)]
pub struct ReplyForm {
    body: String,
    #[serde(default)]
    key: String,
}

/// Adds the customer's reply with its files; a refusal (closed ticket of a `reject` queue, read-only access) is shown
/// on the ticket page with the reason.
pub async fn reply(
    State(st): State<AppState>,
    Path(number): Path<String>,
    CsrfMultipart { user, form: f, files }: CsrfMultipart<PortalUser, ReplyForm>,
) -> Response {
    let mut new = NewArticle::reply(f.body);
    new.attachments = files;
    new.idempotency_key = Some(f.key).filter(|k| !k.is_empty() && k.len() <= 200);
    match st.engine.add_article(&Actor::customer(&user.login), &number, new).await {
        Ok(out) => see_other(&super::ticket_url(&out.ticket.number)),
        Err(e) => {
            let p = Problem::from(e);
            if p.status() == StatusCode::NOT_FOUND {
                return error(&user, &p);
            }
            render_ticket(&st, &user, &number, p.status(), Some(Refusal::of(&user.tr, &p))).await
        }
    }
}
