//! `/portal/tickets`: the list, a ticket with its reply form, and the new-ticket form.

use super::html::{Nav, esc, page, respond, url_segment};
use super::session::{PortalUser, forged, see_other};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Actor, Cursor, NewArticle, NewTicket, TicketFilter};
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::extract::{ApiQuery, PortalForm};
use chamado_http::random::secret;
use serde::Deserialize;

const PAGE: usize = 25;

fn nav(user: &PortalUser) -> Option<Nav<'_>> {
    Some(Nav { login: &user.login, csrf: &user.csrf })
}

fn notice(message: Option<&str>) -> String {
    message.map(|m| format!("<p class=\"notice error\" role=\"alert\">{}</p>", esc(m))).unwrap_or_default()
}

/// A fresh idempotency key for a form, so a double submit does not open two tickets.
fn form_key() -> String {
    secret("portal-").unwrap_or_default()
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
    let page_ = match st.engine.list_tickets(&actor, &TicketFilter::default(), cursor, PAGE).await {
        Ok(p) => p,
        Err(e) => return super::error_page(&user.site, &e.into()),
    };
    let mut rows = String::new();
    for t in &page_.items {
        let mine = if t.customer_user.as_deref() == Some(user.login.as_str()) {
            ""
        } else {
            " <span class=\"meta\">(company)</span>"
        };
        rows.push_str(&format!(
            "<tr><td data-label=\"Number\"><a href=\"/portal/tickets/{href}\">{number}</a></td><td data-label=\"Title\">{title}{mine}</td>\
             <td data-label=\"State\">{state}</td><td data-label=\"Last change\">{changed}</td></tr>",
            href = url_segment(&t.number),
            number = esc(&t.number),
            title = esc(&t.title),
            state = esc(&t.state),
            changed = esc(&t.changed_at.to_string()),
        ));
    }
    let table = if page_.items.is_empty() {
        "<p class=\"card\">No tickets yet. <a href=\"/portal/tickets/new\">Open one</a>.</p>".to_string()
    } else {
        format!(
            "<table><thead><tr><th scope=\"col\">Number</th><th scope=\"col\">Title</th><th scope=\"col\">State</th>\
             <th scope=\"col\">Last change</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let more = match (page_.next, page_.items.len() == PAGE) {
        (Some(c), true) => {
            format!("<p><a class=\"button\" href=\"/portal/tickets?cursor={}\">More tickets</a></p>", esc(&c.encode()))
        }
        _ => String::new(),
    };
    let body = format!(
        "<h1>My tickets</h1><p><a class=\"button\" href=\"/portal/tickets/new\">New ticket</a></p>{table}{more}"
    );
    respond(StatusCode::OK, page(&user.site, "My tickets", nav(&user), &body))
}

/// One ticket: its customer-visible articles and the reply form.
pub async fn show(State(st): State<AppState>, user: PortalUser, Path(number): Path<String>) -> Response {
    render_ticket(&st, &user, &number, StatusCode::OK, None).await
}

async fn render_ticket(
    st: &AppState,
    user: &PortalUser,
    number: &str,
    status: StatusCode,
    message: Option<&str>,
) -> Response {
    let view = match st.engine.ticket(&Actor::customer(&user.login), number).await {
        Ok(v) => v,
        Err(e) => return super::error_page(&user.site, &e.into()),
    };
    let t = &view.ticket;
    let mut articles = String::new();
    for a in &view.articles {
        articles.push_str(&format!(
            "<article class=\"card\"><div class=\"meta\">{from} &middot; {at}</div><h2>{subject}</h2><p class=\"body\">{body}</p></article>",
            from = esc(&a.from),
            at = esc(&a.created_at.to_string()),
            subject = esc(&a.subject),
            body = esc(&a.body),
        ));
    }
    let body = format!(
        "<h1>Ticket {number}: {title}</h1>{notice}\
         <div class=\"card\"><dl><dt>State</dt><dd>{state}</dd><dt>Queue</dt><dd>{queue}</dd>\
         <dt>Opened</dt><dd>{created}</dd><dt>Last change</dt><dd>{changed}</dd></dl></div>\
         {articles}\
         <form class=\"card\" method=\"post\" action=\"/portal/tickets/{href}/reply\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"key\" value=\"{key}\">\
         <label for=\"body\">Your reply</label><textarea id=\"body\" name=\"body\" required></textarea>\
         <button type=\"submit\">Send reply</button></form>",
        number = esc(&t.number),
        title = esc(&t.title),
        notice = notice(message),
        state = esc(&t.state),
        queue = esc(&t.queue),
        created = esc(&t.created_at.to_string()),
        changed = esc(&t.changed_at.to_string()),
        href = url_segment(&t.number),
        csrf = esc(&user.csrf),
        key = esc(&form_key()),
    );
    respond(status, page(&user.site, &format!("Ticket {}", t.number), nav(user), &body))
}

/// The reply form's fields.
#[derive(Debug, Deserialize)]
pub struct ReplyForm {
    body: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
}

/// Adds the customer's reply; a refusal (closed ticket of a `reject` queue, read-only access) is shown
/// on the ticket page with the reason.
pub async fn reply(
    State(st): State<AppState>,
    user: PortalUser,
    Path(number): Path<String>,
    PortalForm(f): PortalForm<ReplyForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return forged(&user.site);
    }
    let mut new = NewArticle::reply(f.body);
    new.idempotency_key = Some(f.key).filter(|k| !k.is_empty() && k.len() <= 200);
    match st.engine.add_article(&Actor::customer(&user.login), &number, new).await {
        Ok(out) => see_other(&format!("/portal/tickets/{}", url_segment(&out.ticket.number))),
        Err(e) => {
            let p = Problem::from(e);
            if p.status() == StatusCode::NOT_FOUND {
                return super::error_page(&user.site, &p);
            }
            let message = match p.code() {
                "rejected" => format!("Your reply was not accepted: {}", p.detail()),
                "forbidden" => format!("You cannot reply to this ticket: {}", p.detail()),
                _ => p.detail().to_string(),
            };
            render_ticket(&st, &user, &number, p.status(), Some(&message)).await
        }
    }
}

