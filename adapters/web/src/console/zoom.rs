//! `/agent/tickets/{number}`: the ticket zoom. Articles (internal notes marked), history, the customer
//! user and customer with their other tickets, the watchers, and the action forms the engine's resolver
//! allows. `POST /agent/tickets/{number}/{action}` performs one action through the engine (`watch` and
//! `unwatch` among them).
//!
//! The reply and note forms offer the queue's standard templates: choosing one and "use" reloads the
//! zoom with `?answer_template=NAME` (or `?note_template=NAME`), and the engine's rendering of it for
//! the agent and the ticket fills the form's subject and text; no script needed.
//!
//! The escalation box shows the ticket's three clocks ([`EscalationBox`]); the "Customer" action changes
//! its customer user, service and SLA ([`CustomerForm`]).

use super::attachments::{self, FileLink};
use super::customer_form::CustomerForm;
use super::escalation_box::EscalationBox;
use super::frame;
use super::session::{AgentUser, see_other};
use super::{all_queues, records};
use crate::csrf::CsrfForm;
use crate::csrf_multipart::CsrfMultipart;
use crate::page::{Frame, render};
use crate::url::path_segment;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{
    Article, Customer, CustomerUser, HistoryEntry, Lock, NewArticle, Permission, Priority, Record, RecordKind,
    StateType, TemplateKind, Ticket, TicketFilter, TicketUpdate,
};
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::extract::ApiQuery;
use chamado_i18n::Message;
use serde::Deserialize;

/// The zoom's query: which action just succeeded, and the template to fill the reply or note form with.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ZoomQuery {
    done: String,
    /// A standard answer to fill the reply form with.
    answer_template: String,
    /// A standard note to fill the note form with.
    note_template: String,
    /// The service whose SLAs the Customer form offers (chosen there; empty for none).
    service: Option<String>,
}

/// What a reply or note form starts with: empty, or a template rendered for the agent and ticket.
#[derive(Debug, Clone, Default)]
struct Fill {
    /// The template used, empty for none.
    template: String,
    subject: String,
    body: String,
}

/// The templates a reply or note form offers, and what it is filled with.
#[derive(Debug, Clone, Default)]
struct Picker {
    /// The names of the valid templates of the kind assigned to the ticket's queue.
    templates: Vec<String>,
    fill: Fill,
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
    /// The "Customer" action: customer user, service and SLA.
    customer: bool,
    move_into: Vec<String>,
}

impl Allowed {
    /// Whether any action form is shown.
    fn any(&self) -> bool {
        self.reply
            || self.note
            || self.state
            || self.priority
            || self.owner
            || self.responsible
            || self.merge
            || self.customer
            || !self.move_into.is_empty()
    }
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
        customer: may(Permission::Rw),
        move_into: queues
            .iter()
            .filter(|q| q.valid && q.name != t.queue && user.access.has(&q.group, Permission::MoveInto))
            .map(|q| q.name.clone())
            .collect(),
    }
}

/// The customer box: the ticket's customer user and customer, with their other tickets.
struct CustomerBox {
    /// The ticket's customer user login.
    login: String,
    /// Its record, when it still exists.
    user: Option<CustomerUser>,
    /// The customer (company), when the ticket has one that exists.
    company: Option<Customer>,
    /// Other tickets of the customer user.
    others: Vec<Ticket>,
    /// Other tickets of the customer, of other customer users.
    company_others: Vec<Ticket>,
}

