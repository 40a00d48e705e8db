//! `/agent/tickets/{number}`: the ticket zoom. Articles (internal notes marked), history, the customer
//! user and customer with their other tickets, and the action forms the engine's resolver allows.
//! `POST /agent/tickets/{number}/{action}` performs one action through the engine.

use super::layout::{csrf_field, enc, esc, notice, options};
use super::session::{AgentUser, see_other};
use super::{all_queues, records};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{
    Lock, NewArticle, Permission, Priority, Record, RecordKind, StateType, Ticket, TicketFilter, TicketUpdate,
};
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::extract::{ApiQuery, PortalForm};
use serde::Deserialize;
use std::collections::HashMap;

/// The zoom's query: which action just succeeded.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ZoomQuery {
    done: String,
}

/// What the agent may do on a ticket, as the engine's resolver says.
struct Allowed {
    reply: bool,
    note: bool,
    state: bool,
    priority: bool,
    owner: bool,
    responsible: bool,
    merge: bool,
    move_into: Vec<String>,
}

fn allowed(user: &AgentUser, t: &Ticket, group: &str, queues: &[chamado::Queue]) -> Allowed {
    let may = |p| user.access.may(t, group, p);
    Allowed {
        reply: may(Permission::Rw),
        note: may(Permission::Note),
        state: may(Permission::Rw),
        priority: may(Permission::Priority),
        owner: may(Permission::Owner),
        responsible: may(Permission::Rw),
        merge: may(Permission::Rw),
        move_into: queues
            .iter()
            .filter(|q| q.valid && q.name != t.queue && user.access.has(&q.group, Permission::MoveInto))
            .map(|q| q.name.clone())
            .collect(),
    }
}

fn done_message(done: &str) -> Option<&'static str> {
    Some(match done {
        "reply" => "The reply was added.",
        "note" => "The note was added.",
        "state" => "The state was changed.",
        "priority" => "The priority was changed.",
        "queue" => "The ticket was moved.",
        "owner" => "The owner was changed.",
        "responsible" => "The responsible agent was changed.",
        "lock" => "The ticket was locked.",
        "unlock" => "The ticket was unlocked.",
        "merge" => "The ticket was merged.",
        "created" => "The ticket was created.",
        _ => return None,
    })
}

/// The ticket zoom.
pub async fn show(
    State(st): State<AppState>,
    user: AgentUser,
    Path(number): Path<String>,
    ApiQuery(q): ApiQuery<ZoomQuery>,
) -> Response {
    match render(&st, &user, &number, done_message(&q.done)).await {
        Ok(r) => r,
        Err(p) => user.error(&p),
    }
}

