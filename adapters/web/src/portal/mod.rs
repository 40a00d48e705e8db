//! The customer portal: server-rendered HTML that works without JavaScript. Customer users log in,
//! see their own and their company's tickets, open tickets and reply. Every form carries a CSRF token,
//! every piece of user content is escaped, and every decision is the engine's.

mod html;
mod login;
mod session;
mod tickets;

use axum::Router;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use chamado_http::AppState;
use chamado_http::Problem;

pub use html::esc;

/// The portal routes, mounted at `/portal`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/portal/tickets") }))
        .route("/login", get(login::show).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/tickets", get(tickets::list))
        .route("/tickets/new", get(tickets::new_form).post(tickets::create))
        .route("/tickets/{number}", get(tickets::show))
        .route("/tickets/{number}/reply", post(tickets::reply))
}

/// An error as a page: the problem's title and detail, with its status.
pub(crate) fn error_page(site: &str, p: &Problem) -> Response {
    let body = p.body();
    let html = format!(
        "<h1>{}</h1><p class=\"notice error\" role=\"alert\">{}</p><p><a href=\"/portal/tickets\">Back to my tickets</a></p>",
        esc(&body.title),
        esc(&body.detail)
    );
    html::respond(p.status(), html::page(site, &body.title, None, &html))
}