/// The choices of the action forms.
struct Choices {
    /// Valid states a ticket may be set to: name and type.
    states: Vec<(String, StateType)>,
    /// Priorities: level and name.
    priorities: Vec<(String, &'static str)>,
    /// Valid agents, for owner and responsible.
    agents: Vec<String>,
}

/// The ticket zoom page.
#[derive(Template)]
#[template(path = "console/zoom.html")]
struct ZoomPage {
    frame: Frame,
    /// The session's CSRF token, for the action forms.
    csrf: String,
    t: Ticket,
    /// The ticket number as a path segment.
    n: String,
    /// The action that just succeeded (the template words it), or empty.
    done: String,
    customer: Option<CustomerBox>,
    can: Allowed,
    choices: Choices,
    /// The articles with the links to their files.
    articles: Vec<(Article, Vec<FileLink>)>,
    /// The history, each entry with its text in the agent's language.
    history: Vec<(HistoryEntry, String)>,
    /// The agent may watch the ticket (read it).
    may_watch: bool,
    /// The agent watches it.
    watching: bool,
    /// The reply form's templates and values.
    answer: Picker,
    /// The note form's templates and values.
    note: Picker,
    /// The escalation clocks, when a promise covers the ticket.
    escalation: Option<EscalationBox>,
    /// The Customer form, when the agent may use it.
    customer_form: Option<CustomerForm>,
}

/// The ticket zoom.
pub async fn show(
    State(st): State<AppState>,
    user: AgentUser,
    Path(number): Path<String>,
    ApiQuery(q): ApiQuery<ZoomQuery>,
) -> Response {
    match zoom(&st, &user, &number, q).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(p) => user.error(&p),
    }
}