async fn render(st: &AppState, user: &AgentUser, number: &str, done: Option<&str>) -> Result<Response, Problem> {
    let actor = user.actor();
    let view = st.engine.ticket(&actor, number).await?;
    let history = st.engine.history(&actor, number).await?;
    let t = &view.ticket;
    let queue = st.engine.queue(&t.queue).await?;
    let queues = all_queues(st).await?;
    let can = allowed(user, t, &queue.group, &queues);
    let n = enc(&t.number);

    let mut out = format!(
        "<h1>Ticket {num}: {title}</h1>{done}<div class=\"cols zoom\"><aside><div class=\"card\"><dl>\
         <dt>State</dt><dd id=\"ticket-state\">{state}</dd><dt>Priority</dt><dd>{prio}</dd><dt>Queue</dt><dd>{queue}</dd>\
         <dt>Lock</dt><dd>{lock}</dd><dt>Owner</dt><dd>{owner}</dd><dt>Responsible</dt><dd>{resp}</dd>\
         <dt>Service</dt><dd>{service}</dd><dt>Channel</dt><dd>{channel}</dd><dt>Created</dt><dd>{created}</dd>{pending}</dl></div>",
        num = esc(&t.number),
        title = esc(&t.title),
        done = notice(done, false),
        state = esc(&t.state),
        prio = esc(t.priority.name()),
        queue = esc(&t.queue),
        lock = if t.lock == Lock::Lock { "locked" } else { "unlocked" },
        owner = esc(t.owner.as_deref().unwrap_or("-")),
        resp = esc(t.responsible.as_deref().unwrap_or("-")),
        service = esc(t.service.as_deref().unwrap_or("-")),
        channel = esc(t.channel.as_str()),
        created = esc(&t.created_at.to_string()),
        pending = t
            .pending_until
            .map(|p| format!("<dt>Pending until</dt><dd>{}</dd>", esc(&p.to_string())))
            .unwrap_or_default(),
    );

    // Customer user and customer, with their other tickets.
    if let Some(login) = &t.customer_user {
        out.push_str("<h2>Customer</h2><div class=\"card\"><dl>");
        match st.engine.customer_user(login).await? {
            Some(u) => out.push_str(&format!(
                "<dt>Customer user</dt><dd>{} ({})</dd><dt>Email</dt><dd>{}</dd><dt>Phone</dt><dd>{}</dd>",
                esc(&u.display_name()),
                esc(&u.login),
                esc(&u.email),
                esc(&u.phone)
            )),
            None => out.push_str(&format!("<dt>Customer user</dt><dd>{}</dd>", esc(login))),
        }
        if let Some(id) = &t.customer_id
            && let Some(c) = st.engine.customer(id).await?
        {
            out.push_str(&format!(
                "<dt>Customer</dt><dd>{} ({})</dd><dt>Address</dt><dd>{} {} {} {}</dd>",
                esc(&c.name),
                esc(&c.id),
                esc(&c.street),
                esc(&c.zip),
                esc(&c.city),
                esc(&c.country)
            ));
        }
        out.push_str("</dl>");
        let filter = TicketFilter { customer_user: Some(login.clone()), ..Default::default() };
        let others = st.engine.list_tickets(&actor, &filter, None, 20).await?;
        let items: Vec<String> = others
            .items
            .iter()
            .filter(|o| o.id != t.id)
            .map(|o| {
                format!(
                    "<li><a href=\"/agent/tickets/{}\">{}</a> {} <span class=\"meta\">({})</span></li>",
                    enc(&o.number),
                    esc(&o.number),
                    esc(&o.title),
                    esc(&o.state)
                )
            })
            .collect();
        if items.is_empty() {
            out.push_str("<p class=\"meta\">No other tickets of this customer user.</p>");
        } else {
            out.push_str(&format!("<h3>Other tickets of this customer user</h3><ul>{}</ul>", items.concat()));
        }
        if let Some(id) = &t.customer_id {
            let filter = TicketFilter { customer_id: Some(id.clone()), ..Default::default() };
            let company = st.engine.list_tickets(&actor, &filter, None, 20).await?;
            let items: Vec<String> = company
                .items
                .iter()
                .filter(|o| o.id != t.id && o.customer_user.as_deref() != Some(login.as_str()))
                .map(|o| {
                    format!(
                        "<li><a href=\"/agent/tickets/{}\">{}</a> {} <span class=\"meta\">({}, {})</span></li>",
                        enc(&o.number),
                        esc(&o.number),
                        esc(&o.title),
                        esc(o.customer_user.as_deref().unwrap_or("-")),
                        esc(&o.state)
                    )
                })
                .collect();
            if !items.is_empty() {
                out.push_str(&format!("<h3>Other tickets of this customer</h3><ul>{}</ul>", items.concat()));
            }
        }
        out.push_str("</div>");
    }

    // Actions.
    out.push_str("</aside><section>");
    let csrf = csrf_field(&user.csrf);
    let mut actions = String::new();
    if can.reply {
        actions.push_str(&format!(
            "<details class=\"card\" id=\"act-reply\"><summary>Reply</summary><form method=\"post\" action=\"/agent/tickets/{n}/reply\">{csrf}\
             <p class=\"meta\">Visible to the customer and sent on the ticket's reply channel (it came in by {}).</p>\
             <label for=\"reply-body\">Reply text</label><textarea id=\"reply-body\" name=\"body\" required></textarea>\
             <button type=\"submit\">Send reply</button></form></details>",
            esc(t.channel.as_str())
        ));
    }
    if can.note {
        actions.push_str(&format!(
            "<details class=\"card\" id=\"act-note\"><summary>Internal note</summary><form method=\"post\" action=\"/agent/tickets/{n}/note\">{csrf}\
             <label for=\"note-body\">Note text</label><textarea id=\"note-body\" name=\"body\" required></textarea>\
             <button type=\"submit\">Add note</button></form></details>"
        ));
    }
    if can.state {
        let states: Vec<(String, String)> = records(st, RecordKind::State)
            .await?
            .into_iter()
            .filter_map(|r| match r {
                Record::State(s) if s.valid && !matches!(s.state_type, StateType::Merged | StateType::Removed) => {
                    Some((s.name.clone(), format!("{} ({})", s.name, s.state_type.as_str())))
                }
                _ => None,
            })
            .collect();
        actions.push_str(&format!(
            "<details class=\"card\" id=\"act-state\"><summary>State</summary><form method=\"post\" action=\"/agent/tickets/{n}/state\">{csrf}\
             <label for=\"state\">New state</label><select id=\"state\" name=\"state\">{}</select>\
             <label for=\"pending_until\">Pending until (UTC, for pending states)</label>\
             <input id=\"pending_until\" name=\"pending_until\" type=\"datetime-local\">\
             <button type=\"submit\">Change state</button></form></details>",
            options(states.iter().map(|(a, b)| (a.as_str(), b.as_str())), &t.state)
        ));
    }
    if can.priority {
        let prios: Vec<(String, String)> =
            Priority::all().map(|p| (p.level().to_string(), p.name().to_string())).collect();
        actions.push_str(&format!(
            "<details class=\"card\" id=\"act-priority\"><summary>Priority</summary><form method=\"post\" action=\"/agent/tickets/{n}/priority\">{csrf}\
             <label for=\"priority\">New priority</label><select id=\"priority\" name=\"priority\">{}</select>\
             <button type=\"submit\">Change priority</button></form></details>",
            options(prios.iter().map(|(a, b)| (a.as_str(), b.as_str())), &t.priority.level().to_string())
        ));
    }
    if !can.move_into.is_empty() {
        actions.push_str(&format!(
            "<details class=\"card\" id=\"act-queue\"><summary>Move</summary><form method=\"post\" action=\"/agent/tickets/{n}/queue\">{csrf}\
             <label for=\"queue\">Into queue</label><select id=\"queue\" name=\"queue\">{}</select>\
             <button type=\"submit\">Move ticket</button></form></details>",
            options(can.move_into.iter().map(|q| (q.as_str(), q.as_str())), "")
        ));
    }
    if can.owner || can.responsible {
        let agents: Vec<String> = records(st, RecordKind::Agent)
            .await?
            .into_iter()
            .filter_map(|r| match r {
                Record::Agent(a) if a.valid => Some(a.login),
                _ => None,
            })
            .collect();
        let list = |sel: &str| {
            let mut o = String::from("<option value=\"\">(nobody)</option>");
            o.push_str(&options(agents.iter().map(|a| (a.as_str(), a.as_str())), sel));
            o
        };
        if can.owner {
            actions.push_str(&format!(
                "<details class=\"card\" id=\"act-owner\"><summary>Owner</summary><form method=\"post\" action=\"/agent/tickets/{n}/owner\">{csrf}\
                 <label for=\"owner\">New owner</label><select id=\"owner\" name=\"owner\">{}</select>\
                 <button type=\"submit\">Change owner</button></form></details>",
                list(t.owner.as_deref().unwrap_or(""))
            ));
            let (action, label) = if t.lock == Lock::Lock { ("unlock", "Unlock") } else { ("lock", "Lock") };
            actions.push_str(&format!(
                "<details class=\"card\" id=\"act-{action}\"><summary>Lock</summary><form method=\"post\" action=\"/agent/tickets/{n}/{action}\">{csrf}\
                 <button type=\"submit\">{label} ticket</button></form></details>"
            ));
        }
        if can.responsible {
            actions.push_str(&format!(
                "<details class=\"card\" id=\"act-responsible\"><summary>Responsible</summary><form method=\"post\" action=\"/agent/tickets/{n}/responsible\">{csrf}\
                 <label for=\"responsible\">New responsible agent</label><select id=\"responsible\" name=\"responsible\">{}</select>\
                 <button type=\"submit\">Change responsible</button></form></details>",
                list(t.responsible.as_deref().unwrap_or(""))
            ));
        }
    }
    if can.merge {
        actions.push_str(&format!(
            "<details class=\"card\" id=\"act-merge\"><summary>Merge</summary><form method=\"post\" action=\"/agent/tickets/{n}/merge\">{csrf}\
             <label for=\"into\">Merge into ticket number</label><input id=\"into\" name=\"into\" required inputmode=\"numeric\">\
             <button type=\"submit\">Merge</button></form></details>"
        ));
    }
    if actions.is_empty() {
        out.push_str("<p class=\"meta\" id=\"no-actions\">You may read this ticket but not change it.</p>");
    } else {
        out.push_str(&format!("<h2>Actions</h2><div class=\"actions\">{actions}</div>"));
    }

    // Articles.
    out.push_str(&format!("<h2>Articles ({})</h2>", view.articles.len()));
    for a in &view.articles {
        let (class, tag) = if a.visible_to_customer {
            ("card article", "")
        } else {
            ("card article internal", "<span class=\"tag\">internal</span> ")
        };
        // What was verified about a mail's sender; the words are the engine's (`SenderAuth::summary`).
        let verified = match &a.sender_auth {
            Some(v) if v.authenticated() => format!(" <span class=\"tag\">{}</span>", esc(&v.summary())),
            Some(v) => format!(" <span class=\"tag warning\">{}</span>", esc(&v.summary())),
            None => String::new(),
        };
        out.push_str(&format!(
            "<article class=\"{class}\"><p class=\"meta\">{tag}{sender} via {channel}, {from}, {at}{verified}</p>\
             <h3>{subject}</h3><p class=\"body\">{body}</p></article>",
            sender = esc(a.sender.as_str()),
            channel = esc(a.channel.as_str()),
            from = esc(&a.from),
            at = esc(&a.created_at.to_string()),
            subject = esc(&a.subject),
            body = esc(&a.body)
        ));
    }

    // History.
    out.push_str("<h2>History</h2><table><thead><tr><th>When</th><th>Who</th><th>What</th></tr></thead><tbody>");
    for h in &history {
        out.push_str(&format!(
            "<tr><td data-label=\"When\">{}</td><td data-label=\"Who\">{}</td><td data-label=\"What\">{}</td></tr>",
            esc(&h.at.to_string()),
            esc(&h.actor),
            esc(&h.message)
        ));
    }
    out.push_str("</tbody></table></section></div>");
    Ok(user.page(StatusCode::OK, &format!("Ticket {}", t.number), &out))
}

