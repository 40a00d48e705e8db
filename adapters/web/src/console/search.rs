//! `/agent/search`: tickets by number, text (title and articles), customer user, customer, state and
//! queue. Every lookup is the engine's, which returns only what the agent may see.

use super::frame;
use super::session::{AgentUser, see_other};
use crate::page::{Frame, render};
use crate::url::path_segment;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Ticket, TicketFilter};
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::extract::ApiQuery;
use serde::Deserialize;

/// Most results shown.
const LIMIT: usize = 200;

/// The search's query parameters; empty ones do not filter.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    /// Ticket number: opens the ticket.
    pub number: String,
    /// Words in the title or the articles.
    pub q: String,
    /// Customer user login.
    pub customer_user: String,
    /// Customer ID.
    pub customer: String,
    /// State name.
    pub state: String,
    /// Queue name.
    pub queue: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl SearchQuery {
    fn filter(&self) -> TicketFilter {
        TicketFilter {
            queue: opt(&self.queue),
            state: opt(&self.state),
            customer_user: opt(&self.customer_user),
            customer_id: opt(&self.customer),
            ..Default::default()
        }
    }
}

async fn find(st: &AppState, user: &AgentUser, q: &SearchQuery) -> Result<Option<Vec<Ticket>>, Problem> {
    let filter = q.filter();
    if let Some(text) = opt(&q.q) {
        let hits = st.engine.search_tickets(&user.actor(), &text, LIMIT).await?;
        return Ok(Some(hits.into_iter().filter(|t| filter.matches(t)).collect()));
    }
    if filter == TicketFilter::default() {
        return Ok(None);
    }
    Ok(Some(st.engine.list_tickets(&user.actor(), &filter, None, LIMIT).await?.items))
}

/// The search page.
#[derive(Template)]
#[template(path = "console/search.html")]
struct SearchPage<'a> {
    frame: Frame,
    /// The query, shown again in the form.
    q: &'a SearchQuery,
    /// A ticket number asked for that the agent may not see (or that does not exist).
    not_found: Option<String>,
    /// The results; `None` when nothing was asked.
    found: Option<Vec<Ticket>>,
}

/// The search form and its results; a number opens the ticket.
pub async fn show(State(st): State<AppState>, user: AgentUser, ApiQuery(q): ApiQuery<SearchQuery>) -> Response {
    let mut not_found = None;
    if let Some(number) = opt(&q.number) {
        match st.engine.ticket(&user.actor(), &number).await {
            Ok(v) => return see_other(&format!("/agent/tickets/{}", path_segment(&v.ticket.number))),
            Err(chamado::Error::NotFound(_)) => not_found = Some(number),
            Err(e) => return user.error(&e.into()),
        }
    }
    let found = match find(&st, &user, &q).await {
        Ok(f) => f,
        Err(p) => return user.error(&p),
    };
    render(StatusCode::OK, &SearchPage { frame: frame::of(&user, "/agent/search"), q: &q, not_found, found })
}
