//! Group grants as `ro`/`rw` (or the seven agent permissions) matrices: customer user <-> groups,
//! default groups, customer <-> groups, agent <-> groups, role <-> groups.

use super::forms::Checks;
use super::groups::group_names;
use super::view::{Head, bad, chrome, show};
use super::{AdminUser, AgentUser, ListQuery, admin, href, must_exist, see_other};
use crate::csrf::CsrfForm;
use crate::page::Frame;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{Grant, GrantSubject, GrantTarget, Permission, PermissionSet, RecordKind};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use chamado_i18n::Tr;
use std::collections::BTreeMap;

/// The permissions customer users and customers hold.
pub(super) const CUSTOMER_PERMS: [Permission; 2] = [Permission::Ro, Permission::Rw];

/// One checkbox of a grid.
pub(super) struct Cell {
    /// The permission.
    pub perm: &'static str,
    /// Held now.
    pub checked: bool,
}

/// A group's row of the matrix.
struct Row {
    group: String,
    cells: Vec<Cell>,
}

/// The matrix: a row per group, a checkbox per permission.
#[derive(Template)]
#[template(path = "admin/grants.html")]
struct GrantsPage {
    frame: Frame,
    head: Head,
    /// Where the form posts.
    action: String,
    /// Where "Cancel" and "Save and finish" lead.
    back: &'static str,
    perms: Vec<&'static str>,
    rows: Vec<Row>,
}

/// The grant screen of one subject: where it lives and what it is called.
struct Screen {
    subject: GrantSubject,
    perms: &'static [Permission],
    heading: String,
    section: &'static str,
    here: String,
    back: &'static str,
}

impl Screen {
    fn customer_user(tr: &Tr, login: &str) -> Self {
        Screen {
            subject: GrantSubject::CustomerUser(login.to_string()),
            perms: &CUSTOMER_PERMS,
            heading: tr.t1("admin-heading-customer-user-groups", "login", login),
            section: "customer-users",
            here: href("/admin/customer-users", login, "/groups"),
            back: "/admin/customer-users",
        }
    }

    fn defaults(tr: &Tr) -> Self {
        Screen {
            subject: GrantSubject::DefaultCustomerUsers,
            perms: &CUSTOMER_PERMS,
            heading: tr.t("admin-heading-default-groups"),
            section: "default-groups",
            here: "/admin/default-groups".into(),
            back: "/admin",
        }
    }

    fn customer(tr: &Tr, id: &str) -> Self {
        Screen {
            subject: GrantSubject::Customer(id.to_string()),
            perms: &CUSTOMER_PERMS,
            heading: tr.t1("admin-heading-customer-groups", "id", id),
            section: "customers",
            here: href("/admin/customers", id, "/groups"),
            back: "/admin/customers",
        }
    }

    fn agent(tr: &Tr, login: &str) -> Self {
        Screen {
            subject: GrantSubject::Agent(login.to_string()),
            perms: &Permission::ALL,
            heading: tr.t1("admin-heading-agent-groups", "login", login),
            section: "agents",
            here: href("/admin/agents", login, "/groups"),
            back: "/admin/agents",
        }
    }

    fn role(tr: &Tr, name: &str) -> Self {
        Screen {
            subject: GrantSubject::Role(name.to_string()),
            perms: &Permission::ALL,
            heading: tr.t1("admin-heading-role-groups", "name", name),
            section: "roles",
            here: href("/admin/roles", name, "/groups"),
            back: "/admin/roles",
        }
    }

    /// The group permissions the subject holds directly.
    async fn held(&self, st: &AppState, user: &AgentUser) -> Result<BTreeMap<String, PermissionSet>, Problem> {
        Ok(admin(st, user)
            .await?
            .grants_of(&self.subject)
            .await?
            .into_iter()
            .filter_map(|g| if let GrantTarget::Group(name) = g.target { Some((name, g.permissions)) } else { None })
            .collect())
    }

