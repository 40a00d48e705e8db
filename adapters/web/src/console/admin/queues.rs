//! Queues: list and search, add, edit (group, follow-up policy, the auto-response of each of OTRS's
//! four kinds, salutation, signature, unlock timeout, the escalation calendar and targets of tickets
//! without an SLA, comment, validity).

use super::forms::QueueForm;
use super::groups::group_names;
use super::slas_form::{minutes, percent};
use super::view::{Head, bad, chrome, refused, show};
use super::{AdminUser, AgentUser, ListQuery, admin, found, href, list_or_search, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::sla::ClockKind;
use chamado::{AutoResponseKind, FollowUpPolicy, Queue, Record, RecordKind};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use chamado_i18n::{Message, Tr};

/// The follow-up policies, in the order the form offers them.
const POLICIES: [FollowUpPolicy; 3] = [FollowUpPolicy::Possible, FollowUpPolicy::Reject, FollowUpPolicy::NewTicket];

/// One auto-response field of the queue form: a kind and the auto-responses of that kind.
#[derive(Debug, Clone)]
struct AutoResponseSlot {
    /// The form field.
    field: &'static str,
    /// Its label.
    label: String,
    /// What choosing none means: the shipped answer (new tickets), else nothing sent.
    none: String,
    /// The auto-responses of the kind.
    names: Vec<String>,
}

/// What the queue form's text fields offer.
#[derive(Debug, Clone, Default)]
struct TextChoices {
    /// One per auto-response kind.
    slots: Vec<AutoResponseSlot>,
    /// Every salutation.
    salutations: Vec<String>,
    /// Every signature.
    signatures: Vec<String>,
}

impl TextChoices {
    /// Reads the texts queues may name.
    async fn load(st: &AppState, tr: &Tr) -> Result<TextChoices, Problem> {
        let responses = st.engine.auto_responses().await?;
        let names = |kind: AutoResponseKind| {
            responses.iter().filter(|a| a.kind == kind).map(|a| a.name.clone()).collect::<Vec<_>>()
        };
        let slot =
            |field, label: String, none: String, kind| AutoResponseSlot { field, label, none, names: names(kind) };
        let nothing = || tr.t("admin-texts-queue-auto-none");
        Ok(TextChoices {
            slots: vec![
                slot(
                    "auto_reply",
                    tr.t("admin-texts-kind-reply"),
                    tr.t("admin-texts-queue-auto-shipped"),
                    AutoResponseKind::Reply,
                ),
                slot("auto_reject", tr.t("admin-texts-kind-reject"), nothing(), AutoResponseKind::Reject),
                slot("auto_follow_up", tr.t("admin-texts-kind-follow-up"), nothing(), AutoResponseKind::FollowUp),
                slot(
                    "auto_reply_new_ticket",
                    tr.t("admin-texts-kind-reply-new-ticket"),
                    nothing(),
                    AutoResponseKind::ReplyNewTicket,
                ),
            ],
            salutations: st.engine.salutations().await?.into_iter().map(|s| s.name).collect(),
            signatures: st.engine.signatures().await?.into_iter().map(|s| s.name).collect(),
        })
    }
}

/// The name of the auto-response `q` sends for the slot's field, or empty.
fn chosen<'a>(q: &'a Queue, field: &str) -> &'a str {
    let kind = match field {
        "auto_reply" => AutoResponseKind::Reply,
        "auto_reject" => AutoResponseKind::Reject,
        "auto_follow_up" => AutoResponseKind::FollowUp,
        _ => AutoResponseKind::ReplyNewTicket,
    };
    q.auto_responses.get(kind).unwrap_or_default()
}

/// The list with its search box and the add form.
#[derive(Template)]
#[template(path = "admin/queues.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    search: String,
    queues: Vec<Queue>,
    groups: Vec<String>,
    policies: [FollowUpPolicy; 3],
    texts: TextChoices,
    /// Every calendar's name, for the escalation calendar.
    calendars: Vec<String>,
    /// The add form's values.
    record: Queue,
    new: bool,
}

/// One queue's form.
#[derive(Template)]
#[template(path = "admin/queue.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    groups: Vec<String>,
    policies: [FollowUpPolicy; 3],
    texts: TextChoices,
    calendars: Vec<String>,
    record: Queue,
    new: bool,
}

