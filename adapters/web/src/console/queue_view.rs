//! `/agent`: the queue view. The queues the agent may read with exact ticket counts per state type
//! (the engine's [`chamado::Engine::queue_overview`], answered from the store's index counts, so they
//! stay exact and cheap at millions of tickets), and the agent's locked and responsible tickets.
//!
//! The working tabs (open, pending) and the agent's own tickets are sorted by age, priority or the
//! working time left on their escalation clocks: the view gathers up to [`SORT_LIMIT`] of them and says
//! so when there are more. The closed and all tabs, which grow without bound, list newest change first
//! straight from the store's index, a page at a time.
//!
//! Every row shows the working time left on the ticket's clock closest to its due time (the engine's
//! [`chamado::EscalationView::least_left_minutes`]); the "escalated" and "at risk" links list only the
//! tickets the engine's escalation indexes hold.

use super::age::Age;
use super::frame;
use super::session::AgentUser;
use super::time_left::TimeLeft;
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
    /// `age` (oldest first, the default), `priority` (highest first) or `left` (least working time left
    /// first); sorted tabs only.
    pub sort: String,
    /// `escalated` or `at_risk`: only the tickets the engine's escalation indexes hold.
    pub flag: String,
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

/// The sorts of the sorted tabs, in the order the sort line offers them.
const SORTS: [&str; 3] = ["age", "priority", "left"];

/// The escalation filters, in the order the side list offers them.
const FLAGS: [&str; 2] = ["escalated", "at_risk"];

/// Where a view is: the queue, tab, "mine" filter, escalation filter and sort its links keep.
#[derive(Debug, Clone, Copy)]
struct Place<'a> {
    queue: &'a str,
    tab: &'static str,
    mine: &'static str,
    flag: &'static str,
    sort: &'static str,
}

impl Place<'_> {
    /// The view's URL for this place and `page`.
    fn link(&self, page: usize) -> String {
        format!(
            "/agent?queue={}&state={}&mine={}&flag={}&sort={}&page={page}",
            path_segment(self.queue),
            path_segment(self.tab),
            path_segment(self.mine),
            path_segment(self.flag),
            path_segment(self.sort)
        )
    }
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

/// An escalation filter link of the side list.
struct Flag {
    /// `escalated` or `at_risk`.
    key: &'static str,
    href: String,
    current: bool,
}

