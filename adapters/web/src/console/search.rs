//! `/agent/search`: tickets by number, text (title and articles), customer user, customer, state and
//! queue. Every lookup is the engine's, which returns only what the agent may see.

use super::layout::{enc, esc};
use super::session::{AgentUser, see_other};
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

/// The search form and its results; a number opens the ticket.
pub async fn show(State(st): State<AppState>, user: AgentUser, ApiQuery(q): ApiQuery<SearchQuery>) -> Response {
    let mut message = String::new();
    if let Some(number) = opt(&q.number) {
        match st.engine.ticket(&user.actor(), &number).await {
            Ok(v) => return see_other(&format!("/agent/tickets/{}", enc(&v.ticket.number))),
            Err(chamado::Error::NotFound(_)) => {
                message = format!(
                    "<p class=\"notice error\" role=\"alert\">No ticket {} that you may see.</p>",
                    esc(&number)
                );
            }
            Err(e) => return user.error(&e.into()),
        }
    }
    let field = |id: &str, label: &str, v: &str| {
        format!("<div><label for=\"{id}\">{label}</label><input id=\"{id}\" name=\"{id}\" value=\"{}\"></div>", esc(v))
    };
    let mut out = format!(
        "<h1>Search tickets</h1>{message}<form class=\"card\" method=\"get\" action=\"/agent/search\" role=\"search\">\
         <div class=\"inline\">{}{}</div><div class=\"inline\">{}{}{}{}</div><button type=\"submit\">Search</button></form>",
        field("number", "Ticket number", &q.number),
        field("q", "Words in title or text", &q.q),
        field("customer_user", "Customer user", &q.customer_user),
        field("customer", "Customer ID", &q.customer),
        field("state", "State", &q.state),
        field("queue", "Queue", &q.queue),
    );
    let found = match find(&st, &user, &q).await {
        Ok(f) => f,
        Err(p) => return user.error(&p),
    };
    match found {
        None => {}
        Some(list) if list.is_empty() => out.push_str("<p class=\"card\">No tickets found.</p>"),
        Some(list) => {
            let rows: String = list
                .iter()
                .map(|t| {
                    format!(
                        "<tr><td data-label=\"Number\"><a href=\"/agent/tickets/{}\">{}</a></td><td data-label=\"Title\">{}</td>\
                         <td data-label=\"Customer user\">{}</td><td data-label=\"Customer\">{}</td><td data-label=\"Queue\">{}</td>\
                         <td data-label=\"State\">{}</td></tr>",
                        enc(&t.number),
                        esc(&t.number),
                        esc(&t.title),
                        esc(t.customer_user.as_deref().unwrap_or("")),
                        esc(t.customer_id.as_deref().unwrap_or("")),
                        esc(&t.queue),
                        esc(&t.state)
                    )
                })
                .collect();
            out.push_str(&format!(
                "<table><caption class=\"meta\">{} tickets</caption><thead><tr><th>Number</th><th>Title</th><th>Customer user</th>\
                 <th>Customer</th><th>Queue</th><th>State</th></tr></thead><tbody>{rows}</tbody></table>",
                list.len()
            ));
        }
    }
    user.page(StatusCode::OK, "Search", &out)
}
