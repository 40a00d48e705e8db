//! Queues: list and search, add, edit (group, follow-up policy, comment, validity).

use super::forms::QueueForm;
use super::groups::group_names;
use super::view::{Head, bad, chrome, refused, show};
use super::{AdminUser, AgentUser, ListQuery, admin, found, href, list_or_search, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{FollowUpPolicy, Queue, Record, RecordKind};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// The follow-up policies, in the order the form offers them.
const POLICIES: [FollowUpPolicy; 3] = [FollowUpPolicy::Possible, FollowUpPolicy::Reject, FollowUpPolicy::NewTicket];

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
    record: Queue,
    new: bool,
}

/// `q` changed as `f` says (its name stays).
fn queue_from(f: &QueueForm, mut q: Queue) -> Result<Queue, Problem> {
    q.group = f.group.trim().to_string();
    q.follow_up = f.follow_up.trim().parse()?;
    q.comment = f.comment.trim().to_string();
    q.valid = f.valid;
    Ok(q)
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
        Ok::<_, Problem>((queues.collect(), group_names(&st).await?))
    };
    let (queues, groups) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, user.tr.t("admin-heading-queues"), "queues", &q.done);
    let record = Queue { group: "users".into(), ..Queue::default() };
    show(&ListPage { frame, head, search: q.search, queues, groups, policies: POLICIES, record, new: true })
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
    let r = async { Ok::<_, Problem>((load(st, user, name).await?, group_names(st).await?)) };
    let (record, groups) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t1("admin-heading-queue", "name", record.name.as_str()), "queues", done);
    let page = |frame| EditPage {
        frame,
        head: head.clone(),
        groups: groups.clone(),
        policies: POLICIES,
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
