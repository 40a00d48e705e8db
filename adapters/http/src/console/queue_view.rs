//! `/agent`: the queue view. Tickets of the queues the agent may read (the engine lists only those),
//! grouped by queue and state type with counts, sorted by age or priority, paged; and the agent's
//! locked and responsible tickets.

use super::layout::{enc, esc};
use super::session::AgentUser;
use super::{all_visible_tickets, fmt_age, queues_readable};
use crate::extract::ApiQuery;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Lock, StateType, Ticket};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Tickets per page.
pub const PAGE_SIZE: usize = 25;

/// The view's query parameters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ViewQuery {
    /// Only this queue (empty: all readable queues).
    pub queue: String,
    /// `open` (new and open, the default), `pending`, `closed` or `all`.
    pub state: String,
    /// `locked` or `responsible`: only the agent's tickets.
    pub mine: String,
    /// `age` (oldest first, the default) or `priority` (highest first).
    pub sort: String,
    /// Page, from 1.
    pub page: usize,
}

/// The state-type tabs.
const TABS: [(&str, &str); 4] = [("open", "Open"), ("pending", "Pending"), ("closed", "Closed"), ("all", "All")];

fn in_tab(tab: &str, t: StateType) -> bool {
    match tab {
        "pending" => matches!(t, StateType::PendingReminder | StateType::PendingAuto),
        "closed" => t == StateType::Closed,
        "all" => !matches!(t, StateType::Merged | StateType::Removed),
        _ => matches!(t, StateType::New | StateType::Open),
    }
}

fn tab_of(s: &str) -> &'static str {
    TABS.iter().map(|(k, _)| *k).find(|k| *k == s).unwrap_or("open")
}

fn link(queue: &str, state: &str, mine: &str, sort: &str, page: usize) -> String {
    format!(
        "/agent?queue={}&amp;state={}&amp;mine={}&amp;sort={}&amp;page={page}",
        enc(queue),
        enc(state),
        enc(mine),
        enc(sort)
    )
}

