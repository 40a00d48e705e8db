//! `/agent`: the queue view. The queues the agent may read with exact ticket counts per state type
//! (the engine's [`chamado::Engine::queue_overview`], answered from the store's index counts, so they
//! stay exact and cheap at millions of tickets), and the agent's locked and responsible tickets.
//!
//! The working tabs (open, pending) and the agent's own tickets are sorted by age or priority: the
//! view gathers up to [`SORT_LIMIT`] of them and says so when there are more. The closed and all tabs,
//! which grow without bound, list newest change first straight from the store's index, a page at a
//! time.

use super::fmt_age;
use super::layout::{enc, esc};
use super::session::AgentUser;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{COUNTED_STATE_TYPES, Cursor, Lock, MAX_PAGE, QueueOverview, StateType, Ticket, TicketFilter};
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::extract::ApiQuery;
use serde::Deserialize;

/// Tickets per page.
pub const PAGE_SIZE: usize = 25;

/// Most tickets a sorted tab gathers and sorts (the most recently changed ones when there are more).
pub const SORT_LIMIT: usize = 10_000;

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
    /// `age` (oldest first, the default) or `priority` (highest first); sorted tabs only.
    pub sort: String,
    /// Page, from 1 (sorted tabs).
    pub page: usize,
    /// Where the page starts (closed and all tabs): the cursor of the previous page's last ticket.
    pub after: String,
}

/// The state-type tabs.
const TABS: [(&str, &str); 4] = [("open", "Open"), ("pending", "Pending"), ("closed", "Closed"), ("all", "All")];

/// The state types a tab lists.
fn tab_types(tab: &str) -> &'static [StateType] {
    match tab {
        "pending" => &[StateType::PendingReminder, StateType::PendingAuto],
        "closed" => &[StateType::Closed],
        "all" => &COUNTED_STATE_TYPES,
        _ => &[StateType::New, StateType::Open],
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

/// One page of the view: its tickets, the total they are part of, and the pager's links.
struct Shown {
    tickets: Vec<Ticket>,
    caption: String,
    pager: String,
    notice: String,
}

/// The queue view.
pub async fn show(State(st): State<AppState>, user: AgentUser, ApiQuery(q): ApiQuery<ViewQuery>) -> Response {
    let overview = match st.engine.queue_overview(&user.actor()).await {
        Ok(o) => o,
        Err(e) => return user.error(&Problem::from(e)),
    };
    let tab = tab_of(&q.state);
    let sort = if q.sort == "priority" { "priority" } else { "age" };
    let mine = match q.mine.as_str() {
        "locked" | "responsible" => q.mine.as_str(),
        _ => "",
    };
    let filter = TicketFilter {
        queue: (!q.queue.is_empty()).then(|| q.queue.clone()),
        state_types: tab_types(tab).to_vec(),
        locked_by: (mine == "locked").then(|| user.login.clone()),
        responsible: (mine == "responsible").then(|| user.login.clone()),
        ..Default::default()
    };
    let sorted = !mine.is_empty() || matches!(tab, "open" | "pending");
    let total = if !mine.is_empty() {
        None
    } else if q.queue.is_empty() {
        Some(overview.total(tab_types(tab)))
    } else {
        Some(overview.queue(&q.queue).map_or(0, |c| c.of(tab_types(tab))))
    };
    let shown = if sorted {
        sorted_page(&st, &user, &filter, &q, (tab, mine, sort), total).await
    } else {
        recent_page(&st, &user, &filter, &q, (tab, mine, sort), total.unwrap_or(0)).await
    };
    let shown = match shown {
        Ok(s) => s,
        Err(p) => return user.error(&p),
    };
    let body = render(&st, &overview, &q, (tab, mine, sort, sorted), &shown);
    user.page(StatusCode::OK, "Queue view", &body)
}

/// A sorted tab: gathers the tab's tickets (up to [`SORT_LIMIT`]), sorts them, pages by number.
async fn sorted_page(
    st: &AppState,
    user: &AgentUser,
    filter: &TicketFilter,
    q: &ViewQuery,
    (tab, mine, sort): (&str, &str, &str),
    total: Option<u64>,
) -> Result<Shown, Problem> {
    let actor = user.actor();
    let mut all: Vec<Ticket> = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut more = false;
    loop {
        let page = st.engine.list_tickets(&actor, filter, cursor, MAX_PAGE).await?;
        all.extend(page.items);
        match page.next {
            Some(c) if all.len() < SORT_LIMIT => cursor = Some(c),
            Some(_) => {
                more = true;
                break;
            }
            None => break,
        }
    }
    all.truncate(SORT_LIMIT);
    if sort == "priority" {
        all.sort_by(|a, b| b.priority.level().cmp(&a.priority.level()).then(a.created_at.cmp(&b.created_at)));
    } else {
        all.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
    }
    let gathered = all.len();
    let total = total.unwrap_or(gathered as u64).max(gathered as u64);
    let pages = gathered.div_ceil(PAGE_SIZE).max(1);
    let page = q.page.clamp(1, pages);
    let notice = if more || total > gathered as u64 {
        format!(
            "<p class=\"notice\" role=\"status\">{total} tickets: the {gathered} most recently changed are sorted here. \
             Choose a queue to see fewer.</p>"
        )
    } else {
        String::new()
    };
    let mut pager = String::from("<p class=\"pager\">");
    if page > 1 {
        let prev = link(&q.queue, tab, mine, sort, page - 1);
        pager.push_str(&format!("<a href=\"{prev}\" rel=\"prev\">Previous page</a>"));
    }
    if page < pages {
        let next = link(&q.queue, tab, mine, sort, page + 1);
        pager.push_str(&format!("<a href=\"{next}\" rel=\"next\">Next page</a>"));
    }
    pager.push_str("</p>");
    let noun = if total == 1 { "ticket" } else { "tickets" };
    let tickets: Vec<Ticket> = all.into_iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).collect();
    Ok(Shown { tickets, caption: format!("{total} {noun}, page {page} of {pages}"), pager, notice })
}