/// What the new-ticket form was filled with.
#[derive(Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    queue: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
}

/// The new-ticket form: only the queues and services this customer user may use.
pub async fn new_form(State(st): State<AppState>, user: PortalUser) -> Response {
    render_new(&st, &user, &NewForm::default(), StatusCode::OK, None).await
}

async fn render_new(
    st: &AppState,
    user: &PortalUser,
    f: &NewForm,
    status: StatusCode,
    message: Option<&str>,
) -> Response {
    let actor = Actor::customer(&user.login);
    let queues = match st.engine.queues_for_new_tickets(&actor).await {
        Ok(q) => q,
        Err(e) => return super::error_page(&user.site, &e.into()),
    };
    let services = match st.engine.customer_access(&user.login).await {
        Ok(a) => a.services().iter().cloned().collect::<Vec<_>>(),
        Err(e) => return super::error_page(&user.site, &e.into()),
    };
    if queues.is_empty() {
        let body = "<h1>New ticket</h1><p class=\"notice\">You may not open tickets here yet. Please contact the help desk.</p>";
        return respond(StatusCode::OK, page(&user.site, "New ticket", nav(user), body));
    }
    let selected = |a: &str, b: &str| if a == b { " selected" } else { "" };
    let queue_opts: String = queues
        .iter()
        .map(|q| format!("<option value=\"{v}\"{s}>{v}</option>", v = esc(&q.name), s = selected(&q.name, &f.queue)))
        .collect();
    let service_field = if services.is_empty() {
        String::new()
    } else {
        let opts: String = services
            .iter()
            .map(|s| format!("<option value=\"{v}\"{sel}>{v}</option>", v = esc(s), sel = selected(s, &f.service)))
            .collect();
        format!(
            "<label for=\"service\">Service</label><select id=\"service\" name=\"service\"><option value=\"\">(none)</option>{opts}</select>"
        )
    };
    let key = if f.key.is_empty() { form_key() } else { f.key.clone() };
    let body = format!(
        "<h1>New ticket</h1>{notice}<form class=\"card\" method=\"post\" action=\"/portal/tickets/new\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"key\" value=\"{key}\">\
         <label for=\"subject\">Subject</label><input id=\"subject\" name=\"subject\" required maxlength=\"255\" value=\"{subject}\">\
         <label for=\"queue\">Queue</label><select id=\"queue\" name=\"queue\">{queue_opts}</select>\
         {service_field}\
         <label for=\"body\">Message</label><textarea id=\"body\" name=\"body\" required>{text}</textarea>\
         <button type=\"submit\">Open ticket</button></form>",
        notice = notice(message),
        csrf = esc(&user.csrf),
        key = esc(&key),
        subject = esc(&f.subject),
        text = esc(&f.body),
    );
    respond(status, page(&user.site, "New ticket", nav(user), &body))
}

/// Opens the ticket (channel web) and shows it.
pub async fn create(State(st): State<AppState>, user: PortalUser, PortalForm(f): PortalForm<NewForm>) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return forged(&user.site);
    }
    let mut new = NewTicket::new(f.subject.clone(), f.body.clone(), f.queue.clone());
    new.service = Some(f.service.clone()).filter(|s| !s.is_empty());
    new.idempotency_key = Some(f.key.clone()).filter(|k| !k.is_empty() && k.len() <= 200);
    match st.engine.create_ticket(&Actor::customer(&user.login), new).await {
        Ok(view) => see_other(&format!("/portal/tickets/{}", url_segment(&view.ticket.number))),
        Err(e) => {
            let p = Problem::from(e);
            render_new(&st, &user, &f, p.status(), Some(p.detail())).await
        }
    }
}
