//! `/agent`: the queue view. The queues the agent may read with exact ticket counts per state type
//! (the engine's [`chamado::Engine::queue_overview`], answered from the store's index counts, so they
//! stay exact and cheap at millions of tickets), and the agent's locked and responsible tickets.
//!
//! The working tabs (open, pending) and the agent's own tickets are sorted by age or priority: the
//! view gathers up to [`SORT_LIMIT`] of them and says so when there are more. The closed and all tabs,
//! which grow without bound, list newest change first straight from the store's index, a page at a
//! time.

use super::age::Age;
use super::frame;
use super::session::AgentUser;
use crate::page::{Frame, render};
use crate::url::path_segment;
use askama::Template;
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

/// The state-type tabs, in order (the template names them).
const TABS: [&str; 4] = ["open", "pending", "closed", "all"];

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
    TABS.iter().copied().find(|k| *k == s).unwrap_or("open")
}

/// The view's URL for a queue, tab, filter, sort and page.
fn link(queue: &str, state: &str, mine: &str, sort: &str, page: usize) -> String {
    format!(
        "/agent?queue={}&state={}&mine={}&sort={}&page={page}",
        path_segment(queue),
        path_segment(state),
        path_segment(mine),
        path_segment(sort)
    )
}

/// What the table's caption says.
enum Caption {
    /// A sorted tab: the total and the page shown.
    Sorted { total: u64, page: usize, pages: usize },
    /// The closed and all tabs: the total, newest change first.
    Recent { total: u64 },
}

/// The links to other pages of the view.
#[derive(Default)]
struct Pager {
    first: Option<String>,
    prev: Option<String>,
    next: Option<String>,
}

/// One page of the view: its tickets, the total they are part of, and the pager's links.
struct Shown {
    tickets: Vec<Ticket>,
    caption: Caption,
    pager: Pager,
    /// More tickets than a sorted tab gathers: `(total, gathered)`.
    cut: Option<(u64, usize)>,
}

/// A queue in the side list.
struct SideQueue {
    name: String,
    href: String,
    count: u64,
    current: bool,
}

/// A state-type tab.
struct Tab {
    key: &'static str,
    href: String,
    count: u64,
    current: bool,
}

/// A row of the ticket table.
struct Row {
    number: String,
    title: String,
    customer_user: String,
    queue: String,
    state: String,
    priority: &'static str,
    owner: String,
    locked: bool,
    age: Age,
}

/// The queue view page.
#[derive(Template)]
#[template(path = "console/queue_view.html")]
struct QueueViewPage {
    frame: Frame,
    /// `locked`, `responsible` or empty.
    mine: &'static str,
    /// The queue shown, empty for all.
    queue: String,
    all_href: String,
    all_current: bool,
    side: Vec<SideQueue>,
    locked_href: String,
    locked: u64,
    responsible_href: String,
    responsible: u64,
    tabs: Vec<Tab>,
    /// `Some((sort, href of the other sort, the other sort))` on sorted tabs.
    sorting: Option<(&'static str, String, &'static str)>,
    rows: Vec<Row>,
    caption: Caption,
    pager: Pager,
    cut: Option<(u64, usize)>,
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
        "locked" => "locked",
        "responsible" => "responsible",
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
    let page = view(&st, &user, &overview, &q, (tab, mine, sort, sorted), shown);
    render(StatusCode::OK, &page)
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
    let cut = (more || total > gathered as u64).then_some((total, gathered));
    let pager = Pager {
        first: None,
        prev: (page > 1).then(|| link(&q.queue, tab, mine, sort, page - 1)),
        next: (page < pages).then(|| link(&q.queue, tab, mine, sort, page + 1)),
    };
    let tickets: Vec<Ticket> = all.into_iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).collect();
    Ok(Shown { tickets, caption: Caption::Sorted { total, page, pages }, pager, cut })
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
        Some(Cursor::decode(&q.after).ok_or_else(|| {
            Problem::bad_request("malformed_query", "the page cursor is malformed")
                .with_message(chamado_i18n::Message::new("console-cursor-malformed"))
        })?)
    };
    let page = st.engine.list_tickets(&user.actor(), filter, after, PAGE_SIZE).await?;
    let first = link(&q.queue, tab, mine, sort, 1);
    let pager = Pager {
        first: after.is_some().then(|| first.clone()),
        prev: None,
        next: page.next.map(|next| format!("{first}&after={}", path_segment(&next.encode()))),
    };
    Ok(Shown { tickets: page.items, caption: Caption::Recent { total }, pager, cut: None })
}

/// The page's model: the side list, tabs, sort line and rows of `shown`.
fn view(
    st: &AppState,
    user: &AgentUser,
    overview: &QueueOverview,
    q: &ViewQuery,
    (tab, mine, sort, sorted): (&str, &'static str, &'static str, bool),
    shown: Shown,
) -> QueueViewPage {
    let now = st.engine.now();
    let side = overview
        .queues
        .iter()
        .map(|c| SideQueue {
            name: c.queue.clone(),
            href: link(&c.queue, tab, "", sort, 1),
            count: c.of(tab_types(tab)),
            current: q.queue == c.queue && mine.is_empty(),
        })
        .collect();
    let tabs = TABS
        .iter()
        .map(|&key| Tab {
            key,
            href: link(&q.queue, key, mine, sort, 1),
            count: if q.queue.is_empty() {
                overview.total(tab_types(key))
            } else {
                overview.queue(&q.queue).map_or(0, |c| c.of(tab_types(key)))
            },
            current: key == tab,
        })
        .collect();
    let sorting = sorted.then(|| {
        let other = if sort == "age" { "priority" } else { "age" };
        (sort, link(&q.queue, tab, mine, other, 1), other)
    });
    let rows = shown
        .tickets
        .into_iter()
        .map(|t| Row {
            age: Age::of(now.as_millis() - t.created_at.as_millis()),
            locked: t.lock == Lock::Lock,
            priority: t.priority.name(),
            customer_user: t.customer_user.unwrap_or_default(),
            owner: t.owner.unwrap_or_default(),
            number: t.number,
            title: t.title,
            queue: t.queue,
            state: t.state,
        })
        .collect();
    QueueViewPage {
        frame: frame::of(user, "/agent"),
        mine,
        queue: q.queue.clone(),
        all_href: link("", tab, "", sort, 1),
        all_current: q.queue.is_empty() && mine.is_empty(),
        side,
        locked_href: link("", "all", "locked", sort, 1),
        locked: overview.locked,
        responsible_href: link("", "all", "responsible", sort, 1),
        responsible: overview.responsible,
        tabs,
        sorting,
        rows,
        caption: shown.caption,
        pager: shown.pager,
        cut: shown.cut,
    }
}