/// The closed and all tabs: a page of the store's index, newest change first, from the cursor.
async fn recent_page(
    st: &AppState,
    user: &AgentUser,
    filter: &TicketFilter,
    q: &ViewQuery,
    (tab, mine, sort): (&str, &str, &str),
    total: u64,
) -> Result<Shown, Problem> {
    let after = if q.after.is_empty() {
        None
    } else {
        Some(
            Cursor::decode(&q.after)
                .ok_or_else(|| Problem::bad_request("malformed_query", "the page cursor is malformed"))?,
        )
    };
    let page = st.engine.list_tickets(&user.actor(), filter, after, PAGE_SIZE).await?;
    let mut pager = String::from("<p class=\"pager\">");
    if after.is_some() {
        let first = link(&q.queue, tab, mine, sort, 1);
        pager.push_str(&format!("<a href=\"{first}\" rel=\"first\">First page</a>"));
    }
    if let Some(next) = page.next {
        let href = format!("{}&amp;after={}", link(&q.queue, tab, mine, sort, 1), enc(&next.encode()));
        pager.push_str(&format!("<a href=\"{href}\" rel=\"next\">Next page</a>"));
    }
    pager.push_str("</p>");
    let noun = if total == 1 { "ticket" } else { "tickets" };
    Ok(Shown {
        tickets: page.items,
        caption: format!("{total} {noun}, newest change first"),
        pager,
        notice: String::new(),
    })
}

fn render(
    st: &AppState,
    overview: &QueueOverview,
    q: &ViewQuery,
    (tab, mine, sort, sorted): (&str, &str, &str, bool),
    shown: &Shown,
) -> String {
    let now = st.engine.now();
    let mut side = String::from("<nav class=\"card\" aria-label=\"Queues\"><h2>Queues</h2><ul>");
    let all_cls = if q.queue.is_empty() && mine.is_empty() { " aria-current=\"page\"" } else { "" };
    side.push_str(&format!("<li><a href=\"{}\"{all_cls}>All my queues</a></li>", link("", tab, "", sort, 1)));
    for c in &overview.queues {
        let cur = if q.queue == c.queue && mine.is_empty() { " aria-current=\"page\"" } else { "" };
        side.push_str(&format!(
            "<li><a href=\"{}\"{cur}>{}</a> <span class=\"meta\">({})</span></li>",
            link(&c.queue, tab, "", sort, 1),
            esc(&c.queue),
            c.of(tab_types(tab))
        ));
    }
    side.push_str(&format!(
        "</ul><h2>Mine</h2><ul><li><a href=\"{}\">My locked tickets</a> <span class=\"meta\" id=\"count-locked\">({})</span></li>\
         <li><a href=\"{}\">My responsible tickets</a> <span class=\"meta\" id=\"count-responsible\">({})</span></li></ul></nav>",
        link("", "all", "locked", sort, 1),
        overview.locked,
        link("", "all", "responsible", sort, 1),
        overview.responsible,
    ));

    let heading = match mine {
        "locked" => "My locked tickets".to_string(),
        "responsible" => "My responsible tickets".to_string(),
        _ if q.queue.is_empty() => "All my queues".to_string(),
        _ => format!("Queue {}", q.queue),
    };
    let mut tabs = String::from("<nav class=\"tabs\" aria-label=\"State\">");
    for (k, label) in TABS {
        let n = if q.queue.is_empty() {
            overview.total(tab_types(k))
        } else {
            overview.queue(&q.queue).map_or(0, |c| c.of(tab_types(k)))
        };
        let cur = if k == tab { " aria-current=\"page\"" } else { "" };
        tabs.push_str(&format!("<a href=\"{}\"{cur}>{label} ({n})</a>", link(&q.queue, k, mine, sort, 1)));
    }
    tabs.push_str("</nav>");
    let sort_line = if sorted {
        let other = if sort == "age" { ("priority", "Sort by priority") } else { ("age", "Sort by age") };
        format!("<p>Sorted by {sort}. <a href=\"{}\">{}</a></p>", link(&q.queue, tab, mine, other.0, 1), other.1)
    } else {
        "<p>Newest change first.</p>".to_string()
    };

    let mut rows = String::new();
    for t in &shown.tickets {
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
    let table = if shown.tickets.is_empty() {
        "<p class=\"card\">No tickets here.</p>".to_string()
    } else {
        format!(
            "<table><caption class=\"meta\">{}</caption><thead><tr><th>Number</th><th>Title</th><th>Customer</th>\
             <th>Queue</th><th>State</th><th>Priority</th><th>Owner</th><th>Age</th></tr></thead><tbody>{rows}</tbody></table>",
            shown.caption
        )
    };
    format!(
        "<div class=\"cols\"><aside>{side}</aside><section><h1>{}</h1>{tabs}{}{sort_line}{table}{}</section></div>",
        esc(&heading),
        shown.notice,
        shown.pager
    )
}
