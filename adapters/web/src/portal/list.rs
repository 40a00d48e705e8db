//! `/portal/tickets`: the customer user's tickets and their company's, newest change first, paged.

use super::frame::{Section, error, signed_in};
use super::session::PortalUser;
use crate::page::{Frame, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Actor, Cursor, Ticket, TicketFilter};
use chamado_http::AppState;
use chamado_http::extract::ApiQuery;
use serde::Deserialize;

/// Tickets per page.
const PAGE: usize = 25;

/// A row of the list.
pub struct Row {
    /// The ticket.
    pub ticket: Ticket,
    /// Another customer user's ticket of the same company.
    pub company: bool,
}

/// The ticket list.
#[derive(Template)]
#[template(path = "portal/list.html")]
pub struct ListPage {
    /// The frame.
    pub frame: Frame,
    /// The rows.
    pub rows: Vec<Row>,
    /// The cursor of the next page, when there is one.
    pub more: Option<String>,
}

/// Paging of the list.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    cursor: Option<String>,
}

/// My tickets and my company's: number, title, state, last change.
pub async fn list(State(st): State<AppState>, user: PortalUser, ApiQuery(q): ApiQuery<ListParams>) -> Response {
    let actor = Actor::customer(&user.login);
    let cursor = q.cursor.as_deref().and_then(Cursor::decode);
    let page = match st.engine.list_tickets(&actor, &TicketFilter::default(), cursor, PAGE).await {
        Ok(p) => p,
        Err(e) => return error(&user, &e.into()),
    };
    let full = page.items.len() == PAGE;
    let more = page.next.filter(|_| full).map(|c| c.encode());
    let rows = page
        .items
        .into_iter()
        .map(|ticket| {
            let company = ticket.customer_user.as_deref() != Some(user.login.as_str());
            Row { ticket, company }
        })
        .collect();
    render(StatusCode::OK, &ListPage { frame: signed_in(&user, Section::Tickets), rows, more })
}