    /// The page, after checking that `key` names a record of `kind` (none for the defaults).
    async fn page(self, st: &AppState, user: &AgentUser, exists: Option<(RecordKind, &str)>, done: &str) -> Response {
        let r = async {
            if let Some((kind, key)) = exists {
                must_exist(st, kind, key).await?;
            }
            let held = self.held(st, user).await?;
            let rows = group_names(st)
                .await?
                .into_iter()
                .map(|group| {
                    let set = held.get(&group).copied().unwrap_or_default();
                    let cells =
                        self.perms.iter().map(|p| Cell { perm: p.as_str(), checked: set.contains(*p) }).collect();
                    Row { group, cells }
                })
                .collect();
            Ok::<_, Problem>(rows)
        };
        match r.await {
            Ok(rows) => {
                let (frame, head) = chrome(user, self.heading, self.section, done);
                let perms = self.perms.iter().map(|p| p.as_str()).collect();
                show(&GrantsPage { frame, head, action: self.here, back: self.back, perms, rows })
            }
            Err(p) => bad(user, &p),
        }
    }

    /// Grants what `f` ticks and revokes what it does not, group by group.
    async fn save(&self, st: &AppState, user: &AgentUser, f: &Checks) -> Result<(), Problem> {
        let a = admin(st, user).await?;
        let held = self.held(st, user).await?;
        for g in group_names(st).await? {
            let chosen = f.chosen(&g, self.perms);
            let set = PermissionSet::of(&chosen);
            if held.get(&g).copied().unwrap_or_default() == set {
                continue;
            }
            if chosen.is_empty() {
                a.revoke(&self.subject, &GrantTarget::Group(g)).await?;
            } else {
                a.grant(Grant::group(self.subject.clone(), g, set)).await?;
            }
        }
        Ok(())
    }

    /// Saves and goes on: back to the screen ("Save") or to the list ("Save and finish").
    async fn submit(self, st: &AppState, user: &AgentUser, exists: Option<(RecordKind, &str)>, f: &Checks) -> Response {
        let r = async {
            if let Some((kind, key)) = exists {
                must_exist(st, kind, key).await?;
            }
            self.save(st, user, f).await
        };
        match r.await {
            Ok(()) if f.finish => see_other(&format!("{}?done=saved", self.back)),
            Ok(()) => see_other(&format!("{}?done=saved", self.here)),
            Err(p) => bad(user, &p),
        }
    }
}

/// `GET /admin/customer-users/{login}/groups`.
pub async fn customer_user(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    Screen::customer_user(&user.tr, &login).page(&st, &user, Some((RecordKind::CustomerUser, &login)), &q.done).await
}

/// `POST /admin/customer-users/{login}/groups`.
pub async fn customer_user_save(
    State(st): State<AppState>,
    Path(login): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, Checks>,
) -> Response {
    Screen::customer_user(&user.tr, &login).submit(&st, &user, Some((RecordKind::CustomerUser, &login)), &f).await
}

/// `GET /admin/default-groups`: the groups of all customer users.
pub async fn defaults(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    Screen::defaults(&user.tr).page(&st, &user, None, &q.done).await
}

/// `POST /admin/default-groups`.
pub async fn defaults_save(
    State(st): State<AppState>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, Checks>,
) -> Response {
    Screen::defaults(&user.tr).submit(&st, &user, None, &f).await
}

/// `GET /admin/customers/{id}/groups`.
pub async fn customer(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    Screen::customer(&user.tr, &id).page(&st, &user, Some((RecordKind::Customer, &id)), &q.done).await
}

/// `POST /admin/customers/{id}/groups`.
pub async fn customer_save(
    State(st): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, Checks>,
) -> Response {
    Screen::customer(&user.tr, &id).submit(&st, &user, Some((RecordKind::Customer, &id)), &f).await
}

/// `GET /admin/agents/{login}/groups`: all seven permissions.
pub async fn agent(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    Screen::agent(&user.tr, &login).page(&st, &user, Some((RecordKind::Agent, &login)), &q.done).await
}

/// `POST /admin/agents/{login}/groups`.
pub async fn agent_save(
    State(st): State<AppState>,
    Path(login): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, Checks>,
) -> Response {
    Screen::agent(&user.tr, &login).submit(&st, &user, Some((RecordKind::Agent, &login)), &f).await
}

/// `GET /admin/roles/{name}/groups`: all seven permissions.
pub async fn role(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    Screen::role(&user.tr, &name).page(&st, &user, Some((RecordKind::Role, &name)), &q.done).await
}

/// `POST /admin/roles/{name}/groups`.
pub async fn role_save(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, Checks>,
) -> Response {
    Screen::role(&user.tr, &name).submit(&st, &user, Some((RecordKind::Role, &name)), &f).await
}
