//! `/agent/tickets/new`: a phone ticket for a customer user. Search and pick the customer user, then
//! choose a queue the agent may `create` in and one of the customer user's services.

use super::layout::{csrf_field, enc, esc, notice, options};
use super::session::{AgentUser, see_other};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Actor, NewTicket, Priority, Record, RecordKind};
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::extract::{ApiQuery, PortalForm};
use serde::Deserialize;

/// The form's query: the customer user search and the picked customer user.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PhoneQuery {
    /// Search text for customer users.
    pub search: String,
    /// The picked customer user.
    pub customer_user: String,
}

/// The phone ticket's fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PhoneForm {
    csrf: String,
    customer_user: String,
    queue: String,
    service: String,
    priority: String,
    title: String,
    body: String,
    key: String,
}

/// The new phone ticket screen.
pub async fn form(State(st): State<AppState>, user: AgentUser, ApiQuery(q): ApiQuery<PhoneQuery>) -> Response {
    let f = PhoneForm { customer_user: q.customer_user.clone(), ..Default::default() };
    match render(&st, &user, &q.search, &f, None).await {
        Ok(body) => user.page(StatusCode::OK, "New phone ticket", &body),
        Err(p) => user.error(&p),
    }
}

async fn render(
    st: &AppState,
    user: &AgentUser,
    search: &str,
    f: &PhoneForm,
    error: Option<&str>,
) -> Result<String, Problem> {
    let mut out = format!(
        "<h1>New phone ticket</h1>{}<form class=\"card\" method=\"get\" action=\"/agent/tickets/new\" role=\"search\">\
         <label for=\"search\">Find the customer user (login, name or email)</label>\
         <input id=\"search\" name=\"search\" value=\"{}\"><button type=\"submit\">Search</button></form>",
        notice(error, true),
        esc(search)
    );
    if !search.trim().is_empty() {
        let admin = st.engine.admin(&Actor::System).await?;
        let found = admin.search(RecordKind::CustomerUser, search.trim(), 25).await?;
        let rows: Vec<String> = found
            .into_iter()
            .filter_map(|r| match r {
                Record::CustomerUser(u) if u.valid => Some(u),
                _ => None,
            })
            .map(|u| {
                format!(
                    "<tr><td data-label=\"Customer user\"><a href=\"/agent/tickets/new?customer_user={}\">{}</a></td>\
                     <td data-label=\"Name\">{}</td><td data-label=\"Email\">{}</td><td data-label=\"Customer\">{}</td></tr>",
                    enc(&u.login),
                    esc(&u.login),
                    esc(&u.display_name()),
                    esc(&u.email),
                    esc(&u.customer_id)
                )
            })
            .collect();
        if rows.is_empty() {
            out.push_str("<p class=\"card\">No customer user found.</p>");
        } else {
            out.push_str(&format!(
                "<table><caption class=\"meta\">Pick a customer user</caption><thead><tr><th>Customer user</th><th>Name</th>\
                 <th>Email</th><th>Customer</th></tr></thead><tbody>{}</tbody></table>",
                rows.concat()
            ));
        }
    }
    let login = f.customer_user.trim();
    if login.is_empty() {
        return Ok(out);
    }
    let Some(cu) = st.engine.customer_user(login).await? else {
        return Err(Problem::not_found(format!("customer user {login:?}")));
    };
    let queues = st.engine.queues_for_new_tickets(&user.actor()).await?;
    let services: Vec<String> = st.engine.customer_access(&cu.login).await?.services().iter().cloned().collect();
    let mut service_opts = String::from("<option value=\"\">(none)</option>");
    service_opts.push_str(&options(services.iter().map(|s| (s.as_str(), s.as_str())), &f.service));
    let prios: Vec<(String, String)> = Priority::all().map(|p| (p.level().to_string(), p.name().to_string())).collect();
    let prio_sel = if f.priority.is_empty() { "3".to_string() } else { f.priority.clone() };
    let key = chamado_http::random::secret("").map_err(|e| Problem::internal(e.to_string()))?;
    out.push_str(&format!(
        "<form class=\"card\" method=\"post\" action=\"/agent/tickets/new\">{csrf}\
         <input type=\"hidden\" name=\"key\" value=\"{key}\">\
         <input type=\"hidden\" name=\"customer_user\" value=\"{login}\">\
         <p>For <strong id=\"picked\">{name}</strong> ({login}, customer {customer})</p>\
         <label for=\"queue\">Queue</label><select id=\"queue\" name=\"queue\" required><option value=\"\">(choose a queue)</option>{queues}</select>\
         <label for=\"service\">Service</label><select id=\"service\" name=\"service\">{service_opts}</select>\
         <label for=\"priority\">Priority</label><select id=\"priority\" name=\"priority\">{prios}</select>\
         <label for=\"title\">Title</label><input id=\"title\" name=\"title\" required value=\"{title}\">\
         <label for=\"body\">Text</label><textarea id=\"body\" name=\"body\" required>{body}</textarea>\
         <button type=\"submit\">Create phone ticket</button></form>",
        csrf = csrf_field(&user.csrf),
        key = esc(&key),
        login = esc(&cu.login),
        name = esc(&cu.display_name()),
        customer = esc(&cu.customer_id),
        queues = options(queues.iter().map(|q| (q.name.as_str(), q.name.as_str())), &f.queue),
        prios = options(prios.iter().map(|(a, b)| (a.as_str(), b.as_str())), &prio_sel),
        title = esc(&f.title),
        body = esc(&f.body),
    ));
    Ok(out)
}

/// Opens the phone ticket (the engine checks `create` on the queue and the customer user's service).
pub async fn create(State(st): State<AppState>, user: AgentUser, PortalForm(f): PortalForm<PhoneForm>) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return user.forged();
    }
    let mut new = NewTicket::new(f.title.clone(), f.body.clone(), f.queue.clone());
    new.customer_user = Some(f.customer_user.trim().to_string());
    new.service = Some(f.service.clone()).filter(|s| !s.is_empty());
    new.idempotency_key = Some(format!("console:{}", f.key)).filter(|_| !f.key.is_empty() && f.key.len() <= 200);
    let priority = match f.priority.parse::<u8>().ok().map(Priority::new) {
        Some(Ok(p)) => Some(p),
        _ => None,
    };
    new.priority = priority;
    let result = st.engine.create_ticket(&user.actor(), new).await;
    match result {
        Ok(view) => see_other(&format!("/agent/tickets/{}?done=created", enc(&view.ticket.number))),
        Err(e) => {
            let p = Problem::from(e);
            match render(&st, &user, "", &f, Some(p.detail())).await {
                Ok(body) => user.page(p.status(), "New phone ticket", &body),
                Err(p2) => user.error(&p2),
            }
        }
    }
}
