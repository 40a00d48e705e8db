//! One group, many customer users: the `ro`/`rw` grants of a group across customer users.

use super::forms::Checks;
use super::group_grants::{CUSTOMER_PERMS, Cell};
use super::view::{Head, bad, chrome, show};
use super::{AdminUser, ListQuery, admin, href, list_or_search, must_exist, see_other};
use crate::csrf::CsrfForm;
use crate::page::Frame;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{Admin, Grant, GrantSubject, GrantTarget, PermissionSet, Record, RecordKind};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// A customer user's row.
struct Row {
    login: String,
    name: String,
    cells: Vec<Cell>,
}

/// The grid of the customer users the search finds.
#[derive(Template)]
#[template(path = "admin/group_customer_users.html")]
struct GridPage {
    frame: Frame,
    head: Head,
    group: String,
    search: String,
    rows: Vec<Row>,
}

/// The permissions `login` holds on `group` directly.
async fn direct_grant(a: &Admin<'_>, login: &str, group: &str) -> Result<PermissionSet, Problem> {
    Ok(a.grants_of(&GrantSubject::CustomerUser(login.to_string()))
        .await?
        .into_iter()
        .find(|g| g.target == GrantTarget::Group(group.to_string()))
        .map(|g| g.permissions)
        .unwrap_or_default())
}

/// `GET /admin/groups/{name}/customer-users`: a row per customer user (searchable) with `ro`/`rw`.
pub async fn show_grid(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let r = async {
        must_exist(&st, RecordKind::Group, &name).await?;
        let a = admin(&st, &user).await?;
        let mut rows = Vec::new();
        for r in list_or_search(&st, &user, RecordKind::CustomerUser, &q.search).await? {
            let Record::CustomerUser(u) = r else { continue };
            let set = direct_grant(&a, &u.login, &name).await?;
            let cells = CUSTOMER_PERMS.iter().map(|p| Cell { perm: p.as_str(), checked: set.contains(*p) }).collect();
            rows.push(Row { name: u.display_name(), login: u.login, cells });
        }
        Ok::<_, Problem>(rows)
    };
    match r.await {
        Ok(rows) => {
            let (frame, head) = chrome(
                &user,
                user.tr.t1("admin-heading-group-customer-users", "group", name.as_str()),
                "groups",
                &q.done,
            );
            show(&GridPage { frame, head, group: name, search: q.search, rows })
        }
        Err(p) => bad(&user, &p),
    }
}

/// `POST /admin/groups/{name}/customer-users`: saves the customer users' permissions on one group
/// (only the rows that were shown).
pub async fn save(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, Checks>,
) -> Response {
    let r = async {
        must_exist(&st, RecordKind::Group, &name).await?;
        let a = admin(&st, &user).await?;
        for login in &f.rows {
            let chosen = f.chosen(login, &CUSTOMER_PERMS);
            let set = PermissionSet::of(&chosen);
            if direct_grant(&a, login, &name).await? == set {
                continue;
            }
            let subject = GrantSubject::CustomerUser(login.clone());
            if chosen.is_empty() {
                a.revoke(&subject, &GrantTarget::Group(name.clone())).await?;
            } else {
                a.grant(Grant::group(subject, name.clone(), set)).await?;
            }
        }
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) if f.finish => see_other("/admin/groups?done=saved"),
        Ok(()) => see_other(&href("/admin/groups", &name, "/customer-users?done=saved")),
        Err(p) => bad(&user, &p),
    }
}
