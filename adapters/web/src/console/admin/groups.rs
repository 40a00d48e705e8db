//! Groups: list and search, add, edit (rename, invalidate).

use super::forms::NamedForm;
use super::view::{Head, bad, chrome, refused, show};
use super::{AdminUser, AgentUser, ListQuery, admin, href, list_or_search, records, renamable, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{Group, Record, RecordKind};
use chamado_api_types::directory::NamedBody;
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// The list with its search box and the add form.
#[derive(Template)]
#[template(path = "admin/groups.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    search: String,
    groups: Vec<Group>,
}

/// One group's form.
#[derive(Template)]
#[template(path = "admin/group.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    record: NamedBody,
}

/// Every group's name.
pub(super) async fn group_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(records(st, RecordKind::Group)
        .await?
        .into_iter()
        .filter_map(|r| if let Record::Group(g) = r { Some(g.name) } else { None })
        .collect())
}

/// `GET /admin/groups`: search and add.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let groups = match list_or_search(&st, &user, RecordKind::Group, &q.search).await {
        Ok(l) => l.into_iter().filter_map(|r| if let Record::Group(g) = r { Some(g) } else { None }).collect(),
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, user.tr.t("admin-heading-groups"), "groups", &q.done);
    show(&ListPage { frame, head, search: q.search, groups })
}

/// `POST /admin/groups`: adds a group, or replaces the one of that name.
pub async fn add(State(st): State<AppState>, CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, NamedForm>) -> Response {
    let g = Group { name: f.name.trim().to_string(), comment: f.comment.trim().to_string(), valid: f.valid };
    let r = async { Ok::<_, Problem>(admin(&st, &user).await?.put_group(g).await?) };
    saved(&user, r.await, "/admin/groups?done=saved")
}

/// The edit screen of group `name`, with the problem the engine answered on it, if any.
async fn edit_page(st: &AppState, user: &AgentUser, name: &str, done: &str, problem: Option<&Problem>) -> Response {
    let record = match renamable::load(st, user, RecordKind::Group, name).await {
        Ok(r) => r,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t1("admin-heading-group", "name", record.name.as_str()), "groups", done);
    match problem {
        None => show(&EditPage { frame, head, record }),
        Some(p) => page::render(p.status(), &EditPage { frame: refused(frame, p), head, record }),
    }
}

/// `GET /admin/groups/{name}`: edit a group (rename, comment, validity).
pub async fn edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    edit_page(&st, &user, &name, &q.done, None).await
}

/// `POST /admin/groups/{name}`: saves a group; a new name renames it with its queues and grants. What
/// the engine refuses (group `admin` keeps its name and stays valid, a taken name) shows on the form.
pub async fn save(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, NamedForm>,
) -> Response {
    match renamable::save(&st, &user, RecordKind::Group, &name, &f).await {
        Ok(now) => saved(&user, Ok(()), &href("/admin/groups", &now, "?done=saved")),
        Err(p) => edit_page(&st, &user, &name, "", Some(&p)).await,
    }
}
