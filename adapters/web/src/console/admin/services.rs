//! Services: list and search, add (with a parent), and one service: who has it (customer users,
//! their customers, whether it is a default service) and its comment and validity.

use super::forms::ServiceForm;
use super::view::{Head, bad, chrome, refused, show};
use super::{AdminUser, AgentUser, ListQuery, admin, href, list_or_search, records, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{Record, RecordKind, Service, ServiceHolders};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// The list with its search box and the add form.
#[derive(Template)]
#[template(path = "admin/services.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    search: String,
    services: Vec<Service>,
    /// Every service, for the parent choice.
    parents: Vec<String>,
}

/// One service: who has it, and its form.
#[derive(Template)]
#[template(path = "admin/service.html")]
struct ServicePage {
    frame: Frame,
    head: Head,
    holders: ServiceHolders,
}

/// Every service.
async fn all_services(st: &AppState) -> Result<Vec<Service>, Problem> {
    Ok(records(st, RecordKind::Service)
        .await?
        .into_iter()
        .filter_map(|r| if let Record::Service(s) = r { Some(s) } else { None })
        .collect())
}

/// The names of the valid services (those a grant can give).
pub(super) async fn valid_service_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(all_services(st).await?.into_iter().filter(|s| s.valid).map(|s| s.name).collect())
}

/// `GET /admin/services`: search and add.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let r = async {
        let found = list_or_search(&st, &user, RecordKind::Service, &q.search).await?;
        let services = found.into_iter().filter_map(|r| if let Record::Service(s) = r { Some(s) } else { None });
        Ok::<_, Problem>((services.collect(), all_services(&st).await?.into_iter().map(|s| s.name).collect()))
    };
    let (services, parents) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, user.tr.t("admin-heading-services"), "services", &q.done);
    show(&ListPage { frame, head, search: q.search, services, parents })
}

/// `POST /admin/services`: adds a service (`Parent::Name` when a parent is chosen), or replaces the
/// one of that name.
pub async fn add(
    State(st): State<AppState>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, ServiceForm>,
) -> Response {
    let name = match f.parent.trim() {
        "" => f.name.trim().to_string(),
        p => [p, "::", f.name.trim()].concat(),
    };
    let s = Service { name, comment: f.comment.trim().to_string(), valid: f.valid };
    let r = async { Ok::<_, Problem>(admin(&st, &user).await?.put_service(s).await?) };
    saved(&user, r.await, "/admin/services?done=saved")
}

/// The screen of service `name`, with the problem the engine answered on it, if any.
async fn service_page(st: &AppState, user: &AgentUser, name: &str, done: &str, problem: Option<&Problem>) -> Response {
    let holders = match admin(st, user).await {
        Ok(a) => a.service_holders(name).await.map_err(Problem::from),
        Err(p) => Err(p),
    };
    let holders = match holders {
        Ok(h) => h,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) =
        chrome(user, user.tr.t1("admin-heading-service", "name", holders.service.name.as_str()), "services", done);
    match problem {
        None => show(&ServicePage { frame, head, holders }),
        Some(p) => page::render(p.status(), &ServicePage { frame: refused(frame, p), head, holders }),
    }
}

/// `GET /admin/services/{name}`: who has the service, and its form.
pub async fn show_service(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    service_page(&st, &user, &name, &q.done, None).await
}

/// `POST /admin/services/{name}`: saves a service's comment and validity (it keeps its name: tickets
/// carry it). What the engine refuses shows on the form.
pub async fn save(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, ServiceForm>,
) -> Response {
    let r = async {
        let a = admin(&st, &user).await?;
        let mut s = a.service_holders(&name).await?.service;
        s.comment = f.comment.trim().to_string();
        s.valid = f.valid;
        a.put_service(s).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href("/admin/services", &name, "?done=saved")),
        Err(p) => service_page(&st, &user, &name, "", Some(&p)).await,
    }
}