/// The queue view.
pub async fn show(State(st): State<AppState>, user: AgentUser, ApiQuery(q): ApiQuery<ViewQuery>) -> Response {
    let queues = match queues_readable(&st, &user).await {
        Ok(q) => q,
        Err(p) => return user.error(&p),
    };
    let tickets = match all_visible_tickets(&st, &user).await {
        Ok(t) => t,
        Err(p) => return user.error(&p),
    };
    let tab = tab_of(&q.state);
    let sort = if q.sort == "priority" { "priority" } else { "age" };
    let mine = match q.mine.as_str() {
        "locked" | "responsible" => q.mine.as_str(),
        _ => "",
    };
    let now = st.engine.now();

    let mut counts: BTreeMap<&str, [usize; 4]> = queues.iter().map(|q| (q.name.as_str(), [0; 4])).collect();
    let (mut locked, mut responsible) = (0, 0);
    for t in &tickets {
        let live = in_tab("all", t.state_type);
        if live && t.lock == Lock::Lock && t.owner.as_deref() == Some(user.login.as_str()) {
            locked += 1;
        }
        if live && t.responsible.as_deref() == Some(user.login.as_str()) {
            responsible += 1;
        }
        if let Some(c) = counts.get_mut(t.queue.as_str()) {
            for (i, (k, _)) in TABS.iter().enumerate() {
                if in_tab(k, t.state_type) {
                    c[i] += 1;
                }
            }
        }
    }

    let mut shown: Vec<&Ticket> = tickets
        .iter()
        .filter(|t| in_tab(tab, t.state_type))
        .filter(|t| q.queue.is_empty() || t.queue == q.queue)
        .filter(|t| match mine {
            "locked" => t.lock == Lock::Lock && t.owner.as_deref() == Some(user.login.as_str()),
            "responsible" => t.responsible.as_deref() == Some(user.login.as_str()),
            _ => true,
        })
        .collect();
    if sort == "priority" {
        shown.sort_by(|a, b| b.priority.level().cmp(&a.priority.level()).then(a.created_at.cmp(&b.created_at)));
    } else {
        shown.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
    }
    let total = shown.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = q.page.clamp(1, pages);

    let mut side = String::from("<nav class=\"card\" aria-label=\"Queues\"><h2>Queues</h2><ul>");
    let all_cls = if q.queue.is_empty() && mine.is_empty() { " aria-current=\"page\"" } else { "" };
    side.push_str(&format!("<li><a href=\"{}\"{all_cls}>All my queues</a></li>", link("", tab, "", sort, 1)));
    for (name, c) in &counts {
        let cur = if q.queue == *name && mine.is_empty() { " aria-current=\"page\"" } else { "" };
        let idx = TABS.iter().position(|(k, _)| *k == tab).unwrap_or(0);
        side.push_str(&format!(
            "<li><a href=\"{}\"{cur}>{}</a> <span class=\"meta\">({})</span></li>",
            link(name, tab, "", sort, 1),
            esc(name),
            c[idx]
        ));
    }
    side.push_str(&format!(
        "</ul><h2>Mine</h2><ul><li><a href=\"{}\">My locked tickets</a> <span class=\"meta\" id=\"count-locked\">({locked})</span></li>\
         <li><a href=\"{}\">My responsible tickets</a> <span class=\"meta\" id=\"count-responsible\">({responsible})</span></li></ul></nav>",
        link("", "all", "locked", sort, 1),
        link("", "all", "responsible", sort, 1),
    ));

    let heading = match mine {
        "locked" => "My locked tickets".to_string(),
        "responsible" => "My responsible tickets".to_string(),
        _ if q.queue.is_empty() => "All my queues".to_string(),
        _ => format!("Queue {}", q.queue),
    };
    let mut tabs = String::from("<nav class=\"tabs\" aria-label=\"State\">");
    for (i, (k, label)) in TABS.iter().enumerate() {
        let n = if q.queue.is_empty() {
            counts.values().map(|c| c[i]).sum::<usize>()
        } else {
            counts.get(q.queue.as_str()).map(|c| c[i]).unwrap_or(0)
        };
        let cur = if *k == tab { " aria-current=\"page\"" } else { "" };
        tabs.push_str(&format!("<a href=\"{}\"{cur}>{label} ({n})</a>", link(&q.queue, k, mine, sort, 1)));
    }
    tabs.push_str("</nav>");
    let other_sort = if sort == "age" { ("priority", "Sort by priority") } else { ("age", "Sort by age") };
    let sort_link = format!(
        "<p>Sorted by {sort}. <a href=\"{}\">{}</a></p>",
        link(&q.queue, tab, mine, other_sort.0, 1),
        other_sort.1
    );

    let mut rows = String::new();
    for t in shown.iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE) {
        let lock = if t.lock == Lock::Lock { " (locked)" } else { "" };
        rows.push_str(&format!(
            "<tr><td data-label=\"Number\"><a href=\"/agent/tickets/{n}\">{ne}</a></td><td data-label=\"Title\">{title}</td>\
             <td data-label=\"Customer\">{cu}</td><td data-label=\"Queue\">{queue}</td><td data-label=\"State\">{state}</td>\
             <td data-label=\"Priority\">{prio}</td><td data-label=\"Owner\">{owner}{lock}</td><td data-label=\"Age\">{age}</td></tr>",
            n = enc(&t.number),
            ne = esc(&t.number),
            title = esc(&t.title),
            cu = esc(t.customer_user.as_deref().unwrap_or("")),
            queue = esc(&t.queue),
            state = esc(&t.state),
            prio = esc(t.priority.name()),
            owner = esc(t.owner.as_deref().unwrap_or("")),
            age = fmt_age(now.as_millis() - t.created_at.as_millis()),
        ));
    }
    let noun = if total == 1 { "ticket" } else { "tickets" };
    let table = if total == 0 {
        "<p class=\"card\">No tickets here.</p>".to_string()
    } else {
        format!(
            "<table><caption class=\"meta\">{total} {noun}, page {page} of {pages}</caption><thead><tr><th>Number</th><th>Title</th><th>Customer</th>\
             <th>Queue</th><th>State</th><th>Priority</th><th>Owner</th><th>Age</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let mut pager = String::from("<p class=\"pager\">");
    if page > 1 {
        pager.push_str(&format!(
            "<a href=\"{}\" rel=\"prev\">Previous page</a>",
            link(&q.queue, tab, mine, sort, page - 1)
        ));
    }
    if page < pages {
        pager
            .push_str(&format!("<a href=\"{}\" rel=\"next\">Next page</a>", link(&q.queue, tab, mine, sort, page + 1)));
    }
    pager.push_str("</p>");
    let body = format!(
        "<div class=\"cols\"><aside>{side}</aside><section><h1>{}</h1>{tabs}{sort_link}{table}{pager}</section></div>",
        esc(&heading)
    );
    user.page(StatusCode::OK, "Queue view", &body)
}