/// `q` changed as `f` says (its name stays).
fn queue_from(f: &QueueForm, mut q: Queue) -> Result<Queue, Problem> {
    q.group = f.group.trim().to_string();
    q.follow_up = f.follow_up.trim().parse()?;
    q.comment = f.comment.trim().to_string();
    q.valid = f.valid;
    let named = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    q.auto_responses.set(AutoResponseKind::Reply, named(&f.auto_reply));
    q.auto_responses.set(AutoResponseKind::Reject, named(&f.auto_reject));
    q.auto_responses.set(AutoResponseKind::FollowUp, named(&f.auto_follow_up));
    q.auto_responses.set(AutoResponseKind::ReplyNewTicket, named(&f.auto_reply_new_ticket));
    q.salutation = named(&f.salutation);
    q.signature = named(&f.signature);
    q.unlock_timeout_minutes = match f.unlock_timeout_minutes.trim() {
        "" => 0,
        typed => typed.parse().map_err(|_| {
            Problem::validation("the unlock timeout must be a whole number of minutes")
                .with_message(Message::new("admin-texts-queue-unlock-invalid"))
        })?,
    };
    let esc = &mut q.escalation;
    esc.calendar = named(&f.esc_calendar);
    esc.targets.first_response_minutes = minutes(ClockKind::FirstResponse, &f.esc_first_response_minutes)?;
    esc.targets.update_minutes = minutes(ClockKind::Update, &f.esc_update_minutes)?;
    esc.targets.solution_minutes = minutes(ClockKind::Solution, &f.esc_solution_minutes)?;
    esc.targets.notify_before_percent = percent(&f.esc_notify_before_percent, esc.targets.notify_before_percent)?;
    Ok(q)
}

/// Every calendar's name.
async fn calendar_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(st.engine.calendars().await?.into_iter().map(|c| c.name).collect())
}

/// `GET /admin/queues`: search and add.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let r = async {
        let found = list_or_search(&st, &user, RecordKind::Queue, &q.search).await?;
        let queues = found.into_iter().filter_map(|r| if let Record::Queue(q) = r { Some(q) } else { None });
        let texts = TextChoices::load(&st, &user.tr).await?;
        Ok::<_, Problem>((queues.collect(), group_names(&st).await?, texts, calendar_names(&st).await?))
    };
    let (queues, groups, texts, calendars) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, user.tr.t("admin-heading-queues"), "queues", &q.done);
    let record = Queue { group: "users".into(), ..Queue::default() };
    show(&ListPage {
        frame,
        head,
        search: q.search,
        queues,
        groups,
        policies: POLICIES,
        texts,
        calendars,
        record,
        new: true,
    })
}

/// `POST /admin/queues`: adds a queue, or replaces the one of that name.
pub async fn add(State(st): State<AppState>, CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, QueueForm>) -> Response {
    let r = async {
        let q = queue_from(&f, Queue { name: f.name.trim().to_string(), ..Queue::default() })?;
        admin(&st, &user).await?.put_queue(q).await?;
        Ok::<_, Problem>(())
    };
    saved(&user, r.await, "/admin/queues?done=saved")
}

/// The stored queue `name`.
async fn load(st: &AppState, user: &AgentUser, name: &str) -> Result<Queue, Problem> {
    let record = admin(st, user).await?.get(RecordKind::Queue, name).await?;
    found(if let Some(Record::Queue(q)) = record { Some(q) } else { None }, RecordKind::Queue, name)
}

/// The edit screen of queue `name`, with the problem the engine answered on it, if any.
async fn edit_page(st: &AppState, user: &AgentUser, name: &str, done: &str, problem: Option<&Problem>) -> Response {
    let r = async {
        let texts = TextChoices::load(st, &user.tr).await?;
        Ok::<_, Problem>((load(st, user, name).await?, group_names(st).await?, texts, calendar_names(st).await?))
    };
    let (record, groups, texts, calendars) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t1("admin-heading-queue", "name", record.name.as_str()), "queues", done);
    let page = |frame| EditPage {
        frame,
        head: head.clone(),
        groups: groups.clone(),
        policies: POLICIES,
        texts: texts.clone(),
        calendars: calendars.clone(),
        record: record.clone(),
        new: false,
    };
    match problem {
        None => show(&page(frame)),
        Some(p) => page::render(p.status(), &page(refused(frame, p))),
    }
}

/// `GET /admin/queues/{name}`: edit a queue.
pub async fn edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    edit_page(&st, &user, &name, &q.done, None).await
}

/// `POST /admin/queues/{name}`: saves a queue (it keeps its name: tickets carry it). What the engine
/// refuses shows on the form.
pub async fn save(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, QueueForm>,
) -> Response {
    let r = async {
        let q = queue_from(&f, load(&st, &user, &name).await?)?;
        admin(&st, &user).await?.put_queue(q).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href("/admin/queues", &name, "?done=saved")),
        Err(p) => edit_page(&st, &user, &name, "", Some(&p)).await,
    }
}