/// The sort line of sorted tabs: the sort in force and links to the others.
struct Sorting {
    sort: &'static str,
    others: Vec<(String, &'static str)>,
    /// The "time left" column's heading link (to sort by it).
    left_href: String,
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
    /// The working time left on the clock closest to its due time; `None`: no clock counts.
    left: Option<TimeLeft>,
}

/// The queue view page.
#[derive(Template)]
#[template(path = "console/queue_view.html")]
struct QueueViewPage {
    frame: Frame,
    /// `locked`, `responsible` or empty.
    mine: &'static str,
    /// `escalated`, `at_risk` or empty.
    flag: &'static str,
    /// The view without its escalation filter.
    unflagged_href: String,
    /// The queue shown, empty for all.
    queue: String,
    all_href: String,
    all_current: bool,
    side: Vec<SideQueue>,
    locked_href: String,
    locked: u64,
    responsible_href: String,
    responsible: u64,
    flags: Vec<Flag>,
    tabs: Vec<Tab>,
    /// On sorted tabs.
    sorting: Option<Sorting>,
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
    let sort = SORTS.iter().copied().find(|s| *s == q.sort).unwrap_or("age");
    let mine = match q.mine.as_str() {
        "locked" => "locked",
        "responsible" => "responsible",
        _ => "",
    };
    let flag = FLAGS.iter().copied().find(|f| *f == q.flag).unwrap_or("");
    let place = Place { queue: &q.queue, tab, mine, flag, sort };
    let filter = TicketFilter {
        queue: (!q.queue.is_empty()).then(|| q.queue.clone()),
        state_types: tab_types(tab).to_vec(),
        locked_by: (mine == "locked").then(|| user.login.clone()),
        responsible: (mine == "responsible").then(|| user.login.clone()),
        escalated: flag == "escalated",
        at_risk: flag == "at_risk",
        ..Default::default()
    };
    let sorted = !mine.is_empty() || matches!(tab, "open" | "pending");
    // The overview counts whole queues: a filtered view counts what it gathers.
    let total = if !mine.is_empty() || !flag.is_empty() {
        None
    } else if q.queue.is_empty() {
        Some(overview.total(tab_types(tab)))
    } else {
        Some(overview.queue(&q.queue).map_or(0, |c| c.of(tab_types(tab))))
    };
    let shown = if sorted {
        sorted_page(&st, &user, &filter, q.page, place, total).await
    } else {
        recent_page(&st, &user, &filter, &q.after, place, total.unwrap_or(0)).await
    };
    let shown = match shown {
        Ok(s) => s,
        Err(p) => return user.error(&p),
    };
    let mut lefts = Vec::with_capacity(shown.tickets.len());
    for t in &shown.tickets {
        match time_left(&st, t).await {
            Ok(left) => lefts.push(left),
            Err(p) => return user.error(&p),
        }
    }
    let page = view(&st, &user, &overview, place, sorted, shown, lefts);
    render(StatusCode::OK, &page)
}

/// The working time left on `t`'s clock closest to its due time, now.
async fn time_left(st: &AppState, t: &Ticket) -> Result<Option<TimeLeft>, Problem> {
    if t.escalation.is_idle() {
        return Ok(None);
    }
    Ok(TimeLeft::least(&st.engine.escalation_view(t, st.engine.now()).await?))
}

/// Orders tickets by the working time left on their clocks: running clocks first, most overdue first;
/// then paused ones by what they have left; tickets without a counting clock last; oldest first among
/// equals.
fn by_time_left(all: Vec<Ticket>, lefts: Vec<Option<TimeLeft>>) -> Vec<Ticket> {
    let mut keyed: Vec<(Option<TimeLeft>, Ticket)> = lefts.into_iter().zip(all).collect();
    keyed.sort_by(|(a, ta), (b, tb)| {
        let rank = |l: &Option<TimeLeft>| match l {
            Some(l) if !l.paused => (0, l.minutes),
            Some(l) => (1, l.minutes),
            None => (2, 0),
        };
        rank(a).cmp(&rank(b)).then(ta.created_at.cmp(&tb.created_at)).then(ta.id.cmp(&tb.id))
    });
    keyed.into_iter().map(|(_, t)| t).collect()
}

/// A sorted tab: gathers the tab's tickets (up to [`SORT_LIMIT`]), sorts them, pages by number.
async fn sorted_page(
    st: &AppState,
    user: &AgentUser,
    filter: &TicketFilter,
    page: usize,
    place: Place<'_>,
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
    match place.sort {
        "priority" => {
            all.sort_by(|a, b| b.priority.level().cmp(&a.priority.level()).then(a.created_at.cmp(&b.created_at)))
        }
        // Like the other sorts, the time left orders every gathered ticket (not only the page shown): each
        // costs the working-time arithmetic of its running clocks, a few calendar days' worth at most
        // for tickets that are not long overdue, and nothing for tickets without clocks.
        "left" => {
            let mut lefts = Vec::with_capacity(all.len());
            for t in &all {
                lefts.push(time_left(st, t).await?);
            }
            all = by_time_left(all, lefts);
        }
        _ => all.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id))),
    }
    let gathered = all.len();
    let total = total.unwrap_or(gathered as u64).max(gathered as u64);
    let pages = gathered.div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let cut = (more || total > gathered as u64).then_some((total, gathered));
    let pager = Pager {
        first: None,
        prev: (page > 1).then(|| place.link(page - 1)),
        next: (page < pages).then(|| place.link(page + 1)),
    };
    let tickets: Vec<Ticket> = all.into_iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).collect();
    Ok(Shown { tickets, caption: Caption::Sorted { total, page, pages }, pager, cut })
}