fn field<'a>(f: &'a HashMap<String, String>, name: &str) -> &'a str {
    f.get(name).map(String::as_str).unwrap_or("")
}

/// Parses a `datetime-local` value (`YYYY-MM-DDTHH:MM[:SS]`, taken as UTC) or RFC 3339.
fn parse_due(s: &str) -> Option<chamado::Timestamp> {
    let s = s.trim();
    match s.len() {
        16 => chamado_http::time::parse_rfc3339(&format!("{s}:00Z")),
        19 => chamado_http::time::parse_rfc3339(&format!("{s}Z")),
        _ => chamado_http::time::parse_rfc3339(s),
    }
}

/// Performs one action on a ticket; the engine checks the permission (403 when it says no).
pub async fn act(
    State(st): State<AppState>,
    user: AgentUser,
    Path((number, action)): Path<(String, String)>,
    PortalForm(f): PortalForm<HashMap<String, String>>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    match perform(&st, &user, &number, &action, &f).await {
        Ok(target) => see_other(&format!("/agent/tickets/{}?done={}", enc(&target), enc(&action))),
        Err(p) => user.error(&p),
    }
}

async fn perform(
    st: &AppState,
    user: &AgentUser,
    number: &str,
    action: &str,
    f: &HashMap<String, String>,
) -> Result<String, Problem> {
    let actor = user.actor();
    let u = match action {
        "reply" | "note" => {
            let body = field(f, "body").to_string();
            let a = if action == "note" { NewArticle::note(body) } else { NewArticle::reply(body) };
            st.engine.add_article(&actor, number, a).await?;
            return Ok(number.to_string());
        }
        "merge" => {
            let into = field(f, "into").trim().to_string();
            st.engine.merge(&actor, number, &into).await?;
            return Ok(into);
        }
        "state" => {
            let due = field(f, "pending_until");
            let pending_until = if due.trim().is_empty() {
                None
            } else {
                Some(parse_due(due).ok_or_else(|| Problem::validation("the pending time is not a date and time"))?)
            };
            TicketUpdate { state: Some(field(f, "state").to_string()), pending_until, ..Default::default() }
        }
        "priority" => {
            let level: u8 =
                field(f, "priority").parse().map_err(|_| Problem::validation("the priority must be 1 to 5"))?;
            TicketUpdate { priority: Some(Priority::new(level)?), ..Default::default() }
        }
        "queue" => TicketUpdate { queue: Some(field(f, "queue").to_string()), ..Default::default() },
        "owner" => TicketUpdate { owner: Some(field(f, "owner").to_string()), ..Default::default() },
        "responsible" => TicketUpdate { responsible: Some(field(f, "responsible").to_string()), ..Default::default() },
        "lock" => TicketUpdate { lock: Some(Lock::Lock), ..Default::default() },
        "unlock" => TicketUpdate { lock: Some(Lock::Unlock), ..Default::default() },
        _ => return Err(Problem::not_found(format!("there is no action {action:?}"))),
    };
    st.engine.update_ticket(&actor, number, u).await?;
    Ok(number.to_string())
}