/// The templates of `kind` offered for the ticket, and the form filled with `chosen` (when one is):
/// a template that does not render leaves the form empty and says why in `refusal`.
async fn picker(
    st: &AppState,
    user: &AgentUser,
    t: &Ticket,
    kind: TemplateKind,
    chosen: &str,
    refusal: &mut Option<Problem>,
) -> Result<Picker, Problem> {
    let actor = user.actor();
    // An agent who may write notes without reading the queue is offered no templates (the engine's rule
    // for them); the zoom still shows.
    let templates = match st.engine.templates_for_queue(&actor, &t.queue, kind).await {
        Ok(list) => list.into_iter().map(|t| t.name).collect(),
        Err(chamado::Error::NotFound(_) | chamado::Error::PermissionDenied(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let chosen = chosen.trim();
    let fill = if chosen.is_empty() {
        Fill::default()
    } else {
        match st.engine.render_template_for(&actor, &t.number, chosen, kind).await {
            Ok(r) => Fill { template: chosen.to_string(), subject: r.subject, body: r.body },
            Err(e) => {
                refusal.get_or_insert(e.into());
                Fill::default()
            }
        }
    };
    Ok(Picker { templates, fill })
}

async fn zoom(st: &AppState, user: &AgentUser, number: &str, q: ZoomQuery) -> Result<ZoomPage, Problem> {
    let actor = user.actor();
    let view = st.engine.ticket(&actor, number).await?;
    let history = st
        .engine
        .history(&actor, number)
        .await?
        .into_iter()
        .map(|h| {
            let what = h.text_in(&user.tr);
            (h, what)
        })
        .collect();
    let t = view.ticket;
    let queue = st.engine.queue(&t.queue).await?;
    let queues = all_queues(st).await?;
    let can = allowed(user, &t, &queue.group, &queues);
    let customer = match &t.customer_user {
        Some(login) => Some(customer_box(st, user, &t, login).await?),
        None => None,
    };
    let choices = choices(st, &can).await?;
    let mut refusal: Option<Problem> = None;
    let answer = if can.reply {
        picker(st, user, &t, TemplateKind::Answer, &q.answer_template, &mut refusal).await?
    } else {
        Picker::default()
    };
    let note = if can.note {
        picker(st, user, &t, TemplateKind::Note, &q.note_template, &mut refusal).await?
    } else {
        Picker::default()
    };
    let escalation = EscalationBox::of(st.engine.escalation_view(&t, st.engine.now()).await?);
    let customer_form = if can.customer { Some(CustomerForm::load(st, &t, q.service.as_deref()).await?) } else { None };
    let may_watch = user.access.may(&t, &queue.group, Permission::Ro);
    let watching = t.watchers.contains(&user.login);
    let mut frame = frame::of(user, "");
    if let Some(p) = &refusal {
        frame = frame.with_notice(crate::page::problem_text(&user.tr, p), true);
    }
    let articles = view
        .articles
        .into_iter()
        .map(|a| {
            let files = attachments::links(&t.number, &a);
            (a, files)
        })
        .collect();
    Ok(ZoomPage {
        frame,
        csrf: user.csrf.clone(),
        n: path_segment(&t.number),
        t,
        done: q.done,
        customer,
        can,
        choices,
        articles,
        history,
        may_watch,
        watching,
        answer,
        note,
        escalation,
        customer_form,
    })
}

async fn customer_box(st: &AppState, user: &AgentUser, t: &Ticket, login: &str) -> Result<CustomerBox, Problem> {
    let actor = user.actor();
    let company = match &t.customer_id {
        Some(id) => st.engine.customer(id).await?,
        None => None,
    };
    let filter = TicketFilter { customer_user: Some(login.to_string()), ..Default::default() };
    let others = st.engine.list_tickets(&actor, &filter, None, 20).await?.items.into_iter().filter(|o| o.id != t.id);
    let company_others = match &t.customer_id {
        Some(id) => {
            let filter = TicketFilter { customer_id: Some(id.clone()), ..Default::default() };
            let page = st.engine.list_tickets(&actor, &filter, None, 20).await?;
            page.items.into_iter().filter(|o| o.id != t.id && o.customer_user.as_deref() != Some(login)).collect()
        }
        None => Vec::new(),
    };
    Ok(CustomerBox {
        login: login.to_string(),
        user: st.engine.customer_user(login).await?,
        company,
        others: others.collect(),
        company_others,
    })
}

/// What the action forms offer; only what the agent may use is read.
async fn choices(st: &AppState, can: &Allowed) -> Result<Choices, Problem> {
    let states = if can.state {
        records(st, RecordKind::State)
            .await?
            .into_iter()
            .filter_map(|r| match r {
                Record::State(s) if s.valid && !matches!(s.state_type, StateType::Merged | StateType::Removed) => {
                    Some((s.name, s.state_type))
                }
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let agents = if can.owner || can.responsible {
        records(st, RecordKind::Agent)
            .await?
            .into_iter()
            .filter_map(|r| match r {
                Record::Agent(a) if a.valid => Some(a.login),
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let priorities = Priority::all().map(|p| (p.level().to_string(), p.name())).collect();
    Ok(Choices { states, priorities, agents })
}

/// The fields of the action forms; each action reads its own, the rest stay empty.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    /// Merge: the target ticket's number.
    into: String,
    /// State: the new state.
    state: String,
    /// State: when a pending state is due (`datetime-local` or RFC 3339).
    pending_until: String,
    /// Priority: the new level, 1 to 5.
    priority: String,
    /// Move: the target queue.
    queue: String,
    /// Owner: the new owner's login, empty for nobody.
    owner: String,
    /// Responsible: the new responsible agent's login, empty for nobody.
    responsible: String,
    /// Customer: the customer user's login, empty for none.
    customer_user: String,
    /// Customer: the service, empty for none (which drops the SLA too).
    service: String,
    /// Customer: the SLA, empty for none.
    sla: String,
}

/// Parses a `datetime-local` value (`YYYY-MM-DDTHH:MM[:SS]`, taken as UTC) or RFC 3339.
/// A `datetime-local` value is the agent's wall clock in their own zone; a full RFC 3339 time
/// carries its offset.
fn parse_due(s: &str, zone: &chamado_i18n::TimeZoneName) -> Option<chamado::Timestamp> {
    let s = s.trim();
    match s.len() {
        16 | 19 => zone.local_to_unix(s).map(chamado::Timestamp::from_unix_seconds),
        _ => chamado_http::time::parse_rfc3339(s),
    }
}

/// The text of a reply or a note; its files come beside it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TextForm {
    /// The subject; empty for the ticket's (tagged) title.
    subject: String,
    /// The text.
    body: String,
}

impl TextForm {
    /// The subject typed, if any.
    fn subject(&self) -> Option<String> {
        Some(self.subject.trim().to_string()).filter(|s| !s.is_empty())
    }
}

/// Adds a reply for the customer, with the uploaded files.
pub async fn reply(
    State(st): State<AppState>,
    Path(number): Path<String>,
    CsrfMultipart { user, form: f, files }: CsrfMultipart<AgentUser, TextForm>,
) -> Response {
    let subject = f.subject();
    let mut article = NewArticle::reply(f.body);
    article.subject = subject;
    article.attachments = files;
    write(&st, &user, &number, "reply", article).await
}

/// Adds an internal note, with the uploaded files.
pub async fn note(
    State(st): State<AppState>,
    Path(number): Path<String>,
    CsrfMultipart { user, form: f, files }: CsrfMultipart<AgentUser, TextForm>,
) -> Response {
    let subject = f.subject();
    let mut article = NewArticle::note(f.body);
    article.subject = subject;
    article.attachments = files;
    write(&st, &user, &number, "note", article).await
}

async fn write(st: &AppState, user: &AgentUser, number: &str, done: &str, article: NewArticle) -> Response {
    match st.engine.add_article(&user.actor(), number, article).await {
        Ok(_) => see_other(&format!("/agent/tickets/{}?done={done}", path_segment(number))),
        Err(e) => user.error(&e.into()),
    }
}

/// Performs one action on a ticket; the engine checks the permission (403 when it says no).
pub async fn act(
    State(st): State<AppState>,
    Path((number, action)): Path<(String, String)>,
    CsrfForm(user, f): CsrfForm<AgentUser, ActionForm>,
) -> Response {
    match perform(&st, &user, &number, &action, f).await {
        Ok(target) => see_other(&format!("/agent/tickets/{}?done={}", path_segment(&target), path_segment(&action))),
        Err(p) => user.error(&p),
    }
}

async fn perform(
    st: &AppState,
    user: &AgentUser,
    number: &str,
    action: &str,
    f: ActionForm,
) -> Result<String, Problem> {
    let actor = user.actor();
    let u = match action {
        "merge" => {
            let into = f.into.trim().to_string();
            st.engine.merge(&actor, number, &into).await?;
            return Ok(into);
        }
        "state" => {
            let due = f.pending_until.trim();
            let pending_until = if due.is_empty() {
                None
            } else {
                Some(parse_due(due, user.tr.time_zone()).ok_or_else(|| {
                    Problem::validation("the pending time is not a date and time")
                        .with_message(Message::new("console-pending-time-invalid"))
                })?)
            };
            TicketUpdate { state: Some(f.state), pending_until, ..Default::default() }
        }
        "priority" => {
            let level: u8 = f.priority.parse().map_err(|_| {
                Problem::validation("the priority must be 1 to 5")
                    .with_message(Message::new("console-priority-invalid"))
            })?;
            TicketUpdate { priority: Some(Priority::new(level)?), ..Default::default() }
        }
        "queue" => TicketUpdate { queue: Some(f.queue), ..Default::default() },
        "owner" => TicketUpdate { owner: Some(f.owner), ..Default::default() },
        "responsible" => TicketUpdate { responsible: Some(f.responsible), ..Default::default() },
        // The form sends all three; the engine records only what changed.
        "customer" => TicketUpdate {
            customer_user: Some(f.customer_user.trim().to_string()),
            service: Some(f.service.trim().to_string()),
            sla: Some(f.sla.trim().to_string()),
            ..Default::default()
        },
        "watch" | "unwatch" => {
            st.engine.watch(&actor, number, action == "watch").await?;
            return Ok(number.to_string());
        }
        "lock" => TicketUpdate { lock: Some(Lock::Lock), ..Default::default() },
        "unlock" => TicketUpdate { lock: Some(Lock::Unlock), ..Default::default() },
        _ => {
            return Err(Problem::not_found(format!("there is no action {action:?}"))
                .with_message(Message::new("console-no-such-action").arg("action", action)));
        }
    };
    st.engine.update_ticket(&actor, number, u).await?;
    Ok(number.to_string())
}