/// The closed and all tabs: a page of the store's index, newest change first, from the cursor.
async fn recent_page(
    st: &AppState,
    user: &AgentUser,
    filter: &TicketFilter,
    after: &str,
    place: Place<'_>,
    total: u64,
) -> Result<Shown, Problem> {
    let after = if after.is_empty() {
        None
    } else {
        Some(Cursor::decode(after).ok_or_else(|| {
            Problem::bad_request("malformed_query", "the page cursor is malformed")
                .with_message(chamado_i18n::Message::new("console-cursor-malformed"))
        })?)
    };
    let page = st.engine.list_tickets(&user.actor(), filter, after, PAGE_SIZE).await?;
    let first = place.link(1);
    let pager = Pager {
        first: after.is_some().then(|| first.clone()),
        prev: None,
        next: page.next.map(|next| format!("{first}&after={}", path_segment(&next.encode()))),
    };
    Ok(Shown { tickets: page.items, caption: Caption::Recent { total }, pager, cut: None })
}

/// The page's model: the side list, tabs, sort line and rows of `shown` (with `lefts`, one per ticket).
fn view(
    st: &AppState,
    user: &AgentUser,
    overview: &QueueOverview,
    place: Place<'_>,
    sorted: bool,
    shown: Shown,
    lefts: Vec<Option<TimeLeft>>,
) -> QueueViewPage {
    let now = st.engine.now();
    let Place { queue, tab, mine, flag, sort } = place;
    let side = overview
        .queues
        .iter()
        .map(|c| SideQueue {
            name: c.queue.clone(),
            href: Place { queue: &c.queue, mine: "", ..place }.link(1),
            count: c.of(tab_types(tab)),
            current: queue == c.queue && mine.is_empty(),
        })
        .collect();
    let tabs = TABS
        .iter()
        .map(|&key| Tab {
            key,
            href: Place { tab: key, ..place }.link(1),
            count: if queue.is_empty() {
                overview.total(tab_types(key))
            } else {
                overview.queue(queue).map_or(0, |c| c.of(tab_types(key)))
            },
            current: key == tab,
        })
        .collect();
    let flags = FLAGS
        .iter()
        .map(|&key| Flag { key, href: Place { mine: "", flag: key, ..place }.link(1), current: key == flag })
        .collect();
    let sorting = sorted.then(|| Sorting {
        sort,
        others: SORTS
            .iter()
            .filter(|s| **s != sort)
            .map(|&other| (Place { sort: other, ..place }.link(1), other))
            .collect(),
        left_href: Place { sort: "left", ..place }.link(1),
    });
    let rows = shown
        .tickets
        .into_iter()
        .zip(lefts)
        .map(|(t, left)| Row {
            age: Age::of(now.as_millis() - t.created_at.as_millis()),
            locked: t.lock == Lock::Lock,
            priority: t.priority.name(),
            customer_user: t.customer_user.unwrap_or_default(),
            owner: t.owner.unwrap_or_default(),
            number: t.number,
            title: t.title,
            queue: t.queue,
            state: t.state,
            left,
        })
        .collect();
    let home = Place { queue: "", tab, mine: "", flag: "", sort };
    QueueViewPage {
        frame: frame::of(user, "/agent"),
        mine,
        flag,
        unflagged_href: Place { flag: "", ..place }.link(1),
        queue: queue.to_string(),
        all_href: Place { flag, ..home }.link(1),
        all_current: queue.is_empty() && mine.is_empty(),
        side,
        locked_href: Place { tab: "all", mine: "locked", ..home }.link(1),
        locked: overview.locked,
        responsible_href: Place { tab: "all", mine: "responsible", ..home }.link(1),
        responsible: overview.responsible,
        flags,
        tabs,
        sorting,
        rows,
        caption: shown.caption,
        pager: shown.pager,
        cut: shown.cut,
    }
}
