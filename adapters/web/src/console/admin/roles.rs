//! Roles: list, add, edit (rename, invalidate), their groups, and the roles of an agent.

use super::forms::{Checks, NamedForm};
use super::view::{Head, bad, chrome, refused, show};
use super::{AdminUser, AgentUser, ListQuery, admin, href, list_or_search, must_exist, records, renamable, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{Grant, GrantSubject, GrantTarget, Record, RecordKind, Role};
use chamado_api_types::directory::NamedBody;
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// The list with its search box and the add form.
#[derive(Template)]
#[template(path = "admin/roles.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    search: String,
    roles: Vec<Role>,
}

/// One role's form.
#[derive(Template)]
#[template(path = "admin/role.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    record: NamedBody,
}

/// Every role's name.
pub(super) async fn role_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(records(st, RecordKind::Role)
        .await?
        .into_iter()
        .filter_map(|r| if let Record::Role(r) = r { Some(r.name) } else { None })
        .collect())
}

/// The roles agent `login` is a member of.
pub(super) async fn roles_of(st: &AppState, user: &AgentUser, login: &str) -> Result<Vec<String>, Problem> {
    Ok(admin(st, user)
        .await?
        .grants_of(&GrantSubject::Agent(login.to_string()))
        .await?
        .into_iter()
        .filter_map(|g| if let GrantTarget::Role(r) = g.target { Some(r) } else { None })
        .collect())
}

/// `POST /admin/agents/{login}/roles`: saves an agent's role memberships.
pub async fn memberships_save(
    State(st): State<AppState>,
    Path(login): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, Checks>,
) -> Response {
    let r = async {
        must_exist(&st, RecordKind::Agent, &login).await?;
        let held = roles_of(&st, &user, &login).await?;
        let a = admin(&st, &user).await?;
        for role in role_names(&st).await? {
            let want = f.roles.contains(&role);
            if want && !held.contains(&role) {
                a.grant(Grant::role_membership(login.clone(), role)).await?;
            } else if !want && held.contains(&role) {
                a.revoke(&GrantSubject::Agent(login.clone()), &GrantTarget::Role(role)).await?;
            }
        }
        Ok::<_, Problem>(())
    };
    saved(&user, r.await, &href("/admin/agents", &login, "?done=saved"))
}

/// `GET /admin/roles`: search and add.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let roles = match list_or_search(&st, &user, RecordKind::Role, &q.search).await {
        Ok(l) => l.into_iter().filter_map(|r| if let Record::Role(r) = r { Some(r) } else { None }).collect(),
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, user.tr.t("admin-heading-roles"), "roles", &q.done);
    show(&ListPage { frame, head, search: q.search, roles })
}

/// `POST /admin/roles`: adds a role, or replaces the one of that name.
pub async fn add(State(st): State<AppState>, CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, NamedForm>) -> Response {
    let r = Role { name: f.name.trim().to_string(), comment: f.comment.trim().to_string(), valid: f.valid };
    let res = async { Ok::<_, Problem>(admin(&st, &user).await?.put_role(r).await?) };
    saved(&user, res.await, "/admin/roles?done=saved")
}

/// The edit screen of role `name`, with `frame` (a notice on it) and `status`.
async fn edit_page(st: &AppState, user: &AgentUser, name: &str, done: &str, problem: Option<&Problem>) -> Response {
    let record = match renamable::load(st, user, RecordKind::Role, name).await {
        Ok(r) => r,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t1("admin-heading-role", "name", record.name.as_str()), "roles", done);
    match problem {
        None => show(&EditPage { frame, head, record }),
        Some(p) => page::render(p.status(), &EditPage { frame: refused(frame, p), head, record }),
    }
}

/// `GET /admin/roles/{name}`: edit a role (rename, comment, validity).
pub async fn edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    edit_page(&st, &user, &name, &q.done, None).await
}

/// `POST /admin/roles/{name}`: saves a role; a new name renames it with its grants. What the engine
/// refuses shows on the form.
pub async fn save(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, NamedForm>,
) -> Response {
    match renamable::save(&st, &user, RecordKind::Role, &name, &f).await {
        Ok(now) => saved(&user, Ok(()), &href("/admin/roles", &now, "?done=saved")),
        Err(p) => edit_page(&st, &user, &name, "", Some(&p)).await,
    }
}
