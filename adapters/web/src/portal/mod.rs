//! The customer portal: server-rendered HTML that works without JavaScript. Customer users log in,
//! see their own and their company's tickets, open tickets, reply, link their Telegram account and
//! choose their language.
//! Every page is an askama template under `templates/portal/` (escaped by default), every form that
//! changes something is checked for CSRF before its handler runs, and every decision is the engine's.

mod download;
mod frame;
pub(crate) mod link_telegram;
mod list;
mod login;
mod new_ticket;
mod preferences;
mod session;
mod ticket;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use chamado_http::AppState;
use chamado_http::Problem;

/// The portal routes, mounted at `/portal`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/portal/tickets") }))
        .route("/login", get(login::show).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/tickets", get(list::list))
        // The forms with files read their bodies up to the engine's file limits themselves
        // (`CsrfMultipart`), instead of the server-wide body limit.
        .route("/tickets/new", get(new_ticket::new_form).post(new_ticket::create).layer(DefaultBodyLimit::disable()))
        .route("/tickets/{number}", get(ticket::show))
        .route("/tickets/{number}/reply", post(ticket::reply).layer(DefaultBodyLimit::disable()))
        .route("/tickets/{number}/articles/{article}/attachments/{index}", get(download::download))
        .route("/link-telegram", get(link_telegram::show).post(link_telegram::issue))
        .route("/preferences", get(preferences::show).post(preferences::save))
}

/// An error as a page of an anonymous visitor (no navigation): the problem's title and detail, with
/// its status.
pub(crate) fn error_page(site: &str, tr: chamado_i18n::Tr, p: &Problem) -> Response {
    crate::page::error(frame::anonymous(site, tr), p)
}

/// The portal URL of ticket `number`, its number percent-encoded as a path segment
/// ([`crate::url::path_segment`], askama's own encoder, the one the templates use).
pub(crate) fn ticket_url(number: &str) -> String {
    format!("/portal/tickets/{}", crate::url::path_segment(number))
}
